/**
 * anvil started from the installed package: the same chain as Hardhat's in-process network (accounts, clock, gas
 * limits, EVM rules), the cheats the library uses, and the process gone after close().
 */
import { expect } from "chai";
import hre from "hardhat";
import { JsonRpcProvider, Network } from "ethers";
import { anvilBinary, startAnvil } from "../../src/chain/anvil";
import { revertTo, setEthBalance, snapshot } from "../../src/chain/cheats";
import { advance, latestBlock, scheduleNextBlock, spaceBlocksByNode } from "../../src/chain/clock";
import { DEV_CHAIN_ID, HISTORY_STORAGE_ADDRESS } from "../../src/chain/dev-node";
import { rpc } from "../../src/chain/rpc";
import { assertLocalDevNode } from "../../src/chain/safety";
import { DevNodeProvider, openAnvilChain } from "../../src/session/backend";
import { loopbackHttp } from "../../src/chain/loopback-http";
import http from "http";
import type { AddressInfo } from "net";
import { sendTx } from "../../src/chain/tx";
import type { RpcProvider } from "../../src/chain/rpc";
import { SettableAggregator__factory } from "../../typechain-types";
import type { Signer } from "ethers";

/** A feed owned by `owner`, then setAnswer sent by `other` through sendTx: the error the harness reports. */
async function notOwnerRevert(provider: RpcProvider, owner: Signer, other: Signer): Promise<string> {
  const feed = await new SettableAggregator__factory(owner).deploy(8, "test", 100_000_000n, await owner.getAddress());
  await feed.waitForDeployment();
  const byOther = feed.connect(other);
  return sendTx(provider, "set the answer", () => byOther.setAnswer(1n)).then(
    () => "sent",
    (err: Error) => err.message,
  );
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

/** A DevNodeProvider that reaches `nodeUrl` through a proxy handing each request's body to `seen` first. */
async function recordedProvider(nodeUrl: string, seen: (body: string) => void) {
  const forwarded = loopbackHttp(nodeUrl);
  const proxy = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const body = Buffer.concat(chunks).toString("utf8");
      seen(body);
      void forwarded.post(body).then((answer) => res.end(JSON.stringify(answer)));
    });
  });
  await new Promise<void>((r) => proxy.listen(0, "127.0.0.1", r));
  const provider = new DevNodeProvider(`http://127.0.0.1:${(proxy.address() as AddressInfo).port}`);
  const close = async (): Promise<void> => {
    provider.destroy();
    forwarded.close();
    await new Promise<void>((r) => proxy.close(() => r()));
  };
  return { provider, close };
}

