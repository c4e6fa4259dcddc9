/**
 * A sweep in parallel: the run's shard split among worker processes (one chain each), each writing its rows to a
 * temporary CSV, merged in grid order into exactly the rows one process would have written.
 */
import fs from "fs";
import path from "path";
import { MAX_WORKERS } from "../domain/bounds";
import { type Shard, maxWorkersFor, splitShard } from "../domain/shard";
import { InputError } from "../errors";
import { type GridPoint, type SweepRow, mergeSweeps } from "../scenario/sweep";
import { readSweepShards } from "./sweep-shards";
import { runWorkers } from "./workers";

/**
 * How many workers a run uses: the number asked for (by default one per core when the chain is in-process), never
 * more than the points to run nor than the shard can be split into; 1 means the run stays in this process.
 */
export function sweepWorkerCount(options: {
  requested?: number;
  cores: number;
  /** Workers each open their own chain only on the in-process network; a node given by --network is shared. */
  inProcess: boolean;
  network: string;
  points: number;
  shard: Shard;
}): number {
  const { requested, inProcess } = options;
  if (requested !== undefined && requested > 1 && !inProcess) {
    throw new InputError(
      "--workers",
      `${requested} workers would share the one node of --network ${options.network}`,
      "give --workers 1, or run on the in-process network",
    );
  }
  const wanted = requested ?? (inProcess ? Math.min(options.cores, MAX_WORKERS) : 1);
  return Math.max(1, Math.min(wanted, options.points, maxWorkersFor(options.shard)));
}

export interface SweepWorkersPlan {
  /** The grid points this run owns (its shard's), to check the merged rows against. */
  points: readonly GridPoint[];
  shard: Shard;
  workers: number;
  /** Where the workers' CSVs are written: a folder of this run alone, removed at the end whatever happens. */
  tmpDir: string;
  /** The command that runs one sub-shard and writes its CSV to `out`. */
  command: (shard: Shard, out: string) => { command: string; args: string[] };
  log: (line: string) => void;
}

/** Runs the plan's workers and returns their rows merged in grid order; a failed worker fails the whole run. */
export async function runSweepWorkers(plan: SweepWorkersPlan): Promise<SweepRow[]> {
  const shards = splitShard(plan.shard, plan.workers);
  const labels = shards.map((s, j) => `worker ${j + 1}/${shards.length}`);
  const files = shards.map((s, j) => path.join(plan.tmpDir, `worker-${j + 1}-shard-${s.index}-of-${s.count}.csv`));
  // The top folder this creates (tmpDir, or e.g. the report folder above it): removed at the end, nothing left behind.
  const created = fs.mkdirSync(plan.tmpDir, { recursive: true }) ?? plan.tmpDir;
  try {
    await runWorkers(
      shards.map((s, j) => ({ label: labels[j], ...plan.command(s, files[j]) })),
      plan.log,
    );
    return mergeSweeps(readSweepShards(files, "workers"), { points: plan.points, sources: labels });
  } finally {
    fs.rmSync(created, { recursive: true, force: true });
  }
}
