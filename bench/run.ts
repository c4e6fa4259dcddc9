/**
 * `npm run bench`: the kept benchmarks. Runs the canonical scenario end to end, then copies of it with every
 * population group scaled, each in a process of its own (bench/scenario-run.ts), prints the figures and writes them
 * to bench/results.json with the machine they were measured on. Figures are printed, never asserted.
 *
 * The canonical run also records the writes it sends (bench/scenario-run.ts), which are then replayed on a fresh node
 * with nothing between them (bench/replay-run.ts): the harness's overhead is the run's wall time over the replay's.
 *
 * Then backends side by side: the canonical scenario on Hardhat's in-process network, on `hardhat node` over HTTP
 * (the same node, a process of its own) and on anvil, each in a process of its own, with the end-to-end ratios, two
 * reads timed on each (bench/quote-run.ts) and a block's cost on a fresh and on a filled chain (bench/block-cost-run.ts). Then
 * fork mode against a local upstream: `hardhat node` serving the embedded deployment, forked by the depeg task
 * through our proxy, once with an empty fork cache (cold) and once with the cache the first run filled (warm). Then
 * threshold verification of 100 borrowers (bench/thresholds-run.ts) with the search from the model's prediction and
 * with plain bisection. Then a small sweep (bench/sweep-scenario.yaml over bench/sweep-grid.yaml) in one process and
 * in two worker processes: grid points per second, start-up and deployment included, as a user waits.
 *
 * BENCH_SCALES overrides the scaled sizes (comma-separated positions, e.g. "500,1000"; "" for none). The canonical and
 * scaled runs use the default backend (BENCH_BACKEND or LOOPSTRESS_BACKEND chooses another). BENCH_CASES runs some of
 * the cases only (comma-separated: canonical, scaling, backends, fork, thresholds, sweep); such a partial run prints its figures and
 * leaves bench/results.json as it is.
 */
import { execFileSync, spawnSync } from "child_process";
import fs from "fs";
import os from "os";
import path from "path";
import { chooseBackend } from "../src/session/backend";
import type { ReplayFigures } from "./replay-run";
import type { ThresholdRunFigures } from "./thresholds-run";
import type { ScenarioRunFigures } from "./scenario-run";
import type { QuoteFigures } from "./quote-run";
import type { BlockCostFigures } from "./block-cost-run";
import { HTTP_NODE } from "./labels";
import { peakRssOf } from "./process-memory";
// The suite's own helper for a `hardhat node` child process on a free port (stopped whatever happens).
import { startHardhatNode } from "../test/node-process";

const RESULTS = path.join("bench", "results.json");
const DEFAULT_SCALES = [500, 1000, 3000, 10_000];
/** Sizes whose expected time is extrapolated from the largest run when BENCH_SCALES leaves them out. */
const NOT_RUN = [3000, 10_000];
const MS_PER_MIN = 60_000;
const GB = 1e9;
const CASES = ["canonical", "scaling", "backends", "fork", "thresholds", "sweep"] as const;
/** The depeg scenario fork mode runs (the depeg task's default), and how its task reports the fork proxy's counts. */
const FORK_SCENARIO = path.join("scenarios", "usde-depeg.yaml");
const FORK_REPORT = path.join("reports", "usde-depeg", "report.json");
const FORK_STATS = /fork: (\d+) upstream request\(s\), (\d+) served from the fork cache/;
/** Borrowers whose liquidation boundaries the threshold benchmark searches, with each search. */
const THRESHOLD_POSITIONS = 100;
const THRESHOLD_SEARCHES = ["from-prediction", "bisection"] as const;
const SWEEP_SCENARIO = path.join("bench", "sweep-scenario.yaml");
const SWEEP_GRID = path.join("bench", "sweep-grid.yaml");
/** One process, then one worker per core of the 2-core machine the kept figures come from. */
const SWEEP_WORKERS = [1, 2];
const HARDHAT = path.join("node_modules", ".bin", "hardhat");

