import { expect } from "chai";
import hre from "hardhat";
import type { ContractTransactionResponse } from "ethers";
import { EthenaMintingStandIn__factory, StandInERC20__factory } from "../../typechain-types";
import type { EthenaMintingStandIn, StandInERC20 } from "../../typechain-types";
import { loadEmbedded, type EmbeddedFixture } from "../fixtures";
import { deal, dealErc20 } from "../../src/chain/cheats";
import { tokenAddress } from "../../src/chain/context";
import { units } from "./helpers";

/** Gas given to each of two redemptions sent into one block (nothing is estimated against the pending block). */
const GAS = 300_000;

/** The minting stand-in as deployed on the embedded chain (src/embedded/ethena.ts), driven directly. */
describe("EthenaMintingStandIn (contract)", function () {
  let f: EmbeddedFixture;
  let minting: EthenaMintingStandIn;
  let usde: StandInERC20;
  let usdc: StandInERC20;
  let usdcAddress: string;
  let usdtAddress: string;

  beforeEach(async function () {
    f = await loadEmbedded();
    minting = EthenaMintingStandIn__factory.connect(f.record.ethena!.minting, f.deployer);
    usde = StandInERC20__factory.connect(tokenAddress(f.ctx, "USDe"), f.deployer);
    usdcAddress = tokenAddress(f.ctx, "USDC");
    usdtAddress = tokenAddress(f.ctx, "USDT");
    usdc = StandInERC20__factory.connect(usdcAddress, f.deployer);
  });

  /** users[0], whitelisted, holding `usdeWhole` USDe and having approved the contract. */
  async function benefactor(usdeWhole: bigint) {
    const u = f.users[0];
    await minting.addWhitelistedBenefactor(u.address);
    await deal(f.ctx, "USDe", u, units(usdeWhole, 18));
    await usde.connect(u).approve(await minting.getAddress(), units(usdeWhole, 18));
    return u;
  }

  /**
   * Sends both transactions into one block (automine off, fixed gas so nothing is estimated), mines it, and returns
   * the block, the first receipt's status and the custom error the second reverted with (from the node's trace).
   */
  async function twoInOneBlock(
    first: () => Promise<ContractTransactionResponse>,
    second: () => Promise<ContractTransactionResponse>,
  ): Promise<{ block: number; firstStatus: number | null; secondError: string }> {
    await hre.network.provider.send("evm_setAutomine", [false]);
    let a: ContractTransactionResponse;
    let b: ContractTransactionResponse;
    try {
      a = await first();
      b = await second();
    } finally {
      await hre.network.provider.send("evm_setAutomine", [true]);
    }
    await hre.network.provider.send("evm_mine", []);
    const ra = await hre.ethers.provider.getTransactionReceipt(a.hash);
    const rb = await hre.ethers.provider.getTransactionReceipt(b.hash);
    expect(ra!.blockNumber).to.equal(rb!.blockNumber);
    expect(rb!.status).to.equal(0);
    const trace = (await hre.network.provider.send("debug_traceTransaction", [b.hash])) as { returnValue: string };
    const err = minting.interface.parseError(`0x${trace.returnValue.replace(/^0x/, "")}`)!;
    return { block: ra!.blockNumber, firstStatus: ra!.status, secondError: `${err.name}(${err.args.join(", ")})` };
  }

  it("is deployed with the embedded parameters: 280,000 USDe per block per asset and globally, no fee, 37M reserves, USDe minter", async function () {
    const c = await minting.tokenConfig(usdcAddress);
    expect([c.isActive, c.maxMintPerBlock, c.maxRedeemPerBlock]).to.deep.equal([
      true,
      units(280_000n, 18),
      units(280_000n, 18),
    ]);
    const g = await minting.globalConfig();
    expect([g.globalMaxMintPerBlock, g.globalMaxRedeemPerBlock]).to.deep.equal([
      units(280_000n, 18),
      units(280_000n, 18),
    ]);
    expect(await minting.feeBps()).to.equal(0n);
    expect(await usdc.balanceOf(await minting.getAddress())).to.equal(units(37_000_000n, 6));
    expect(await usde.hasRole(await usde.MINTER_ROLE(), await minting.getAddress())).to.equal(true);
  });

  it("redeems USDe 1:1 less the fee, burning the USDe: 1,000 USDe at 4 bps pays 999.6 USDC", async function () {
    const u = await benefactor(1_000n);
    await minting.setFeeBps(4);
    const supply = await usde.totalSupply();
    const reserve = await usdc.balanceOf(await minting.getAddress());
    await expect(minting.connect(u).redeem(usdcAddress, units(1_000n, 18)))
      .to.emit(minting, "Redeem")
      .withArgs(u.address, usdcAddress, units(1_000n, 18), 999_600_000n, 400_000n);
    expect(await usdc.balanceOf(u.address)).to.equal(999_600_000n);
    expect(await usde.balanceOf(u.address)).to.equal(0n);
    expect(await usde.totalSupply()).to.equal(supply - units(1_000n, 18));
    expect(await usde.balanceOf(await minting.getAddress())).to.equal(0n);
    expect(await usdc.balanceOf(await minting.getAddress())).to.equal(reserve - 999_600_000n);
  });

  it("mints the reverse: 1,000 USDT at 4 bps mints 999.6 USDe and adds the USDT to the reserve", async function () {
    const u = f.users[1];
    await minting.addWhitelistedBenefactor(u.address);
    await minting.setFeeBps(4);
    await deal(f.ctx, "USDT", u, units(1_000n, 6));
    const usdt = StandInERC20__factory.connect(usdtAddress, u);
    await usdt.approve(await minting.getAddress(), units(1_000n, 6));
    const reserve = await usdt.balanceOf(await minting.getAddress());
    await expect(minting.connect(u).mint(usdtAddress, units(1_000n, 6)))
      .to.emit(minting, "Mint")
      .withArgs(u.address, usdtAddress, units(1_000n, 6), 999_600_000_000_000_000_000n, 400_000_000_000_000_000n);
    expect(await usde.balanceOf(u.address)).to.equal(999_600_000_000_000_000_000n);
    expect(await usdt.balanceOf(await minting.getAddress())).to.equal(reserve + units(1_000n, 6));
  });

  it("counts the per-asset limit per block number: 60,000 then 50,000 USDC in one block is refused, the 50,000 passes next block", async function () {
    const u = await benefactor(110_000n);
    await minting.setMaxRedeemPerBlock(usdcAddress, units(100_000n, 18));
    const m = minting.connect(u);
    const r = await twoInOneBlock(
      () => m.redeem(usdcAddress, units(60_000n, 18), { gasLimit: GAS }),
      () => m.redeem(usdcAddress, units(50_000n, 18), { gasLimit: GAS }),
    );
    expect(r.firstStatus).to.equal(1);
    expect(r.secondError).to.equal(
      `MaxRedeemPerBlockExceeded(${usdcAddress}, ${units(50_000n, 18)}, ${units(40_000n, 18)})`,
    );
    const mined = r.block;
    expect((await minting.totalPerBlockPerAsset(mined, usdcAddress)).redeemedPerBlock).to.equal(units(60_000n, 18));
    expect(await minting.redeemableInBlock(usdcAddress, mined)).to.equal(units(40_000n, 18));
    expect(await minting.redeemableInBlock(usdcAddress, mined + 1)).to.equal(units(100_000n, 18));
    await expect(m.redeem(usdcAddress, units(50_000n, 18))).to.emit(minting, "Redeem");
    await expect(m.redeem(usdcAddress, units(100_001n, 18)))
      .to.be.revertedWithCustomError(minting, "MaxRedeemPerBlockExceeded")
      .withArgs(usdcAddress, units(100_001n, 18), units(100_000n, 18));
  });

  it("counts the global limit across assets: 200,000 USDC then 100,000 USDT in one block exceeds 280,000", async function () {
    const u = await benefactor(300_000n);
    const m = minting.connect(u);
    const r = await twoInOneBlock(
      () => m.redeem(usdcAddress, units(200_000n, 18), { gasLimit: GAS }),
      () => m.redeem(usdtAddress, units(100_000n, 18), { gasLimit: GAS }),
    );
    expect(r.firstStatus).to.equal(1);
    expect(r.secondError).to.equal(`GlobalMaxRedeemPerBlockExceeded(${units(100_000n, 18)}, ${units(80_000n, 18)})`);
    const mined = r.block;
    expect((await minting.totalPerBlock(mined)).redeemedPerBlock).to.equal(units(200_000n, 18));
    // Per asset the USDT room is whole; the global room left is what binds.
    expect(await minting.redeemableInBlock(usdtAddress, mined)).to.equal(units(80_000n, 18));
  });

  it("refuses a benefactor that is not whitelisted", async function () {
    const u = f.users[2];
    await deal(f.ctx, "USDe", u, units(1_000n, 18));
    await expect(minting.connect(u).redeem(usdcAddress, units(1_000n, 18)))
      .to.be.revertedWithCustomError(minting, "BenefactorNotWhitelisted")
      .withArgs(u.address);
  });

  it("refuses mint and redeem once the gatekeeper disables them, and reports nothing redeemable", async function () {
    const u = await benefactor(1_000n);
    await minting.disableMintRedeem();
    await expect(minting.connect(u).redeem(usdcAddress, units(1_000n, 18))).to.be.revertedWithCustomError(
      minting,
      "MintRedeemDisabled",
    );
    await expect(minting.connect(u).mint(usdcAddress, units(1_000n, 6))).to.be.revertedWithCustomError(
      minting,
      "MintRedeemDisabled",
    );
    expect(await minting.redeemableInBlock(usdcAddress, (await hre.ethers.provider.getBlockNumber()) + 1)).to.equal(0n);
    await expect(minting.connect(f.users[3]).disableMintRedeem()).to.be.revertedWithCustomError(
      minting,
      "AccessControlUnauthorizedAccount",
    );
  });

  it("refuses a redemption the reserve cannot pay, naming what it needs and holds", async function () {
    const u = await benefactor(2_000n);
    await dealErc20(f.ctx.provider, usdcAddress, await minting.getAddress(), units(1_000n, 6));
    const next = (await hre.ethers.provider.getBlockNumber()) + 1;
    expect(await minting.redeemableInBlock(usdcAddress, next)).to.equal(units(1_000n, 18));
    await expect(minting.connect(u).redeem(usdcAddress, units(2_000n, 18)))
      .to.be.revertedWithCustomError(minting, "InsufficientReserve")
      .withArgs(usdcAddress, units(2_000n, 6), units(1_000n, 6));
  });

  it("refuses an asset it does not support and a fee above 100%", async function () {
    const u = await benefactor(1_000n);
    const dai = tokenAddress(f.ctx, "DAI");
    await expect(minting.connect(u).redeem(dai, units(1_000n, 18)))
      .to.be.revertedWithCustomError(minting, "UnsupportedAsset")
      .withArgs(dai);
    await expect(minting.setFeeBps(10_001))
      .to.be.revertedWithCustomError(minting, "FeeAboveOneHundredPercent")
      .withArgs(10_001);
  });
});
