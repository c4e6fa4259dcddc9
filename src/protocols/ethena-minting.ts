/**
 * Ethena's mint and redeem, as one interface over two contracts: our stand-in on the embedded chain
 * (contracts/ethena/EthenaMintingStandIn.sol) and Ethena's EthenaMinting V2 on a mainnet fork
 * (ethena-minting-v2.ts). Redeemers are whitelisted as Ethena whitelists KYC'd market makers; a redemption burns the
 * USDe and pays a stablecoin 1:1 less a fee (0 on mainnet: Ethena documents no protocol fee), within the contract's
 * per-block limits (per asset and global, counted per block number) and the stablecoins the contract holds.
 * The cheats below (limits, fee, pause, reserve) are one job each, like src/chain/cheats.ts.
 */
import { Wallet, keccak256, toUtf8Bytes } from "ethers";
import type { ContractTransactionReceipt, Signer } from "ethers";
import {
  EthenaMintingStandIn__factory,
  IERC20Metadata__factory,
  IEthenaMintingV2__factory,
} from "../../typechain-types";
import type { EthenaMintingStandIn, IEthenaMintingV2 } from "../../typechain-types";
import { WAD } from "../constants";
import type { ChainContext } from "../chain/context";
import { tokenAddress, tokenDecimals } from "../chain/context";
import { dealErc20, impersonate, setEthBalance } from "../chain/cheats";
import { latestBlock } from "../chain/clock";
import { ensureAllowance } from "../chain/erc20";
import { RevertError, decodeRevert } from "../chain/errors";
import { sendTx } from "../chain/tx";
import { InputError } from "../errors";
import { bindContract } from "../chain/bind";

/** The stablecoins Ethena pays redemptions in. */
export type EthenaAsset = "USDC" | "USDT";
export const ETHENA_ASSETS: readonly EthenaAsset[] = ["USDC", "USDT"];

export interface EthenaRedemption {
  usdeRaw: bigint;
  receivedRaw: bigint;
  feeRaw: bigint;
  txHash: string;
  /** Gas of the redeem transaction, and what it cost at the block's gas price. */
  gasUsed: bigint;
  gasCostWei: bigint;
}

export interface EthenaMinting {
  readonly address: string;
  /** Lets `account` redeem and mint (whitelisting, as Ethena does for KYC'd market makers). */
  whitelist(account: string): Promise<void>;
  /** USDe that can still be redeemed for `asset` in the next block: per-block limits (asset and global) and the reserve; 0 when paused. */
  redeemableNowRaw(asset: EthenaAsset): Promise<bigint>;
  feeBps(): Promise<bigint>;
  /** Redeems `usdeRaw` USDe held by `redeemer` for `asset`; amounts read from events/balances. */
  redeem(redeemer: Signer, asset: EthenaAsset, usdeRaw: bigint): Promise<EthenaRedemption>;
}

/** What the cheats below need of an implementation (admin paths, one job each). */
interface EthenaMintingAdmin extends EthenaMinting {
  setRedeemLimitPerBlock(usdeRaw: bigint): Promise<void>;
  pause(): Promise<void>;
  setFeeBps(bps: bigint): Promise<void>;
}

/** The minting contract of the chain: Ethena's own on a mainnet fork, our stand-in anywhere else. */
export function openEthenaMinting(ctx: ChainContext): EthenaMinting {
  return openAdmin(ctx);
}

function openAdmin(ctx: ChainContext): EthenaMintingAdmin {
  const address = ctx.record.ethena?.minting;
  if (!address)
    throw new InputError(
      `profile ${ctx.record.profile}: ethena.minting`,
      "the chain profile records no Ethena minting contract",
      "re-deploy the embedded chain (`npx hardhat embedded:deploy`) or use --profile mainnet",
    );
  return ctx.record.profile === "mainnet"
    ? new EthenaMintingV2(ctx, address)
    : new EthenaMintingStandInAdapter(ctx, address);
}

/** The stand-in: the harness's admin (the deployer) holds its admin and gatekeeper roles. */
class EthenaMintingStandInAdapter implements EthenaMintingAdmin {
  private readonly contract: EthenaMintingStandIn;

  constructor(
    private readonly ctx: ChainContext,
    readonly address: string,
  ) {
    this.contract = bindContract(EthenaMintingStandIn__factory, address, ctx.admin);
  }

