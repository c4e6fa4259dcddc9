/**
 * Unit tests for src/math/aave-v3-origin.ts (Aave origin line, @aave-dao/aave-v3-origin 3.6.0) against
 * independently derived values.
 *
 * Exports covered (all of them):
 *   ORIGIN_DEFAULT_CLOSE_FACTOR_BPS, ORIGIN_MIN_BASE_MAX_CLOSE_FACTOR_THRESHOLD, ORIGIN_MIN_LEFTOVER_BASE
 *                                       (LiquidationLogic.sol constants)
 *   rayMulFloor, rayMulCeil             (WadRayMath.sol)
 *   mulDivCeil                          (MathUtils.sol)
 *   percentDivCeil                      (PercentageMath.sol)
 *   compoundedInterestOrigin            (MathUtils.sol calculateCompoundedInterest, origin line)
 *   normalizedIncomeOrigin, normalizedDebtOrigin (ReserveLogic.sol)
 *   aTokenBalance, vTokenBalance        (TokenMath.sol getATokenBalance / getVTokenBalance)
 *   collateralValueBase, debtValueBase  (GenericLogic.sol _getUserBalanceInBaseCurrency / _getUserDebtInBaseCurrency)
 *   healthFactorOrigin                  (GenericLogic.sol calculateUserAccountData)
 *   fullCloseFactorOrigin               (LiquidationLogic.sol executeLiquidationCall, close-factor branch)
 *   liquidationAmountsOrigin            (executeLiquidationCall + _calculateAvailableCollateralToLiquidate + dust rule)
 * (OriginLiquidationInputs and OriginLiquidationAmounts are types only.)
 *
 * Expected values are literals worked by hand (arithmetic in the comments) or come from the reference functions
 * below, transcribed from node_modules/@aave-dao/aave-v3-origin/src/contracts/protocol/libraries.
 */
import { expect } from "chai";
import { MaxUint256 } from "ethers";
import { normalizedIncome } from "../../src/math/aave-v3";
import {
  ORIGIN_DEFAULT_CLOSE_FACTOR_BPS,
  ORIGIN_MIN_BASE_MAX_CLOSE_FACTOR_THRESHOLD,
  ORIGIN_MIN_LEFTOVER_BASE,
  OriginLiquidationInputs,
  aTokenBalance,
  collateralValueBase,
  compoundedInterestOrigin,
  debtValueBase,
  fullCloseFactorOrigin,
  healthFactorOrigin,
  liquidationAmountsOrigin,
  mulDivCeil,
  normalizedDebtOrigin,
  normalizedIncomeOrigin,
  percentDivCeil,
  rayMulCeil,
  rayMulFloor,
  vTokenBalance,
} from "../../src/math/aave-v3-origin";
import { UINT256_MAX, seededBigints } from "./helpers";

const RAY = 10n ** 27n;
const WAD = 10n ** 18n;
const YEAR = 31_536_000n;
const USD = 10n ** 8n; // base currency unit
const HF_095 = 95n * 10n ** 16n;

