/**
 * The retry policy. Transient upstream failures (HTTP 429, 5xx and 408, timeouts, refused/reset/dropped connections,
 * bodies that are not JSON-RPC) are retried with exponential backoff and jitter, honouring `Retry-After`, then
 * answered with one JSON-RPC error (code UPSTREAM_FAILURE_CODE) saying what happened. JSON-RPC error responses (a
 * revert, bad params) are the upstream's answer and are passed through, never retried — except rate-limit errors
 * that some providers send inside HTTP 200 (code 429, or a message saying "rate limit"/"too many requests").
 */
import { AttemptResult, FailureKind, UpstreamFailure, plural } from "./failures";
import { Call, EncodedCalls, Outcome, decodeAnswers, encodeCalls } from "./json-rpc";
import { ProxyStats, countUpstreamAttempt } from "./stats";

export interface RetryPolicy {
  /** Retries after the first attempt (at most `retries + 1` attempts). */
  retries: number;
  /** First backoff delay; doubles each retry, with jitter (a random 50–100% of it). */
  baseDelayMs: number;
  /** Cap on any delay between attempts, `Retry-After` included. */
  maxDelayMs: number;
}

export const DEFAULT_RETRY_POLICY: Readonly<RetryPolicy> = { retries: 5, baseDelayMs: 200, maxDelayMs: 30_000 };

/** Failures another attempt may cure. A "rejected" request (HTTP 401, 403, 404…) would be rejected again. */
const RETRIED_KINDS: ReadonlySet<FailureKind> = new Set<FailureKind>([
  "rate-limited",
  "http-error",
  "timeout",
  "connection",
  "bad-response",
]);

export function isRetried(kind: FailureKind): boolean {
  return RETRIED_KINDS.has(kind);
}

/** The JSON-RPC error code of a revert: whatever its reason says, it is the contract's answer. */
const REVERT_CODE = 3;
const RATE_LIMIT_CODE = 429;

/**
 * A rate-limit error some providers send inside an HTTP 200: code 429, or a message about rate limits. A revert is
 * never one, whatever its reason says (contracts have rate limits too).
 */
export function isRateLimitError(e: Record<string, unknown>): boolean {
  const message = String(e.message);
  if (e.code === REVERT_CODE || /revert/i.test(message)) return false;
  return e.code === RATE_LIMIT_CODE || /rate.?limit|too many requests/i.test(message);
}

/** A random number in [0, 1), as Math.random gives. */
export type RandomSource = () => number;

/**
 * The delay before attempt `failedAttempt + 1`: `baseDelayMs * 2^(failedAttempt - 1)`, capped, then jittered to a
 * random 50–100% of it; at least what the upstream asked for (`retryAfterMs`), at most `maxDelayMs`; whole ms.
 */
export function backoffDelayMs(
  policy: RetryPolicy,
  failedAttempt: number,
  retryAfterMs: number | undefined,
  random: RandomSource,
): number {
  const backoffMs = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (failedAttempt - 1));
  const jitteredMs = backoffMs / 2 + (random() * backoffMs) / 2;
  return Math.round(Math.min(policy.maxDelayMs, Math.max(jitteredMs, retryAfterMs ?? 0)));
}

/** Sleeps that closing the proxy cuts short, so that close() does not wait for a backoff. */
export class Sleeper {
  private readonly wakers = new Set<() => void>();

  sleep(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        this.wakers.delete(wake);
        resolve();
      };
      const timer = setTimeout(wake, ms);
      this.wakers.add(wake);
    });
  }

  wakeAll(): void {
    for (const wake of [...this.wakers]) wake();
  }
}

export interface RetryDeps {
  policy: RetryPolicy;
  /** Counts every attempt (upstream requests, batches, calls by method, retries). */
  stats: ProxyStats;
  /** The upstream as it may be shown in a message. */
  shown: string;
  /** One attempt; failures are results, not rejections. */
  attempt: (calls: EncodedCalls) => Promise<AttemptResult>;
  sleep: (ms: number) => Promise<void>;
  random: RandomSource;
  /** True once the proxy is closed: no further attempt is made. */
  isClosed: () => boolean;
  /** Receives one line per retry. */
  log: (line: string) => void;
  redact: (text: string) => string;
}

/**
 * Sends `calls` upstream as one request (a batch when there are several), retrying as the policy says. Resolves
 * with each call's outcome in the order of `calls`; rejects with an UpstreamFailure when no attempt got an answer.
 * `label` names the calls in messages (default: the method, or "batch of n calls").
 */
export async function sendWithRetries(
  calls: readonly Call[],
  label: string | undefined,
  deps: RetryDeps,
): Promise<Outcome[]> {
  const encoded = encodeCalls(calls);
  const methods = calls.map((c) => c.method);
  const what = label ?? (calls.length === 1 ? calls[0].method : `batch of ${calls.length} calls`);
  const attempts = deps.policy.retries + 1;
  for (let attempt = 1; ; attempt++) {
    if (deps.isClosed()) {
      throw new UpstreamFailure("closed", `upstream ${deps.shown}: the proxy was closed`, attempt - 1);
    }
    countUpstreamAttempt(deps.stats, methods, attempt);
    const r = await deps.attempt(encoded);
    if (r.ok) return decodeAnswers(r.body, encoded.ids, encoded.batch, deps.redact);
    const f = r.failure;
    const said = `upstream ${deps.shown} ${f.detail}`;
    if (!isRetried(f.kind) || attempt >= attempts) {
      throw new UpstreamFailure(f.kind, `${said} after ${plural(attempt, "attempt")} (${what})`, attempt);
    }
    const delayMs = backoffDelayMs(deps.policy, attempt, f.retryAfterMs, deps.random);
    deps.log(`fork upstream: ${what}: ${said} (attempt ${attempt} of ${attempts}); retrying in ${delayMs} ms`);
    await deps.sleep(delayMs);
  }
}
