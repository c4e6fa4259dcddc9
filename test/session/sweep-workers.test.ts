import { expect } from "chai";
import fs from "fs";
import os from "os";
import path from "path";
import YAML from "yaml";
import { InputError } from "../../src/errors";
import { WorkerError } from "../../src/session/workers";
import { runSweepWorkers, sweepWorkerCount } from "../../src/session/sweep-workers";
import {
  SWEEP_COLUMNS,
  type GridPoint,
  type SweepRow,
  gridPoints,
  mergeSweeps,
  readGrid,
  sweepCsv,
} from "../../src/scenario/sweep";
import { readCascadeScenario } from "../../src/scenario/cascade-schema";
import { readSweepShards } from "../../src/session/sweep-shards";
import { runHardhat } from "../node-process";
import { SMALL_SWEEP_GRID, SMALL_SWEEP_SCENARIO } from "../scenario/small-sweep";

const ROOT = path.join(__dirname, "..", "..");
const NAME = "test-sweep-workers";

const SCENARIO = { ...SMALL_SWEEP_SCENARIO, name: NAME };
const GRID = SMALL_SWEEP_GRID;

/** A row with every column filled from its point (what a stand-in worker writes). */
const rowOf = (p: GridPoint): SweepRow => ({
  ...(Object.fromEntries(SWEEP_COLUMNS.map((c) => [c, "7"])) as SweepRow),
  index: String(p.index),
  floor: p.floor ?? "",
  rounds: "",
  policy: p.policy,
});

