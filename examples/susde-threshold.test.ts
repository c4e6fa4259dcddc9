import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, reset } from "@nomicfoundation/hardhat-network-helpers";
import { deployEmbeddedChain, liquidationThresholds, openLoop, setOraclePolicy } from "../src";

/** The embedded chain from genesis (Aave's origin line, as mainnet runs it): the same numbers on every run. */
async function embeddedChain() {
  await reset();
  return deployEmbeddedChain({ provider: ethers.provider, signers: await ethers.getSigners() });
}

describe("my sUSDe/USDT loop on Aave's origin line: 100,000 USDe, 5 rounds at 85 % LTV", function () {
  it("is not liquidatable at a USDe price of $0.82522588 or above under the market policy", async function () {
    const chain = await loadFixture(embeddedChain);
    const loop = await openLoop(chain, chain.users[0], {
      market: "aave-v3:sUSDe/USDT:emode-2",
      amount: "100000",
      rounds: 5,
      ltv: "0.85",
    });
    await setOraclePolicy(chain, loop.market, "market");
    const t = await liquidationThresholds(chain, loop.market, loop.account, "USDe/USD");
    // Found on chain by real liquidation attempts; the model predicts the same price to 1e-8.
    expect(t.liquidation.onChain).to.include({ largestTrueE8: "82522587", smallestFalseE8: "82522588" });
    expect(t.liquidation.differenceE8).to.equal("0");
    // Below HF 0.95 one liquidation may repay the whole debt: under $0.78396458.
    expect(t.closeFactor?.onChain).to.include({ largestTrueE8: "78396457", smallestFalseE8: "78396458" });
  });
});
