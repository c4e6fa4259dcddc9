/**
 * The redemption arbitrageur of 10-11 Oct 2025: a whitelisted market maker that buys USDe on chain below what Ethena
 * pays for it (1 USD less the fee) and redeems it with Ethena's minting contract, pulling the pool back up. Each round
 * it looks at the USDe/USDC and USDe/USDT pools, buys on the cheaper one with that stablecoin — as much as brings the
 * price it pays back up to the threshold 1 − fee − gas per USDe, and no more than the contract lets it redeem now —
 * then redeems it, in one redeem transaction. The contract's per-block limit is therefore its capacity per round: a
 * round is one block of redemption (the whole capacity of the next block), whatever else the round holds.
 */
import type { Signer } from "ethers";
import { IERC20Metadata__factory } from "../../typechain-types";
import { WAD } from "../constants";
import type { ChainContext } from "../chain/context";
import { tokenAddress, tokenDecimals } from "../chain/context";
import { deal } from "../chain/cheats";
import { latestBlock } from "../chain/clock";
import type { Dex } from "../dex/dex";
import { QuoteLens, type PurchaseSearch } from "../dex/quote-lens";
import { parseUnitsExact } from "../math/fixed-point";
import { getFeedPrice } from "../oracles/feeds";
import type { EthenaAsset, EthenaMinting } from "../protocols/ethena-minting";
import {
  ETHENA_ASSETS,
  openEthenaMinting,
  pauseEthenaMinting,
  setEthenaFeeBps,
  setEthenaRedeemLimitPerBlock,
} from "../protocols/ethena-minting";
import { actorAddress, actorSigner } from "./accounts";
import type { Actor, Exposure, RedemptionEvent } from "./actor";
import { bindContract } from "../chain/bind";

export type { RedemptionEvent } from "./actor";

export interface RedemptionSpec {
  /** USDe redeemable per block (whole tokens): the minting contract's maxRedeemPerBlock, per asset and global. */
  capacityPerBlockUsde: string;
  /** Ethena's fee on a redemption, bps (0: Ethena documents none). */
  feeBps: number;
  /** Gas price the arbitrageur pays, gwei: its gas cost per buy + redeem, in USD at the ETH/USD feed. */
  gasPriceGwei: string;
  /** It starts redeeming only this many blocks after it first sees a discount. */
  delayBlocks: number;
  /** Ethena's gatekeeper has disabled mint and redeem: nothing is redeemed. */
  paused: boolean;
}

const FIELD = "actors.redemptions";
const ETH_FEED = "ETH/USD";
const BPS = 10_000n;
/** Chainlink USD feeds' 8 decimals. */
const E8 = 100_000_000n;
/**
 * Gas of one buy (Uniswap V3 exactInputSingle, one pool, crossing ticks) plus one redeem on the stand-in, measured on
 * the embedded chain (test/actors/redemption-arbitrageur.test.ts pins the measured pair); the decision to act uses it
 * before anything is sent.
 */
export const BUY_AND_REDEEM_GAS = 263_000n;
/** Stablecoin inventory, in rounds of capacity: what it redeems comes back as the same stablecoin. */
const INVENTORY_ROUNDS = 2n;

export class RedemptionArbitrageur implements Actor {
  readonly name = "redemption-arbitrageur";
  /** Its purchases lift the USDe pools. */
  readonly movesPrice = true;
  readonly account: string;
  private readonly minting: EthenaMinting;
  /** The knobs, parsed when the actor is built (before any transaction). */
  private readonly capacityRaw: bigint;
  private readonly gasPriceWei: bigint;
  private signer?: Signer;
  /** The block it first saw a discount in, this run. */
  private firstDiscountBlock?: bigint;