describe("sweeps in worker processes", function () {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "loopstress-sweep-workers-"));
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it("how many workers: one per core by default, never more than points, none on a shared node", function () {
    const base = { cores: 8, inProcess: true, network: "hardhat", points: 20, shard: { index: 0, count: 1 } };
    expect(sweepWorkerCount(base)).to.equal(8);
    expect(sweepWorkerCount({ ...base, requested: 3 })).to.equal(3);
    expect(sweepWorkerCount({ ...base, points: 2 })).to.equal(2);
    expect(sweepWorkerCount({ ...base, points: 0 })).to.equal(1);
    expect(sweepWorkerCount({ ...base, cores: 256 })).to.equal(20);
    expect(sweepWorkerCount({ ...base, shard: { index: 0, count: 5000 } })).to.equal(2);
    expect(sweepWorkerCount({ ...base, inProcess: false, network: "localhost" })).to.equal(1);
    expect(() => sweepWorkerCount({ ...base, inProcess: false, network: "localhost", requested: 2 })).to.throw(
      InputError,
      "--workers: 2 workers would share the one node of --network localhost — give --workers 1, or run on the in-process network",
    );
  });

  it("merges the workers' rows in grid order; a failed worker leaves no rows and no temporary file", async function () {
    const points: GridPoint[] = [1, 4, 7, 10, 13].map((index) => ({ index, floor: "0.9", policy: "market/market" }));
    const tmpDir = path.join(tmp, "report", ".sweep-workers");
    // Each stand-in worker writes the rows of its sub-shard, as `sweep --shard s --out file` does.
    const write = "require('fs').writeFileSync(process.argv[1], process.argv[2])";
    const command = (s: { index: number; count: number }, out: string) => ({
      command: process.execPath,
      args: ["-e", write, out, sweepCsv(points.filter((p) => p.index % s.count === s.index).map(rowOf))],
    });
    const lines: string[] = [];
    const plan = {
      points,
      shard: { index: 1, count: 3 },
      workers: 2,
      tmpDir,
      command,
      log: (l: string) => lines.push(l),
    };
    expect(await runSweepWorkers(plan)).to.deep.equal(points.map(rowOf));
    expect(fs.existsSync(path.join(tmp, "report"))).to.equal(false);
    // A worker that writes another grid's row: refused, named.
    const foreign = (s: { index: number; count: number }, out: string) => ({
      command: process.execPath,
      args: [
        "-e",
        write,
        out,
        sweepCsv(points.filter((p) => p.index % s.count === s.index).map((p) => rowOf({ ...p, floor: "0.5" }))),
      ],
    });
    await runSweepWorkers({ ...plan, command: foreign }).then(
      () => expect.fail("merged a foreign row"),
      (e: Error) =>
        expect(e.message).to.equal(
          "worker 1/2: grid point 1 is floor 0.5, rounds -, policy market/market, not floor 0.9, rounds -, policy " +
            "market/market: a shard of another grid — merge only the shards of this grid and scenario",
        ),
    );
    const failing = (s: { index: number; count: number }, out: string) =>
      s.index === 4
        ? { command: process.execPath, args: ["-e", "console.error('loopstress: boom'); process.exit(1)"] }
        : command(s, out);
    const err = await runSweepWorkers({ ...plan, command: failing }).catch((e: unknown) => e);
    expect(err).to.be.instanceOf(WorkerError);
    expect((err as Error).message).to.equal("worker 2/2 failed: boom");
    expect(fs.existsSync(path.join(tmp, "report"))).to.equal(false);
  });

  it("bad --workers or shard variables: exit 1, one line naming the flag or variable, nothing written", async function () {
    const scenarioFile = path.join(tmp, "refused.yaml");
    const gridFile = path.join(tmp, "refused-grid.yaml");
    fs.writeFileSync(scenarioFile, YAML.stringify({ ...SCENARIO, name: "test-sweep-refused" }));
    fs.writeFileSync(gridFile, YAML.stringify(GRID));
    const sweep = ["sweep", scenarioFile, "--grid", gridFile];
    const [workers, count] = await Promise.all([
      runHardhat([...sweep, "--workers", "65"], {}),
      runHardhat([...sweep, "--shard", "env"], { JOB_COMPLETION_INDEX: "3" }),
    ]);
    expect(workers.status).to.equal(1);
    expect(workers.output.trim()).to.equal("loopstress: --workers: 65 is out of range — give 1 to 64");
    expect(count.status).to.equal(1);
    expect(count.output.trim()).to.equal(
      "loopstress: LOOPSTRESS_SHARD_COUNT: is not set (--shard env reads the shard count from it) — set it to the " +
        "number of shards: the Indexed Job's spec.completions, or the matrix's strategy.job-total",
    );
    expect(fs.existsSync(path.join(ROOT, "reports", "test-sweep-refused"))).to.equal(false);
  });

  describe("at the command line", function () {
    const scenarioFile = path.join(tmp, "sweep.yaml");
    const gridFile = path.join(tmp, "grid.yaml");
    const out = (name: string) => path.join(tmp, name);
    const reportDir = path.join(ROOT, "reports", NAME);
    const runs: Record<string, { status: number | null; output: string }> = {};

    before(async function () {
      fs.writeFileSync(scenarioFile, YAML.stringify(SCENARIO));
      fs.writeFileSync(gridFile, YAML.stringify(GRID));
      fs.rmSync(reportDir, { recursive: true, force: true });
      const sweep = (csv: string, ...flags: string[]) => [
        "sweep",
        scenarioFile,
        "--grid",
        gridFile,
        "--out",
        out(csv),
        ...flags,
      ];
      // One process; two workers; and two shards run as an engine's jobs run them, each in its own process: a
      // Kubernetes Indexed Job's pod, and a CI matrix's job.
      const [one, two, kube, ci] = await Promise.all([
        runHardhat(sweep("one.csv", "--workers", "1"), {}),
        runHardhat(sweep("two.csv", "--workers", "2"), {}),
        runHardhat(sweep("kube-0.csv", "--shard", "env", "--workers", "1"), {
          JOB_COMPLETION_INDEX: "0",
          LOOPSTRESS_SHARD_COUNT: "2",
        }),
        runHardhat(sweep("ci-1.csv", "--shard", "env", "--workers", "1"), {
          LOOPSTRESS_SHARD_INDEX: "1",
          LOOPSTRESS_SHARD_COUNT: "2",
        }),
      ]);
      Object.assign(runs, { one, two, kube, ci });
    });

    it("two workers write exactly the CSV one process writes, with each worker's progress labelled", function () {
      for (const [name, r] of Object.entries(runs)) expect(r.status, `${name}:\n${r.output}`).to.equal(0);
      const one = fs.readFileSync(out("one.csv"), "utf8");
      expect(fs.readFileSync(out("two.csv"), "utf8")).to.equal(one);
      expect(one.split("\n").map((l) => l.split(",").slice(0, 6).join(","))).to.deep.equal([
        "index,floor,rounds,policy,liquidations,positionsLiquidated",
        "0,0.90,,market/market,0,0",
        "1,0.90,,pegged-to-USDT/exchange-rate,0,0",
        "2,0.70,,market/market,3,3",
        "3,0.70,,pegged-to-USDT/exchange-rate,0,0",
        "",
      ]);
      expect(runs.two.output).to.contain("sweep test-sweep-workers: 4 of 4 grid points (shard 0/1), 2 worker(s)\n");
      expect(runs.two.output).to.contain("[worker 1/2] sweep: 2 of 2 points done\n");
      expect(runs.two.output).to.contain("[worker 2/2] sweep: 2 of 2 points done\n");
      expect(runs.kube.output).to.contain("sweep test-sweep-workers: 2 of 4 grid points (shard 0/2), 1 worker(s)\n");
      expect(runs.ci.output).to.contain("sweep test-sweep-workers: 2 of 4 grid points (shard 1/2), 1 worker(s)\n");
      // The workers' temporary CSVs are gone, and the report folder they were in (it did not exist before).
      expect(fs.existsSync(reportDir)).to.equal(false);
    });

    it("sweep:merge merges shards written by separate processes into the same CSV; refuses missing, duplicate and foreign ones", async function () {
      const merge = (csv: string, shards: string[], ...flags: string[]) =>
        runHardhat(["sweep:merge", ...shards, "--out", out(csv), ...flags], {});
      const shards = [out("ci-1.csv"), out("kube-0.csv")];
      const otherGrid = path.join(tmp, "other-grid.yaml");
      fs.writeFileSync(otherGrid, YAML.stringify({ ...GRID, floor: ["0.90", "0.60"] }));
      const checked = ["--grid", gridFile, "--scenario", scenarioFile];
      const [plain, withGrid, foreign] = await Promise.all([
        merge("merged.csv", shards),
        merge("merged-grid.csv", shards, ...checked),
        merge("foreign.csv", shards, "--grid", otherGrid, "--scenario", scenarioFile),
      ]);
      const one = fs.readFileSync(out("one.csv"), "utf8");
      expect(plain.status, plain.output).to.equal(0);
      expect(fs.readFileSync(out("merged.csv"), "utf8")).to.equal(one);
      expect(withGrid.status, withGrid.output).to.equal(0);
      expect(fs.readFileSync(out("merged-grid.csv"), "utf8")).to.equal(one);
      expect(foreign.status, foreign.output).to.equal(1);
      expect(foreign.output.trim().split("\n").at(-1)).to.equal(
        `loopstress: ${out("ci-1.csv")}: grid point 3 is floor 0.70, rounds -, policy pegged-to-USDT/exchange-rate, ` +
          "not floor 0.60, rounds -, policy pegged-to-USDT/exchange-rate: a shard of another grid — merge only the " +
          "shards of this grid and scenario",
      );
      expect(fs.existsSync(out("foreign.csv"))).to.equal(false);

      // The other refusals, on the same files, in this process (sweep:merge is these two calls).
      const points = gridPoints(readGrid(gridFile), readCascadeScenario(scenarioFile));
      const mergeFiles = (files: string[], withPoints = true) =>
        mergeSweeps(readSweepShards(files), { points: withPoints ? points : undefined, sources: files });
      const fix = " — merge every shard of the same grid exactly once";
      expect(() => mergeFiles([out("kube-0.csv")], false)).to.throw(
        InputError,
        `shards: grid point 1 is missing${fix}`,
      );
      fs.copyFileSync(out("kube-0.csv"), out("kube-0-again.csv"));
      expect(() => mergeFiles([...shards, out("kube-0-again.csv")])).to.throw(
        `${out("kube-0-again.csv")}: grid point 0 is also in ${out("kube-0.csv")}${fix}`,
      );
      // Points 0 to 2 of 4: without the grid nothing looks missing; with it, the last point is named.
      fs.writeFileSync(out("first-three.csv"), one.split("\n").slice(0, 4).join("\n") + "\n");
      expect(sweepCsv(mergeFiles([out("first-three.csv")], false))).to.equal(
        fs.readFileSync(out("first-three.csv"), "utf8"),
      );
      expect(() => mergeFiles([out("first-three.csv")])).to.throw(`shards: grid point 3 is missing${fix}`);
    });
  });
});
