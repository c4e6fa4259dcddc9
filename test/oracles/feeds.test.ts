import { expect } from "chai";
import hre from "hardhat";
import { countRpc, type Eip1193Like } from "../../src/chain/rpc-stats";
import { getFeedDecimals, getFeedPrice, setFeedPrice } from "../../src/oracles/feeds";
import { loadEmbedded } from "../fixtures";

describe("feeds", function () {
  it("read a feed's decimals once per chain, its answer every time", async function () {
    const { ctx } = await loadEmbedded();
    await setFeedPrice(ctx, "ETH/USD", 4_321_00000000n);
    const counter = countRpc(hre.network.provider as unknown as Eip1193Like);
    try {
      const first = [await getFeedDecimals(ctx, "ETH/USD"), await getFeedPrice(ctx, "ETH/USD")];
      const callsAfterFirst = counter.snapshot().eth_call?.calls ?? 0;
      await setFeedPrice(ctx, "ETH/USD", 4_000_00000000n);
      counter.reset();
      const second = [await getFeedDecimals(ctx, "ETH/USD"), await getFeedPrice(ctx, "ETH/USD")];
      expect([first, second]).to.deep.equal([
        [8n, 4_321_00000000n],
        [8n, 4_000_00000000n],
      ]);
      // The first read asks for the decimals (unless an earlier test did) and the answer; the second only the answer.
      expect(callsAfterFirst).to.be.oneOf([1, 2]);
      expect(counter.snapshot().eth_call?.calls).to.equal(1);
    } finally {
      counter.restore();
    }
  });
});
