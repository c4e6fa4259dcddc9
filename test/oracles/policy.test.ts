import { expect } from "chai";
import { MaxUint256 } from "ethers";
import { loadEmbedded } from "../fixtures";
import { WAD } from "../../src/constants";
import { InputError } from "../../src/errors";
import { applyAavePolicy } from "../../src/protocols/aave-v3";
import { applyMorphoPolicy } from "../../src/protocols/morpho-blue";
import { getFeedPrice, setFeedPrice } from "../../src/oracles/feeds";
import { openMarket } from "../../src/protocols/registry";
import { StakedUSDeStandIn__factory, StandInERC20__factory } from "../../typechain-types";
import { advanceTime } from "../../src/chain/clock";
import { AaveOracle__factory } from "../../src/protocols/aave-v3-types";

describe("oracle policies and feed moves", function () {
  it("refuses a price <= 0 before sending anything", async function () {
    const { ctx } = await loadEmbedded();
    const before = await ctx.provider.getBlockNumber();
    for (const p of [0n, -1n]) {
      const err = await setFeedPrice(ctx, "USDe/USD", p).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).to.be.instanceOf(InputError);
      expect((err as Error).message).to.match(/USDe\/USD price must be > 0/);
    }
    expect(await ctx.provider.getBlockNumber()).to.equal(before);
    await expect(setFeedPrice(ctx, "FRAX/USD", 1n)).to.be.rejectedWith(InputError, /unknown feed "FRAX\/USD"/);
  });

  it("Aave: pegged-to-USDT ignores the USDe feed and follows USDT; market follows USDe", async function () {
    const { ctx } = await loadEmbedded();
    const oracle = AaveOracle__factory.connect(ctx.record.aave.oracle, ctx.provider);
    const usde = ctx.record.tokens.USDe!.address;
    const susde = ctx.record.tokens.sUSDe!.address;
    const rate = await StakedUSDeStandIn__factory.connect(susde, ctx.provider).convertToAssets(WAD);
    await applyAavePolicy(ctx, "pegged-to-USDT");
    await setFeedPrice(ctx, "USDe/USD", 65_000_000n);
    expect(await oracle.getAssetPrice(usde)).to.equal(100_000_000n);
    await setFeedPrice(ctx, "USDT/USD", 99_000_000n);
    expect(await oracle.getAssetPrice(usde)).to.equal(99_000_000n);
    expect(await oracle.getAssetPrice(susde)).to.equal((99_000_000n * rate) / WAD);
    await applyAavePolicy(ctx, "market");
    expect(await oracle.getAssetPrice(usde)).to.equal(65_000_000n);
    expect(await oracle.getAssetPrice(susde)).to.equal((65_000_000n * rate) / WAD);
    // Other assets keep their own sources.
    expect(await oracle.getSourceOfAsset(ctx.record.tokens.USDC!.address)).to.equal(ctx.record.feeds["USDC/USD"]);
  });

  it("Morpho sUSDe market: exchange-rate follows only the vault rate, fixed nothing, market the USDe feed", async function () {
    const { ctx, deployer } = await loadEmbedded();
    const m = openMarket(ctx, "morpho-blue:sUSDe/USDC-91.5");
    const vault = StakedUSDeStandIn__factory.connect(ctx.record.tokens.sUSDe!.address, deployer);
    const rate = await vault.convertToAssets(WAD);
    const usdcPerSusde = async () => await m.collateralPriceWad(); // USDC raw per 1e18 sUSDe
    await setFeedPrice(ctx, "USDe/USD", 80_000_000n);
    await applyMorphoPolicy(ctx, "sUSDe/USDC-91.5", "exchange-rate");
    expect(await usdcPerSusde()).to.equal((rate * 10n ** 6n) / WAD);
    await applyMorphoPolicy(ctx, "sUSDe/USDC-91.5", "market");
    expect(await usdcPerSusde()).to.equal((rate * 10n ** 6n * 80n) / (WAD * 100n));
    await applyMorphoPolicy(ctx, "sUSDe/USDC-91.5", "fixed");
    const fixed = await usdcPerSusde();
    // Rewards raise the vault rate: exchange-rate sees it, fixed does not.
    const usde = StandInERC20__factory.connect(ctx.record.tokens.USDe!.address, deployer);
    await (await usde.mint(deployer.address, 100_000n * WAD)).wait();
    await (await usde.approve(await vault.getAddress(), MaxUint256)).wait();
    await (await vault.transferInRewards(100_000n * WAD)).wait();
    await advanceTime(ctx.provider, 9 * 3600);
    expect(await vault.convertToAssets(WAD)).to.be.greaterThan(rate);
    expect(await usdcPerSusde()).to.equal(fixed);
    await applyMorphoPolicy(ctx, "sUSDe/USDC-91.5", "exchange-rate");
    expect(await usdcPerSusde()).to.be.greaterThan(fixed);
    expect(await getFeedPrice(ctx, "USDe/USD")).to.equal(80_000_000n);
  });
});
