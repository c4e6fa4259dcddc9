import { expect } from "chai";
import http from "http";
import https from "https";
import type { AddressInfo } from "net";
import zlib from "zlib";
import { redactorFor } from "../../../src/chain/redact";
import {
  HttpAnswer,
  UpstreamEndpoint,
  attemptOnce,
  createEndpoint,
  decodeBody,
  judgeAnswer,
  parseRetryAfter,
  parseUpstreamUrl,
} from "../../../src/chain/upstream/attempt";
import type { AttemptResult, FailureKind } from "../../../src/chain/upstream/failures";
import { encodeCalls } from "../../../src/chain/upstream/json-rpc";

type Handler = (req: http.IncomingMessage, res: http.ServerResponse) => void;

interface TestServer {
  port: number;
  /** Each request received: its url, headers and body. */
  seen: { url: string; headers: http.IncomingHttpHeaders; body: string }[];
  close(): Promise<void>;
}

/** A one-handler HTTP server on 127.0.0.1 that records what it is sent. */
async function startServer(handler: Handler): Promise<TestServer> {
  const seen: TestServer["seen"] = [];
  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      seen.push({ url: req.url ?? "", headers: req.headers, body: Buffer.concat(chunks).toString("utf8") });
      handler(req, res);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as AddressInfo).port,
    seen,
    close: async () => {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

const ONE_CALL = encodeCalls([{ method: "eth_chainId" }]);
const TWO_CALLS = encodeCalls([{ method: "eth_chainId" }, { method: "net_version" }]);
const unchanged = (text: string) => text;

function reply(
  res: http.ServerResponse,
  status: number,
  body: string | Buffer,
  headers: http.OutgoingHttpHeaders = {},
): void {
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(body);
}

/** A failure as attempts report it: always with a retryAfterMs (undefined when the upstream named no delay). */
function failed(kind: FailureKind, detail: string, retryAfterMs?: number): AttemptResult {
  return { ok: false, failure: { kind, detail, retryAfterMs } };
}

function answer(status: number, body: unknown, headers: http.IncomingHttpHeaders = {}): HttpAnswer {
  const text = typeof body === "string" ? body : JSON.stringify(body);
  return { status, statusMessage: http.STATUS_CODES[status], headers, body: Buffer.from(text) };
}

describe("upstream attempt", function () {
  this.timeout(5_000);
  const cleanup: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const c of cleanup.splice(0).reverse()) await c();
  });

  async function serve(handler: Handler): Promise<TestServer> {
    const s = await startServer(handler);
    cleanup.push(() => s.close());
    return s;
  }

  function endpoint(url: string): UpstreamEndpoint {
    const e = createEndpoint(parseUpstreamUrl(url, "<shown>"));
    cleanup.push(() => e.agent.destroy());
    return e;
  }

  describe("over HTTP, against a local server", function () {
    it("POSTs the payload to the URL's path and query, basic auth from its userinfo; returns the body", async () => {
      const s = await serve((_req, res) => reply(res, 200, JSON.stringify({ jsonrpc: "2.0", id: 1, result: "0x1" })));
      const e = endpoint(`http://us%65r:p%40ss@127.0.0.1:${s.port}/v2/KEY?x=1`);
      const r = await attemptOnce(e, ONE_CALL, 2_000, unchanged);
      expect(r).to.deep.equal({ ok: true, body: { jsonrpc: "2.0", id: 1, result: "0x1" } });
      expect(s.seen).to.have.length(1);
      const [{ url, headers, body }] = s.seen;
      expect(url).to.equal("/v2/KEY?x=1");
      expect(body).to.equal('{"jsonrpc":"2.0","id":1,"method":"eth_chainId","params":[]}');
      expect(headers["content-type"]).to.equal("application/json");
      expect(headers["accept-encoding"]).to.equal("gzip, deflate, br");
      expect(headers["content-length"]).to.equal(String(body.length));
      expect(headers.authorization).to.equal(`Basic ${Buffer.from("user:p@ss").toString("base64")}`);
    });

    it("decodes a gzip body", async function () {
      const batch = [
        { jsonrpc: "2.0", id: 2, result: "1" },
        { jsonrpc: "2.0", id: 1, result: "0x1" },
      ];
      const gzipped = zlib.gzipSync(JSON.stringify(batch));
      const s = await serve((_req, res) => reply(res, 200, gzipped, { "content-encoding": "gzip" }));
      const r = await attemptOnce(endpoint(`http://127.0.0.1:${s.port}/`), TWO_CALLS, 2_000, unchanged);
      expect(r).to.deep.equal({ ok: true, body: batch });
    });

    it("HTTP 429 with Retry-After: rate-limited, and how long to wait", async function () {
      const s = await serve((_req, res) => reply(res, 429, "{}", { "retry-after": "2" }));
      const r = await attemptOnce(endpoint(`http://127.0.0.1:${s.port}/`), ONE_CALL, 2_000, unchanged);
      expect(r).to.deep.equal(failed("rate-limited", "rate-limited (HTTP 429)", 2_000));
    });

    it("no answer within the timeout: timeout", async function () {
      const s = await serve(() => undefined);
      const t0 = Date.now();
      const r = await attemptOnce(endpoint(`http://127.0.0.1:${s.port}/`), ONE_CALL, 100, unchanged);
      expect(r).to.deep.equal(failed("timeout", "did not answer within 100 ms"));
      expect(Date.now() - t0).to.be.within(90, 1_000);
    });

    it("a dropped connection: connection", async function () {
      const s = await serve((req) => req.socket.destroy());
      const r = await attemptOnce(endpoint(`http://127.0.0.1:${s.port}/`), ONE_CALL, 2_000, unchanged);
      expect(r).to.deep.equal(failed("connection", "dropped the connection (ECONNRESET: socket hang up)"));
    });

    it("a connection dropped mid-answer: connection", async function () {
      const s = await serve((_req, res) => {
        res.writeHead(200, { "content-type": "application/json", "content-length": "100" });
        res.write('{"jsonrpc":"2.0",');
        setTimeout(() => res.socket?.destroy(), 20);
      });
      const r = await attemptOnce(endpoint(`http://127.0.0.1:${s.port}/`), ONE_CALL, 2_000, unchanged);
      expect(r).to.deep.equal(failed("connection", "dropped the connection mid-answer (ECONNRESET: aborted)"));
    });

    it("nothing listening: connection refused, with the secret redacted from the error", async function () {
      const s = await serve(() => undefined);
      await s.close();
      cleanup.pop();
      const url = `http://127.0.0.1:${s.port}/v2/SECRETKEY123`;
      const r = await attemptOnce(endpoint(url), ONE_CALL, 2_000, redactorFor(url));
      expect(r).to.deep.equal(
        failed("connection", `refused the connection (connect ECONNREFUSED 127.0.0.1:${s.port})`),
      );
    });
  });

  describe("judgeAnswer", function () {
    it("a JSON-RPC answer to every call is the body", function () {
      const body = [
        { jsonrpc: "2.0", id: 1, result: "0x1" },
        { jsonrpc: "2.0", id: 2, error: { code: -32000, message: "execution reverted" } },
      ];
      expect(judgeAnswer(answer(200, body), TWO_CALLS, unchanged)).to.deep.equal({ ok: true, body });
    });

    it("a single error object answering a batch is an answer to all its calls", function () {
      const body = { jsonrpc: "2.0", id: null, error: { code: -32600, message: "batch too large" } };
      expect(judgeAnswer(answer(200, body), TWO_CALLS, unchanged)).to.deep.equal({ ok: true, body });
      // The same body to a single call lacks its id: 2xx, so a bad response.
      expect(judgeAnswer(answer(200, body), ONE_CALL, unchanged)).to.deep.equal(
        failed("bad-response", "left 1 call of 1 unanswered"),
      );
    });

    it("HTTP 5xx and 408 are http errors (Retry-After kept); other non-2xx are refusals", function () {
      expect(judgeAnswer(answer(503, "busy", { "retry-after": "3" }), ONE_CALL, unchanged)).to.deep.equal(
        failed("http-error", "failed (HTTP 503 Service Unavailable)", 3_000),
      );
      expect(judgeAnswer(answer(408, "slow"), ONE_CALL, unchanged)).to.deep.equal(
        failed("http-error", "failed (HTTP 408 Request Timeout)"),
      );
      expect(judgeAnswer(answer(401, "invalid  API\nkey"), ONE_CALL, unchanged)).to.deep.equal(
        failed("rejected", 'refused the request (HTTP 401 Unauthorized: "invalid API key")'),
      );
      expect(judgeAnswer(answer(404, { message: "no such path" }), ONE_CALL, unchanged)).to.deep.equal(
        failed("rejected", 'refused the request (HTTP 404 Not Found: "{"message":"no such path"}")'),
      );
    });

    it("a 2xx that is not JSON, or not JSON-RPC, is a bad response", function () {
      const html = answer(200, "<html>no</html>", { "content-type": "text/html" });
      expect(judgeAnswer(html, ONE_CALL, unchanged)).to.deep.equal(
        failed("bad-response", 'answered with a non-JSON body (HTTP 200 OK, text/html: "<html>no</html>")'),
      );
      expect(judgeAnswer(answer(200, ""), ONE_CALL, unchanged)).to.deep.equal(
        failed("bad-response", 'answered with a non-JSON body (HTTP 200 OK, no content type: "")'),
      );
      expect(judgeAnswer(answer(200, { ok: true }), ONE_CALL, unchanged)).to.deep.equal(
        failed("bad-response", 'answered with JSON that is not a JSON-RPC response ("{"ok":true}")'),
      );
    });

    it("a long body is cut to 120 characters in the message", function () {
      const r = judgeAnswer(answer(200, "x".repeat(500)), ONE_CALL, unchanged);
      expect(r).to.deep.equal(
        failed("bad-response", `answered with a non-JSON body (HTTP 200 OK, no content type: "${"x".repeat(120)}…")`),
      );
    });

    it("a rate-limit error inside HTTP 200 is rate-limited; a revert mentioning rate limits is an answer", function () {
      const limited = { jsonrpc: "2.0", id: 1, error: { code: -32005, message: "rate limit exceeded" } };
      expect(judgeAnswer(answer(200, limited, { "retry-after": "1" }), ONE_CALL, unchanged)).to.deep.equal(
        failed("rate-limited", 'rate-limited (JSON-RPC error -32005: "rate limit exceeded")', 1_000),
      );
      const reverted = { jsonrpc: "2.0", id: 1, error: { code: 3, message: "execution reverted: rate limit" } };
      expect(judgeAnswer(answer(200, reverted), ONE_CALL, unchanged)).to.deep.equal({ ok: true, body: reverted });
    });

    it("an unanswered call: a bad response at 2xx, a refusal otherwise", function () {
      const half = [{ jsonrpc: "2.0", id: 1, result: "0x1" }];
      expect(judgeAnswer(answer(200, half), TWO_CALLS, unchanged)).to.deep.equal(
        failed("bad-response", "left 1 call of 2 unanswered"),
      );
      expect(judgeAnswer(answer(400, half), TWO_CALLS, unchanged)).to.deep.equal(
        failed("rejected", `refused the request (HTTP 400 Bad Request: "${JSON.stringify(half)}")`),
      );
    });

    it("an undecodable body is a bad response", function () {
      const notGzip = { ...answer(200, "not gzip"), headers: { "content-encoding": "gzip" } };
      expect(judgeAnswer(notGzip, ONE_CALL, unchanged)).to.deep.equal(
        failed("bad-response", "sent an undecodable body (HTTP 200 OK, Z_DATA_ERROR: incorrect header check)"),
      );
    });
  });

  it("decodeBody: gzip, x-gzip, deflate, br, identity", function () {
    const text = '{"jsonrpc":"2.0"}';
    expect(decodeBody(zlib.gzipSync(text), "gzip").toString()).to.equal(text);
    expect(decodeBody(zlib.gzipSync(text), " X-GZIP ").toString()).to.equal(text);
    expect(decodeBody(zlib.deflateSync(text), "deflate").toString()).to.equal(text);
    expect(decodeBody(zlib.brotliCompressSync(text), "br").toString()).to.equal(text);
    expect(decodeBody(Buffer.from(text), undefined).toString()).to.equal(text);
    expect(decodeBody(Buffer.from(text), "identity").toString()).to.equal(text);
  });

  it("parseRetryAfter: seconds or an HTTP date, as ms from now", function () {
    const now = Date.parse("Wed, 21 Oct 2015 07:28:00 GMT");
    expect(parseRetryAfter("2", now)).to.equal(2_000);
    expect(parseRetryAfter(" 0.5 ", now)).to.equal(500);
    expect(parseRetryAfter("Wed, 21 Oct 2015 07:28:03 GMT", now)).to.equal(3_000);
    expect(parseRetryAfter("Wed, 21 Oct 2015 07:27:00 GMT", now)).to.equal(0); // in the past
    expect(parseRetryAfter(undefined, now)).to.equal(undefined);
    expect(parseRetryAfter("  ", now)).to.equal(undefined);
    expect(parseRetryAfter("soon", now)).to.equal(undefined);
    expect(parseRetryAfter("-1", now)).to.equal(0); // not seconds; Date.parse reads it as a date long past
  });

  it("parseUpstreamUrl accepts http(s) only, and its errors show the URL as given to it", function () {
    expect(parseUpstreamUrl("https://rpc.example.com/v2/k", "https://rpc.example.com/…").href).to.equal(
      "https://rpc.example.com/v2/k",
    );
    expect(() => parseUpstreamUrl("not a url", "<shown>")).to.throw("fork upstream: <shown> is not a valid URL");
    expect(() => parseUpstreamUrl("ws://rpc.example.com/", "<shown>")).to.throw(
      "fork upstream: <shown> is not an http(s) URL",
    );
  });

  it("createEndpoint: a keep-alive agent for the scheme; auth only with userinfo", function () {
    const plain = endpoint("http://127.0.0.1:1/");
    expect(plain.auth).to.equal(undefined);
    expect(plain.agent.maxSockets).to.equal(16);
    expect(plain.agent).to.not.be.an.instanceOf(https.Agent);
    const secure = endpoint("https://:key@rpc.example.com/");
    expect(secure.auth).to.equal(":key");
    expect(secure.agent).to.be.an.instanceOf(https.Agent);
  });
});
