/**
 * report.html and liquidations.csv from a real depeg run on the embedded chain; the page is opened in Debian's Chromium
 * (apt package `chromium`, driven by playwright-core; no browser download) and its charts are checked as drawn.
 */
import { expect } from "chai";
import fs from "fs";
import os from "os";
import path from "path";
import { chromium, type Browser } from "playwright-core";
import { loadEmbedded, smallDepegInput } from "../fixtures";
import { parseDepegScenario } from "../../src/scenario/depeg-schema";
import { runDepeg } from "../../src/scenario/run-depeg";
import {
  DepegReport,
  LIQUIDATION_CSV_COLUMNS,
  csvField,
  depegCsv,
  writeDepegReport,
} from "../../src/report/depeg-report";
import { HF_NO_DEBT_WAD, exactUnits } from "../../src/domain/format";
import { decimalsOfSymbol } from "../../src/domain/tokens";

const CHROMIUM = "/usr/bin/chromium";
const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-quic",
  "--no-first-run",
  "--disable-background-networking",
  "--disable-component-update",
  "--disable-sync",
];
const CHART_IDS = ["price", "liquidations", "health-factors", "waterfall"];

const scenario = parseDepegScenario(
  smallDepegInput("test-html", { description: 'A <small> ramp & "quotes" to check escaping' }),
  os.tmpdir(),
  "test.yaml",
);

