import { expect } from "chai";
import fs from "fs";
import os from "os";
import path from "path";
import { JsonRpcProvider } from "ethers";
import { Morpho__factory } from "../../typechain-types";
import type { DeploymentRecord } from "../../src/chain/deployments";
import { defaultEmbeddedParams } from "../../src/embedded/params";
import { OriginPoolConfigurator__factory } from "../../src/protocols/aave-v3-types";
import { NodeProcess, runHardhat, startHardhatNode, stopAllNodes } from "../node-process";

const REPORT_DIR = path.join("reports", "params-check");

interface ReportJson {
  valuesComparedCount: number;
  differenceCount: number;
  notComparableCount: number;
  rows: { name: string; embeddedValue: string; onChainValue: string; status: string }[];
}

const readReport = () => JSON.parse(fs.readFileSync(path.join(REPORT_DIR, "report.json"), "utf8")) as ReportJson;

/**
 * params:check offline: a local `hardhat node` serving the embedded deployment (default parameters) stands in for
 * mainnet; the task forks it through the upstream proxy with the deployment's file as the profile.
 */
describe("params:check against a local upstream", function () {
  this.timeout(180_000);
  let upstream: NodeProcess;
  let dir: string;
  let profile: string;

  before(async function () {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "loopstress-params-check-"));
    profile = path.join(dir, "profile.json");
    upstream = await startHardhatNode();
    const deploy = await runHardhat(["embedded:deploy", "--network", "localhost", "--out", profile, "--quiet"], {
      LOOPSTRESS_LOCALHOST_URL: upstream.url,
    });
    expect(deploy.status, deploy.output).to.equal(0);
  });

  after(async function () {
    await stopAllNodes();
    fs.rmSync(REPORT_DIR, { recursive: true, force: true });
  });

  const check = (profileFile: string, extra: string[] = []) =>
    runHardhat(
      [
        "params:check",
        "--fork-url",
        upstream.url,
        "--profile",
        profileFile,
        "--fork-cache",
        path.join(dir, `cache-${extra.join("-") || "default"}`),
        ...extra,
      ],
      {},
    );

  it("finds no difference on a chain deployed with the embedded parameters, and says how many values it compared", async function () {
    const r = await check(profile);
    console.log(r.output);
    expect(r.status, r.output).to.equal(0);
    const p = defaultEmbeddedParams();
    // Per reserve 9 configuration values, 4 rate parameters and the oracle source; the pool revision and the
    // flash-loan premium; per E-mode category LTV, LT, bonus, label, collateral and borrowable sets (origin line);
    // per Morpho market loan, collateral, LLTV, oracle and IRM. Today: 6 reserves, 2 E-modes, 7 markets = 133.
    const expected = 14 * p.aave.reserves.length + 2 + 6 * p.aave.eModes.length + 5 * p.morpho.markets.length;
    expect(r.output).to.contain(`${expected} values compared: no difference.`);
    const report = readReport();
    expect(report.valuesComparedCount).to.equal(expected);
    expect(report.differenceCount).to.equal(0);
    // The embedded chain's oracles are all named by its profile: nothing is left uncompared.
    expect(report.notComparableCount).to.equal(0);
    expect(report.rows.find((row) => row.name === "aave.reserves.USDe.oracleSource")?.onChainValue).to.equal(
      "USDT/USD",
    );
    expect(report.rows.find((row) => row.name === "morpho.markets.sUSDe/USDC-91.5.oracle")?.onChainValue).to.equal(
      "rate(sUSDe)",
    );
    expect(fs.readFileSync(path.join(REPORT_DIR, "summary.md"), "utf8")).to.contain("no difference");
  });

  it("names each value altered on chain, with the embedded and the on-chain value, and exits 1", async function () {
    const record = JSON.parse(fs.readFileSync(profile, "utf8")) as DeploymentRecord;
    const up = new JsonRpcProvider(upstream.url, undefined, { staticNetwork: true });
    try {
      const admin = await up.getSigner(record.deployer);
      const configurator = OriginPoolConfigurator__factory.connect(record.aave.poolConfigurator, admin);
      await (await configurator.setReserveFactor(record.tokens.USDC!.address, 1500)).wait();
      await (await configurator.setEModeCategory(2, 9000, 9300, 10400, "sUSDe Stablecoins")).wait();
      // A market the params do not have: sUSDe/USDC at 86% (an LLTV Morpho already allows), recorded in the profile.
      const base = record.morpho.markets["sUSDe/USDC-91.5"];
      const params = {
        loanToken: base.loanToken,
        collateralToken: base.collateralToken,
        oracle: base.oracle,
        irm: base.irm,
        lltv: record.morpho.markets["sUSDe/DAI-86"].lltv,
      };
      const morpho = Morpho__factory.connect(record.morpho.morpho, admin);
      await (await morpho.createMarket(params)).wait();
      const { morphoMarketId } = await import("../../src/math/morpho-blue");
      record.morpho.markets["sUSDe/USDC-86"] = {
        id: morphoMarketId({ ...params, lltv: BigInt(params.lltv) }),
        ...params,
      };
      fs.writeFileSync(path.join(dir, "altered.json"), JSON.stringify(record));
      // Raw eth_blockNumber: ethers caches getBlockNumber() across calls a moment apart.
      const block = Number(await up.send("eth_blockNumber", []));
      const r = await check(path.join(dir, "altered.json"), ["--fork-block", String(block)]);
      console.log(r.output);
      expect(r.status, r.output).to.equal(1);
      expect(r.output).to.match(/values compared: 3 differ\./);
      expect(r.output).to.match(/\| aave\.reserves\.USDC\.reserveFactorBps +\| bps +\| 1000 +\| 1500 +\|/);
      expect(r.output).to.match(/\| aave\.eModes\.2\.liquidationThresholdBps +\| bps +\| 9200 +\| 9300 +\|/);
      expect(r.output).to.match(
        /\| morpho\.markets\.sUSDe\/USDC-86 +\| text +\| absent +\| created: sUSDe\/USDC, LLTV 860000000000000000 wad +\|/,
      );
      const report = readReport();
      expect(report.differenceCount).to.equal(3);
      expect(report.rows.filter((row) => row.status === "differs").map((row) => row.name)).to.deep.equal([
        "aave.reserves.USDC.reserveFactorBps",
        "aave.eModes.2.liquidationThresholdBps",
        "morpho.markets.sUSDe/USDC-86",
      ]);
    } finally {
      up.destroy();
    }
  });
});

