/**
 * Curve's StableSwap invariant as the embedded chain's Curve template computes it (the early Vyper pool: A without
 * A_PRECISION, Ann = A·n, a static fee), with the same integer rounding, so get_dy can be predicted exactly.
 * Stableswap-NG (mainnet) scales A by 100 and adds a dynamic fee: this module does not model it.
 */
/** Curve's fee denominator (fee() is in 1e10 units). */
export const CURVE_FEE_DENOMINATOR = 10n ** 10n;
/** The template's PRECISION (coins are normalised to 18 decimals). */
export const CURVE_PRECISION = 10n ** 18n;
/** Newton iterations stop after this many steps, as in the pool. */
const MAX_ITERATIONS = 255;

/** The rate that normalises a coin of `decimals` to 18 decimals, times PRECISION (the template's _stored_rates). */
export const curveRate = (decimals: number): bigint => 10n ** BigInt(18 - decimals) * CURVE_PRECISION;

/** Balances in the pool's normalised units (_xp). */
export const curveXp = (balancesRaw: bigint[], rates: bigint[]): bigint[] =>
  balancesRaw.map((b, i) => (rates[i] * b) / CURVE_PRECISION);

const close = (a: bigint, b: bigint): boolean => (a > b ? a - b : b - a) <= 1n;

/** The invariant D (get_D). */
export function curveD(xp: bigint[], amplification: bigint): bigint {
  const n = BigInt(xp.length);
  const s = xp.reduce((a, b) => a + b, 0n);
  if (s === 0n) return 0n;
  let d = s;
  const ann = amplification * n;
  for (let k = 0; k < MAX_ITERATIONS; k++) {
    let dP = d;
    for (const x of xp) dP = (dP * d) / (x * n + 1n);
    const prev = d;
    d = ((ann * s + dP * n) * d) / ((ann - 1n) * d + (n + 1n) * dP);
    if (close(d, prev)) break;
  }
  return d;
}

/** The new balance of coin j when coin i's balance becomes x (get_y). */
export function curveY(i: number, j: number, x: bigint, xp: bigint[], amplification: bigint): bigint {
  // Curve's get_y: assert i != j and both are coins of the pool (the pool reverts otherwise).
  if (i === j || i < 0 || j < 0 || i >= xp.length || j >= xp.length) {
    throw new Error(`curve get_y: coins i=${i}, j=${j} must differ and be below ${xp.length}`);
  }
  const n = BigInt(xp.length);
  const d = curveD(xp, amplification);
  const ann = amplification * n;
  let c = d;
  let s = 0n;
  for (let k = 0; k < xp.length; k++) {
    if (k === j) continue;
    const v = k === i ? x : xp[k];
    s += v;
    c = (c * d) / (v * n);
  }
  c = (c * d) / (ann * n);
  const b = s + d / ann;
  let y = d;
  for (let k = 0; k < MAX_ITERATIONS; k++) {
    const prev = y;
    y = (y * y + c) / (2n * y + b - d);
    if (close(y, prev)) break;
  }
  return y;
}

/** get_dy: output of selling dx of coin i for coin j, fee deducted, raw units. */
export function curveGetDy(
  i: number,
  j: number,
  dxRaw: bigint,
  balancesRaw: bigint[],
  decimals: number[],
  amplification: bigint,
  feeE10: bigint,
): bigint {
  const rates = decimals.map(curveRate);
  const xp = curveXp(balancesRaw, rates);
  const x = xp[i] + (dxRaw * rates[i]) / CURVE_PRECISION;
  const y = curveY(i, j, x, xp, amplification);
  const dy = ((xp[j] - y) * CURVE_PRECISION) / rates[j];
  return dy - (feeE10 * dy) / CURVE_FEE_DENOMINATOR;
}
