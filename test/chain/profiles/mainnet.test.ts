import { expect } from "chai";
import fs from "fs";
import os from "os";
import path from "path";
import { runHardhat } from "../../node-process";
import { DepegReport } from "../../../src/report/depeg-report";

/**
 * Against real Ethereum mainnet (an archive RPC in MAINNET_RPC_URL), at the pinned pre-crash block. No machine of
 * this project reaches mainnet, so these run only where the variable is set, and say so when they are skipped.
 */
describe("mainnet fork (needs MAINNET_RPC_URL)", function () {
  this.timeout(600_000);
  before(function () {
    if (!process.env.MAINNET_RPC_URL) {
      console.log(
        "    skipped: MAINNET_RPC_URL is not set — the mainnet-fork tests (profile checks, USDe loop on Aave E-mode, real-borrower depeg) did not run",
      );
      this.skip();
    }
  });

  it("checks the pinned-block profile and runs a depeg on the real USDe/sUSDe borrowers of Morpho and Aave", async function () {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "loopstress-mainnet-"));
    fs.writeFileSync(
      path.join(dir, "mainnet.yaml"),
      [
        "name: mainnet-real-borrowers",
        'existing: { markets: ["morpho-blue:sUSDe/USDC-91.5", "morpho-blue:USDe/DAI-91.5"], fromBlock: 23540000 }',
        'path: { feed: USDe/USD, ramp: { from: "1.00", to: "0.65", blocks: 14, points: 7 } }',
        "policies: [{ aave: pegged-to-USDT, morpho: market }, { aave: pegged-to-USDT, morpho: exchange-rate }]",
      ].join("\n"),
    );
    const r = await runHardhat(["depeg", path.join(dir, "mainnet.yaml"), "--brief", "--profile", "mainnet"], {});
    expect(r.status, r.output).to.equal(0);
    expect(r.output).to.not.contain(process.env.MAINNET_RPC_URL!);
    const report = JSON.parse(
      fs.readFileSync(path.join("reports", "mainnet-real-borrowers", "report.json"), "utf8"),
    ) as DepegReport;
    expect(report.chain.chainId).to.equal(1);
    expect(report.runs[0].positions.length).to.be.greaterThan(0);
    expect(report.runs[1].totals.liquidations).to.equal(0);
  });

  it("sells USDe into the real Curve USDe/USDC pool at the pinned block (coins checked at start-up)", async function () {
    const r = await runHardhat(
      [
        "swap",
        "--profile",
        "mainnet",
        "--venue",
        "curve:USDe/USDC",
        "--sell",
        "USDe",
        "--buy",
        "USDC",
        "--amount",
        "1000000",
      ],
      {},
    );
    expect(r.status, r.output).to.equal(0);
    expect(r.output).to.match(/\| [\d,.]+ USDC +\| [\d,.]+ USDC +\| 0\.9\d+ /);
  });

  it("opens a real USDe loop on Aave E-mode at the pinned block", async function () {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "loopstress-mainnet-"));
    fs.writeFileSync(
      path.join(dir, "loop.yaml"),
      [
        "name: mainnet-usde-loop",
        'loops: [{ market: "aave-v3:USDe/USDT:emode-2", initialAmount: "100000", rounds: 5, targetLtv: "0.80" }]',
        'path: { feed: USDe/USD, step: { to: "0.99" } }',
        "policies: [{ aave: pegged-to-USDT, morpho: exchange-rate }]",
      ].join("\n"),
    );
    const r = await runHardhat(["depeg", path.join(dir, "loop.yaml"), "--brief", "--profile", "mainnet"], {});
    expect(r.status, r.output).to.equal(0);
  });
});