/** A minimal RFC 4180 reader (quoted fields, doubled quotes), to read back what depegCsv wrote. */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [],
    field = "",
    quoted = false;
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (quoted) {
      if (c === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (c === '"') quoted = false;
      else field += c;
    } else if (c === '"') quoted = true;
    else if (c === ",") {
      row.push(field);
      field = "";
    } else if (c === "\n") {
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
    } else if (c !== "\r") field += c;
  }
  if (field !== "" || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

describe("depeg report: report.html and liquidations.csv", function () {
  let report: DepegReport;
  let dir: string;

  before(async function () {
    const { ctx, users } = await loadEmbedded();
    report = await runDepeg(ctx, scenario, { users: users.slice(0, 10), liquidator: users[10] });
    const t0 = performance.now();
    dir = await writeDepegReport(report, fs.mkdtempSync(path.join(os.tmpdir(), "loopstress-html-")));
    if (process.env.LOOPSTRESS_TIMING) console.log(`      writeDepegReport: ${(performance.now() - t0).toFixed(0)} ms`);
    expect(report.runs[0].totals.liquidations, "the market/market run liquidates").to.equal(8);
    expect(report.runs[1].totals.liquidations, "the pegged run does not").to.equal(0);
  });

  it("report.html is self-contained: inline CSS and SVG, no script, nothing fetched, a strict CSP; text escaped", function () {
    const html = fs.readFileSync(path.join(dir, "report.html"), "utf8");
    expect(html).to.match(/^<!doctype html>/);
    expect(html).to.contain("Content-Security-Policy");
    expect(html).to.contain("<style>");
    expect(html).not.to.match(/<script|<link|<iframe|<img|@import/i);
    expect(html).not.to.match(/\s(src|href|xlink:href)\s*=/i);
    expect(html).not.to.match(/url\((?!#)/);
    expect(html).to.contain("A &lt;small&gt; ramp &amp; &quot;quotes&quot; to check escaping");
    expect(html.match(/<svg\b/g)).to.have.length(CHART_IDS.length * report.runs.length);
    // The summary table of summary.md.
    expect(html).to.match(/<td>market<\/td><td>market<\/td><td class="num">[1-9]\d*<\/td>/);
  });

  it("one captioned figure per chart and run; the run without liquidations says so in its captions", function () {
    const html = fs.readFileSync(path.join(dir, "report.html"), "utf8");
    const figures = [
      ...html.matchAll(
        /<figure class="chart" data-chart="([^"]+)" data-run="([^"]+)">[\s\S]*?<figcaption>([^<]*)<\/figcaption><\/figure>/g,
      ),
    ];
    expect(figures.map((m) => m[1])).to.deep.equal(
      report.runs.flatMap((_, i) => CHART_IDS.map((id) => `run${i}-${id}`)),
    );
    expect([...new Set(figures.map((m) => m[2]))]).to.deep.equal(["market/market", "pegged-to-USDT/exchange-rate"]);
    const captions = (run: string) => figures.filter((m) => m[2] === run).map((m) => m[3]);
    expect(captions("pegged-to-USDT/exchange-rate").filter((c) => c.includes("no liquidations"))).to.have.length(2);
    expect(captions("market/market").filter((c) => c.includes("no liquidations"))).to.deep.equal([]);
  });

  it("liquidations.csv: a header, one row per liquidation naming its run, the exact raw integers of report.json beside them in token units", function () {
    const rows = parseCsv(fs.readFileSync(path.join(dir, "liquidations.csv"), "utf8"));
    const [header, ...body] = rows;
    expect(header).to.deep.equal([...LIQUIDATION_CSV_COLUMNS]);
    const expected = report.runs.flatMap((run) => run.liquidations);
    expect(body).to.have.length(expected.length).and.length.greaterThan(0);
    for (const [i, row] of body.entries()) {
      const csv = Object.fromEntries(header.map((h, j) => [h, row[j]]));
      const l = expected[i];
      expect(csv.run).to.equal("market/market");
      // Fields the CSV keeps under their report.json name are the same values.
      for (const [field, value] of Object.entries(l))
        if (field in csv) expect(csv[field], field).to.equal(String(value));
      expect([csv.repaidDebtRaw, csv.seizedCollateralRaw, csv.profitDebtRaw]).to.deep.equal([
        l.repaidRaw,
        l.seizedRaw,
        l.profitRaw,
      ]);
      const debtDecimals = decimalsOfSymbol(l.debtAsset);
      expect(csv.repaidDebtTokens).to.equal(exactUnits(BigInt(l.repaidRaw), debtDecimals));
      expect(csv.seizedCollateralTokens).to.equal(exactUnits(BigInt(l.seizedRaw), decimalsOfSymbol(l.collateralAsset)));
      expect(csv.collateralPriceInDebtTokens).to.equal(exactUnits(BigInt(l.collateralPriceInDebtRaw), debtDecimals));
      expect(BigInt(csv.repaidDebtRaw) > 0n).to.equal(true);
    }
  });

  it("CSV fields are quoted when they hold a comma, a quote or a line break", function () {
    expect(csvField("plain")).to.equal("plain");
    expect(csvField(-12)).to.equal("-12");
    expect(csvField('a,b "c"\nd')).to.equal('"a,b ""c""\nd"');
    const odd = JSON.parse(JSON.stringify(report)) as DepegReport;
    odd.runs[0].policies.aave = 'my "custom", policy';
    odd.runs[0].liquidations[0].market = "x\r\ny";
    const rows = parseCsv(depegCsv(odd));
    expect(rows).to.have.length(1 + report.runs[0].liquidations.length);
    expect(rows[1][0]).to.equal('my "custom", policy/market');
    expect(rows[1][LIQUIDATION_CSV_COLUMNS.indexOf("market")]).to.equal("x\r\ny");
    for (const row of rows) expect(row).to.have.length(LIQUIDATION_CSV_COLUMNS.length);
  });

  describe("in Debian's Chromium", function () {
    this.timeout(30_000);
    let browser: Browser | undefined;

    before(async function () {
      if (!fs.existsSync(CHROMIUM)) {
        throw new Error(
          `${CHROMIUM} is missing: install Debian's chromium (apt-get update && apt-get install -y chromium); .ci/run installs it`,
        );
      }
      browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    });

    after(async function () {
      await browser?.close();
    });

    it("loads with no console error and no failed request; every chart of the liquidating run has drawn marks", async function () {
      const page = await browser!.newPage({ viewport: { width: 1300, height: 900 } });
      const problems: string[] = [];
      const requests: string[] = [];
      page.on("console", (m) => {
        if (m.type() === "error" || m.type() === "warning") problems.push(`console ${m.type()}: ${m.text()}`);
      });
      page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
      page.on("requestfailed", (r) => problems.push(`request failed: ${r.url()} ${r.failure()?.errorText ?? ""}`));
      page.on("request", (r) => requests.push(r.url()));
      const url = `file://${path.join(dir, "report.html")}`;
      const response = await page.goto(url, { waitUntil: "load" });
      expect(response?.ok() ?? true).to.equal(true);
      expect(await page.title()).to.equal("loopstress report: test-html");

      expect(await page.locator("figure.chart").count()).to.equal(CHART_IDS.length * report.runs.length);
      expect(await page.locator("table.summary tbody tr").count()).to.equal(report.runs.length);

      // Per chart: the SVG's box and, per data-mark type (g.role-mark: not axes, legends or frames), the marks with a box.
      const charts = await page.$$eval("figure.chart", (figures) =>
        figures.map((f) => {
          const svg = f.querySelector("svg");
          const box = svg?.getBoundingClientRect();
          const marks: Record<string, number> = {};
          for (const g of Array.from(f.querySelectorAll("g.role-mark"))) {
            const type = Array.from(g.classList).find((c) => c.startsWith("mark-")) ?? "mark-?";
            for (const child of Array.from(g.children)) {
              const b = (child as SVGGraphicsElement).getBBox();
              if (b.width > 0 || b.height > 0) marks[type] = (marks[type] ?? 0) + 1;
            }
          }
          return {
            id: f.dataset.chart ?? "",
            run: f.dataset.run ?? "",
            width: box?.width ?? 0,
            height: box?.height ?? 0,
            marks,
          };
        }),
      );
      for (const c of charts) {
        expect(c.width, `${c.id} width`).to.be.greaterThan(300);
        expect(c.height, `${c.id} height`).to.be.greaterThan(100);
      }
      const run0 = Object.fromEntries(
        charts.filter((c) => c.run === "market/market").map((c) => [c.id.replace(/^run0-/, ""), c.marks]),
      );
      expect(Object.keys(run0)).to.deep.equal(CHART_IDS);
      for (const [id, marks] of Object.entries(run0))
        expect(
          Object.values(marks).reduce((a, b) => a + b, 0),
          id,
        ).to.be.greaterThan(0);
      const market = report.runs[0];
      const n = market.points.length;
      expect(run0.price["mark-line"], "feed and DEX lines").to.equal(2);
      expect(run0.price["mark-symbol"], "a dot per point and series").to.equal(2 * n);
      expect(run0.liquidations["mark-line"], "count and bad-debt lines").to.equal(2);
      const finite = market.positions
        .flatMap((p) => [p.healthFactorStartWad, p.healthFactorPathWad[n - 1]])
        .filter((w) => BigInt(w) <= HF_NO_DEBT_WAD);
      expect(run0["health-factors"]["mark-symbol"], "a dot per position with debt, start and end").to.equal(
        finite.length,
      );
      expect(run0["health-factors"]["mark-rule"], "HF = 1").to.equal(1);
      expect(run0.waterfall["mark-rect"], "repaid bars").to.be.within(1, market.liquidations.length);
      expect(run0.waterfall["mark-line"], "running total").to.equal(1);

      // The run without liquidations still draws its charts (prices, flat lines), with empty bars.
      const run1 = charts.filter((c) => c.run !== "market/market");
      expect(run1.find((c) => c.id === "run1-price")?.marks["mark-line"]).to.equal(2);
      expect(run1.find((c) => c.id === "run1-waterfall")?.marks["mark-rect"] ?? 0).to.equal(0);

      const shot = process.env.LOOPSTRESS_SCREENSHOT ?? path.join(dir, "report.png");
      await page.screenshot({ path: shot, fullPage: true });
      expect(fs.statSync(shot).size).to.be.greaterThan(10_000);

      expect(problems).to.deep.equal([]);
      expect(requests).to.deep.equal([url]);
      await page.close();
    });
  });
});