interface SweepFigures {
  scenario: string;
  grid: string;
  points: number;
  runs: { workers: number; wallMs: number; pointsPerSecond: number }[];
  /** Points per second with the most workers over with one. */
  speedup: number;
  /** Whether every run wrote the same CSV (it should: the workers' rows are merged in grid order). */
  sameCsv: boolean;
}

interface ForkRunFigures {
  cache: "cold" | "warm";
  /** The depeg task end to end as a user waits: start-up, fork, the scenario's runs and the report. */
  wallMs: number;
  /** Requests the fork proxy sent to the upstream, and requests it answered from the fork cache. */
  upstreamRequests: number;
  cacheHits: number;
}

interface ForkFigures {
  scenario: string;
  /** The same task on the embedded chain (no fork), for comparison. */
  embeddedWallMs: number;
  runs: ForkRunFigures[];
  /** The warm run's wall time over the cold one's. */
  warmOverCold: number;
  /** Whether both runs wrote the same report.json (they should: the cache answers what the upstream did). */
  sameReport: boolean;
}

interface Results {
  machine: { cpus: number; cpuModel: string; memoryBytes: number; node: string; platform: string };
  date: string;
  canonical: ScenarioRunFigures;
  /** The canonical run's writes replayed on a fresh node: the chain's own time, and the run's over it. */
  overhead?: ReplayFigures & { scenarioMs: number; scenarioOverReplay: number };
  scaling: ScenarioRunFigures[];
  /**
   * The canonical scenario on each backend, and how many times as fast as the in-process network anvil and `hardhat
   * node` over HTTP ran it end to end (older results: no HTTP node).
   */
  backends?: {
    runs: ScenarioRunFigures[];
    hardhatOverAnvilWall: number;
    hardhatOverHttpNodeWall?: number;
    /** One cheap read and one long quote on each backend: the round trip against the execution (older: none). */
    reads?: QuoteFigures[];
    /** A transfer's time on a fresh node and after storage was added, on each backend (older: none). */
    blockCost?: BlockCostFigures[];
  };
  /** Fork mode against a local upstream, with an empty fork cache and with the one it filled. */
  fork?: ForkFigures;
  notRun: { positions: number; expectedMinutes: number; why: string }[];
  /** Threshold verification of the same borrowers with each search: from the prediction, and bisection. */
  thresholds?: ThresholdRunFigures[];
  sweep: SweepFigures;
  /** Earlier measurements kept for comparison (copied from the previous results file, never rewritten). */
  history?: unknown[];
}

/** a / b to two decimals, as every ratio in the figures is given. */
const ratio = (a: number, b: number): number => Math.round((a / b) * 100) / 100;

/** Runs one bench script in a process of its own (so its peak RSS is its own) and reads the JSON it writes. */
function runScript<T>(script: string, env: Record<string, string>, args: string[] = []): T {
  const out = path.join(os.tmpdir(), `loopstress-bench-${process.pid}-${path.basename(script, ".ts")}.json`);
  try {
    execFileSync(HARDHAT, ["run", "--no-compile", ...args, script], {
      stdio: ["ignore", "ignore", "inherit"],
      env: { ...process.env, ...env, BENCH_OUT: out },
    });
    return JSON.parse(fs.readFileSync(out, "utf8")) as T;
  } finally {
    fs.rmSync(out, { force: true });
  }
}

function runOne(positions: number, backend?: string, writesFile?: string): ScenarioRunFigures {
  return runScript<ScenarioRunFigures>("bench/scenario-run.ts", {
    BENCH_POSITIONS: String(positions),
    ...(backend === undefined ? {} : { BENCH_BACKEND: backend }),
    ...(writesFile === undefined ? {} : { BENCH_WRITES: writesFile }),
  });
}

