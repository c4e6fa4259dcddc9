/**
 * The upstream side of fork mode: a JSON-RPC proxy of ours, on 127.0.0.1, in front of the user's RPC URL. Hardhat
 * (EDR) or anvil fork from the proxy's URL, never from the user's, so that:
 *
 * - the upstream URL, which holds an API key, is never given to a child process, printed, or put in an error:
 *   everything the proxy says about the upstream shows it as `redactUrl` does (`https://host/…`) and goes through
 *   the URL's redactor;
 * - transient upstream failures (HTTP 429, 5xx and 408, timeouts, refused/reset/dropped connections, bodies that
 *   are not JSON-RPC) are retried with exponential backoff and jitter, honouring `Retry-After`, then answered with
 *   one JSON-RPC error (code UPSTREAM_FAILURE_CODE) saying what happened; JSON-RPC error responses (a revert, bad
 *   params) are the upstream's answer and are passed through, never retried — except rate-limit errors that some
 *   providers send inside HTTP 200 (code 429, or a message saying "rate limit"/"too many requests");
 * - every upstream request is counted (by method), with retries, cache hits and failures: `stats()`;
 * - with a pinned fork block, answers that cannot change at that block are kept on disk under
 *   `<cacheDir>/<chainId>-<block>/`, so a second run at the same block does not ask the upstream again.
 *
 * Block tags (`latest`, `pending`, `safe`, `finalized`, `earliest`, or no block argument) are never cached nor
 * answered from the cache: they are forwarded as they are. A fork pinned to a block asks for explicit block numbers;
 * a tag means the caller wants the upstream's present, which no cache can give. Errors and `null` results (a block or
 * transaction the upstream does not have yet) are never cached either. The one exception is eth_blockNumber, which a
 * pinned proxy answers with the pinned block (`headAtForkBlock`, on by default): Hardhat asks it at every start only
 * to check that the fork block exists, and forwarding it would make every run touch the upstream.
 *
 * JSON-RPC batches are supported: cached calls are answered locally and the rest are forwarded as one upstream batch
 * (in chunks of `maxBatchSize`); answers go back in the order of the client's batch.
 */
import crypto from "crypto";
import fs from "fs";
import http from "http";
import https from "https";
import type { AddressInfo } from "net";
import path from "path";
import zlib from "zlib";
import { writeFileAtomic } from "./deployments";
import { redactError, redactUrl, redactorFor } from "./redact";

export const DEFAULT_FORK_CACHE_DIR = path.join(__dirname, "..", "..", ".fork-cache");

/** The JSON-RPC error code of answers the proxy makes up when the upstream could not answer (server-error range). */
export const UPSTREAM_FAILURE_CODE = -32099;

export interface UpstreamProxyOptions {
  /** The user's RPC URL. Secret: never printed, never given to another process. */
  upstreamUrl: string;
  /** The pinned fork block. Without it nothing is cached (there is no block to pin answers to). */
  forkBlock?: number | bigint;
  /**
   * The upstream's chain id, if known: the cache directory is then found without asking the upstream, so a run
   * served entirely from the cache makes no upstream request. It is checked (one eth_chainId) before the first
   * request the proxy does forward. Unknown: the proxy asks at start (one request) when it caches.
   */
  chainId?: number;
  /** Root of the fork cache (default `<project>/.fork-cache`); `false` disables the disk cache. */
  cacheDir?: string | false;
  /**
   * With a pinned block, answer eth_blockNumber with it instead of asking the upstream (default true): seen from the
   * fork, the chain ends at the pinned block. Hardhat asks eth_blockNumber once per start only to check that the fork
   * block exists; answering it locally lets a run served from the cache make no upstream request at all.
   */
  headAtForkBlock?: boolean;
  /** Retries after the first attempt (default 5, so at most 6 attempts). */
  retries?: number;
  /** First backoff delay (default 200 ms); doubles each retry, with jitter (a random 50–100% of it). */
  baseDelayMs?: number;
  /** Cap on any delay between attempts, `Retry-After` included (default 30 s). */
  maxDelayMs?: number;
  /** Time allowed for one attempt, connection to last byte (default 20 s). */
  timeoutMs?: number;
  /** Largest batch sent upstream; bigger client batches are split (default 100). */
  maxBatchSize?: number;
  /** Port on 127.0.0.1 (default 0: a free one). */
  port?: number;
  /** Receives retries, failures and cache problems, redacted. Default: silent (the client gets the errors). */
  log?: (line: string) => void;
}

