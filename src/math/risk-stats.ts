/**
 * Risk figures over many runs, in exact integer arithmetic (raw amounts, e.g. USD wad, or counts): mean, nearest-rank
 * percentiles, value at risk and expected shortfall, histogram bins and the exceedance curve. Pure: the same values
 * give the same figures on every machine, so a Monte Carlo report is reproducible to the last digit.
 *
 * Definitions, for n values sorted ascending x_1 <= … <= x_n and a level p (in basis points, 0 < p <= 10,000):
 * - percentile (nearest rank): x_k with k = ceil(p · n / 10,000), at least 1;
 * - value at risk VaR_p: the p percentile of the loss;
 * - expected shortfall ES_p: the mean of the worst n − floor(p · n / 10,000) values (x_{floor(pn)+1} … x_n), the tail
 *   beyond VaR; with fewer than 10,000 / (10,000 − p) values that tail is the single worst value. ES_p >= VaR_p.
 * Means are rounded down to the raw unit (1e-18 USD for a wad).
 */

const BPS = 10_000n;

function sortedAscending(values: readonly bigint[]): bigint[] {
  if (values.length === 0) throw new RangeError("no values");
  return [...values].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

function checkLevel(levelBps: number): bigint {
  if (!Number.isInteger(levelBps) || levelBps <= 0 || levelBps > 10_000)
    throw new RangeError(`level ${levelBps} bps is not in (0, 10000]`);
  return BigInt(levelBps);
}

export function sum(values: readonly bigint[]): bigint {
  return values.reduce((s, v) => s + v, 0n);
}

/** The mean, rounded down (toward minus infinity). */
export function mean(values: readonly bigint[]): bigint {
  if (values.length === 0) throw new RangeError("no values");
  const n = BigInt(values.length);
  const s = sum(values);
  const q = s / n;
  return s < 0n && q * n !== s ? q - 1n : q;
}

/** The nearest-rank percentile at `levelBps` (5,000: the median, 9,500: the 95th percentile). */
export function percentile(values: readonly bigint[], levelBps: number): bigint {
  const sorted = sortedAscending(values);
  const p = checkLevel(levelBps);
  const n = BigInt(sorted.length);
  const rank = (p * n + BPS - 1n) / BPS;
  return sorted[Number(rank < 1n ? 1n : rank) - 1];
}

/** Expected shortfall at `levelBps`: the mean of the worst n − floor(p · n) values, at least the worst one. */
export function expectedShortfall(values: readonly bigint[], levelBps: number): bigint {
  const sorted = sortedAscending(values);
  const p = checkLevel(levelBps);
  const n = sorted.length;
  const below = Math.min(Number((p * BigInt(n)) / BPS), n - 1);
  return mean(sorted.slice(below));
}

export interface HistogramBin {
  /** The bin holds values v with fromRaw <= v < toRaw (the last bin: v <= toRaw). */
  fromRaw: bigint;
  toRaw: bigint;
  runs: number;
}

/**
 * `bins` bins of equal width from the smallest to the largest value (width rounded up to a whole raw unit, so the last
 * bin may end past the largest value); one bin when every value is the same.
 */
export function histogram(values: readonly bigint[], bins: number): HistogramBin[] {
  const sorted = sortedAscending(values);
  if (!Number.isInteger(bins) || bins < 1) throw new RangeError(`${bins} bins`);
  const lo = sorted[0];
  const hi = sorted[sorted.length - 1];
  if (lo === hi) return [{ fromRaw: lo, toRaw: hi, runs: sorted.length }];
  const k = BigInt(bins);
  const width = (hi - lo + k - 1n) / k;
  const out: HistogramBin[] = [];
  for (let i = 0n; i < k; i++) out.push({ fromRaw: lo + i * width, toRaw: lo + (i + 1n) * width, runs: 0 });
  for (const v of sorted) {
    const i = Number((v - lo) / width);
    out[Math.min(i, bins - 1)].runs += 1;
  }
  return out;
}

export interface ExceedancePoint {
  valueRaw: bigint;
  /** Runs whose value is at least valueRaw: the exceedance probability is runsAtOrAbove / n. */
  runsAtOrAbove: number;
}

/** The exceedance curve: for each distinct value, ascending, how many runs reached at least it. */
export function exceedance(values: readonly bigint[]): ExceedancePoint[] {
  const sorted = sortedAscending(values);
  const out: ExceedancePoint[] = [];
  sorted.forEach((v, i) => {
    if (i === 0 || sorted[i - 1] !== v) out.push({ valueRaw: v, runsAtOrAbove: sorted.length - i });
  });
  return out;
}
