import { expect } from "chai";
import fs from "fs";
import os from "os";
import path from "path";
import { reportFolder } from "../../src/report/folder";

describe("report folders stay inside the reports folder", function () {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), "loopstress-reports-"));

  it("makes <root>/<name> for a plain name", function () {
    expect(reportFolder(root, "oct-10-2025")).to.equal(path.join(root, "oct-10-2025"));
    expect(fs.statSync(path.join(root, "oct-10-2025")).isDirectory()).to.equal(true);
  });

  for (const name of [".", "..", "...", "", "a/b", "../x", "/tmp/x", "a\\b"]) {
    it(`refuses ${JSON.stringify(name)}, writing nothing`, function () {
      const before = fs.readdirSync(path.dirname(root)).length;
      expect(() => reportFolder(root, name, "scenario name")).to.throw(
        `scenario name: "${name}" does not name a folder inside ${root} — use letters, digits, . _ and -`,
      );
      expect(fs.readdirSync(path.dirname(root)).length).to.equal(before);
    });
  }
});