function print(f: ScenarioRunFigures): void {
  const node = f.nodePeakRssBytes === undefined ? "" : ` (+ the node ${(f.nodePeakRssBytes / GB).toFixed(2)} GB)`;
  console.log(
    `${f.scenario}${f.backend ? ` on ${f.backend}` : ""}: ${f.positions} positions, ${f.policyRuns} policy runs — ${(f.wallMs / 1000).toFixed(1)} s, ` +
      `${f.msPerPosition} ms/position, peak RSS ${(f.peakRssBytes / GB).toFixed(2)} GB${node}, ` +
      `${f.rpc.calls} JSON-RPC calls, ${f.rpc.failedTxs} failed txs, ${f.rpc.failedCalls} failed calls ` +
      `(${(f.rpc.failedMs / 1000).toFixed(1)} s in failed requests)`,
  );
  for (const p of f.phases)
    console.log(
      `  ${p.name.padEnd(56)} ${(p.ms / 1000).toFixed(1).padStart(6)} s  ${String(p.rpcCalls).padStart(7)} calls  ` +
        `${p.failedTxs} failed txs, ${p.failedCalls} failed calls`,
    );
}

/**
 * The canonical scenario on the default backend, its writes recorded, then replayed on a fresh node of the same
 * backend in a process of its own.
 */
function canonicalWithReplay(): { canonical: ScenarioRunFigures; overhead: NonNullable<Results["overhead"]> } {
  const writes = path.join(os.tmpdir(), `loopstress-bench-${process.pid}-writes.json`);
  const backend = chooseBackend(process.env.BENCH_BACKEND, process.env);
  try {
    const canonical = runOne(0, backend, writes);
    const replay = runScript<ReplayFigures>("bench/replay-run.ts", { BENCH_WRITES: writes, BENCH_BACKEND: backend });
    const overhead = {
      ...replay,
      scenarioMs: canonical.wallMs,
      scenarioOverReplay: ratio(canonical.wallMs, replay.replayMs),
    };
    return { canonical, overhead };
  } finally {
    fs.rmSync(writes, { force: true });
  }
}

function printOverhead(o: NonNullable<Results["overhead"]>): void {
  console.log(
    `overhead: the canonical run's ${o.writes} writes on ${o.backend} (${o.transactions} transactions) replayed in ` +
      `${(o.replayMs / 1000).toFixed(1)} s on a fresh node, the run took ${(o.scenarioMs / 1000).toFixed(1)} s: ` +
      `${o.scenarioOverReplay}x; same last block: ${o.sameLastBlock ? "yes" : "no"}, ` +
      `${o.mismatched} outcomes differing from the run's`,
  );
}

/**
 * The canonical scenario through --network localhost on a `hardhat node` started for it, the node's RSS beside; then
 * the reads' timing on a fresh node of its own.
 */
async function runOnHttpNode(): Promise<{ run: ScenarioRunFigures; reads: QuoteFigures }> {
  const localhost = ["--network", "localhost"];
  const onNode = async <T>(script: string, env: Record<string, string>): Promise<{ figures: T; nodeRss?: number }> => {
    const node = await startHardhatNode();
    try {
      const figures = runScript<T>(script, { ...env, LOOPSTRESS_LOCALHOST_URL: node.url }, localhost);
      return { figures, nodeRss: node.pid === undefined ? undefined : peakRssOf(node.pid) };
    } finally {
      await node.stop();
    }
  };
  const scenario = await onNode<ScenarioRunFigures>("bench/scenario-run.ts", { BENCH_POSITIONS: "0" });
  const reads = await onNode<QuoteFigures>("bench/quote-run.ts", {});
  const run = {
    ...scenario.figures,
    ...(scenario.nodeRss === undefined ? {} : { nodePeakRssBytes: scenario.nodeRss }),
  };
  return { run, reads: reads.figures };
}

