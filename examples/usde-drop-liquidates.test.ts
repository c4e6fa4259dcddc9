import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, reset } from "@nomicfoundation/hardhat-network-helpers";
import { deployEmbeddedChain, openLoop, readPosition, runLiquidationBot, setOraclePolicy, setPrice } from "../src";

/** The embedded chain from genesis: the same addresses and numbers whatever ran before. */
async function embeddedChain() {
  await reset();
  return deployEmbeddedChain({ provider: ethers.provider, signers: await ethers.getSigners() });
}

describe("my USDe/USDC loop on Aave: 100,000 USDe, 20 rounds at 89 % LTV in one flash-loan transaction", function () {
  it("is liquidated once by a 5 % USDe drop under the market policy, and leaves no bad debt", async function () {
    const chain = await loadFixture(embeddedChain);
    const loop = await openLoop(chain, chain.users[0], {
      market: "aave-v3:USDe/USDC:emode-2",
      amount: "100000",
      rounds: 20,
      ltv: "0.89",
      flash: true,
    });
    expect(loop.position.debt[0].amountRaw).to.equal(730_423_027652n); // 730,423.027652 USDC
    await setOraclePolicy(chain, loop.market, "market");
    await setPrice(chain, "USDe/USD", "0.95");
    const { liquidations } = await runLiquidationBot(chain, loop.market, [loop.account]);
    expect(liquidations.map((l) => [l.record.repaidRaw, l.record.seizedRaw, l.record.badDebtRaw])).to.deep.equal([
      [365_211_513898n, 398_272_766735082105263158n, 0n], // half the debt repaid (USDC), USDe seized, no bad debt
    ]);
    expect((await readPosition(loop.market, loop.account)).healthFactorWad).to.equal(1_029359108536213973n);
  });
});
