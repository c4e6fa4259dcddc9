/**
 * Aave V3 origin-line math (npm @aave-dao/aave-v3-origin 3.6.0, Pool revision 10; the line mainnet runs since v3.3),
 * mirroring WadRayMath, MathUtils, TokenMath, GenericLogic and LiquidationLogic with their rounding: balances are
 * rounded in the protocol's favour (aToken balances down, debt up, v3.5), debt is valued rounding up, and the close
 * factor is 100% below HF 0.95 or for positions under $2,000, with no partial liquidation leaving under $1,000.
 */
import { AAVE_CLOSE_FACTOR_HF_THRESHOLD, PERCENTAGE_FACTOR, RAY } from "../constants";
import { percentMul, wadDivHalfUp } from "./fixed-point";
import {
  AAVE_SECONDS_PER_YEAR,
  LiquidationPricing,
  ReserveIndexes,
  collateralForDebt,
  normalizedDebt,
  normalizedIncome,
  rayMul,
} from "./aave-v3";

/** LiquidationLogic.DEFAULT_LIQUIDATION_CLOSE_FACTOR (50%). */
export const ORIGIN_DEFAULT_CLOSE_FACTOR_BPS = 5_000n;
/** LiquidationLogic.MIN_BASE_MAX_CLOSE_FACTOR_THRESHOLD: $2,000 in base units (8 decimals). */
export const ORIGIN_MIN_BASE_MAX_CLOSE_FACTOR_THRESHOLD = 2_000n * 10n ** 8n;
/** LiquidationLogic.MIN_LEFTOVER_BASE: $1,000. */
export const ORIGIN_MIN_LEFTOVER_BASE = ORIGIN_MIN_BASE_MAX_CLOSE_FACTOR_THRESHOLD / 2n;

export const rayMulFloor = (a: bigint, b: bigint): bigint => (a * b) / RAY;
export const rayMulCeil = (a: bigint, b: bigint): bigint => (a * b + RAY - 1n) / RAY;
export const mulDivCeil = (a: bigint, b: bigint, c: bigint): bigint => (a * b + c - 1n) / c;
export const percentDivCeil = (value: bigint, percentage: bigint): bigint =>
  mulDivCeil(value, PERCENTAGE_FACTOR, percentage);

/** MathUtils.calculateCompoundedInterest of the origin line: x = rate·t/year, 1 + x + x²/2 + x³/6 with rayMul. */
export function compoundedInterestOrigin(rateRay: bigint, lastUpdate: bigint, now: bigint): bigint {
  const exp = now - lastUpdate;
  if (exp === 0n) return RAY;
  const x = (rateRay * exp) / AAVE_SECONDS_PER_YEAR;
  return RAY + x + rayMul(x, x / 2n + rayMul(x, x / 6n));
}

/** ReserveLogic.getNormalizedIncome: unchanged from v3.0 (linear interest, half-up rayMul). */
export const normalizedIncomeOrigin = normalizedIncome;

/** ReserveLogic.getNormalizedDebt with the origin compounding. */
export const normalizedDebtOrigin = (r: ReserveIndexes, now: bigint): bigint =>
  normalizedDebt(r, now, compoundedInterestOrigin);

/** TokenMath.getATokenBalance: scaled x index, rounded down. */
export const aTokenBalance = (scaledRaw: bigint, liquidityIndexRay: bigint): bigint =>
  rayMulFloor(scaledRaw, liquidityIndexRay);
/** TokenMath.getVTokenBalance: scaled x index, rounded up. */
export const vTokenBalance = (scaledRaw: bigint, variableBorrowIndexRay: bigint): bigint =>
  rayMulCeil(scaledRaw, variableBorrowIndexRay);

/** GenericLogic._getUserBalanceInBaseCurrency: rounded down. */
export const collateralValueBase = (balanceRaw: bigint, priceBase: bigint, decimals: number): bigint =>
  (balanceRaw * priceBase) / 10n ** BigInt(decimals);
/** GenericLogic._getUserDebtInBaseCurrency: rounded up. */
export const debtValueBase = (debtRaw: bigint, priceBase: bigint, decimals: number): bigint =>
  mulDivCeil(debtRaw, priceBase, 10n ** BigInt(decimals));

