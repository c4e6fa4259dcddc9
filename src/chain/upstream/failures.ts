/** What went wrong with the upstream, and the JSON-RPC error the proxy answers with when it could not get an answer. */
import { redactError } from "../redact";
import type { Outcome } from "./json-rpc";

/** The JSON-RPC error code of answers the proxy makes up when the upstream could not answer (server-error range). */
export const UPSTREAM_FAILURE_CODE = -32099;

export type FailureKind =
  | "rate-limited"
  | "http-error"
  | "rejected"
  | "timeout"
  | "connection"
  | "bad-response"
  | "wrong-chain"
  | "no-block"
  | "closed";

/** One failed attempt: what happened, and how long the upstream asked us to wait. */
export interface AttemptFailure {
  kind: FailureKind;
  detail: string;
  retryAfterMs?: number;
}

/** One attempt's result: the body (a JSON-RPC answer to every call), or what went wrong. */
export type AttemptResult = { ok: true; body: unknown } | { ok: false; failure: AttemptFailure };

export function attemptFailed(kind: FailureKind, detail: string, retryAfterMs?: number): AttemptResult {
  return { ok: false, failure: { kind, detail, retryAfterMs } };
}

/** The upstream could not answer, after `attempts` attempts (0: none was made). */
export class UpstreamFailure extends Error {
  constructor(
    readonly kind: FailureKind,
    message: string,
    readonly attempts: number,
  ) {
    super(message);
    this.name = "UpstreamFailure";
  }
}

/** What `UPSTREAM_FAILURE_CODE` errors carry as data. */
export interface UpstreamFailureData {
  kind: FailureKind;
  attempts: number;
  upstream: string;
}

/** The answer to every call that `err` kept from the upstream; `shown` is the upstream as it may be shown. */
export function failureOutcome(err: unknown, shown: string, redact: (text: string) => string): Outcome {
  const failure = err instanceof UpstreamFailure ? err : undefined;
  const kind: FailureKind = failure?.kind ?? "connection";
  const message = failure ? redact(failure.message) : `upstream ${shown}: ${redactError(err, redact)}`;
  const data: UpstreamFailureData = { kind, attempts: failure?.attempts ?? 0, upstream: shown };
  return { error: { code: UPSTREAM_FAILURE_CODE, message, data } };
}

/** The kind and message of an outcome the proxy made up because the upstream could not answer, if it is one. */
export function upstreamFailureOf(o: Outcome): { kind: FailureKind; message: string } | undefined {
  if (!("error" in o) || o.error.code !== UPSTREAM_FAILURE_CODE) return undefined;
  return { kind: (o.error.data as UpstreamFailureData).kind, message: o.error.message };
}

const SNIPPET_MAX_CHARS = 120;

/** The first characters of a body, on one line, for an error message (redacted by the caller). */
export function snippet(text: string): string {
  const oneLine = text.replace(/\s+/g, " ").trim();
  return oneLine.length > SNIPPET_MAX_CHARS ? `${oneLine.slice(0, SNIPPET_MAX_CHARS)}…` : oneLine;
}

export function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}
