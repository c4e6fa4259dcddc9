/**
 * report.html: a self-contained page (inline CSS, inline SVG; no script, no network) with the summary table and, per run,
 * four charts drawn in Node by Vega-Lite → Vega → SVG. Numbers are converted from the report's raw integer strings
 * to JS numbers here, for display only.
 */
import { pathToFileURL } from "url";
import type * as Vega from "vega";
import type * as VegaLite from "vega-lite" with { "resolution-mode": "import" };
import type { TopLevelSpec } from "vega-lite" with { "resolution-mode": "import" };
import { toNumber } from "../math/fixed-point";
import type { Validation } from "./validation";
import { type DepegReport, type RunReport, depegSummaryTable, runLabel, runName } from "./depeg-report";
import { decimalsOfSymbol } from "../domain/tokens";
import { HF_NO_DEBT_WAD } from "../domain/format";

// vega and vega-lite are ES modules with top-level await, which `require` cannot load; TypeScript (module: commonjs)
// turns `import()` into `require`, so the runtime's own dynamic import is reached through Function.
const importEsm = new Function("specifier", "return import(specifier)") as (specifier: string) => Promise<unknown>;

interface Charting {
  vega: typeof Vega;
  vl: typeof VegaLite;
}
let charting: Promise<Charting> | undefined;

function loadCharting(): Promise<Charting> {
  charting ??= (async () => {
    const load = (name: string) => importEsm(pathToFileURL(require.resolve(name)).href);
    const [vega, vl] = await Promise.all([load("vega"), load("vega-lite")]);
    return { vega: vega as typeof Vega, vl: vl as typeof VegaLite };
  })().catch((err: unknown) => {
    charting = undefined;
    throw err;
  });
  return charting;
}

/** Renders a Vega-Lite spec to an SVG string (headless: no DOM, no canvas; text widths are estimated). */
export async function renderSvg(spec: TopLevelSpec, idPrefix: string): Promise<string> {
  const { vega, vl } = await loadCharting();
  const compiled = vl.compile(spec, { logger: vega.logger(vega.Error) }).spec;
  const view = new vega.View(vega.parse(compiled), { renderer: "none", logLevel: vega.Error });
  try {
    const svg = await view.toSVG();
    // Several SVGs share one document: keep any ids (clip paths, gradients) unique to their chart.
    return svg.replace(/\bid="([^"]+)"/g, `id="${idPrefix}-$1"`).replace(/url\(#([^)]+)\)/g, `url(#${idPrefix}-$1)`);
  } finally {
    view.finalize();
  }
}

/** Every SVG is WIDTH px wide overall (axes and labels included), so that all charts show their text at one size. */
export const WIDTH = 560;
export const FIT = { type: "fit-x", contains: "padding" } as const;
export const HEIGHT = 200;
/** Health factors above this are drawn at it (the caption says so); "no debt" positions are counted, not drawn. */
const HF_DISPLAY_MAX = 3;
export const COLORS = {
  feed: "#1f77b4",
  dex: "#ff7f0e",
  liquidations: "#6a3d9a",
  badDebt: "#d62728",
  total: "#999999",
};

export const CONFIG = {
  font: "sans-serif",
  background: "white",
  view: { stroke: "#cccccc" },
  axis: { labelFontSize: 11, titleFontSize: 12, titleFontWeight: "normal", gridColor: "#eeeeee" },
  legend: { orient: "bottom", labelFontSize: 11, titleFontSize: 11, labelLimit: 260, columns: 2 },
} as const;

const fromWad = (wad: bigint): number => toNumber(wad, 18);
const e8 = (v: string): number => toNumber(BigInt(v), 8);
/** d3-format for a USD axis: SI prefixes for large amounts ("$3.59M"), cents for small ones (never "m" for milli). */
export const usdAxisFormat = (max: number): string => (max >= 1000 ? "$,.3~s" : "$,.2~f");
const fmtUsd = (v: number): string => `$${v.toLocaleString("en-US", { maximumFractionDigits: 0 })}`;
/** A debt amount in USD, its token counted at $1 (as the report's totals do). */
const debtUsd = (raw: string, asset: string): number => toNumber(BigInt(raw), decimalsOfSymbol(asset));

