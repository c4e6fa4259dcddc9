/**
 * What the embedded deployment appends after Ethena's stand-in (params.appended): USDS (token, feed, Aave reserve
 * borrowable in E-modes 2 and 11, a USDe/USDS pool) and the sUSDe/USDT-91.5 and USDe/USDT-91.5 Morpho markets. Each
 * new market key opens a flash loop and is liquidated by the bot, amounts pinned (deterministic runs).
 */
import { expect } from "chai";
import { Contract } from "ethers";
import { loadEmbedded, loadEmbeddedV30 } from "../fixtures";
import { deal } from "../../src/chain/cheats";
import { WAD } from "../../src/constants";
import { UniswapV3Dex } from "../../src/dex/uniswap-v3";
import { withoutAppended } from "../../src/embedded/deploy";
import { defaultEmbeddedParams } from "../../src/embedded/params";
import { setFeedPrice } from "../../src/oracles/feeds";
import { applyAavePolicy } from "../../src/protocols/aave-v3";
import { OriginPool__factory, Pool__factory } from "../../src/protocols/aave-v3-types";
import { applyMorphoPolicy } from "../../src/protocols/morpho-blue";
import { openMarket } from "../../src/protocols/registry";
import { runFlashLoop } from "../../src/strategies/flash-loop";
import { LiquidationBot } from "../../src/strategies/liquidation-bot";

/** One new key: the loop it opens and the price that makes it liquidatable (USDe/USD, 8 decimals). */
interface Case {
  key: string;
  priceE8: bigint;
  /** Pinned: debt borrowed by the loop, debt repaid and collateral seized by the bot's first call. */
  debtRaw: bigint;
  repaidRaw: bigint;
  seizedRaw: bigint;
}

// Aave: the origin line's 50% close factor at HF > 0.95 takes half the debt; Morpho (LLTV 91.5%, HF 0.78 x 0.915 /
// 0.8 ≈ 0.89) lets the whole debt be repaid, accrued interest included.
const CASES: Case[] = [
  {
    key: "aave-v3:sUSDe/USDS:emode-2",
    priceE8: 78_000_000n,
    debtRaw: 268_927_997_740_100_840_336_130n,
    repaidRaw: 134_464_016_780_930_000_000_000n,
    seizedRaw: 150_080_503_001_345_087_280_166n,
  },
  {
    key: "aave-v3:USDe/USDS:emode-2",
    priceE8: 78_000_000n,
    debtRaw: 268_928_000_000_000_000_000_001n,
    repaidRaw: 134_464_017_910_880_000_000_000n,
    seizedRaw: 178_595_798_148_297_025_641_025n,
  },
  {
    key: "aave-v3:USDe/USDS:emode-11",
    priceE8: 78_000_000n,
    debtRaw: 268_928_000_000_000_000_000_001n,
    repaidRaw: 134_464_017_910_880_000_000_000n,
    seizedRaw: 175_492_782_350_353_641_025_640n,
  },
  {
    key: "morpho-blue:sUSDe/USDT-91.5",
    priceE8: 78_000_000n,
    debtRaw: 268_927_774_002n,
    repaidRaw: 268_927_794_468n,
    seizedRaw: 297_311_893_343_029_519_749_949n,
  },
  {
    key: "morpho-blue:USDe/USDT-91.5",
    priceE8: 78_000_000n,
    debtRaw: 268_928_000_000n,
    repaidRaw: 268_928_020_466n,
    seizedRaw: 353_801_450_401_282_051_282_051n,
  },
];