  constructor(
    private readonly ctx: ChainContext,
    private readonly dex: Dex,
    scenario: string,
    readonly spec: RedemptionSpec,
  ) {
    this.account = actorAddress(scenario, "redemption-arbitrageur");
    this.minting = openEthenaMinting(ctx);
    this.capacityRaw = parseUnitsExact(spec.capacityPerBlockUsde, 18, `${FIELD}.capacityPerBlockUsde`);
    this.gasPriceWei = parseUnitsExact(spec.gasPriceGwei, 9, `${FIELD}.gasPriceGwei`);
  }

  private async user(): Promise<Signer> {
    this.signer ??= await actorSigner(this.ctx, this.account);
    return this.signer;
  }

  /** The contract as the scenario sets it (capacity, fee, gatekeeper); whitelisting; a stablecoin inventory. */
  async open(): Promise<void> {
    const capacity = this.capacityRaw;
    await setEthenaRedeemLimitPerBlock(this.ctx, capacity);
    await setEthenaFeeBps(this.ctx, BigInt(this.spec.feeBps));
    if (this.spec.paused) await pauseEthenaMinting(this.ctx);
    await this.minting.whitelist(this.account);
    const user = await this.user();
    for (const asset of this.assets()) {
      const decimals = tokenDecimals(this.ctx, asset);
      await deal(this.ctx, asset, user, (capacity * INVENTORY_ROUNDS) / 10n ** BigInt(18 - decimals));
    }
  }

  async begin(): Promise<void> {
    this.firstDiscountBlock = undefined;
  }

  /** It holds no loans. */
  candidates(): Exposure[] {
    return [];
  }

  /** The stablecoins it can both buy USDe with on this venue and redeem for. */
  private assets(): EthenaAsset[] {
    return ETHENA_ASSETS.filter((a) => this.ctx.record.tokens[a] && this.dex.poolFor("USDe", a));
  }

  /** Gas of a buy + redeem in USD (WAD), at the scenario's gas price and the ETH/USD feed. */
  async gasCostUsdWad(): Promise<bigint> {
    return (this.gasPriceWei * BUY_AND_REDEEM_GAS * (await getFeedPrice(this.ctx, ETH_FEED))) / E8;
  }

  /** Buys and redeems once when USDe trades below the threshold (after the delay); else nothing. */
  async react(): Promise<RedemptionEvent | undefined> {
    if (this.spec.paused) return undefined;
    // The cheapest USDe among the pools it can redeem the proceeds of.
    let best: { asset: EthenaAsset; priceWad: bigint } | undefined;
    for (const asset of this.assets()) {
      const priceWad = await this.dex.price("USDe", asset);
      if (!best || priceWad < best.priceWad) best = { asset, priceWad };
    }
    if (!best) return undefined;
    const { asset, priceWad: before } = best;
    const redeemable = await this.minting.redeemableNowRaw(asset);
    if (redeemable === 0n) return undefined;
    const gasUsdWad = await this.gasCostUsdWad();
    const feeBps = await this.minting.feeBps();
    // Gas is spread over the most it can redeem this round.
    const thresholdWad = WAD - (WAD * feeBps) / BPS - (gasUsdWad * WAD) / redeemable;
    if (before >= thresholdWad) return undefined;
    const block = (await latestBlock(this.ctx.provider)).number;
    this.firstDiscountBlock ??= block;
    if (block - this.firstDiscountBlock < BigInt(this.spec.delayBlocks)) return undefined;

    const user = await this.user();
    const unit = 10n ** BigInt(18 - tokenDecimals(this.ctx, asset));
    const spendRaw = await this.purchaseSize(asset, thresholdWad, redeemable, unit);
    if (spendRaw === 0n) return undefined;
    const boughtQuote = await this.dex.quoteExactIn(asset, "USDe", spendRaw);
    // The gas is fixed: a purchase too small to pay for it is not made.
    const expectedUsdWad = ((boughtQuote / unit) * (BPS - feeBps) * unit) / BPS - spendRaw * unit - gasUsdWad;
    if (expectedUsdWad <= 0n) return undefined;

    const swap = await this.dex.swapExactIn(user, asset, "USDe", spendRaw);
    const usde = bindContract(IERC20Metadata__factory, tokenAddress(this.ctx, "USDe"), this.ctx.provider);
    const held = await usde.balanceOf(this.account);
    const room = await this.minting.redeemableNowRaw(asset);
    const r = await this.minting.redeem(user, asset, held < room ? held : room);
    const gasUsed = swap.receipt.gasUsed + r.gasUsed;
    return {
      actor: "redemption-arbitrageur",
      account: this.account,
      asset,
      pool: swap.pool,
      venue: swap.venue,
      usdeBoughtRaw: swap.amountOutRaw.toString(),
      stableSpentRaw: swap.amountInRaw.toString(),
      usdeRedeemedRaw: r.usdeRaw.toString(),
      receivedRaw: r.receivedRaw.toString(),
      feeRaw: r.feeRaw.toString(),
      dexPriceBeforeWad: before.toString(),
      dexPriceAfterWad: (await this.dex.price("USDe", asset)).toString(),
      thresholdWad: thresholdWad.toString(),
      gasUsed: gasUsed.toString(),
      gasCostUsdWad: gasUsdWad.toString(),
      profitUsdWad: ((r.receivedRaw - swap.amountInRaw) * unit - gasUsdWad).toString(),
      redeemTxHash: r.txHash,
    };
  }