  async whitelist(account: string): Promise<void> {
    if (await this.contract.isWhitelistedBenefactor(account)) return;
    await sendTx(this.ctx.provider, `ethena: whitelist ${account}`, () =>
      this.contract.addWhitelistedBenefactor(account),
    );
  }

  /** The next transaction is mined in the next block, whose counters start at what was redeemed there (nothing). */
  async redeemableNowRaw(asset: EthenaAsset): Promise<bigint> {
    const next = (await latestBlock(this.ctx.provider)).number + 1n;
    return this.contract.redeemableInBlock(tokenAddress(this.ctx, asset), next);
  }

  async feeBps(): Promise<bigint> {
    return this.contract.feeBps();
  }

  async redeem(redeemer: Signer, asset: EthenaAsset, usdeRaw: bigint): Promise<EthenaRedemption> {
    await ensureAllowance(this.ctx, redeemer, "USDe", this.address, usdeRaw);
    const receipt = await sendTx(this.ctx.provider, `ethena: redeem USDe for ${asset}`, () =>
      this.contract.connect(redeemer).redeem(tokenAddress(this.ctx, asset), usdeRaw),
    );
    for (const log of receipt.logs) {
      const parsed = this.contract.interface.parseLog(log);
      if (parsed?.name !== "Redeem") continue;
      return {
        usdeRaw: parsed.args.usdeAmount as bigint,
        receivedRaw: parsed.args.collateralAmount as bigint,
        feeRaw: parsed.args.feeAmount as bigint,
        ...txCost(receipt),
      };
    }
    throw new Error(`ethena: redeem ${receipt.hash} emitted no Redeem event`);
  }

  async setRedeemLimitPerBlock(usdeRaw: bigint): Promise<void> {
    for (const asset of ETHENA_ASSETS) {
      if (!this.ctx.record.tokens[asset]) continue;
      await sendTx(this.ctx.provider, `ethena: maxRedeemPerBlock ${asset}`, () =>
        this.contract.setMaxRedeemPerBlock(tokenAddress(this.ctx, asset), usdeRaw),
      );
    }
    await sendTx(this.ctx.provider, "ethena: globalMaxRedeemPerBlock", () =>
      this.contract.setGlobalMaxRedeemPerBlock(usdeRaw),
    );
  }

  async pause(): Promise<void> {
    await sendTx(this.ctx.provider, "ethena: disableMintRedeem", () => this.contract.disableMintRedeem());
  }

  async setFeeBps(bps: bigint): Promise<void> {
    await sendTx(this.ctx.provider, "ethena: setFeeBps", () => this.contract.setFeeBps(bps));
  }
}

/** The transaction hash, gas used and its cost at the effective gas price. */
function txCost(receipt: ContractTransactionReceipt): { txHash: string; gasUsed: bigint; gasCostWei: bigint } {
  return { txHash: receipt.hash, gasUsed: receipt.gasUsed, gasCostWei: receipt.gasUsed * receipt.gasPrice };
}

/** Cheat: the per-block redemption limit of every asset and the global one, USDe raw (0 stops redemptions). */
export async function setEthenaRedeemLimitPerBlock(ctx: ChainContext, usdeRaw: bigint): Promise<void> {
  await openAdmin(ctx).setRedeemLimitPerBlock(usdeRaw);
}

/** Cheat: the gatekeeper disables mint and redeem. */
export async function pauseEthenaMinting(ctx: ChainContext): Promise<void> {
  await openAdmin(ctx).pause();
}

/** Cheat: the redemption (and mint) fee, bps; the stand-in only — EthenaMinting V2 has no fee to set. */
export async function setEthenaFeeBps(ctx: ChainContext, bps: bigint): Promise<void> {
  await openAdmin(ctx).setFeeBps(bps);
}

/** Cheat: `amountRaw` more of `asset` in the minting contract's reserve (what redemptions are paid from). */
export async function fundEthenaReserve(ctx: ChainContext, asset: EthenaAsset, amountRaw: bigint): Promise<void> {
  const minting = openEthenaMinting(ctx).address;
  const token = tokenAddress(ctx, asset);
  const held = await bindContract(IERC20Metadata__factory, token, ctx.provider).balanceOf(minting);
  await dealErc20(ctx.provider, token, minting, held + amountRaw);
}

