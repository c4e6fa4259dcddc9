/**
 * The Monte Carlo report.html, from rows made up here (the rows' measurement is test/scenario/montecarlo.test.ts's):
 * self-contained, and opened in Debian's Chromium (playwright-core, as test/report/html.test.ts) to check that every
 * histogram and exceedance chart is drawn.
 */
import { expect } from "chai";
import fs from "fs";
import os from "os";
import path from "path";
import { chromium, type Browser } from "playwright-core";
import {
  MonteCarloRow,
  MonteCarloSummary,
  MonteCarloSummarySchema,
  summarizeRuns,
  usdCell,
  writeMonteCarloReport,
} from "../../src/report/montecarlo-report";

const CHROMIUM = "/usr/bin/chromium";
const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--no-first-run",
  "--disable-background-networking",
];
const WAD = 10n ** 18n;
const RUNS = 40;

/** Run i: bad debt (i − 20)² × $1,000 for the upper half, else none; collateral $50,000 × (i mod 9); 3 liquidations. */
function row(i: number): MonteCarloRow {
  const badDebtWad = i >= 20 ? BigInt((i - 20) ** 2) * 1000n * WAD : 0n;
  const liquidatedWad = BigInt(i % 9) * 50_000n * WAD;
  return {
    run: String(i),
    seed: String(1000 + i),
    usdeFloorUsd: "0.8",
    ethDropFraction: "",
    liquidations: "3",
    positionsLiquidated: "2",
    liquidatedCollateralUsd: usdCell(liquidatedWad),
    liquidatedCollateralUsdWad: liquidatedWad.toString(),
    repaidDebtUsd: usdCell(liquidatedWad),
    repaidDebtUsdWad: liquidatedWad.toString(),
    badDebtUsd: usdCell(badDebtWad),
    badDebtUsdWad: badDebtWad.toString(),
    converged: "true",
    liquidatableLeft: "0",
    scenario: "test-mc-html",
    fingerprint: "0123456789abcdef",
  };
}

