/**
 * --backend at the command line: the scenario task writes the same report on anvil (the default) and on Hardhat's
 * in-process network; a wrong backend is one line naming the flag or variable, before anything is deployed.
 */
import { expect } from "chai";
import fs from "fs";
import os from "os";
import path from "path";
import YAML from "yaml";
import { runHardhat } from "../node-process";
import { smallCascadeInput } from "../fixtures";

const ROOT = path.join(__dirname, "..", "..");
const NAME = "test-task-backends";
const REPORT_DIR = path.join(ROOT, "reports", NAME);

/** The report without the liquidation transactions' hashes (each node fills in fee caps its own way). */
function economics(file: string): unknown {
  return JSON.parse(fs.readFileSync(file, "utf8"), (key, value: unknown) => (key === "txHash" ? undefined : value));
}

describe("command line: --backend", function () {
  let scenarioFile: string;
  before(function () {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "loopstress-backend-"));
    scenarioFile = path.join(dir, "small.yaml");
    // One Aave loop (2 rounds at 0.80: debt about 59% of the collateral) with USDe at 0.50: liquidated on every backend.
    const input = smallCascadeInput(NAME, "aave-v3:USDe/USDC:emode-2", {
      path: { points: [{ blocks: 2, usde: "0.50" }] },
    });
    fs.writeFileSync(scenarioFile, YAML.stringify(input));
  });
  after(function () {
    fs.rmSync(REPORT_DIR, { recursive: true, force: true });
    fs.rmSync(path.dirname(scenarioFile), { recursive: true, force: true });
  });

  it("the scenario task writes the same report on anvil (the default) and with --backend hardhat", async function () {
    fs.rmSync(REPORT_DIR, { recursive: true, force: true });
    const anvil = await runHardhat(["scenario", scenarioFile], {});
    expect(anvil.status, anvil.output).to.equal(0);
    expect(anvil.output).to.include("deploying the embedded chain on anvil…");
    const onAnvil = economics(path.join(REPORT_DIR, "report.json"));
    const hardhat = await runHardhat(["scenario", scenarioFile, "--backend", "hardhat"], {});
    expect(hardhat.status, hardhat.output).to.equal(0);
    expect(hardhat.output).to.include("deploying the embedded chain on hardhat…");
    const onHardhat = economics(path.join(REPORT_DIR, "report.json"));
    expect(onAnvil).to.deep.equal(onHardhat);
    const { runs } = onAnvil as { runs: { totals: { liquidations: number } }[] };
    expect(runs.map((r) => r.totals.liquidations)).to.deep.equal([1]);
  });

  it("a sweep runs on Hardhat's network too, from LOOPSTRESS_BACKEND: one row per grid point", async function () {
    const grid = path.join(path.dirname(scenarioFile), "sweep-grid.yaml");
    fs.writeFileSync(grid, YAML.stringify({ floor: ["0.5", "0.9"] }));
    const out = path.join("reports", NAME, "sweep.csv");
    const r = await runHardhat(["sweep", scenarioFile, "--grid", grid, "--out", out], {
      LOOPSTRESS_BACKEND: "hardhat",
    });
    expect(r.status, r.output).to.equal(0);
    // One worker per core, each on a network of its own (the environment passes down).
    expect(r.output).to.match(/grid points \(shard \d\/\d\) on hardhat/);
    const rows = fs.readFileSync(path.join(ROOT, out), "utf8").trim().split("\n");
    expect(rows).to.have.length(3);
  });

  it("a wrong backend, from the flag or the environment, is one line naming it; nothing is deployed", async function () {
    fs.rmSync(REPORT_DIR, { recursive: true, force: true });
    const grid = path.join(path.dirname(scenarioFile), "grid.yaml");
    fs.writeFileSync(grid, YAML.stringify({ floor: ["0.9"] }));
    const [flag, env, network] = await Promise.all([
      runHardhat(["scenario", scenarioFile, "--backend", "geth"], {}),
      runHardhat(["sweep", scenarioFile, "--grid", grid], { LOOPSTRESS_BACKEND: "Anvil" }),
      runHardhat(["scenario", scenarioFile, "--network", "localhost", "--backend", "anvil"], {}),
    ]);
    const last = (r: { output: string }): string => r.output.trim().split("\n").slice(-1)[0];
    expect([flag.status, env.status, network.status]).to.deep.equal([1, 1, 1]);
    expect(last(flag)).to.equal('loopstress: --backend: unknown backend "geth" — use anvil or hardhat');
    expect(last(env)).to.equal('loopstress: LOOPSTRESS_BACKEND: unknown backend "Anvil" — use anvil or hardhat');
    expect(last(network)).to.equal(
      "loopstress: --backend: does not apply with --network localhost — drop one of the two",
    );
    expect(fs.existsSync(REPORT_DIR)).to.equal(false);
  });
});
