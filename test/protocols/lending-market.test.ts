import { expect } from "chai";
import { MaxUint256 } from "ethers";
import { loadEmbedded, aaveUsdeBorrower } from "../fixtures";
import type { EmbeddedFixture } from "../fixtures";
import { deal } from "../../src/chain/cheats";
import { SECONDS_PER_BLOCK, latestBlock } from "../../src/chain/clock";
import { Morpho__factory } from "../../typechain-types";
import { ORACLE_PRICE_SCALE, WAD } from "../../src/constants";
import { InputError } from "../../src/errors";
import { applyMorphoPolicy } from "../../src/protocols/morpho-blue";
import { setFeedPrice } from "../../src/oracles/feeds";
import { openMarket } from "../../src/protocols/registry";
import { riskParamsOnce, type RiskParams } from "../../src/protocols/lending-market";
import type { ChainContext } from "../../src/chain/context";
import { MorphoBlueMarket } from "../../src/protocols/morpho-blue";
import { ensureAllowance } from "../../src/chain/erc20";
import { liquidationAmounts, normalizedDebt, normalizedIncome, rayMul } from "../../src/math/aave-v3";
import { mulDivUp, wDivUp } from "../../src/math/fixed-point";
import {
  accruedBorrowAssets,
  liquidationIncentiveFactor,
  seizedForRepaidShares,
  toAssetsUp,
  toSharesUp,
} from "../../src/math/morpho-blue";
import { IIrm__factory } from "../../typechain-types";
import { AToken__factory, Pool__factory, VariableDebtToken__factory } from "../../src/protocols/aave-v3-types";

const USDC = (n: bigint) => n * 10n ** 6n;

/**
 * A borrower with 100,000 USDe against 90,000 DAI on USDe/DAI-91.5 (oracle on the USDe/USD feed, then moved to
 * `priceE8`), and a liquidator holding DAI with its approval in place.
 */
async function morphoBorrowerAt(priceE8: bigint) {
  const { ctx, users } = await loadEmbedded();
  const [user, liquidator] = users;
  await applyMorphoPolicy(ctx, "USDe/DAI-91.5", "market");
  const market = openMarket(ctx, "morpho-blue:USDe/DAI-91.5") as MorphoBlueMarket;
  await deal(ctx, "USDe", user, 100_000n * WAD);
  await market.supplyCollateral(user, 100_000n * WAD);
  await market.borrow(user, 90_000n * WAD);
  await setFeedPrice(ctx, "USDe/USD", priceE8);
  await deal(ctx, "DAI", liquidator, 200_000n * WAD);
  await ensureAllowance(ctx, liquidator, "DAI", market.spender, MaxUint256);
  return { ctx, market, account: await user.getAddress(), liquidator };
}

/** Market totals as Morpho's _accrueInterest will see them in the next block (the IRM's own view rate). */
async function totalsAtNextBlock(ctx: EmbeddedFixture["ctx"], market: MorphoBlueMarket) {
  const at = (await latestBlock(ctx.provider)).timestamp + BigInt(SECONDS_PER_BLOCK);
  const m = await Morpho__factory.connect(ctx.record.morpho.morpho, ctx.provider).market(market.id);
  const rate = await IIrm__factory.connect(market.record.irm, ctx.provider).borrowRateView(market.marketParams, {
    totalSupplyAssets: m.totalSupplyAssets,
    totalSupplyShares: m.totalSupplyShares,
    totalBorrowAssets: m.totalBorrowAssets,
    totalBorrowShares: m.totalBorrowShares,
    lastUpdate: m.lastUpdate,
    fee: m.fee,
  });
  return { m, totalBorrow: accruedBorrowAssets(m.totalBorrowAssets, rate, at - m.lastUpdate) };
}