/** EthenaMinting V2's roles (private constants in the contract: keccak256 of their names). */
const REDEEMER_ROLE = keccak256(toUtf8Bytes("REDEEMER_ROLE"));
const GATEKEEPER_ROLE = keccak256(toUtf8Bytes("GATEKEEPER_ROLE"));
/** IEthenaMinting.OrderType.REDEEM and SignatureType.EIP712. */
const ORDER_TYPE_REDEEM = 1;
const SIGNATURE_EIP712 = 0;
/** How long a signed order stays valid (its `expiry`). */
const ORDER_LIFETIME_SECONDS = 3600n;

type ImpersonatingProvider = ChainContext["provider"] & { getSigner(address: string): Promise<Signer> };

/**
 * Ethena's EthenaMinting V2 on a mainnet fork. On mainnet a whitelisted benefactor signs an EIP-712 order that
 * Ethena's server (REDEEMER_ROLE) submits after an RFQ; here the contract's admin is impersonated to give our
 * redeemer both parts — the benefactor whitelist and REDEEMER_ROLE — and the order is signed by a key of ours that
 * the redeemer delegates to (setDelegatedSigner / confirmDelegatedSigner), over the digest the contract's own
 * hashOrder returns. Redemptions are 1:1 (no fee); the contract checks its stablesDeltaLimit and pays from the
 * stablecoins it holds. Written from the contract's published ABI; exercised only where MAINNET_RPC_URL is set
 * (test/protocols/ethena-minting.test.ts).
 */
class EthenaMintingV2 implements EthenaMintingAdmin {
  private readonly contract: IEthenaMintingV2;
  private orders = 0n;

  constructor(
    private readonly ctx: ChainContext,
    readonly address: string,
  ) {
    this.contract = bindContract(IEthenaMintingV2__factory, address, ctx.provider);
  }

  private as(account: string): Promise<Signer> {
    const p = this.ctx.provider as ImpersonatingProvider;
    if (typeof p.getSigner !== "function")
      throw new Error("ethena: the provider cannot give signers for impersonated accounts");
    return impersonate(p, account);
  }

  private async admin(): Promise<IEthenaMintingV2> {
    return this.contract.connect(await this.as(await this.contract.owner()));
  }

  /** Our order-signing key for a benefactor: derived from its address, so the same on every run. */
  private orderSigner(benefactor: string): Wallet {
    const key = keccak256(toUtf8Bytes(`loopstress:ethena-order-signer:${benefactor.toLowerCase()}`));
    return new Wallet(key, this.ctx.provider);
  }

  async whitelist(account: string): Promise<void> {
    const admin = await this.admin();
    if (!(await admin.hasRole(REDEEMER_ROLE, account)))
      await sendTx(this.ctx.provider, "ethena: grant REDEEMER_ROLE", () => admin.grantRole(REDEEMER_ROLE, account));
    if (!(await admin.isWhitelistedBenefactor(account)))
      await sendTx(this.ctx.provider, "ethena: whitelist benefactor", () => admin.addWhitelistedBenefactor(account));
    const benefactor = this.contract.connect(await this.as(account));
    const key = this.orderSigner(account);
    await setEthBalance(this.ctx.provider, key.address, WAD);
    await sendTx(this.ctx.provider, "ethena: setDelegatedSigner", () => benefactor.setDelegatedSigner(key.address));
    await sendTx(this.ctx.provider, "ethena: confirmDelegatedSigner", () =>
      this.contract.connect(key).confirmDelegatedSigner(account),
    );
    await sendTx(this.ctx.provider, "ethena: setApprovedBeneficiary", () =>
      benefactor.setApprovedBeneficiary(account, true),
    );
  }

