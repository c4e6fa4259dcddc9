import { expect } from "chai";
import { JsonRpcProvider } from "ethers";
import { loadEmbedded } from "../fixtures";
import { startHardhatNode, stopAllNodes } from "../node-process";
import { chainContext, tokenAddress } from "../../src/chain/context";
import { deal, dealErc20, impersonate } from "../../src/chain/cheats";
import { RevertError } from "../../src/chain/errors";
import { MAINNET_ADMIN, MAINNET_DEFAULT_FORK_BLOCK, buildMainnetProfile } from "../../src/chain/profiles/mainnet";
import { startUpstreamProxy, type UpstreamProxy } from "../../src/chain/upstream";
import { WAD } from "../../src/constants";
import { InputError } from "../../src/errors";
import {
  fundEthenaReserve,
  openEthenaMinting,
  pauseEthenaMinting,
  setEthenaFeeBps,
  setEthenaRedeemLimitPerBlock,
} from "../../src/protocols/ethena-minting";

describe("EthenaMinting adapter: the stand-in on the embedded chain", function () {
  it("opens the recorded contract, and refuses a chain profile that records none", async function () {
    const { ctx, record } = await loadEmbedded();
    expect(openEthenaMinting(ctx).address).to.equal(record.ethena!.minting);
    const { ethena: _none, ...old } = record;
    void _none;
    expect(() => openEthenaMinting({ ...ctx, record: old })).to.throw(
      InputError,
      "profile embedded: ethena.minting: the chain profile records no Ethena minting contract",
    );
  });

  it("drives Ethena's own contract on a mainnet profile, where there is no fee to set", async function () {
    const { ctx, record } = await loadEmbedded();
    const mainnet = { ...ctx, record: { ...record, profile: "mainnet" } };
    expect(await openEthenaMinting(mainnet).feeBps()).to.equal(0n);
    await setEthenaFeeBps(mainnet, 0n);
    const err = await setEthenaFeeBps(mainnet, 5n).catch((e: unknown) => e);
    expect(err).to.be.instanceOf(InputError);
    expect((err as InputError).message).to.equal(
      "feeBps: EthenaMinting V2 takes no redemption fee (Ethena documents none), so 5 bps cannot be set on mainnet — use feeBps 0 on a mainnet fork",
    );
  });

  it("whitelists (once), then redeems 1,000 USDe for 999.5 USDT at 5 bps, amounts from the Redeem event", async function () {
    const { ctx, users } = await loadEmbedded();
    const m = openEthenaMinting(ctx);
    const u = users[0];
    await m.whitelist(u.address);
    await m.whitelist(u.address);
    await setEthenaFeeBps(ctx, 5n);
    expect(await m.feeBps()).to.equal(5n);
    await deal(ctx, "USDe", u, 1_000n * WAD);
    const r = await m.redeem(u, "USDT", 1_000n * WAD);
    const receipt = await ctx.provider.getTransactionReceipt(r.txHash);
    expect({ ...r, txHash: undefined }).to.deep.equal({
      usdeRaw: 1_000n * WAD,
      receivedRaw: 999_500_000n,
      feeRaw: 500_000n,
      txHash: undefined,
      // The stand-in on solc 0.8.28 (137,379 on 0.8.24).
      gasUsed: 137_367n,
      // at the chain's base fee then, 1,000,000,008 wei
      gasCostWei: 137_367_001_098_936n,
    });
    expect(r.gasCostWei).to.equal(receipt!.gasUsed * receipt!.gasPrice);
  });

  it("reports what can be redeemed in the next block: limits, reserve, 0 once paused", async function () {
    const { ctx } = await loadEmbedded();
    const m = openEthenaMinting(ctx);
    expect(await m.redeemableNowRaw("USDC")).to.equal(280_000n * WAD);
    await setEthenaRedeemLimitPerBlock(ctx, 50_000n * WAD);
    expect(await m.redeemableNowRaw("USDC")).to.equal(50_000n * WAD);
    expect(await m.redeemableNowRaw("USDT")).to.equal(50_000n * WAD);
    // The reserve binds once it is below the limit: 20,000 USDC left pays 20,000 USDe.
    await dealErc20(ctx.provider, tokenAddress(ctx, "USDC"), m.address, 20_000n * 10n ** 6n);
    expect(await m.redeemableNowRaw("USDC")).to.equal(20_000n * WAD);
    await pauseEthenaMinting(ctx);
    expect(await m.redeemableNowRaw("USDC")).to.equal(0n);
  });

  it("adds to the reserve", async function () {
    const { ctx } = await loadEmbedded();
    const m = openEthenaMinting(ctx);
    await setEthenaRedeemLimitPerBlock(ctx, 100_000_000n * WAD);
    expect(await m.redeemableNowRaw("USDT")).to.equal(37_000_000n * WAD);
    await fundEthenaReserve(ctx, "USDT", 1_000_000n * 10n ** 6n);
    expect(await m.redeemableNowRaw("USDT")).to.equal(38_000_000n * WAD);
  });

  it("names the contract's refusal: a redeemer that is not whitelisted", async function () {
    const { ctx, users } = await loadEmbedded();
    const u = users[1];
    await deal(ctx, "USDe", u, 10n * WAD);
    const err = await openEthenaMinting(ctx)
      .redeem(u, "USDC", 10n * WAD)
      .catch((e: unknown) => e);
    expect(err).to.be.instanceOf(RevertError);
    expect((err as RevertError).message).to.equal(
      `ethena: redeem USDe for USDC reverted: BenefactorNotWhitelisted(benefactor=${u.address})`,
    );
  });
});

