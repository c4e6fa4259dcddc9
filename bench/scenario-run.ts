/**
 * One measured cascade run, in a process of its own so that its peak RSS is its own: the canonical scenario (or a copy
 * with every population group scaled to about BENCH_POSITIONS positions), deployment, population, each policy run
 * and the report timed apart, JSON-RPC requests counted per phase. Writes its figures as JSON to BENCH_OUT (bench/run.ts
 * starts it and gathers the figures); never asserts anything. BENCH_BACKEND (or LOOPSTRESS_BACKEND) chooses the node, as
 * --backend does for the scenario task: hardhat (in-process, the default) or anvil; with --network localhost it runs on
 * the node at LOOPSTRESS_LOCALHOST_URL (bench/run.ts starts `hardhat node` there). With BENCH_WRITES (Hardhat only), it
 * also records every write it sends, in order, with the last block's hash, to that file, for bench/replay-run.ts.
 */
import fs from "fs";
import os from "os";
import path from "path";
import hre from "hardhat";
import { countRpc, rpcTotals, type Eip1193Like, type RpcMethodStats } from "../src/chain/rpc-stats";
import { recordWrites, type RecordedWrite } from "../src/chain/write-log";
import { populationSize, readCascadeScenario, type CascadeScenario } from "../src/scenario/cascade-schema";
import { embeddedParamsFor } from "../src/scenario/cascade-chain";
import { checkCascadeFits } from "../src/scenario/fits";
import { borrowedByMarket, planPopulation } from "../src/scenario/population";
import { setPlannedLiquidity } from "../src/embedded/markets";
import type { EmbeddedParams } from "../src/embedded/params";
import { runCascade } from "../src/scenario/run-cascade";
import { writeCascadeReport } from "../src/report/cascade-report";
import { deployEmbeddedContext } from "../src/session/embedded";
import { splitSigners } from "../src/session";
import { UniswapV3Dex } from "../src/dex/uniswap-v3";
import { peakRssOfAll } from "./process-memory";
import { HTTP_NODE, IN_PROCESS_NETWORK } from "./labels";

const CANONICAL = "scenarios/oct-10-2025.yaml";
/** Transactions sent by the harness: a failure here is a reverted transaction (and, on Hardhat, a stack trace). */
const SEND_METHODS = ["eth_sendTransaction", "eth_sendRawTransaction"];
/** Reads that execute code: a failure here is a reverted call. */
const CALL_METHODS = ["eth_call", "eth_estimateGas"];
/** How many methods each phase lists by calls. */
const TOP_METHODS = 8;

export interface PhaseFigures {
  name: string;
  ms: number;
  rpcCalls: number;
  failedTxs: number;
  failedCalls: number;
  /** Wall time inside failed requests (where the node decodes and traces the revert). */
  failedMs: number;
  topMethods: Record<string, number>;
}

export interface ScenarioRunFigures {
  scenario: string;
  /** The node it ran on (older results, before anvil: Hardhat's in-process network). */
  backend?: string;
  positions: number;
  policyRuns: number;
  wallMs: number;
  /** Population plus every policy run, over the positions. */
  msPerPosition: number;
  peakRssBytes: number;
  /** anvil: the node's own peak RSS (a process of its own), beside this process's; in-process: none. */
  nodePeakRssBytes?: number;
  phases: PhaseFigures[];
  rpc: {
    calls: number;
    failedTxs: number;
    failedCalls: number;
    failedMs: number;
    /** Calls and wall time in the request, by method, most time first (where a backend spends its time). */
    byMethod: Record<string, { calls: number; ms: number }>;
  };
  /** The report's path when it was written (the canonical run only). */
  report?: string;
}

/** What BENCH_WRITES receives: the run's writes in order, and the hash of the block they end at. */
export interface RecordedRun {
  writes: RecordedWrite[];
  lastBlockHash: string;
}

