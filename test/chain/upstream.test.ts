import { expect } from "chai";
import crypto from "crypto";
import fs from "fs";
import http from "http";
import type { AddressInfo } from "net";
import os from "os";
import path from "path";
import { JsonRpcProvider, JsonRpcSigner } from "ethers";
import type { DeploymentRecord } from "../../src/chain/deployments";
import { StandInERC20__factory } from "../../typechain-types";
import { NodeProcess, runHardhat, startHardhatNode, stopAllNodes } from "../node-process";
import { upstreamHostId } from "../../src/chain/upstream/identity";
import { UpstreamFailure } from "../../src/chain/upstream/failures";
import {
  ProxyStats,
  UPSTREAM_FAILURE_CODE,
  UpstreamProxy,
  UpstreamProxyOptions,
  cacheableRequest,
  startUpstreamProxy,
} from "../../src/chain/upstream";

const SECRET_PATH = "/v2/SECRETKEY123?key=abc";

interface RpcCall {
  jsonrpc?: string;
  id: number | string | null;
  method: string;
  params?: unknown[];
}

type Handler = (calls: RpcCall[], req: http.IncomingMessage, res: http.ServerResponse, batch: boolean) => void;

/** A fake upstream on 127.0.0.1 whose answers a test scripts; it records every HTTP request and call it receives. */
class FakeUpstream {
  readonly requests: { batch: boolean; calls: RpcCall[]; url: string }[] = [];
  private server!: http.Server;
  constructor(public handler: Handler) {}

