/**
 * Unit tests for src/math/aave-v3.ts (Aave v3.0.x, @aave/core-v3 1.19.x) against independently derived values.
 *
 * Exports covered (all of them):
 *   AAVE_SECONDS_PER_YEAR                         (MathUtils.sol SECONDS_PER_YEAR)
 *   rayMul, rayDiv                                (WadRayMath.sol, half-up)
 *   linearInterest, compoundedInterest            (MathUtils.sol calculateLinearInterest / calculateCompoundedInterest)
 *   normalizedIncome, normalizedDebt              (ReserveLogic.sol getNormalizedIncome / getNormalizedDebt)
 *   valueInBase, healthFactor                     (GenericLogic.sol _getUser*InBaseCurrency, calculateUserAccountData)
 *   closeFactorBps                                (LiquidationLogic.sol _calculateDebt)
 *   collateralForDebt                             (LiquidationLogic.sol _calculateAvailableCollateralToLiquidate)
 *   liquidationAmounts                            (_calculateDebt + _calculateAvailableCollateralToLiquidate)
 * (ReserveIndexes, LiquidationPricing, AaveLiquidationInputs, AaveLiquidationAmounts and CollateralForDebtInputs are
 * types only.)
 *
 * Expected values are literals worked by hand (arithmetic in the comments) or come from the reference functions
 * below, transcribed from the v3.0 Solidity in node_modules/@aave/core-v3/contracts/protocol/libraries.
 */
import { expect } from "chai";
import { MaxUint256 } from "ethers";
import {
  AAVE_SECONDS_PER_YEAR,
  CollateralForDebtInputs,
  ReserveIndexes,
  closeFactorBps,
  collateralForDebt,
  compoundedInterest,
  healthFactor,
  linearInterest,
  liquidationAmounts,
  normalizedDebt,
  normalizedIncome,
  rayDiv,
  rayMul,
  valueInBase,
} from "../../src/math/aave-v3";
import { UINT256_MAX, seededBigints } from "./helpers";

const RAY = 10n ** 27n;
const WAD = 10n ** 18n;
const YEAR = 31_536_000n; // 365 * 24 * 3600

// ---- References, transcribed from @aave/core-v3 1.19 ------------------------------------------------------------
// WadRayMath.sol: rayMul = (a * b + HALF_RAY) / RAY; rayDiv = (a * RAY + b / 2) / b; wadDiv = (a * WAD + b / 2) / b.
const refRayMul = (a: bigint, b: bigint): bigint => (a * b + RAY / 2n) / RAY;
const refWadDiv = (a: bigint, b: bigint): bigint => (a * WAD + b / 2n) / b;
// PercentageMath.sol (half-up).
const refPercentMul = (v: bigint, p: bigint): bigint => (v * p + 5_000n) / 10_000n;
const refPercentDiv = (v: bigint, p: bigint): bigint => (v * 10_000n + p / 2n) / p;
// MathUtils.sol calculateCompoundedInterest (v3.0: binomial expansion with exp, exp-1, exp-2).
function refCompounded(rate: bigint, last: bigint, now: bigint): bigint {
  const exp = now - last;
  if (exp === 0n) return RAY;
  const expMinusOne = exp - 1n;
  const expMinusTwo = exp > 2n ? exp - 2n : 0n;
  const basePowerTwo = refRayMul(rate, rate) / (YEAR * YEAR);
  const basePowerThree = refRayMul(basePowerTwo, rate) / YEAR;
  const secondTerm = (exp * expMinusOne * basePowerTwo) / 2n;
  const thirdTerm = (exp * expMinusOne * expMinusTwo * basePowerThree) / 6n;
  return RAY + (rate * exp) / YEAR + secondTerm + thirdTerm;
}
// LiquidationLogic.sol (v3.0): _calculateDebt then _calculateAvailableCollateralToLiquidate.
interface RefLiq {
  userCollateralRaw: bigint;
  collateralPriceBase: bigint;
  debtPriceBase: bigint;
  collateralDecimals: number;
  debtDecimals: number;
  liquidationBonusBps: bigint;
  liquidationProtocolFeeBps: bigint;
  userDebtRaw: bigint;
  debtToCoverRequested: bigint;
  healthFactorWad: bigint;
}
function refLiquidation(p: RefLiq): [bigint, bigint, bigint, bigint] {
  const closeFactor = p.healthFactorWad > 95n * 10n ** 16n ? 5_000n : 10_000n;
  const maxLiquidatableDebt = refPercentMul(p.userDebtRaw, closeFactor);
  const debtToCover = p.debtToCoverRequested > maxLiquidatableDebt ? maxLiquidatableDebt : p.debtToCoverRequested;
  const collateralAssetUnit = 10n ** BigInt(p.collateralDecimals);
  const debtAssetUnit = 10n ** BigInt(p.debtDecimals);
  const baseCollateral =
    (p.debtPriceBase * debtToCover * collateralAssetUnit) / (p.collateralPriceBase * debtAssetUnit);
  const maxCollateralToLiquidate = refPercentMul(baseCollateral, p.liquidationBonusBps);
  let collateralAmount: bigint;
  let debtAmountNeeded: bigint;
  if (maxCollateralToLiquidate > p.userCollateralRaw) {
    collateralAmount = p.userCollateralRaw;
    debtAmountNeeded = refPercentDiv(
      (p.collateralPriceBase * collateralAmount * debtAssetUnit) / (p.debtPriceBase * collateralAssetUnit),
      p.liquidationBonusBps,
    );
  } else {
    collateralAmount = maxCollateralToLiquidate;
    debtAmountNeeded = debtToCover;
  }
  if (p.liquidationProtocolFeeBps !== 0n) {
    const bonusCollateral = collateralAmount - refPercentDiv(collateralAmount, p.liquidationBonusBps);
    const fee = refPercentMul(bonusCollateral, p.liquidationProtocolFeeBps);
    return [closeFactor, debtAmountNeeded, collateralAmount - fee, fee];
  }
  return [closeFactor, debtAmountNeeded, collateralAmount, 0n];
}