describe("protocol adapters", function () {
  describe("Aave V3", function () {
    it("reads E-mode risk parameters and the Pool revision from chain", async function () {
      const { ctx } = await loadEmbedded();
      const r = await openMarket(ctx, "aave-v3:USDe/USDC:emode-2").riskParams();
      expect([r.maxLtvWad, r.liquidationThresholdWad, r.liquidationIncentiveWad]).to.deep.equal([
        (90n * WAD) / 100n,
        (92n * WAD) / 100n,
        (104n * WAD) / 100n,
      ]);
      expect(r.version).to.equal("aave-v3 Pool revision 10");
      const plain = await openMarket(ctx, "aave-v3:USDe/USDC").riskParams();
      expect(plain.liquidationThresholdWad).to.equal((75n * WAD) / 100n);
    });

    it("liquidates with the repaid/seized/fee amounts LiquidationLogic gives from on-chain state", async function () {
      const { ctx, users } = await loadEmbedded();
      const [user, liquidator] = users;
      const market = await aaveUsdeBorrower(ctx, user, 100_000n * WAD, USDC(85_000n));
      const account = await user.getAddress();
      expect(await market.borrowersFromEvents(0, await ctx.provider.getBlockNumber())).to.deep.equal([account]);
      expect((await market.liquidatable([account])).length).to.equal(0);

      await setFeedPrice(ctx, "USDe/USD", 90_000_000n); // HF = 100000 x 0.9 x 0.92 / 85000 = 0.974: close factor 50%
      expect(await market.liquidatable([account])).to.deep.equal([account]);
      await deal(ctx, "USDC", liquidator, USDC(100_000n));
      await ensureAllowance(ctx, liquidator, "USDC", market.spender, MaxUint256);

      // Expected amounts at the liquidation block's timestamp, from the reserves' indexes and the user's scaled balances.
      const at = (await latestBlock(ctx.provider)).timestamp + BigInt(SECONDS_PER_BLOCK);
      const pool = Pool__factory.connect(ctx.record.aave.pool, ctx.provider);
      const usde = ctx.record.tokens.USDe!.address;
      const usdc = ctx.record.tokens.USDC!.address;
      const collRes = await pool.getReserveData(usde);
      const debtRes = await pool.getReserveData(usdc);
      const scaledColl = await AToken__factory.connect(collRes.aTokenAddress, ctx.provider).scaledBalanceOf(account);
      const scaledDebt = await VariableDebtToken__factory.connect(
        debtRes.variableDebtTokenAddress,
        ctx.provider,
      ).scaledBalanceOf(account);
      const model = await market.liquidationModel(account, ctx.record.feeds["USDe/USD"], at);
      const risk = await market.riskParams();
      const prices = await market.pricesBase();
      const expected = liquidationAmounts({
        userDebtRaw: rayMul(scaledDebt, normalizedDebt(debtRes, at)),
        userCollateralRaw: rayMul(scaledColl, normalizedIncome(collRes, at)),
        debtToCoverRequested: MaxUint256,
        healthFactorWad: model.healthFactorWad(90_000_000n),
        collateralPriceBase: prices.collateral,
        debtPriceBase: prices.debt,
        collateralDecimals: 18,
        debtDecimals: 6,
        liquidationBonusBps: BigInt(risk.raw.liquidationBonusBps),
        liquidationProtocolFeeBps: BigInt(risk.raw.liquidationProtocolFeeBps),
      });
      expect(expected.closeFactorBps).to.equal(5_000n);

      const rec = await market.liquidate(liquidator, account, MaxUint256);
      expect(rec.block).to.equal(Number((await latestBlock(ctx.provider)).number));
      expect(rec.repaidRaw).to.equal(expected.debtRepaidRaw);
      expect(rec.seizedRaw).to.equal(expected.collateralToLiquidatorRaw);
      expect(rec.protocolFeeRaw).to.equal(expected.protocolFeeRaw);
      expect(rec.protocolFeeRaw).to.be.greaterThan(0n);
      expect(rec.badDebtRaw).to.equal(0n);
      expect(rec.healthFactorBeforeWad).to.be.lessThan(WAD);
      expect(rec.healthFactorAfterWad).to.be.greaterThan(rec.healthFactorBeforeWad);
      // Bonus = seized value at the oracle minus the debt repaid: 4% of the repaid debt less the fee's share.
      expect(Number(rec.bonusRaw) / Number(rec.repaidRaw)).to.be.closeTo(0.04 * 0.9, 0.001);
    });
  });

  describe("Morpho Blue", function () {
    it("reads LLTV and the LLTV-derived incentive from chain", async function () {
      const { ctx } = await loadEmbedded();
      const r = await openMarket(ctx, "morpho-blue:USDe/DAI-86").riskParams();
      expect(r.liquidationThresholdWad).to.equal((86n * WAD) / 100n);
      expect(r.liquidationIncentiveWad).to.equal(liquidationIncentiveFactor((86n * WAD) / 100n));
    });

    it("liquidates the whole debt by shares with the seized amount liquidate() computes", async function () {
      const { ctx, market, account, liquidator } = await morphoBorrowerAt(97_000_000n); // 100000 x 0.97 x 0.915 = 88755 < 90000
      expect((await market.position(account)).liquidatable).to.equal(true);

      const morpho = Morpho__factory.connect(ctx.record.morpho.morpho, ctx.provider);
      const { m, totalBorrow } = await totalsAtNextBlock(ctx, market);
      const { borrowShares } = await morpho.position(market.id, account);
      const price = await market.oraclePrice();
      const expectedSeized = seizedForRepaidShares(
        borrowShares,
        price,
        BigInt(market.record.lltv),
        totalBorrow,
        m.totalBorrowShares,
      );

      const rec = await market.liquidate(liquidator, account, MaxUint256);
      expect(rec.seizedRaw).to.equal(expectedSeized);
      expect(rec.repaidRaw).to.equal(toAssetsUp(borrowShares, totalBorrow, m.totalBorrowShares));
      expect(rec.badDebtRaw).to.equal(0n);
      expect((await morpho.position(market.id, account)).borrowShares).to.equal(0n);
      expect(rec.collateralPriceWad).to.equal(price / (ORACLE_PRICE_SCALE / WAD));
    });

    it("measures bad debt when the collateral is exhausted", async function () {
      const { ctx, market, account, liquidator } = await morphoBorrowerAt(65_000_000n); // collateral worth 65,000 DAI against 90,000 of debt

      const morpho = Morpho__factory.connect(ctx.record.morpho.morpho, ctx.provider);
      const { m, totalBorrow } = await totalsAtNextBlock(ctx, market);
      const supplyBefore = m.totalSupplyAssets + (totalBorrow - m.totalBorrowAssets);
      const pos = await morpho.position(market.id, account);
      const price = await market.oraclePrice();
      // liquidate(seizedAssets = all collateral), then the remaining shares are bad debt.
      const incentive = liquidationIncentiveFactor(BigInt(market.record.lltv));
      const repaidShares = toSharesUp(
        wDivUp(mulDivUp(pos.collateral, price, ORACLE_PRICE_SCALE), incentive),
        totalBorrow,
        m.totalBorrowShares,
      );
      const repaidAssets = toAssetsUp(repaidShares, totalBorrow, m.totalBorrowShares);
      const borrowAfter = totalBorrow - repaidAssets;
      const sharesAfter = m.totalBorrowShares - repaidShares;
      const badShares = pos.borrowShares - repaidShares;
      const badAssetsRaw = toAssetsUp(badShares, borrowAfter, sharesAfter);
      const expectedBad = badAssetsRaw < borrowAfter ? badAssetsRaw : borrowAfter;

      const rec = await market.liquidate(liquidator, account, MaxUint256);
      expect(rec.seizedRaw).to.equal(pos.collateral);
      expect(rec.repaidRaw).to.equal(repaidAssets);
      expect(rec.badDebtRaw).to.equal(expectedBad);
      expect(Number(rec.badDebtRaw) / 1e18).to.be.closeTo(90_000 - (65_000 / Number(incentive)) * 1e18, 5);
      // Suppliers absorb it: the market's supply assets fall by the bad debt.
      expect((await morpho.market(market.id)).totalSupplyAssets).to.equal(supplyBefore - expectedBad);
      expect((await morpho.position(market.id, account)).borrowShares).to.equal(0n);
    });
  });

  describe("market keys", function () {
    it("names the field and the fix for unknown protocols, tokens and markets", async function () {
      const { ctx } = await loadEmbedded();
      const bad: [string, RegExp][] = [
        ["compound:USDe/USDC", /unknown protocol in "compound:USDe\/USDC" — use one of aave-v3, morpho-blue/],
        ["aave-v3:FRAX/USDC", /unknown token "FRAX"/],
        ["morpho-blue:USDe/USDC-91.5", /unknown Morpho market "USDe\/USDC-91.5" — use one of/],
        ["aave-v3:USDe-USDC", /is not an Aave market key/],
      ];
      for (const [key, message] of bad) {
        expect(() => openMarket(ctx, key, "--market"), key)
          .to.throw(InputError, message)
          .with.property("field", "--market");
      }
    });
  });
});