  async start(): Promise<this> {
    this.server = http.createServer((req, res) => {
      let body = "";
      req.on("data", (c: Buffer) => (body += c.toString("utf8")));
      req.on("end", () => {
        const parsed = JSON.parse(body) as RpcCall | RpcCall[];
        const batch = Array.isArray(parsed);
        const calls = batch ? parsed : [parsed];
        this.requests.push({ batch, calls, url: req.url ?? "" });
        this.handler(calls, req, res, batch);
      });
    });
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    return this;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  /** The upstream URL a user would give: with an API key in its path and query. */
  get secretUrl(): string {
    return `http://127.0.0.1:${this.port}${SECRET_PATH}`;
  }

  methods(): string[] {
    return this.requests.flatMap((r) => r.calls.map((c) => c.method));
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

function json(res: http.ServerResponse, body: unknown, status = 200, headers: Record<string, string> = {}): void {
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(JSON.stringify(body));
}

/** Answers like a node at chain 31337 whose state is a function of the request. */
function answer(call: RpcCall): { jsonrpc: "2.0"; id: RpcCall["id"]; result?: unknown; error?: unknown } {
  const p = call.params ?? [];
  switch (call.method) {
    case "eth_chainId":
      return { jsonrpc: "2.0", id: call.id, result: "0x7a69" };
    case "net_version":
      return { jsonrpc: "2.0", id: call.id, result: "31337" };
    case "eth_getBlockByNumber":
      return { jsonrpc: "2.0", id: call.id, result: fakeBlock(p[0] === "finalized" ? FINALIZED : String(p[0])) };
    case "eth_getTransactionReceipt":
      return {
        jsonrpc: "2.0",
        id: call.id,
        result: p[0] === `0x${"11".repeat(32)}` ? { blockNumber: "0x4", status: "0x1" } : null,
      };
    case "eth_call":
      if ((p[0] as { data?: string }).data === "0xdead")
        return { jsonrpc: "2.0", id: call.id, error: { code: 3, message: "execution reverted", data: "0x" } };
      if ((p[0] as { data?: string }).data === "0xbeef")
        return {
          jsonrpc: "2.0",
          id: call.id,
          error: { code: 3, message: "execution reverted: rate limit exceeded", data: "0x" },
        };
      return { jsonrpc: "2.0", id: call.id, result: `0x${Buffer.from(JSON.stringify(p)).toString("hex")}` };
    default:
      return {
        jsonrpc: "2.0",
        id: call.id,
        result: `0x${crypto
          .createHash("sha256")
          .update(`${call.method}:${JSON.stringify(p)}`)
          .digest("hex")}`,
      };
  }
}

/** The fake chain's finalized block: every block a test pins (10, 11) is final. */
const FINALIZED = "0x64";

/** A block of the fake chain: its hash is a function of its number and of `generation` (another chain, same ids). */
function fakeBlock(number: string, generation = 0): { number: string; hash: string } {
  return { number, hash: `0x${crypto.createHash("sha256").update(`${generation}:${number}`).digest("hex")}` };
}

/** The calls the proxy makes to learn whom it asks (identity.ts): one batch. */
const IDENTITY = ["eth_chainId", "eth_getBlockByNumber", "eth_getBlockByNumber", "eth_blockNumber"];

const hostFolder = (u: FakeUpstream, chainId: number, block: number) =>
  `${chainId}-${block}-${upstreamHostId(new URL(u.secretUrl))}`;

const answerAll: Handler = (calls, _req, res, batch) => json(res, batch ? calls.map(answer) : answer(calls[0]));

/** A JSON-RPC client of the proxy. */
async function rpc(url: string, body: unknown): Promise<unknown> {
  const res = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify(body),
  });
  return res.json();
}

async function call(url: string, method: string, params: unknown[] = [], id: number | string = 1) {
  return (await rpc(url, { jsonrpc: "2.0", id, method, params })) as {
    id: unknown;
    result?: unknown;
    error?: { code: number; message: string; data?: unknown };
  };
}

const tmpDir = () => fs.mkdtempSync(path.join(os.tmpdir(), "loopstress-fork-cache-"));

/** Asserts that no part of the secret path or query shows anywhere. */
function expectNoSecret(...texts: string[]): void {
  for (const t of texts) {
    expect(t).to.not.contain("SECRETKEY123");
    expect(t).to.not.contain("abc");
    expect(t).to.not.contain("/v2/");
  }
}

describe("fork upstream proxy", function () {
  this.timeout(20_000);
  const cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const c of cleanup.splice(0).reverse()) await c();
  });

  async function upstream(handler: Handler): Promise<FakeUpstream> {
    const u = await new FakeUpstream(handler).start();
    cleanup.push(() => u.close());
    return u;
  }

  async function proxy(options: UpstreamProxyOptions, logs?: string[]): Promise<UpstreamProxy> {
    const p = await startUpstreamProxy({
      baseDelayMs: 1,
      maxDelayMs: 50,
      timeoutMs: 2_000,
      log: (l) => logs?.push(l),
      ...options,
    });
    cleanup.push(() => p.close());
    return p;
  }

  describe("retries", function () {
    it("HTTP 429 twice, then an answer: the client gets the answer after 3 attempts / 2 retries", async function () {
      let n = 0;
      const u = await upstream((calls, req, res, batch) =>
        ++n <= 2 ? json(res, { error: "too many requests" }, 429) : answerAll(calls, req, res, batch),
      );
      const logs: string[] = [];
      const p = await proxy({ upstreamUrl: u.secretUrl }, logs);
      const r = await call(p.url, "eth_getBalance", ["0x0000000000000000000000000000000000000001", "latest"], 7);
      expect(r.error).to.equal(undefined);
      expect(r.id).to.equal(7);
      expect(r.result).to.equal(
        answer({ id: 7, method: "eth_getBalance", params: ["0x0000000000000000000000000000000000000001", "latest"] })
          .result,
      );
      const s = p.stats();
      expect(s.upstreamRequests).to.equal(3);
      expect(s.retries).to.equal(2);
      expect(s.upstreamCallsByMethod).to.deep.equal({ eth_getBalance: 3 });
      expect(s.failures).to.equal(0);
      expect(logs).to.have.length(2);
      expect(logs[0]).to.match(
        /eth_getBalance: upstream http:\/\/127\.0\.0\.1:\d+\/… rate-limited \(HTTP 429\) \(attempt 1 of 6\); retrying in \d+ ms/,
      );
      expect(u.requests.every((q) => q.url === SECRET_PATH)).to.equal(true);
      expectNoSecret(...logs, JSON.stringify(s));
    });

    it("honours Retry-After", async function () {
      let n = 0;
      const u = await upstream((calls, req, res, batch) =>
        ++n === 1 ? json(res, {}, 429, { "retry-after": "1" }) : answerAll(calls, req, res, batch),
      );
      const logs: string[] = [];
      const p = await proxy({ upstreamUrl: u.secretUrl, maxDelayMs: 5_000 }, logs);
      const t0 = Date.now();
      const r = await call(p.url, "eth_blockNumber");
      const elapsed = Date.now() - t0;
      expect(r.error).to.equal(undefined);
      expect(elapsed).to.be.gte(950);
      expect(elapsed).to.be.lt(3_000);
      expect(logs[0]).to.match(/retrying in 1000 ms/);
      expect(p.stats().retries).to.equal(1);
    });

    it("retries a rate-limit error sent inside HTTP 200, but passes any other JSON-RPC error through untouched", async function () {
      let n = 0;
      const u = await upstream((calls, req, res, batch) =>
        ++n === 1
          ? json(res, {
              jsonrpc: "2.0",
              id: calls[0].id,
              error: {
                code: -32005,
                message: "Your app has exceeded its compute units per second capacity (rate limit)",
              },
            })
          : answerAll(calls, req, res, batch),
      );
      const p = await proxy({ upstreamUrl: u.secretUrl });
      expect((await call(p.url, "eth_gasPrice")).result).to.be.a("string");
      expect(p.stats().retries).to.equal(1);

      const reverted = await call(
        p.url,
        "eth_call",
        [{ to: "0x0000000000000000000000000000000000000002", data: "0xdead" }, "latest"],
        "x",
      );
      const bridgeLimit = await call(p.url, "eth_call", [
        { to: "0x0000000000000000000000000000000000000002", data: "0xbeef" },
        "latest",
      ]);
      expect(bridgeLimit.error).to.deep.equal({
        code: 3,
        message: "execution reverted: rate limit exceeded",
        data: "0x",
      });
      expect(reverted).to.deep.equal({
        jsonrpc: "2.0",
        id: "x",
        error: { code: 3, message: "execution reverted", data: "0x" },
      });
      const s = p.stats();
      expect(s.upstreamRequests).to.equal(4); // 2 for eth_gasPrice, 1 for each revert: not retried
      expect(s.retries).to.equal(1);
      expect(s.failures).to.equal(0);
    });

    const SECRET_FREE = (what: string, s: ProxyStats, logs: string[], message: string) => {
      expectNoSecret(message, ...logs, JSON.stringify(s));
      expect(message, what).to.match(/^upstream http:\/\/127\.0\.0\.1:\d+\/… /);
    };

    it("always HTTP 500 (with the key echoed in its body): a clear JSON-RPC error after 1 + retries attempts, no secret anywhere", async function () {
      const u = await upstream((_calls, req, res) => {
        res.writeHead(500, { "content-type": "text/html" });
        res.end(`<html>internal error for ${req.url} (key SECRETKEY123)</html>`);
      });
      const logs: string[] = [];
      const p = await proxy({ upstreamUrl: u.secretUrl, retries: 3 }, logs);
      const r = await call(p.url, "eth_getCode", ["0x0000000000000000000000000000000000000003", "0x5"]);
      expect(r.error!.code).to.equal(UPSTREAM_FAILURE_CODE);
      expect(r.error!.message).to.match(
        /^upstream http:\/\/127\.0\.0\.1:\d+\/… failed \(HTTP 500 Internal Server Error\) after 4 attempts \(eth_getCode\)$/,
      );
      expect(r.error!.data).to.deep.include({ kind: "http-error", attempts: 4 });
      const s = p.stats();
      expect(s.upstreamRequests).to.equal(4);
      expect(s.retries).to.equal(3);
      expect(s.failures).to.equal(1);
      expect(s.failuresByKind).to.deep.equal({ "http-error": 1 });
      expect(s.lastErrors).to.deep.equal([r.error!.message]);
      SECRET_FREE("500", s, logs, r.error!.message);
    });

    it("a 200 with a non-JSON body that echoes the key: retried, reported redacted", async function () {
      const u = await upstream((_calls, req, res) => {
        res.writeHead(200, { "content-type": "text/html" });
        res.end(`<html>Cloudflare says no to ${req.url}</html>`);
      });
      const logs: string[] = [];
      const p = await proxy({ upstreamUrl: u.secretUrl, retries: 2 }, logs);
      const r = await call(p.url, "eth_chainId");
      expect(r.error!.message).to.match(
        /answered with a non-JSON body \(HTTP 200 OK, text\/html: "<html>Cloudflare says no to <redacted><\/html>"\) after 3 attempts/,
      );
      SECRET_FREE("non-JSON", p.stats(), logs, r.error!.message);
    });

    it("a 401 is not retried: the key is wrong, waiting will not help", async function () {
      const u = await upstream((_calls, req, res) => {
        res.writeHead(401, { "content-type": "text/plain" });
        res.end(`invalid API key SECRETKEY123 in ${req.url}`);
      });
      const logs: string[] = [];
      const p = await proxy({ upstreamUrl: u.secretUrl }, logs);
      const r = await call(p.url, "eth_chainId");
      expect(r.error!.message).to.match(
        /refused the request \(HTTP 401 Unauthorized: "invalid API key <redacted> in <redacted>"\) after 1 attempt \(eth_chainId\)/,
      );
      expect(p.stats().upstreamRequests).to.equal(1);
      SECRET_FREE("401", p.stats(), logs, r.error!.message);
    });

    it("dropped connections: a clear error after N attempts", async function () {
      const u = await upstream((_calls, req) => req.socket.destroy());
      const logs: string[] = [];
      const p = await proxy({ upstreamUrl: u.secretUrl, retries: 2 }, logs);
      const r = await call(p.url, "eth_getStorageAt", ["0x0000000000000000000000000000000000000003", "0x0", "0x5"]);
      expect(r.error!.message).to.match(
        /^upstream http:\/\/127\.0\.0\.1:\d+\/… dropped the connection \(ECONNRESET: socket hang up\) after 3 attempts \(eth_getStorageAt\)$/,
      );
      expect(p.stats().upstreamRequests).to.equal(3);
      expect(p.stats().failuresByKind).to.deep.equal({ connection: 1 });
      SECRET_FREE("drop", p.stats(), logs, r.error!.message);
    });

    it("an upstream that never answers: timeouts, then a clear error", async function () {
      const u = await upstream(() => undefined);
      const logs: string[] = [];
      const p = await proxy({ upstreamUrl: u.secretUrl, retries: 1, timeoutMs: 150 }, logs);
      const t0 = Date.now();
      const r = await call(p.url, "eth_getBalance", ["0x0000000000000000000000000000000000000003", "0x5"]);
      expect(Date.now() - t0).to.be.lt(2_000);
      expect(r.error!.message).to.match(
        /^upstream http:\/\/127\.0\.0\.1:\d+\/… did not answer within 150 ms after 2 attempts \(eth_getBalance\)$/,
      );
      expect(p.stats().failuresByKind).to.deep.equal({ timeout: 1 });
      SECRET_FREE("timeout", p.stats(), logs, r.error!.message);
    });

    it("nothing listening: connection refused, redacted; and a proxy that must learn the chain id fails to start, redacted", async function () {
      const u = await upstream(answerAll);
      const url = u.secretUrl;
      await u.close();
      cleanup.pop();
      const logs: string[] = [];
      const p = await proxy({ upstreamUrl: url, retries: 1 }, logs);
      const r = await call(p.url, "eth_chainId");
      expect(r.error!.message).to.match(
        /^upstream http:\/\/127\.0\.0\.1:\d+\/… refused the connection \(connect ECONNREFUSED 127\.0\.0\.1:\d+\) after 2 attempts/,
      );
      SECRET_FREE("refused", p.stats(), logs, r.error!.message);

      let startError = "";
      await startUpstreamProxy({ upstreamUrl: url, forkBlock: 5, cacheDir: tmpDir(), retries: 0 }).catch(
        (e: Error) => (startError = e.message),
      );
      expect(startError).to.match(
        /^fork upstream: cannot start: upstream http:\/\/127\.0\.0\.1:\d+\/… refused the connection .* after 1 attempt \(eth_chainId, learning the chain id that names the fork cache\)$/,
      );
      expectNoSecret(startError);
    });
  });

  describe("batches", function () {
    it("a client batch is answered in order with the client's ids; cached calls are answered locally, the rest in one upstream batch", async function () {
      const u = await upstream(answerAll);
      const dir = tmpDir();
      const p = await proxy({ upstreamUrl: u.secretUrl, forkBlock: 10, chainId: 31337, cacheDir: dir });
      const a = "0x00000000000000000000000000000000000000aa";
      await call(p.url, "eth_getCode", [a, "0x5"]); // now cached
      u.requests.length = 0;
      const batch = [
        { jsonrpc: "2.0", id: "first", method: "eth_getCode", params: [a, "0x5"] },
        { jsonrpc: "2.0", id: 2, method: "eth_getBalance", params: [a, "0x5"] },
        { jsonrpc: "2.0", id: 2, method: "eth_getTransactionCount", params: [a, "latest"] },
        { nonsense: true },
        { jsonrpc: "2.0", id: 9, method: "eth_chainId", params: [] },
      ];
      const r = (await rpc(p.url, batch)) as { id: unknown; result?: unknown; error?: { code: number } }[];
      expect(r.map((x) => x.id)).to.deep.equal(["first", 2, 2, null, 9]);
      expect(r[0].result).to.equal(answer({ id: 0, method: "eth_getCode", params: [a, "0x5"] }).result);
      expect(r[1].result).to.equal(answer({ id: 0, method: "eth_getBalance", params: [a, "0x5"] }).result);
      expect(r[2].result).to.equal(answer({ id: 0, method: "eth_getTransactionCount", params: [a, "latest"] }).result);
      expect(r[3].error!.code).to.equal(-32600);
      expect(r[4].result).to.equal("0x7a69");
      expect(u.requests).to.have.length(1);
      expect(u.requests[0].batch).to.equal(true);
      expect(u.requests[0].calls.map((c) => c.method)).to.deep.equal(["eth_getBalance", "eth_getTransactionCount"]);
      expect(p.stats().clientBatches).to.equal(1);
      expect(p.stats().upstreamBatches).to.equal(2); // the identity at start, then this one
    });

    it("upstream batches are split at maxBatchSize", async function () {
      const u = await upstream(answerAll);
      const p = await proxy({ upstreamUrl: u.secretUrl, maxBatchSize: 2 });
      const batch = [1, 2, 3, 4, 5].map((i) => ({
        jsonrpc: "2.0",
        id: i,
        method: "eth_getBalance",
        params: [`0x${String(i).padStart(40, "0")}`, "latest"],
      }));
      const r = (await rpc(p.url, batch)) as { id: number; result: string }[];
      expect(r.map((x) => x.id)).to.deep.equal([1, 2, 3, 4, 5]);
      expect(u.requests.map((q) => q.calls.length).sort()).to.deep.equal([1, 2, 2]);
    });
  });

  describe("fork cache", function () {
    const a = "0x00000000000000000000000000000000000000aa";
    const mined = `0x${"11".repeat(32)}`;
    const unknownTx = `0x${"22".repeat(32)}`;
    const CACHEABLE: [string, unknown[]][] = [
      ["net_version", []],
      ["eth_getCode", [a, "0x5"]],
      ["eth_getBalance", [a, "0xa"]],
      ["eth_getTransactionCount", [a, { blockNumber: "0x3" }]],
      ["eth_getStorageAt", [a, "0x0", "0x5"]],
      ["eth_getProof", [a, ["0x0"], "0x5"]],
      ["eth_call", [{ to: a, data: "0x70a08231" }, "0x5"]],
      ["eth_getBlockByNumber", ["0x3", false]],
      ["eth_getBlockByHash", [`0x${"33".repeat(32)}`, true]],
      ["eth_getTransactionReceipt", [mined]],
    ];
    const NOT_CACHEABLE: [string, unknown[]][] = [
      ["eth_getBalance", [a, "latest"]],
      ["eth_getBalance", [a, "pending"]],
      ["eth_call", [{ to: a, data: "0x70a08231" }]],
      ["eth_getBalance", [a, "0xb"]], // after the pinned block
      ["eth_getBlockByNumber", ["latest", false]],
      ["eth_getTransactionReceipt", [unknownTx]], // null: not mined (yet)
      ["eth_gasPrice", []],
    ];

    async function ask(p: UpstreamProxy, calls: [string, unknown[]][]) {
      const out: unknown[] = [];
      for (const [m, params] of calls) {
        const r = await call(p.url, m, params);
        expect(r.error, `${m} ${JSON.stringify(params)}`).to.equal(undefined);
        out.push(r.result);
      }
      return out;
    }

    it("a second proxy over the same cache answers every cacheable call with 0 upstream requests; tags are always forwarded", async function () {
      const u = await upstream(answerAll);
      const dir = tmpDir();
      const first = await proxy({ upstreamUrl: u.secretUrl, forkBlock: 10, chainId: 31337, cacheDir: dir });
      const fresh = await ask(first, CACHEABLE);
      expect(first.cachePath).to.equal(path.join(dir, hostFolder(u, 31337, 10)));
      expect(first.stats().cacheWrites).to.equal(CACHEABLE.length);
      // The upstream's identity (chain id, the pinned block's hash) was asked once, at start.
      expect(u.methods()).to.deep.equal([...IDENTITY, ...CACHEABLE.map(([m]) => m)]);
      await ask(first, NOT_CACHEABLE);
      expect(first.stats().cacheWrites).to.equal(CACHEABLE.length);
      await first.close();

      u.requests.length = 0;
      const second = await proxy({ upstreamUrl: u.secretUrl, forkBlock: 10, chainId: 31337, cacheDir: dir });
      expect(await ask(second, CACHEABLE)).to.deep.equal(fresh);
      expect((await call(second.url, "eth_chainId")).result).to.equal("0x7a69");
      expect((await call(second.url, "eth_blockNumber")).result).to.equal("0xa"); // the pinned head
      expect(u.requests).to.have.length(0);
      expect(second.stats().upstreamRequests).to.equal(0);
      expect(second.stats().cacheHits).to.equal(CACHEABLE.length + 1);
      expect(second.stats().pinnedHead).to.equal(1);

      // The identity was final: trusted at start, checked again before the first call the cache cannot answer.
      await ask(second, NOT_CACHEABLE);
      expect(u.methods()).to.deep.equal([...IDENTITY, ...NOT_CACHEABLE.map(([m]) => m)]);
    });

    it("the same requests at another block, or with headAtForkBlock off, are not served from this block's cache", async function () {
      const u = await upstream(answerAll);
      const dir = tmpDir();
      const p10 = await proxy({ upstreamUrl: u.secretUrl, forkBlock: 10, chainId: 31337, cacheDir: dir });
      await ask(p10, [["eth_getCode", [a, "0x5"]]]);
      const p11 = await proxy({
        upstreamUrl: u.secretUrl,
        forkBlock: 11,
        chainId: 31337,
        cacheDir: dir,
        headAtForkBlock: false,
      });
      u.requests.length = 0;
      await ask(p11, [
        ["eth_getCode", [a, "0x5"]],
        ["eth_blockNumber", []],
      ]);
      expect(u.methods()).to.deep.equal(["eth_getCode", "eth_blockNumber"]);
    });

    it("a truncated entry is ignored and refetched; an interrupted write leaves only a temp file, never read", async function () {
      const u = await upstream(answerAll);
      const dir = tmpDir();
      const first = await proxy({ upstreamUrl: u.secretUrl, forkBlock: 10, chainId: 31337, cacheDir: dir });
      const [code] = await ask(first, [["eth_getCode", [a, "0x5"]]]);
      await first.close();
      const [file] = fs.readdirSync(first.cachePath!).filter((f) => f.startsWith("eth_getCode-"));
      const full = path.join(first.cachePath!, file);
      const text = fs.readFileSync(full, "utf8");
      fs.writeFileSync(full, text.slice(0, Math.floor(text.length / 2)));
      fs.writeFileSync(`${full}.12345.tmp`, text.slice(0, 10)); // what a crash between write and rename leaves

      u.requests.length = 0;
      const logs: string[] = [];
      const second = await proxy({ upstreamUrl: u.secretUrl, forkBlock: 10, chainId: 31337, cacheDir: dir }, logs);
      expect(await ask(second, [["eth_getCode", [a, "0x5"]]])).to.deep.equal([code]);
      expect(u.methods()).to.deep.equal([...IDENTITY, "eth_getCode"]);
      expect(second.stats().cacheCorrupt).to.equal(1);
      expect(logs.join("\n")).to.match(
        /fork cache: ignoring eth_getCode-[0-9a-f]+\.json: not valid JSON \(truncated\?\); refetching/,
      );
      expect(fs.readFileSync(full, "utf8")).to.equal(text); // rewritten whole

      // An entry holding another request's answer (copied over it) is not trusted either.
      const [other] = await ask(second, [["eth_getCode", [a, "0x6"]]]);
      expect(other).to.not.equal(code);
      const otherFile = fs
        .readdirSync(first.cachePath!)
        .find((f) => f.startsWith("eth_getCode-") && f.endsWith(".json") && path.join(first.cachePath!, f) !== full)!;
      fs.copyFileSync(path.join(first.cachePath!, otherFile), full);
      const third = await proxy({ upstreamUrl: u.secretUrl, forkBlock: 10, chainId: 31337, cacheDir: dir });
      expect(await ask(third, [["eth_getCode", [a, "0x5"]]])).to.deep.equal([code]);
      expect(third.stats().cacheCorrupt).to.equal(1);
    });

    it("without a configured chain id the proxy asks the upstream for it at start; a wrong configured chain id does not start", async function () {
      const u = await upstream(answerAll);
      const dir = tmpDir();
      const p = await proxy({ upstreamUrl: u.secretUrl, forkBlock: 10, cacheDir: dir });
      expect(p.chainId).to.equal(31337);
      expect(u.methods()).to.deep.equal(["eth_chainId", ...IDENTITY]);

      const err: unknown = await proxy({ upstreamUrl: u.secretUrl, forkBlock: 10, chainId: 1, cacheDir: dir }).then(
        () => expect.fail("started"),
        (e: unknown) => e,
      );
      expect((err as Error).message).to.match(
        /^fork upstream: cannot start: upstream http:\/\/127\.0\.0\.1:\d+\/… is chain 31337, not chain 1 as configured/,
      );
      expect((err as UpstreamFailure).kind).to.equal("wrong-chain");
      expect(fs.readdirSync(dir)).to.deep.equal([hostFolder(u, 31337, 10)]);
    });

    it("another upstream at the same chain id and block has a folder of its own: nothing of the first is served", async function () {
      const u1 = await upstream(answerAll);
      const u2 = await upstream(answerAll);
      const dir = tmpDir();
      const p1 = await proxy({ upstreamUrl: u1.secretUrl, forkBlock: 10, chainId: 31337, cacheDir: dir });
      await ask(p1, [["eth_getCode", [a, "0x5"]]]);
      const p2 = await proxy({ upstreamUrl: u2.secretUrl, forkBlock: 10, chainId: 31337, cacheDir: dir });
      await ask(p2, [["eth_getCode", [a, "0x5"]]]);
      expect(p2.stats().cacheHits).to.equal(0);
      expect(u2.methods()).to.deep.equal([...IDENTITY, "eth_getCode"]);
      expect(fs.readdirSync(dir).sort()).to.deep.equal([hostFolder(u1, 31337, 10), hostFolder(u2, 31337, 10)].sort());
      const identity = fs.readFileSync(path.join(p2.cachePath!, "identity.json"), "utf8");
      expect(JSON.parse(identity)).to.deep.equal({
        v: 1,
        chainId: 31337,
        block: "10",
        blockHash: fakeBlock("0xa").hash,
        upstreamHost: upstreamHostId(new URL(u2.secretUrl)),
        final: true,
      });
      expectNoSecret(identity, ...fs.readdirSync(dir));
      expect(identity).to.not.contain("127.0.0.1");
    });

    /** An upstream whose chain (the hashes of its blocks) is `chain.generation`, final up to `chain.finalized`. */
    function changingUpstream(chain: { generation: number; finalized: string }): Handler {
      const one = (c: RpcCall) =>
        c.method === "eth_getBlockByNumber"
          ? {
              jsonrpc: "2.0",
              id: c.id,
              result: fakeBlock(
                c.params![0] === "finalized" ? chain.finalized : String(c.params![0]),
                chain.generation,
              ),
            }
          : answer(c);
      return (calls, _req, res, batch) => json(res, batch ? calls.map(one) : one(calls[0]));
    }

    it("a block not yet final is checked at every start: the same hash is served, another is discarded and refetched", async function () {
      const chain = { generation: 0, finalized: "0x5" };
      const u = await upstream(changingUpstream(chain));
      const dir = tmpDir();
      const first = await proxy({ upstreamUrl: u.secretUrl, forkBlock: 10, chainId: 31337, cacheDir: dir });
      await ask(first, [["eth_getCode", [a, "0x5"]]]);
      await first.close();

      u.requests.length = 0;
      const same = await proxy({ upstreamUrl: u.secretUrl, forkBlock: 10, chainId: 31337, cacheDir: dir });
      await ask(same, [["eth_getCode", [a, "0x5"]]]);
      expect(u.methods()).to.deep.equal(IDENTITY);
      expect(same.stats().cacheHits).to.equal(1);
      await same.close();

      chain.generation = 1; // the same host now serves another chain at the same id and block number
      u.requests.length = 0;
      const logs: string[] = [];
      const other = await proxy({ upstreamUrl: u.secretUrl, forkBlock: 10, chainId: 31337, cacheDir: dir }, logs);
      await ask(other, [["eth_getCode", [a, "0x5"]]]);
      expect(u.methods()).to.deep.equal([...IDENTITY, "eth_getCode"]);
      expect(other.stats().cacheHits).to.equal(0);
      expect(logs.join("\n")).to.contain(
        `holds answers of block hash ${fakeBlock("0xa").hash}, not this upstream's ${fakeBlock("0xa", 1).hash}: ` +
          "discarding them and fetching afresh",
      );
      expect(fs.readdirSync(other.cachePath!).sort()).to.have.length(2); // identity.json and the one entry
    });

    it("a final block whose hash changed anyway: the first forwarded call is refused, and the cache serves nothing more", async function () {
      const chain = { generation: 0, finalized: FINALIZED };
      const u = await upstream(changingUpstream(chain));
      const dir = tmpDir();
      const first = await proxy({ upstreamUrl: u.secretUrl, forkBlock: 10, chainId: 31337, cacheDir: dir });
      await ask(first, [["eth_getCode", [a, "0x5"]]]);
      await first.close();

      chain.generation = 1;
      u.requests.length = 0;
      const second = await proxy({ upstreamUrl: u.secretUrl, forkBlock: 10, chainId: 31337, cacheDir: dir });
      expect(u.requests).to.have.length(0); // trusted at start: final at this host
      const miss = await call(second.url, "eth_getBalance", [a, "0x5"]);
      expect(miss.error!.code).to.equal(UPSTREAM_FAILURE_CODE);
      expect(miss.error!.message).to.match(
        new RegExp(
          `^upstream http://127\\.0\\.0\\.1:\\d+/… has block 10 with hash ${fakeBlock("0xa", 1).hash}, not ` +
            `${fakeBlock("0xa").hash} as when the fork cache .+ was filled: it serves another chain; refusing to mix the two$`,
        ),
      );
      const cached = await call(second.url, "eth_getCode", [a, "0x5"]);
      expect(cached.error!.code).to.equal(UPSTREAM_FAILURE_CODE);
      expect(u.methods()).to.deep.equal(IDENTITY); // asked once; nothing forwarded, nothing served
      expect(second.stats().cacheHits).to.equal(0);
    });

    it("a pinned block the upstream does not have: the proxy does not start (the engine would abort on it)", async function () {
      const u = await upstream((calls, req, res, batch) => {
        const one = (c: RpcCall) =>
          c.method === "eth_getBlockByNumber"
            ? { jsonrpc: "2.0", id: c.id, result: null }
            : c.method === "eth_blockNumber"
              ? { jsonrpc: "2.0", id: c.id, result: "0x5" }
              : answer(c);
        json(res, batch ? calls.map(one) : one(calls[0]));
      });
      for (const cacheDir of [tmpDir(), false as const]) {
        const err: unknown = await proxy({ upstreamUrl: u.secretUrl, forkBlock: 10, chainId: 31337, cacheDir }).then(
          () => expect.fail("started"),
          (e: unknown) => e,
        );
        expect((err as UpstreamFailure).kind).to.equal("no-block");
        expect((err as Error).message).to.match(
          /^fork upstream: cannot start: upstream http:\/\/127\.0\.0\.1:\d+\/… has no block 10 \(its latest block is 5\)$/,
        );
      }
    });

    it("cacheability rules", function () {
      expect(cacheableRequest("eth_getLogs", [{ fromBlock: "0x1", toBlock: "0xa" }], 10n)).to.equal(true);
      expect(cacheableRequest("eth_getLogs", [{ fromBlock: "0x1", toBlock: "latest" }], 10n)).to.equal(false);
      expect(cacheableRequest("eth_getLogs", [{ blockHash: `0x${"44".repeat(32)}` }], 10n)).to.equal(true);
      expect(cacheableRequest("eth_getStorageAt", [a, "0x0", { blockHash: `0x${"44".repeat(32)}` }], 10n)).to.equal(
        true,
      );
      expect(cacheableRequest("eth_getStorageAt", [a, "0x0", "earliest"], 10n)).to.equal(false);
      expect(cacheableRequest("eth_getBlockByNumber", ["0xb", false], 10n)).to.equal(false);
      expect(cacheableRequest("eth_sendRawTransaction", ["0x00"], 10n)).to.equal(false);
      expect(cacheableRequest("eth_estimateGas", [{ to: a }, "0x5"], 10n)).to.equal(false);
    });
  });
});

