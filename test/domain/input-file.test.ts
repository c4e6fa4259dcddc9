import { expect } from "chai";
import fs from "fs";
import os from "os";
import path from "path";
import { readInputFile } from "../../src/domain/input-file";
import { MAX_INPUT_FILE_BYTES } from "../../src/domain/bounds";

describe("input files: read only when small enough, every failure a sentence", function () {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "loopstress-input-"));

  it("reads a file within the bound", function () {
    const file = path.join(dir, "ok.yaml");
    fs.writeFileSync(file, "name: x\n");
    expect(readInputFile(file, "scenario")).to.equal("name: x\n");
  });

  it("refuses a file over the bound before reading it, naming the field and the sizes", function () {
    const file = path.join(dir, "big.yaml");
    fs.writeFileSync(file, Buffer.alloc(MAX_INPUT_FILE_BYTES + 1, 0x20));
    expect(() => readInputFile(file, "scenario")).to.throw(
      `scenario: ${file} is ${MAX_INPUT_FILE_BYTES + 1} bytes, over the 1048576-byte bound for input files — split it, or check that it is the file you meant`,
    );
  });

  it("names a missing file with the fix it is given", function () {
    expect(() => readInputFile(path.join(dir, "nope.csv"), "path.csv", "give a readable CSV")).to.throw(
      `path.csv: cannot read ${path.join(dir, "nope.csv")}: ENOENT — give a readable CSV`,
    );
  });
});