describe("batched health factors", function () {
  it("equal each position's own health factor, on both protocols", async function () {
    const { ctx, users } = await loadEmbedded();
    for (const [key, collateral, borrow] of [
      ["aave-v3:USDe/USDC:emode-2", 100_000n * WAD, 80_000n * 10n ** 6n],
      ["morpho-blue:USDe/DAI-91.5", 100_000n * WAD, 85_000n * WAD],
    ] as const) {
      const market = openMarket(ctx, key);
      const accounts: string[] = [];
      for (const [i, u] of users.slice(0, 3).entries()) {
        await deal(ctx, "USDe", u, collateral);
        await market.prepare(u);
        await market.supplyCollateral(u, collateral);
        if (i > 0) await market.borrow(u, (borrow * BigInt(i)) / 2n);
        accounts.push(u.address);
      }
      const batched = await market.healthFactors(accounts);
      const one = await Promise.all(accounts.map(async (a) => (await market.position(a)).healthFactorWad));
      expect(batched, key).to.deep.equal(one);
      expect(batched[0]).to.equal(MaxUint256);
    }
  });
});

describe("risk parameters, read once per chain context", function () {
  const params = (ltvWad: bigint): RiskParams => ({
    protocol: "aave-v3",
    market: "aave-v3:USDe/USDC",
    collateral: "USDe",
    debt: "USDC",
    maxLtvWad: ltvWad,
    liquidationThresholdWad: ltvWad,
    liquidationIncentiveWad: WAD,
    protocolFeeOfBonusWad: 0n,
    version: "test",
    raw: { ltvBps: "9000" },
  });

  it("asks the chain once per context and market; each caller gets its own copy", async function () {
    const reads: string[] = [];
    const read = (key: string, ltvWad: bigint) => async () => {
      reads.push(key);
      return params(ltvWad);
    };
    const first = {} as ChainContext;
    const second = {} as ChainContext;
    const a = await riskParamsOnce(first, "m1", read("first m1", 1n));
    a.raw.ltvBps = "changed by a caller";
    expect(await riskParamsOnce(first, "m1", read("first m1 again", 2n))).to.deep.equal(params(1n));
    expect((await riskParamsOnce(first, "m2", read("first m2", 3n))).maxLtvWad).to.equal(3n);
    expect((await riskParamsOnce(second, "m1", read("second m1", 4n))).maxLtvWad).to.equal(4n);
    expect(reads).to.deep.equal(["first m1", "first m2", "second m1"]);
  });

  it("keeps nothing from a read that fails: the next asks again", async function () {
    const ctx = {} as ChainContext;
    let calls = 0;
    const failing = async (): Promise<RiskParams> => {
      calls += 1;
      throw new Error("node refused");
    };
    await riskParamsOnce(ctx, "m", failing).then(
      () => expect.fail("the read failed"),
      (err: Error) => expect(err.message).to.equal("node refused"),
    );
    expect((await riskParamsOnce(ctx, "m", async () => params(5n))).maxLtvWad).to.equal(5n);
    expect(calls).to.equal(1);
  });
});
