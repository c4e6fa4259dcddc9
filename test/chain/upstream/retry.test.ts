import { expect } from "chai";
import { AttemptResult, FailureKind, UpstreamFailure, attemptFailed } from "../../../src/chain/upstream/failures";
import type { Call, EncodedCalls, Outcome } from "../../../src/chain/upstream/json-rpc";
import {
  DEFAULT_RETRY_POLICY,
  RetryDeps,
  RetryPolicy,
  Sleeper,
  backoffDelayMs,
  isRateLimitError,
  isRetried,
  sendWithRetries,
} from "../../../src/chain/upstream/retry";
import { emptyStats } from "../../../src/chain/upstream/stats";

const SHOWN = "https://rpc.example.com/…";
const POLICY: RetryPolicy = { retries: 3, baseDelayMs: 100, maxDelayMs: 1_000 };

/** Retry deps whose attempts play `script` in order, whose sleeps only record, and whose randomness is fixed. */
function scripted(script: AttemptResult[], random = 0.5, policy = POLICY) {
  const sent: EncodedCalls[] = [];
  const slept: number[] = [];
  const logs: string[] = [];
  let closed = false;
  const deps: RetryDeps = {
    policy,
    stats: emptyStats(),
    shown: SHOWN,
    attempt: async (calls) => {
      sent.push(calls);
      const next = script.shift();
      if (next === undefined) throw new Error("the script ran out of attempts");
      return next;
    },
    sleep: async (ms) => {
      slept.push(ms);
    },
    random: () => random,
    isClosed: () => closed,
    log: (line) => logs.push(line),
    redact: (text) => text.replace("SECRET", "<redacted>"),
  };
  return { deps, sent, slept, logs, close: () => (closed = true) };
}

const ok = (body: unknown): AttemptResult => ({ ok: true, body });
const CHAIN_ID: Call[] = [{ method: "eth_chainId", params: [] }];

async function rejection(p: Promise<unknown>): Promise<UpstreamFailure> {
  const err: unknown = await p.then(
    () => expect.fail("resolved"),
    (e: unknown) => e,
  );
  expect(err).to.be.an.instanceOf(UpstreamFailure);
  return err as UpstreamFailure;
}

