/**
 * The Monte Carlo report.html: self-contained like the scenario report (inline CSS and SVG drawn in Node, no script,
 * a strict CSP): the figures table, then per measure its histogram and its exceedance curve, VaR 95% and 99% marked.
 * Raw integers become JS numbers here, for display only.
 */
import type { TopLevelSpec } from "vega-lite" with { "resolution-mode": "import" };
import { toNumber } from "../math/fixed-point";
import { COLORS, CONFIG, CSS, FIT, HEIGHT, WIDTH, esc, renderSvg, usdAxisFormat } from "./html";
import { type MonteCarloMetric, type MonteCarloSummary, figuresTable, shownValue } from "./montecarlo-report";

const VAR_COLORS = { var95: "#ff7f0e", var99: COLORS.badDebt } as const;

interface Chart {
  id: string;
  caption: string;
  spec: TopLevelSpec;
}

const valueOf = (m: MonteCarloMetric, raw: string): number => toNumber(BigInt(raw), m.decimals);
const axisTitle = (m: MonteCarloMetric): string =>
  m.unit === "USD" ? `${m.label} per run (USD)` : `${m.label} per run`;
const axisFormat = (m: MonteCarloMetric, max: number): string => (m.unit === "USD" ? usdAxisFormat(max) : "d");

/** VaR 95% and 99% as vertical rules over the measure's axis. */
function varRules(m: MonteCarloMetric) {
  return {
    data: {
      values: [
        { x: valueOf(m, m.var95Raw), level: "VaR 95%" },
        { x: valueOf(m, m.var99Raw), level: "VaR 99%" },
      ],
    },
    mark: { type: "rule" as const, strokeDash: [5, 3], strokeWidth: 1.5 },
    encoding: {
      x: { field: "x", type: "quantitative" as const },
      color: {
        field: "level",
        type: "nominal" as const,
        title: null,
        scale: { domain: ["VaR 95%", "VaR 99%"], range: [VAR_COLORS.var95, VAR_COLORS.var99] },
      },
    },
  };
}

function histogramChart(s: MonteCarloSummary, m: MonteCarloMetric): Chart {
  const one = m.histogram.length === 1 && m.histogram[0].fromRaw === m.histogram[0].toRaw;
  // Every run gave the same value: one bar of unit width around it, so it is visible.
  const values = m.histogram.map((b) => ({
    x0: valueOf(m, b.fromRaw) - (one ? 0.5 : 0),
    x1: valueOf(m, b.toRaw) + (one ? 0.5 : 0),
    runs: b.runs,
  }));
  const max = Math.max(...values.map((v) => v.x1));
  const caption = one
    ? `${m.label}: every one of the ${s.runs} runs gave ${shownValue(m, m.maxRaw)}.`
    : `${m.label}: runs per bin (${m.histogram.length} bins of equal width from ${shownValue(m, m.minRaw)} to ${shownValue(m, m.maxRaw)}); dashed: VaR 95% ${shownValue(m, m.var95Raw)}, VaR 99% ${shownValue(m, m.var99Raw)}.`;
  return {
    id: `${m.metric}-histogram`,
    caption,
    spec: {
      width: WIDTH,
      autosize: FIT,
      height: HEIGHT,
      config: CONFIG,
      layer: [
        {
          data: { values },
          mark: { type: "rect", color: COLORS.liquidations, opacity: 0.8, stroke: "white", strokeWidth: 0.5 },
          encoding: {
            x: {
              field: "x0",
              type: "quantitative",
              title: axisTitle(m),
              scale: { zero: false, nice: false },
              axis: { format: axisFormat(m, max) },
            },
            x2: { field: "x1" },
            y: { field: "runs", type: "quantitative", title: "runs", axis: { tickMinStep: 1, format: "d" } },
            y2: { datum: 0 },
          },
        },
        varRules(m),
      ],
    },
  };
}

function exceedanceChart(s: MonteCarloSummary, m: MonteCarloMetric): Chart {
  const values = m.exceedance.map((p) => ({ x: valueOf(m, p.valueRaw), share: p.runsAtOrAbove / s.runs }));
  const max = Math.max(...values.map((v) => v.x));
  return {
    id: `${m.metric}-exceedance`,
    caption: `${m.label}: share of the ${s.runs} runs reaching at least each value (exceedance); dashed: VaR 95% ${shownValue(m, m.var95Raw)}, VaR 99% ${shownValue(m, m.var99Raw)}; ES 95% ${shownValue(m, m.es95Raw)}, ES 99% ${shownValue(m, m.es99Raw)}.`,
    spec: {
      width: WIDTH,
      autosize: FIT,
      height: HEIGHT,
      config: CONFIG,
      layer: [
        {
          data: { values },
          // Between two values the share is that of the next one (at least x): the step comes before the segment.
          mark: { type: "line", interpolate: "step-before", strokeWidth: 2, color: COLORS.feed, point: { size: 18 } },
          encoding: {
            x: {
              field: "x",
              type: "quantitative",
              title: axisTitle(m),
              scale: { zero: false },
              axis: { format: axisFormat(m, max) },
            },
            y: {
              field: "share",
              type: "quantitative",
              title: "share of runs at or above",
              scale: { domain: [0, 1] },
              axis: { format: ".0%" },
            },
          },
        },
        varRules(m),
      ],
    },
  };
}

export async function montecarloHtml(s: MonteCarloSummary): Promise<string> {
  const t = figuresTable(s);
  const out: string[] = [
    "<!doctype html>",
    '<html lang="en"><head><meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; img-src data:">`,
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>loopstress Monte Carlo: ${esc(s.scenario)}</title>`,
    `<style>${CSS}</style></head><body>`,
    `<h1>loopstress Monte Carlo: ${esc(s.scenario)}</h1>`,
  ];
  if (s.description) out.push(`<p>${esc(s.description)}</p>`);
  out.push(
    `<p class="meta">${s.runs} runs under <code>${esc(s.policies)}</code>, base seed ${s.baseSeed}, fingerprint <code>${esc(s.fingerprint)}</code>. Each run draws its own population seed and the path's knobs.</p>`,
    "<h2>Risk figures over the runs</h2>",
    '<table class="summary"><thead><tr>',
    ...t.headers.map((h) => `<th>${esc(h)}</th>`),
    "</tr></thead><tbody>",
    ...t.rows.map((r) => `<tr>${r.map((c, i) => `<td${i > 0 ? ' class="num"' : ""}>${esc(c)}</td>`).join("")}</tr>`),
    "</tbody></table>",
    `<p class="meta">Percentile: ${esc(s.definitions.percentile)}. ${esc(s.definitions.valueAtRisk)}. ${esc(s.definitions.expectedShortfall)}. Mean: ${esc(s.definitions.mean)}.</p>`,
  );
  for (const m of s.metrics) {
    out.push(`<section class="metric" data-metric="${m.metric}">`, `<h2>${esc(m.label)}</h2>`, '<div class="charts">');
    for (const chart of [histogramChart(s, m), exceedanceChart(s, m)]) {
      const svg = await renderSvg(chart.spec, chart.id);
      out.push(
        `<figure class="chart" data-chart="${chart.id}">${svg}<figcaption>${esc(chart.caption)}</figcaption></figure>`,
      );
    }
    out.push("</div></section>");
  }
  out.push(
    "<footer>Every run's figures come from contract events and state (runs.csv keeps the raw integers beside token units; montecarlo.json the figures' raw integers); the charts convert them to floating point for display only.</footer>",
    "</body></html>",
  );
  return `${out.join("\n")}\n`;
}