function printReads(r: QuoteFigures): void {
  console.log(
    `  reads on ${r.backend}: a balance ${r.balanceReadMs} ms, a quote past the pool's liquidity ` +
      `${r.drainedQuoteMs} ms (median of each)`,
  );
}

/** The canonical scenario on each backend, one process each. */
async function backendsSideBySide(): Promise<NonNullable<Results["backends"]>> {
  const [hardhat, anvil] = ["hardhat", "anvil"].map((backend) => runOne(0, backend));
  const [hardhatReads, anvilReads] = ["hardhat", "anvil"].map((backend) =>
    runScript<QuoteFigures>("bench/quote-run.ts", { BENCH_BACKEND: backend }),
  );
  const blockCost = ["hardhat", "anvil"].map((backend) =>
    runScript<BlockCostFigures>("bench/block-cost-run.ts", { BENCH_BACKEND: backend }),
  );
  const { run: httpNode, reads: httpNodeReads } = await runOnHttpNode();
  const runs = [hardhat, httpNode, anvil];
  const reads = [hardhatReads, httpNodeReads, anvilReads];
  runs.forEach(print);
  reads.forEach(printReads);
  for (const b of blockCost)
    console.log(
      `  a transfer on ${b.backend}: ${b.freshTransferMs} ms on a fresh node, ${b.filledTransferMs} ms after ` +
        `${b.slotsAdded} storage slots were added (mean of ${b.transfers} each)`,
    );
  const hardhatOverAnvilWall = ratio(hardhat.wallMs, anvil.wallMs);
  const hardhatOverHttpNodeWall = ratio(hardhat.wallMs, httpNode.wallMs);
  console.log(
    `backends: end to end, anvil ran the canonical scenario ${hardhatOverAnvilWall}x and ${HTTP_NODE} ` +
      `${hardhatOverHttpNodeWall}x as fast as Hardhat's in-process network`,
  );
  return { runs, hardhatOverAnvilWall, hardhatOverHttpNodeWall, reads, blockCost };
}

/** The depeg task as a user runs it (embedded, or in fork mode with `forkArgs`): its wall time and what it printed. */
function depegRun(forkArgs: string[]): { wallMs: number; stderr: string } {
  const t0 = performance.now();
  // The task prints its report on stdout and its progress, with the fork proxy's counts, on stderr.
  const run = spawnSync(HARDHAT, ["depeg", FORK_SCENARIO, "--brief", ...forkArgs], { encoding: "utf8" });
  const wallMs = Math.round(performance.now() - t0);
  if (run.status !== 0) throw new Error(`the depeg task failed (exit ${run.status}):\n${run.stderr}`);
  return { wallMs, stderr: run.stderr };
}

/** One depeg task in fork mode: its wall time, the fork proxy's counts it prints, and its report. */
function forkRun(cache: ForkRunFigures["cache"], forkArgs: string[]): { figures: ForkRunFigures; report: string } {
  const { wallMs, stderr } = depegRun(forkArgs);
  const stats = FORK_STATS.exec(stderr);
  if (stats === null) throw new Error(`the depeg task did not print the fork proxy's counts:\n${stderr}`);
  const figures = { cache, wallMs, upstreamRequests: Number(stats[1]), cacheHits: Number(stats[2]) };
  return { figures, report: fs.readFileSync(FORK_REPORT, "utf8") };
}

/**
 * Fork mode against a local upstream: `hardhat node` with the embedded deployment recorded to a profile, then the
 * depeg scenario forking it through our proxy, with an empty fork cache and again with the cache it filled.
 */
