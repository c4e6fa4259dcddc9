/**
 * One HTTP attempt against the upstream: send a JSON-RPC body, decode the answer, and say what went wrong if it is
 * not a JSON-RPC answer to every call. Whether to try again is retry.ts's decision.
 */
import http from "http";
import https from "https";
import zlib from "zlib";
import { redactError } from "../redact";
import { AttemptResult, FailureKind, attemptFailed, plural, snippet } from "./failures";
import {
  EncodedCalls,
  JsonRpcErrorObject,
  JsonRpcResponse,
  isJsonRpcResponse,
  isObject,
  isWholeBatchError,
} from "./json-rpc";
import { isRateLimitError } from "./retry";

/** Most connections kept open to the upstream at once. */
const UPSTREAM_MAX_SOCKETS = 16;

/** Where and how attempts connect. `auth` is the URL's userinfo (https://user:key@host), sent as a header. */
export interface UpstreamEndpoint {
  url: URL;
  agent: http.Agent;
  auth: string | undefined;
}

/** `upstreamUrl` parsed; `shown` is how the URL may appear in an error. Throws unless it is an http(s) URL. */
export function parseUpstreamUrl(upstreamUrl: string, shown: string): URL {
  let url: URL;
  try {
    url = new URL(upstreamUrl);
  } catch {
    throw new Error(`fork upstream: ${shown} is not a valid URL`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw new Error(`fork upstream: ${shown} is not an http(s) URL`);
  }
  return url;
}

/** Keep-alive connections to `url`, with the userinfo as basic auth. Destroy its agent when done. */
export function createEndpoint(url: URL): UpstreamEndpoint {
  const agentOptions = { keepAlive: true, maxSockets: UPSTREAM_MAX_SOCKETS };
  const agent = url.protocol === "https:" ? new https.Agent(agentOptions) : new http.Agent(agentOptions);
  const auth = url.username || url.password ? `${safeDecode(url.username)}:${safeDecode(url.password)}` : undefined;
  return { url, agent, auth };
}

function safeDecode(s: string): string {
  try {
    return decodeURIComponent(s);
  } catch {
    return s;
  }
}

/** A complete HTTP answer, body as received. */
export interface HttpAnswer {
  status: number;
  statusMessage: string | undefined;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
}

/**
 * Sends `calls` once. Failures are results, not rejections: a timeout (`timeoutMs` from connection to last byte),
 * a connection error, a bad answer. Error details pass through `redact`.
 */
export function attemptOnce(
  endpoint: UpstreamEndpoint,
  calls: EncodedCalls,
  timeoutMs: number,
  redact: (text: string) => string,
): Promise<AttemptResult> {
  return new Promise<AttemptResult>((resolve) => {
    let settled = false;
    const finish = (r: AttemptResult) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      resolve(r);
    };
    const fail = (kind: FailureKind, detail: string) => finish(attemptFailed(kind, detail));
    const req = sendRequest(endpoint, calls.payload, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("error", (err) => fail("connection", `dropped the connection mid-answer (${redactError(err, redact)})`));
      res.on("close", () => {
        if (!res.complete) fail("connection", "dropped the connection mid-answer");
      });
      res.on("end", () => {
        const answer = { status: res.statusCode ?? 0, statusMessage: res.statusMessage, headers: res.headers };
        finish(judgeAnswer({ ...answer, body: Buffer.concat(chunks) }, calls, redact));
      });
    });
    const timer = setTimeout(() => {
      fail("timeout", `did not answer within ${timeoutMs} ms`);
      req.destroy();
    }, timeoutMs);
    req.on("error", (err: NodeJS.ErrnoException) => fail("connection", connectionFailureDetail(err, redact)));
    req.end(calls.payload);
  });
}

function sendRequest(
  endpoint: UpstreamEndpoint,
  payload: string,
  onResponse: (res: http.IncomingMessage) => void,
): http.ClientRequest {
  const { url } = endpoint;
  return (url.protocol === "https:" ? https : http).request(
    {
      protocol: url.protocol,
      hostname: url.hostname.replace(/^\[|\]$/g, ""), // an IPv6 host without its brackets
      port: url.port || undefined,
      path: `${url.pathname}${url.search}`,
      method: "POST",
      agent: endpoint.agent,
      auth: endpoint.auth,
      headers: {
        "content-type": "application/json",
        accept: "application/json",
        "accept-encoding": "gzip, deflate, br",
        "content-length": Buffer.byteLength(payload),
      },
    },
    onResponse,
  );
}

/** What a failed connection looks like from here: refused, dropped, unresolvable or unreachable. */
function connectionFailureDetail(err: NodeJS.ErrnoException, redact: (text: string) => string): string {
  return `${connectionFailureWhat(err)} (${redactError(err, redact)})`;
}

function connectionFailureWhat(err: NodeJS.ErrnoException): string {
  if (err.code === "ECONNREFUSED") return "refused the connection";
  if (err.code === "ECONNRESET" || err.message === "socket hang up") return "dropped the connection";
  if (err.code === "ENOTFOUND" || err.code === "EAI_AGAIN") return "could not be resolved";
  return "could not be reached";
}

