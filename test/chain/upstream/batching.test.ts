import { expect } from "chai";
import { AnswerDeps, answerCalls, chunk, forwardCalls, sameOutcomeForAll } from "../../../src/chain/upstream/batching";
import { UPSTREAM_FAILURE_CODE, UpstreamFailure, failureOutcome } from "../../../src/chain/upstream/failures";
import type { Call, JsonRpcRequest, Outcome } from "../../../src/chain/upstream/json-rpc";
import { emptyStats } from "../../../src/chain/upstream/stats";

const SHOWN = "https://rpc.example.com/…";
const noRedaction = (text: string) => text;
const failure = (message: string): Outcome =>
  failureOutcome(new UpstreamFailure("timeout", message, 2), SHOWN, noRedaction);

/** Answer deps: eth_chainId is known locally; forwarded calls get `forwarded(call, i)`; everything is recorded. */
function recording(forwarded: (call: Call, index: number) => Outcome) {
  const forwardedBatches: Call[][] = [];
  const kept: [string, unknown][] = [];
  const logs: string[] = [];
  const deps: AnswerDeps = {
    stats: emptyStats(),
    answerLocally: (req: JsonRpcRequest) => (req.method === "eth_chainId" ? { result: "0x1" } : undefined),
    forward: async (calls) => {
      forwardedBatches.push(calls);
      return calls.map(forwarded);
    },
    onResult: (req, result) => kept.push([req.method, result]),
    log: (line) => logs.push(line),
  };
  return { deps, forwardedBatches, kept, logs };
}

