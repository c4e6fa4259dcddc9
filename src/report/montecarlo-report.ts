/**
 * The Monte Carlo report: runs.csv (one row per run: its seeds, the path it drew, what it measured, raw integers beside
 * token units), and the distribution over the runs of bad debt, liquidated collateral and liquidations — mean,
 * nearest-rank percentiles, value at risk and expected shortfall (src/math/risk-stats.ts), histogram and exceedance
 * curve — as montecarlo.json (validated), summary.md and a self-contained report.html.
 */
import path from "path";
import { z } from "zod";
import { writeFileAtomic } from "../chain/deployments";
import { InputError } from "../errors";
import { int } from "../domain/json-schema";
import { decimalOf, table } from "../domain/format";
import { exceedance, expectedShortfall, histogram, mean, percentile, sum } from "../math/risk-stats";

export const MONTECARLO_CSV_COLUMNS = [
  "run",
  "seed",
  "usdeFloorUsd",
  "ethDropFraction",
  "liquidations",
  "positionsLiquidated",
  "liquidatedCollateralUsd",
  "liquidatedCollateralUsdWad",
  "repaidDebtUsd",
  "repaidDebtUsdWad",
  "badDebtUsd",
  "badDebtUsdWad",
  "converged",
  "liquidatableLeft",
  "scenario",
  "fingerprint",
] as const;
export type MonteCarloRow = Record<(typeof MONTECARLO_CSV_COLUMNS)[number], string>;

/** USD wad as the CSV shows it beside the raw integer: dollars and cents, rounded down. */
export const usdCell = (wad: bigint): string => decimalOf(wad, 18, 2);

export function montecarloCsv(rows: readonly MonteCarloRow[]): string {
  // Cells never hold a comma or a quote: integers, decimals, booleans, a scenario name ([A-Za-z0-9._-]) and hex.
  return [MONTECARLO_CSV_COLUMNS.join(","), ...rows.map((r) => MONTECARLO_CSV_COLUMNS.map((c) => r[c]).join(","))]
    .map((l) => `${l}\n`)
    .join("");
}

const CELL = /^[A-Za-z0-9._-]*$/;

/** Reads a runs.csv back; anything but our header and plain cells is refused, naming the file and line. */
export function parseMontecarloCsv(text: string, source: string): MonteCarloRow[] {
  const [header, ...lines] = text.replace(/\n$/, "").split("\n");
  if (header !== MONTECARLO_CSV_COLUMNS.join(","))
    throw new InputError(source, "is not a loopstress montecarlo runs.csv (unexpected header)", "give another --out");
  return lines.map((line, i) => {
    const cells = line.split(",");
    if (cells.length !== MONTECARLO_CSV_COLUMNS.length || !cells.every((c) => CELL.test(c)) || !/^\d+$/.test(cells[0]))
      throw new InputError(`${source}: line ${i + 2}`, "is not a run row", "delete the file to start over");
    return Object.fromEntries(cells.map((v, j) => [MONTECARLO_CSV_COLUMNS[j], v])) as MonteCarloRow;
  });
}

/** The measures whose distribution the report gives: which CSV column holds the raw value, its unit. */
const METRICS = [
  { metric: "badDebt", label: "bad debt", column: "badDebtUsdWad", unit: "USD", decimals: 18 },
  {
    metric: "liquidatedCollateral",
    label: "liquidated collateral",
    column: "liquidatedCollateralUsdWad",
    unit: "USD",
    decimals: 18,
  },
  { metric: "liquidations", label: "liquidations", column: "liquidations", unit: "count", decimals: 0 },
] as const;

const DEFINITIONS = {
  percentile: "nearest rank: the k-th smallest of n runs, k = ceil(p x n), at least 1",
  valueAtRisk: "VaR p: the p percentile of the measure over the runs",
  expectedShortfall: "ES p: the mean of the worst n - floor(p x n) runs (the tail beyond VaR), at least the worst run",
  mean: "the sum over the runs divided by n, rounded down to the raw unit",
} as const;