describe("appended deployments: USDS and the USDT Morpho markets", function () {
  it("are left out of the first part of the deployment and named in appended", function () {
    const params = defaultEmbeddedParams();
    expect(params.appended).to.deep.equal({
      tokens: ["USDS"],
      feeds: ["USDS/USD"],
      morphoMarkets: ["sUSDe/USDT-91.5", "USDe/USDT-91.5"],
      uniswapPools: ["USDe/USDS-0.01%"],
    });
    const first = withoutAppended(params);
    expect(first.tokens.map((t) => t.symbol)).to.not.include("USDS");
    expect(Object.keys(first.feedsE8)).to.not.include("USDS/USD");
    expect(first.aave.reserves.map((r) => r.asset)).to.not.include("USDS");
    expect(first.aave.eModes.map((e) => e.borrowable)).to.deep.equal([
      ["USDC", "USDT"],
      ["USDC", "USDT"],
    ]);
    expect(first.aave.seedSupplyRaw.USDS).to.equal(undefined);
    expect(first.morpho.markets.map((m) => m.key)).to.have.length(params.morpho.markets.length - 2);
    expect(first.uniswap.pools.map((p) => p.key)).to.not.include("USDe/USDS-0.01%");
  });

  it("lists USDS on Aave as on mainnet at the block: 75% LTV, 10% reserve factor, caps 800M/360M, borrowable in E-modes 2 and 11", async function () {
    const { ctx } = await loadEmbedded();
    const usds = ctx.record.tokens.USDS!.address;
    const pool = OriginPool__factory.connect(ctx.record.aave.pool, ctx.provider);
    const { id } = await Pool__factory.connect(ctx.record.aave.pool, ctx.provider).getReserveData(usds);
    for (const category of [2, 11]) {
      const borrowable = await pool.getEModeCategoryBorrowableBitmap(category);
      const collateral = await pool.getEModeCategoryCollateralBitmap(category);
      expect((borrowable >> id) & 1n, `borrowable in ${category}`).to.equal(1n);
      expect((collateral >> id) & 1n, `collateral in ${category}`).to.equal(0n);
    }
    const dp = new Contract(
      ctx.record.aave.dataProvider,
      [
        "function getReserveConfigurationData(address) view returns (uint256 decimals, uint256 ltv, uint256 liquidationThreshold, uint256 liquidationBonus, uint256 reserveFactor, bool usageAsCollateralEnabled, bool borrowingEnabled, bool stableBorrowRateEnabled, bool isActive, bool isFrozen)",
        "function getReserveCaps(address) view returns (uint256 borrowCap, uint256 supplyCap)",
      ],
      ctx.provider,
    );
    const c = await dp.getFunction("getReserveConfigurationData")(usds);
    expect([c[1], c[2], c[3], c[4], c[6]]).to.deep.equal([7500n, 7800n, 10750n, 1000n, true]);
    expect([...(await dp.getFunction("getReserveCaps")(usds))]).to.deep.equal([360_000_000n, 800_000_000n]);
    expect(await new UniswapV3Dex(ctx).venueOf("sUSDe", "USDS")).to.equal(
      "uniswap-v3:sUSDe/USDe-0.01%>USDe/USDS-0.01%",
    );
  });

  for (const c of CASES) {
    it(`${c.key}: a 5-round 80% flash loop of 100,000 USDe opens, and the bot liquidates it at USDe $${Number(c.priceE8) / 1e8}`, async function () {
      const { ctx, users } = await loadEmbedded();
      const [user, liq] = users;
      const [protocol, rest] = [c.key.slice(0, c.key.indexOf(":")), c.key.slice(c.key.indexOf(":") + 1)];
      if (protocol === "aave-v3") await applyAavePolicy(ctx, "market");
      else await applyMorphoPolicy(ctx, rest, "market");
      const market = openMarket(ctx, c.key);
      const dex = new UniswapV3Dex(ctx);
      await deal(ctx, "USDe", user, 100_000n * WAD);
      const loop = await runFlashLoop(ctx, market, dex, user, {
        initialSymbol: "USDe",
        initialRaw: 100_000n * WAD,
        rounds: 5,
        targetLtvWad: (80n * WAD) / 100n,
      });
      expect((await market.position(user.address)).liquidatable).to.equal(false);
      await setFeedPrice(ctx, "USDe/USD", c.priceE8);
      const bot = new LiquidationBot(ctx, dex, liq, { maxCallsPerPosition: 1 });
      const [o] = await bot.sweep(market, [user.address]);
      expect(bot.refusals).to.deep.equal([]);
      expect(o.mode).to.equal("flash");
      expect(o.sale!.soldRaw).to.equal(o.record.seizedRaw);
      expect([loop.debtBorrowedRaw, o.record.repaidRaw, o.record.seizedRaw]).to.deep.equal([
        c.debtRaw,
        c.repaidRaw,
        c.seizedRaw,
      ]);
      expect(o.profitRaw).to.be.greaterThan(0n);
    });
  }

  it("on Aave v3.0 too: USDS is a member of category 2 (one category per asset), so USDe/USDS:emode-2 borrows at 90/92/4", async function () {
    const { ctx, users } = await loadEmbeddedV30();
    const market = openMarket(ctx, "aave-v3:USDe/USDS:emode-2");
    const r = await market.riskParams();
    expect([r.maxLtvWad, r.liquidationThresholdWad, r.liquidationIncentiveWad]).to.deep.equal([
      (90n * WAD) / 100n,
      (92n * WAD) / 100n,
      (104n * WAD) / 100n,
    ]);
    const user = users[6];
    await deal(ctx, "USDe", user, 100_000n * WAD);
    await market.prepare(user);
    await market.supplyCollateral(user, 100_000n * WAD);
    await market.borrow(user, 89_000n * WAD);
    // HF = 100000 x 0.92 / 89000 = 1.0337078651685393258... (both at $1), rounded half up by v3.0 wadDiv.
    expect((await market.position(user.address)).healthFactorWad).to.equal(1_033_707_865_168_539_326n);
  });
});
