import { expect } from "chai";
import { loadEmbedded } from "../fixtures";
import { UniswapV3Dex } from "../../src/dex/uniswap-v3";
import { openMarket } from "../../src/protocols/registry";
import { actorAddress } from "../../src/actors/accounts";
import type { Exposure } from "../../src/actors/actor";
import { LiquidationBots, MarketOrder } from "../../src/actors/liquidation-bots";

const KEYS = ["morpho-blue:sUSDe/USDC-91.5", "aave-v3:USDe/USDC:emode-2", "aave-v3:WETH/USDC"];

describe("actor: liquidation bots", function () {
  async function begun(order: MarketOrder): Promise<LiquidationBots> {
    const { ctx, users } = await loadEmbedded();
    const bots = new LiquidationBots(ctx, new UniswapV3Dex(ctx), users[18], { mode: "flash", sell: true }, order);
    const exposed: Exposure[] = KEYS.map((k, i) => ({
      account: actorAddress("actor-test", `borrower:${i}`),
      label: `borrower ${i}`,
      markets: [openMarket(ctx, k)],
    }));
    await bots.begin({ policies: { aave: "market", morpho: "market" }, exposed });
    return bots;
  }

  it("sweeps markets as listed, or by liquidation incentive (largest first, then key)", async function () {
    expect((await begun("as-listed")).sweepOrder).to.deep.equal(KEYS);
    expect((await begun("largest-incentive-first")).sweepOrder).to.deep.equal([
      "aave-v3:WETH/USDC",
      "aave-v3:USDe/USDC:emode-2",
      "morpho-blue:sUSDe/USDC-91.5",
    ]);
  });

  it("liquidates nobody when nobody is liquidatable", async function () {
    const bots = await begun("largest-incentive-first");
    expect(await bots.react()).to.deep.equal({ actor: "liquidators", outcomes: [] });
    expect(bots.refusals).to.deep.equal([]);
    expect(await bots.liquidatableLeft()).to.equal(0);
    expect(bots.candidates()).to.deep.equal([]);
  });
});