const DistributionSchema = z.record(z.string(), z.unknown());

const MetricSchema = z.object({
  metric: z.enum(["badDebt", "liquidatedCollateral", "liquidations"]),
  label: z.string(),
  unit: z.enum(["USD", "count"]),
  /** Raw values are integers with this many decimals (USD wad: 18; counts: 0). */
  decimals: z.number().int(),
  sumRaw: int,
  meanRaw: int,
  minRaw: int,
  medianRaw: int,
  var95Raw: int,
  var99Raw: int,
  es95Raw: int,
  es99Raw: int,
  maxRaw: int,
  runsAboveZero: z.number().int(),
  histogram: z.array(z.object({ fromRaw: int, toRaw: int, runs: z.number().int() })),
  exceedance: z.array(z.object({ valueRaw: int, runsAtOrAbove: z.number().int() })),
});
export type MonteCarloMetric = z.infer<typeof MetricSchema>;

export const MonteCarloSummarySchema = z.object({
  schemaVersion: z.literal(1),
  scenario: z.string(),
  description: z.string().optional(),
  /** Hash of the scenario as parsed (montecarlo.runs aside): rows of runs.csv carry it, so a foreign file is refused. */
  fingerprint: z.string(),
  baseSeed: z.number().int(),
  runs: z.number().int(),
  /** The policy set every run was measured under ("<aave>/<morpho>"). */
  policies: z.string(),
  /** What varied: every run's population seed (from the base seed and its index), and the path's drawn knobs. */
  varies: z.object({
    populationSeed: z.literal("derived from baseSeed and the run index"),
    usdeFloor: DistributionSchema.nullable(),
    ethDrop: DistributionSchema.nullable(),
  }),
  definitions: z.object({
    percentile: z.string(),
    valueAtRisk: z.string(),
    expectedShortfall: z.string(),
    mean: z.string(),
  }),
  metrics: z.array(MetricSchema),
});
export type MonteCarloSummary = z.infer<typeof MonteCarloSummarySchema>;

/** Histogram bins: the square-root rule, at most this many (enough to see a tail's shape, few enough to read). */
const MAX_BINS = 30;

export interface SummaryMeta {
  scenario: string;
  description?: string;
  fingerprint: string;
  baseSeed: number;
  policies: string;
  usdeFloor: Record<string, unknown> | null;
  ethDrop: Record<string, unknown> | null;
}

/** The distribution of each measure over the rows (every run of the Monte Carlo, in run order). */
export function summarizeRuns(rows: readonly MonteCarloRow[], meta: SummaryMeta): MonteCarloSummary {
  const bins = Math.min(MAX_BINS, Math.ceil(Math.sqrt(rows.length)));
  const metrics = METRICS.map((m): MonteCarloMetric => {
    const values = rows.map((r) => BigInt(r[m.column]));
    return {
      metric: m.metric,
      label: m.label,
      unit: m.unit,
      decimals: m.decimals,
      sumRaw: sum(values).toString(),
      meanRaw: mean(values).toString(),
      minRaw: values.reduce((a, b) => (b < a ? b : a)).toString(),
      medianRaw: percentile(values, 5000).toString(),
      var95Raw: percentile(values, 9500).toString(),
      var99Raw: percentile(values, 9900).toString(),
      es95Raw: expectedShortfall(values, 9500).toString(),
      es99Raw: expectedShortfall(values, 9900).toString(),
      maxRaw: percentile(values, 10_000).toString(),
      runsAboveZero: values.filter((v) => v > 0n).length,
      histogram: histogram(values, bins).map((b) => ({
        fromRaw: b.fromRaw.toString(),
        toRaw: b.toRaw.toString(),
        runs: b.runs,
      })),
      exceedance: exceedance(values).map((p) => ({ valueRaw: p.valueRaw.toString(), runsAtOrAbove: p.runsAtOrAbove })),
    };
  });
  return MonteCarloSummarySchema.parse({
    schemaVersion: 1,
    scenario: meta.scenario,
    description: meta.description,
    fingerprint: meta.fingerprint,
    baseSeed: meta.baseSeed,
    runs: rows.length,
    policies: meta.policies,
    varies: {
      populationSeed: "derived from baseSeed and the run index",
      usdeFloor: meta.usdeFloor,
      ethDrop: meta.ethDrop,
    },
    definitions: DEFINITIONS,
    metrics,
  });
}