describe("fork mode through the proxy: hardhat node (upstream) → proxy → hardhat node --fork", function () {
  this.timeout(60_000);
  const ROOT = path.join(__dirname, "..", "..");
  let upstreamNode: NodeProcess;
  let record: DeploymentRecord;
  let upstreamUrl: string;
  const proxies: UpstreamProxy[] = [];
  const providers: JsonRpcProvider[] = [];

  before(async function () {
    upstreamNode = await startHardhatNode();
    const out = path.join(tmpDir(), "embedded.json");
    const deploy = await runHardhat(["embedded:deploy", "--network", "localhost", "--out", out, "--quiet"], {
      LOOPSTRESS_LOCALHOST_URL: upstreamNode.url,
    });
    expect(deploy.status, deploy.output).to.equal(0);
    record = JSON.parse(fs.readFileSync(out, "utf8")) as DeploymentRecord;
    // The user's URL, with an API key in its path and query: the node ignores both.
    upstreamUrl = `${upstreamNode.url}${SECRET_PATH}`;
  });

  after(async function () {
    for (const p of providers) p.destroy();
    for (const p of proxies) await p.close();
    await stopAllNodes();
    // EDR keeps its own RPC cache per fork URL (cache/hardhat-network-fork/rpc_cache/<host>_<port>): drop ours.
    for (const p of proxies) {
      fs.rmSync(path.join(ROOT, "cache", "hardhat-network-fork", "rpc_cache", `127.0.0.1_${new URL(p.url).port}`), {
        recursive: true,
        force: true,
      });
    }
  });

  function provider(url: string): JsonRpcProvider {
    const p = new JsonRpcProvider(url, 31337, { staticNetwork: true, pollingInterval: 50 });
    providers.push(p);
    return p;
  }

  /** One run: proxy + fork at the deployment's block, then the same reads and writes every run. */
  async function forkRun(cacheDir: string, logs: string[]) {
    const t0 = Date.now();
    const proxy = await startUpstreamProxy({
      upstreamUrl,
      forkBlock: record.block,
      chainId: 31337,
      cacheDir,
      log: (l) => logs.push(l),
    });
    proxies.push(proxy);
    const fork = await startHardhatNode(["--fork", proxy.url, "--fork-block-number", String(record.block)]);
    const f = provider(fork.url);
    // Hardhat 2.29 knows no hardfork history for chain 31337, so it refuses to execute on the fork block itself
    // ("No known hardfork for execution on historical block"); execution on a block mined on the fork works.
    await f.send("hardhat_mine", ["0x1"]);

    const up = provider(upstreamNode.url);
    const at = record.block;
    const poolCode = await f.getCode(record.aave.pool);
    expect(poolCode.length).to.be.greaterThan(2);
    expect(poolCode).to.equal(await up.getCode(record.aave.pool, at));

    const vault = record.tokens.sUSDe!.address;
    const usdeOnFork = StandInERC20__factory.connect(record.tokens.USDe!.address, f);
    const held = await usdeOnFork.balanceOf(vault);
    expect(held).to.be.greaterThan(0n);
    expect(held).to.equal(
      await StandInERC20__factory.connect(record.tokens.USDe!.address, up).balanceOf(vault, { blockTag: at }),
    );

    // State changes on the fork: give the sUSDe vault gas money, impersonate it, move USDe out of it.
    const receiver = "0x000000000000000000000000000000000000bEEF";
    await f.send("hardhat_setBalance", [vault, "0xde0b6b3a7640000"]);
    expect(await f.getBalance(vault)).to.equal(10n ** 18n);
    await f.send("hardhat_impersonateAccount", [vault]);
    const tx = await usdeOnFork.connect(new JsonRpcSigner(f, vault)).transfer(receiver, 12_345n);
    expect((await tx.wait())!.status).to.equal(1);
    expect(await usdeOnFork.balanceOf(receiver)).to.equal(12_345n);
    expect(await usdeOnFork.balanceOf(vault)).to.equal(held - 12_345n);
    const stats = proxy.stats();
    const ms = Date.now() - t0;
    await fork.stop();
    await proxy.close();
    return { stats, ms, output: fork.output() };
  }

  it("forks the embedded deployment through the proxy, then forks again from the cache with no upstream request", async function () {
    const cacheDir = tmpDir();
    const logs: string[] = [];
    const upstreamBefore = await provider(upstreamNode.url).getBlockNumber();

    const first = await forkRun(cacheDir, logs);
    expect(first.stats.upstreamRequests).to.be.greaterThan(0);
    expect(first.stats.cacheWrites).to.be.greaterThan(0);
    expect(first.stats.failures).to.equal(0);
    expect(first.stats.clientBatches).to.equal(0); // EDR sent single calls, no batch (as of Hardhat 2.29.1)
    // What the engine asks for: always state and the pinned block; `net_version` and `eth_blockNumber` only on some
    // runs (the engine's own start-up timing), so those two are allowed, not required.
    const asked = Object.keys(first.stats.upstreamCallsByMethod).sort();
    const required = ["eth_chainId", "eth_getBalance", "eth_getBlockByNumber", "eth_getCode", "eth_getStorageAt"];
    const optional = ["eth_blockNumber", "eth_getTransactionCount", "net_version"];
    expect(asked.filter((m) => !optional.includes(m))).to.deep.equal(required);

    const second = await forkRun(cacheDir, logs);
    expect(second.stats.upstreamRequests).to.equal(0);
    expect(second.stats.cacheHits).to.be.greaterThan(0);
    expect(second.stats.failures).to.equal(0);

    // The upstream's chain did not move: every change happened on the fork.
    expect(await provider(upstreamNode.url).getBlockNumber()).to.equal(upstreamBefore);

    for (const text of [first.output, second.output]) {
      expect(text).to.not.contain("SECRETKEY123");
      expect(text).to.not.contain("key=abc");
      expect(text).to.not.contain("/v2/");
    }
    expectNoSecret(...logs, JSON.stringify(first.stats), JSON.stringify(second.stats));
    if (process.env.LOOPSTRESS_FORK_DEBUG) {
      console.log(
        JSON.stringify(
          { first: { ms: first.ms, ...first.stats }, second: { ms: second.ms, ...second.stats } },
          null,
          1,
        ),
      );
    }
  });

  it("another local node at the same chain id and block: its own cache folder, nothing of the first node's served", async function () {
    const other = await startHardhatNode();
    const cacheDir = tmpDir();
    const ask = async (url: string) => {
      const proxy = await startUpstreamProxy({ upstreamUrl: url, forkBlock: record.block, chainId: 31337, cacheDir });
      proxies.push(proxy);
      const p = provider(proxy.url);
      const code = await p.getCode(record.aave.pool, record.block);
      const stats = proxy.stats();
      await proxy.close();
      return { code, stats, cachePath: proxy.cachePath };
    };
    const first = await ask(upstreamUrl);
    expect(first.code.length).to.be.greaterThan(2);
    const again = await ask(upstreamUrl);
    expect(again.stats.upstreamRequests).to.equal(0);
    expect(again.code).to.equal(first.code);
    // The other node has mined nothing: it has no block record.block, so it is refused at start, whatever is cached.
    const refused: unknown = await ask(`${other.url}${SECRET_PATH}`).then(
      () => expect.fail("served another node's cache"),
      (e: unknown) => e,
    );
    expect((refused as UpstreamFailure).kind).to.equal("no-block");
    await provider(other.url).send("hardhat_mine", [`0x${(record.block + 1).toString(16)}`]);
    const fresh = await ask(`${other.url}${SECRET_PATH}`);
    expect(fresh.cachePath).to.not.equal(first.cachePath);
    expect(fresh.stats.cacheHits).to.equal(0);
    expect(fresh.code).to.equal("0x"); // the other node's chain: no pool there
    await other.stop();
  });

  it("an upstream that fails: the proxy does not start, with a redacted error, before anything forks", async function () {
    const dead = await new FakeUpstream(answerAll).start();
    const deadUrl = dead.secretUrl;
    await dead.close();
    const err: unknown = await startUpstreamProxy({
      upstreamUrl: deadUrl,
      forkBlock: 5,
      chainId: 31337,
      cacheDir: tmpDir(),
      retries: 1,
      baseDelayMs: 1,
    }).then(
      () => expect.fail("the proxy started without an upstream"),
      (e: unknown) => e,
    );
    const output = (err as Error).message;
    expect(output).to.match(
      /^fork upstream: cannot start: upstream http:\/\/127\.0\.0\.1:\d+\/… refused the connection \(connect ECONNREFUSED 127\.0\.0\.1:\d+\) after 2 attempts \(eth_chainId and block 5, checking whom the fork cache asks\)$/,
    );
    expect((err as UpstreamFailure).kind).to.equal("connection");
    expect(output).to.not.contain("SECRETKEY123");
    expect(output).to.not.contain("key=abc");
  });
});

/** `hardhat <args>` in this project, asynchronously (the nodes keep running meanwhile). */
