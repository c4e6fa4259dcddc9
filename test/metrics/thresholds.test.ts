import { expect } from "chai";
import { loadEmbedded, aaveUsdeBorrower } from "../fixtures";
import { deal } from "../../src/chain/cheats";
import { applyMorphoPolicy } from "../../src/protocols/morpho-blue";
import { openMarket } from "../../src/protocols/registry";
import { verifyThresholds } from "../../src/metrics/thresholds";
import { WAD } from "../../src/constants";

describe("threshold verification (analytic vs on-chain bisection)", function () {
  it("Aave E-mode USDe/USDC: liquidation price and close-factor boundary agree within one oracle unit", async function () {
    const { ctx, users } = await loadEmbedded();
    const [user, liquidator] = users;
    const market = await aaveUsdeBorrower(ctx, user, 100_000n * WAD, 80_000n * 10n ** 6n);
    const r = await verifyThresholds(ctx, market, await user.getAddress(), "USDe/USD", liquidator);
    expect(BigInt(r.liquidation.differenceE8)).to.be.lessThanOrEqual(1n);
    // HF = 100000 p 0.92 / 80000 = 1 at p = 0.8696
    expect(Number(r.liquidation.onChain.largestTrueE8) / 1e8).to.be.closeTo(80_000 / (100_000 * 0.92), 1e-4);
    expect(r.liquidation.onChain.refusal).to.match(/HEALTH_FACTOR_NOT_BELOW_THRESHOLD/);
    expect(BigInt(r.closeFactor!.differenceE8)).to.be.lessThanOrEqual(1n);
    expect(Number(r.closeFactor!.onChain.largestTrueE8) / 1e8).to.be.closeTo((0.95 * 80_000) / (100_000 * 0.92), 1e-4);
  });

  it("Morpho sUSDe/USDC-91.5: liquidation price agrees within one oracle unit", async function () {
    const { ctx, users } = await loadEmbedded();
    const [user, liquidator] = users;
    await applyMorphoPolicy(ctx, "sUSDe/USDC-91.5", "market");
    const market = openMarket(ctx, "morpho-blue:sUSDe/USDC-91.5");
    await deal(ctx, "sUSDe", user, 100_000n * WAD);
    await market.supplyCollateral(user, 100_000n * WAD);
    await market.borrow(user, 100_000n * 10n ** 6n);
    const r = await verifyThresholds(ctx, market, await user.getAddress(), "USDe/USD", liquidator);
    expect(BigInt(r.liquidation.differenceE8)).to.be.lessThanOrEqual(1n);
    expect(r.liquidation.onChain.refusal).to.match(/position is healthy/);
    expect(r.closeFactor).to.equal(undefined);
  });
});
