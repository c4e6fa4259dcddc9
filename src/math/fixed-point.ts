/**
 * Fixed-point helpers with the protocols' own rounding. Aave's WadRayMath/PercentageMath round half up;
 * Morpho's MathLib rounds explicitly down or up. Keep every on-chain formula here, next to its rounding.
 */
import { PERCENTAGE_FACTOR, WAD } from "../constants";
import { InputError } from "../errors";

export function mulDivDown(x: bigint, y: bigint, d: bigint): bigint {
  return (x * y) / d;
}

export function mulDivUp(x: bigint, y: bigint, d: bigint): bigint {
  return (x * y + (d - 1n)) / d;
}

/** Morpho MathLib.wMulDown */
export const wMulDown = (x: bigint, y: bigint): bigint => mulDivDown(x, y, WAD);
/** Morpho MathLib.wDivDown */
export const wDivDown = (x: bigint, y: bigint): bigint => mulDivDown(x, WAD, y);
/** Morpho MathLib.wDivUp */
export const wDivUp = (x: bigint, y: bigint): bigint => mulDivUp(x, WAD, y);

/** Aave PercentageMath.percentMul: half-up rounding. */
export function percentMul(value: bigint, percentage: bigint): bigint {
  return (value * percentage + PERCENTAGE_FACTOR / 2n) / PERCENTAGE_FACTOR;
}

/** Aave PercentageMath.percentDiv: half-up rounding. */
export function percentDiv(value: bigint, percentage: bigint): bigint {
  return (value * PERCENTAGE_FACTOR + percentage / 2n) / percentage;
}

/** Aave WadRayMath.wadDiv: half-up rounding. */
export function wadDivHalfUp(a: bigint, b: bigint): bigint {
  return (a * WAD + b / 2n) / b;
}

/** Aave WadRayMath.wadMul: half-up rounding. */
export function wadMulHalfUp(a: bigint, b: bigint): bigint {
  return (a * b + WAD / 2n) / WAD;
}

export function minBig(a: bigint, b: bigint): bigint {
  return a < b ? a : b;
}

export function maxBig(a: bigint, b: bigint): bigint {
  return a > b ? a : b;
}

/** Integer square root (floor), for Uniswap sqrt prices. */
export function sqrtBig(value: bigint): bigint {
  if (value < 0n) throw new Error("sqrtBig: negative input");
  if (value < 2n) return value;
  let x0 = value;
  // Newton from (value + 1) / 2, strictly below value for value >= 2 (from value / 2 + 1, value 2 never iterated).
  let x1 = (value + 1n) >> 1n;
  while (x1 < x0) {
    x0 = x1;
    x1 = (x1 + value / x1) >> 1n;
  }
  return x0;
}

/** Display only: a raw amount with `decimals` as a JS number. */
export function toNumber(amountRaw: bigint, decimals: number): number {
  const scale = 10n ** BigInt(decimals);
  const whole = amountRaw / scale;
  const frac = amountRaw % scale;
  return Number(whole) + Number(frac) / Number(scale);
}

/** Parses a decimal string ("0.65", "1e3" not allowed) into a raw amount with `decimals`, exactly. */
export function parseUnitsExact(value: string, decimals: number, field: string): bigint {
  const m = /^(-?)(\d+)(?:\.(\d+))?$/.exec(value.trim());
  if (!m) throw new InputError(field, `"${value}" is not a decimal number`, "write e.g. 0.65");
  const frac = m[3] ?? "";
  if (frac.length > decimals) throw new InputError(field, `"${value}" has more than ${decimals} decimals`);
  const raw = BigInt(m[2] + frac.padEnd(decimals, "0"));
  return m[1] === "-" ? -raw : raw;
}
