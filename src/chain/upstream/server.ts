/**
 * The proxy itself: a JSON-RPC server on 127.0.0.1 in front of the user's RPC URL, wiring together the attempts
 * (attempt.ts), their retries (retry.ts), the chain id check (chain-id.ts), the pinned-block cache (pinned-cache.ts)
 * and batching (batching.ts). The upstream URL holds an API key: it is never given to a child process, printed, or
 * put in an error; everything the proxy says about the upstream shows it as `redactUrl` does (`https://host/…`) and
 * goes through the URL's redactor.
 */
import fs from "fs";
import http from "http";
import type { AddressInfo } from "net";
import { redactError, redactUrl, redactorFor } from "../redact";
import { attemptOnce, createEndpoint, parseUpstreamUrl } from "./attempt";
import { AnswerDeps, ForwardDeps, answerCalls, forwardCalls } from "./batching";
import { askChainId } from "./chain-id";
import { DEFAULT_FORK_CACHE_DIR, DiskCache, cacheDirFor } from "./disk-cache";
import { UpstreamFailure, failureOutcome } from "./failures";
import {
  IdentityCheck,
  UpstreamIdentity,
  askIdentity,
  identityDigest,
  readIdentity,
  resetCacheFolder,
  upstreamHostId,
  writeIdentity,
} from "./identity";
import {
  Call,
  INTERNAL_ERROR_CODE,
  INVALID_REQUEST_CODE,
  JsonRpcResponse,
  Outcome,
  PARSE_ERROR_CODE,
  errorResponse,
} from "./json-rpc";
import { Pin, answerAtPin, keepAtPin, openPinnedCache } from "./pinned-cache";
import { DEFAULT_RETRY_POLICY, RetryDeps, RetryPolicy, Sleeper, sendWithRetries } from "./retry";
import { ProxyStats, emptyStats, snapshotStats } from "./stats";

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

const DEFAULT_TIMEOUT_MS = 20_000;
const DEFAULT_MAX_BATCH_SIZE = 100;
const LOCALHOST = "127.0.0.1";
/** Port 0: the system picks a free one. */
const ANY_FREE_PORT = 0;
const HTTP_OK = 200;
const HTTP_METHOD_NOT_ALLOWED = 405;
const HTTP_INTERNAL_SERVER_ERROR = 500;

/** The options resolved, defaults applied. */
interface Settings {
  policy: RetryPolicy;
  timeoutMs: number;
  maxBatchSize: number;
  pinned: bigint | undefined;
  headAtForkBlock: boolean;
  cacheRoot: string | false;
}

function settingsOf(options: UpstreamProxyOptions): Settings {
  const pinned = options.forkBlock === undefined ? undefined : BigInt(options.forkBlock);
  return {
    policy: {
      retries: options.retries ?? DEFAULT_RETRY_POLICY.retries,
      baseDelayMs: options.baseDelayMs ?? DEFAULT_RETRY_POLICY.baseDelayMs,
      maxDelayMs: options.maxDelayMs ?? DEFAULT_RETRY_POLICY.maxDelayMs,
    },
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    maxBatchSize: Math.max(1, options.maxBatchSize ?? DEFAULT_MAX_BATCH_SIZE),
    pinned,
    headAtForkBlock: pinned !== undefined && (options.headAtForkBlock ?? true),
    cacheRoot: options.cacheDir === undefined ? DEFAULT_FORK_CACHE_DIR : options.cacheDir,
  };
}

/** What every part of the proxy shares: how the upstream is shown and redacted, the log, the counters, the sender. */
interface ProxyContext {
  shown: string;
  redact: (text: string) => string;
  /** Redacts, then hands the line to the user's log. */
  log: (line: string) => void;
  stats: ProxyStats;
  /** Sends calls upstream as one request, with retries. */
  send: (calls: Call[], label?: string) => Promise<Outcome[]>;
}

