import { expect } from "chai";
import { ethers } from "hardhat";
import { loadFixture, reset } from "@nomicfoundation/hardhat-network-helpers";
import { deployEmbeddedChain, openLoop, readPosition, runLiquidationBot, setOraclePolicy, setPrice } from "../src";

/** The embedded chain from genesis: the same addresses and numbers whatever ran before. */
async function embeddedChain() {
  await reset();
  return deployEmbeddedChain({ provider: ethers.provider, signers: await ethers.getSigners() });
}

describe("my USDe/USDT loop on Aave under Aave's own pegged-to-USDT oracle", function () {
  it("is not liquidated when USDe crashes to $0.65: the oracle never sees the crash", async function () {
    const chain = await loadFixture(embeddedChain);
    const loop = await openLoop(chain, chain.users[0], {
      market: "aave-v3:USDe/USDT:emode-2",
      amount: "100000",
      rounds: 20,
      ltv: "0.89",
      flash: true,
    });
    await setOraclePolicy(chain, loop.market, "pegged-to-USDT");
    await setPrice(chain, "USDe/USD", "0.65");
    expect(await runLiquidationBot(chain, loop.market, [loop.account])).to.deep.equal({
      liquidations: [],
      refusals: [],
    });
    // The health factor moved by the interest of three blocks only.
    expect(loop.position.healthFactorWad).to.equal(1_045346899435665000n);
    expect((await readPosition(loop.market, loop.account)).healthFactorWad).to.equal(1_045346899311154714n);
  });
});