/**
 * Against real Ethereum mainnet (an archive RPC in MAINNET_RPC_URL) at the pinned pre-crash block, through our
 * upstream proxy and a forked `hardhat node`. No machine of this project reaches mainnet, so this runs only where the
 * variable is set, and says so when it is skipped.
 */
describe("EthenaMinting adapter: EthenaMinting V2 on a mainnet fork (needs MAINNET_RPC_URL)", function () {
  this.timeout(600_000);
  let proxy: UpstreamProxy | undefined;
  before(function () {
    if (!process.env.MAINNET_RPC_URL) {
      console.log(
        "    skipped: MAINNET_RPC_URL is not set — the EthenaMinting V2 fork test (whitelisting by the impersonated admin, a redeem order signed by our key) did not run",
      );
      this.skip();
    }
  });
  after(async function () {
    await proxy?.close();
    await stopAllNodes();
  });

  it("whitelists our redeemer and redeems 1,000 USDe for 1,000 USDT with an order signed by our delegated key", async function () {
    const block = MAINNET_DEFAULT_FORK_BLOCK;
    proxy = await startUpstreamProxy({ upstreamUrl: process.env.MAINNET_RPC_URL!, forkBlock: block, chainId: 1 });
    const node = await startHardhatNode(["--fork", proxy.url, "--fork-block-number", String(block)]);
    const provider = new JsonRpcProvider(node.url, undefined, { staticNetwork: true, pollingInterval: 50 });
    await provider.send("hardhat_mine", ["0x1"]);
    const record = await buildMainnetProfile(provider, block, MAINNET_ADMIN);
    const ctx = chainContext(provider, record, await impersonate(provider, MAINNET_ADMIN));
    const m = openEthenaMinting(ctx);
    expect(m.address).to.equal("0xe3490297a08d6fC8Da46Edb7B6142E4F461b62D3");
    const redeemerAddress = "0x0000000000000000000000000000000000001005";
    const redeemer = await impersonate(provider, redeemerAddress);
    await m.whitelist(redeemerAddress);
    await deal(ctx, "USDe", redeemer, 1_000n * WAD);
    expect(await m.feeBps()).to.equal(0n);
    const r = await m.redeem(redeemer, "USDT", 1_000n * WAD);
    expect([r.usdeRaw, r.receivedRaw, r.feeRaw]).to.deep.equal([1_000n * WAD, 1_000_000_000n, 0n]);
    provider.destroy();
  });
});