/** The worked position: 10,000 USDe ($0.95) against 9,000 USDC ($1.00), LT 93%, bonus 5%, protocol fee 10%. */
const WORKED = {
  userCollateralRaw: 10_000n * 10n ** 18n,
  collateralPriceBase: 95_000_000n,
  debtPriceBase: 100_000_000n,
  collateralDecimals: 18,
  debtDecimals: 6,
  liquidationBonusBps: 10_500n,
  liquidationProtocolFeeBps: 1_000n,
  userDebtRaw: 9_000n * 10n ** 6n,
};

describe("math/aave-v3 (v3.0 rounding)", function () {
  it("AAVE_SECONDS_PER_YEAR is MathUtils.SECONDS_PER_YEAR = 365 days", function () {
    expect(AAVE_SECONDS_PER_YEAR).to.equal(31_536_000n);
  });

  describe("rayMul / rayDiv (WadRayMath, half-up)", function () {
    it("rayMul: exact, exact half up, just under half down, zero", function () {
      // 1.5 ray * 2 ray = 3 ray
      expect(rayMul(15n * 10n ** 26n, 2n * RAY)).to.equal(3n * RAY);
      // 5e26 * 1 / 1e27 = 0.5 -> (5e26 + 5e26) / 1e27 = 1
      expect(rayMul(5n * 10n ** 26n, 1n)).to.equal(1n);
      // (5e26 - 1) * 1 / 1e27 = 0.4999 -> 0
      expect(rayMul(5n * 10n ** 26n - 1n, 1n)).to.equal(0n);
      expect(rayMul(0n, RAY)).to.equal(0n);
      // 1.05 ray * 1.1 ray = 1.155 ray
      expect(rayMul(105n * 10n ** 25n, 11n * 10n ** 26n)).to.equal(1_155n * 10n ** 24n);
    });

    it("rayDiv: exact, exact half up, just under half down, zero divisor throws", function () {
      // 3 ray / 2 ray = 1.5 ray
      expect(rayDiv(3n * RAY, 2n * RAY)).to.equal(15n * 10n ** 26n);
      // 1 * 1e27 / 2e27 = 0.5 -> (1e27 + 1e27) / 2e27 = 1
      expect(rayDiv(1n, 2n * RAY)).to.equal(1n);
      // 1 * 1e27 / (2e27 + 1) = 0.4999 -> (1e27 + 1e27) / (2e27 + 1) = 0
      expect(rayDiv(1n, 2n * RAY + 1n)).to.equal(0n);
      // 1 ray / 3 ray = 0.333..e27 -> (1e54 + 1.5e27) / 3e27 = 333...333 (27 threes)
      expect(rayDiv(RAY, 3n * RAY)).to.equal(333_333_333_333_333_333_333_333_333n);
      // 2 ray / 3 ray = 0.666..e27 -> rounds up to ...667
      expect(rayDiv(2n * RAY, 3n * RAY)).to.equal(666_666_666_666_666_666_666_666_667n);
      expect(() => rayDiv(1n, 0n)).to.throw(RangeError, /zero/i);
    });
  });

  describe("linearInterest (MathUtils.calculateLinearInterest)", function () {
    it("adds rate x elapsed / year, floored, to one ray", function () {
      const r5 = 5n * 10n ** 25n; // 5% a year, in ray
      // one year: 1e27 + 5e25 * 31536000 / 31536000 = 1.05e27
      expect(linearInterest(r5, 1_000n, 1_000n + YEAR)).to.equal(105n * 10n ** 25n);
      // half a year: 1e27 + 5e25 / 2 = 1.025e27
      expect(linearInterest(r5, 0n, YEAR / 2n)).to.equal(1_025n * 10n ** 24n);
      // one second: 5e25 / 31536000 = 1585489599188229325.2 -> floor
      expect(linearInterest(r5, 7n, 8n)).to.equal(1_000_000_001_585_489_599_188_229_325n);
      // no time: one ray
      expect(linearInterest(r5, 9n, 9n)).to.equal(RAY);
      expect(linearInterest(0n, 0n, YEAR)).to.equal(RAY);
    });
  });

  describe("compoundedInterest (MathUtils.calculateCompoundedInterest, v3.0)", function () {
    it("is one ray at zero elapsed time", function () {
      expect(compoundedInterest(10n ** 26n, 5n, 5n)).to.equal(RAY);
    });

    it("one second: only the linear term (exp - 1 = 0 zeroes the others)", function () {
      // 1e27 + 5e25 * 1 / 31536000 = 1e27 + 1585489599188229325
      expect(compoundedInterest(5n * 10n ** 25n, 0n, 1n)).to.equal(1_000_000_001_585_489_599_188_229_325n);
    });

    it("two seconds: linear + second term, third term zero (exp - 2 = 0)", function () {
      // basePowerTwo = rayMul(5e25, 5e25) / 31536000^2 = 2.5e24 / 994519296000000 = 2513777269
      // 1e27 + 2 * 5e25 / 31536000 + 2 * 1 * 2513777269 / 2
      //   = 1e27 + 3170979198376458650 + 2513777269
      expect(compoundedInterest(5n * 10n ** 25n, 100n, 102n)).to.equal(1_000_000_003_170_979_200_890_235_919n);
    });

    it("10% for one year, every term by hand", function () {
      // rayMul(1e26, 1e26) = 1e25
      // basePowerTwo   = 1e25 / 994519296000000 = 10055109076
      // basePowerThree = rayMul(10055109076, 1e26) / 31536000 = 1005510908 / 31536000 = 31
      // first  = 1e26 * 31536000 / 31536000 = 1e26
      // second = 31536000 * 31535999 * 10055109076 / 2 = 4999999841184405337632000
      // third  = 31536000 * 31535999 * 31535998 * 31 / 6 = 162042980598007237872000
      // total  = 1e27 + 1e26 + second + third = 1105162042821782412575504000 (e^0.1 = 1.10517...)
      expect(compoundedInterest(10n ** 26n, 0n, YEAR)).to.equal(1_105_162_042_821_782_412_575_504_000n);
    });

    it("matches MathUtils' formula over 300 seeded rates and intervals", function () {
      const rnd = seededBigints(11);
      for (let k = 0; k < 300; k++) {
        const rate = rnd(3n * RAY); // up to 300% a year
        const last = rnd(2n ** 40n);
        const now = last + rnd(3n * YEAR);
        expect(compoundedInterest(rate, last, now)).to.equal(refCompounded(rate, last, now));
      }
    });
  });

  describe("normalizedIncome / normalizedDebt (ReserveLogic)", function () {
    const reserve: ReserveIndexes = {
      liquidityIndex: 11n * 10n ** 26n, // 1.1
      variableBorrowIndex: 12n * 10n ** 26n, // 1.2
      currentLiquidityRate: 5n * 10n ** 25n, // 5%
      currentVariableBorrowRate: 10n ** 26n, // 10%
      lastUpdateTimestamp: 1_000n,
    };

    it("return the stored index when updated in the same block", function () {
      expect(normalizedIncome(reserve, 1_000n)).to.equal(11n * 10n ** 26n);
      expect(normalizedDebt(reserve, 1_000n)).to.equal(12n * 10n ** 26n);
    });

    it("normalizedIncome: linear interest rayMul'd into the liquidity index", function () {
      // rayMul(1.05e27, 1.1e27) = 1.155e27
      expect(normalizedIncome(reserve, 1_000n + YEAR)).to.equal(1_155n * 10n ** 24n);
      // one second: rayMul(1000000001585489599188229325, 1.1e27)
      //   = 1.1e27 + 1.1 * 1585489599188229325 = 1100000001744038559107052257.5 -> half up ...258
      expect(normalizedIncome(reserve, 1_001n)).to.equal(1_100_000_001_744_038_559_107_052_258n);
    });

    it("normalizedDebt: compounded interest rayMul'd into the borrow index", function () {
      // rayMul(1105162042821782412575504000, 1.2e27) = 1326194451386138895090604800 (exact)
      expect(normalizedDebt(reserve, 1_000n + YEAR)).to.equal(1_326_194_451_386_138_895_090_604_800n);
    });

    it("normalizedDebt uses the compounding function it is given", function () {
      const seen: bigint[][] = [];
      const doubling = (rate: bigint, last: bigint, now: bigint): bigint => {
        seen.push([rate, last, now]);
        return 2n * RAY;
      };
      // rayMul(2e27, 1.2e27) = 2.4e27
      expect(normalizedDebt(reserve, 5_000n, doubling)).to.equal(24n * 10n ** 26n);
      expect(seen).to.deep.equal([[10n ** 26n, 1_000n, 5_000n]]);
      // same block: the index, without calling it
      expect(normalizedDebt(reserve, 1_000n, doubling)).to.equal(12n * 10n ** 26n);
      expect(seen.length).to.equal(1);
    });
  });

  describe("valueInBase (GenericLogic, floor)", function () {
    it("balance x price / 10^decimals, floored", function () {
      // 1000 USDe at $1.0005: 1000e18 * 100050000 / 1e18 = 100050000000
      expect(valueInBase(1_000n * 10n ** 18n, 100_050_000n, 18)).to.equal(100_050_000_000n);
      // 1.234567 USDC at $0.9999: 1234567 * 99990000 / 1e6 = 123444354.33 -> 123444354
      expect(valueInBase(1_234_567n, 99_990_000n, 6)).to.equal(123_444_354n);
      // 1 wei of an 18-decimal token at $1: 1e8 / 1e18 -> 0
      expect(valueInBase(1n, 100_000_000n, 18)).to.equal(0n);
      expect(valueInBase(0n, 100_000_000n, 6)).to.equal(0n);
      // 999999 * 1 / 1e6 = 0.999999 -> 0 (up would be 1)
      expect(valueInBase(999_999n, 1n, 6)).to.equal(0n);
    });
  });

  describe("healthFactor (GenericLogic: percentMul(collateral, LT).wadDiv(debt))", function () {
    it("is uint256 max without debt", function () {
      expect(healthFactor(123n, 0n, 9_300n)).to.equal(UINT256_MAX);
      expect(healthFactor(0n, 0n, 9_300n)).to.equal(UINT256_MAX);
    });

    it("by hand, with both half-up roundings", function () {
      // percentMul(10000e8, 90%) = 9000e8; wadDiv(9000e8, 8000e8) = 1.125e18
      expect(healthFactor(1_000_000_000_000n, 800_000_000_000n, 9_000n)).to.equal(1_125n * 10n ** 15n);
      // the worked position: percentMul(950e9, 93%) = 883.5e9; wadDiv(883.5e9, 900e9)
      //   = 981666666666666666.67 + 0.5 -> 981666666666666667 (up)
      expect(healthFactor(950_000_000_000n, 900_000_000_000n, 9_300n)).to.equal(981_666_666_666_666_667n);
      // percentMul(1, 50%) = 0.5 -> 1; wadDiv(1, 3) = 0.333e18 -> 333333333333333333 (down)
      expect(healthFactor(1n, 3n, 5_000n)).to.equal(333_333_333_333_333_333n);
      // percentMul(200, 100%) = 200; wadDiv(200, 3) = 66.666e18 -> ...667 (up)
      expect(healthFactor(200n, 3n, 10_000n)).to.equal(66_666_666_666_666_666_667n);
      // no collateral: 0
      expect(healthFactor(0n, 1n, 9_300n)).to.equal(0n);
    });

    it("matches GenericLogic's formula over 300 seeded positions", function () {
      const rnd = seededBigints(12);
      for (let k = 0; k < 300; k++) {
        const c = rnd(10n ** 16n);
        const d = rnd(10n ** 16n) + 1n;
        const lt = rnd(10_000n);
        expect(healthFactor(c, d, lt)).to.equal(refWadDiv(refPercentMul(c, lt), d));
      }
    });
  });

  describe("closeFactorBps (LiquidationLogic._calculateDebt)", function () {
    it("is 100% at or below HF 0.95 and 50% above it; 0.95e18 exactly is 100%", function () {
      expect(closeFactorBps(95n * 10n ** 16n)).to.equal(10_000n); // not > threshold
      expect(closeFactorBps(95n * 10n ** 16n + 1n)).to.equal(5_000n);
      expect(closeFactorBps(95n * 10n ** 16n - 1n)).to.equal(10_000n);
      expect(closeFactorBps(0n)).to.equal(10_000n);
      expect(closeFactorBps(WAD - 1n)).to.equal(5_000n);
    });
  });

  describe("collateralForDebt (LiquidationLogic._calculateAvailableCollateralToLiquidate)", function () {
    const ceil = (v: bigint, p: bigint): bigint => (v * 10_000n + p - 1n) / p;

    it("uncapped: collateral = debt value x bonus; the debt asked is repaid; fee out of the bonus", function () {
      const i: CollateralForDebtInputs = { ...WORKED, debtToCover: 4_500_000_000n };
      // worked by hand in the liquidation test below
      expect(collateralForDebt(i, refPercentDiv)).to.deep.equal({
        debtRepaidRaw: 4_500_000_000n,
        collateralToLiquidatorRaw: 4_949_999_999_999_999_999_999n,
        protocolFeeRaw: 23_684_210_526_315_789_474n,
      });
    });

    it("capped: all the collateral goes, the debt is its value / bonus via percentDivDebt", function () {
      // 1000 USDe at $1 against 2000 USDC of debt to cover at $1, bonus 5%, fee 10%
      const i: CollateralForDebtInputs = {
        userCollateralRaw: 1_000n * 10n ** 18n,
        collateralPriceBase: 100_000_000n,
        debtPriceBase: 100_000_000n,
        collateralDecimals: 18,
        debtDecimals: 6,
        liquidationBonusBps: 10_500n,
        liquidationProtocolFeeBps: 1_000n,
        debtToCover: 2_000_000_000n,
      };
      // baseCollateral = 1e8 * 2e9 * 1e18 / (1e8 * 1e6) = 2000e18; x 1.05 = 2100e18 > 1000e18 -> capped
      // collateral value in debt units = 1e8 * 1000e18 * 1e6 / (1e8 * 1e18) = 1e9
      // debt = percentDiv(1e9, 10500) = 952380952.38 -> half-up 952380952 (ceil: 952380953)
      // fee: percentDiv(1000e18, 10500) = (1e25 + 5250) / 10500 = 952380952380952380952 (remainder 9250)
      //      bonus = 1000e18 - 952380952380952380952 = 47619047619047619048
      //      fee = percentMul(bonus, 10%) = (47619047619047619048000 + 5000) / 10000 = 4761904761904761905
      // to the liquidator: 1000e18 - 4761904761904761905 = 995238095238095238095
      expect(collateralForDebt(i, refPercentDiv)).to.deep.equal({
        debtRepaidRaw: 952_380_952n,
        collateralToLiquidatorRaw: 995_238_095_238_095_238_095n,
        protocolFeeRaw: 4_761_904_761_904_761_905n,
      });
      // the same with a ceil-rounding percentDivDebt: only the debt changes, by one unit
      expect(collateralForDebt(i, ceil).debtRepaidRaw).to.equal(952_380_953n);
      expect(collateralForDebt(i, ceil).collateralToLiquidatorRaw).to.equal(995_238_095_238_095_238_095n);
    });

    it("percentDivDebt is not used while collateral suffices", function () {
      const boom = (): bigint => {
        throw new Error("percentDivDebt called");
      };
      const r = collateralForDebt({ ...WORKED, debtToCover: 1_000_000n }, boom);
      expect(r.debtRepaidRaw).to.equal(1_000_000n);
    });

    it("no protocol fee: the whole collateral amount goes to the liquidator", function () {
      // 1 USDC at $1 for USDe at $0.95: base = 1e8 * 1e6 * 1e18 / (95e6 * 1e6) = 1052631578947368421 (.05 dropped)
      //   x 1.05 = 1105263157894736842.05 -> half-up 1105263157894736842
      const r = collateralForDebt({ ...WORKED, liquidationProtocolFeeBps: 0n, debtToCover: 1_000_000n }, refPercentDiv);
      expect(r).to.deep.equal({
        debtRepaidRaw: 1_000_000n,
        collateralToLiquidatorRaw: 1_105_263_157_894_736_842n,
        protocolFeeRaw: 0n,
      });
    });

    it("zero debt to cover seizes nothing", function () {
      const r = collateralForDebt({ ...WORKED, debtToCover: 0n }, refPercentDiv);
      expect(r).to.deep.equal({ debtRepaidRaw: 0n, collateralToLiquidatorRaw: 0n, protocolFeeRaw: 0n });
    });
  });

  describe("liquidationAmounts (v3.0 LiquidationLogic)", function () {
    it("worked liquidation: 50% close factor, debt to cover, collateral seized and protocol fee by hand", function () {
      // Position: 10,000 USDe (18 dec) at $0.95 = 95_000_000 base; 9,000 USDC (6 dec) at $1.00 = 100_000_000 base.
      //   collateral base = 10_000e18 * 95_000_000 / 1e18 = 950_000_000_000
      //   debt base       = 9_000e6 * 100_000_000 / 1e6    = 900_000_000_000
      //   HF = wadDiv(percentMul(950e9, 9300), 900e9) = wadDiv(883_500_000_000, 900e9) = 981666666666666667
      const hf = healthFactor(950_000_000_000n, 900_000_000_000n, 9_300n);
      expect(hf).to.equal(981_666_666_666_666_667n);
      const r = liquidationAmounts({ ...WORKED, debtToCoverRequested: MaxUint256, healthFactorWad: hf });
      // HF > 0.95e18 -> close factor 5000
      // maxLiquidatableDebt = percentMul(9_000e6, 5000) = (4.5e13 + 5000) / 1e4 = 4_500_000_000
      // debtToCover = min(uint256 max, 4_500_000_000) = 4_500_000_000
      // baseCollateral = 1e8 * 4.5e9 * 1e18 / (95e6 * 1e6) = 4.5e35 / 9.5e13 = 4736842105263157894736 (rem 8e13)
      // maxCollateral  = percentMul(baseCollateral, 10500) = (base * 10500 + 5000) / 1e4 = 4973684210526315789473
      //   <= 10_000e18, so collateralAmount = 4973684210526315789473 and debtAmountNeeded = 4_500_000_000
      // percentDiv(collateralAmount, 10500) = (c * 1e4 + 5250) / 10500 = 4736842105263157894736
      // bonusCollateral = 4973684210526315789473 - 4736842105263157894736 = 236842105263157894737
      // protocol fee    = percentMul(236842105263157894737, 1000) = (236842105263157894737000 + 5000) / 1e4
      //                 = 23684210526315789474
      // to liquidator   = 4973684210526315789473 - 23684210526315789474 = 4949999999999999999999
      expect(r).to.deep.equal({
        closeFactorBps: 5_000n,
        debtRepaidRaw: 4_500_000_000n,
        collateralToLiquidatorRaw: 4_949_999_999_999_999_999_999n,
        protocolFeeRaw: 23_684_210_526_315_789_474n,
      });
    });

    it("HF exactly 0.95e18: close factor 100%, the whole debt may be covered", function () {
      const r = liquidationAmounts({ ...WORKED, debtToCoverRequested: MaxUint256, healthFactorWad: 95n * 10n ** 16n });
      // maxDebt = percentMul(9e9, 10000) = 9e9
      // base = 1e8 * 9e9 * 1e18 / (95e6 * 1e6) = 9473684210526315789473; x 1.05 -> 9947368421052631578947 <= 10000e18
      // percentDiv(9947368421052631578947, 10500) = 9473684210526315789473; bonus = 473684210526315789474
      // fee = percentMul(473684210526315789474, 1000) = 47368421052631578947.4 -> 47368421052631578947
      // to liquidator = 9947368421052631578947 - 47368421052631578947 = 9900000000000000000000
      expect(r).to.deep.equal({
        closeFactorBps: 10_000n,
        debtRepaidRaw: 9_000_000_000n,
        collateralToLiquidatorRaw: 9_900_000_000_000_000_000_000n,
        protocolFeeRaw: 47_368_421_052_631_578_947n,
      });
      // one wei of HF above the threshold halves it
      const above = liquidationAmounts({
        ...WORKED,
        debtToCoverRequested: MaxUint256,
        healthFactorWad: 95n * 10n ** 16n + 1n,
      });
      expect(above.closeFactorBps).to.equal(5_000n);
      expect(above.debtRepaidRaw).to.equal(4_500_000_000n);
    });

    it("a request below the close-factor cap is covered as asked", function () {
      const r = liquidationAmounts({ ...WORKED, debtToCoverRequested: 1_000_000n, healthFactorWad: 98n * 10n ** 16n });
      // 1 USDC: see collateralForDebt's no-fee case: 1105263157894736842 seized; fee 10% of the 5% bonus
      //   percentDiv(1105263157894736842, 10500) = 1052631578947368420.95 -> 1052631578947368421
      //   bonus = 52631578947368421; fee = percentMul(52631578947368421, 1000) = 5263157894736842.1 -> ...842
      expect(r).to.deep.equal({
        closeFactorBps: 5_000n,
        debtRepaidRaw: 1_000_000n,
        collateralToLiquidatorRaw: 1_100_000_000_000_000_000n, // 1105263157894736842 - 5263157894736842
        protocolFeeRaw: 5_263_157_894_736_842n,
      });
    });

    it("the collateral runs out: all of it is seized and the debt is its value / bonus, half-up", function () {
      // 1000 USDe at $1 against 9000 USDC, HF 0.5: close factor 100%, cover 9e9
      //   base = 9000e18 x 1.05 > 1000e18 -> capped; debt = percentDiv(1e9, 10500) = 952380952 (half-up)
      const r = liquidationAmounts({
        ...WORKED,
        userCollateralRaw: 1_000n * 10n ** 18n,
        collateralPriceBase: 100_000_000n,
        debtToCoverRequested: MaxUint256,
        healthFactorWad: 5n * 10n ** 17n,
      });
      expect(r).to.deep.equal({
        closeFactorBps: 10_000n,
        debtRepaidRaw: 952_380_952n,
        collateralToLiquidatorRaw: 995_238_095_238_095_238_095n,
        protocolFeeRaw: 4_761_904_761_904_761_905n,
      });
    });

    it("matches LiquidationLogic's formulas over 400 seeded liquidations, both collateral branches", function () {
      const rnd = seededBigints(13);
      let capped = 0;
      const decimals = [6, 8, 18];
      for (let k = 0; k < 400; k++) {
        const p: RefLiq = {
          userCollateralRaw: rnd(10n ** 27n),
          collateralPriceBase: rnd(10n ** 12n) + 1n,
          debtPriceBase: rnd(10n ** 12n) + 1n,
          collateralDecimals: decimals[Number(rnd(3n))],
          debtDecimals: decimals[Number(rnd(3n))],
          liquidationBonusBps: 10_000n + rnd(2_000n),
          liquidationProtocolFeeBps: k % 5 === 0 ? 0n : rnd(5_000n),
          userDebtRaw: rnd(10n ** 27n),
          debtToCoverRequested: k % 3 === 0 ? MaxUint256 : rnd(10n ** 27n),
          healthFactorWad: rnd(2n * WAD),
        };
        const r = liquidationAmounts(p);
        const [cf, debt, toLiquidator, fee] = refLiquidation(p);
        if (toLiquidator + fee === p.userCollateralRaw) capped++;
        expect([r.closeFactorBps, r.debtRepaidRaw, r.collateralToLiquidatorRaw, r.protocolFeeRaw]).to.deep.equal([
          cf,
          debt,
          toLiquidator,
          fee,
        ]);
      }
      expect(capped).to.be.greaterThan(20);
      expect(400 - capped).to.be.greaterThan(20);
    });
  });
});
