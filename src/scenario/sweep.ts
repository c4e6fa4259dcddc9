/**
 * Sweeps: one cascade scenario over a grid (USDe depeg floor x loop rounds x oracle policy), each point run from the
 * same deployed chain by snapshot, one result row per point. `shard i/n` runs the points whose index is i mod n,
 * so a grid can be split across processes or machines; merging the shards' rows gives the unsharded result.
 */
import { z } from "zod";
import type { ChainContext } from "../chain/context";
import { revertTo, snapshot } from "../chain/cheats";
import type { UniswapV3Dex } from "../dex/uniswap-v3";
import { ORACLE_POLICIES } from "../domain/oracle-policy";
import { POLICY_KEYS, policySetFromName, policySetName } from "../protocols/registry";
import { InputError } from "../errors";
import { parseUnitsExact } from "../math/fixed-point";
import { csvField } from "../report/depeg-report";
import type { Signer } from "ethers";
import type { CascadeScenario } from "./cascade-schema";
import { runCascade } from "./run-cascade";
import { parseWithSchema, readStructuredFile } from "./files";
import { decimal, loopRounds } from "./schema-parts";
import { MAX_GRID_POINTS } from "../domain/bounds";
import { shownValue } from "../domain/flag-values";

const policyPair = z
  .string()
  .refine(
    (s) => policySetFromName(s) !== undefined,
    `must be "${POLICY_KEYS.map((k) => `<${k} policy>`).join("/")}", each one of ${ORACLE_POLICIES.join(", ")}`,
  );

export const GridSchema = z
  .object({
    /** The lowest USDe price of the path: the path's USDe points are rescaled so their minimum is this. */
    floor: z.array(decimal).min(1).optional(),
    /** Loop rounds of every population group. */
    rounds: z.array(loopRounds).min(1).optional(),
    /** Oracle policies, "aave/morpho". */
    policy: z.array(policyPair).min(1).optional(),
  })
  .strict();

export type Grid = z.infer<typeof GridSchema>;

export interface GridPoint {
  index: number;
  floor?: string;
  rounds?: number;
  policy: string;
}

export const SWEEP_COLUMNS = [
  "index",
  "floor",
  "rounds",
  "policy",
  "liquidations",
  "positionsLiquidated",
  "repaidUsdWad",
  "badDebtUsdWad",
  "minDexUsdeUsdcWad",
  "minFeedE8",
  "rounds_run",
  "converged",
  "liquidatableLeft",
] as const;
export type SweepRow = Record<(typeof SWEEP_COLUMNS)[number], string>;

export function readGrid(file: string): Grid {
  return parseWithSchema(GridSchema, readStructuredFile(file, "--grid"), file);
}

/** Every point of the grid, in a fixed order (floor, then rounds, then policy). */
export function gridPoints(grid: Grid, scenario: CascadeScenario): GridPoint[] {
  const policies = grid.policy ?? scenario.policies.map((p) => policySetName(p));
  const size = (grid.floor?.length ?? 1) * (grid.rounds?.length ?? 1) * policies.length;
  if (size > MAX_GRID_POINTS) {
    throw new InputError("--grid", `${size} points, over the bound of ${MAX_GRID_POINTS}`, "split the grid into files");
  }
  const out: GridPoint[] = [];
  for (const floor of grid.floor ?? [undefined]) {
    for (const rounds of grid.rounds ?? [undefined]) {
      for (const policy of policies) out.push({ index: out.length, floor, rounds, policy });
    }
  }
  return out;
}

// Shards are domain vocabulary (shared with other sharded tasks); re-exported where sweeps always found it.
export { parseShard } from "../domain/shard";

/** The scenario at one grid point. */
export function scenarioAt(s: CascadeScenario, p: GridPoint): CascadeScenario {
  const policies = policySetFromName(p.policy);
  if (policies === undefined) throw new InputError("grid.policy", `"${p.policy}" names no policy set`);
  let path = s.path;
  if (p.floor !== undefined) {
    if (!("points" in path)) {
      path = { ramp: { ...path.ramp, usde: { from: path.ramp.usde?.from ?? "1", to: p.floor } } };
    } else {
      const prices = path.points.map((x) => (x.usde === undefined ? undefined : parseUnitsExact(x.usde, 8, "usde")));
      const min = prices.reduce<bigint>((m, x) => (x !== undefined && x < m ? x : m), 10n ** 8n);
      const floor = parseUnitsExact(p.floor, 8, "grid.floor");
      const one = 10n ** 8n;
      const scale = (x: bigint) => (min === one ? x : one - ((one - x) * (one - floor)) / (one - min));
      path = {
        points: path.points.map((x, i) => ({
          ...x,
          usde: prices[i] === undefined ? undefined : (Number(scale(prices[i]!)) / 1e8).toFixed(8),
        })),
      };
    }
  }
  const groups = s.population.groups.map((g) =>
    p.rounds === undefined ? g : { ...g, rounds: { dist: "fixed" as const, value: String(p.rounds) } },
  );
  return { ...s, path, population: { ...s.population, groups }, policies: [policies] };
}