describe("upstream batching", function () {
  describe("answerCalls", function () {
    it("answers local calls locally, forwards the rest in one go; answers in the client's order, its ids", async () => {
      const r = recording((call) => ({ result: `${call.method}:${JSON.stringify(call.params)}` }));
      const reqs = [
        { jsonrpc: "2.0", id: "a", method: "eth_getBalance", params: ["0x1", "0x5"] },
        { jsonrpc: "2.0", id: 7, method: "eth_chainId", params: [] },
        "not an object",
        { jsonrpc: "2.0", id: 9, params: [] },
        { jsonrpc: "2.0", id: { odd: true }, method: 5 },
        { jsonrpc: "2.0", method: "eth_getCode", params: ["0x2", "0x5"] },
        { jsonrpc: "2.0", id: 7, method: "eth_gasPrice" },
      ];
      expect(await answerCalls(reqs, r.deps)).to.deep.equal([
        { jsonrpc: "2.0", id: "a", result: 'eth_getBalance:["0x1","0x5"]' },
        { jsonrpc: "2.0", id: 7, result: "0x1" },
        { jsonrpc: "2.0", id: null, error: { code: -32600, message: "Invalid Request" } },
        { jsonrpc: "2.0", id: 9, error: { code: -32600, message: "Invalid Request" } },
        { jsonrpc: "2.0", id: null, error: { code: -32600, message: "Invalid Request" } },
        { jsonrpc: "2.0", id: null, result: 'eth_getCode:["0x2","0x5"]' },
        { jsonrpc: "2.0", id: 7, result: "eth_gasPrice:undefined" },
      ]);
      expect(r.forwardedBatches).to.deep.equal([
        [
          { method: "eth_getBalance", params: ["0x1", "0x5"] },
          { method: "eth_getCode", params: ["0x2", "0x5"] },
          { method: "eth_gasPrice", params: undefined },
        ],
      ]);
      expect(r.kept).to.deep.equal([
        ["eth_getBalance", 'eth_getBalance:["0x1","0x5"]'],
        ["eth_getCode", 'eth_getCode:["0x2","0x5"]'],
        ["eth_gasPrice", "eth_gasPrice:undefined"],
      ]);
      expect(r.deps.stats.clientCalls).to.equal(7);
    });

    it("forwards nothing when every call is answered locally", async function () {
      const r = recording(() => expect.fail("nothing should be forwarded"));
      const answers = await answerCalls([{ id: 1, method: "eth_chainId" }], r.deps);
      expect(answers).to.deep.equal([{ jsonrpc: "2.0", id: 1, result: "0x1" }]);
      expect(r.forwardedBatches).to.deep.equal([]);
    });

    it("one failure shared by several calls is counted for each and logged once; errors are not kept", async () => {
      const chunkFailure = failure("upstream https://rpc.example.com/… did not answer within 5 ms after 2 attempts");
      const revert: Outcome = { error: { code: 3, message: "execution reverted" } };
      const r = recording((call) => (call.method === "eth_call" ? revert : chunkFailure));
      const methods = ["eth_getCode", "eth_call", "eth_getBalance", "eth_getStorageAt"];
      const reqs = methods.map((method, id) => ({ id, method }));
      const answers = await answerCalls(reqs, r.deps);
      const FAILED = UPSTREAM_FAILURE_CODE;
      expect(answers.map((a) => a.error?.code)).to.deep.equal([FAILED, 3, FAILED, FAILED]);
      expect(r.deps.stats.failures).to.equal(3);
      expect(r.deps.stats.failuresByKind).to.deep.equal({ timeout: 3 });
      expect(r.deps.stats.lastErrors).to.deep.equal([
        "upstream https://rpc.example.com/… did not answer within 5 ms after 2 attempts",
      ]);
      expect(r.logs).to.deep.equal([
        "fork upstream: upstream https://rpc.example.com/… did not answer within 5 ms after 2 attempts",
      ]);
      expect(r.kept).to.deep.equal([]);
    });

    it("two distinct failures are counted and logged separately", async function () {
      const first = failure("first");
      const second = failure("second");
      const r = recording((_call, i) => (i < 2 ? first : second));
      await answerCalls(
        [1, 2, 3].map((id) => ({ id, method: "eth_getCode" })),
        r.deps,
      );
      expect(r.deps.stats.failures).to.equal(3);
      expect(r.deps.stats.lastErrors).to.deep.equal(["first", "second"]);
      expect(r.logs).to.deep.equal(["fork upstream: first", "fork upstream: second"]);
    });
  });

  describe("forwardCalls", function () {
    const calls: Call[] = [1, 2, 3, 4, 5].map((i) => ({ method: `m${i}` }));

    it("sends chunks of maxBatchSize, all at once, and returns the outcomes in order", async function () {
      const started: string[][] = [];
      let release!: () => void;
      const released = new Promise<void>((resolve) => (release = resolve));
      const pending = forwardCalls(calls, {
        maxBatchSize: 2,
        ready: async () => undefined,
        send: async (c) => {
          started.push(c.map((x) => x.method));
          await released;
          return c.map((x) => ({ result: x.method }));
        },
        toFailure: () => expect.fail("no failure expected"),
      });
      await new Promise((resolve) => setImmediate(resolve));
      expect(started).to.deep.equal([["m1", "m2"], ["m3", "m4"], ["m5"]]); // every chunk sent before any answer
      release();
      expect(await pending).to.deep.equal(calls.map((c) => ({ result: c.method })));
    });

    it("a chunk the upstream could not answer gets one failure outcome for each of its calls", async function () {
      const outcomes = await forwardCalls(calls, {
        maxBatchSize: 2,
        ready: async () => undefined,
        send: async (c) => {
          if (c[0].method === "m3") throw new UpstreamFailure("http-error", "failed (HTTP 500)", 6);
          return c.map((x) => ({ result: x.method }));
        },
        toFailure: (err) => failureOutcome(err, SHOWN, noRedaction),
      });
      const failed = failureOutcome(new UpstreamFailure("http-error", "failed (HTTP 500)", 6), SHOWN, noRedaction);
      expect(outcomes).to.deep.equal([{ result: "m1" }, { result: "m2" }, failed, failed, { result: "m5" }]);
      expect(outcomes[2]).to.equal(outcomes[3]); // the same object: counted once per chunk by answerCalls
    });

    it("when not ready (a wrong chain), nothing is sent and every call gets the failure", async function () {
      const wrongChain = new UpstreamFailure("wrong-chain", "is chain 1, not chain 2", 1);
      const outcomes = await forwardCalls(calls, {
        maxBatchSize: 2,
        ready: async () => {
          throw wrongChain;
        },
        send: () => expect.fail("nothing should be sent"),
        toFailure: (err) => failureOutcome(err, SHOWN, noRedaction),
      });
      expect(outcomes).to.have.length(5);
      expect(new Set(outcomes).size).to.equal(1);
      expect(outcomes[0]).to.deep.equal({
        error: {
          code: UPSTREAM_FAILURE_CODE,
          message: "is chain 1, not chain 2",
          data: { kind: "wrong-chain", attempts: 1, upstream: SHOWN },
        },
      });
    });
  });

  it("chunk: consecutive pieces of at most the size (at least 1)", function () {
    expect(chunk([1, 2, 3, 4, 5], 2)).to.deep.equal([[1, 2], [3, 4], [5]]);
    expect(chunk([1, 2, 3], 100)).to.deep.equal([[1, 2, 3]]);
    expect(chunk([1, 2], 0)).to.deep.equal([[1], [2]]);
    expect(chunk([], 3)).to.deep.equal([]);
  });

  it("sameOutcomeForAll: one shared outcome object per call", function () {
    const o: Outcome = { result: "0x1" };
    const all = sameOutcomeForAll([{ method: "a" }, { method: "b" }], o);
    expect(all).to.have.length(2);
    expect(all[0]).to.equal(o);
    expect(all[1]).to.equal(o);
  });
});
