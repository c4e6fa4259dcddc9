import { expect } from "chai";
import { ESLint } from "eslint";
import path from "path";

/** The layer rule (tools/eslint-layers.mjs) through ESLint's Node API and the repo's own eslint.config.mjs. */
describe("eslint layer rule", function () {
  this.timeout(60_000);
  const root = path.resolve(__dirname, "..", "..");
  let eslint: ESLint;
  before(() => {
    eslint = new ESLint({ cwd: root, overrideConfig: { rules: { "@typescript-eslint/no-unused-vars": "off" } } });
  });

  async function layerMessages(file: string, code: string): Promise<string[]> {
    const [result] = await eslint.lintText(code, { filePath: path.join(root, file) });
    return result.messages.filter((m) => m.ruleId === "local/layers").map((m) => m.message);
  }

  it("reports src/math importing src/chain, naming both layers and the file", async () => {
    const messages = await layerMessages(
      "src/math/probe.ts",
      `import { rpc } from "../chain/rpc";\nexport const x = rpc;\n`,
    );
    expect(messages).to.deep.equal([
      'src/math/probe.ts (layer 2 "math") imports src/chain/rpc (layer 4 "chain"), a higher layer: ' +
        "import only from the same or lower layers",
    ]);
  });

  it("reports imports between the sibling layers oracles and dex, both ways", async () => {
    const dex = await layerMessages(
      "src/dex/probe.ts",
      `import { feeds } from "../oracles/feeds";\nexport const x = feeds;\n`,
    );
    expect(dex).to.deep.equal([
      'src/dex/probe.ts (layer 5 "dex") imports src/oracles/feeds (layer 5 "oracles"): ' +
        "sibling layers of one level never import each other",
    ]);
    const oracles = await layerMessages("src/oracles/probe.ts", `export * from "../dex/venue";\n`);
    expect(oracles).to.have.length(1);
    expect(oracles[0]).to.contain('(layer 5 "oracles") imports src/dex/venue (layer 5 "dex")');
  });

  it("sees export-from, dynamic import(), import types and require()", async () => {
    const code = [
      `export { a } from "../scenario/run";`,
      `export async function f() { return import("../session/x"); }`,
      `export type T = import("../report/html").Page;`,
      `export const r = require("../actors/whale");`,
    ].join("\n");
    const messages = await layerMessages("src/protocols/probe.ts", code);
    expect(messages.map((m) => m.split(" imports ")[1].split(" (")[0])).to.deep.equal([
      "src/scenario/run",
      "src/session/x",
      "src/report/html",
      "src/actors/whale",
    ]);
  });

  it("reports src/ importing the entry points (tasks/)", async () => {
    const messages = await layerMessages("src/session/probe.ts", `import "../../tasks/cli";\n`);
    expect(messages).to.have.length(1);
    expect(messages[0]).to.contain('imports tasks/cli (layer 15 "entry points")');
  });

  it("places the public API (src/index.ts) over every src/ layer: it imports any of them, none of them imports it", async () => {
    const api = [`import { openSession } from "./session";`, `import { WAD } from "./constants";`].join("\n");
    expect(await layerMessages("src/index.ts", `${api}\nexport const all = [openSession, WAD];\n`)).to.deep.equal([]);
    for (const [spec, target] of [
      ["..", "src"],
      ["../index", "src/index"],
    ]) {
      expect(await layerMessages("src/session/probe.ts", `import "${spec}";\n`)).to.deep.equal([
        `src/session/probe.ts (layer 13 "session") imports ${target} (layer 14 "public API"), a higher layer: ` +
          "import only from the same or lower layers",
      ]);
    }
    expect(await layerMessages("examples/probe.test.ts", `import "../src";\n`)).to.deep.equal([]);
  });

  it("allows downward and same-layer imports, typechain-types and packages", async () => {
    const code = [
      `import { InputError } from "../errors";`,
      `import { wadMul } from "../math/fixed-point";`,
      `import { sameAddress } from "../domain/address";`,
      `import { feeds } from "../oracles/feeds";`,
      `import { venue } from "./venue";`,
      `import { IOracle__factory } from "../../typechain-types";`,
      `import { ethers } from "ethers";`,
      `export const all = [InputError, wadMul, sameAddress, feeds, venue, IOracle__factory, ethers];`,
    ].join("\n");
    expect(await layerMessages("src/protocols/probe.ts", code)).to.deep.equal([]);
    expect(await layerMessages("tasks/probe.ts", `import "../src/session/run";\n`)).to.deep.equal([]);
    expect(
      await layerMessages("test/probe.test.ts", `import "../src/session/run";\nimport "../tasks/cli";\n`),
    ).to.deep.equal([]);
  });

  it("reports a src/ file that is in no layer", async () => {
    const messages = await layerMessages("src/newfolder/probe.ts", `export const x = 1;\n`);
    expect(messages).to.deep.equal([
      "src/newfolder/probe.ts is in src/ but in no layer: add its folder to LAYERS in tools/eslint-layers.mjs",
    ]);
  });
});