describe("anvil", function () {
  it("is resolved from the platform package installed with @foundry-rs/anvil", function () {
    expect(anvilBinary()).to.match(
      /@foundry-rs[/\\]anvil-(linux|darwin|win32)-(amd64|arm64)[/\\]bin[/\\]anvil(\.exe)?$/,
    );
  });

  it("runs the chain of the Hardhat network: chain id, genesis time, accounts and their ether, gas limit, hardfork", async function () {
    const chain = await openAnvilChain();
    try {
      const hardhatSigners = await hre.ethers.getSigners();
      expect(chain.signers.map((s) => s.address)).to.deep.equal(hardhatSigners.map((s) => s.address));
      const genesis = await chain.provider.getBlock(0);
      expect(genesis?.timestamp).to.equal(Date.parse("2025-10-10T00:00:00Z") / 1000);
      expect(genesis?.gasLimit).to.equal(60_000_000n);
      expect((await chain.provider.getNetwork()).chainId).to.equal(31337n);
      expect(await rpc(chain.provider, "eth_chainId", [])).to.equal("0x7a69");
      expect(await chain.provider.getBalance(chain.signers[19].address)).to.equal(10n ** 24n);
      const info = await rpc<{ hardFork: string }>(chain.provider, "anvil_nodeInfo", []);
      expect(info.hardFork).to.equal("Osaka");
    } finally {
      await chain.close();
    }
  });

  it("serves the cheats: clock, balance, snapshots used up by a revert (as on Hardhat), the local-node check", async function () {
    const chain = await openAnvilChain();
    try {
      const p = chain.provider;
      expect(await assertLocalDevNode(p)).to.be.oneOf(["hardhat", "anvil"]);
      const head = await latestBlock(p);
      await scheduleNextBlock(p);
      await rpc(p, "evm_mine", []);
      expect((await latestBlock(p)).timestamp).to.equal(head.timestamp + 12n);
      const someone = "0x000000000000000000000000000000000000bEEF";
      const first = await snapshot(p);
      await setEthBalance(p, someone, 7n);
      const second = await snapshot(p);
      await setEthBalance(p, someone, 9n);
      await revertTo(p, first);
      expect(await p.getBalance(someone)).to.equal(0n);
      // Reverting used up the snapshot and every later one, as on Hardhat: both fail the same way.
      for (const id of [first, second])
        await revertTo(p, id).then(
          () => expect.fail(`snapshot ${id} was reused`),
          (err: Error) => expect(err.message).to.equal(`evm_revert(${id}) failed: snapshot unknown or already used`),
        );
    } finally {
      await chain.close();
    }
  });

  it("advances many blocks to the exact second, as Hardhat does, however late its own clock stamps the empty blocks", async function () {
    const chain = await openAnvilChain();
    // Undone after, so that the shared chain's fixtures start at their recorded block and time whatever runs first (a
    // fixture made after these 5 hours would accrue other interest: backends.test.ts's figures).
    const before = await snapshot(hre.ethers.provider);
    try {
      // 1,500 empty blocks take anvil over a second to mine: its own clock then stamps them seconds late.
      for (const p of [chain.provider, hre.ethers.provider]) {
        const start = await latestBlock(p);
        await advance(p, 1500, 18_005);
        const end = await latestBlock(p);
        expect([end.number - start.number, end.timestamp - start.timestamp]).to.deep.equal([1500n, 18_005n]);
      }
    } finally {
      await revertTo(hre.ethers.provider, before);
      await chain.close();
    }
  });

  it("stamps its blocks 12 s apart by itself: the timestamps of a node whose every block is pinned, reverts and advances included", async function () {
    /** Transactions, a snapshot reverted, an advance: each block's number and time. */
    const walk = async (provider: RpcProvider, owner: Signer): Promise<string[]> => {
      await scheduleNextBlock(provider);
      const feed = await new SettableAggregator__factory(owner).deploy(8, "t", 1n, await owner.getAddress());
      await feed.waitForDeployment();
      const blocks: string[] = [];
      const mark = async (): Promise<void> => {
        const b = await latestBlock(provider);
        blocks.push(`${b.number}@${b.timestamp}`);
      };
      const set = async (answer: bigint): Promise<void> => {
        await sendTx(provider, "set", () => feed.setAnswer(answer));
        await mark();
      };
      await set(2n);
      const id = await snapshot(provider);
      await set(3n);
      await set(4n);
      await revertTo(provider, id);
      await mark();
      await set(5n);
      await advance(provider, 40, 1_000);
      await mark();
      await set(6n);
      return blocks;
    };
    const spaced = await openAnvilChain();
    const node = await startAnvil();
    const pinned = new DevNodeProvider(node.url);
    try {
      const seen = await walk(spaced.provider, spaced.signers[0]!);
      expect(seen).to.deep.equal(await walk(pinned, await pinned.getSigner(0)));
      const genesis = BigInt(Date.parse("2025-10-10T00:00:00Z") / 1000);
      // The deployment is block 1; the revert goes back to block 2.
      expect(seen).to.deep.equal(
        [
          [2, 24],
          [3, 36],
          [4, 48],
          [2, 24],
          [3, 36],
          [43, 1036],
          [44, 1048],
        ].map(([n, t]) => `${n}@${genesis + BigInt(t!)}`),
      );
    } finally {
      pinned.destroy();
      await node.close();
      await spaced.close();
    }
  });

  it("keeps no block-hash history (EIP-2935), as Hardhat's network does: no slot written per block", async function () {
    const chain = await openAnvilChain();
    const node = await startAnvil();
    const plain = new DevNodeProvider(node.url);
    const before = await snapshot(hre.ethers.provider);
    try {
      /** After 16 blocks: what the history holds for the parent of the latest, and that parent's hash. */
      const history = async (p: RpcProvider): Promise<[string, string | undefined]> => {
        await rpc(p, "hardhat_mine", ["0x10"]);
        const parent = (await latestBlock(p)).number - 1n;
        const slot = `0x${parent.toString(16)}`;
        const kept = await rpc<string>(p, "eth_getStorageAt", [HISTORY_STORAGE_ADDRESS, slot, "latest"]);
        return [kept, (await p.getBlock(parent))?.hash ?? undefined];
      };
      expect(await chain.provider.getCode(HISTORY_STORAGE_ADDRESS)).to.equal("0x");
      expect(BigInt((await history(chain.provider))[0])).to.equal(0n);
      expect(BigInt((await history(hre.ethers.provider))[0])).to.equal(0n);
      // A plain anvil writes the parent's hash there at every block: what the harness's anvil is spared.
      const [kept, parentHash] = await history(plain);
      expect(kept).to.equal(parentHash);
    } finally {
      await revertTo(hre.ethers.provider, before);
      plain.destroy();
      await node.close();
      await chain.close();
    }
  });

  it("reads a transaction's new state at once through the session's read cache", async function () {
    const chain = await openAnvilChain();
    try {
      const [owner] = chain.signers;
      const feed = await new SettableAggregator__factory(owner).deploy(
        8,
        "test",
        100_000_000n,
        await owner!.getAddress(),
      );
      await feed.waitForDeployment();
      const answers: bigint[] = [await feed.latestAnswer(), await feed.latestAnswer()];
      for (const next of [2n, 3n]) {
        await sendTx(chain.provider, "set the answer", () => feed.setAnswer(next));
        answers.push(await feed.latestAnswer(), await feed.latestAnswer());
      }
      expect(answers).to.deep.equal([100_000_000n, 100_000_000n, 2n, 2n, 3n, 3n]);
    } finally {
      await chain.close();
    }
  });

  it("sends a transaction in four requests (the head block, its time, the send answered once mined, the transaction), two when anvil spaces the blocks", async function () {
    const node = await startAnvil();
    const methods: string[] = [];
    // Between the provider and anvil: records each method that reaches the node.
    const { provider, close } = await recordedProvider(node.url, (body) =>
      methods.push((JSON.parse(body) as { method: string }).method),
    );
    try {
      const owner = await provider.getSigner(0);
      const feed = await new SettableAggregator__factory(owner).deploy(8, "test", 100_000_000n, owner.address);
      await feed.waitForDeployment();
      methods.length = 0;
      const receipt = await sendTx(provider, "set the answer", () => feed.setAnswer(2n));
      expect(receipt.status).to.equal(1);
      expect(methods).to.deep.equal([
        "eth_getBlockByNumber",
        "evm_setNextBlockTimestamp",
        "eth_sendTransactionSync",
        "eth_getTransactionByHash",
      ]);
      expect(await feed.latestAnswer()).to.equal(2n);
      // Once anvil spaces its blocks by itself (as the session's anvil does), two: the send and the transaction.
      await spaceBlocksByNode(provider);
      methods.length = 0;
      await sendTx(provider, "set the answer", () => feed.setAnswer(3n));
      expect(methods).to.deep.equal(["eth_sendTransactionSync", "eth_getTransactionByHash"]);
    } finally {
      await close();
      await node.close();
    }
  });

  it("sends reads asked together as one batch, and a write alone after the reads asked before it", async function () {
    const node = await startAnvil();
    /** The methods of each HTTP request that reaches the node: one for a plain request, several for a batch. */
    const posts: string[][] = [];
    const { provider, close } = await recordedProvider(node.url, (text) => {
      const body = JSON.parse(text) as { method: string } | { method: string }[];
      posts.push((Array.isArray(body) ? body : [body]).map((r) => r.method));
    });
    try {
      const owner = await provider.getSigner(0);
      const feed = await new SettableAggregator__factory(owner).deploy(8, "test", 100_000_000n, owner.address);
      await feed.waitForDeployment();
      const head = await provider.getBlockNumber();
      posts.length = 0;
      // Three reads asked together: one request, each read answered as alone.
      const together = await Promise.all([feed.latestAnswer(), feed.decimals(), provider.getBlockNumber()]);
      expect(together).to.deep.equal([100_000_000n, 8n, head]);
      expect(posts.length).to.equal(1);
      expect(posts[0]).to.have.members(["eth_call", "eth_call", "eth_blockNumber"]);
      // A read asked before a write sees the state before it; one asked after, the state after; in that order.
      posts.length = 0;
      const asked = [
        provider.send("eth_blockNumber", []),
        provider.send("evm_mine", []),
        provider.send("eth_blockNumber", []),
      ];
      const [before, , after] = await Promise.all(asked);
      expect([Number(before), Number(after)]).to.deep.equal([head, head + 1]);
      expect(posts).to.deep.equal([["eth_blockNumber"], ["evm_mine"], ["eth_blockNumber"]]);
      // A read the node refuses fails alone; the others in its batch are answered.
      posts.length = 0;
      const settled = await Promise.allSettled([
        feed.latestAnswer(),
        provider.call({ to: await feed.getAddress(), data: "0xdeadbeef" }),
      ]);
      expect(settled.map((x) => x.status)).to.deep.equal(["fulfilled", "rejected"]);
      expect((settled[0] as PromiseFulfilledResult<bigint>).value).to.equal(100_000_000n);
      expect(posts).to.deep.equal([["eth_call", "eth_call"]]);
    } finally {
      await close();
      await node.close();
    }
  });

  it("a reverted transaction reads as on Hardhat: anvil mines it as failed, the harness replays it for the reason", async function () {
    const [owner, other] = await hre.ethers.getSigners();
    // Undone after, so that the shared chain's fixtures deploy at their recorded addresses whatever runs first.
    const before = await snapshot(hre.ethers.provider);
    const onHardhat = await notOwnerRevert(hre.ethers.provider, owner, other).finally(() =>
      revertTo(hre.ethers.provider, before),
    );
    const chain = await openAnvilChain();
    try {
      const onAnvil = await notOwnerRevert(chain.provider, chain.signers[0], chain.signers[1]);
      expect(onAnvil).to.equal(`set the answer reverted: NotOwner(caller=${other.address})`);
      expect(onAnvil).to.equal(onHardhat);
    } finally {
      await chain.close();
    }
  });

  it("takes a snapshot id the node gives out again after a re-fork as live, and uses it up as before", async function () {
    const upstream = await openAnvilChain();
    const chain = await openAnvilChain();
    try {
      const p = chain.provider;
      const first = await snapshot(p);
      await revertTo(p, first);
      // A re-fork (anvil_reset) counts snapshot ids from the start again.
      await chain.resetForking(upstream.url ?? "", 0);
      const again = await snapshot(p);
      expect(again).to.equal(first);
      await revertTo(p, again);
      await revertTo(p, again).then(
        () => expect.fail(`snapshot ${again} was reused`),
        (err: Error) => expect(err.message).to.equal(`evm_revert(${again}) failed: snapshot unknown or already used`),
      );
    } finally {
      await chain.close();
      await upstream.close();
    }
  });

  it("is gone after close(), with the genesis node it forks, and close() can be called twice", async function () {
    const node = await startAnvil();
    expect(node.pids.length).to.equal(2);
    expect(node.pids.map(isRunning)).to.deep.equal([true, true]);
    const provider = new JsonRpcProvider(node.url, Network.from(DEV_CHAIN_ID), { staticNetwork: true });
    expect(await provider.getBlockNumber()).to.equal(0);
    provider.destroy();
    await node.close();
    await node.close();
    expect(node.pids.map(isRunning)).to.deep.equal([false, false]);
  });

  it("a start that does not answer in time is stopped and named in one error", async function () {
    await startAnvil({ startTimeoutMs: 1 }).then(
      () => expect.fail("started"),
      (err: Error) => expect(err.message).to.match(/^anvil did not answer on http:\/\/127\.0\.0\.1:\d+ within 1 ms/),
    );
  });
});
