import { expect } from "chai";
import fs from "fs";
import os from "os";
import path from "path";
import { loadCascadeChain } from "../fixtures";
import { InputError } from "../../src/errors";
import { UniswapV3Dex } from "../../src/dex/uniswap-v3";
import { CascadeScenario, parseCascadeScenario, readCascadeScenario } from "../../src/scenario/cascade-schema";
import {
  MonteCarloPlan,
  doneRows,
  planMonteCarlo,
  runCountOf,
  runMonteCarlo,
  runSeed,
  runsFileName,
  scenarioForRun,
  summaryMeta,
} from "../../src/scenario/montecarlo";
import {
  MonteCarloRow,
  montecarloCsv,
  montecarloMarkdown,
  parseMontecarloCsv,
  summarizeRuns,
} from "../../src/report/montecarlo-report";

const SMALL = path.join(__dirname, "..", "..", "scenarios", "montecarlo-small.yaml");
const tmp = () => fs.mkdtempSync(path.join(os.tmpdir(), "loopstress-mc-"));

const EXPECTED_CSV = [
  "run,seed,usdeFloorUsd,ethDropFraction,liquidations,positionsLiquidated,liquidatedCollateralUsd,liquidatedCollateralUsdWad,repaidDebtUsd,repaidDebtUsdWad,badDebtUsd,badDebtUsdWad,converged,liquidatableLeft,scenario,fingerprint",
  "0,514916165,0.823,,0,0,0.00,0,0.00,0,0.00,0,true,0,montecarlo-small,7768f756165277b5",
  "1,3955052056,0.7379,,9,4,1250895.72,1250895728781819183369341,1211524.85,1211524856010804794532250,17094.61,17094615237500048195484,true,0,montecarlo-small,7768f756165277b5",
  "2,2581067428,0.7417,,6,6,2363321.13,2363321136005460712717221,2284328.58,2284328581990659464801864,88997.92,88997925228122501168729,true,0,montecarlo-small,7768f756165277b5",
  "3,2553533097,0.7376,,5,5,1192833.79,1192833795869002670024497,1156287.28,1156287287914385602344428,9394.14,9394142684476676675069,true,0,montecarlo-small,7768f756165277b5",
  "4,1729756844,0.636,,6,6,1590408.76,1590408761317812584877176,1538620.86,1538620863872615864250416,304652.22,304652227336896777615739,true,0,montecarlo-small,7768f756165277b5",
  "5,427486448,0.7807,,5,4,879800.64,879800647272106179496987,853141.35,853141351750772472243455,0.00,0,true,0,montecarlo-small,7768f756165277b5",
  "6,3389862659,0.8077,,1,1,379031.17,379031179401834205399347,369365.88,369365884327087433451618,0.00,0,true,0,montecarlo-small,7768f756165277b5",
  "7,2885116264,0.7554,,5,4,2007967.26,2007967269490315012241598,1942843.64,1942843645380414979814146,34010.22,34010220057609178542739,true,0,montecarlo-small,7768f756165277b5",
  "",
].join("\n");

/** A scenario with a USDe and an ETH path, for the knobs (parsing only). */
function withEth(montecarlo: Record<string, unknown>, points?: Record<string, unknown>[]): CascadeScenario {
  return parseCascadeScenario(
    {
      name: "test-mc-knobs",
      population: {
        seed: 4,
        groups: [
          {
            market: "aave-v3:USDe/USDC:emode-2",
            count: 1,
            size: { dist: "fixed", value: "1000" },
            ltv: { dist: "fixed", value: "0.8" },
            rounds: { dist: "fixed", value: "2" },
          },
        ],
      },
      path: {
        points: points ?? [
          { blocks: 1, usde: "0.96", eth: "4000" },
          { blocks: 1, usde: "0.90", eth: "3600" },
          { blocks: 1, usde: "0.92", eth: "3800" },
        ],
      },
      policies: [
        { aave: "pegged-to-USDT", morpho: "exchange-rate" },
        { aave: "market", morpho: "market" },
      ],
      montecarlo,
    },
    "knobs.yaml",
  );
}