  /**
   * The stablecoin to spend (raw): the largest amount, to one whole token, whose last unit still buys USDe at or
   * below the threshold (the marginal price, pool fee included, from two quotes a whole token apart) and whose USDe
   * the contract can redeem now; no more than its inventory.
   */
  private async purchaseSize(asset: EthenaAsset, thresholdWad: bigint, redeemable: bigint, unit: bigint) {
    const step = WAD / unit; // one whole stablecoin, raw
    const token = bindContract(IERC20Metadata__factory, tokenAddress(this.ctx, asset), this.ctx.provider);
    const inventory = await token.balanceOf(this.account);
    // Below 1 USD a USDe, `redeemable / unit` of stablecoin buys more USDe than can be redeemed.
    const cap = redeemable / unit < inventory ? redeemable / unit : inventory;
    const ok = async (spend: bigint): Promise<boolean> => {
      const out = await this.dex.quoteExactIn(asset, "USDe", spend);
      if (out > redeemable) return false;
      const next = await this.dex.quoteExactIn(asset, "USDe", spend + step);
      // Price of the next whole token's USDe: `step` stablecoin (in USD WAD) per USDe bought.
      return next > out && (step * unit * WAD) / (next - out) <= thresholdWad;
    };
    // One step of the bisection on the largest whole number of tokens that is ok (lo = 0 before the first step).
    const stepOnce = async ({ lo, hi }: PurchaseSearch): Promise<PurchaseSearch> => {
      if (lo === 0n) {
        if (hi === 0n || !(await ok(step))) return { lo: 0n, hi: 0n, done: true };
        return { lo: 1n, hi, done: 1n >= hi };
      }
      const mid = (lo + hi + 1n) / 2n;
      const next = (await ok(mid * step)) ? { lo: mid, hi } : { lo, hi: mid - 1n };
      return { ...next, done: next.lo >= next.hi };
    };
    // The lens runs the same steps in one call, as far as it can decide them; this account takes any step it left.
    const lens = await QuoteLens.open(this.ctx);
    const routes = this.dex.lensRoutes(asset, "USDe");
    let s: PurchaseSearch = { lo: 0n, hi: cap / step, done: false };
    while (!s.done) {
      const moved =
        lens && routes
          ? await lens.purchaseSearch(routes, { stepRaw: step, unit, thresholdWad, redeemableRaw: redeemable }, s)
          : s;
      s = moved.lo !== s.lo || moved.hi !== s.hi || moved.done ? moved : await stepOnce(s);
    }
    return s.lo * step;
  }
}