/** GenericLogic health factor for one collateral and one debt: Σ(value·LT).wadDiv(debt) / 100_00. */
export function healthFactorOrigin(collateralBase: bigint, debtBase: bigint, liquidationThresholdBps: bigint): bigint {
  if (debtBase === 0n) return 2n ** 256n - 1n;
  return wadDivHalfUp(collateralBase * liquidationThresholdBps, debtBase) / PERCENTAGE_FACTOR;
}

/** Whether the full debt may be liquidated at once (LiquidationLogic.executeLiquidationCall's close-factor branch). */
export function fullCloseFactorOrigin(
  healthFactorWad: bigint,
  reserveCollateralBase: bigint,
  reserveDebtBase: bigint,
): boolean {
  return (
    reserveCollateralBase < ORIGIN_MIN_BASE_MAX_CLOSE_FACTOR_THRESHOLD ||
    reserveDebtBase < ORIGIN_MIN_BASE_MAX_CLOSE_FACTOR_THRESHOLD ||
    healthFactorWad <= AAVE_CLOSE_FACTOR_HF_THRESHOLD
  );
}

export interface OriginLiquidationInputs extends LiquidationPricing {
  userDebtRaw: bigint;
  debtToCoverRequested: bigint;
  healthFactorWad: bigint;
  /** The account's total debt in base currency (all reserves), as GenericLogic computes it. */
  totalDebtBase: bigint;
}

export interface OriginLiquidationAmounts {
  /** The most debt this call may repay. */
  maxLiquidatableDebtRaw: bigint;
  debtRepaidRaw: bigint;
  collateralToLiquidatorRaw: bigint;
  protocolFeeRaw: bigint;
  /** The call reverts with MustNotLeaveDust. */
  leavesDust: boolean;
}

/** LiquidationLogic.executeLiquidationCall's amounts and _calculateAvailableCollateralToLiquidate. */
export function liquidationAmountsOrigin(i: OriginLiquidationInputs): OriginLiquidationAmounts {
  const collUnit = 10n ** BigInt(i.collateralDecimals);
  const debtUnit = 10n ** BigInt(i.debtDecimals);
  const reserveDebtBase = mulDivCeil(i.userDebtRaw, i.debtPriceBase, debtUnit);
  const reserveCollateralBase = (i.userCollateralRaw * i.collateralPriceBase) / collUnit;
  let maxDebt = i.userDebtRaw;
  if (!fullCloseFactorOrigin(i.healthFactorWad, reserveCollateralBase, reserveDebtBase)) {
    const defaultLiquidatableBase = percentMul(i.totalDebtBase, ORIGIN_DEFAULT_CLOSE_FACTOR_BPS);
    if (reserveDebtBase > defaultLiquidatableBase) maxDebt = (defaultLiquidatableBase * debtUnit) / i.debtPriceBase;
  }
  const debtToCover = i.debtToCoverRequested > maxDebt ? maxDebt : i.debtToCoverRequested;
  const {
    debtRepaidRaw: debtNeeded,
    collateralToLiquidatorRaw: collateralAmount,
    protocolFeeRaw: fee,
  } = collateralForDebt({ ...i, debtToCover }, percentDivCeil);
  let leavesDust = false;
  if (debtNeeded < i.userDebtRaw && collateralAmount + fee < i.userCollateralRaw) {
    const debtLeftBase = mulDivCeil(i.userDebtRaw - debtNeeded, i.debtPriceBase, debtUnit);
    const collLeftBase = ((i.userCollateralRaw - collateralAmount - fee) * i.collateralPriceBase) / collUnit;
    leavesDust = debtLeftBase < ORIGIN_MIN_LEFTOVER_BASE || collLeftBase < ORIGIN_MIN_LEFTOVER_BASE;
  }
  return {
    maxLiquidatableDebtRaw: maxDebt,
    debtRepaidRaw: debtNeeded,
    collateralToLiquidatorRaw: collateralAmount,
    protocolFeeRaw: fee,
    leavesDust,
  };
}
