/**
 * Aave V3.0.x math (the logic shipped in @aave/core-v3 1.19.x, Pool revision 1), mirroring WadRayMath, MathUtils,
 * ReserveLogic, GenericLogic and LiquidationLogic with their rounding, so predictions can be compared exactly
 * with what the Pool does.
 */
import {
  AAVE_CLOSE_FACTOR_HF_THRESHOLD,
  AAVE_DEFAULT_LIQUIDATION_CLOSE_FACTOR,
  AAVE_MAX_LIQUIDATION_CLOSE_FACTOR,
  RAY,
} from "../constants";
import { percentDiv, percentMul, wadDivHalfUp } from "./fixed-point";

/** MathUtils.SECONDS_PER_YEAR (365 days). */
export const AAVE_SECONDS_PER_YEAR = 365n * 24n * 3600n;

/** WadRayMath.rayMul: half-up. */
export const rayMul = (a: bigint, b: bigint): bigint => (a * b + RAY / 2n) / RAY;
/** WadRayMath.rayDiv: half-up. */
export const rayDiv = (a: bigint, b: bigint): bigint => (a * RAY + b / 2n) / b;

/** MathUtils.calculateLinearInterest. */
export function linearInterest(rateRay: bigint, lastUpdate: bigint, now: bigint): bigint {
  return RAY + (rateRay * (now - lastUpdate)) / AAVE_SECONDS_PER_YEAR;
}

/** MathUtils.calculateCompoundedInterest (three-term binomial approximation). */
export function compoundedInterest(rateRay: bigint, lastUpdate: bigint, now: bigint): bigint {
  const exp = now - lastUpdate;
  if (exp === 0n) return RAY;
  const expMinusOne = exp - 1n;
  const expMinusTwo = exp > 2n ? exp - 2n : 0n;
  const basePowerTwo = rayMul(rateRay, rateRay) / (AAVE_SECONDS_PER_YEAR * AAVE_SECONDS_PER_YEAR);
  const basePowerThree = rayMul(basePowerTwo, rateRay) / AAVE_SECONDS_PER_YEAR;
  const secondTerm = (exp * expMinusOne * basePowerTwo) / 2n;
  const thirdTerm = (exp * expMinusOne * expMinusTwo * basePowerThree) / 6n;
  return RAY + (rateRay * exp) / AAVE_SECONDS_PER_YEAR + secondTerm + thirdTerm;
}

/** The fields of Pool.getReserveData that the indexes depend on. */
export interface ReserveIndexes {
  liquidityIndex: bigint;
  variableBorrowIndex: bigint;
  currentLiquidityRate: bigint;
  currentVariableBorrowRate: bigint;
  lastUpdateTimestamp: bigint;
}

/** ReserveLogic.getNormalizedIncome at timestamp `now`. */
export function normalizedIncome(r: ReserveIndexes, now: bigint): bigint {
  if (r.lastUpdateTimestamp === now) return r.liquidityIndex;
  return rayMul(linearInterest(r.currentLiquidityRate, r.lastUpdateTimestamp, now), r.liquidityIndex);
}

/** ReserveLogic.getNormalizedDebt at timestamp `now` (`compound`: the release's MathUtils.calculateCompoundedInterest). */
export function normalizedDebt(r: ReserveIndexes, now: bigint, compound = compoundedInterest): bigint {
  if (r.lastUpdateTimestamp === now) return r.variableBorrowIndex;
  return rayMul(compound(r.currentVariableBorrowRate, r.lastUpdateTimestamp, now), r.variableBorrowIndex);
}

/** GenericLogic._getUserBalanceInBaseCurrency / _getUserDebtInBaseCurrency (variable debt only). */
export function valueInBase(balanceRaw: bigint, priceBase: bigint, decimals: number): bigint {
  return (balanceRaw * priceBase) / 10n ** BigInt(decimals);
}

