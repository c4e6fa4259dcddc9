/** Uniswap V3 price <-> tick/sqrtPrice conversions (TickMath bounds from v3-core). */
import { Q96, WAD } from "../constants";
import { sqrtBig } from "./fixed-point";

export const MIN_TICK = -887272;
export const MAX_TICK = 887272;
export const TICK_SPACING: Record<number, number> = { 100: 1, 500: 10, 3000: 60, 10000: 200 };

/** sqrtPriceX96 for a raw price token1Raw/token0Raw = num/den (floor). */
export function sqrtPriceX96FromRatio(num: bigint, den: bigint): bigint {
  return sqrtBig((num << 192n) / den);
}

/** Raw price token1/token0 as a WAD-scaled bigint, from sqrtPriceX96 (floor). */
export function rawPriceWadFromSqrtX96(sqrtPriceX96: bigint): bigint {
  return (sqrtPriceX96 * sqrtPriceX96 * WAD) / (Q96 * Q96);
}

/** Largest tick whose price <= raw price (display-precision float math is enough for range bounds). */
export function tickAtOrBelow(rawPrice: number): number {
  return Math.floor(Math.log(rawPrice) / Math.log(1.0001));
}

export function alignTick(tick: number, spacing: number, direction: "down" | "up"): number {
  const aligned = direction === "down" ? Math.floor(tick / spacing) * spacing : Math.ceil(tick / spacing) * spacing;
  return Math.max(Math.ceil(MIN_TICK / spacing) * spacing, Math.min(Math.floor(MAX_TICK / spacing) * spacing, aligned));
}
