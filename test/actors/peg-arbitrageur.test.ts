import { expect } from "chai";
import { loadEmbedded } from "../fixtures";
import { WAD } from "../../src/constants";
import { deal } from "../../src/chain/cheats";
import { UniswapV3Dex } from "../../src/dex/uniswap-v3";
import { PEG_TOLERANCE_WAD, PegArbitrageur } from "../../src/actors/peg-arbitrageur";

describe("actor: peg arbitrageur", function () {
  it("restores every USDe pool to the peg within its tolerance, and does nothing at peg", async function () {
    const { ctx, users } = await loadEmbedded();
    const dex = new UniswapV3Dex(ctx);
    const arbitrageur = new PegArbitrageur(ctx, dex, "actor-test");
    const trader = users[0];
    await deal(ctx, "USDe", trader, 50_000_000n * WAD);
    await dex.moveToPrice(trader, "USDe", "USDC", (97n * WAD) / 100n, 50_000_000n * WAD);
    await deal(ctx, "USDT", trader, 50_000_000n * 10n ** 6n);
    await dex.moveToPrice(trader, "USDe", "USDT", (103n * WAD) / 100n, 50_000_000n * 10n ** 6n);
    const before = { usdc: await dex.price("USDe", "USDC"), usdt: await dex.price("USDe", "USDT") };
    await arbitrageur.restore();
    const after = { usdc: await dex.price("USDe", "USDC"), usdt: await dex.price("USDe", "USDT") };
    const block = await ctx.provider.getBlockNumber();
    await arbitrageur.restore();
    const blocksAtPeg = (await ctx.provider.getBlockNumber()) - block;
    expect({ tolerance: PEG_TOLERANCE_WAD, before, after, blocksAtPeg }).to.deep.equal({
      tolerance: 100_000_000_000_000n,
      before: { usdc: 969_999_000_000_000_000n, usdt: 1_029_999_000_000_000_000n },
      after: { usdc: 999_999_000_000_000_000n, usdt: 999_999_000_000_000_000n },
      blocksAtPeg: 0,
    });
    expect(await arbitrageur.react()).to.equal(undefined);
    expect(arbitrageur.candidates()).to.deep.equal([]);
  });
});