describe("params:check against a local upstream running Aave v3.0", function () {
  this.timeout(180_000);

  after(async function () {
    await stopAllNodes();
    fs.rmSync(REPORT_DIR, { recursive: true, force: true });
  });

  it("reads v3.0's per-reserve rate strategies and E-mode members, and names the release as the difference", async function () {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "loopstress-params-check-v30-"));
    const upstream = await startHardhatNode();
    const profile = path.join(dir, "profile.json");
    const deploy = await runHardhat(
      ["embedded:deploy", "--network", "localhost", "--out", profile, "--quiet", "--aave-release", "v3.0"],
      { LOOPSTRESS_LOCALHOST_URL: upstream.url },
    );
    expect(deploy.status, deploy.output).to.equal(0);
    const r = await runHardhat(
      ["params:check", "--fork-url", upstream.url, "--profile", profile, "--fork-cache", path.join(dir, "cache")],
      {},
    );
    console.log(r.output);
    expect(r.status, r.output).to.equal(1);
    const p = defaultEmbeddedParams();
    // v3.0 has one asset set per E-mode category where the origin line has two.
    const expected = 14 * p.aave.reserves.length + 2 + 5 * p.aave.eModes.length + 5 * p.morpho.markets.length;
    expect(r.output).to.contain(`${expected} values compared: 1 differ.`);
    // The embedded parameters deploy the origin line (revision 10); this upstream runs v3.0 (revision 1).
    expect(r.output).to.match(/\| aave\.poolRevision +\| pool revision +\| 10 +\| 1 +\|/);
  });
});

/** Against real Ethereum mainnet (an archive RPC in MAINNET_RPC_URL) at the profile's pinned block. */
describe("params:check against mainnet (needs MAINNET_RPC_URL)", function () {
  this.timeout(600_000);
  before(function () {
    if (!process.env.MAINNET_RPC_URL) {
      console.log("    skipped: MAINNET_RPC_URL is not set — the mainnet parameter check did not run");
      this.skip();
    }
  });

  after(() => fs.rmSync(REPORT_DIR, { recursive: true, force: true }));

  it("compares the embedded parameters with mainnet's at the pinned block and writes the report", async function () {
    const r = await runHardhat(["params:check", "--profile", "mainnet"], {});
    // The differences are what this run is for: printed, not asserted (exit 1 when any differ).
    console.log(r.output);
    expect(r.status, r.output).to.be.oneOf([0, 1]);
    expect(r.output).to.not.contain(process.env.MAINNET_RPC_URL!);
    expect(r.output).to.match(/\d+ values compared: /);
    const report = readReport();
    expect(report.valuesComparedCount).to.be.greaterThan(0);
  });
});