describe("montecarlo report: report.html", function () {
  let summary: MonteCarloSummary;
  let dir: string;

  before(async function () {
    const rows = Array.from({ length: RUNS }, (_, i) => row(i));
    summary = summarizeRuns(rows, {
      scenario: "test-mc-html",
      description: 'Made-up runs <b>&</b> "quotes"',
      fingerprint: "0123456789abcdef",
      baseSeed: 7,
      policies: "market/market",
      usdeFloor: { dist: "uniform", min: "0.6", max: "0.9" },
      ethDrop: null,
    });
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "loopstress-mc-html-"));
    await writeMonteCarloReport(summary, dir);
  });

  it("figures: VaR and ES at 95% and 99% of the made-up bad debt, exact", function () {
    const bad = summary.metrics[0];
    // Bad debt sorted: 21 zeros, then (1..19)² thousand dollars. Rank ceil(0.95·40) = 38: 17²; rank 40: 19².
    expect([bad.var95Raw, bad.var99Raw, bad.maxRaw].map((x) => BigInt(x) / (1000n * WAD))).to.deep.equal([
      289n,
      361n,
      361n,
    ]);
    // ES 95%: the worst 40 − 38 = 2 runs, (18² + 19²) / 2; ES 99%: the worst 40 − 39 = 1.
    expect([bad.es95Raw, bad.es99Raw].map((x) => Number(BigInt(x) / WAD))).to.deep.equal([342_500, 361_000]);
    expect(bad.histogram).to.have.length(7); // ceil(sqrt(40))
    expect(summary.metrics[2].histogram).to.deep.equal([{ fromRaw: "3", toRaw: "3", runs: RUNS }]);
    expect(MonteCarloSummarySchema.parse(JSON.parse(fs.readFileSync(path.join(dir, "montecarlo.json"), "utf8"))));
  });

  it("is self-contained: inline CSS and SVG, no script, nothing fetched, a strict CSP; text escaped", function () {
    const html = fs.readFileSync(path.join(dir, "report.html"), "utf8");
    expect(html).to.match(/^<!doctype html>/);
    expect(html).to.contain("Content-Security-Policy");
    expect(html).not.to.match(/<script|<link|<iframe|<img|@import/i);
    expect(html).not.to.match(/\s(src|href|xlink:href)\s*=/i);
    expect(html).not.to.match(/url\((?!#)/);
    expect(html).to.contain("Made-up runs &lt;b&gt;&amp;&lt;/b&gt; &quot;quotes&quot;");
    expect(html).to.contain("<td>bad debt (USD)</td>");
    expect(html).to.contain("every one of the 40 runs gave 3.");
  });

  describe("in Debian's Chromium", function () {
    this.timeout(30_000);
    let browser: Browser | undefined;

    before(async function () {
      if (!fs.existsSync(CHROMIUM))
        throw new Error(`${CHROMIUM} is missing: install Debian's chromium (apt-get install -y chromium)`);
      browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
    });

    after(async function () {
      await browser?.close();
    });

    it("loads with no console error and no request; each histogram and exceedance chart has its marks", async function () {
      const page = await browser!.newPage({ viewport: { width: 1300, height: 900 } });
      const problems: string[] = [];
      const requests: string[] = [];
      page.on("console", (m) => {
        if (m.type() === "error" || m.type() === "warning") problems.push(`console ${m.type()}: ${m.text()}`);
      });
      page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
      page.on("request", (r) => requests.push(r.url()));
      const url = `file://${path.join(dir, "report.html")}`;
      await page.goto(url, { waitUntil: "load" });
      expect(await page.title()).to.equal("loopstress Monte Carlo: test-mc-html");
      expect(await page.locator("table.summary tbody tr").count()).to.equal(3);

      const charts = await page.$$eval("figure.chart", (figures) =>
        figures.map((f) => {
          const box = f.querySelector("svg")?.getBoundingClientRect();
          const marks: Record<string, number> = {};
          for (const g of Array.from(f.querySelectorAll("g.role-mark"))) {
            const type = Array.from(g.classList).find((c) => c.startsWith("mark-")) ?? "mark-?";
            for (const child of Array.from(g.children)) {
              const b = (child as SVGGraphicsElement).getBBox();
              if (b.width > 0 || b.height > 0) marks[type] = (marks[type] ?? 0) + 1;
            }
          }
          return { id: f.dataset.chart ?? "", width: box?.width ?? 0, height: box?.height ?? 0, marks };
        }),
      );
      expect(charts.map((c) => c.id)).to.deep.equal(
        summary.metrics.flatMap((m) => [`${m.metric}-histogram`, `${m.metric}-exceedance`]),
      );
      for (const c of charts) {
        expect(c.width, `${c.id} width`).to.be.greaterThan(300);
        expect(c.height, `${c.id} height`).to.be.greaterThan(100);
        expect(c.marks["mark-rule"], `${c.id}: VaR 95% and 99%`).to.equal(2);
      }
      const byId = Object.fromEntries(charts.map((c) => [c.id, c.marks]));
      for (const m of summary.metrics) {
        expect(byId[`${m.metric}-histogram`]["mark-rect"], `${m.metric} bins`).to.equal(m.histogram.length);
        // One value only: the curve is a single point, its line has no extent.
        const line = m.exceedance.length > 1 ? 1 : undefined;
        expect(byId[`${m.metric}-exceedance`]["mark-line"], `${m.metric} curve`).to.equal(line);
        expect(byId[`${m.metric}-exceedance`]["mark-symbol"], `${m.metric} points`).to.equal(m.exceedance.length);
      }
      expect(summary.metrics.map((m) => m.exceedance.length)).to.deep.equal([20, 9, 1]);

      const shot = process.env.LOOPSTRESS_SCREENSHOT ?? path.join(dir, "report.png");
      await page.screenshot({ path: shot, fullPage: true });
      expect(fs.statSync(shot).size).to.be.greaterThan(10_000);
      expect(problems).to.deep.equal([]);
      expect(requests).to.deep.equal([url]);
      await page.close();
    });
  });
});
