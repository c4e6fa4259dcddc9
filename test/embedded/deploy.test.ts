import { expect } from "chai";
import hre from "hardhat";
import fs from "fs";
import http from "http";
import { AddressInfo } from "net";
import { JsonRpcProvider } from "ethers";
import { Morpho__factory } from "../../typechain-types";
import { loadEmbedded, loadEmbeddedV30 } from "../fixtures";
import { deployEmbedded } from "../../src/embedded/deploy";
import { EMBEDDED_CURVE_USDE_POOL, defaultEmbeddedParams, EmbeddedParams } from "../../src/embedded/params";
import { TokenSymbol } from "../../src/domain/tokens";
import { deploymentPath, DeploymentRecord } from "../../src/chain/deployments";
import { InputError } from "../../src/errors";
import { assertLocalDevNode, UnsafeNodeError } from "../../src/chain/safety";
import { deploymentSummary } from "../../src/report/deployment-summary";
import { liquidationIncentiveFactor } from "../../src/math/morpho-blue";
import { WAD } from "../../src/constants";
import { AaveProtocolDataProvider__factory, Pool__factory } from "../../src/protocols/aave-v3-types";

describe("embedded chain deployment", function () {
  it("records the same deterministic addresses as deployments/embedded.json", async function () {
    const { record } = await loadEmbedded();
    const recorded = JSON.parse(fs.readFileSync(deploymentPath("embedded"), "utf8")) as DeploymentRecord;
    // Every address in the committed file must be what a fresh deployment produces.
    expect(recorded).to.deep.equal(JSON.parse(JSON.stringify(record)));
  });

  // v3.0's data provider (getReserveEModeCategory: one category per asset); the origin line's E-mode sets are read
  // back in test/protocols/aave-v3.test.ts.
  it("configures every Aave reserve with the parameters it was given, read back from chain (v3.0)", async function () {
    const { record, params } = await loadEmbeddedV30();
    const dp = AaveProtocolDataProvider__factory.connect(record.aave.dataProvider, hre.ethers.provider);
    for (const r of params.aave.reserves) {
      const cfg = await dp.getReserveConfigurationData(record.tokens[r.asset]!.address);
      expect(
        [cfg.ltv, cfg.liquidationThreshold, cfg.liquidationBonus, cfg.reserveFactor, cfg.borrowingEnabled],
        r.asset,
      ).to.deep.equal([
        BigInt(r.ltvBps),
        BigInt(r.liquidationThresholdBps),
        BigInt(r.liquidationBonusBps),
        BigInt(r.reserveFactorBps),
        r.borrowingEnabled,
      ]);
      expect(await dp.getLiquidationProtocolFee(record.tokens[r.asset]!.address)).to.equal(
        BigInt(r.liquidationProtocolFeeBps),
      );
    }
    const pool = Pool__factory.connect(record.aave.pool, hre.ethers.provider);
    const e = await pool.getEModeCategoryData(2);
    expect([e.ltv, e.liquidationThreshold, e.liquidationBonus]).to.deep.equal([9000n, 9200n, 10400n]);
    for (const s of ["USDe", "sUSDe", "USDC", "USDT"] as TokenSymbol[]) {
      expect(await dp.getReserveEModeCategory(record.tokens[s]!.address), s).to.equal(2n);
    }
  });

  it("creates the Morpho markets with their LLTVs and seeded liquidity", async function () {
    const { record, params } = await loadEmbedded();
    const morpho = Morpho__factory.connect(record.morpho.morpho, hre.ethers.provider);
    expect(Object.keys(record.morpho.markets)).to.include.members([
      "sUSDe/USDC-91.5",
      "sUSDe/DAI-91.5",
      "USDe/DAI-91.5",
      "sUSDe/DAI-86",
      "sUSDe/DAI-94.5",
    ]);
    for (const m of params.morpho.markets) {
      const id = record.morpho.markets[m.key].id;
      const mp = await morpho.idToMarketParams(id);
      expect(mp.lltv).to.equal(m.lltvWad);
      expect(mp.collateralToken).to.equal(record.tokens[m.collateral]!.address);
      expect((await morpho.market(id)).totalSupplyAssets).to.equal(m.supplyRaw);
    }
    // The LLTV-derived incentive, independently: 1 / (1 - 0.3 * (1 - 0.915)) = 1.02616726...
    expect(Number(liquidationIncentiveFactor((915n * WAD) / 1000n)) / 1e18).to.be.closeTo(1 / (1 - 0.3 * 0.085), 1e-12);
  });

  it("prints a summary of deployed markets read back from chain", async function () {
    const { record } = await loadEmbedded();
    const text = await deploymentSummary(record, hre.ethers.provider);
    expect(text).to.match(/\| USDe +\| 72\.00% +\| 75\.00%/);
    expect(text).to.match(
      /\| 2 +\| sUSDe Stablecoins \| 90\.00% \| 92\.00% +\| 4\.00% +\| USDe, sUSDe +\| USDC, USDT, USDS +\|/,
    );
    expect(text).to.match(/sUSDe\/USDC-91\.5 .*91\.50%/);
    expect(text).to.match(/USDe\/USDC-0\.01%/);
  });

  describe("bad input fails before anything is deployed, naming the parameter", function () {
    const cases: [string, (p: EmbeddedParams) => void, RegExp][] = [
      [
        "liquidation threshold below LTV",
        (p) => {
          p.aave.reserves[0].liquidationThresholdBps = 7000;
        },
        /aave\.reserves\[0:USDe\]\.liquidationThresholdBps: liquidation threshold 7000 bps is below LTV 7200 bps/,
      ],
      [
        "unknown token in a reserve",
        (p) => {
          (p.aave.reserves[1] as { asset: string }).asset = "FRAX";
        },
        /aave\.reserves\[1:FRAX\]\.asset: unknown token "FRAX"/,
      ],
      [
        "Curve coin with the wrong decimals for the template",
        (p) => {
          p.curve.pools = [{ ...EMBEDDED_CURVE_USDE_POOL, coins: ["USDC", "USDe", "USDT", "DAI"] }];
        },
        /curve\.pools\[0:USDe\/USDC\/USDT\/DAI\]\.coins\[0\]: USDC has 6 decimals; the template's coin 0 must have 18 — order the coins by decimals 18\/6\/6\/18/,
      ],
      [
        "Curve fee above 50%",
        (p) => {
          p.curve.pools = [{ ...EMBEDDED_CURVE_USDE_POOL, feeE10: 6_000_000_000 }];
        },
        /curve\.pools\[0:USDe\/USDC\/USDT\/DAI\]\.feeE10: must be an integer in \[0, 5e9\]/,
      ],
      [
        "unknown token in an E-mode",
        (p) => {
          (p.aave.eModes[0].assets as string[]).push("PYUSD");
        },
        /aave\.eModes\[0:2\]\.assets\[5\]: unknown token "PYUSD"/,
      ],
      [
        "LLTV of 100%",
        (p) => {
          p.morpho.markets[0].lltvWad = WAD;
        },
        /morpho\.markets\[0:sUSDe\/USDC-91\.5\]\.lltvWad: LLTV must be in \(0, 1e18\)/,
      ],
      [
        "non-positive feed price",
        (p) => {
          p.feedsE8["USDe/USD"] = 0n;
        },
        /feedsE8\["USDe\/USD"\]: must be a positive price/,
      ],
      [
        "liquidity layers not adding up",
        (p) => {
          p.uniswap.pools[0].layers = [{ lowerPrice: "0.99", upperPrice: "1.01", shareBps: 5000 }];
        },
        /uniswap\.pools\[0:USDe\/USDC-0\.01%\]\.layers: shares must add up to 10000/,
      ],
      [
        "E-mode threshold not above a collateral's (origin line: the collateral set)",
        (p) => {
          p.aave.eModes[0].liquidationThresholdBps = 7400;
          p.aave.eModes[0].ltvBps = 7300;
        },
        /must exceed USDe's own threshold 7500 bps/,
      ],
      [
        "E-mode threshold not above a member's (v3.0: every asset of the category)",
        (p) => {
          p.aave.release = "v3.0";
          p.aave.eModes[0].liquidationThresholdBps = 7700;
          p.aave.eModes[0].ltvBps = 7600;
        },
        /must exceed USDC's own threshold 7800 bps/,
      ],
    ];
    for (const [name, mutate, message] of cases) {
      it(name, async function () {
        const [deployer] = await hre.ethers.getSigners();
        const params = defaultEmbeddedParams();
        mutate(params);
        const before = await hre.ethers.provider.getBlockNumber();
        let caught: unknown;
        try {
          await deployEmbedded(deployer, hre.ethers.provider, { params });
        } catch (err) {
          caught = err;
        }
        expect(caught).to.be.instanceOf(InputError);
        expect((caught as Error).message).to.match(message);
        expect(await hre.ethers.provider.getBlockNumber()).to.equal(before);
      });
    }
  });

  it("refuses to deploy to a node that is not a local development node, sending nothing", async function () {
    const methods: string[] = [];
    // A JSON-RPC endpoint on loopback that claims to be mainnet and knows no dev-node methods.
    const server = http.createServer((req, res) => {
      let body = "";
      req.on("data", (c: Buffer) => (body += c.toString()));
      req.on("end", () => {
        const calls = ([] as { id: number; method: string }[]).concat(JSON.parse(body));
        const answers = calls.map((c) => {
          methods.push(c.method);
          if (c.method === "eth_chainId") return { jsonrpc: "2.0", id: c.id, result: "0x1" };
          if (c.method === "net_version") return { jsonrpc: "2.0", id: c.id, result: "1" };
          if (c.method === "eth_blockNumber") return { jsonrpc: "2.0", id: c.id, result: "0x1" };
          return { jsonrpc: "2.0", id: c.id, error: { code: -32601, message: "method not found" } };
        });
        res.setHeader("content-type", "application/json");
        res.end(JSON.stringify(Array.isArray(JSON.parse(body)) ? answers : answers[0]));
      });
    });
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    try {
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
      const provider = new JsonRpcProvider(url, 1, { staticNetwork: true, batchMaxCount: 1 });
      await expect(assertLocalDevNode(provider)).to.be.rejectedWith(UnsafeNodeError, /chain id 1/);
      const [deployer] = await hre.ethers.getSigners();
      await expect(deployEmbedded(deployer.connect(provider), provider)).to.be.rejectedWith(UnsafeNodeError);
      expect(methods.filter((m) => /send|sign/i.test(m))).to.deep.equal([]);
      provider.destroy();
    } finally {
      server.close();
    }
  });
});
