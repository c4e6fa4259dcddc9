import { expect } from "chai";
import { loadEmbedded } from "../fixtures";
import { dealErc20, findBalanceSlot, impersonate, setEthBalance } from "../../src/chain/cheats";
import { WAD } from "../../src/constants";
import { IERC20Metadata__factory } from "../../typechain-types";
import hre from "hardhat";

describe("chain cheats", function () {
  it("deal finds each token's balance slot by probing, restores what it probed, and writes the exact balance", async function () {
    const { ctx } = await loadEmbedded();
    const who = "0x00000000000000000000000000000000000A11CE";
    const slots: Record<string, bigint> = {};
    for (const s of ["USDC", "sUSDe"] as const) {
      const token = ctx.record.tokens[s]!.address;
      slots[s] = await findBalanceSlot(ctx.provider, token);
      await dealErc20(ctx.provider, token, who, 1234n * WAD);
      expect(await IERC20Metadata__factory.connect(token, ctx.provider).balanceOf(who), s).to.equal(1234n * WAD);
    }
    // OpenZeppelin 5 keeps ERC-20 balances at slot 0, also under ERC-4626 and AccessControl.
    expect(slots).to.deep.equal({ USDC: 0n, sUSDe: 0n });
    // The probe's marker writes were undone.
    for (const s of ["USDC", "sUSDe"] as const) {
      expect(
        await IERC20Metadata__factory.connect(ctx.record.tokens[s]!.address, ctx.provider).balanceOf(
          "0x000000000000000000000000000000000000bEEF",
        ),
      ).to.equal(0n);
    }
  });

  it("finds a balance slot that is not slot 0", async function () {
    const { ctx, deployer } = await loadEmbedded();
    const { OddLayoutToken__factory } = await import("../../typechain-types");
    const token = await new OddLayoutToken__factory(deployer).deploy();
    await token.waitForDeployment();
    const address = await token.getAddress();
    expect(await findBalanceSlot(ctx.provider, address)).to.equal(7n);
    await dealErc20(ctx.provider, address, deployer.address, 42n);
    expect(await token.balanceOf(deployer.address)).to.equal(42n);
  });

  it("impersonates any account with gas money", async function () {
    const { ctx } = await loadEmbedded();
    const someone = "0x000000000000000000000000000000000000bEEF";
    await setEthBalance(ctx.provider, someone, 0n);
    const signer = await impersonate(hre.ethers.provider, someone);
    expect(await ctx.provider.getBalance(someone)).to.be.greaterThan(0n);
    const tx = await signer.sendTransaction({ to: someone, value: 1n });
    expect((await tx.wait())?.status).to.equal(1);
  });
});
