import { expect } from "chai";
import { Contract, MaxUint256 } from "ethers";
import { loadEmbeddedOrigin, aaveUsdeBorrower } from "../fixtures";
import { deal } from "../../src/chain/cheats";
import type { ChainContext } from "../../src/chain/context";
import type { TokenSymbol } from "../../src/domain/tokens";
import { SECONDS_PER_BLOCK, latestBlock } from "../../src/chain/clock";
import { WAD } from "../../src/constants";
import { applyAavePolicy } from "../../src/protocols/aave-v3";
import { setFeedPrice } from "../../src/oracles/feeds";
import { openMarket } from "../../src/protocols/registry";
import { AaveV3Market } from "../../src/protocols/aave-v3";
import { ensureAllowance } from "../../src/chain/erc20";
import {
  aTokenBalance,
  liquidationAmountsOrigin,
  normalizedDebtOrigin,
  normalizedIncomeOrigin,
  vTokenBalance,
} from "../../src/math/aave-v3-origin";
import { verifyThresholds } from "../../src/metrics/thresholds";
import { AToken__factory, Pool__factory, VariableDebtToken__factory } from "../../src/protocols/aave-v3-types";
import { OriginPool__factory } from "../../src/protocols/aave-v3-types";
import { UniswapV3Dex } from "../../src/dex/uniswap-v3";
import { deploymentSummary } from "../../src/report/deployment-summary";
import { runFlashLoop } from "../../src/strategies/flash-loop";
import { LiquidationBot } from "../../src/strategies/liquidation-bot";

const USDC = (n: bigint) => n * 10n ** 6n;

/** A USDe/USDC E-mode borrower on the origin Pool, the USDe oracle on the market feed, and a funded liquidator. */
async function originBorrower(collateralWad: bigint, debtRaw: bigint) {
  const f = await loadEmbeddedOrigin();
  const [user, liquidator] = f.users;
  const market = await aaveUsdeBorrower(f.ctx, user, collateralWad, debtRaw);
  await deal(f.ctx, "USDC", liquidator, debtRaw * 2n);
  await ensureAllowance(f.ctx, liquidator, "USDC", market.spender, MaxUint256);
  return { ...f, market, user, liquidator, account: await user.getAddress() };
}

/** LiquidationLogic's amounts at the next block, from the reserves' indexes and the account's scaled balances. */
async function expectedAt(m: Awaited<ReturnType<typeof originBorrower>>, feedPriceE8: bigint) {
  const { ctx, market, account } = m;
  const at = (await latestBlock(ctx.provider)).timestamp + BigInt(SECONDS_PER_BLOCK);
  const pool = Pool__factory.connect(ctx.record.aave.pool, ctx.provider);
  const collRes = await pool.getReserveData(ctx.record.tokens.USDe!.address);
  const debtRes = await pool.getReserveData(ctx.record.tokens.USDC!.address);
  const scaledColl = await AToken__factory.connect(collRes.aTokenAddress, ctx.provider).scaledBalanceOf(account);
  const scaledDebt = await VariableDebtToken__factory.connect(
    debtRes.variableDebtTokenAddress,
    ctx.provider,
  ).scaledBalanceOf(account);
  const model = await market.liquidationModel(account, ctx.record.feeds["USDe/USD"], at);
  const risk = await market.riskParams();
  const prices = await market.pricesBase();
  const userDebtRaw = vTokenBalance(scaledDebt, normalizedDebtOrigin(debtRes, at));
  return liquidationAmountsOrigin({
    userDebtRaw,
    userCollateralRaw: aTokenBalance(scaledColl, normalizedIncomeOrigin(collRes, at)),
    debtToCoverRequested: MaxUint256,
    healthFactorWad: model.healthFactorWad(feedPriceE8),
    totalDebtBase: (userDebtRaw * prices.debt + 10n ** 6n - 1n) / 10n ** 6n,
    collateralPriceBase: prices.collateral,
    debtPriceBase: prices.debt,
    collateralDecimals: 18,
    debtDecimals: 6,
    liquidationBonusBps: BigInt(risk.raw.liquidationBonusBps),
    liquidationProtocolFeeBps: BigInt(risk.raw.liquidationProtocolFeeBps),
  });
}

