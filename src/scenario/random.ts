/**
 * Seeded randomness for populations: the same seed gives the same draws on every machine (32-bit integer PRNG,
 * float math only in deterministic operations), so a scenario file always builds the same positions.
 */
import { InputError } from "../errors";
import { parseUnitsExact } from "../math/fixed-point";
import { MAX_LOGNORMAL_SIGMA } from "../domain/bounds";

/** mulberry32: a small, well-mixed 32-bit PRNG; returns floats in [0, 1). */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** A distribution of a decimal quantity (strings, as in scenario files). */
export type Distribution =
  | { dist: "fixed"; value: string }
  | { dist: "uniform"; min: string; max: string }
  | { dist: "lognormal"; median: string; sigma: number; min?: string; max?: string }
  | { dist: "choice"; values: string[]; weights?: number[] };

const num = (s: string, field: string): number => {
  if (!/^\d+(\.\d+)?$/.test(s)) throw new InputError(field, `"${s}" is not a decimal number`, 'write e.g. "0.85"');
  return Number(s);
};

/** Checks a distribution's parameters (names the field), before anything runs. */
export function checkDistribution(d: Distribution, field: string): void {
  switch (d.dist) {
    case "fixed":
      num(d.value, `${field}.value`);
      return;
    case "uniform":
      if (num(d.min, `${field}.min`) > num(d.max, `${field}.max`))
        throw new InputError(`${field}.min`, "must be <= max");
      return;
    case "lognormal":
      num(d.median, `${field}.median`);
      if (!(d.sigma >= 0 && d.sigma <= MAX_LOGNORMAL_SIGMA)) {
        throw new InputError(`${field}.sigma`, `must be from 0 to ${MAX_LOGNORMAL_SIGMA}`);
      }
      if (d.min !== undefined && d.max !== undefined && num(d.min, `${field}.min`) > num(d.max, `${field}.max`))
        throw new InputError(`${field}.min`, "must be <= max");
      return;
    case "choice":
      if (d.values.length === 0) throw new InputError(`${field}.values`, "needs at least one value");
      d.values.forEach((v, i) => num(v, `${field}.values[${i}]`));
      if (d.weights && (d.weights.length !== d.values.length || d.weights.some((w) => !(w >= 0)))) {
        throw new InputError(`${field}.weights`, "needs one non-negative weight per value");
      }
      // Their sum must stay a number: weights are relative, so none needs to be astronomically large.
      if (d.weights && !Number.isFinite(d.weights.reduce((s, w) => s + w, 0))) {
        throw new InputError(`${field}.weights`, "their sum is too large to be a number", "use smaller weights");
      }
  }
}

/** Draws a value and returns it as a raw integer with `decimals` (rounded to `keepDecimals` significant places). */
export function draw(d: Distribution, rand: () => number, decimals: number, keepDecimals = 4): bigint {
  let x: number;
  switch (d.dist) {
    case "fixed":
      return parseUnitsExact(d.value, decimals, "value");
    case "uniform":
      x = Number(d.min) + (Number(d.max) - Number(d.min)) * rand();
      break;
    case "lognormal": {
      // Box-Muller from two uniforms; clamp to [min, max].
      const u1 = Math.max(rand(), 1e-12);
      const u2 = rand();
      const z = Math.sqrt(-2 * Math.log(u1)) * Math.cos(2 * Math.PI * u2);
      x = Number(d.median) * Math.exp(d.sigma * z);
      if (d.min !== undefined) x = Math.max(x, Number(d.min));
      if (d.max !== undefined) x = Math.min(x, Number(d.max));
      break;
    }
    case "choice": {
      const w = d.weights ?? d.values.map(() => 1);
      let r = rand() * w.reduce((s, v) => s + v, 0);
      let i = 0;
      while (i < w.length - 1 && r >= w[i]) r -= w[i++];
      return parseUnitsExact(d.values[i], decimals, "value");
    }
  }
  const scaled = Math.round(x * 10 ** keepDecimals);
  return (BigInt(scaled) * 10n ** BigInt(decimals)) / 10n ** BigInt(keepDecimals);
}