/** GenericLogic health factor for one collateral and one debt (avg threshold = the collateral's threshold). */
export function healthFactor(collateralBase: bigint, debtBase: bigint, liquidationThresholdBps: bigint): bigint {
  if (debtBase === 0n) return 2n ** 256n - 1n;
  return wadDivHalfUp(percentMul(collateralBase, liquidationThresholdBps), debtBase);
}

/** LiquidationLogic._calculateDebt: the close factor that applies at a health factor. */
export function closeFactorBps(healthFactorWad: bigint): bigint {
  return healthFactorWad > AAVE_CLOSE_FACTOR_HF_THRESHOLD
    ? AAVE_DEFAULT_LIQUIDATION_CLOSE_FACTOR
    : AAVE_MAX_LIQUIDATION_CLOSE_FACTOR;
}

/** A borrower's collateral and prices at the liquidation block: what turns repaid debt into seized collateral. */
export interface LiquidationPricing {
  /** Borrower's collateral aToken balance at the liquidation block, raw. */
  userCollateralRaw: bigint;
  collateralPriceBase: bigint;
  debtPriceBase: bigint;
  collateralDecimals: number;
  debtDecimals: number;
  /** 10000 + bonus (E-mode aware). */
  liquidationBonusBps: bigint;
  liquidationProtocolFeeBps: bigint;
}

export interface AaveLiquidationInputs extends LiquidationPricing {
  /** Borrower's debt (variable) at the liquidation block, raw. */
  userDebtRaw: bigint;
  debtToCoverRequested: bigint;
  healthFactorWad: bigint;
}

export interface AaveLiquidationAmounts {
  closeFactorBps: bigint;
  debtRepaidRaw: bigint;
  /** To the liquidator (the event's liquidatedCollateralAmount). */
  collateralToLiquidatorRaw: bigint;
  protocolFeeRaw: bigint;
}

export interface CollateralForDebtInputs extends LiquidationPricing {
  debtToCover: bigint;
}

/**
 * LiquidationLogic._calculateAvailableCollateralToLiquidate (the same on every release but for one rounding:
 * `percentDivDebt` turns the collateral's value back into debt when the collateral runs out — half-up in v3.0,
 * up in the origin line).
 */
export function collateralForDebt(
  i: CollateralForDebtInputs,
  percentDivDebt: (value: bigint, percentage: bigint) => bigint,
) {
  const collUnit = 10n ** BigInt(i.collateralDecimals);
  const debtUnit = 10n ** BigInt(i.debtDecimals);
  const baseCollateral = (i.debtPriceBase * i.debtToCover * collUnit) / (i.collateralPriceBase * debtUnit);
  const maxCollateral = percentMul(baseCollateral, i.liquidationBonusBps);
  let collateralAmount: bigint;
  let debtNeeded: bigint;
  if (maxCollateral > i.userCollateralRaw) {
    collateralAmount = i.userCollateralRaw;
    debtNeeded = percentDivDebt(
      (i.collateralPriceBase * collateralAmount * debtUnit) / (i.debtPriceBase * collUnit),
      i.liquidationBonusBps,
    );
  } else {
    collateralAmount = maxCollateral;
    debtNeeded = i.debtToCover;
  }
  let fee = 0n;
  if (i.liquidationProtocolFeeBps !== 0n) {
    const bonusCollateral = collateralAmount - percentDiv(collateralAmount, i.liquidationBonusBps);
    fee = percentMul(bonusCollateral, i.liquidationProtocolFeeBps);
  }
  return { debtRepaidRaw: debtNeeded, collateralToLiquidatorRaw: collateralAmount - fee, protocolFeeRaw: fee };
}

/** LiquidationLogic._calculateDebt + _calculateAvailableCollateralToLiquidate. */
export function liquidationAmounts(i: AaveLiquidationInputs): AaveLiquidationAmounts {
  const cf = closeFactorBps(i.healthFactorWad);
  const maxDebt = percentMul(i.userDebtRaw, cf);
  const debtToCover = i.debtToCoverRequested > maxDebt ? maxDebt : i.debtToCoverRequested;
  return { closeFactorBps: cf, ...collateralForDebt({ ...i, debtToCover }, percentDiv) };
}
