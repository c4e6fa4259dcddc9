import { expect } from "chai";
import { spawnSync } from "child_process";
import fs from "fs";
import os from "os";
import path from "path";

const ROOT = path.join(__dirname, "..", "..");

function hardhat(args: string[]) {
  const r = spawnSync("npx", ["hardhat", ...args], {
    cwd: ROOT,
    encoding: "utf8",
    env: { ...process.env, HARDHAT_DISABLE_TELEMETRY_PROMPT: "true" },
  });
  return {
    status: r.status,
    stderr: r.stderr
      .split("\n")
      .filter((l) => !l.startsWith("npm warn"))
      .join("\n"),
    stdout: r.stdout,
  };
}

describe("command line: bad input exits non-zero with one clear line and writes no report", function () {
  it("loop with an LTV above the liquidation threshold names --ltv", function () {
    const dir = path.join(ROOT, "reports", "loop-aave-v3_USDe_USDC_emode-2");
    fs.rmSync(dir, { recursive: true, force: true });
    const r = hardhat(["loop", "--market", "aave-v3:USDe/USDC:emode-2", "--ltv", "0.95"]);
    expect(r.status).to.equal(1);
    expect(r.stderr).to.match(
      /^loopstress: --ltv: 95\.00% is at or above aave-v3:USDe\/USDC:emode-2's liquidation threshold 92\.00% — choose a lower LTV$/m,
    );
    expect(r.stdout).to.equal("");
    expect(fs.existsSync(dir)).to.equal(false);
  });

  it("depeg with a price <= 0 in its path names the field; a missing scenario file too", function () {
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "loopstress-")), "bad.yaml");
    fs.writeFileSync(
      file,
      [
        "name: cli-bad-price",
        'loops: [{ market: "aave-v3:USDe/USDC:emode-2", initialAmount: "1000", rounds: 1, targetLtv: "0.5" }]',
        'path: { feed: USDe/USD, step: { to: "0" } }',
        "policies: [{ aave: market, morpho: market }]",
      ].join("\n"),
    );
    const r = hardhat(["depeg", file]);
    expect(r.status).to.equal(1);
    expect(r.stderr).to.match(/^loopstress: path\.step\.to: price must be > 0, got 0 — /m);
    expect(fs.existsSync(path.join(ROOT, "reports", "cli-bad-price"))).to.equal(false);
    const missing = hardhat(["depeg", "no-such-scenario.yaml"]);
    expect(missing.status).to.equal(1);
    expect(missing.stderr).to.match(/loopstress: scenario: cannot read no-such-scenario\.yaml: ENOENT/);
    // A feed the chain will not have is refused before the embedded chain is deployed.
    fs.writeFileSync(
      file,
      fs.readFileSync(file, "utf8").replace('feed: USDe/USD, step: { to: "0" }', 'feed: BTC/USD, step: { to: "0.9" }'),
    );
    const feed = hardhat(["depeg", file]);
    expect(feed.status).to.equal(1);
    expect(feed.stderr).to.match(/^loopstress: path\.feed: unknown feed "BTC\/USD" — use one of /m);
    expect(feed.stderr).to.not.contain("deploying");
  });

  it("swap on the embedded Curve pool prints what the pool paid; an unknown token or pool names the field", function () {
    const ok = hardhat([
      "swap",
      "--curve",
      "--venue",
      "curve:USDe/USDC/USDT/DAI",
      "--sell",
      "USDe",
      "--buy",
      "USDC",
      "--amount",
      "1000000",
    ]);
    expect(ok.status, ok.stderr).to.equal(0);
    // 1M USDe into 5M per coin at A = 200: about 0.11% below the peg, all of it measured from the pool.
    const row = /\| ([\d,.]+) USDC +\| ([\d,.]+) USDC +\| (0\.\d+) +\| 1\.000000 +\| (0\.\d+) +\| (\d+\.\d+)% /.exec(
      ok.stdout,
    );
    expect(row, ok.stdout).to.not.equal(null);
    expect(Number(row![3])).to.be.within(0.995, 1);
    expect(Number(row![4])).to.be.lessThan(1);
    const badToken = hardhat(["swap", "--sell", "USDX", "--buy", "USDC", "--amount", "1"]);
    expect(badToken.status).to.equal(1);
    expect(badToken.stderr).to.match(/^loopstress: --sell: unknown token "USDX" — use one of /m);
    const noPool = hardhat(["swap", "--venue", "curve:USDe/USDC", "--sell", "USDe", "--buy", "USDC", "--amount", "1"]);
    expect(noPool.status).to.equal(1);
    expect(noPool.stderr).to.match(
      /^loopstress: --venue: no Curve pool "USDe\/USDC" in chain profile "embedded" — .*pass --curve/m,
    );
  });

  it("every task documents its options in --help", function () {
    const r = hardhat(["thresholds", "--help"]);
    expect(r.status).to.equal(0);
    expect(r.stdout).to.match(/--market/);
    expect(r.stdout).to.match(/bisection/);
  });
});
