import { expect } from "chai";
import { cacheReads } from "../../src/chain/read-cache";

/**
 * A stand-in node: counts what reaches it; `eth_call` answers the state's version and its params, a write bumps the
 * version, `eth_call` with params ["fail"] fails, a receipt is null until `receiptReady` is set.
 */
function fakeNode() {
  const node = {
    version: 0,
    reached: [] as string[],
    receiptReady: false,
    // A read can be held open to start a write while it is in flight.
    hold: null as Promise<void> | null,
    async answer(method: string, params: unknown): Promise<unknown> {
      node.reached.push(method);
      if (method === "eth_call" && node.hold) await node.hold;
      if (method === "eth_call" && JSON.stringify(params) === '["fail"]') throw new Error("execution reverted");
      if (method === "eth_call" || method === "eth_getCode") return `v${node.version}:${JSON.stringify(params)}`;
      if (method === "eth_getTransactionReceipt") return node.receiptReady ? { status: "0x1" } : null;
      if (method === "eth_blockNumber") return `0x${node.version.toString(16)}`;
      if (method === "eth_getBlockByNumber") return { number: `0x${node.version.toString(16)}`, tag: params };
      if (method === "eth_getBalance") return "0x0";
      node.version += 1;
      return null;
    },
    request(args: { method: string; params?: unknown[] | object }): Promise<unknown> {
      return node.answer(args.method, args.params ?? []);
    },
    send(method: string, params?: unknown[]): Promise<unknown> {
      return node.answer(method, params ?? []);
    },
  };
  return node;
}

const count = (reached: string[], method: string): number => reached.filter((m) => m === method).length;

describe("reads answered once between writes", function () {
  it("answers a repeated read from memory, through request and send alike, until a write", async function () {
    const node = fakeNode();
    const cache = cacheReads(node);
    expect(await node.request({ method: "eth_call", params: ["a"] })).to.equal('v0:["a"]');
    expect(await node.send("eth_call", ["a"])).to.equal('v0:["a"]');
    expect(await node.request({ method: "eth_call", params: ["b"] })).to.equal('v0:["b"]');
    // Reads that are not kept (a balance) do not forget the calls.
    await node.send("eth_getBalance", ["0x01", "latest"]);
    expect(await node.send("eth_call", ["a"])).to.equal('v0:["a"]');
    expect(count(node.reached, "eth_call")).to.equal(2);
    expect(cache.stats()).to.deep.equal({ hits: 2, misses: 2 });

    await node.send("evm_mine", []);
    expect(await node.send("eth_call", ["a"])).to.equal('v1:["a"]');
    expect(count(node.reached, "eth_call")).to.equal(3);
    expect(cache.stats()).to.deep.equal({ hits: 2, misses: 3 });
    cache.restore();
  });

  it("keeps the block number and the latest block until a write, never the pending block", async function () {
    const node = fakeNode();
    const cache = cacheReads(node);
    for (let i = 0; i < 2; i += 1) {
      expect(await node.send("eth_blockNumber", [])).to.equal("0x0");
      expect(await node.send("eth_getBlockByNumber", ["latest", false])).to.deep.equal({
        number: "0x0",
        tag: ["latest", false],
      });
      await node.send("eth_getBlockByNumber", ["pending", false]);
    }
    expect(count(node.reached, "eth_blockNumber")).to.equal(1);
    expect(count(node.reached, "eth_getBlockByNumber")).to.equal(3);
    await node.send("evm_mine", []);
    expect(await node.send("eth_blockNumber", [])).to.equal("0x1");
    expect(await node.send("eth_getBlockByNumber", ["latest", false])).to.deep.equal({
      number: "0x1",
      tag: ["latest", false],
    });
    expect(count(node.reached, "eth_blockNumber")).to.equal(2);
    cache.restore();
  });

  it("takes any method it does not know as a write", async function () {
    const node = fakeNode();
    const cache = cacheReads(node);
    await node.send("eth_getCode", ["0x01", "latest"]);
    await node.send("hardhat_setCode", ["0x01", "0x00"]);
    expect(await node.send("eth_getCode", ["0x01", "latest"])).to.equal('v1:["0x01","latest"]');
    expect(count(node.reached, "eth_getCode")).to.equal(2);
    cache.restore();
  });

  it("does not keep a failed read: the node is asked again and fails again", async function () {
    const node = fakeNode();
    const cache = cacheReads(node);
    for (let i = 0; i < 2; i += 1) {
      const error = await node.send("eth_call", ["fail"]).then(
        () => null,
        (e: unknown) => e,
      );
      expect((error as Error).message).to.equal("execution reverted");
    }
    expect(count(node.reached, "eth_call")).to.equal(2);
    expect(cache.stats()).to.deep.equal({ hits: 0, misses: 2 });
    cache.restore();
  });

  it("does not keep a read that was in flight while a write began", async function () {
    const node = fakeNode();
    const cache = cacheReads(node);
    let release = (): void => undefined;
    node.hold = new Promise<void>((resolve) => (release = resolve));
    const read = node.send("eth_call", ["a"]);
    const write = node.send("evm_mine", []);
    node.hold = null;
    release();
    await Promise.all([read, write]);
    expect(await node.send("eth_call", ["a"])).to.equal('v1:["a"]');
    expect(count(node.reached, "eth_call")).to.equal(2);
    cache.restore();
  });

  it("forgets everything when a receipt is found, not when it is still null", async function () {
    const node = fakeNode();
    const cache = cacheReads(node);
    await node.send("eth_call", ["a"]);
    await node.send("eth_getTransactionReceipt", ["0xabc"]);
    await node.send("eth_call", ["a"]);
    expect(count(node.reached, "eth_call")).to.equal(1);
    node.receiptReady = true;
    await node.send("eth_getTransactionReceipt", ["0xabc"]);
    await node.send("eth_call", ["a"]);
    expect(count(node.reached, "eth_call")).to.equal(2);
    cache.restore();
  });

  it("is installed once per endpoint, and restore puts the provider's own functions back", async function () {
    const node = fakeNode();
    const { request, send } = node;
    const cache = cacheReads(node);
    expect(cacheReads(node)).to.equal(cache);
    expect(node.send).to.not.equal(send);
    cache.restore();
    expect(node.request).to.equal(request);
    expect(node.send).to.equal(send);
    await node.send("eth_call", ["a"]);
    await node.send("eth_call", ["a"]);
    expect(count(node.reached, "eth_call")).to.equal(2);
    expect(cacheReads(node)).to.not.equal(cache);
  });
});