  async redeemableNowRaw(asset: EthenaAsset): Promise<bigint> {
    const token = tokenAddress(this.ctx, asset);
    const next = (await latestBlock(this.ctx.provider)).number + 1n;
    const [config, global, perAsset, all, held] = await Promise.all([
      this.contract.tokenConfig(token),
      this.contract.globalConfig(),
      this.contract.totalPerBlockPerAsset(next, token),
      this.contract.totalPerBlock(next),
      bindContract(IERC20Metadata__factory, token, this.ctx.provider).balanceOf(this.address),
    ]);
    if (!config.isActive) return 0n;
    const room = (limit: bigint, used: bigint) => (used >= limit ? 0n : limit - used);
    const limits = [
      room(config.maxRedeemPerBlock, perAsset.redeemedPerBlock),
      room(global.globalMaxRedeemPerBlock, all.redeemedPerBlock),
      held * 10n ** BigInt(18 - tokenDecimals(this.ctx, asset)),
    ];
    return limits.reduce((m, x) => (x < m ? x : m));
  }

  async feeBps(): Promise<bigint> {
    return 0n;
  }

  async redeem(redeemer: Signer, asset: EthenaAsset, usdeRaw: bigint): Promise<EthenaRedemption> {
    const account = await redeemer.getAddress();
    const { number, timestamp } = await latestBlock(this.ctx.provider);
    this.orders++;
    const order: IEthenaMintingV2.OrderStruct = {
      order_id: `loopstress-${number}-${this.orders}`,
      order_type: ORDER_TYPE_REDEEM,
      expiry: timestamp + ORDER_LIFETIME_SECONDS,
      // Nonces are single-use bits of a bitmap; block x 1000 + a counter never repeats within a run.
      nonce: number * 1000n + this.orders,
      benefactor: account,
      beneficiary: account,
      collateral_asset: tokenAddress(this.ctx, asset),
      collateral_amount: usdeRaw / 10n ** BigInt(18 - tokenDecimals(this.ctx, asset)),
      usde_amount: usdeRaw,
    };
    const digest = await this.contract.hashOrder(order);
    const signature = {
      signature_type: SIGNATURE_EIP712,
      signature_bytes: this.orderSigner(account).signingKey.sign(digest).serialized,
    };
    // The contract's own check first: a refusal names its reason before any transaction.
    await this.contract.verifyOrder(order, signature).catch((err: unknown) => {
      throw new RevertError("ethena: verify the redeem order", decodeRevert(err));
    });
    await ensureAllowance(this.ctx, redeemer, "USDe", this.address, usdeRaw);
    const receipt = await sendTx(this.ctx.provider, `ethena: redeem USDe for ${asset}`, () =>
      this.contract.connect(redeemer).redeem(order, signature),
    );
    for (const log of receipt.logs) {
      const parsed = this.contract.interface.parseLog(log);
      if (parsed?.name !== "Redeem") continue;
      return {
        usdeRaw: parsed.args.usde_amount as bigint,
        receivedRaw: parsed.args.collateral_amount as bigint,
        feeRaw: 0n,
        ...txCost(receipt),
      };
    }
    throw new Error(`ethena: redeem ${receipt.hash} emitted no Redeem event`);
  }

  async setRedeemLimitPerBlock(usdeRaw: bigint): Promise<void> {
    const admin = await this.admin();
    for (const asset of ETHENA_ASSETS) {
      await sendTx(this.ctx.provider, `ethena: maxRedeemPerBlock ${asset}`, () =>
        admin.setMaxRedeemPerBlock(usdeRaw, tokenAddress(this.ctx, asset)),
      );
    }
    await sendTx(this.ctx.provider, "ethena: globalMaxRedeemPerBlock", () => admin.setGlobalMaxRedeemPerBlock(usdeRaw));
  }

  /** The gatekeeper's brake, pulled by the admin after granting itself the gatekeeper role. */
  async pause(): Promise<void> {
    const admin = await this.admin();
    const me = await this.contract.owner();
    if (!(await admin.hasRole(GATEKEEPER_ROLE, me)))
      await sendTx(this.ctx.provider, "ethena: grant GATEKEEPER_ROLE", () => admin.grantRole(GATEKEEPER_ROLE, me));
    await sendTx(this.ctx.provider, "ethena: disableMintRedeem", () => admin.disableMintRedeem());
  }

  async setFeeBps(bps: bigint): Promise<void> {
    if (bps === 0n) return;
    throw new InputError(
      "feeBps",
      `EthenaMinting V2 takes no redemption fee (Ethena documents none), so ${bps} bps cannot be set on mainnet`,
      "use feeBps 0 on a mainnet fork",
    );
  }
}
