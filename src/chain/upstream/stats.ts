/** The proxy's counters: what clients asked, what went upstream, what the cache answered, what failed. */
import type { FailureKind } from "./failures";

export interface ProxyStats {
  /** JSON-RPC calls received from clients (each call of a batch counts). */
  clientCalls: number;
  /** Client HTTP requests that were batches. */
  clientBatches: number;
  /** HTTP requests sent upstream, retries included: the number of upstream attempts. */
  upstreamRequests: number;
  /** Upstream HTTP requests that were batches. */
  upstreamBatches: number;
  /** Calls sent upstream by method, retries included (a batch of n calls counts n). */
  upstreamCallsByMethod: Record<string, number>;
  /** Attempts that were retries of a failed attempt. */
  retries: number;
  /** Calls answered from the cache, in total and by method. */
  cacheHits: number;
  cacheHitsByMethod: Record<string, number>;
  /** eth_blockNumber calls answered with the pinned block (headAtForkBlock). */
  pinnedHead: number;
  /** Answers written to the cache. */
  cacheWrites: number;
  /** Cache entries found unreadable (truncated, not JSON, another request's) and refetched. */
  cacheCorrupt: number;
  /** Client calls answered with an UPSTREAM_FAILURE_CODE error, in total and by what went wrong. */
  failures: number;
  failuresByKind: Partial<Record<FailureKind, number>>;
  /** The last few failure messages (redacted). */
  lastErrors: string[];
}

/** How many failure messages `lastErrors` keeps. */
export const LAST_ERRORS_KEPT = 10;

export function emptyStats(): ProxyStats {
  return {
    clientCalls: 0,
    clientBatches: 0,
    upstreamRequests: 0,
    upstreamBatches: 0,
    upstreamCallsByMethod: {},
    retries: 0,
    cacheHits: 0,
    cacheHitsByMethod: {},
    pinnedHead: 0,
    cacheWrites: 0,
    cacheCorrupt: 0,
    failures: 0,
    failuresByKind: {},
    lastErrors: [],
  };
}

/** A copy the caller may keep: later counting does not change it. */
export function snapshotStats(stats: ProxyStats): ProxyStats {
  return JSON.parse(JSON.stringify(stats)) as ProxyStats;
}

function countIn(table: Record<string, number>, key: string, n = 1): void {
  table[key] = (table[key] ?? 0) + n;
}

/** One HTTP request sent upstream for `methods` (one per call); `attempt` 2 and up are retries. */
export function countUpstreamAttempt(stats: ProxyStats, methods: readonly string[], attempt: number): void {
  stats.upstreamRequests++;
  if (methods.length > 1) stats.upstreamBatches++;
  for (const method of methods) countIn(stats.upstreamCallsByMethod, method);
  if (attempt > 1) stats.retries++;
}

export function countCacheHit(stats: ProxyStats, method: string): void {
  stats.cacheHits++;
  countIn(stats.cacheHitsByMethod, method);
}

/** `calls` client calls answered with one failure. */
export function countFailure(stats: ProxyStats, kind: FailureKind, message: string, calls: number): void {
  stats.failures += calls;
  countIn(stats.failuresByKind, kind, calls);
  stats.lastErrors.push(message);
  if (stats.lastErrors.length > LAST_ERRORS_KEPT) stats.lastErrors.shift();
}