// ---- References, transcribed from @aave-dao/aave-v3-origin 3.6.0 --------------------------------------------------
// WadRayMath.sol rayMul (half-up), wadDiv (half-up); MathUtils.sol mulDivCeil = product / c + (product % c != 0).
const refRayMul = (a: bigint, b: bigint): bigint => (a * b + RAY / 2n) / RAY;
const refWadDiv = (a: bigint, b: bigint): bigint => (a * WAD + b / 2n) / b;
const refMulDivCeil = (a: bigint, b: bigint, c: bigint): bigint => (a * b) / c + ((a * b) % c !== 0n ? 1n : 0n);
// PercentageMath.sol: percentMul / percentDiv half-up; percentDivCeil = val / p + (val % p != 0), val = v * 1e4.
const refPercentMul = (v: bigint, p: bigint): bigint => (v * p + 5_000n) / 10_000n;
const refPercentDiv = (v: bigint, p: bigint): bigint => (v * 10_000n + p / 2n) / p;
const refPercentDivCeil = (v: bigint, p: bigint): bigint => refMulDivCeil(v, 10_000n, p);
// MathUtils.sol (origin): x = rate * exp / year; RAY + x + x.rayMul(x / 2 + x.rayMul(x / 6)).
function refCompoundedOrigin(rate: bigint, last: bigint, now: bigint): bigint {
  const exp = now - last;
  if (exp === 0n) return RAY;
  const x = (rate * exp) / YEAR;
  return RAY + x + refRayMul(x, x / 2n + refRayMul(x, x / 6n));
}
type RefOut = [bigint, bigint, bigint, bigint, boolean];
// LiquidationLogic.sol executeLiquidationCall / _calculateAvailableCollateralToLiquidate (origin 3.6), one
// collateral and one debt reserve; returns [maxLiquidatableDebt, debt, collateral to liquidator, fee, dust revert].
function refLiquidationOrigin(p: OriginLiquidationInputs): RefOut {
  const collateralAssetUnit = 10n ** BigInt(p.collateralDecimals);
  const debtAssetUnit = 10n ** BigInt(p.debtDecimals);
  const debtInBase = refMulDivCeil(p.userDebtRaw, p.debtPriceBase, debtAssetUnit);
  const collateralInBase = (p.userCollateralRaw * p.collateralPriceBase) / collateralAssetUnit;
  let maxLiquidatableDebt = p.userDebtRaw;
  if (collateralInBase >= 2_000n * USD && debtInBase >= 2_000n * USD && p.healthFactorWad > HF_095) {
    const totalDefaultLiquidatableDebtInBase = refPercentMul(p.totalDebtBase, 5_000n);
    if (debtInBase > totalDefaultLiquidatableDebtInBase) {
      maxLiquidatableDebt = (totalDefaultLiquidatableDebtInBase * debtAssetUnit) / p.debtPriceBase;
    }
  }
  let actualDebt = p.debtToCoverRequested > maxLiquidatableDebt ? maxLiquidatableDebt : p.debtToCoverRequested;
  const baseCollateral = (p.debtPriceBase * actualDebt * collateralAssetUnit) / (p.collateralPriceBase * debtAssetUnit);
  const maxCollateralToLiquidate = refPercentMul(baseCollateral, p.liquidationBonusBps);
  let collateralAmount: bigint;
  if (maxCollateralToLiquidate > p.userCollateralRaw) {
    collateralAmount = p.userCollateralRaw;
    actualDebt = refPercentDivCeil(
      (p.collateralPriceBase * collateralAmount * debtAssetUnit) / (p.debtPriceBase * collateralAssetUnit),
      p.liquidationBonusBps,
    );
  } else {
    collateralAmount = maxCollateralToLiquidate;
  }
  let fee = 0n;
  if (p.liquidationProtocolFeeBps !== 0n) {
    const bonusCollateral = collateralAmount - refPercentDiv(collateralAmount, p.liquidationBonusBps);
    fee = refPercentMul(bonusCollateral, p.liquidationProtocolFeeBps);
    collateralAmount -= fee;
  }
  let dust = false;
  if (actualDebt < p.userDebtRaw && collateralAmount + fee < p.userCollateralRaw) {
    const debtOk = refMulDivCeil(p.userDebtRaw - actualDebt, p.debtPriceBase, debtAssetUnit) >= 1_000n * USD;
    const collOk =
      ((p.userCollateralRaw - collateralAmount - fee) * p.collateralPriceBase) / collateralAssetUnit >= 1_000n * USD;
    dust = !(debtOk && collOk);
  }
  return [maxLiquidatableDebt, actualDebt, collateralAmount, fee, dust];
}
const tuple = (r: ReturnType<typeof liquidationAmountsOrigin>): RefOut => [
  r.maxLiquidatableDebtRaw,
  r.debtRepaidRaw,
  r.collateralToLiquidatorRaw,
  r.protocolFeeRaw,
  r.leavesDust,
];

/** USDe collateral (18 decimals) against USDC debt (6 decimals), bonus 5%, protocol fee 10%. */
const BASE = {
  collateralDecimals: 18,
  debtDecimals: 6,
  liquidationBonusBps: 10_500n,
  liquidationProtocolFeeBps: 1_000n,
  debtToCoverRequested: MaxUint256,
};
const usde = (n: bigint): bigint => n * 10n ** 18n;
const usdc = (n: bigint): bigint => n * 10n ** 6n;