describe("montecarlo", function () {
  describe("plan (no chain)", function () {
    it("derives each run's seed from the base seed and its index, and draws the path from its own stream", function () {
      const s = readCascadeScenario(SMALL);
      const plan = planMonteCarlo(s, 4);
      expect(plan.baseSeed).to.equal(11);
      expect(plan.policies).to.equal("market/market");
      expect(plan.draws.map((d) => d.seed)).to.deep.equal([0, 1, 2, 3].map((i) => runSeed(11, i)));
      expect(plan.draws.map((d) => d.seed)).to.deep.equal([514916165, 3955052056, 2581067428, 2553533097]);
      expect(plan.draws.map((d) => d.usdeFloorE8)).to.deep.equal([82300000n, 73790000n, 74170000n, 73760000n]);
      // A shard draws the same runs: planning 2 runs gives the first 2 of 4.
      expect(planMonteCarlo(s, 2).draws).to.deep.equal(plan.draws.slice(0, 2));
      expect(runsFileName({ index: 0, count: 1 })).to.equal("runs.csv");
      expect(runsFileName({ index: 2, count: 5 })).to.equal("runs-shard-2-of-5.csv");
    });

    it("rescales the USDe path to the drawn floor and ETH's to the drawn drop, under the chosen policy set", function () {
      const s = withEth({
        policies: { aave: "market", morpho: "market" },
        path: { usdeFloor: { dist: "fixed", value: "0.7" }, ethDrop: { dist: "fixed", value: "0.25" } },
      });
      const plan = planMonteCarlo(s, 1);
      const run = scenarioForRun(plan, plan.draws[0]);
      expect("points" in run.path && run.path.points.map((p) => [p.usde, p.eth])).to.deep.equal([
        ["0.88000000", "4000"],
        ["0.70000000", "3000"],
        ["0.76000000", "3500"],
      ]);
      expect(run.population.seed).to.equal(plan.draws[0].seed);
      expect(run.policies).to.deep.equal([{ aave: "market", morpho: "market" }]);
      expect(plan.policies).to.equal("market/market");
      // Without a section: the first policy set, the population's seed as the base seed, the path as written.
      const plain = planMonteCarlo(withEth({}), 2);
      expect([plain.policies, plain.baseSeed]).to.deep.equal(["pegged-to-USDT/exchange-rate", 4]);
      const asWritten = scenarioForRun(plain, plain.draws[1]);
      expect("points" in asWritten.path && asWritten.path.points.map((p) => p.usde)).to.deep.equal([
        "0.96",
        "0.90",
        "0.92",
      ]);
    });

    it("refuses bad input in one line naming the field, before anything is deployed", function () {
      const refuse = (f: () => unknown, message: RegExp) => expect(f).to.throw(InputError, message);
      refuse(
        () => planMonteCarlo(withEth({ path: { ethDrop: { dist: "fixed", value: "0.2" } } }, [{ usde: "0.9" }]), 1),
        /^montecarlo\.path\.ethDrop: the path's ETH price never falls/,
      );
      refuse(
        () => planMonteCarlo(withEth({ path: { usdeFloor: { dist: "fixed", value: "0.5" } } }, [{ usde: "1" }]), 1),
        /^montecarlo\.path\.usdeFloor: the path's USDe price never falls below 1/,
      );
      refuse(
        () => planMonteCarlo(withEth({ path: { usdeFloor: { dist: "uniform", min: "0.5", max: "1.5" } } }), 20),
        /^montecarlo\.path\.usdeFloor: run \d+ draws 1\.\d+, outside \(0, 1\)/,
      );
      refuse(
        () => planMonteCarlo(withEth({ path: { ethDrop: { dist: "fixed", value: "1" } } }), 1),
        /^montecarlo\.path\.ethDrop: run 0 draws 1: ETH would fall to 0 or below/,
      );
      refuse(
        () => planMonteCarlo(withEth({ path: { usdeFloor: { dist: "uniform", min: "0.9", max: "0.5" } } }), 1),
        /^montecarlo\.path\.usdeFloor\.min: must be <= max/,
      );
      refuse(() => withEth({ runs: 10_001 }), /^knobs\.yaml: montecarlo\.runs: at most 10000 runs/);
      refuse(() => withEth({ path: { floor: "0.5" } }), /^knobs\.yaml: montecarlo\.path: Unrecognized key/);
      refuse(() => runCountOf(withEth({}), undefined), /^--runs: is required/);
      refuse(() => runCountOf(withEth({}), "0"), /^--runs: "0" is not a number of runs from 1 to 10000/);
      refuse(() => runCountOf(withEth({}), "10001"), /^--runs: "10001" is not a number of runs/);
      expect(runCountOf(withEth({ runs: 7 }), undefined)).to.equal(7);
      expect(runCountOf(withEth({ runs: 7 }), "9")).to.equal(9);
    });
    it("reads back a runs file over the 1 MiB bound of input files (runs files have their own bound)", function () {
      const big = planMonteCarlo(readCascadeScenario(SMALL), 6000);
      const wad = "1234567890123456789012345";
      const made: MonteCarloRow[] = big.draws.map((d) => ({
        run: String(d.run),
        seed: String(d.seed),
        usdeFloorUsd: "0.7777",
        ethDropFraction: "",
        liquidations: "12",
        positionsLiquidated: "6",
        liquidatedCollateralUsd: "1234567.89",
        liquidatedCollateralUsdWad: wad,
        repaidDebtUsd: "1234567.89",
        repaidDebtUsdWad: wad,
        badDebtUsd: "1234567.89",
        badDebtUsdWad: wad,
        converged: "true",
        liquidatableLeft: "0",
        scenario: big.scenario.name,
        fingerprint: big.fingerprint,
      }));
      const dir = tmp();
      fs.writeFileSync(path.join(dir, "runs.csv"), montecarloCsv(made));
      expect(fs.statSync(path.join(dir, "runs.csv")).size).to.be.greaterThan(1_048_576);
      expect(doneRows(dir, big, "runs.csv").size).to.equal(6000);
    });
  });

  describe("on the embedded chain", function () {
    const RUNS = 8;
    let plan: MonteCarloPlan;
    let rows: MonteCarloRow[];

    before(async function () {
      const { ctx, users } = await loadCascadeChain();
      plan = planMonteCarlo(readCascadeScenario(SMALL), RUNS);
      rows = await runMonteCarlo(ctx, new UniswapV3Dex(ctx), plan, plan.draws, users[18]);
    });

    it("8 runs of the small scenario: exact figures", function () {
      expect(montecarloCsv(rows)).to.equal(EXPECTED_CSV);
      const summary = summarizeRuns(rows, summaryMeta(plan));
      expect(summary.runs).to.equal(RUNS);
      expect(summary.varies.usdeFloor).to.deep.equal({ dist: "uniform", min: "0.55", max: "0.98" });
      const figures = summary.metrics.map((m) => [
        m.metric,
        m.sumRaw,
        m.meanRaw,
        m.minRaw,
        m.medianRaw,
        m.var95Raw,
        m.var99Raw,
        m.es95Raw,
        m.es99Raw,
        m.maxRaw,
        m.runsAboveZero,
      ]);
      const worstBadDebt = "304652227336896777615739";
      const worstLiquidated = "2363321136005460712717221";
      expect(figures).to.deep.equal([
        [
          "badDebt",
          "454149130544605182197760",
          "56768641318075647774720",
          "0",
          "9394142684476676675069",
          ...Array(5).fill(worstBadDebt),
          5,
        ],
        [
          "liquidatedCollateral",
          "9664258518138350548126167",
          "1208032314767293818515770",
          "0",
          "1192833795869002670024497",
          ...Array(5).fill(worstLiquidated),
          7,
        ],
        ["liquidations", "37", "4", "0", "5", "9", "9", "9", "9", "9", 7],
      ]);
      // ceil(sqrt(8)) = 3 bins; the exceedance curve has one point per distinct value.
      expect(summary.metrics.map((m) => m.histogram.map((b) => b.runs))).to.deep.equal([
        [7, 0, 1],
        [2, 3, 3],
        [2, 3, 3],
      ]);
      expect(summary.metrics[2].exceedance).to.deep.equal([
        { valueRaw: "0", runsAtOrAbove: 8 },
        { valueRaw: "1", runsAtOrAbove: 7 },
        { valueRaw: "5", runsAtOrAbove: 6 },
        { valueRaw: "6", runsAtOrAbove: 3 },
        { valueRaw: "9", runsAtOrAbove: 1 },
      ]);
      expect(summary.metrics[0].exceedance.map((p) => p.runsAtOrAbove)).to.deep.equal([8, 5, 4, 3, 2, 1]);
      const md = montecarloMarkdown(summary);
      expect(md).to.contain("8 runs under market/market, base seed 11 (fingerprint 7768f756165277b5)");
      expect(md).to.match(
        /\| bad debt \(USD\) +\| \$56,768\.64 +\| \$9,394\.14 +\| \$304,652\.22 +\| \$304,652\.22 +\|/,
      );
      expect(md).to.match(/\| liquidations +\| 4\.63 +\| 5 +\| 9 +\|/);
    });

    it("the same figures twice; resuming after a partial run, or from shards, gives the same runs.csv", async function () {
      const { ctx, users } = await loadCascadeChain();
      const dex = new UniswapV3Dex(ctx);
      const again = await runMonteCarlo(ctx, dex, plan, plan.draws, users[18]);
      expect(montecarloCsv(again)).to.equal(montecarloCsv(rows));

      // Interrupted after 3 runs: runs.csv holds them; the next call runs the 5 others only.
      const dir = tmp();
      const file = path.join(dir, "runs.csv");
      const write = (all: MonteCarloRow[]) => fs.writeFileSync(file, montecarloCsv(all));
      await runMonteCarlo(ctx, dex, plan, plan.draws.slice(0, 3), users[18], { onRow: write });
      const done = doneRows(dir, plan, "runs.csv");
      expect([...done.keys()]).to.deep.equal([0, 1, 2]);
      let ran = 0;
      const resumed = await runMonteCarlo(ctx, dex, plan, plan.draws, users[18], {
        done,
        onRow: write,
        progress: () => (ran += 1),
      });
      expect(ran).to.equal(5);
      expect(fs.readFileSync(file, "utf8")).to.equal(montecarloCsv(rows));
      expect(resumed).to.deep.equal(rows);

      // Shards write their own files; the unsharded call finds every run in them.
      const shards = tmp();
      for (const index of [1, 0]) {
        const name = runsFileName({ index, count: 2 });
        const mine = plan.draws.filter((d) => d.run % 2 === index);
        const part = await runMonteCarlo(ctx, dex, plan, mine, users[18]);
        fs.writeFileSync(path.join(shards, name), montecarloCsv(part));
      }
      expect([...doneRows(shards, plan, "runs.csv").values()].sort((a, b) => +a.run - +b.run)).to.deep.equal(rows);
      expect(doneRows(shards, plan, "runs-shard-0-of-2.csv").size).to.equal(4);
    });

    it("refuses a runs.csv of another scenario or seed, a run beyond --runs, and a file that is not ours", function () {
      const dir = tmp();
      const file = path.join(dir, "runs.csv");
      const other = planMonteCarlo({ ...readCascadeScenario(SMALL), montecarlo: { seed: 12, path: {} } }, RUNS);
      fs.writeFileSync(file, montecarloCsv(rows));
      expect(() => doneRows(dir, other, "runs.csv")).to.throw(InputError, /holds runs of another scenario or settings/);
      expect(() => doneRows(dir, planMonteCarlo(readCascadeScenario(SMALL), 5), "runs.csv")).to.throw(
        InputError,
        /holds run 5, beyond the 5 runs asked for — give --runs 6 or more, or another --out$/,
      );
      fs.writeFileSync(file, "index,floor\n0,0.5\n");
      expect(() => doneRows(dir, plan, "runs.csv")).to.throw(InputError, /is not a loopstress montecarlo runs\.csv/);
      expect(() => parseMontecarloCsv(`${montecarloCsv(rows)}0,"x"\n`, "f.csv")).to.throw(
        InputError,
        /^f\.csv: line 10: is not a run row/,
      );
    });
  });
});
