/**
 * The writes a run sent its node, in order, and their replay on a fresh node: the chain's own cost of a run with no
 * harness between its transactions (no reads, no quotes, no decisions). Every request that is not a read is a write:
 * a transaction, a mined block, a cheat, a snapshot and its revert. On a node started from the same genesis the
 * replay rebuilds the same chain: the harness's clock pins every block's time, snapshot ids count from the start, and
 * a transaction that failed fails again (Hardhat mines it and then throws). Used by the benchmarks (bench/run.ts).
 */
import { interceptRequests, isReadMethod, type RpcEndpoint, type Through } from "./read-cache";

export interface RecordedWrite {
  method: string;
  params: unknown[] | object;
  /** Whether the node answered it with an error (a reverted transaction). */
  failed: boolean;
}

export interface WriteLog {
  /** The writes so far, in the order they were sent. */
  writes(): RecordedWrite[];
  /** Puts the provider's own functions back. */
  restore(): void;
}

/** Records every write sent through `endpoint` (its `request` and its `send` alike), in order. */
export function recordWrites(endpoint: RpcEndpoint): WriteLog {
  const log: RecordedWrite[] = [];
  const through: Through = async (method, params, call) => {
    if (isReadMethod(method)) return call();
    // Kept in the order sent (the harness awaits each write before the next; reads may overlap them).
    const entry: RecordedWrite = { method, params: structuredClone(params ?? []), failed: false };
    log.push(entry);
    try {
      return await call();
    } catch (err) {
      entry.failed = true;
      throw err;
    }
  };
  const restore = interceptRequests(endpoint, through);
  return { writes: () => log.map((w) => ({ ...w })), restore };
}

export interface ReplayOutcome {
  sent: number;
  /** Writes that failed on replay (a reverted transaction), as they did when recorded or not. */
  failed: number;
  /** Writes whose outcome differs from the record (failed once, succeeded the other time): 0 for a faithful replay. */
  mismatched: number;
}

/** Sends `writes` to `endpoint` one after the other, nothing between them, and counts how their outcomes compare. */
export async function replayWrites(endpoint: RpcEndpoint, writes: readonly RecordedWrite[]): Promise<ReplayOutcome> {
  const send = (w: RecordedWrite): Promise<unknown> => {
    if (endpoint.request) return endpoint.request({ method: w.method, params: w.params });
    if (endpoint.send) return endpoint.send(w.method, Array.isArray(w.params) ? w.params : [w.params]);
    throw new Error("replayWrites: the endpoint has neither request nor send");
  };
  const outcome: ReplayOutcome = { sent: 0, failed: 0, mismatched: 0 };
  for (const w of writes) {
    const failed = await send(w).then(
      () => false,
      () => true,
    );
    outcome.sent += 1;
    if (failed) outcome.failed += 1;
    if (failed !== w.failed) outcome.mismatched += 1;
  }
  return outcome;
}
