/**
 * Shared by the test/math unit tests: a seeded pseudo-random source, so that the comparisons against the tests' own
 * reimplementations of the protocols' formulas run over the same inputs on every run.
 */

/** Numerical Recipes' 32-bit linear congruential generator, widened to bigints of any size. */
export function seededBigints(seed: number): (below: bigint) => bigint {
  let state = seed >>> 0;
  const next32 = (): bigint => {
    state = (Math.imul(state, 1_664_525) + 1_013_904_223) >>> 0;
    return BigInt(state);
  };
  return (below: bigint): bigint => {
    if (below <= 0n) throw new Error("seededBigints: bound must be positive");
    let r = 0n;
    for (let bits = 0n; 1n << bits < below * 2n ** 32n; bits += 32n) r = (r << 32n) | next32();
    return r % below;
  };
}

/** 2^256 - 1, what the protocols return for "no debt". */
export const UINT256_MAX = 2n ** 256n - 1n;
