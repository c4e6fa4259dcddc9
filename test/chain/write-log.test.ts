/**
 * The writes a run sends, recorded in order and replayed on a fresh node: reads are left out, a failed write is marked,
 * and on anvil a replay rebuilds the same chain to the last block's hash.
 */
import { expect } from "chai";
import { recordWrites, replayWrites } from "../../src/chain/write-log";
import { revertTo, setEthBalance, snapshot } from "../../src/chain/cheats";
import { advance, scheduleNextBlock } from "../../src/chain/clock";
import { sendTx } from "../../src/chain/tx";
import { openAnvilChain } from "../../src/session/backend";
import { SettableAggregator__factory } from "../../typechain-types";

/** A stand-in node: answers everything, fails `eth_sendTransaction` with params ["revert"] (until `healed`). */
function fakeNode() {
  const node = {
    reached: [] as string[],
    healed: false,
    async request(args: { method: string; params?: unknown[] | object }): Promise<unknown> {
      node.reached.push(args.method);
      if (!node.healed && args.method === "eth_sendTransaction" && JSON.stringify(args.params) === '["revert"]')
        throw new Error("execution reverted");
      return "0x1";
    },
  };
  return node;
}

describe("the writes of a run, recorded and replayed", function () {
  it("records the writes only, in order, marks the one that failed, and replays them with their outcomes compared", async function () {
    const node = fakeNode();
    const log = recordWrites(node);
    await node.request({ method: "eth_call", params: ["q"] });
    await node.request({ method: "evm_setNextBlockTimestamp", params: [100] });
    await node.request({ method: "eth_sendTransaction", params: ["ok"] });
    await node.request({ method: "eth_blockNumber" });
    await node.request({ method: "eth_sendTransaction", params: ["revert"] }).catch(() => undefined);
    await node.request({ method: "hardhat_mine", params: ["0x2"] });
    log.restore();
    const writes = log.writes();
    expect(writes).to.deep.equal([
      { method: "evm_setNextBlockTimestamp", params: [100], failed: false },
      { method: "eth_sendTransaction", params: ["ok"], failed: false },
      { method: "eth_sendTransaction", params: ["revert"], failed: true },
      { method: "hardhat_mine", params: ["0x2"], failed: false },
    ]);

    const fresh = fakeNode();
    expect(await replayWrites(fresh, writes)).to.deep.equal({ sent: 4, failed: 1, mismatched: 0 });
    expect(fresh.reached).to.deep.equal(writes.map((w) => w.method));
    // A node where the failed transaction succeeds: the replay says it is not faithful.
    const other = fakeNode();
    other.healed = true;
    expect(await replayWrites(other, writes)).to.deep.equal({ sent: 4, failed: 0, mismatched: 1 });
  });

  it("on anvil, rebuilds the same chain on a fresh node: deployment, transactions, cheats, a snapshot and its revert", async function () {
    const [a, b] = [await openAnvilChain(), await openAnvilChain()];
    try {
      const log = recordWrites(a.provider);
      const [owner, other] = a.signers;
      await scheduleNextBlock(a.provider);
      const feed = await new SettableAggregator__factory(owner).deploy(8, "test", 100_000_000n, owner.address);
      await feed.waitForDeployment();
      await scheduleNextBlock(a.provider);
      await sendTx(a.provider, "set the answer", () => feed.setAnswer(99_000_000n));
      await setEthBalance(a.provider, other.address, 5n * 10n ** 18n);
      const id = await snapshot(a.provider);
      await scheduleNextBlock(a.provider);
      await sendTx(a.provider, "set the answer", () => feed.setAnswer(1n));
      await revertTo(a.provider, id);
      await advance(a.provider, 30, 360);
      log.restore();
      const writes = log.writes();
      const lastOf = async (p: typeof a.provider) => (await p.getBlock("latest"))!;
      const recorded = await lastOf(a.provider);

      expect(await replayWrites(b.provider, writes)).to.deep.equal({ sent: writes.length, failed: 0, mismatched: 0 });
      const replayed = await lastOf(b.provider);
      expect(replayed.number).to.equal(recorded.number);
      expect(replayed.timestamp).to.equal(recorded.timestamp);
      expect(replayed.hash).to.equal(recorded.hash);
      const feedOnB = SettableAggregator__factory.connect(await feed.getAddress(), b.provider);
      expect(await feedOnB.latestAnswer()).to.equal(99_000_000n);
      expect(await b.provider.getBalance(other.address)).to.equal(5n * 10n ** 18n);
    } finally {
      await a.close();
      await b.close();
    }
  });
});
