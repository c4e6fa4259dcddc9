import { expect } from "chai";
import { aaveUsdeBorrower, loadEmbedded } from "../fixtures";
import { deal } from "../../src/chain/cheats";
import { WAD } from "../../src/constants";
import { setFeedPrice } from "../../src/oracles/feeds";
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

  it("a mix sweeps each market kind by kind: the inventory liquidator takes what the seller refused, from its own account", async function () {
    const f = await loadEmbedded();
    const [user, whale] = f.users;
    const market = await aaveUsdeBorrower(f.ctx, user, 100_000n * WAD, 85_000n * 10n ** 6n);
    await setFeedPrice(f.ctx, "USDe/USD", 90_000_000n);
    const dex = new UniswapV3Dex(f.ctx);
    await deal(f.ctx, "USDe", whale, 19_500_000n * WAD);
    await dex.swapExactIn(whale, "USDe", "USDC", 19_500_000n * WAD);
    const bots = new LiquidationBots(
      f.ctx,
      dex,
      f.users[18],
      { kinds: ["seller", "inventory"], maxCallsPerPosition: 1 },
      "as-listed",
    );
    const exposed: Exposure[] = [{ account: user.address, label: "borrower", markets: [market] }];
    await bots.begin({ policies: { aave: "market", morpho: "market" }, exposed });
    const { outcomes } = await bots.react();
    expect(outcomes.map((o) => [o.kind, o.record.liquidator])).to.deep.equal([
      ["inventory", actorAddress(f.users[18].address, "liquidator:inventory")],
    ]);
    expect(bots.refusals.map((r) => [r.liquidator, r.reason.replace(/\(.*$/, "")])).to.deep.equal([
      ["seller", "Unprofitable"],
    ]);
  });
});