async function forkColdWarm(): Promise<ForkFigures> {
  const upstream = await startHardhatNode();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "loopstress-bench-fork-"));
  try {
    const profile = path.join(dir, "profile.json");
    const deploy = spawnSync(HARDHAT, ["embedded:deploy", "--network", "localhost", "--out", profile, "--quiet"], {
      encoding: "utf8",
      env: { ...process.env, LOOPSTRESS_LOCALHOST_URL: upstream.url },
    });
    if (deploy.status !== 0) throw new Error(`embedded:deploy on the upstream failed:\n${deploy.stderr}`);
    const embedded = depegRun([]);
    const forkArgs = ["--fork-url", upstream.url, "--profile", profile, "--fork-cache", path.join(dir, "cache")];
    const [cold, warm] = (["cold", "warm"] as const).map((cache) => forkRun(cache, forkArgs));
    const runs = [cold.figures, warm.figures];
    const fork: ForkFigures = {
      scenario: FORK_SCENARIO,
      embeddedWallMs: embedded.wallMs,
      runs,
      warmOverCold: ratio(warm.figures.wallMs, cold.figures.wallMs),
      sameReport: cold.report === warm.report,
    };
    for (const r of runs)
      console.log(
        `fork (${r.cache} cache) of a local hardhat node, ${FORK_SCENARIO}: ${(r.wallMs / 1000).toFixed(1)} s, ` +
          `${r.upstreamRequests} upstream requests, ${r.cacheHits} served from the fork cache`,
      );
    console.log(
      `fork: warm/cold wall time ${fork.warmOverCold}; same report: ${fork.sameReport ? "yes" : "no"}; ` +
        `the same task on the embedded chain: ${(fork.embeddedWallMs / 1000).toFixed(1)} s`,
    );
    return fork;
  } finally {
    await upstream.stop();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Threshold verification of the same borrowers with each search, one process each. */
function benchThresholds(): ThresholdRunFigures[] {
  return THRESHOLD_SEARCHES.map((search) => {
    const f = runScript<ThresholdRunFigures>("bench/thresholds-run.ts", {
      BENCH_POSITIONS: String(THRESHOLD_POSITIONS),
      BENCH_SEARCH: search,
    });
    console.log(
      `thresholds (${f.search}) of ${f.positions} borrowers on ${f.markets.length} markets: ` +
        `${(f.searchMs / 1000).toFixed(1)} s, ${f.msPerPosition} ms/position, ${f.probes} probes, ` +
        `${f.differing} differing from the prediction (max ${f.maxDifferenceE8} E8), peak RSS ${(f.peakRssBytes / GB).toFixed(2)} GB`,
    );
    return f;
  });
}

/** The sweep benchmark with `workers` processes: its wall time, start-up and deployment included, and its CSV. */
function sweepOnce(workers: number): { wallMs: number; csv: string } {
  const out = path.join(os.tmpdir(), `loopstress-bench-sweep-${process.pid}-${workers}.csv`);
  const t0 = performance.now();
  try {
    execFileSync(HARDHAT, ["sweep", SWEEP_SCENARIO, "--grid", SWEEP_GRID, "--workers", String(workers), "--out", out], {
      stdio: ["ignore", "ignore", "pipe"],
    });
  } catch (err) {
    // The sweep's own progress would bury the figures; on failure its stderr says why.
    console.error(String((err as { stderr?: Buffer }).stderr ?? err));
    throw err;
  }
  const wallMs = Math.round(performance.now() - t0);
  const csv = fs.readFileSync(out, "utf8");
  fs.rmSync(out);
  return { wallMs, csv };
}

function benchSweep(): SweepFigures {
  const runs = SWEEP_WORKERS.map((workers) => ({ workers, ...sweepOnce(workers) }));
  const points = runs[0].csv.trim().split("\n").length - 1;
  const figures = runs.map(({ workers, wallMs }) => ({
    workers,
    wallMs,
    pointsPerSecond: Math.round((points / (wallMs / 1000)) * 1000) / 1000,
  }));
  const [first, last] = [figures[0], figures[figures.length - 1]];
  const sweep: SweepFigures = {
    scenario: SWEEP_SCENARIO,
    grid: SWEEP_GRID,
    points,
    runs: figures,
    speedup: ratio(last.pointsPerSecond, first.pointsPerSecond),
    sameCsv: runs.every((r) => r.csv === runs[0].csv),
  };
  for (const r of figures)
    console.log(
      `sweep ${SWEEP_SCENARIO} over ${SWEEP_GRID}: ${points} points, ${r.workers} worker(s) — ` +
        `${(r.wallMs / 1000).toFixed(1)} s, ${r.pointsPerSecond} points/s`,
    );
  console.log(`sweep: ${sweep.speedup}x with ${last.workers} workers; same CSV: ${sweep.sameCsv ? "yes" : "no"}`);
  return sweep;
}

function casesToRun(): readonly (typeof CASES)[number][] {
  if (process.env.BENCH_CASES === undefined) return CASES;
  const names = process.env.BENCH_CASES.split(",").map((s) => s.trim());
  for (const n of names) {
    if (!(CASES as readonly string[]).includes(n))
      throw new Error(`BENCH_CASES: unknown case "${n}" — use ${CASES.join(", ")}`);
  }
  return CASES.filter((c) => names.includes(c));
}

async function main(): Promise<void> {
  const cases = casesToRun();
  const scales =
    process.env.BENCH_SCALES === undefined
      ? DEFAULT_SCALES
      : process.env.BENCH_SCALES.split(",")
          .filter((s) => s.trim() !== "")
          .map(Number);
  const withReplay = cases.includes("canonical") ? canonicalWithReplay() : undefined;
  const canonical = withReplay?.canonical;
  const overhead = withReplay?.overhead;
  if (canonical) print(canonical);
  if (overhead) printOverhead(overhead);
  const scaling: ScenarioRunFigures[] = [];
  for (const n of cases.includes("scaling") ? scales : []) {
    const f = runOne(n);
    print(f);
    scaling.push(f);
  }
  const backends = cases.includes("backends") ? await backendsSideBySide() : undefined;
  const fork = cases.includes("fork") ? await forkColdWarm() : undefined;
  const thresholds = cases.includes("thresholds") ? benchThresholds() : undefined;
  const sweep = cases.includes("sweep") ? benchSweep() : undefined;
  if (
    canonical === undefined ||
    backends === undefined ||
    fork === undefined ||
    sweep === undefined ||
    cases.length < CASES.length
  ) {
    console.log(`BENCH_CASES ran ${cases.join(", ")} only: ${RESULTS} is left as it is`);
    return;
  }
  const largest = scaling.at(-1) ?? canonical;
  const notRun = NOT_RUN.filter((n) => !scales.includes(n)).map((positions) => {
    const expectedMinutes = Math.round((positions * largest.msPerPosition) / MS_PER_MIN);
    return {
      positions,
      expectedMinutes,
      why: `not run by npm run bench: at ${largest.msPerPosition} ms/position (measured at ${largest.positions}) it would take about ${expectedMinutes} min`,
    };
  });
  for (const n of notRun) console.log(`${n.positions} positions: ${n.why}`);
  const previous: Partial<Results> = fs.existsSync(RESULTS)
    ? (JSON.parse(fs.readFileSync(RESULTS, "utf8")) as Partial<Results>)
    : {};
  const cpus = os.cpus();
  const results: Results = {
    machine: {
      cpus: cpus.length,
      cpuModel: cpus[0]?.model ?? "unknown",
      memoryBytes: os.totalmem(),
      node: process.version,
      platform: `${os.platform()} ${os.release()}`,
    },
    date: new Date().toISOString(),
    canonical,
    ...(overhead ? { overhead } : {}),
    scaling,
    backends,
    fork,
    notRun,
    ...(thresholds ? { thresholds } : {}),
    sweep,
    ...(previous.history ? { history: previous.history } : {}),
  };
  fs.writeFileSync(RESULTS, `${JSON.stringify(results, null, 2)}\n`);
  console.log(`written to ${RESULTS}`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