describe("upstream retry policy", function () {
  it("the defaults: 5 retries, 200 ms doubling, 30 s cap", function () {
    expect(DEFAULT_RETRY_POLICY).to.deep.equal({ retries: 5, baseDelayMs: 200, maxDelayMs: 30_000 });
  });

  it("backoffDelayMs: doubling from baseDelayMs, jittered to 50–100%, capped, whole ms", function () {
    expect(backoffDelayMs(POLICY, 1, undefined, () => 0)).to.equal(50);
    expect(backoffDelayMs(POLICY, 1, undefined, () => 0.5)).to.equal(75);
    expect(backoffDelayMs(POLICY, 1, undefined, () => 0.999)).to.equal(100);
    expect(backoffDelayMs(POLICY, 2, undefined, () => 0.5)).to.equal(150);
    expect(backoffDelayMs(POLICY, 3, undefined, () => 0.5)).to.equal(300);
    expect(backoffDelayMs(POLICY, 4, undefined, () => 0.5)).to.equal(600);
    // 100 * 2^4 = 1600 is capped at 1000 before the jitter.
    expect(backoffDelayMs(POLICY, 5, undefined, () => 0)).to.equal(500);
    const tiny: RetryPolicy = { retries: 1, baseDelayMs: 3, maxDelayMs: 100 };
    expect(backoffDelayMs(tiny, 1, undefined, () => 0.5)).to.equal(2); // 2.25 ms, rounded
  });

  it("backoffDelayMs: at least Retry-After, never more than maxDelayMs", function () {
    expect(backoffDelayMs(POLICY, 1, 400, () => 0.5)).to.equal(400);
    expect(backoffDelayMs(POLICY, 1, 10, () => 0.5)).to.equal(75);
    expect(backoffDelayMs(POLICY, 1, 60_000, () => 0.5)).to.equal(1_000);
    expect(backoffDelayMs(POLICY, 1, 0, () => 0)).to.equal(50);
  });

  it("isRetried: everything but a refused request", function () {
    const kinds: FailureKind[] = ["rate-limited", "http-error", "rejected", "timeout", "connection", "bad-response"];
    expect(kinds.filter(isRetried)).to.deep.equal([
      "rate-limited",
      "http-error",
      "timeout",
      "connection",
      "bad-response",
    ]);
  });

  it("isRateLimitError: code 429 or a rate-limit message, never a revert", function () {
    expect(isRateLimitError({ code: 429, message: "slow down" })).to.equal(true);
    expect(isRateLimitError({ code: -32005, message: "Rate limit exceeded" })).to.equal(true);
    expect(isRateLimitError({ code: -32005, message: "ratelimit" })).to.equal(true);
    expect(isRateLimitError({ code: -32000, message: "Too Many Requests" })).to.equal(true);
    expect(isRateLimitError({ code: 3, message: "execution reverted: rate limit" })).to.equal(false);
    expect(isRateLimitError({ code: -32000, message: "execution reverted: too many requests" })).to.equal(false);
    expect(isRateLimitError({ code: 429, message: "reverted" })).to.equal(false);
    expect(isRateLimitError({ code: -32602, message: "invalid params" })).to.equal(false);
  });

  describe("sendWithRetries", function () {
    it("retries transient failures with the policy's delays and Retry-After, then returns the answers", async () => {
      const t = scripted([
        attemptFailed("http-error", "failed (HTTP 502 Bad Gateway)"),
        attemptFailed("rate-limited", "rate-limited (HTTP 429)", 700),
        attemptFailed("timeout", "did not answer within 20000 ms"),
        ok({ jsonrpc: "2.0", id: 1, result: "0x1" }),
      ]);
      expect(await sendWithRetries(CHAIN_ID, undefined, t.deps)).to.deep.equal([{ result: "0x1" }]);
      expect(t.slept).to.deep.equal([75, 700, 300]);
      expect(t.logs).to.deep.equal([
        `fork upstream: eth_chainId: upstream ${SHOWN} failed (HTTP 502 Bad Gateway) (attempt 1 of 4); ` +
          "retrying in 75 ms",
        `fork upstream: eth_chainId: upstream ${SHOWN} rate-limited (HTTP 429) (attempt 2 of 4); ` +
          "retrying in 700 ms",
        `fork upstream: eth_chainId: upstream ${SHOWN} did not answer within 20000 ms (attempt 3 of 4); ` +
          "retrying in 300 ms",
      ]);
      expect(t.sent).to.have.length(4);
      expect(t.sent[0].payload).to.equal('{"jsonrpc":"2.0","id":1,"method":"eth_chainId","params":[]}');
      expect(t.deps.stats).to.deep.include({ upstreamRequests: 4, upstreamBatches: 0, retries: 3 });
      expect(t.deps.stats.upstreamCallsByMethod).to.deep.equal({ eth_chainId: 4 });
    });

    it("gives up after 1 + retries attempts with the last failure, named by the label", async function () {
      const t = scripted([1, 2, 3, 4].map(() => attemptFailed("connection", "refused the connection")));
      const err = await rejection(sendWithRetries(CHAIN_ID, "eth_chainId, at start", t.deps));
      expect(err.kind).to.equal("connection");
      expect(err.attempts).to.equal(4);
      expect(err.message).to.equal(`upstream ${SHOWN} refused the connection after 4 attempts (eth_chainId, at start)`);
      expect(t.slept).to.deep.equal([75, 150, 300]);
      expect(t.deps.stats.retries).to.equal(3);
    });

    it("a refused request is not retried", async function () {
      const t = scripted([attemptFailed("rejected", 'refused the request (HTTP 401 Unauthorized: "bad key")')]);
      const err = await rejection(sendWithRetries(CHAIN_ID, undefined, t.deps));
      expect(err.kind).to.equal("rejected");
      expect(err.message).to.equal(
        `upstream ${SHOWN} refused the request (HTTP 401 Unauthorized: "bad key") after 1 attempt (eth_chainId)`,
      );
      expect(t.slept).to.deep.equal([]);
      expect(t.logs).to.deep.equal([]);
    });

    it("retries: 0 means one attempt", async function () {
      const t = scripted([attemptFailed("timeout", "did not answer within 5 ms")], 0.5, { ...POLICY, retries: 0 });
      expect((await rejection(sendWithRetries(CHAIN_ID, undefined, t.deps))).attempts).to.equal(1);
      expect(t.sent).to.have.length(1);
    });

    it("a batch: one request; answers in the calls' order whatever the upstream's, errors redacted", async () => {
      const calls: Call[] = [
        { method: "eth_getBalance", params: ["0x01", "0x5"] },
        { method: "eth_call", params: [{ to: "0x02" }, "0x5"] },
        { method: "eth_getBalance", params: ["0x03", "0x5"] },
      ];
      const t = scripted([
        ok([
          { jsonrpc: "2.0", id: 3, result: "0x3" },
          { jsonrpc: "2.0", id: 2, error: { code: 3, message: "reverted at SECRET", data: "SECRET" } },
          { jsonrpc: "2.0", id: 1, result: "0x1" },
        ]),
      ]);
      const expected: Outcome[] = [
        { result: "0x1" },
        { error: { code: 3, message: "reverted at <redacted>", data: "<redacted>" } },
        { result: "0x3" },
      ];
      expect(await sendWithRetries(calls, undefined, t.deps)).to.deep.equal(expected);
      expect(JSON.parse(t.sent[0].payload)).to.have.length(3);
      expect(t.deps.stats).to.deep.include({ upstreamRequests: 1, upstreamBatches: 1, retries: 0 });
      expect(t.deps.stats.upstreamCallsByMethod).to.deep.equal({ eth_getBalance: 2, eth_call: 1 });
    });

    it("a batch's failure names the batch by its size", async function () {
      const t = scripted([attemptFailed("rejected", 'refused the request (HTTP 413: "too big")')]);
      const calls: Call[] = [{ method: "eth_chainId" }, { method: "net_version" }];
      const err = await rejection(sendWithRetries(calls, undefined, t.deps));
      expect(err.message).to.equal(
        `upstream ${SHOWN} refused the request (HTTP 413: "too big") after 1 attempt (batch of 2 calls)`,
      );
    });

    it("a closed proxy makes no further attempt", async function () {
      const t = scripted([attemptFailed("http-error", "failed (HTTP 500)")]);
      t.deps.sleep = async () => {
        t.close();
      };
      const err = await rejection(sendWithRetries(CHAIN_ID, undefined, t.deps));
      expect(err.kind).to.equal("closed");
      expect(err.attempts).to.equal(1);
      expect(err.message).to.equal(`upstream ${SHOWN}: the proxy was closed`);
      expect(t.sent).to.have.length(1);
    });
  });

  it("Sleeper: wakeAll ends every pending sleep at once", async function () {
    const sleeper = new Sleeper();
    const t0 = Date.now();
    const sleeps = [sleeper.sleep(60_000), sleeper.sleep(60_000)];
    sleeper.wakeAll();
    await Promise.all(sleeps);
    expect(Date.now() - t0).to.be.lessThan(1_000);
    await sleeper.sleep(1); // a short sleep still ends by itself
  });
});
