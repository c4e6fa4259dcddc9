import { expect } from "chai";
import { loadEmbedded } from "../fixtures";
import { WAD } from "../../src/constants";
import { deal } from "../../src/chain/cheats";
import { UniswapV3Dex } from "../../src/dex/uniswap-v3";
import { InputError } from "../../src/errors";
import { LiquidityWithdrawal } from "../../src/actors/liquidity-withdrawal";

const SPEC = { pools: ["USDe/USDC-0.01%"], share: "0.5", whenDexPriceBelow: "0.99", measureSaleUsde: "1000000" };

const EVENT = {
  actor: "liquidity-withdrawal",
  pools: ["USDe/USDC-0.01%"],
  share: "0.5",
  positionsReduced: 4,
  saleUsde: "1000000",
};

describe("actor: liquidity withdrawal", function () {
  it("names an unknown pool before any transaction", async function () {
    const { ctx } = await loadEmbedded();
    const w = new LiquidityWithdrawal(ctx, new UniswapV3Dex(ctx), { ...SPEC, pools: ["USDe/XYZ"] });
    expect(() => w.validate()).to.throw(InputError, /^actors\.liquidityWithdrawal\.pools: unknown pool "USDe\/XYZ"/);
  });

  it("withdraws once the pool price is below the trigger, once per run", async function () {
    const { ctx, users } = await loadEmbedded();
    const dex = new UniswapV3Dex(ctx);
    const w = new LiquidityWithdrawal(ctx, dex, SPEC);
    w.validate();
    await w.begin();
    const atPeg = await w.react();
    const trader = users[0];
    await deal(ctx, "USDe", trader, 100_000_000n * WAD);
    await dex.moveToPrice(trader, "USDe", "USDC", (9895n * WAD) / 10_000n, 100_000_000n * WAD);
    const priceWad = await dex.price("USDe", "USDC");
    const first = await w.react();
    const again = await w.react();
    await w.begin();
    const nextRun = await w.react();
    expect({ atPeg, priceWad, first, again, nextRun }).to.deep.equal({
      atPeg: undefined,
      priceWad: 989_499_000_000_000_000n,
      first: { ...EVENT, impactBeforeBps: "18", impactAfterBps: "35" },
      again: undefined,
      // A new run from the same state (here: not reverted) withdraws again: half of what is left.
      nextRun: { ...EVENT, impactBeforeBps: "35", impactAfterBps: "457" },
    });
  });
});