const HTTP_TOO_MANY_REQUESTS = 429;
const HTTP_REQUEST_TIMEOUT = 408;
const HTTP_FIRST_SERVER_ERROR = 500;
const isSuccess = (status: number): boolean => status >= 200 && status < 300;

/** A complete answer as read: status, decoded body text, and the headers the judgement needs. */
interface ReadAnswer {
  status: number;
  /** "HTTP 200 OK", for messages. */
  statusText: string;
  text: string;
  contentType: string | undefined;
  retryAfterMs: number | undefined;
}

/**
 * The body of a complete answer if it is a JSON-RPC answer to every one of `calls`, else what is wrong with it.
 * Checked in this order: undecodable body, HTTP 429, HTTP 5xx or 408, not JSON, not JSON-RPC, a rate-limit error
 * inside, an unanswered call.
 */
export function judgeAnswer(answer: HttpAnswer, calls: EncodedCalls, redact: (text: string) => string): AttemptResult {
  const { status, headers } = answer;
  const statusText = `HTTP ${status}${answer.statusMessage ? ` ${answer.statusMessage}` : ""}`;
  let text: string;
  try {
    text = decodeBody(answer.body, headers["content-encoding"]).toString("utf8");
  } catch (err) {
    return attemptFailed("bad-response", `sent an undecodable body (${statusText}, ${redactError(err, redact)})`);
  }
  const retryAfterMs = parseRetryAfter(headers["retry-after"]);
  const read: ReadAnswer = { status, statusText, text, contentType: headers["content-type"], retryAfterMs };
  return statusFailure(read) ?? judgeJsonRpc(read, calls);
}

/** The statuses that say the upstream is busy or broken, whatever the body. */
function statusFailure(a: ReadAnswer): AttemptResult | undefined {
  if (a.status === HTTP_TOO_MANY_REQUESTS) {
    return attemptFailed("rate-limited", "rate-limited (HTTP 429)", a.retryAfterMs);
  }
  if (a.status >= HTTP_FIRST_SERVER_ERROR || a.status === HTTP_REQUEST_TIMEOUT) {
    return attemptFailed("http-error", `failed (${a.statusText})`, a.retryAfterMs);
  }
  return undefined;
}

/** A body that is no answer: with a 2xx the answer is broken ("bad-response"); otherwise the upstream refused. */
function badBody(a: ReadAnswer, detail: string): AttemptResult {
  if (isSuccess(a.status)) return attemptFailed("bad-response", detail);
  return attemptFailed("rejected", `refused the request (${a.statusText}: "${snippet(a.text)}")`);
}

function judgeJsonRpc(a: ReadAnswer, calls: EncodedCalls): AttemptResult {
  let body: unknown;
  try {
    body = JSON.parse(a.text);
  } catch {
    const type = a.contentType ?? "no content type";
    return badBody(a, `answered with a non-JSON body (${a.statusText}, ${type}: "${snippet(a.text)}")`);
  }
  const responses: unknown[] = Array.isArray(body) ? body : [body];
  const wholeBatchError = isWholeBatchError(body, calls.batch);
  if (!responses.every(isJsonRpcResponse) && !wholeBatchError) {
    return badBody(a, `answered with JSON that is not a JSON-RPC response ("${snippet(a.text)}")`);
  }
  const rateLimit = rateLimitErrorIn(responses);
  if (rateLimit) {
    const detail = `rate-limited (JSON-RPC error ${rateLimit.code}: "${snippet(rateLimit.message)}")`;
    return attemptFailed("rate-limited", detail, a.retryAfterMs);
  }
  const missing = wholeBatchError ? [] : unansweredIds(responses as JsonRpcResponse[], calls.ids);
  if (missing.length > 0) return badBody(a, `left ${plural(missing.length, "call")} of ${calls.ids.length} unanswered`);
  return { ok: true, body };
}

function rateLimitErrorIn(responses: readonly unknown[]): JsonRpcErrorObject | undefined {
  const limited = responses.find((r) => isObject(r) && isObject(r.error) && isRateLimitError(r.error));
  return (limited as JsonRpcResponse | undefined)?.error;
}

function unansweredIds(responses: readonly JsonRpcResponse[], ids: readonly number[]): number[] {
  const answered = new Set(responses.map((r) => r.id));
  return ids.filter((id) => !answered.has(id));
}

/** The body as sent, uncompressed (we accept gzip, deflate and br). */
export function decodeBody(buf: Buffer, encoding: string | undefined): Buffer {
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

const MS_PER_SECOND = 1000;

/** A `Retry-After` header (seconds, or an HTTP date) as a delay from `nowMs`; undefined when absent or unreadable. */
export function parseRetryAfter(header: string | undefined, nowMs = Date.now()): number | undefined {
  if (header === undefined || header.trim() === "") return undefined;
  const seconds = Number(header.trim());
  if (Number.isFinite(seconds) && seconds >= 0) return seconds * MS_PER_SECOND;
  const dateMs = Date.parse(header);
  return Number.isNaN(dateMs) ? undefined : Math.max(0, dateMs - nowMs);
}
