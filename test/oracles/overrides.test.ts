import { expect } from "chai";
import { MaxUint256 } from "ethers";
import { loadEmbedded } from "../fixtures";
import { deal, revertTo, snapshot } from "../../src/chain/cheats";
import { WAD } from "../../src/constants";
import { overrideFeedAt, overrideMorphoOracleAt } from "../../src/oracles/overrides";
import { applyAavePolicy } from "../../src/protocols/aave-v3";
import { openMarket } from "../../src/protocols/registry";
import { ensureAllowance } from "../../src/chain/erc20";
import { AggregatorV3Interface__factory } from "../../typechain-types";
import { AaveOracle__factory } from "../../src/protocols/aave-v3-types";

describe("oracle overrides at existing addresses (how a fork's real feeds are moved)", function () {
  it("a feed address keeps working for its consumers and answers our price; a snapshot revert restores it", async function () {
    const { ctx } = await loadEmbedded();
    await applyAavePolicy(ctx, "pegged-to-USDT"); // Aave reads USDT/USD for USDe, as on mainnet
    const usdt = ctx.record.feeds["USDT/USD"];
    const before = await ctx.provider.getCode(usdt);
    const id = await snapshot(ctx.provider);
    await overrideFeedAt(ctx, usdt, 70_000_000n);
    const oracle = AaveOracle__factory.connect(ctx.record.aave.oracle, ctx.provider);
    expect(await oracle.getAssetPrice(ctx.record.tokens.USDe!.address)).to.equal(70_000_000n);
    const [round1, answer, , updatedAt] = await AggregatorV3Interface__factory.connect(
      usdt,
      ctx.provider,
    ).latestRoundData();
    expect(answer).to.equal(70_000_000n);
    expect(updatedAt).to.be.greaterThan(0n);
    await overrideFeedAt(ctx, usdt, 65_000_000n);
    const [round2] = await AggregatorV3Interface__factory.connect(usdt, ctx.provider).latestRoundData();
    expect(round2).to.equal(round1 + 1n);
    expect(await AggregatorV3Interface__factory.connect(usdt, ctx.provider).decimals()).to.equal(8n);
    await revertTo(ctx.provider, id);
    expect(await ctx.provider.getCode(usdt)).to.equal(before);
    expect(await oracle.getAssetPrice(ctx.record.tokens.USDe!.address)).to.equal(100_000_000n);
  });

  it("a Morpho market's oracle address answers our price, and Morpho liquidates on it", async function () {
    const { ctx, users } = await loadEmbedded();
    const [user, liq] = users;
    const market = openMarket(ctx, "morpho-blue:USDe/DAI-91.5");
    await deal(ctx, "USDe", user, 10_000n * WAD);
    await market.supplyCollateral(user, 10_000n * WAD);
    await market.borrow(user, 9_000n * WAD);
    expect((await market.position(user.address)).liquidatable).to.equal(false);
    // 0.98 DAI per USDe: 10000 x 0.98 x 0.915 = 8967 < 9000.
    await overrideMorphoOracleAt(ctx, ctx.record.morpho.markets["USDe/DAI-91.5"].oracle, (98n * 10n ** 36n) / 100n);
    expect((await market.position(user.address)).liquidatable).to.equal(true);
    await deal(ctx, "DAI", liq, 20_000n * WAD);
    await ensureAllowance(ctx, liq, "DAI", market.spender, MaxUint256);
    const rec = await market.liquidate(liq, user.address, MaxUint256);
    expect(rec.collateralPriceWad).to.equal((98n * WAD) / 100n);
    expect(rec.repaidRaw).to.be.greaterThan(8_999n * WAD);
  });
});

describe("oracle policies on oracles that are not ours", function () {
  it("applying a Morpho policy to a foreign oracle puts our configurable oracle at its address", async function () {
    const { ctx } = await loadEmbedded();
    const { applyMorphoPolicy } = await import("../../src/protocols/morpho-blue");
    const { setFeedPrice } = await import("../../src/oracles/feeds");
    const address = ctx.record.morpho.markets["USDe/DAI-91.5"].oracle;
    await overrideMorphoOracleAt(ctx, address, 123n); // now a foreign contract with no owner()
    await applyMorphoPolicy(ctx, "USDe/DAI-91.5", "market");
    await setFeedPrice(ctx, "USDe/USD", 90_000_000n);
    const market = openMarket(ctx, "morpho-blue:USDe/DAI-91.5");
    expect(await market.collateralPriceWad()).to.equal((90n * WAD) / 100n);
  });
});
