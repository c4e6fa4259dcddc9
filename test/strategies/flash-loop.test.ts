import { expect } from "chai";
import { loadEmbedded } from "../fixtures";
import { deal, revertTo, snapshot } from "../../src/chain/cheats";
import { WAD } from "../../src/constants";
import { UniswapV3Dex } from "../../src/dex/uniswap-v3";
import { openMarket } from "../../src/protocols/registry";
import { flashAmountFor, runFlashLoop } from "../../src/strategies/flash-loop";
import { idealLoop, runIterativeLoop } from "../../src/strategies/iterative-loop";
import { percentMul } from "../../src/math/fixed-point";

const ratio = (a: bigint, b: bigint) => Number((a * 10n ** 12n) / b) / 1e12;

describe("flash-loan loop", function () {
  it("sizes the Aave flash loan so that amount + premium is the target debt", function () {
    for (const d of [268_928_000_000n, 1n, 10_001n, 999_999_999_999n]) {
      const x = flashAmountFor(d, 5n);
      expect(x + percentMul(x, 5n)).to.be.lessThanOrEqual(d);
      expect(x + 1n + percentMul(x + 1n, 5n)).to.be.greaterThan(d);
    }
    expect(flashAmountFor(123n, 0n)).to.equal(123n);
  });

  for (const key of [
    "aave-v3:USDe/USDC:emode-2",
    "aave-v3:sUSDe/USDC:emode-2",
    "morpho-blue:sUSDe/USDC-91.5",
    "morpho-blue:USDe/DAI-91.5",
  ]) {
    it(`${key}: one transaction reaches the 5-round, 80% position of the iterative loop`, async function () {
      const { ctx, users } = await loadEmbedded();
      const [user] = users;
      const market = openMarket(ctx, key);
      const dex = new UniswapV3Dex(ctx);
      const params = {
        initialSymbol: "USDe" as const,
        initialRaw: 100_000n * WAD,
        rounds: 5,
        targetLtvWad: (80n * WAD) / 100n,
      };
      const base = await snapshot(ctx.provider);
      await deal(ctx, "USDe", user, params.initialRaw);
      const iterative = await runIterativeLoop(ctx, market, dex, user, params);
      await revertTo(ctx.provider, base);

      await deal(ctx, "USDe", user, params.initialRaw);
      const flash = await runFlashLoop(ctx, market, dex, user, params);
      // The debt the contracts hold is the ideal loop's debt (flash amount + premium), to the unit at the loop's block.
      expect(flash.debtBorrowedRaw).to.equal(flash.flashAmountRaw + flash.flashPremiumRaw);
      expect(flash.targetDebtRaw - flash.debtBorrowedRaw).to.be.lessThan(2n + flash.targetDebtRaw / 10n ** 8n);
      expect(ratio(flash.final.debt[0].amountRaw, flash.debtBorrowedRaw)).to.be.within(1, 1.000001);
      // USDe-denominated ideal: 100000 (1 + 0.8 + ... + 0.8^5) of collateral for USDe markets.
      if (market.collateral === "USDe") {
        expect(
          ratio(
            flash.final.collateral[0].amountRaw,
            idealLoop(params.initialRaw, params.targetLtvWad, 5).collateralWad,
          ),
        ).to.be.within(0.999, 1);
      }
      // Same end position as the iterative loop within 0.1% (one swap instead of five: less price impact, one fee).
      expect(ratio(flash.final.collateral[0].amountRaw, iterative.final.collateral[0].amountRaw)).to.be.within(
        0.999,
        1.001,
      );
      expect(ratio(flash.final.debt[0].amountRaw, iterative.final.debt[0].amountRaw)).to.be.within(0.999, 1.001);
      expect(flash.gasUsed).to.be.lessThan(iterative.totalGasUsed);
    });
  }
});