export type FailureKind = "rate-limited" | "http-error" | "rejected" | "timeout" | "connection" | "bad-response" | "wrong-chain" | "closed";

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

export interface UpstreamProxy {
  /** What to give Hardhat or anvil as the fork URL. */
  url: string;
  /** The upstream as it may be shown: scheme and host. */
  upstream: string;
  /** The chain id the cache is keyed by (undefined when nothing is cached). */
  chainId: number | undefined;
  /** The cache directory of this chain and block, when caching. */
  cachePath: string | undefined;
  stats(): ProxyStats;
  close(): Promise<void>;
}

type JsonRpcId = string | number | null;

interface JsonRpcRequest {
  jsonrpc?: string;
  id?: JsonRpcId;
  method: string;
  params?: unknown;
}

export interface JsonRpcErrorObject {
  code: number;
  message: string;
  data?: unknown;
}

interface JsonRpcResponse {
  jsonrpc: "2.0";
  id: JsonRpcId;
  result?: unknown;
  error?: JsonRpcErrorObject;
}

/** What the upstream said to one call: a result or a JSON-RPC error (its own, or ours when it could not answer). */
type Outcome = { result: unknown } | { error: JsonRpcErrorObject };

class UpstreamFailure extends Error {
  constructor(
    readonly kind: FailureKind,
    message: string,
    readonly attempts: number,
  ) {
    super(message);
    this.name = "UpstreamFailure";
  }
}

/** One failed attempt: what happened, whether another attempt may help, and how long the upstream asked us to wait. */
interface AttemptFailure {
  kind: FailureKind;
  detail: string;
  retryable: boolean;
  retryAfterMs?: number;
}

type AttemptResult = { ok: true; body: unknown } | { ok: false; failure: AttemptFailure };

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

function isJsonRpcResponse(v: unknown): v is JsonRpcResponse {
  if (!isObject(v) || !("id" in v)) return false;
  if ("error" in v) return isObject(v.error) && typeof v.error.code === "number";
  return "result" in v;
}

// ---- caching rules -------------------------------------------------------------------------------------------

const QUANTITY = /^0x[0-9a-fA-F]+$/;
const HASH = /^0x[0-9a-fA-F]{64}$/;

/** An explicit block at or before the pinned one (number or EIP-1898 object), or a block hash. Tags: no. */
function pinnedBlockRef(ref: unknown, pinned: bigint): boolean {
  if (typeof ref === "string") {
    if (HASH.test(ref)) return true;
    return QUANTITY.test(ref) && BigInt(ref) <= pinned;
  }
  if (isObject(ref)) {
    if (typeof ref.blockHash === "string") return HASH.test(ref.blockHash);
    if (typeof ref.blockNumber === "string") return QUANTITY.test(ref.blockNumber) && BigInt(ref.blockNumber) <= pinned;
  }
  return false;
}

function explicitNumberAtMost(ref: unknown, pinned: bigint): boolean {
  return typeof ref === "string" && QUANTITY.test(ref) && BigInt(ref) <= pinned;
}

/** Argument index of the block of state-reading methods. */
const STATE_BLOCK_ARG: Record<string, number> = {
  eth_getBalance: 1,
  eth_getCode: 1,
  eth_getTransactionCount: 1,
  eth_call: 1,
  eth_getStorageAt: 2,
  eth_getProof: 2,
};

