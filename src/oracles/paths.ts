/**
 * Price paths: a step, a linear ramp over N blocks, or a CSV of (block or time, price) pairs. A path is walked by
 * advancing the chain (blocks and time) to each point, then setting the feed, then letting the caller act.
 */
import { MAX_PATH_BLOCKS, MAX_PATH_POINTS } from "../domain/bounds";
import { readInputFile } from "../domain/input-file";
import type { ChainContext } from "../chain/context";
import { SECONDS_PER_BLOCK, advance } from "../chain/clock";
import { InputError } from "../errors";
import { parseUnitsExact } from "../math/fixed-point";
import { setFeedPrice } from "./feeds";

export interface PathPoint {
  /** Blocks mined after the previous point (or the start) before this price is set. */
  afterBlocks: number;
  /** Seconds of chain time over those blocks. */
  afterSeconds: number;
  priceE8: bigint;
}

export type PathSpec =
  | { step: { to: string; afterBlocks: number } }
  | { ramp: { from: string; to: string; blocks: number; points: number } }
  | { csv: string };

function price(value: string, field: string): bigint {
  const p = parseUnitsExact(value, 8, field);
  if (p <= 0n)
    throw new InputError(
      field,
      `price must be > 0, got ${value}`,
      "protocols fall back or revert on prices <= 0: use a positive price",
    );
  return p;
}

export function stepPath(to: string, afterBlocks = 1): PathPoint[] {
  if (!Number.isInteger(afterBlocks) || afterBlocks < 0)
    throw new InputError("path.step.afterBlocks", "must be a whole number >= 0");
  return [{ afterBlocks, afterSeconds: afterBlocks * SECONDS_PER_BLOCK, priceE8: price(to, "path.step.to") }];
}

/** `points` equal steps from `from` (excluded) to `to` (included) spread over `blocks` blocks. */
export function rampPath(from: string, to: string, blocks: number, points: number): PathPoint[] {
  if (!Number.isInteger(points) || points < 1)
    throw new InputError("path.ramp.points", `must be a whole number >= 1, got ${points}`);
  if (!Number.isInteger(blocks) || blocks < points)
    throw new InputError("path.ramp.blocks", `must be a whole number >= points (${points}), got ${blocks}`);
  const a = price(from, "path.ramp.from");
  const b = price(to, "path.ramp.to");
  const out: PathPoint[] = [];
  let prev = 0;
  for (let i = 1; i <= points; i++) {
    const block = Math.round((blocks * i) / points);
    out.push({
      afterBlocks: block - prev,
      afterSeconds: (block - prev) * SECONDS_PER_BLOCK,
      priceE8: a + ((b - a) * BigInt(i)) / BigInt(points),
    });
    prev = block;
  }
  return out;
}

/**
 * A CSV with a header `block,price` (blocks since the path starts) or `time,price` (seconds since it starts).
 * Offsets must not decrease; prices are decimals > 0.
 */
export function readPriceCsv(file: string): PathPoint[] {
  const text = readInputFile(file, "path.csv", "give the path of a readable CSV file");
  const lines = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== "" && !l.startsWith("#"));
  if (lines.length === 0)
    throw new InputError("path.csv", `${file} is empty`, 'start it with a header "block,price" or "time,price"');
  const header = lines[0].split(",").map((h) => h.trim().toLowerCase());
  if (header.length !== 2 || !["block", "time"].includes(header[0]) || header[1] !== "price") {
    throw new InputError("path.csv", `${file}: header must be "block,price" or "time,price", got "${lines[0]}"`);
  }
  const byTime = header[0] === "time";
  const rows = lines.slice(1);
  if (rows.length === 0) throw new InputError("path", `${file} has no points`, "add at least one row");
  if (rows.length > MAX_PATH_POINTS) {
    throw new InputError("path.csv", `${file} has ${rows.length} points, over the bound of ${MAX_PATH_POINTS}`);
  }
  const out: PathPoint[] = [];
  let prev = 0;
  rows.forEach((line, i) => {
    const field = `path.csv line ${i + 2}`;
    const cells = line.split(",").map((c) => c.trim());
    if (cells.length !== 2 || !/^\d+$/.test(cells[0]))
      throw new InputError(field, `expected "<whole ${header[0]}>,<price>", got "${line}"`);
    const offset = Number(cells[0]);
    // Whole path within MAX_PATH_BLOCKS: in seconds, that many 12-second blocks.
    const maxOffset = byTime ? MAX_PATH_BLOCKS * SECONDS_PER_BLOCK : MAX_PATH_BLOCKS;
    if (!Number.isSafeInteger(offset) || offset > maxOffset)
      throw new InputError(field, `${header[0]} ${cells[0]} is past the bound of ${maxOffset}`, "shorten the path");
    if (offset < prev)
      throw new InputError(field, `${header[0]} ${offset} is before the previous row's ${prev}`, "sort the rows");
    const dt = offset - prev;
    const blocks = byTime ? (dt === 0 ? 0 : Math.max(1, Math.ceil(dt / SECONDS_PER_BLOCK))) : dt;
    out.push({
      afterBlocks: blocks,
      afterSeconds: byTime ? dt : dt * SECONDS_PER_BLOCK,
      priceE8: price(cells[1], field),
    });
    prev = offset;
  });
  return out;
}

export function buildPath(spec: PathSpec, resolveFile: (f: string) => string = (f) => f): PathPoint[] {
  if ("step" in spec) return stepPath(spec.step.to, spec.step.afterBlocks);
  if ("ramp" in spec) return rampPath(spec.ramp.from, spec.ramp.to, spec.ramp.blocks, spec.ramp.points);
  return readPriceCsv(resolveFile(spec.csv));
}

/** Walks a path on `feed`: advance the chain, set the price, then call `atPoint`. */
export async function walkPath(
  ctx: ChainContext,
  feed: string,
  points: PathPoint[],
  atPoint: (point: PathPoint, index: number) => Promise<void>,
): Promise<void> {
  if (points.length === 0) throw new InputError("path", "has no points", "give at least one price");
  for (const [i, p] of points.entries()) {
    await advance(ctx.provider, p.afterBlocks, p.afterSeconds);
    await setFeedPrice(ctx, feed, p.priceE8);
    await atPoint(p, i);
  }
}