export async function runSweep(
  ctx: ChainContext,
  dex: UniswapV3Dex,
  scenario: CascadeScenario,
  points: GridPoint[],
  liquidator: Signer,
  progress: (done: number, total: number) => void = () => undefined,
): Promise<SweepRow[]> {
  const rows: SweepRow[] = [];
  let base = await snapshot(ctx.provider);
  for (const p of points) {
    const report = await runCascade(ctx, dex, scenarioAt(scenario, p), { liquidator });
    await revertTo(ctx.provider, base);
    base = await snapshot(ctx.provider);
    const run = report.runs[0];
    const minOf = (xs: string[]) => xs.reduce((m, x) => (BigInt(x) < BigInt(m) ? x : m), xs[0] ?? "0");
    rows.push({
      index: String(p.index),
      floor: p.floor ?? "",
      rounds: p.rounds === undefined ? "" : String(p.rounds),
      policy: p.policy,
      liquidations: String(run.totals.liquidations),
      positionsLiquidated: String(run.totals.positionsLiquidated),
      repaidUsdWad: run.totals.repaidUsdWad,
      badDebtUsdWad: run.totals.badDebtUsdWad,
      minDexUsdeUsdcWad: minOf(run.rounds.map((r) => r.dexUsdeUsdcWad)),
      minFeedE8: minOf(run.rounds.map((r) => r.feedPriceE8)),
      rounds_run: String(run.rounds.length),
      converged: String(run.converged),
      liquidatableLeft: String(run.liquidatableLeft),
    });
    progress(rows.length, points.length);
  }
  return rows;
}

export function sweepCsv(rows: SweepRow[]): string {
  return (
    [SWEEP_COLUMNS.join(","), ...rows.map((r) => SWEEP_COLUMNS.map((c) => csvField(r[c])).join(","))].join("\n") + "\n"
  );
}

export function parseSweepCsv(text: string, source: string): SweepRow[] {
  const [header, ...lines] = text.trim().split("\n");
  if (header !== SWEEP_COLUMNS.join(","))
    throw new InputError(source, "is not a loopstress sweep CSV (unexpected header)");
  // Sweep cells never contain commas or quotes (numbers, decimals, policy names).
  return lines.map((l) => Object.fromEntries(l.split(",").map((v, i) => [SWEEP_COLUMNS[i], v])) as SweepRow);
}

/** A point as a row names it: floor, rounds (empty when the grid does not vary them) and policy. */
const pointOf = (r: { floor?: string; rounds?: number | string; policy: string }) =>
  `floor ${r.floor || "-"}, rounds ${r.rounds === undefined || r.rounds === "" ? "-" : r.rounds}, policy ${r.policy}`;

/**
 * Merges shard results into grid order. Every point must be in exactly one shard: `points` (the grid's, or the slice
 * a sharded run owns) when known, checking that each row is that point (its floor, rounds and policy), so that a shard
 * of another grid is refused; otherwise points 0 to the last. `sources` names each shard in errors (its file).
 */
export function mergeSweeps(
  shards: SweepRow[][],
  options: { points?: readonly GridPoint[]; sources?: readonly string[] } = {},
): SweepRow[] {
  const source = (i: number) => options.sources?.[i] ?? `shard ${i + 1}`;
  const expected = options.points === undefined ? undefined : new Map(options.points.map((p) => [p.index, p]));
  const seen = new Map<number, number>();
  const fix = "merge every shard of the same grid exactly once";
  shards.forEach((rows, s) =>
    rows.forEach((r) => {
      if (!/^\d{1,6}$/.test(r.index)) {
        throw new InputError(
          source(s),
          `"${shownValue(r.index)}" is not a grid point index`,
          "merge sweep CSVs as written",
        );
      }
      const index = Number(r.index);
      const other = seen.get(index);
      if (other !== undefined) throw new InputError(source(s), `grid point ${index} is also in ${source(other)}`, fix);
      seen.set(index, s);
      if (expected === undefined) return;
      const p = expected.get(index);
      if (p === undefined) {
        throw new InputError(
          source(s),
          `grid point ${index} is not in this grid`,
          "merge only the shards of this grid",
        );
      }
      if (pointOf(r) !== pointOf(p)) {
        throw new InputError(
          source(s),
          `grid point ${index} is ${pointOf(r)}, not ${pointOf(p)}: a shard of another grid`,
          "merge only the shards of this grid and scenario",
        );
      }
    }),
  );
  const wanted = options.points?.map((p) => p.index) ?? Array.from({ length: seen.size }, (_, i) => i);
  for (const i of wanted) {
    if (!seen.has(i)) throw new InputError("shards", `grid point ${i} is missing`, fix);
  }
  // Without the grid, an index past the last point means one before it is missing (caught above).
  return shards.flat().sort((a, b) => Number(a.index) - Number(b.index));
}