/** Whether the call's answer cannot change at the pinned block, judged from the request alone. */
export function cacheableRequest(method: string, params: unknown, pinned: bigint): boolean {
  const args = Array.isArray(params) ? params : [];
  if (method === "eth_chainId" || method === "net_version") return true;
  const stateArg = STATE_BLOCK_ARG[method];
  if (stateArg !== undefined) return pinnedBlockRef(args[stateArg], pinned);
  switch (method) {
    case "eth_getBlockByNumber":
    case "eth_getBlockTransactionCountByNumber":
    case "eth_getTransactionByBlockNumberAndIndex":
      return explicitNumberAtMost(args[0], pinned);
    case "eth_getBlockReceipts":
      return pinnedBlockRef(args[0], pinned);
    case "eth_getBlockByHash":
    case "eth_getBlockTransactionCountByHash":
    case "eth_getTransactionByBlockHashAndIndex":
      return typeof args[0] === "string" && HASH.test(args[0]);
    case "eth_getTransactionByHash":
    case "eth_getTransactionReceipt":
      // Depends on the answer: only a transaction mined at or before the pinned block (cacheableResult).
      return typeof args[0] === "string" && HASH.test(args[0]);
    case "eth_getLogs": {
      const f = args[0];
      if (!isObject(f)) return false;
      if (typeof f.blockHash === "string") return HASH.test(f.blockHash);
      return explicitNumberAtMost(f.fromBlock, pinned) && explicitNumberAtMost(f.toBlock, pinned);
    }
    default:
      return false;
  }
}

/** Whether this answer to a cacheable request may be kept: never null; transactions only when mined by the pinned block. */
function cacheableResult(method: string, result: unknown, pinned: bigint): boolean {
  if (result === null || result === undefined) return false;
  if (method === "eth_getTransactionByHash" || method === "eth_getTransactionReceipt") {
    return isObject(result) && explicitNumberAtMost(result.blockNumber, pinned);
  }
  return true;
}

/** Key order and hex case do not change a request's meaning. */
function canonical(v: unknown): unknown {
  if (typeof v === "string") return /^0x[0-9a-fA-F]*$/.test(v) ? v.toLowerCase() : v;
  if (Array.isArray(v)) return v.map(canonical);
  if (isObject(v)) {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) out[k] = canonical(v[k]);
    return out;
  }
  return v;
}

interface CacheEntry {
  v: 1;
  method: string;
  params: unknown;
  result: unknown;
}

class DiskCache {
  constructor(
    readonly dir: string,
    private readonly onCorrupt: (file: string, why: string) => void,
  ) {}

  private file(method: string, params: unknown): { file: string; params: unknown } {
    const p = canonical(params ?? []);
    const hash = crypto.createHash("sha256").update(JSON.stringify([method, p])).digest("hex").slice(0, 40);
    return { file: path.join(this.dir, `${method}-${hash}.json`), params: p };
  }

  /** The cached result, or undefined (a missing, unreadable or foreign entry is a miss). */
  read(method: string, params: unknown): { hit: true; result: unknown } | { hit: false } {
    const { file, params: p } = this.file(method, params);
    let text: string;
    try {
      text = fs.readFileSync(file, "utf8");
    } catch {
      return { hit: false };
    }
    try {
      const entry = JSON.parse(text) as Partial<CacheEntry>;
      if (entry.v !== 1 || entry.method !== method || JSON.stringify(entry.params) !== JSON.stringify(p) || !("result" in entry)) {
        this.onCorrupt(file, "entry does not match its request");
        return { hit: false };
      }
      return { hit: true, result: entry.result };
    } catch {
      this.onCorrupt(file, "not valid JSON (truncated?)");
      return { hit: false };
    }
  }

  write(method: string, params: unknown, result: unknown): void {
    const { file, params: p } = this.file(method, params);
    const entry: CacheEntry = { v: 1, method, params: p, result };
    writeFileAtomic(file, JSON.stringify(entry));
  }
}