/**
 * The canonical scenario with every group's count scaled by the same factor (at least one position each), run under
 * the `market` policies only — the run where the cascade happens — so that a scaled run stays within minutes; no
 * counterfactual, no validation (its facts are measured on a policy run this copy does not make).
 */
function scaled(s: CascadeScenario, positions: number): CascadeScenario {
  const total = populationSize(s);
  const groups = s.population.groups.map((g) => ({
    ...g,
    count: Math.max(1, Math.round((g.count * positions) / total)),
  }));
  const market = s.policies.filter((p) => Object.values(p).every((v) => v === "market"));
  return {
    ...s,
    population: { ...s.population, groups },
    policies: market.length > 0 ? market : s.policies,
    counterfactuals: { ...s.counterfactuals, redemptionsPaused: [] },
    validation: undefined,
  };
}

function failuresOf(byMethod: Record<string, RpcMethodStats>, methods: string[]): number {
  return methods.reduce((n, m) => n + (byMethod[m]?.failures ?? 0), 0);
}

function diff(a: Record<string, RpcMethodStats>, b: Record<string, RpcMethodStats>): Record<string, RpcMethodStats> {
  const out: Record<string, RpcMethodStats> = {};
  for (const [m, s] of Object.entries(b)) {
    const p = a[m] ?? { calls: 0, failures: 0, ms: 0, failedMs: 0 };
    out[m] = {
      calls: s.calls - p.calls,
      failures: s.failures - p.failures,
      ms: s.ms - p.ms,
      failedMs: s.failedMs - p.failedMs,
    };
  }
  return out;
}

/** A market of a scaled copy lends a quarter more than its population borrows. */
const LENDING_HEADROOM_DIVISOR = 4n;

/**
 * A copy scaled past the embedded markets' liquidity (10,000 positions borrow more than some Morpho markets lend) has
 * those markets lend a quarter more than its population borrows; the markets that were raised, by key.
 */
function lendWhatItBorrows(s: CascadeScenario, params: EmbeddedParams): string[] {
  const raised: string[] = [];
  for (const [market, e] of borrowedByMarket(planPopulation(s.population, s.name), params)) {
    if (e.needWhole <= e.haveWhole) continue;
    setPlannedLiquidity(params, market, e.needWhole + e.needWhole / LENDING_HEADROOM_DIVISOR, e.field);
    raised.push(market);
  }
  return raised;
}

