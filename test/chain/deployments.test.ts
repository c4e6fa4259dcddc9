import { expect } from "chai";
import fs from "fs";
import os from "os";
import path from "path";
import { readDeployment } from "../../src/chain/deployments";

describe("deployment records: a file that is not one is a sentence naming the flag", function () {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "loopstress-deployments-"));
  const write = (name: string, text: string) => {
    const file = path.join(dir, name);
    fs.writeFileSync(file, text);
    return file;
  };

  it("reads the committed embedded record", function () {
    expect(readDeployment("embedded").profile).to.equal("embedded");
  });

  it("a truncated file is not valid JSON", function () {
    const file = write("cut.json", '{"profile": "x", "chainId": 1');
    expect(() => readDeployment("x", file)).to.throw(
      /^--profile: .*cut\.json is not valid JSON: .* — name a deployments file$/,
    );
  });

  it("valid JSON that is not a record names the first field it lacks", function () {
    const file = write("other.json", JSON.stringify({ profile: "x", chainId: 1, tokens: {}, feeds: {}, aave: {} }));
    expect(() => readDeployment("x", file)).to.throw(
      `--profile: ${file} is not a deployment record: aave.pool is missing or not a string — name a deployments file`,
    );
    expect(() => readDeployment("x", write("list.json", "[]"))).to.throw(
      /is not a deployment record: profile is missing/,
    );
  });

  it("a missing file says how to make one", function () {
    expect(() => readDeployment("x", path.join(dir, "none.json"))).to.throw(
      /^--profile: no .*none\.json — run `npx hardhat embedded:deploy` to create it, or name a deployments file$/,
    );
  });
});