describe("math/aave-v3-origin (v3.3+ rules, v3.5 rounding)", function () {
  it("constants are LiquidationLogic's: 50% default close factor, $2,000 and $1,000 in 8-decimal base", function () {
    expect(ORIGIN_DEFAULT_CLOSE_FACTOR_BPS).to.equal(5_000n); // DEFAULT_LIQUIDATION_CLOSE_FACTOR = 0.5e4
    expect(ORIGIN_MIN_BASE_MAX_CLOSE_FACTOR_THRESHOLD).to.equal(200_000_000_000n); // 2000e8
    expect(ORIGIN_MIN_LEFTOVER_BASE).to.equal(100_000_000_000n); // 2000e8 / 2
  });

  describe("rayMulFloor / rayMulCeil / mulDivCeil / percentDivCeil", function () {
    it("rayMulFloor and rayMulCeil differ by one on a fraction, agree on an exact product", function () {
      // 3 * 1.5e27 / 1e27 = 4.5: floor 4, ceil 5
      expect(rayMulFloor(3n, 15n * 10n ** 26n)).to.equal(4n);
      expect(rayMulCeil(3n, 15n * 10n ** 26n)).to.equal(5n);
      // 2 * 1.5e27 / 1e27 = 3 exactly
      expect(rayMulFloor(2n, 15n * 10n ** 26n)).to.equal(3n);
      expect(rayMulCeil(2n, 15n * 10n ** 26n)).to.equal(3n);
      // 1 * 1 / 1e27: floor 0, ceil 1 (half-up rayMul would give 0)
      expect(rayMulFloor(1n, 1n)).to.equal(0n);
      expect(rayMulCeil(1n, 1n)).to.equal(1n);
      expect(rayMulFloor(0n, RAY)).to.equal(0n);
      expect(rayMulCeil(0n, RAY)).to.equal(0n);
    });

    it("mulDivCeil rounds any remainder up, zero stays zero, c = 0 throws (MathUtils reverts)", function () {
      expect(mulDivCeil(7n, 3n, 2n)).to.equal(11n); // 10.5
      expect(mulDivCeil(10n, 1n, 3n)).to.equal(4n); // 3.33
      expect(mulDivCeil(6n, 4n, 3n)).to.equal(8n); // exact
      expect(mulDivCeil(0n, 5n, 7n)).to.equal(0n);
      // 1234567 * 99990000 / 1e6 = 123444354.33 -> 123444355
      expect(mulDivCeil(1_234_567n, 99_990_000n, 10n ** 6n)).to.equal(123_444_355n);
      expect(() => mulDivCeil(1n, 1n, 0n)).to.throw(RangeError, /zero/i);
    });

    it("percentDivCeil rounds up where half-up percentDiv rounds down", function () {
      // 1e9 / 105% = 952380952.38: ceil 952380953 (half-up percentDiv: 952380952)
      expect(percentDivCeil(1_000_000_000n, 10_500n)).to.equal(952_380_953n);
      // 2000e6 / 105% = 1904761904.76 -> 1904761905
      expect(percentDivCeil(2_000_000_000n, 10_500n)).to.equal(1_904_761_905n);
      expect(percentDivCeil(105n, 10_500n)).to.equal(100n); // exact
      expect(percentDivCeil(0n, 10_500n)).to.equal(0n);
      expect(() => percentDivCeil(1n, 0n)).to.throw(RangeError, /zero/i);
    });

    it("match the origin libraries over 300 seeded inputs", function () {
      const rnd = seededBigints(21);
      for (let k = 0; k < 300; k++) {
        const a = rnd(10n ** 36n);
        const b = rnd(10n ** 30n);
        const c = rnd(10n ** 20n) + 1n;
        const p = rnd(20_000n) + 1n;
        expect(rayMulFloor(a, b)).to.equal((a * b) / RAY);
        expect(rayMulCeil(a, b)).to.equal(refMulDivCeil(a, b, RAY));
        expect(mulDivCeil(a, b, c)).to.equal(refMulDivCeil(a, b, c));
        expect(percentDivCeil(a, p)).to.equal(refPercentDivCeil(a, p));
      }
    });
  });

  describe("compoundedInterestOrigin (MathUtils, origin line)", function () {
    it("is one ray at zero elapsed time", function () {
      expect(compoundedInterestOrigin(10n ** 26n, 42n, 42n)).to.equal(RAY);
    });

    it("10% for one year, by hand: 1 + x + x^2/2 + x^3/6 with half-up rayMul", function () {
      // x = 1e26 * 31536000 / 31536000 = 1e26
      // x / 6 = 16666666666666666666666666; rayMul(x, x/6) = 1666666666666666666666666.6 + .5 -> ...667
      // x / 2 + that = 5e25 + 1666666666666666666666667 = 51666666666666666666666667
      // rayMul(x, 51666666666666666666666667) = 5166666666666666666666666.7 + .5 -> 5166666666666666666666667
      // 1e27 + 1e26 + 5166666666666666666666667
      expect(compoundedInterestOrigin(10n ** 26n, 0n, YEAR)).to.equal(1_105_166_666_666_666_666_666_666_667n);
    });

    it("one second at 5%: unlike v3.0, the square term is kept", function () {
      // x = 5e25 / 31536000 = 1585489599188229325
      // x / 6 = 264248266531371554; rayMul(x, x/6) = 418962878
      // x / 2 = 792744799594114662; + 418962878 = 792744800013077540; rayMul(x, that) = 1256888635
      // 1e27 + 1585489599188229325 + 1256888635 (v3.0 gives 1e27 + 1585489599188229325 only)
      expect(compoundedInterestOrigin(5n * 10n ** 25n, 10n, 11n)).to.equal(1_000_000_001_585_489_600_445_117_960n);
    });

    it("matches the origin MathUtils over 300 seeded rates and intervals", function () {
      const rnd = seededBigints(22);
      for (let k = 0; k < 300; k++) {
        const rate = rnd(3n * RAY);
        const last = rnd(2n ** 40n);
        const now = last + rnd(3n * YEAR);
        expect(compoundedInterestOrigin(rate, last, now)).to.equal(refCompoundedOrigin(rate, last, now));
      }
    });
  });

  describe("normalizedIncomeOrigin / normalizedDebtOrigin (ReserveLogic)", function () {
    const reserve = {
      liquidityIndex: 11n * 10n ** 26n,
      variableBorrowIndex: 12n * 10n ** 26n,
      currentLiquidityRate: 5n * 10n ** 25n,
      currentVariableBorrowRate: 10n ** 26n,
      lastUpdateTimestamp: 1_000n,
    };

    it("normalizedIncomeOrigin is v3.0's getNormalizedIncome, unchanged", function () {
      expect(normalizedIncomeOrigin).to.equal(normalizedIncome);
      // rayMul(RAY + 5e25, 1.1e27) = 1.155e27; same block: the stored index
      expect(normalizedIncomeOrigin(reserve, 1_000n + YEAR)).to.equal(1_155n * 10n ** 24n);
      expect(normalizedIncomeOrigin(reserve, 1_000n)).to.equal(11n * 10n ** 26n);
    });

    it("normalizedDebtOrigin compounds with the origin formula", function () {
      expect(normalizedDebtOrigin(reserve, 1_000n)).to.equal(12n * 10n ** 26n);
      // rayMul(1105166666666666666666666667, 1.2e27) = 1326200000000000000000000000.4 -> ...000
      // (v3.0's compounding gives 1326194451386138895090604800 here)
      expect(normalizedDebtOrigin(reserve, 1_000n + YEAR)).to.equal(1_326_200_000_000_000_000_000_000_000n);
    });
  });

  describe("aTokenBalance / vTokenBalance (TokenMath, v3.5)", function () {
    it("aToken balances round down, debt balances round up", function () {
      // 3 * 1.5 = 4.5: aToken 4, vToken 5
      expect(aTokenBalance(3n, 15n * 10n ** 26n)).to.equal(4n);
      expect(vTokenBalance(3n, 15n * 10n ** 26n)).to.equal(5n);
      // 1000e6 * 1.05 = 1050e6 exactly
      expect(aTokenBalance(usdc(1_000n), 105n * 10n ** 25n)).to.equal(usdc(1_050n));
      expect(vTokenBalance(usdc(1_000n), 105n * 10n ** 25n)).to.equal(usdc(1_050n));
      // 123456789 * 1.023456789012345678901234567 = 126352688.85 -> 126352688 / 126352689
      // (half-up rayMul would give 126352689 for both)
      expect(aTokenBalance(123_456_789n, 1_023_456_789_012_345_678_901_234_567n)).to.equal(126_352_688n);
      expect(vTokenBalance(123_456_789n, 1_023_456_789_012_345_678_901_234_567n)).to.equal(126_352_689n);
      expect(aTokenBalance(0n, RAY)).to.equal(0n);
      expect(vTokenBalance(0n, RAY)).to.equal(0n);
    });
  });

  describe("collateralValueBase / debtValueBase (GenericLogic)", function () {
    it("collateral value rounds down, debt value rounds up", function () {
      // 1.234567 USDC at $0.9999: 123444354.33 -> 123444354 / 123444355
      expect(collateralValueBase(1_234_567n, 99_990_000n, 6)).to.equal(123_444_354n);
      expect(debtValueBase(1_234_567n, 99_990_000n, 6)).to.equal(123_444_355n);
      // exact: 1 USDC at $1 = 1e8
      expect(collateralValueBase(usdc(1n), USD, 6)).to.equal(USD);
      expect(debtValueBase(usdc(1n), USD, 6)).to.equal(USD);
      // 1 wei of an 18-decimal token at $1: 1e-10 base: 0 as collateral, 1 as debt
      expect(collateralValueBase(1n, USD, 18)).to.equal(0n);
      expect(debtValueBase(1n, USD, 18)).to.equal(1n);
      // 999999 * 1 / 1e6 = 0.999999: 0 as collateral, 1 as debt
      expect(collateralValueBase(999_999n, 1n, 6)).to.equal(0n);
      expect(debtValueBase(999_999n, 1n, 6)).to.equal(1n);
    });
  });

  describe("healthFactorOrigin (GenericLogic: (Σ value·LT).wadDiv(debt) / 100_00)", function () {
    it("is uint256 max without debt", function () {
      expect(healthFactorOrigin(1n, 0n, 9_300n)).to.equal(UINT256_MAX);
    });

    it("by hand, and where it differs from v3.0's percentMul-first rounding", function () {
      // wadDiv(10000e8 * 9000, 8000e8) = 1.125e22; / 1e4 = 1.125e18
      expect(healthFactorOrigin(1_000_000_000_000n, 800_000_000_000n, 9_000n)).to.equal(1_125n * 10n ** 15n);
      // worked position: wadDiv(950e9 * 9300, 900e9) = 9816666666666666666666.67 + .5 -> ...667; / 1e4 (floor)
      //   = 981666666666666666 (v3.0: 981666666666666667)
      expect(healthFactorOrigin(950_000_000_000n, 900_000_000_000n, 9_300n)).to.equal(981_666_666_666_666_666n);
      // 1 base at LT 50% against 3: wadDiv(5000, 3) = 1666666666666666666667; / 1e4 = 166666666666666666
      //   (v3.0 rounds percentMul(1, 50%) up to 1 first and gets 333333333333333333)
      expect(healthFactorOrigin(1n, 3n, 5_000n)).to.equal(166_666_666_666_666_666n);
    });

    it("matches GenericLogic's formula over 300 seeded positions", function () {
      const rnd = seededBigints(23);
      for (let k = 0; k < 300; k++) {
        const c = rnd(10n ** 16n);
        const d = rnd(10n ** 16n) + 1n;
        const lt = rnd(10_000n);
        expect(healthFactorOrigin(c, d, lt)).to.equal(refWadDiv(c * lt, d) / 10_000n);
      }
    });
  });

  describe("fullCloseFactorOrigin", function () {
    const big = 10_000n * USD;
    it("HF exactly 0.95e18 is full; one wei above is not", function () {
      expect(fullCloseFactorOrigin(HF_095, big, big)).to.equal(true);
      expect(fullCloseFactorOrigin(HF_095 + 1n, big, big)).to.equal(false);
      expect(fullCloseFactorOrigin(HF_095 - 1n, big, big)).to.equal(true);
    });

    it("collateral or debt exactly $2,000 is not full; one base unit under is", function () {
      const hf = 99n * 10n ** 16n;
      expect(fullCloseFactorOrigin(hf, 2_000n * USD, 2_000n * USD)).to.equal(false);
      expect(fullCloseFactorOrigin(hf, 2_000n * USD - 1n, 2_000n * USD)).to.equal(true);
      expect(fullCloseFactorOrigin(hf, 2_000n * USD, 2_000n * USD - 1n)).to.equal(true);
      expect(fullCloseFactorOrigin(hf, 0n, big)).to.equal(true);
    });
  });

  describe("liquidationAmountsOrigin", function () {
    /** 10,000 USDe at $0.95 against 9,000 USDC at $1 (the v3.0 worked position). */
    const WORKED: OriginLiquidationInputs = {
      ...BASE,
      userCollateralRaw: usde(10_000n),
      collateralPriceBase: 95_000_000n,
      userDebtRaw: usdc(9_000n),
      debtPriceBase: USD,
      healthFactorWad: 981_666_666_666_666_666n,
      totalDebtBase: 900_000_000_000n,
    };

    it("worked liquidation: 50% of the total debt, collateral, fee and dust check by hand", function () {
      // reserve debt base = ceil(9000e6 * 1e8 / 1e6) = 900e9; reserve collateral base = 10000e18 * 95e6 / 1e18 = 950e9
      // both >= $2,000 and HF 0.98166 > 0.95: not full
      // totalDefaultLiquidatable = percentMul(900e9, 5000) = 450e9 < 900e9 -> maxDebt = 450e9 * 1e6 / 1e8 = 4.5e9
      // collateral (as in v3.0): base = 4736842105263157894736; x 1.05 -> 4973684210526315789473 <= 10000e18
      //   bonus = 4973684210526315789473 - 4736842105263157894736 = 236842105263157894737; fee 10% -> ...474
      //   to liquidator = 4973684210526315789473 - 23684210526315789474 = 4949999999999999999999
      // dust: debt left ceil(4500e6 * 1e8 / 1e6) = 450e9 >= 1000e8;
      //       collateral left (10000e18 - 4973684210526315789473) * 95e6 / 1e18 = 477500000000 >= 1000e8 -> no dust
      const hf = healthFactorOrigin(950_000_000_000n, 900_000_000_000n, 9_300n);
      expect(hf).to.equal(WORKED.healthFactorWad);
      expect(liquidationAmountsOrigin(WORKED)).to.deep.equal({
        maxLiquidatableDebtRaw: 4_500_000_000n,
        debtRepaidRaw: 4_500_000_000n,
        collateralToLiquidatorRaw: 4_949_999_999_999_999_999_999n,
        protocolFeeRaw: 23_684_210_526_315_789_474n,
        leavesDust: false,
      });
    });

    it("the 50% applies to the account's total debt: a reserve under half of it may be fully repaid", function () {
      // total debt $20,000 -> 50% = $10,000 >= this reserve's $9,000 -> maxDebt = the whole 9000e6
      const r = liquidationAmountsOrigin({ ...WORKED, totalDebtBase: 2_000_000_000_000n });
      expect(r.maxLiquidatableDebtRaw).to.equal(usdc(9_000n));
      // total $18,000 exactly -> 50% = $9,000, not > -> whole reserve
      expect(
        liquidationAmountsOrigin({ ...WORKED, totalDebtBase: 1_800_000_000_000n }).maxLiquidatableDebtRaw,
      ).to.equal(usdc(9_000n));
      // total $17,999.99999999 -> 50% = 899999999999.5 -> 900e9 (half-up): still not > 900e9, whole reserve
      expect(
        liquidationAmountsOrigin({ ...WORKED, totalDebtBase: 1_799_999_999_999n }).maxLiquidatableDebtRaw,
      ).to.equal(usdc(9_000n));
      // total $17,999.99999998 -> 50% = 899999999999 < 900e9 -> 899999999999 * 1e6 / 1e8 = 8999999999 (floor)
      expect(
        liquidationAmountsOrigin({ ...WORKED, totalDebtBase: 1_799_999_999_998n }).maxLiquidatableDebtRaw,
      ).to.equal(8_999_999_999n);
    });

    it("a reserve debt exactly 50% of the total is not over it: the whole reserve, not the converted 50%", function () {
      // 3000 DAI + 1 wei (18 decimals) at $1: ceil((3000e18 + 1) * 1e8 / 1e18) = 300000000001 base
      // total debt 600000000002 -> 50% = 300000000001, equal (not >) -> maxDebt = the reserve's 3000e18 + 1;
      // converting the 50% back would give 300000000001 * 1e18 / 1e8 = 3000e18 + 1e10, more than the borrower owes
      const r = liquidationAmountsOrigin({
        ...BASE,
        debtDecimals: 18,
        userCollateralRaw: usde(10_000n),
        collateralPriceBase: USD,
        userDebtRaw: usde(3_000n) + 1n,
        debtPriceBase: USD,
        healthFactorWad: 97n * 10n ** 16n,
        totalDebtBase: 600_000_000_002n,
      });
      expect(r.maxLiquidatableDebtRaw).to.equal(usde(3_000n) + 1n);
      expect(r.debtRepaidRaw).to.equal(usde(3_000n) + 1n);
    });

    it("HF exactly 0.95e18: close factor 100%", function () {
      // maxDebt = 9000e6; base = 9473684210526315789473, x 1.05 = 9947368421052631578947 <= 10000e18
      //   bonus 473684210526315789474, fee 47368421052631578947, to liquidator 9900e18; whole debt: no dust check
      expect(liquidationAmountsOrigin({ ...WORKED, healthFactorWad: HF_095 })).to.deep.equal({
        maxLiquidatableDebtRaw: usdc(9_000n),
        debtRepaidRaw: usdc(9_000n),
        collateralToLiquidatorRaw: usde(9_900n),
        protocolFeeRaw: 47_368_421_052_631_578_947n,
        leavesDust: false,
      });
      expect(liquidationAmountsOrigin({ ...WORKED, healthFactorWad: HF_095 + 1n }).maxLiquidatableDebtRaw).to.equal(
        4_500_000_000n,
      );
    });

    it("collateral reserve exactly $2,000 keeps the 50% rule; one wei less makes it 100%", function () {
      // 2000 USDe at $1 = 2000e8 exactly; 4000 USDC debt, total debt $4,000, HF 0.97 (other collateral elsewhere)
      const at: OriginLiquidationInputs = {
        ...BASE,
        userCollateralRaw: usde(2_000n),
        collateralPriceBase: USD,
        userDebtRaw: usdc(4_000n),
        debtPriceBase: USD,
        healthFactorWad: 97n * 10n ** 16n,
        totalDebtBase: 4_000n * USD,
      };
      // 50% of $4,000 = $2,000 < $4,000 -> maxDebt = 2000e8 * 1e6 / 1e8 = 2000e6
      // collateral: 2000e18 x 1.05 = 2100e18 > 2000e18 -> capped: all 2000e18 go,
      //   debt = percentDivCeil(2000e6, 10500) = ceil(1904761904.76) = 1904761905
      //   fee: percentDiv(2000e18, 10500) = 1904761904761904761904.76 + .5 -> ...905; bonus 95238095238095238095
      //        fee = percentMul(95238095238095238095, 1000) = 9523809523809523809.5 -> ...810
      //   to liquidator = 2000e18 - 9523809523809523810 = 1990476190476190476190
      // all collateral seized: no dust check
      expect(liquidationAmountsOrigin(at)).to.deep.equal({
        maxLiquidatableDebtRaw: usdc(2_000n),
        debtRepaidRaw: 1_904_761_905n,
        collateralToLiquidatorRaw: 1_990_476_190_476_190_476_190n,
        protocolFeeRaw: 9_523_809_523_809_523_810n,
        leavesDust: false,
      });
      // 2000e18 - 1 wei: (2000e18 - 1) * 1e8 / 1e18 = 199999999999 < 2000e8 -> full: maxDebt = 4000e6
      //   collateral value = 1999999999 (debt units) -> debt = ceil(1999999999 / 1.05) = 1904761904
      const under = liquidationAmountsOrigin({ ...at, userCollateralRaw: usde(2_000n) - 1n });
      expect(under.maxLiquidatableDebtRaw).to.equal(usdc(4_000n));
      expect(under.debtRepaidRaw).to.equal(1_904_761_904n);
    });

    it("debt reserve exactly $2,000 keeps the 50% rule; one unit less makes it 100%", function () {
      const at: OriginLiquidationInputs = {
        ...BASE,
        userCollateralRaw: usde(10_000n),
        collateralPriceBase: USD,
        userDebtRaw: usdc(2_000n),
        debtPriceBase: USD,
        healthFactorWad: 97n * 10n ** 16n,
        totalDebtBase: 2_000n * USD,
      };
      // 50% of $2,000 = $1,000 < $2,000 -> 1000e6
      expect(liquidationAmountsOrigin(at).maxLiquidatableDebtRaw).to.equal(usdc(1_000n));
      // 1999.999999 USDC = 199999999900 base < 2000e8 -> the whole 1999999999
      const under = liquidationAmountsOrigin({
        ...at,
        userDebtRaw: usdc(2_000n) - 1n,
        totalDebtBase: 199_999_999_900n,
      });
      expect(under.maxLiquidatableDebtRaw).to.equal(1_999_999_999n);
    });

    it("the reserve's debt value is rounded up for the $2,000 test", function () {
      // debt 2000.000020 of a 6-decimal asset at $0.99999999: 2000000020 * 99999999 / 1e6 = 199999999999.99998
      //   rounded up: 200000000000 = $2,000 -> not under -> 50%: percentMul(2000e8, 5000) = 1000e8
      //   maxDebt = 1000e8 * 1e6 / 99999999 = 1000000010.0000001 -> 1000000010
      // (rounded down it would be 199999999999 < $2,000 and the whole debt would be liquidatable)
      const r = liquidationAmountsOrigin({
        ...BASE,
        userCollateralRaw: usde(10_000n),
        collateralPriceBase: USD,
        userDebtRaw: 2_000_000_020n,
        debtPriceBase: 99_999_999n,
        healthFactorWad: 97n * 10n ** 16n,
        totalDebtBase: 200_000_000_000n,
      });
      expect(r.maxLiquidatableDebtRaw).to.equal(1_000_000_010n);
    });

    describe("the $1,000 dust rule (MustNotLeaveDust)", function () {
      // 10,000 USDe at $1 against 4,000 USDC at $1, HF 0.9 (close factor 100%), bonus 5%, fee 10%
      const pos: OriginLiquidationInputs = {
        ...BASE,
        userCollateralRaw: usde(10_000n),
        collateralPriceBase: USD,
        userDebtRaw: usdc(4_000n),
        debtPriceBase: USD,
        healthFactorWad: 9n * 10n ** 17n,
        totalDebtBase: 4_000n * USD,
      };

      it("debt left exactly $1,000 is allowed; one unit less is dust", function () {
        // cover 3000e6: debt left 1000e6 -> ceil(1000e6 * 1e8 / 1e6) = 1000e8, not < 1000e8
        //   collateral 3000e18 x 1.05 = 3150e18; fee = percentMul(3150e18 - 3000e18, 10%) = 15e18
        const ok = liquidationAmountsOrigin({ ...pos, debtToCoverRequested: usdc(3_000n) });
        expect(ok).to.deep.equal({
          maxLiquidatableDebtRaw: usdc(4_000n),
          debtRepaidRaw: usdc(3_000n),
          collateralToLiquidatorRaw: usde(3_135n),
          protocolFeeRaw: usde(15n),
          leavesDust: false,
        });
        // cover 3000e6 + 1: debt left 999999999 -> 99999999900 < 1000e8 -> dust
        expect(liquidationAmountsOrigin({ ...pos, debtToCoverRequested: usdc(3_000n) + 1n }).leavesDust).to.equal(true);
      });

      it("collateral left exactly $1,000 is allowed; one wei less is dust (the fee counts as taken)", function () {
        // 3100 USDe collateral, cover 2000e6: seized 2100e18 of which fee = percentMul(100e18, 10%) = 10e18
        //   left = 3100e18 - 2090e18 - 10e18 = 1000e18 -> 1000e8, not < 1000e8
        const ok = liquidationAmountsOrigin({
          ...pos,
          userCollateralRaw: usde(3_100n),
          debtToCoverRequested: usdc(2_000n),
        });
        expect(ok).to.deep.equal({
          maxLiquidatableDebtRaw: usdc(4_000n),
          debtRepaidRaw: usdc(2_000n),
          collateralToLiquidatorRaw: usde(2_090n),
          protocolFeeRaw: usde(10n),
          leavesDust: false,
        });
        // 3100e18 - 1: left 1000e18 - 1 -> 99999999999 < 1000e8 -> dust
        const dust = liquidationAmountsOrigin({
          ...pos,
          userCollateralRaw: usde(3_100n) - 1n,
          debtToCoverRequested: usdc(2_000n),
        });
        expect(dust.leavesDust).to.equal(true);
      });

      it("no dust check when the whole debt is repaid or the whole collateral is seized", function () {
        // whole debt: 4000e6 repaid, 0 left, not dust
        const all = liquidationAmountsOrigin(pos);
        expect(all.debtRepaidRaw).to.equal(usdc(4_000n));
        expect(all.leavesDust).to.equal(false);
        // whole collateral (100 USDe for 4000 USDC of debt): 100e18 seized, debt left far under $1,000 is not dust
        const allColl = liquidationAmountsOrigin({ ...pos, userCollateralRaw: usde(100n) });
        expect(allColl.collateralToLiquidatorRaw + allColl.protocolFeeRaw).to.equal(usde(100n));
        // debt = percentDivCeil(100e6, 10500) = ceil(95238095.24) = 95238096 (half-up v3.0 would give 95238095)
        expect(allColl.debtRepaidRaw).to.equal(95_238_096n);
        expect(allColl.leavesDust).to.equal(false);
      });
    });

    it("matches LiquidationLogic's formulas over 400 seeded liquidations, both branches", function () {
      const rnd = seededBigints(24);
      const decimals = [6, 8, 18];
      let capped = 0;
      let dust = 0;
      for (let k = 0; k < 400; k++) {
        const collateralDecimals = decimals[Number(rnd(3n))];
        const debtDecimals = decimals[Number(rnd(3n))];
        const p: OriginLiquidationInputs = {
          userCollateralRaw: rnd(10n ** BigInt(collateralDecimals + 4)),
          collateralPriceBase: rnd(2n * USD) + 1n,
          debtPriceBase: rnd(2n * USD) + 1n,
          collateralDecimals,
          debtDecimals,
          liquidationBonusBps: 10_000n + rnd(1_500n),
          liquidationProtocolFeeBps: k % 5 === 0 ? 0n : rnd(5_000n),
          userDebtRaw: rnd(10n ** BigInt(debtDecimals + 4)),
          debtToCoverRequested: k % 3 === 0 ? MaxUint256 : rnd(10n ** BigInt(debtDecimals + 4)),
          healthFactorWad: 9n * 10n ** 17n + rnd(10n ** 17n),
          totalDebtBase: 0n,
        };
        p.totalDebtBase = refMulDivCeil(p.userDebtRaw, p.debtPriceBase, 10n ** BigInt(debtDecimals)) + rnd(10n ** 13n);
        const expected = refLiquidationOrigin(p);
        expect(tuple(liquidationAmountsOrigin(p))).to.deep.equal(expected);
        if (expected[2] + expected[3] === p.userCollateralRaw) capped++;
        if (expected[4]) dust++;
      }
      // the grid reaches both collateral branches and the dust revert
      expect(capped).to.be.greaterThan(20);
      expect(400 - capped).to.be.greaterThan(20);
      expect(dust).to.be.greaterThan(10);
    });
  });
});