async function main(): Promise<void> {
  const out = process.env.BENCH_OUT ?? path.join(os.tmpdir(), "loopstress-bench.json");
  const canonical = readCascadeScenario(CANONICAL);
  const wanted = Number(process.env.BENCH_POSITIONS ?? 0);
  const scenario = wanted > 0 ? scaled(canonical, wanted) : canonical;
  const positions = populationSize(scenario);
  const params = embeddedParamsFor(scenario);
  const raised = wanted > 0 ? lendWhatItBorrows(scenario, params) : [];
  checkCascadeFits(scenario, params);

  // --network localhost: the node behind LOOPSTRESS_LOCALHOST_URL (bench/run.ts starts `hardhat node` there).
  const inProcess = hre.network.name === IN_PROCESS_NETWORK;
  const { openTaskChain } = await import("../tasks/session");
  // BENCH_BACKEND chooses among the nodes a run can start; with another --network it does not apply.
  const chain = await openTaskChain(hre, inProcess ? process.env.BENCH_BACKEND : undefined);
  const backend = chain.backend;
  // anvil: every request goes through the JSON-RPC provider's send; in-process: through Hardhat's provider. A
  // transaction that reverts fails its send on Hardhat but is mined with status 0 on anvil (not counted as failed).
  const counted = backend === "anvil" ? chain.provider : hre.network.provider;
  const counter = countRpc(counted as unknown as Eip1193Like);
  const writesFile = inProcess ? process.env.BENCH_WRITES : undefined;
  const recorder = writesFile === undefined ? undefined : recordWrites(counted as unknown as Eip1193Like);
  const phases: PhaseFigures[] = [];
  let phaseName = "deploy";
  let phaseStart = performance.now();
  let phaseRpc = counter.snapshot();
  const t0 = phaseStart;
  const endPhase = (next: string): void => {
    const now = performance.now();
    const rpcNow = counter.snapshot();
    const d = diff(phaseRpc, rpcNow);
    const total = rpcTotals(d);
    phases.push({
      name: phaseName,
      ms: Math.round(now - phaseStart),
      rpcCalls: total.calls,
      failedTxs: failuresOf(d, SEND_METHODS),
      failedCalls: failuresOf(d, CALL_METHODS),
      failedMs: Math.round(total.failedMs),
      topMethods: Object.fromEntries(
        Object.entries(d)
          .filter(([, s]) => s.calls > 0)
          .sort((x, y) => y[1].calls - x[1].calls)
          .slice(0, TOP_METHODS)
          .map(([m, s]) => [m, s.calls]),
      ),
    });
    phaseName = next;
    phaseStart = now;
    phaseRpc = rpcNow;
  };

  // A failed run still stops its node (a node left running would keep this process alive).
  let dir: string | undefined;
  let wallMs: number;
  let nodePeakRssBytes: number | undefined;
  let runs = 0;
  try {
    const { deployer, liquidator } = splitSigners(chain.signers);
    const ctx = await deployEmbeddedContext(chain.provider, deployer, params);
    endPhase("population");
    const report = await runCascade(ctx, new UniswapV3Dex(ctx), scenario, {
      liquidator,
      // The engine names each policy run as it starts it: that line ends the phase before.
      log: (line) => {
        if (line.startsWith("policies: ")) endPhase(`run ${++runs}: ${line.slice("policies: ".length)}`);
      },
    });
    endPhase("report");
    dir = wanted > 0 ? undefined : await writeCascadeReport(report);
    endPhase("");
    wallMs = performance.now() - t0;
    // anvil: the node and the genesis node it forks, both counted.
    nodePeakRssBytes = peakRssOfAll(chain.pids ?? []);
    if (recorder && writesFile) {
      const last = await chain.provider.getBlock("latest");
      const run: RecordedRun = { writes: recorder.writes(), lastBlockHash: last?.hash ?? "" };
      fs.writeFileSync(writesFile, JSON.stringify(run));
    }
  } finally {
    await chain.close();
  }
  const all = counter.snapshot();
  const opened = phases.filter((p) => p.name !== "deploy" && p.name !== "report").reduce((n, p) => n + p.ms, 0);
  const figures: ScenarioRunFigures = {
    backend: inProcess ? backend : HTTP_NODE,
    scenario:
      wanted > 0
        ? `${CANONICAL} scaled to ${positions} positions, market policies only${raised.length > 0 ? `, lending raised on ${raised.join(", ")}` : ""}`
        : CANONICAL,
    positions,
    policyRuns: runs,
    wallMs: Math.round(wallMs),
    msPerPosition: Math.round((opened / positions) * 10) / 10,
    // ru_maxrss is in kilobytes on Linux.
    peakRssBytes: process.resourceUsage().maxRSS * 1024,
    ...(nodePeakRssBytes === undefined ? {} : { nodePeakRssBytes }),
    phases,
    rpc: {
      calls: rpcTotals(all).calls,
      failedTxs: failuresOf(all, SEND_METHODS),
      failedCalls: failuresOf(all, CALL_METHODS),
      failedMs: Math.round(rpcTotals(all).failedMs),
      byMethod: Object.fromEntries(
        Object.entries(all)
          .sort((x, y) => y[1].ms - x[1].ms)
          .map(([m, s]) => [m, { calls: s.calls, ms: Math.round(s.ms) }]),
      ),
    },
    ...(dir ? { report: path.relative(process.cwd(), path.join(dir, "report.json")) } : {}),
  };
  fs.writeFileSync(out, JSON.stringify(figures, null, 2));
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