/** A measure's raw value as a person reads it: "$1,234.56" (cents rounded down, as in runs.csv) or "3". */
export function shownValue(m: Pick<MonteCarloMetric, "unit" | "decimals">, raw: string | bigint): string {
  const [whole, cents] = decimalOf(BigInt(raw), m.decimals, m.unit === "USD" ? 2 : 0).split(".");
  const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ",");
  return m.unit === "USD" ? `$${grouped}.${cents}` : grouped;
}

/** The mean of a count with two decimals, rounded half up (its raw mean is rounded down to a whole liquidation). */
function shownMean(m: MonteCarloMetric, runs: number): string {
  if (m.unit === "USD") return shownValue(m, m.meanRaw);
  const n = BigInt(runs);
  return decimalOf((BigInt(m.sumRaw) * 200n + n) / (2n * n), 2, 2);
}

/** The figures table shared by summary.md and report.html. */
export function figuresTable(s: MonteCarloSummary): { headers: string[]; rows: string[][] } {
  return {
    headers: ["measure", "mean", "median", "VaR 95%", "VaR 99%", "ES 95%", "ES 99%", "max", "runs > 0"],
    rows: s.metrics.map((m) => [
      m.unit === "USD" ? `${m.label} (USD)` : m.label,
      shownMean(m, s.runs),
      shownValue(m, m.medianRaw),
      shownValue(m, m.var95Raw),
      shownValue(m, m.var99Raw),
      shownValue(m, m.es95Raw),
      shownValue(m, m.es99Raw),
      shownValue(m, m.maxRaw),
      `${m.runsAboveZero} of ${s.runs}`,
    ]),
  };
}

const distText = (d: Record<string, unknown> | null): string =>
  d === null
    ? "as written"
    : Object.entries(d)
        .map(([k, v]) => `${k} ${Array.isArray(v) ? v.join("/") : String(v)}`)
        .join(", ");

export function montecarloMarkdown(s: MonteCarloSummary): string {
  const t = figuresTable(s);
  return [
    `# Monte Carlo: ${s.scenario}`,
    "",
    ...(s.description ? [s.description, ""] : []),
    `${s.runs} runs under ${s.policies}, base seed ${s.baseSeed} (fingerprint ${s.fingerprint}). Each run draws its own population seed; USDe floor: ${distText(s.varies.usdeFloor)}; ETH drop: ${distText(s.varies.ethDrop)}.`,
    "",
    table(t.headers, t.rows),
    "",
    `Percentile: ${DEFINITIONS.percentile}. ${DEFINITIONS.valueAtRisk}. ${DEFINITIONS.expectedShortfall}. Mean: ${DEFINITIONS.mean}. USD amounts are debt and collateral valued as the report does (debt tokens at $1, collateral at the oracle). Per-run rows, raw integers beside token units: runs.csv; the figures' raw integers: montecarlo.json.`,
  ].join("\n");
}

/**
 * Validates, renders everything, then writes montecarlo.json, summary.md and report.html into `dir` (runs.csv is
 * written run by run by the caller, so an interrupted Monte Carlo resumes).
 */
export async function writeMonteCarloReport(summary: MonteCarloSummary, dir: string): Promise<void> {
  const checked = MonteCarloSummarySchema.parse(summary);
  const { montecarloHtml } = await import("./montecarlo-html");
  const files: [string, string][] = [
    ["montecarlo.json", `${JSON.stringify(checked, null, 2)}\n`],
    ["summary.md", `${montecarloMarkdown(checked)}\n`],
    ["report.html", await montecarloHtml(checked)],
  ];
  for (const [name, contents] of files) writeFileAtomic(path.join(dir, name), contents);
}