// ---- the proxy -----------------------------------------------------------------------------------------------

function emptyStats(): ProxyStats {
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

function parseRetryAfter(header: string | undefined): number | undefined {
  if (header === undefined || header.trim() === "") return undefined;
  const seconds = Number(header.trim());
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * 1000;
  const date = Date.parse(header);
  return Number.isNaN(date) ? undefined : Math.max(0, date - Date.now());
}

function decodeBody(buf: Buffer, encoding: string | undefined): Buffer {
  switch ((encoding ?? "").trim().toLowerCase()) {
    case "gzip":
    case "x-gzip":
      return zlib.gunzipSync(buf);
    case "deflate":
      return zlib.inflateSync(buf);
    case "br":
      return zlib.brotliDecompressSync(buf);
    default:
      return buf;
  }
}

/** The first characters of a body, on one line, for an error message (redacted by the caller). */
function snippet(text: string): string {
  const oneLine = text.replace(/\s+/g, " ").trim();
  return oneLine.length > 120 ? `${oneLine.slice(0, 120)}…` : oneLine;
}

/**
 * A rate-limit error some providers send inside an HTTP 200: code 429, or a message about rate limits. A revert is
 * never one, whatever its reason says (contracts have rate limits too).
 */
function isRateLimitError(e: Record<string, unknown>): boolean {
  const message = String(e.message);
  if (e.code === 3 || /revert/i.test(message)) return false;
  return e.code === 429 || /rate.?limit|too many requests/i.test(message);
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

/** Starts the proxy on 127.0.0.1. With a pinned block and no `chainId`, it asks the upstream for its chain id first. */
export async function startUpstreamProxy(options: UpstreamProxyOptions): Promise<UpstreamProxy> {
  const upstreamUrl = options.upstreamUrl;
  const redact = redactorFor(upstreamUrl);
  const shown = redactUrl(upstreamUrl);
  let target: URL;
  try {
    target = new URL(upstreamUrl);
  } catch {
    throw new Error(`fork upstream: ${shown} is not a valid URL`);
  }
  if (target.protocol !== "http:" && target.protocol !== "https:") {
    throw new Error(`fork upstream: ${shown} is not an http(s) URL`);
  }
  const retries = options.retries ?? 5;
  const baseDelayMs = options.baseDelayMs ?? 200;
  const maxDelayMs = options.maxDelayMs ?? 30_000;
  const timeoutMs = options.timeoutMs ?? 20_000;
  const maxBatchSize = Math.max(1, options.maxBatchSize ?? 100);
  const log = (line: string) => options.log?.(redact(line));
  const pinned = options.forkBlock === undefined ? undefined : BigInt(options.forkBlock);
  const headAtForkBlock = pinned !== undefined && (options.headAtForkBlock ?? true);

  const stats = emptyStats();
  const isHttps = target.protocol === "https:";
  const agent = isHttps ? new https.Agent({ keepAlive: true, maxSockets: 16 }) : new http.Agent({ keepAlive: true, maxSockets: 16 });
  const decode = (s: string) => {
    try {
      return decodeURIComponent(s);
    } catch {
      return s;
    }
  };
  // Basic auth from the URL's userinfo (https://user:key@host), sent as a header, never shown.
  const auth = target.username || target.password ? `${decode(target.username)}:${decode(target.password)}` : undefined;
  let closed = false;
  const sleepers = new Set<() => void>();

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const done = () => {
        clearTimeout(timer);
        sleepers.delete(done);
        resolve();
      };
      const timer = setTimeout(done, ms);
      sleepers.add(done);
    });

  const count = (table: Record<string, number>, key: string, n = 1) => {
    table[key] = (table[key] ?? 0) + n;
  };

  // ---- one HTTP attempt ----
  const attemptOnce = (payload: string, expectedIds: number[], batch: boolean): Promise<AttemptResult> =>
    new Promise<AttemptResult>((resolve) => {
      let settled = false;
      const finish = (r: AttemptResult) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        resolve(r);
      };
      const fail = (kind: FailureKind, detail: string, retryable: boolean, retryAfterMs?: number) =>
        finish({ ok: false, failure: { kind, detail, retryable, retryAfterMs } });
      const req = (isHttps ? https : http).request(
        {
          protocol: target.protocol,
          hostname: target.hostname.replace(/^\[|\]$/g, ""),
          port: target.port || undefined,
          path: `${target.pathname}${target.search}`,
          method: "POST",
          agent,
          auth,
          headers: {
            "content-type": "application/json",
            accept: "application/json",
            "accept-encoding": "gzip, deflate, br",
            "content-length": Buffer.byteLength(payload),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("error", (err) => fail("connection", `dropped the connection mid-answer (${redactError(err, redact)})`, true));
          res.on("close", () => {
            if (!res.complete) fail("connection", "dropped the connection mid-answer", true);
          });
          res.on("end", () => {
            const status = res.statusCode ?? 0;
            const statusText = `HTTP ${status}${res.statusMessage ? ` ${res.statusMessage}` : ""}`;
            let text: string;
            try {
              text = decodeBody(Buffer.concat(chunks), res.headers["content-encoding"]).toString("utf8");
            } catch (err) {
              fail("bad-response", `sent an undecodable body (${statusText}, ${redactError(err, redact)})`, true);
              return;
            }
            const retryAfter = parseRetryAfter(res.headers["retry-after"]);
            if (status === 429) return fail("rate-limited", "rate-limited (HTTP 429)", true, retryAfter);
            if (status >= 500 || status === 408) return fail("http-error", `failed (${statusText})`, true, retryAfter);
            let body: unknown;
            try {
              body = JSON.parse(text);
            } catch {
              if (status >= 200 && status < 300) {
                const type = res.headers["content-type"] ?? "no content type";
                return fail("bad-response", `answered with a non-JSON body (${statusText}, ${type}: "${snippet(text)}")`, true);
              }
              return fail("rejected", `refused the request (${statusText}: "${snippet(text)}")`, false);
            }
            const responses = Array.isArray(body) ? body : [body];
            const wellFormed = responses.every(isJsonRpcResponse);
            // A single error object in answer to a batch ("batch too large") is an answer to every call.
            const wholeBatchError = batch && !Array.isArray(body) && isObject(body) && isObject(body.error);
            if (!wellFormed && !wholeBatchError) {
              if (status >= 200 && status < 300) return fail("bad-response", `answered with JSON that is not a JSON-RPC response ("${snippet(text)}")`, true);
              return fail("rejected", `refused the request (${statusText}: "${snippet(text)}")`, false);
            }
            const rateLimited = responses.find((r) => isObject(r) && isObject(r.error) && isRateLimitError(r.error)) as JsonRpcResponse | undefined;
            if (rateLimited?.error) {
              return fail("rate-limited", `rate-limited (JSON-RPC error ${rateLimited.error.code}: "${snippet(rateLimited.error.message)}")`, true, retryAfter);
            }
            if (!wholeBatchError) {
              const ids = new Set((responses as JsonRpcResponse[]).map((r) => r.id));
              const missing = expectedIds.filter((id) => !ids.has(id));
              if (missing.length > 0) {
                if (status >= 200 && status < 300) return fail("bad-response", `left ${plural(missing.length, "call")} of ${expectedIds.length} unanswered`, true);
                return fail("rejected", `refused the request (${statusText}: "${snippet(text)}")`, false);
              }
            }
            finish({ ok: true, body });
          });
        },
      );
      const timer = setTimeout(() => {
        fail("timeout", `did not answer within ${timeoutMs} ms`, true);
        req.destroy();
      }, timeoutMs);
      req.on("error", (err: NodeJS.ErrnoException) => {
        const what =
          err.code === "ECONNREFUSED"
            ? "refused the connection"
            : err.code === "ECONNRESET" || err.message === "socket hang up"
              ? "dropped the connection"
              : err.code === "ENOTFOUND" || err.code === "EAI_AGAIN"
                ? "could not be resolved"
                : "could not be reached";
        fail("connection", `${what} (${redactError(err, redact)})`, true);
      });
      req.end(payload);
    });

  // ---- attempts with backoff ----
  const send = async (calls: { method: string; params?: unknown }[], label?: string): Promise<Outcome[]> => {
    const batch = calls.length > 1;
    const ids = calls.map((_, i) => i + 1);
    const requests = calls.map((c, i) => ({ jsonrpc: "2.0", id: ids[i], method: c.method, params: c.params ?? [] }));
    const payload = JSON.stringify(batch ? requests : requests[0]);
    const attempts = retries + 1;
    for (let attempt = 1; ; attempt++) {
      if (closed) throw new UpstreamFailure("closed", `upstream ${shown}: the proxy was closed`, attempt - 1);
      stats.upstreamRequests++;
      if (batch) stats.upstreamBatches++;
      for (const c of calls) count(stats.upstreamCallsByMethod, c.method);
      if (attempt > 1) stats.retries++;
      const r = await attemptOnce(payload, ids, batch);
      if (r.ok) {
        if (!Array.isArray(r.body) && isObject(r.body) && isObject(r.body.error) && batch) {
          const error = r.body.error as unknown as JsonRpcErrorObject;
          return calls.map(() => ({ error: redactRpcError(error) }));
        }
        const byId = new Map<JsonRpcId, JsonRpcResponse>();
        for (const resp of (Array.isArray(r.body) ? r.body : [r.body]) as JsonRpcResponse[]) if (!byId.has(resp.id)) byId.set(resp.id, resp);
        return ids.map((id) => {
          const resp = byId.get(id)!;
          return resp.error ? { error: redactRpcError(resp.error) } : { result: resp.result };
        });
      }
      const f = r.failure;
      const what = label ?? (calls.length === 1 ? calls[0].method : `batch of ${calls.length} calls`);
      if (!f.retryable || attempt >= attempts) {
        throw new UpstreamFailure(f.kind, `upstream ${shown} ${f.detail} after ${plural(attempt, "attempt")} (${what})`, attempt);
      }
      const backoff = Math.min(maxDelayMs, baseDelayMs * 2 ** (attempt - 1));
      const jittered = backoff / 2 + (Math.random() * backoff) / 2;
      const delay = Math.round(Math.min(maxDelayMs, Math.max(jittered, f.retryAfterMs ?? 0)));
      log(`fork upstream: ${what}: upstream ${shown} ${f.detail} (attempt ${attempt} of ${attempts}); retrying in ${delay} ms`);
      await sleep(delay);
    }
  };

  const redactRpcError = (e: JsonRpcErrorObject): JsonRpcErrorObject => {
    const out: JsonRpcErrorObject = { ...e, message: redact(String(e.message)) };
    if (typeof e.data === "string") out.data = redact(e.data);
    return out;
  };

  const failureOutcome = (err: unknown): Outcome => {
    const kind: FailureKind = err instanceof UpstreamFailure ? err.kind : "connection";
    const message = err instanceof UpstreamFailure ? redact(err.message) : `upstream ${shown}: ${redactError(err, redact)}`;
    const attempts = err instanceof UpstreamFailure ? err.attempts : 0;
    return { error: { code: UPSTREAM_FAILURE_CODE, message, data: { kind, attempts, upstream: shown } } };
  };

  const recordFailure = (o: Outcome, calls: number) => {
    if (!("error" in o) || o.error.code !== UPSTREAM_FAILURE_CODE) return;
    const kind = (o.error.data as { kind: FailureKind }).kind;
    stats.failures += calls;
    count(stats.failuresByKind, kind, calls);
    stats.lastErrors.push(o.error.message);
    if (stats.lastErrors.length > 10) stats.lastErrors.shift();
    log(`fork upstream: ${o.error.message}`);
  };

  // ---- chain id and cache ----
  let chainId = options.chainId;
  // A configured id is checked before the first forwarded call, as it names the cache; an id we asked for needs no check.
  let chainChecked = true;
  let chainCheck: Promise<void> | undefined;

  const askChainId = async (why: string): Promise<number> => {
    const [o] = await send([{ method: "eth_chainId", params: [] }], `eth_chainId, ${why}`);
    if ("error" in o) throw new UpstreamFailure("bad-response", `upstream ${shown} answered eth_chainId with an error: ${o.error.message}`, 1);
    if (typeof o.result !== "string" || !QUANTITY.test(o.result)) {
      throw new UpstreamFailure("bad-response", `upstream ${shown} answered eth_chainId with ${snippet(JSON.stringify(o.result) ?? "nothing")}`, 1);
    }
    return Number(BigInt(o.result));
  };

  const ensureChain = (): Promise<void> => {
    if (chainChecked) return Promise.resolve();
    chainCheck ??= askChainId("checking the configured chain id before the first forwarded call").then((actual) => {
      if (actual !== chainId) {
        throw new UpstreamFailure("wrong-chain", `upstream ${shown} is chain ${actual}, not chain ${chainId} as configured: refusing to mix its answers into the chain-${chainId} fork cache`, 1);
      }
      chainChecked = true;
    });
    chainCheck.catch(() => {
      chainCheck = undefined; // a transient failure may be retried by the next call; a wrong chain fails again
    });
    return chainCheck;
  };

  const cacheRoot = options.cacheDir === undefined ? DEFAULT_FORK_CACHE_DIR : options.cacheDir;
  let cache: DiskCache | undefined;
  if (pinned !== undefined && cacheRoot !== false) {
    if (chainId === undefined) {
      try {
        chainId = await askChainId("learning the chain id that names the fork cache");
      } catch (err) {
        agent.destroy();
        throw new Error(`fork upstream: cannot start: ${err instanceof Error ? redact(err.message) : redact(String(err))}`);
      }
    }
    cache = new DiskCache(path.join(cacheRoot, `${chainId}-${pinned}`), (file, why) => {
      stats.cacheCorrupt++;
      log(`fork cache: ignoring ${path.basename(file)}: ${why}; refetching`);
    });
    chainChecked = options.chainId === undefined;
  }

  // ---- serving a client request ----
  const forward = async (calls: { method: string; params?: unknown }[]): Promise<Outcome[]> => {
    try {
      await ensureChain();
    } catch (err) {
      const o = failureOutcome(err);
      return calls.map(() => o);
    }
    const chunks: { method: string; params?: unknown }[][] = [];
    for (let i = 0; i < calls.length; i += maxBatchSize) chunks.push(calls.slice(i, i + maxBatchSize));
    const answers = await Promise.all(
      chunks.map(async (chunk) => {
        try {
          return await send(chunk);
        } catch (err) {
          const o = failureOutcome(err);
          return chunk.map(() => o);
        }
      }),
    );
    return answers.flat();
  };

  const handleCalls = async (reqs: unknown[]): Promise<JsonRpcResponse[]> => {
    const out: (JsonRpcResponse | undefined)[] = new Array(reqs.length);
    const misses: { index: number; req: JsonRpcRequest; cacheable: boolean }[] = [];
    stats.clientCalls += reqs.length;
    reqs.forEach((raw, index) => {
      if (!isObject(raw) || typeof raw.method !== "string") {
        const id = isObject(raw) && (typeof raw.id === "string" || typeof raw.id === "number") ? raw.id : null;
        out[index] = { jsonrpc: "2.0", id, error: { code: -32600, message: "Invalid Request" } };
        return;
      }
      const req = raw as unknown as JsonRpcRequest;
      const id = req.id ?? null;
      if (headAtForkBlock && req.method === "eth_blockNumber") {
        stats.pinnedHead++;
        out[index] = { jsonrpc: "2.0", id, result: `0x${pinned!.toString(16)}` };
        return;
      }
      const cacheable = cache !== undefined && pinned !== undefined && cacheableRequest(req.method, req.params, pinned);
      if (cacheable && req.method === "eth_chainId" && chainId !== undefined) {
        stats.cacheHits++;
        count(stats.cacheHitsByMethod, req.method);
        out[index] = { jsonrpc: "2.0", id, result: `0x${chainId.toString(16)}` };
        return;
      }
      if (cacheable) {
        const hit = cache!.read(req.method, req.params);
        if (hit.hit) {
          stats.cacheHits++;
          count(stats.cacheHitsByMethod, req.method);
          out[index] = { jsonrpc: "2.0", id, result: hit.result };
          return;
        }
      }
      misses.push({ index, req, cacheable });
    });
    if (misses.length > 0) {
      const outcomes = await forward(misses.map((m) => ({ method: m.req.method, params: m.req.params })));
      const failedOnce = new Set<Outcome>();
      misses.forEach((m, i) => {
        const o = outcomes[i];
        const id = m.req.id ?? null;
        if ("error" in o) {
          out[m.index] = { jsonrpc: "2.0", id, error: o.error };
          if (o.error.code === UPSTREAM_FAILURE_CODE && !failedOnce.has(o)) {
            failedOnce.add(o);
            recordFailure(o, outcomes.filter((x) => x === o).length);
          }
          return;
        }
        out[m.index] = { jsonrpc: "2.0", id, result: o.result };
        if (m.cacheable && pinned !== undefined && cacheableResult(m.req.method, o.result, pinned)) {
          try {
            cache!.write(m.req.method, m.req.params, o.result);
            stats.cacheWrites++;
          } catch (err) {
            log(`fork cache: could not write an entry: ${redactError(err, redact)}`);
          }
        }
      });
    }
    return out as JsonRpcResponse[];
  };

  const reply = (res: http.ServerResponse, status: number, body: unknown) => {
    const text = JSON.stringify(body);
    res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
    res.end(text);
  };

  const server = http.createServer((req, res) => {
    if (req.method !== "POST") {
      reply(res, 405, { jsonrpc: "2.0", id: null, error: { code: -32600, message: "JSON-RPC over HTTP POST only" } });
      return;
    }
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("error", () => undefined);
    req.on("end", () => {
      void (async () => {
        let body: unknown;
        try {
          body = JSON.parse(Buffer.concat(chunks).toString("utf8"));
        } catch {
          reply(res, 200, { jsonrpc: "2.0", id: null, error: { code: -32700, message: "Parse error" } });
          return;
        }
        try {
          if (Array.isArray(body)) {
            stats.clientBatches++;
            if (body.length === 0) reply(res, 200, { jsonrpc: "2.0", id: null, error: { code: -32600, message: "Invalid Request: empty batch" } });
            else reply(res, 200, await handleCalls(body));
          } else {
            reply(res, 200, (await handleCalls([body]))[0]);
          }
        } catch (err) {
          const message = `loopstress fork proxy: ${redactError(err, redact)}`;
          log(message);
          if (!res.headersSent) reply(res, 500, { jsonrpc: "2.0", id: null, error: { code: -32603, message } });
        }
      })();
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => {
      server.off("error", reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;

  return {
    url: `http://127.0.0.1:${port}/`,
    upstream: shown,
    chainId,
    cachePath: cache?.dir,
    stats: () => JSON.parse(JSON.stringify(stats)) as ProxyStats,
    close: async () => {
      if (closed) return;
      closed = true;
      for (const wake of [...sleepers]) wake();
      agent.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
