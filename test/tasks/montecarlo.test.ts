/** The montecarlo task's bad input: one line naming the flag or file, exit 1, nothing written. */
import { expect } from "chai";
import { spawnSync } from "child_process";
import fs from "fs";
import os from "os";
import path from "path";

const ROOT = path.join(__dirname, "..", "..");
const SMALL = "scenarios/montecarlo-small.yaml";

function hardhat(args: string[]) {
  const r = spawnSync("npx", ["hardhat", ...args], {
    cwd: ROOT,
    encoding: "utf8",
    env: { ...process.env, HARDHAT_DISABLE_TELEMETRY_PROMPT: "true" },
  });
  const stderr = r.stderr
    .split("\n")
    .filter((l) => !l.startsWith("npm warn") && l !== "")
    .join("\n");
  return { status: r.status, stderr, stdout: r.stdout };
}

describe("command line: montecarlo refuses bad input in one line and writes nothing", function () {
  it("--runs out of its bound; --shard not i/n: nothing written", function () {
    const out = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "loopstress-mc-cli-")), "mc");
    const runs = hardhat(["montecarlo", SMALL, "--runs", "10001", "--out", out]);
    expect(runs.status).to.equal(1);
    expect(runs.stderr).to.equal(
      'loopstress: --runs: "10001" is not a number of runs from 1 to 10000 — each run is a whole scenario run; e.g. --runs 200',
    );
    const shard = hardhat(["montecarlo", SMALL, "--runs", "4", "--shard", "4/4", "--out", out]);
    expect(shard.status).to.equal(1);
    expect(shard.stderr).to.equal(
      'loopstress: --shard: "4/4" is not i/n with 0 <= i < n — e.g. --shard 0/4, or --shard env',
    );
    expect(fs.existsSync(out)).to.equal(false);
  });

  it("a runs.csv of another scenario is refused before the chain is deployed, and left as it was", function () {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), "loopstress-mc-cli-"));
    const foreign = [
      "run,seed,usdeFloorUsd,ethDropFraction,liquidations,positionsLiquidated,liquidatedCollateralUsd,liquidatedCollateralUsdWad,repaidDebtUsd,repaidDebtUsdWad,badDebtUsd,badDebtUsdWad,converged,liquidatableLeft,scenario,fingerprint",
      "0,1,0.8,,0,0,0.00,0,0.00,0,0.00,0,true,0,other-scenario,0000000000000000",
      "",
    ].join("\n");
    fs.writeFileSync(path.join(out, "runs.csv"), foreign);
    const r = hardhat(["montecarlo", SMALL, "--runs", "4", "--out", out]);
    expect(r.status).to.equal(1);
    expect(r.stderr).to.match(
      /^loopstress: .*runs\.csv: holds runs of another scenario or settings \(other-scenario, fingerprint 0000000000000000; this is montecarlo-small, [0-9a-f]{16}\) — give another --out, or delete the file to start over$/,
    );
    expect(r.stdout).to.equal("");
    expect(fs.readdirSync(out)).to.deep.equal(["runs.csv"]);
    expect(fs.readFileSync(path.join(out, "runs.csv"), "utf8")).to.equal(foreign);
  });
});