export function esc(s: string): string {
  return s.replace(
    /[&<>"']/g,
    (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c] ?? c,
  );
}

/** 1-based index of the path point a liquidation belongs to: the first point read at or after its block. */
function pointOfBlock(run: RunReport, block: number): number {
  const i = run.points.findIndex((p) => p.block >= block);
  return (i === -1 ? run.points.length - 1 : i) + 1;
}

interface Chart {
  id: string;
  caption: string;
  spec: TopLevelSpec;
}

function pointAxis(n: number) {
  return {
    field: "point",
    type: "quantitative" as const,
    title: "path point",
    scale: { domain: [0.5, n + 0.5], nice: false },
    axis: { tickMinStep: 1, format: "d" },
  };
}

function priceChart(r: DepegReport, run: RunReport): Chart {
  const feedName = `oracle feed (${r.path.feed})`;
  const dexName = "Uniswap V3: USDe in USDC";
  const values = run.points.flatMap((p, i) => [
    { point: i + 1, series: feedName, price: e8(p.feedPriceE8) },
    { point: i + 1, series: dexName, price: fromWad(BigInt(p.dexUsdeUsdcWad)) },
  ]);
  const n = run.points.length;
  const blocks = n === 0 ? "" : ` (blocks ${run.points[0].block}–${run.points[n - 1].block})`;
  return {
    id: "price",
    caption: `Oracle feed ${r.path.feed} and the DEX price of USDe in USDC at each of the ${n} path points${blocks}.`,
    spec: {
      width: WIDTH,
      autosize: FIT,
      height: HEIGHT,
      config: CONFIG,
      data: { values },
      mark: { type: "line", point: { size: 18 }, strokeWidth: 2 },
      encoding: {
        x: pointAxis(n),
        y: {
          field: "price",
          type: "quantitative",
          title: "price (USD)",
          scale: { zero: false },
          axis: { format: ".3f" },
        },
        color: {
          field: "series",
          type: "nominal",
          title: null,
          scale: { domain: [feedName, dexName], range: [COLORS.feed, COLORS.dex] },
        },
      },
    },
  };
}

function liquidationsChart(run: RunReport): Chart {
  const n = run.points.length;
  const perPoint = run.points.map(() => ({ count: 0, badDebt: 0 }));
  for (const l of run.liquidations) {
    const at = perPoint[pointOfBlock(run, l.block) - 1];
    if (!at) continue;
    at.count += 1;
    at.badDebt += debtUsd(l.badDebtRaw, l.debtAsset);
  }
  let count = 0,
    bad = 0;
  const values = perPoint.map((p, i) => {
    count += p.count;
    bad += p.badDebt;
    return { point: i + 1, liquidations: count, badDebtUsd: bad };
  });
  const countName = "liquidations",
    badName = "bad debt (USD)";
  // Both layers share one colour scale, hence one legend.
  const seriesColors = { domain: [countName, badName], range: [COLORS.liquidations, COLORS.badDebt] };
  const caption =
    run.liquidations.length === 0
      ? "Cumulative liquidations and bad debt: no liquidations under these policies."
      : `Cumulative liquidations (left axis) and cumulative bad debt in USD (right axis) over the path: ${count} liquidations, ${fmtUsd(bad)} bad debt.`;
  return {
    id: "liquidations",
    caption,
    spec: {
      width: WIDTH,
      autosize: FIT,
      height: HEIGHT,
      config: CONFIG,
      data: { values },
      encoding: { x: pointAxis(n) },
      layer: [
        {
          mark: { type: "line", interpolate: "step-after", strokeWidth: 2, point: { size: 18 } },
          encoding: {
            y: {
              field: "liquidations",
              type: "quantitative",
              title: "cumulative liquidations",
              scale: { domain: [0, Math.max(1, count)] },
              axis: { tickMinStep: 1, format: "d", titleColor: COLORS.liquidations },
            },
            color: { datum: countName, type: "nominal", title: null, scale: seriesColors },
          },
        },
        {
          mark: { type: "line", interpolate: "step-after", strokeWidth: 2, strokeDash: [6, 3] },
          encoding: {
            y: {
              field: "badDebtUsd",
              type: "quantitative",
              title: "cumulative bad debt (USD)",
              scale: { domain: [0, bad > 0 ? bad : 1] },
              axis: { orient: "right", format: usdAxisFormat(bad), titleColor: COLORS.badDebt },
            },
            color: { datum: badName, type: "nominal", title: null, scale: seriesColors },
          },
        },
      ],
      resolve: { scale: { y: "independent" } },
    },
  };
}

function healthFactorChart(run: RunReport): Chart {
  const n = run.points.length;
  type Position = RunReport["positions"][number];
  const phases: { label: string; wad: (p: Position) => string }[] = [
    { label: "start", wad: (p) => p.healthFactorStartWad },
    { label: "end", wad: (p) => p.healthFactorPathWad[n - 1] ?? p.healthFactorStartWad },
  ];
  const values: { phase: string; hf: number; market: string; jitter: number; text: string }[] = [];
  const labels = phases.map((p) => p.label);
  const noDebt: { phase: string; count: number }[] = [];
  let clamped = 0;
  for (const phase of phases) {
    const drawn: { hf: number; market: string; text: string }[] = [];
    let count = 0;
    for (const p of run.positions) {
      const wad = BigInt(phase.wad(p));
      if (wad > HF_NO_DEBT_WAD) {
        count += 1;
        continue;
      }
      const hf = fromWad(wad);
      if (hf > HF_DISPLAY_MAX) clamped += 1;
      drawn.push({ hf: Math.min(hf, HF_DISPLAY_MAX), market: p.market, text: `${p.market}: HF ${hf.toFixed(4)}` });
    }
    // "No debt" positions have no finite health factor: counted in the chart's title, not drawn.
    if (count > 0) noDebt.push({ phase: phase.label, count });
    // Deterministic jitter (golden-ratio sequence): equal health factors stay visible and the page is reproducible.
    drawn.forEach((d, k) => values.push({ ...d, phase: phase.label, jitter: ((k * 0.618034) % 1) * 0.6 + 0.2 }));
  }
  const hfs = values.map((v) => v.hf);
  const lo = Math.min(0.9, ...hfs.map((h) => Math.floor(h * 10) / 10));
  const hi = Math.min(HF_DISPLAY_MAX, Math.max(1.3, ...hfs.map((h) => Math.ceil(h * 10) / 10)));
  const notes = [
    ...noDebt.map(
      (d) =>
        `${d.phase === "end" ? `After point ${n}` : "At the start"}: ${d.count} position(s) with no debt (infinite HF, e.g. fully liquidated), counted in the chart's title, not drawn.`,
    ),
    clamped > 0 ? `Health factors above ${HF_DISPLAY_MAX} are drawn at ${HF_DISPLAY_MAX}.` : "",
  ].filter((s) => s !== "");
  return {
    id: "health-factors",
    caption: `Health factor of each of the ${run.positions.length} positions at the start and after the last path point; dashed red line: HF = 1 (liquidatable below).${notes.length ? ` ${notes.join(" ")}` : ""}`,
    spec: {
      width: WIDTH,
      autosize: FIT,
      height: 130,
      config: CONFIG,
      // Row labels stay short: headless Vega estimates text widths generously (0.8 em a character), and long labels
      // would squeeze the plot and push the legend's second column out of the picture.
      ...(noDebt.length > 0 && {
        title: {
          text: `positions with no debt (infinite HF, not drawn): ${noDebt.map((d) => `${d.phase} ${d.count}`).join(", ")}`,
          anchor: "end",
          fontSize: 11,
          fontWeight: "normal",
          color: "#555555",
        },
      }),
      encoding: {
        x: {
          field: "hf",
          type: "quantitative",
          title: `health factor (end: after path point ${n})`,
          scale: { domain: [lo, hi], nice: false, zero: false, padding: 8 },
          axis: { format: ".2f", tickCount: 8 },
        },
      },
      layer: [
        {
          data: { values: [{ hf: 1 }] },
          mark: { type: "rule", color: COLORS.badDebt, strokeDash: [4, 3], strokeWidth: 1.5 },
        },
        {
          data: { values },
          mark: { type: "point", filled: true, size: 60, opacity: 0.85 },
          encoding: {
            y: { field: "phase", type: "nominal", title: null, sort: labels, scale: { domain: labels } },
            yOffset: { field: "jitter", type: "quantitative", scale: { domain: [0, 1] } },
            color: { field: "market", type: "nominal", title: null },
            description: { field: "text", type: "nominal" },
          },
        },
      ],
    },
  };
}

function waterfallChart(run: RunReport): Chart {
  const n = run.points.length;
  const protocols = [...new Set(run.liquidations.map((l) => l.protocol))].sort();
  const repaid = run.points.map(() => new Map<string, number>());
  for (const l of run.liquidations) {
    const at = repaid[pointOfBlock(run, l.block) - 1];
    if (at) at.set(l.protocol, (at.get(l.protocol) ?? 0) + debtUsd(l.repaidRaw, l.debtAsset));
  }
  const bars: { point: number; x0: number; x1: number; protocol: string; from: number; to: number; text: string }[] =
    [];
  const totals: { point: number; total: number }[] = [];
  const byProtocol = new Map<string, number>();
  let total = 0;
  repaid.forEach((at, i) => {
    for (const protocol of protocols) {
      const v = at.get(protocol) ?? 0;
      if (v === 0) continue;
      bars.push({
        point: i + 1,
        x0: i + 1 - 0.38,
        x1: i + 1 + 0.38,
        protocol,
        from: total,
        to: total + v,
        text: `point ${i + 1}: ${protocol} repaid ${fmtUsd(v)}`,
      });
      total += v;
      byProtocol.set(protocol, (byProtocol.get(protocol) ?? 0) + v);
    }
    totals.push({ point: i + 1, total });
  });
  const caption =
    run.liquidations.length === 0
      ? "Liquidation waterfall (debt repaid in USD, by protocol): no liquidations under these policies."
      : `Liquidation waterfall: debt repaid in USD (debt tokens at $1) at each path point, stacked by protocol on the running total (grey): ${protocols.map((p) => `${p} ${fmtUsd(byProtocol.get(p) ?? 0)}`).join(", ")}; total ${fmtUsd(total)}.`;
  return {
    id: "waterfall",
    caption,
    spec: {
      width: WIDTH,
      autosize: FIT,
      height: HEIGHT,
      config: CONFIG,
      layer: [
        {
          data: { values: totals },
          mark: { type: "line", interpolate: "step-after", color: COLORS.total, strokeWidth: 1 },
          encoding: {
            x: pointAxis(n),
            y: {
              field: "total",
              type: "quantitative",
              title: "cumulative debt repaid (USD)",
              scale: { domain: [0, total > 0 ? total : 1] },
              axis: { format: usdAxisFormat(total) },
            },
          },
        },
        {
          data: { values: bars },
          mark: { type: "rect" },
          encoding: {
            x: { field: "x0", type: "quantitative" },
            x2: { field: "x1" },
            y: { field: "from", type: "quantitative" },
            y2: { field: "to" },
            description: { field: "text", type: "nominal" },
            color:
              protocols.length > 0
                ? { field: "protocol", type: "nominal", title: "repaid by protocol", scale: { domain: protocols } }
                : { value: COLORS.total },
          },
        },
      ],
    },
  };
}

export const CSS = `
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, Helvetica, Arial, sans-serif; margin: 2rem auto; max-width: 1280px; padding: 0 1rem; color: #222; }
h1 { font-size: 1.6rem; margin-bottom: .25rem; }
h2 { font-size: 1.25rem; margin-top: 2rem; border-bottom: 1px solid #ddd; padding-bottom: .25rem; }
p.meta { color: #555; }
table { border-collapse: collapse; font-size: .9rem; }
th, td { border: 1px solid #ddd; padding: .3rem .6rem; }
th { background: #f4f4f4; text-align: left; }
td.num { text-align: right; font-variant-numeric: tabular-nums; }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(560px, 1fr)); gap: 1rem; }
figure.chart { margin: 0; border: 1px solid #e5e5e5; border-radius: 4px; padding: .5rem; background: white; }
figure.chart svg { display: block; max-width: 100%; height: auto; }
figcaption { font-size: .85rem; color: #444; margin-top: .4rem; }
.notice { background: #fff8e1; border-left: 4px solid #f0b400; padding: .5rem .75rem; }
footer { margin-top: 2rem; font-size: .8rem; color: #666; }
`;

/** The HTML page of a depeg report: self-contained (a strict Content-Security-Policy forbids any fetch or script). */
/** The validation table: each published fact, the check, what the harness measured, whether it holds. */
function validationHtml(v: Validation): string {
  const rows = v.rows.map(
    (x) =>
      `<tr class="${x.holds ? "holds" : "fails"}"><td>${esc(x.fact)}</td><td>${esc(x.check)}</td><td class="num">${esc(x.measured)}</td><td>${x.holds ? "yes" : "<strong>no</strong>"}</td><td>${esc(x.source)}</td></tr>`,
  );
  const verdict = v.holds
    ? `Every fact holds under <code>${esc(v.run)}</code>: the replay reproduces the record.`
    : `<strong>${v.rows.filter((x) => !x.holds).length} of ${v.rows.length} facts do not hold under <code>${esc(v.run)}</code>: the counterfactuals are not yet validated.</strong>`;
  return [
    "<h2>Validation against the record</h2>",
    `<p class="notice">${verdict}</p>`,
    '<table class="validation"><thead><tr><th>fact</th><th>check</th><th>measured</th><th>holds</th><th>source</th></tr></thead><tbody>',
    ...rows,
    "</tbody></table>",
  ].join("\n");
}

export async function depegHtml(report: DepegReport): Promise<string> {
  const r = report;
  const summary = depegSummaryTable(r);
  const numeric = new Set([2, 3, 4, 5, 6, 7, 8]);
  const out: string[] = [
    "<!doctype html>",
    '<html lang="en"><head><meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>loopstress report: ${esc(r.scenario)}</title>`,
    `<style>${CSS}</style></head><body>`,
    `<h1>loopstress report: ${esc(r.scenario)}</h1>`,
  ];
  if (r.description) out.push(`<p>${esc(r.description)}</p>`);
  out.push(
    `<p class="meta">Chain profile <code>${esc(r.chain.profile)}</code> (chain id ${r.chain.chainId}), positions opened by block ${r.chain.startBlock}; ${esc(r.path.feed)} path of ${r.path.points} points; Aave Pool revision ${r.chain.aave.poolRevision} (${esc(r.chain.aave.release)}).</p>`,
  );
  out.push("<h2>Summary by oracle policy</h2>", '<table class="summary"><thead><tr>');
  out.push(...summary.headers.map((h) => `<th>${esc(h)}</th>`), "</tr></thead><tbody>");
  for (const row of summary.rows) {
    out.push(`<tr>${row.map((c, i) => `<td${numeric.has(i) ? ' class="num"' : ""}>${esc(c)}</td>`).join("")}</tr>`);
  }
  out.push("</tbody></table>");
  if (r.validation) out.push(validationHtml(r.validation));
  for (const [i, run] of r.runs.entries()) {
    const name = runName(run);
    out.push(`<section class="run" data-run="${esc(name)}">`, `<h2>${esc(runLabel(run))}</h2>`);
    if (run.totals.liquidations === 0) {
      out.push(
        `<p class="notice"><strong>No position was liquidated</strong>: under these policies the oracles never saw the ${esc(r.path.feed)} path.</p>`,
      );
    }
    out.push('<div class="charts">');
    for (const chart of [priceChart(r, run), liquidationsChart(run), healthFactorChart(run), waterfallChart(run)]) {
      const id = `run${i}-${chart.id}`;
      const svg = await renderSvg(chart.spec, id);
      out.push(
        `<figure class="chart" data-chart="${id}" data-run="${esc(name)}">${svg}<figcaption>${esc(chart.caption)}</figcaption></figure>`,
      );
    }
    out.push("</div></section>");
  }
  out.push(
    "<footer>Every number comes from contract events or state (report.json, exact integers); the charts convert them to floating point for display only. Debt is valued at $1 per token unit. Each liquidation is in liquidations.csv.</footer>",
  );
  out.push("</body></html>");
  return `${out.join("\n")}\n`;
}