/** Starts the proxy on 127.0.0.1. With a pinned block and no `chainId`, it asks the upstream for its chain id first. */
export async function startUpstreamProxy(options: UpstreamProxyOptions): Promise<UpstreamProxy> {
  const redact = redactorFor(options.upstreamUrl);
  const shown = redactUrl(options.upstreamUrl);
  const url = parseUpstreamUrl(options.upstreamUrl, shown);
  const settings = settingsOf(options);
  const endpoint = createEndpoint(url);
  const sleeper = new Sleeper();
  let closed = false;
  const stats = emptyStats();
  const log = (line: string) => options.log?.(redact(line));
  const retryDeps: RetryDeps = {
    policy: settings.policy,
    stats,
    shown,
    attempt: (encoded) => attemptOnce(endpoint, encoded, settings.timeoutMs, redact),
    sleep: (ms) => sleeper.sleep(ms),
    random: Math.random,
    isClosed: () => closed,
    log,
    redact,
  };
  const send = (calls: Call[], label?: string) => sendWithRetries(calls, label, retryDeps);
  const context: ProxyContext = { shown, redact, log, stats, send };

  let opened: OpenedCache;
  try {
    opened = await openCache(settings, options.chainId, upstreamHostId(url), context);
  } catch (err) {
    endpoint.agent.destroy();
    throw err;
  }
  const { chainId, cache, check } = opened;
  const pin: Pin | undefined =
    settings.pinned === undefined
      ? undefined
      : { block: settings.pinned, headAtForkBlock: settings.headAtForkBlock, chainId, cache };
  const answer = clientAnswerer(context, pin, check, settings.maxBatchSize);
  const server = http.createServer((req, res) => serveHttp(req, res, { stats, answer, log, redact }));
  const port = await listen(server, options.port ?? ANY_FREE_PORT);

  return {
    url: `http://${LOCALHOST}:${port}/`,
    upstream: shown,
    chainId,
    cachePath: cache?.dir,
    stats: () => snapshotStats(stats),
    close: async () => {
      if (closed) return;
      closed = true;
      sleeper.wakeAll();
      endpoint.agent.destroy();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

interface OpenedCache {
  /** The chain id the cache is keyed by: the configured one, or the upstream's. */
  chainId: number | undefined;
  cache: DiskCache | undefined;
  /** The check of a trusted identity before the first forwarded call (undefined: the upstream was asked at start). */
  check: IdentityCheck | undefined;
}

/**
 * The disk cache of the upstream that answers (identity.ts), when there is a pinned block and caching is on. With a
 * pinned block the upstream must have it: Hardhat's engine aborts the process when the fork block is missing, so it is
 * asked first unless the cache recorded it as final at this upstream.
 */
async function openCache(
  settings: Settings,
  configuredChainId: number | undefined,
  upstreamHost: string,
  context: ProxyContext,
): Promise<OpenedCache> {
  const { pinned, cacheRoot } = settings;
  const why = "checking whom the fork cache asks";
  if (pinned === undefined) return { chainId: configuredChainId, cache: undefined, check: undefined };
  if (cacheRoot === false) {
    await atStart(context, () => askIdentity(context.send, context.shown, pinned, configuredChainId, why));
    return { chainId: configuredChainId, cache: undefined, check: undefined };
  }
  const chainId = configuredChainId ?? (await learnChainId(context));
  const dir = cacheDirFor(cacheRoot, chainId, pinned, upstreamHost);
  const known = readIdentity(dir);
  const same = known?.chainId === chainId && known.block === String(pinned) && known.upstreamHost === upstreamHost;
  if (known !== undefined && same && known.final) {
    const cache = openPinnedCache(dir, identityDigest(known), context.stats, context.log);
    return { chainId, cache, check: new IdentityCheck(known, dir, context.send, context.shown) };
  }
  const asked = await atStart(context, () => askIdentity(context.send, context.shown, pinned, chainId, why));
  const identity: UpstreamIdentity = {
    v: 1,
    chainId,
    block: String(pinned),
    blockHash: asked.blockHash,
    upstreamHost,
    final: asked.final,
  };
  if (known !== undefined && same && known.blockHash === asked.blockHash) {
    if (asked.final) writeIdentity(dir, identity);
  } else {
    if (known !== undefined || fs.existsSync(dir)) {
      context.log(
        `fork cache: ${dir} holds answers of ${known ? `block hash ${known.blockHash}` : "an unknown upstream"}, ` +
          `not this upstream's ${asked.blockHash}: discarding them and fetching afresh`,
      );
    }
    resetCacheFolder(dir, identity);
  }
  return {
    chainId,
    cache: openPinnedCache(dir, identityDigest(identity), context.stats, context.log),
    check: undefined,
  };
}

/** A question asked at start: its failure says the proxy cannot start, and why (redacted), keeping its kind. */
async function atStart<T>(context: ProxyContext, ask: () => Promise<T>): Promise<T> {
  try {
    return await ask();
  } catch (err) {
    const why = err instanceof Error ? err.message : String(err);
    const kind = err instanceof UpstreamFailure ? err.kind : "connection";
    const attempts = err instanceof UpstreamFailure ? err.attempts : 0;
    throw new UpstreamFailure(kind, `fork upstream: cannot start: ${context.redact(why)}`, attempts);
  }
}

async function learnChainId(context: ProxyContext): Promise<number> {
  return atStart(context, () =>
    askChainId(context.send, context.shown, "learning the chain id that names the fork cache"),
  );
}

/** Answers client calls: at the pin when it can, else forwarded in chunks once the chain is checked. */
function clientAnswerer(
  context: ProxyContext,
  pin: Pin | undefined,
  check: IdentityCheck | undefined,
  maxBatchSize: number,
): (reqs: readonly unknown[]) => Promise<JsonRpcResponse[]> {
  const { stats, log, redact, shown } = context;
  const forwardDeps: ForwardDeps = {
    maxBatchSize,
    ready: () => check?.ensure() ?? Promise.resolve(),
    send: (chunk) => context.send(chunk),
    toFailure: (err) => failureOutcome(err, shown, redact),
  };
  const answerDeps: AnswerDeps = {
    stats,
    // Once the upstream is found to be another than the cache's, the cache serves nothing more.
    answerLocally: (req) => (check?.refused ? undefined : answerAtPin(req, pin, stats)),
    forward: (calls) => forwardCalls(calls, forwardDeps),
    onResult: (req, result) => keepAtPin(req, result, pin, stats, log, redact),
    log,
  };
  return (reqs) => answerCalls(reqs, answerDeps);
}

interface ServeDeps {
  stats: ProxyStats;
  /** Answers a client's calls in their order. */
  answer: (reqs: readonly unknown[]) => Promise<JsonRpcResponse[]>;
  log: (line: string) => void;
  redact: (text: string) => string;
}

/** One client HTTP request: JSON-RPC over POST, one call or a batch. */
function serveHttp(req: http.IncomingMessage, res: http.ServerResponse, deps: ServeDeps): void {
  if (req.method !== "POST") {
    reply(res, HTTP_METHOD_NOT_ALLOWED, errorResponse(null, INVALID_REQUEST_CODE, "JSON-RPC over HTTP POST only"));
    return;
  }
  const chunks: Buffer[] = [];
  req.on("data", (c: Buffer) => chunks.push(c));
  req.on("error", () => undefined); // a client gone mid-request needs no answer
  req.on("end", () => void serveBody(Buffer.concat(chunks), res, deps));
}

async function serveBody(raw: Buffer, res: http.ServerResponse, deps: ServeDeps): Promise<void> {
  let body: unknown;
  try {
    body = JSON.parse(raw.toString("utf8"));
  } catch {
    reply(res, HTTP_OK, errorResponse(null, PARSE_ERROR_CODE, "Parse error"));
    return;
  }
  try {
    reply(res, HTTP_OK, await answerBody(body, deps));
  } catch (err) {
    const message = `loopstress fork proxy: ${redactError(err, deps.redact)}`;
    deps.log(message);
    if (!res.headersSent) reply(res, HTTP_INTERNAL_SERVER_ERROR, errorResponse(null, INTERNAL_ERROR_CODE, message));
  }
}

async function answerBody(body: unknown, deps: ServeDeps): Promise<unknown> {
  if (!Array.isArray(body)) return (await deps.answer([body]))[0];
  deps.stats.clientBatches++;
  if (body.length === 0) return errorResponse(null, INVALID_REQUEST_CODE, "Invalid Request: empty batch");
  return deps.answer(body);
}

function reply(res: http.ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "content-type": "application/json", "content-length": Buffer.byteLength(text) });
  res.end(text);
}

/** Listens on 127.0.0.1 and resolves with the port. */
async function listen(server: http.Server, port: number): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, LOCALHOST, () => {
      server.off("error", reject);
      resolve();
    });
  });
  return (server.address() as AddressInfo).port;
}
