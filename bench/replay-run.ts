/**
 * The harness's overhead: replays the writes a scenario run recorded (bench/scenario-run.ts with BENCH_WRITES) on a
 * fresh node of the same backend (BENCH_BACKEND: anvil started for it, or Hardhat's in-process network), one after the other with no TypeScript between them, and times it. The replay is
 * faithful when it ends at the same block hash with every transaction failing or succeeding as it did. Transactions
 * are replayed as they were sent (eth_sendTransaction from the node's own or impersonated accounts, which the node
 * signs), not pre-signed: the run sends from impersonated accounts, whose keys no one has. Writes its figures as JSON
 * to BENCH_OUT; never asserts anything.
 */
import fs from "fs";
import hre from "hardhat";
import { replayWrites } from "../src/chain/write-log";
import type { RpcEndpoint } from "../src/chain/read-cache";
import type { RecordedRun } from "./scenario-run";

export interface ReplayFigures {
  /** The node replayed on: the one the scenario ran on. */
  backend: string;
  writes: number;
  transactions: number;
  replayMs: number;
  failed: number;
  mismatched: number;
  sameLastBlock: boolean;
}

async function main(): Promise<void> {
  const input = process.env.BENCH_WRITES;
  const out = process.env.BENCH_OUT;
  if (input === undefined || out === undefined) throw new Error("BENCH_WRITES and BENCH_OUT: both must name files");
  const run = JSON.parse(fs.readFileSync(input, "utf8")) as RecordedRun;
  const { openTaskChain } = await import("../tasks/session");
  const chain = await openTaskChain(hre, process.env.BENCH_BACKEND);
  // The node's own JSON-RPC endpoint: Hardhat's provider in-process, the loopback provider to anvil.
  const endpoint = chain.backend === "anvil" ? chain.provider : hre.network.provider;
  const t0 = performance.now();
  const outcome = await replayWrites(endpoint as RpcEndpoint, run.writes);
  const replayMs = Math.round(performance.now() - t0);
  const last = await chain.provider.getBlock("latest");
  await chain.close();
  const figures: ReplayFigures = {
    backend: chain.backend,
    writes: outcome.sent,
    transactions: run.writes.filter((w) => w.method === "eth_sendTransaction").length,
    replayMs,
    failed: outcome.failed,
    mismatched: outcome.mismatched,
    sameLastBlock: last?.hash === run.lastBlockHash,
  };
  fs.writeFileSync(out, JSON.stringify(figures, null, 2));
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
