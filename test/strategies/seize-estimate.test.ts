import { expect } from "chai";
import { WAD } from "../../src/constants";
import type { LendingMarket } from "../../src/protocols/lending-market";
import { seizeEstimate } from "../../src/strategies/seize-estimate";

/** The three reads seizeEstimate makes, as Aave's WETH/USDT market answers them at ETH 4,000 (bonus 5%). */
function wethUsdt(collateralRaw: bigint, debtRaw: bigint): LendingMarket {
  const reads = {
    position: () =>
      Promise.resolve({
        collateral: [{ symbol: "WETH", amountRaw: collateralRaw }],
        debt: [{ symbol: "USDT", amountRaw: debtRaw }],
      }),
    collateralPriceWad: () => Promise.resolve(4_000n * 10n ** 6n),
    riskParams: () => Promise.resolve({ liquidationIncentiveWad: (105n * WAD) / 100n }),
  };
  return reads as unknown as LendingMarket;
}

describe("seize estimate", function () {
  it("the collateral the whole debt would seize, bonus included: 340,000 USDT at 4,000 x 1.05 = 89.25 WETH", async function () {
    expect(await seizeEstimate(wethUsdt(100n * WAD, 340_000n * 10n ** 6n), "0x")).to.equal((8_925n * WAD) / 100n);
  });

  it("never more than the position holds", async function () {
    expect(await seizeEstimate(wethUsdt(50n * WAD, 340_000n * 10n ** 6n), "0x")).to.equal(50n * WAD);
  });
});