/** Of `symbols`, those an origin-line E-mode category takes as collateral and lets borrow (its bitmaps on chain). */
async function eModeMembers(
  ctx: ChainContext,
  category: number,
  symbols: TokenSymbol[],
): Promise<{ collateral: TokenSymbol[]; borrowable: TokenSymbol[] }> {
  const pool = OriginPool__factory.connect(ctx.record.aave.pool, ctx.provider);
  const [collateralBitmap, borrowableBitmap] = [
    await pool.getEModeCategoryCollateralBitmap(category),
    await pool.getEModeCategoryBorrowableBitmap(category),
  ];
  const ids = await Promise.all(
    symbols.map(async (t) => (await pool.getReserveData(ctx.record.tokens[t]!.address)).id),
  );
  const inBitmap = (bitmap: bigint) => symbols.filter((_, i) => ((bitmap >> ids[i]) & 1n) === 1n);
  return { collateral: inBitmap(collateralBitmap), borrowable: inBitmap(borrowableBitmap) };
}

describe("Aave V3 origin line (v3.6 from npm sources, Pool revision 10)", function () {
  it("deploys with liquid E-mode: USDe/sUSDe collateral, USDC/USDT borrowable, read through the adapter", async function () {
    const { ctx } = await loadEmbeddedOrigin();
    expect(ctx.record.aave.release).to.equal("origin-v3.6");
    expect(await Pool__factory.connect(ctx.record.aave.pool, ctx.provider).POOL_REVISION()).to.equal(10n);
    const members = await eModeMembers(ctx, 2, ["USDe", "sUSDe", "USDC", "USDT", "DAI"]);
    expect(members).to.deep.equal({ collateral: ["USDe", "sUSDe"], borrowable: ["USDC", "USDT"] });
    const r = await openMarket(ctx, "aave-v3:sUSDe/USDT:emode-2").riskParams();
    expect([r.maxLtvWad, r.liquidationThresholdWad, r.liquidationIncentiveWad]).to.deep.equal([
      (90n * WAD) / 100n,
      (92n * WAD) / 100n,
      (104n * WAD) / 100n,
    ]);
    expect(r.version).to.equal("aave-v3 Pool revision 10");
    const summary = await deploymentSummary(ctx.record, ctx.provider);
    expect(summary).to.match(/revision 10: origin-v3\.6/);
    expect(summary).to.match(
      /\| 2 +\| sUSDe Stablecoins \| 90\.00% \| 92\.00% +\| 4\.00% +\| USDe, sUSDe +\| USDC, USDT, USDS +\|/,
    );
    // Not collateral in category 2: the reserve's own parameters apply.
    expect((await openMarket(ctx, "aave-v3:DAI/USDC:emode-2").riskParams()).liquidationThresholdWad).to.equal(
      (77n * WAD) / 100n,
    );
  });

  it("has mainnet's E-mode 11 (USDe Stablecoin, 90/93/2%): USDe collateral, USDC/USDT borrowable; a loop runs in it", async function () {
    const { ctx, users } = await loadEmbeddedOrigin();
    const members = await eModeMembers(ctx, 11, ["USDe", "sUSDe", "USDC", "USDT", "DAI"]);
    expect(members).to.deep.equal({ collateral: ["USDe"], borrowable: ["USDC", "USDT"] });
    const market = openMarket(ctx, "aave-v3:USDe/USDC:emode-11");
    const r = await market.riskParams();
    expect([r.maxLtvWad, r.liquidationThresholdWad, r.liquidationIncentiveWad]).to.deep.equal([
      (90n * WAD) / 100n,
      (93n * WAD) / 100n,
      (102n * WAD) / 100n,
    ]);
    // sUSDe is not collateral in category 11: its own reserve parameters apply.
    expect((await openMarket(ctx, "aave-v3:sUSDe/USDC:emode-11").riskParams()).liquidationThresholdWad).to.equal(
      (75n * WAD) / 100n,
    );
    const user = users[5];
    await deal(ctx, "USDe", user, 100_000n * WAD);
    await market.prepare(user);
    await market.supplyCollateral(user, 100_000n * WAD);
    await market.borrow(user, USDC(89_000n)); // under the 90% LTV of the category; 72% outside it
    // HF = 100000 x 0.93 / 89000 = 1.044943820224719101 (USDe and USDC at $1; debt valued rounding up).
    expect((await market.position(await user.getAddress())).healthFactorWad).to.equal(1_044_943_820_224_719_101n);
  });

  it("refuses to borrow a non-borrowable asset in E-mode, with the origin custom error decoded", async function () {
    const { ctx, users } = await loadEmbeddedOrigin();
    const market = openMarket(ctx, "aave-v3:USDe/DAI:emode-2") as AaveV3Market;
    await deal(ctx, "USDe", users[0], 10_000n * WAD);
    await market.prepare(users[0]);
    await market.supplyCollateral(users[0], 10_000n * WAD);
    await expect(market.borrow(users[0], 1_000n * WAD)).to.be.rejectedWith(/NotBorrowableInEMode/);
  });

  it("liquidates a large position at HF > 0.95 with the 50% close factor, amounts exactly as the origin LiquidationLogic", async function () {
    const m = await originBorrower(1_000_000n * WAD, USDC(850_000n));
    await setFeedPrice(m.ctx, "USDe/USD", 90_000_000n); // HF = 1e6 x 0.9 x 0.92 / 850k = 0.974
    const expected = await expectedAt(m, 90_000_000n);
    expect(expected.leavesDust).to.equal(false);
    const rec = await m.market.liquidate(m.liquidator, m.account, MaxUint256);
    expect(rec.repaidRaw).to.equal(expected.debtRepaidRaw);
    expect(rec.seizedRaw).to.equal(expected.collateralToLiquidatorRaw);
    expect(rec.protocolFeeRaw).to.equal(expected.protocolFeeRaw);
    expect(Number(rec.repaidRaw) / Number(USDC(850_000n))).to.be.closeTo(0.5, 0.001);
    expect(rec.badDebtRaw).to.equal(0n);
  });

  it("liquidates a position under $2,000 in full even at HF > 0.95 (v3.3 rule; v3.0 would take 50%)", async function () {
    const m = await originBorrower(1_500n * WAD, USDC(1_300n));
    await setFeedPrice(m.ctx, "USDe/USD", 93_000_000n); // HF = 1500 x 0.93 x 0.92 / 1300 = 0.987
    const expected = await expectedAt(m, 93_000_000n);
    const rec = await m.market.liquidate(m.liquidator, m.account, MaxUint256);
    expect(rec.repaidRaw).to.equal(expected.debtRepaidRaw);
    expect(rec.seizedRaw).to.equal(expected.collateralToLiquidatorRaw);
    expect(rec.repaidRaw).to.be.greaterThan(USDC(1_299n)); // the whole debt
  });

  it("books the debt left on an account with no collateral as the reserve's deficit (DeficitCreated), measured as bad debt", async function () {
    const m = await originBorrower(100_000n * WAD, USDC(90_000n));
    await setFeedPrice(m.ctx, "USDe/USD", 80_000_000n); // collateral $80k x 1.04 bonus < $90k debt: bad debt
    const rec = await m.market.liquidate(m.liquidator, m.account, MaxUint256);
    expect(rec.badDebtRaw).to.be.greaterThan(0n);
    const dp = new Contract(
      m.ctx.record.aave.dataProvider,
      ["function getReserveDeficit(address) view returns (uint256)"],
      m.ctx.provider,
    );
    expect(await dp.getReserveDeficit(m.ctx.record.tokens.USDC!.address)).to.equal(rec.badDebtRaw);
    // The account is left with neither collateral nor debt: nothing liquidatable, the loss sits with the reserve.
    const after = await m.market.position(m.account);
    expect([after.debt[0].amountRaw, after.collateral[0].amountRaw, after.liquidatable]).to.deep.equal([0n, 0n, false]);
    // Repaid + deficit = the whole debt at the liquidation block.
    expect(Number(rec.repaidRaw + rec.badDebtRaw) / 1e6).to.be.closeTo(90_000, 1);
  });

  it("analytic liquidation price and close-factor boundary equal the on-chain bisection to the oracle unit", async function () {
    const m = await originBorrower(100_000n * WAD, USDC(80_000n));
    const r = await verifyThresholds(m.ctx, m.market, m.account, "USDe/USD", m.liquidator);
    expect(r.protocolVersion).to.equal("aave-v3 Pool revision 10");
    expect(r.model).to.match(/origin-line/);
    expect(BigInt(r.liquidation.differenceE8)).to.be.lessThanOrEqual(1n);
    expect(Number(r.liquidation.onChain.largestTrueE8) / 1e8).to.be.closeTo(80_000 / (100_000 * 0.92), 1e-4);
    expect(r.liquidation.onChain.refusal).to.match(/HealthFactorNotBelowThreshold/);
    expect(BigInt(r.closeFactor!.differenceE8)).to.be.lessThanOrEqual(1n);
    expect(Number(r.closeFactor!.onChain.largestTrueE8) / 1e8).to.be.closeTo((0.95 * 80_000) / (100_000 * 0.92), 1e-4);
  });

  it("our tools run unchanged on it: a one-transaction flash loop, then a flash liquidation that sells the seized USDe", async function () {
    const { ctx, users } = await loadEmbeddedOrigin();
    const [user, liq] = users;
    await applyAavePolicy(ctx, "market");
    const market = openMarket(ctx, "aave-v3:USDe/USDC:emode-2") as AaveV3Market;
    const dex = new UniswapV3Dex(ctx);
    await deal(ctx, "USDe", user, 100_000n * WAD);
    const loop = await runFlashLoop(ctx, market, dex, user, {
      initialSymbol: "USDe",
      initialRaw: 100_000n * WAD,
      rounds: 5,
      targetLtvWad: (80n * WAD) / 100n,
    });
    expect(loop.debtBorrowedRaw).to.equal(loop.flashAmountRaw + loop.flashPremiumRaw);
    expect(Number(loop.final.collateral[0].amountRaw / 10n ** 18n)).to.be.closeTo(368_928, 400); // 100k x (1 + 0.8 + ... + 0.8^5), less the swap's cost
    await setFeedPrice(ctx, "USDe/USD", 85_000_000n); // HF = 368.8k x 0.85 x 0.92 / 268.9k = 1.07
    expect((await market.position(user.address)).liquidatable).to.equal(false);
    await setFeedPrice(ctx, "USDe/USD", 78_000_000n); // HF 0.984: 50% close factor
    const bot = new LiquidationBot(ctx, dex, liq, { maxCallsPerPosition: 1 });
    const [o] = await bot.sweep(market, [user.address]);
    expect(bot.refusals).to.deep.equal([]);
    expect(o.mode).to.equal("flash");
    expect(Number(o.record.repaidRaw) / Number(loop.debtBorrowedRaw)).to.be.closeTo(0.5, 0.001);
    expect(o.sale!.soldRaw).to.equal(o.record.seizedRaw);
    expect(o.profitRaw).to.be.greaterThan(0n);
  });

  it("flash loops of many sizes open: the credit delegation covers the debt v3.5 rounding actually mints", async function () {
    const { ctx, users } = await loadEmbeddedOrigin();
    const market = openMarket(ctx, "aave-v3:USDe/USDC:emode-2") as AaveV3Market;
    const dex = new UniswapV3Dex(ctx);
    for (const [i, whole] of [12_345n, 33_333n, 57_171n, 98_765n, 123_457n, 171_717n].entries()) {
      const user = users[2 + i];
      const initialRaw = whole * WAD + 123_456_789n;
      await deal(ctx, "USDe", user, initialRaw);
      const loop = await runFlashLoop(ctx, market, dex, user, {
        initialSymbol: "USDe",
        initialRaw,
        rounds: 5,
        targetLtvWad: (83n * WAD) / 100n,
      });
      const debt = loop.final.debt[0].amountRaw;
      expect(debt - (loop.flashAmountRaw + loop.flashPremiumRaw), `size ${whole}`).to.be.within(0n, 2n);
    }
  });
});
