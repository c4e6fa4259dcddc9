/**
 * `npm run bench`: the kept benchmarks. Runs the canonical scenario end to end, then copies of it with every
 * population group scaled, each in a process of its own (bench/scenario-run.ts), prints the figures and writes them
 * to bench/results.json with the machine they were measured on. Figures are printed, never asserted.
 *
 * BENCH_SCALES overrides the scaled sizes (comma-separated positions, e.g. "500,1000"; "" for none). The canonical and
 * scaled runs use the default backend (Hardhat's in-process network; BENCH_BACKEND or LOOPSTRESS_BACKEND=anvil for anvil).
 *
 * Backends side by side: the canonical scenario on Hardhat's in-process network and on anvil, each in a process of its
 * own, with the end-to-end ratio. BENCH_ONLY=backends runs that case alone and prints it without writing the results.
 */
import { execFileSync } from "child_process";
import fs from "fs";
import os from "os";
import path from "path";
import type { ScenarioRunFigures } from "./scenario-run";

const RESULTS = path.join("bench", "results.json");
const DEFAULT_SCALES = [500, 1000];
/** Larger populations are not run by default: their expected time is extrapolated from the largest run. */
const NOT_RUN = [3000, 10_000];
const MS_PER_MIN = 60_000;
const GB = 1e9;

interface Results {
  machine: { cpus: number; cpuModel: string; memoryBytes: number; node: string; platform: string };
  date: string;
  canonical: ScenarioRunFigures;
  scaling: ScenarioRunFigures[];
  /** The canonical scenario on each backend, and how many times faster anvil ran it end to end. */
  backends?: { runs: ScenarioRunFigures[]; hardhatOverAnvilWall: number };
  notRun: { positions: number; expectedMinutes: number; why: string }[];
  /** Earlier measurements kept for comparison (copied from the previous results file, never rewritten). */
  history?: unknown[];
}

function runOne(positions: number, backend?: string): ScenarioRunFigures {
  const out = path.join(os.tmpdir(), `loopstress-bench-${process.pid}-${positions}.json`);
  const hardhat = path.join("node_modules", ".bin", "hardhat");
  execFileSync(hardhat, ["run", "--no-compile", "bench/scenario-run.ts"], {
    stdio: ["ignore", "ignore", "inherit"],
    env: {
      ...process.env,
      BENCH_OUT: out,
      BENCH_POSITIONS: String(positions),
      ...(backend === undefined ? {} : { BENCH_BACKEND: backend }),
    },
  });
  const figures = JSON.parse(fs.readFileSync(out, "utf8")) as ScenarioRunFigures;
  fs.rmSync(out);
  return figures;
}

function print(f: ScenarioRunFigures): void {
  const node = f.nodePeakRssBytes === undefined ? "" : ` (+ anvil ${(f.nodePeakRssBytes / GB).toFixed(2)} GB)`;
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

/** The canonical scenario on each backend, one process each. */
function backendsSideBySide(): NonNullable<Results["backends"]> {
  const runs = ["hardhat", "anvil"].map((backend) => runOne(0, backend));
  runs.forEach(print);
  const [hardhat, anvil] = runs;
  const hardhatOverAnvilWall = Math.round((hardhat.wallMs / anvil.wallMs) * 100) / 100;
  console.log(`backends: anvil ran the canonical scenario ${hardhatOverAnvilWall}x as fast as Hardhat, end to end`);
  return { runs, hardhatOverAnvilWall };
}

function main(): void {
  if (process.env.BENCH_ONLY === "backends") {
    backendsSideBySide();
    return;
  }
  const scales =
    process.env.BENCH_SCALES === undefined
      ? DEFAULT_SCALES
      : process.env.BENCH_SCALES.split(",")
          .filter((s) => s.trim() !== "")
          .map(Number);
  const canonical = runOne(0);
  print(canonical);
  const scaling: ScenarioRunFigures[] = [];
  for (const n of scales) {
    const f = runOne(n);
    print(f);
    scaling.push(f);
  }
  const backends = backendsSideBySide();
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
    scaling,
    backends,
    notRun,
    ...(previous.history ? { history: previous.history } : {}),
  };
  fs.writeFileSync(RESULTS, `${JSON.stringify(results, null, 2)}\n`);
  console.log(`written to ${RESULTS}`);
}

main();
