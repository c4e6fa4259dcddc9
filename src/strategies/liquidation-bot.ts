/**
 * A liquidation bot: finds liquidatable positions among known borrowers and liquidates them under each protocol's
 * own rules (close factor, incentive, no self-liquidation — the adapters call the protocols, a refusal is a
 * decoded revert), selling the seized collateral on the DEX — the sales that deepen a crash.
 *
 * Two ways to fund it, as real bots do:
 * - "flash" (default): our FlashLiquidator borrows the debt token, liquidates, sells the collateral and repays in one
 *   transaction; an unprofitable liquidation reverts and is recorded as refused.
 * - "inventory": the bot holds the debt token, liquidates, then sells in a second transaction (or keeps the
 *   collateral when `sell` is false).
 * Profit is measured from the contracts' events and balances, gas included.
 *
 * Three kinds of liquidator, as on 10 Oct 2025 (a scenario sets the mix):
 * - "seller" sells what it seizes at once (flash, or inventory with `sell`): in a drained pool it refuses.
 * - "inventory" repays from its own stablecoins; it sells at once when the sale covers what it repaid, and otherwise
 *   holds the collateral, which it does only when the bonus covers the markdown it expects to take on it later.
 * - "redeemer" is whitelisted with Ethena: it repays from its own stablecoins and redeems the USDe it seizes 1:1
 *   (less Ethena's fee, within the per-block limit), so a USDe price on the DEX does not matter to it.
 */
import { MaxUint256, Signer } from "ethers";
import { WAD } from "../constants";
import type { ChainContext } from "../chain/context";
import { tokenDecimals } from "../chain/context";
import { deal } from "../chain/cheats";
import { RevertError } from "../chain/errors";
import { flashLiquidator } from "../chain/tools";
import { ensureAllowance } from "../chain/erc20";
import type { Dex } from "../dex/dex";
import { QuoteLens } from "../dex/quote-lens";
import { getFeedDecimals, getFeedPrice } from "../oracles/feeds";
import { OWN_FEED } from "../oracles/policy";
import type { LendingMarket, LiquidationRecord } from "../protocols/lending-market";
import { sameAddress } from "../domain/address";
import type { TokenSymbol } from "../domain/tokens";
import type { EthenaMinting } from "../protocols/ethena-minting";
import { seizeEstimate } from "./seize-estimate";

export interface SaleRecord {
  soldRaw: bigint;
  receivedRaw: bigint;
  /** DEX price of the collateral in the debt token before and after the sale, WAD. */
  priceBeforeWad: bigint;
  priceAfterWad: bigint;
  /** Where it was sold, e.g. "uniswap-v3:WETH/USDT-0.05%" or "curve:USDe/USDC/USDT/DAI". */
  venue: string;
  txHash: string;
}

/** Seized collateral an inventory liquidator kept instead of selling, valued two ways (debt units). */
export interface HeldCollateral {
  collateralRaw: bigint;
  /** At the protocol's oracle price at the liquidation. */
  oracleValueRaw: bigint;
  /** What the DEX would pay for it right after the liquidation (0 without a route). */
  dexQuoteRaw: bigint;
}

/** Seized USDe a redeemer redeemed with Ethena. */
export interface RedemptionRecord {
  asset: "USDC" | "USDT";
  usdeRaw: bigint;
  /** Stablecoin received, in `asset` units. */
  receivedRaw: bigint;
  feeRaw: bigint;
  txHash: string;
}

export interface LiquidationOutcome {
  kind: LiquidatorKind;
  mode: BotMode;
  record: LiquidationRecord;
  sale?: SaleRecord;
  held?: HeldCollateral;
  redemption?: RedemptionRecord;
  /** Flash mode: Aave's flash-loan premium, debt units. */
  flashPremiumRaw: bigint;
  /**
   * Debt token received from the sale (or the redemption) minus debt repaid and premium (signed, debt units); for
   * held collateral, its oracle value less the markdown the liquidator expects.
   */
  profitRaw: bigint;
  gasCostWei: bigint;
  /** Profit after gas, USD WAD (debt token at its USD feed, gas at ETH/USD). */
  netProfitUsdWad: bigint;
}

export type BotMode = "flash" | "inventory";

export const LIQUIDATOR_KINDS = ["seller", "inventory", "redeemer"] as const;
export type LiquidatorKind = (typeof LIQUIDATOR_KINDS)[number];

const BPS = 10_000n;
/** A flash liquidation is tried down to 1/2^4 = 1/16 of the debt when the whole would sell at a loss. */
const MAX_HALVINGS = 4n;

export interface BotOptions {
  mode?: BotMode;
  /** Inventory mode: sell seized collateral immediately (default true). Flash mode always sells. */
  sell?: boolean;
  /** Safety valve on repeated liquidations of one position in one sweep (Aave's 50% close factor). */
  maxCallsPerPosition?: number;
  /** What the bot does with what it seizes (default "seller"). */
  kind?: LiquidatorKind;
  /** Inventory: the markdown it expects to take on held collateral when it sells later, bps of the oracle price. */
  expectedMarkdownBps?: bigint;
  /** Redeemer: Ethena's minting contract (the liquidator must be whitelisted on it). */
  minting?: EthenaMinting;
}

export interface Refusal {
  market: string;
  borrower: string;
  reason: string;
  /** The kind of liquidator that refused (or declined). */
  liquidator: LiquidatorKind;
}

/** What an inventory liquidator expects to lose on held collateral unless told otherwise: 1%. */
const DEFAULT_EXPECTED_MARKDOWN_BPS = 100n;

function redemptionAsset(debt: TokenSymbol): "USDC" | "USDT" {
  return debt === "USDT" ? "USDT" : "USDC";
}

async function usdPerUnitWad(ctx: ChainContext, feedName: string): Promise<bigint> {
  if (!ctx.record.feeds[feedName]) throw new Error(`feed ${feedName} is not in chain profile ${ctx.record.profile}`);
  const [priceE8, decimals] = await Promise.all([getFeedPrice(ctx, feedName), getFeedDecimals(ctx, feedName)]);
  return (priceE8 * WAD) / 10n ** decimals;
}

export class LiquidationBot {
  /** Liquidations the protocols (or the bot's own profitability check) refused, with their decoded reasons. */
  readonly refusals: Refusal[] = [];
  /**
   * Flash liquidations refused as unprofitable, with the DEX/oracle price ratio of the collateral at the time: profit
   * ~ repaid x ((1 + bonus) x dex / oracle - 1), so like a real bot (which simulates first) it retries only once that
   * ratio has improved, instead of sending the same losing transaction every round.
   */
  private readonly unprofitableAt = new Map<string, bigint>();
  /** Positions this bot declined for a reason of its own (recorded once per run, not every round). */
  private readonly declined = new Set<string>();
  readonly mode: BotMode;
  readonly kind: LiquidatorKind;

  constructor(
    private readonly ctx: ChainContext,
    private readonly dex: Dex,
    readonly liquidator: Signer,
    private readonly options: BotOptions = {},
  ) {
    this.kind = options.kind ?? "seller";
    // Inventory liquidators and redeemers repay from their own stablecoins.
    this.mode = this.kind === "seller" ? (options.mode ?? "flash") : "inventory";
    if (this.kind === "redeemer" && !options.minting)
      throw new Error("liquidation bot: a redeemer needs Ethena's minting contract");
  }

  /**
   * Liquidates everything liquidatable among `borrowers` on `market`, repeating while the protocol allows.
   * `liquidatableNow` reads which of them are liquidatable (by default the market's own batched read); a sweep of
   * several kinds passes one that reads once per block.
   */
  async sweep(
    market: LendingMarket,
    borrowers: string[],
    liquidatableNow: () => Promise<string[]> = () => market.liquidatable(borrowers),
  ): Promise<LiquidationOutcome[]> {
    // A redeemer only takes what Ethena redeems at once: USDe (sUSDe has a cooldown).
    if (this.kind === "redeemer" && market.collateral !== "USDe") return [];
    const outcomes: LiquidationOutcome[] = [];
    const me = await this.liquidator.getAddress();
    const maxCalls = this.options.maxCallsPerPosition ?? 8;
    const sells = this.kind === "seller" && (this.mode === "flash" || (this.options.sell ?? true));
    // A bot never liquidates itself.
    const liquidatable = (await liquidatableNow()).filter((b) => !sameAddress(b, me));
    for (const borrower of liquidatable) {
      if (sells && !this.dex.hasRoute(market.collateral, market.debt)) {
        // A bot that must sell what it seizes leaves collateral it cannot sell.
        this.refuse(market, borrower, `no DEX route to sell ${market.collateral} for ${market.debt}`);
        continue;
      }
      const declined = await this.declineReason(market);
      if (declined !== undefined) {
        this.decline(market, borrower, declined);
        continue;
      }
      const key = `${market.key}|${borrower}`;
      const skipUntil = this.unprofitableAt.get(key);
      if (skipUntil !== undefined && (await this.dexOverOracle(market)) <= skipUntil) continue;
      for (let call = 0; call < maxCalls; call++) {
        const pos = await market.position(borrower);
        if (!pos.liquidatable) break;
        try {
          const debtRaw = pos.debt[0].amountRaw;
          const flash =
            this.kind === "seller" && this.mode === "flash"
              ? await this.flashSize(market, borrower, debtRaw)
              : undefined;
          if (flash && "unprofitable" in flash) {
            // Simulated first, like a real bot: a sale at a loss is never sent.
            this.refuse(market, borrower, flash.unprofitable);
            this.unprofitableAt.set(key, await this.dexOverOracle(market));
            break;
          }
          outcomes.push(
            this.kind === "inventory"
              ? await this.viaHolding(market, borrower, debtRaw)
              : this.kind === "redeemer"
                ? await this.viaRedemption(market, borrower, debtRaw)
                : flash
                  ? await this.viaFlash(market, borrower, flash)
                  : await this.viaInventory(market, borrower, debtRaw),
          );
          this.unprofitableAt.delete(key);
        } catch (err) {
          if (!(err instanceof RevertError)) throw err;
          this.refuse(market, borrower, err.reason);
          if (/^(Unprofitable|ProfitBelowMinimum)\(/.test(err.reason))
            this.unprofitableAt.set(key, await this.dexOverOracle(market));
          break;
        }
      }
    }
    return outcomes;
  }

  private refuse(market: LendingMarket, borrower: string, reason: string): void {
    this.refusals.push({ market: market.key, borrower, reason, liquidator: this.kind });
  }

  private decline(market: LendingMarket, borrower: string, reason: string): void {
    const key = `${market.key}|${borrower}|${reason}`;
    if (this.declined.has(key)) return;
    this.declined.add(key);
    this.refuse(market, borrower, reason);
  }

  /**
   * Why this bot will not liquidate on `market` now, before it sends anything (as a real bot simulates first):
   * an inventory liquidator whose bonus does not cover the markdown it expects; a redeemer with no redemption
   * capacity left, or whose bonus does not cover Ethena's fee at the oracle price.
   */
  private async declineReason(market: LendingMarket): Promise<string | undefined> {
    if (this.kind === "seller") return undefined;
    const incentiveBps = await this.netIncentiveBps(market);
    if (this.kind === "inventory") {
      const markdownBps = this.options.expectedMarkdownBps ?? DEFAULT_EXPECTED_MARKDOWN_BPS;
      // It keeps (1 + bonus) x (1 - markdown) per unit repaid.
      return incentiveBps * (BPS - markdownBps) > BPS * BPS
        ? undefined
        : `BonusBelowMarkdown(incentiveBps=${incentiveBps}, expectedMarkdownBps=${markdownBps})`;
    }
    const minting = this.minting();
    const asset = redemptionAsset(market.debt);
    // Per whole USDe seized it receives 1 - fee stablecoin; it pays the oracle price / (1 + bonus) for it.
    const [redeemableRaw, feeBps, priceRaw] = await Promise.all([
      minting.redeemableNowRaw(asset),
      minting.feeBps(),
      market.collateralPriceWad(), // debt raw per whole USDe
    ]);
    if (redeemableRaw === 0n) return `RedemptionUnavailable(asset=${asset})`;
    const oneDebtRaw = 10n ** BigInt(tokenDecimals(this.ctx, market.debt));
    return oneDebtRaw * (BPS - feeBps) * incentiveBps > priceRaw * BPS * BPS
      ? undefined
      : `RedemptionUnprofitable(feeBps=${feeBps}, incentiveBps=${incentiveBps})`;
  }

  /** Collateral received per unit repaid, after the protocol's share of the bonus, bps (10_400 = 4% bonus). */
  private async netIncentiveBps(market: LendingMarket): Promise<bigint> {
    const r = await market.riskParams();
    const bonusWad = r.liquidationIncentiveWad - WAD;
    const keptWad = WAD + bonusWad - (bonusWad * r.protocolFeeOfBonusWad) / WAD;
    return (keptWad * BPS) / WAD;
  }

  private minting(): EthenaMinting {
    if (!this.options.minting) throw new Error("liquidation bot: a redeemer needs Ethena's minting contract");
    return this.options.minting;
  }

  /** DEX price of the collateral in the debt token over the protocol's oracle price, WAD (with a 1 bp hysteresis). */
  private async dexOverOracle(market: LendingMarket): Promise<bigint> {
    const [oracle, dex] = await Promise.all([
      market.collateralPriceWad(), // debt raw per 1e18 collateral raw
      this.dex.price(market.collateral, market.debt), // whole debt per whole collateral, WAD
    ]);
    const dexRaw = (dex * 10n ** BigInt(tokenDecimals(this.ctx, market.debt))) / WAD;
    return oracle === 0n ? 0n : (dexRaw * WAD * 10_000n) / (oracle * 10_001n);
  }

  /**
   * How much a flash liquidation should repay, found by quoting the sale first (as a real bot simulates): the whole
   * debt (the protocol caps it at its close factor), else half, a quarter, … down to 1/2^MAX_HALVINGS, the first
   * whose seized collateral the DEX buys for at least the repayment plus the flash premium. Undefined when even the
   * smallest share would sell at a loss: nothing is sent.
   *
   * The smallest share is quoted first. Every venue pays less per unit the more it is sold (price impact), while
   * what is owed per unit seized is the same at every share (up to the rounding of the halvings), so when the
   * smallest share does not cover, no larger one does: the bot refuses after one small quote instead of quoting every
   * share, the largest first, each walking the drained pool's ticks. The refusal names the smallest share's quote.
   */
  private async flashSize(
    market: LendingMarket,
    borrower: string,
    /** The debt now (read just before: nothing was sent since). */
    debtRaw: bigint,
  ): Promise<{ maxRepayRaw: bigint; seizeRaw: bigint } | { unprofitable: string }> {
    const [fullSeizeRaw, premiumBps] = await Promise.all([
      seizeEstimate(market, borrower),
      market.flashLoanPremiumBps(),
    ]);
    // The sizes it tries, largest first: the whole debt, then halves, while both amounts are positive.
    const sizes: { seizeRaw: bigint; repayRaw: bigint; owedRaw: bigint }[] = [];
    for (let k = 0n; k <= MAX_HALVINGS; k++) {
      const seizeRaw = fullSeizeRaw >> k;
      const repayRaw = debtRaw >> k;
      if (seizeRaw === 0n || repayRaw === 0n) break;
      sizes.push({ seizeRaw, repayRaw, owedRaw: repayRaw + (repayRaw * premiumBps) / BPS });
    }
    const smallest = sizes.at(-1);
    if (smallest === undefined) return { unprofitable: "Unprofitable(proceeds=0, owed=0)" };
    const [smallestProceedsRaw] = await this.quotedInOrder(market, [smallest]);
    if (smallestProceedsRaw < smallest.owedRaw) {
      return { unprofitable: `Unprofitable(proceeds=${smallestProceedsRaw}, owed=${smallest.owedRaw})` };
    }
    // Some share covers: the largest that does, quoted from the whole debt down (the lens stops at the first).
    const outs = await this.quotedInOrder(market, sizes.slice(0, -1));
    for (const [k, { seizeRaw, repayRaw, owedRaw }] of sizes.slice(0, -1).entries()) {
      if (outs[k] >= owedRaw) return { maxRepayRaw: k === 0 ? MaxUint256 : repayRaw, seizeRaw };
    }
    return { maxRepayRaw: sizes.length === 1 ? MaxUint256 : smallest.repayRaw, seizeRaw: smallest.seizeRaw };
  }

  /**
   * The best sale quotes of `sizes` in order, up to the first that covers what it owes (the sizes after it are not
   * needed): through the lens in one call where it can, each quote it leaves undecided asked of the DEX.
   */
  private async quotedInOrder(
    market: LendingMarket,
    sizes: readonly { seizeRaw: bigint; owedRaw: bigint }[],
  ): Promise<bigint[]> {
    if (sizes.length === 0) return [];
    const lens = await QuoteLens.open(this.ctx);
    const routes = this.dex.lensRoutes(market.collateral, market.debt);
    const quoted =
      lens && routes
        ? (
            await lens.firstCovering(
              routes,
              sizes.map((z) => z.seizeRaw),
              sizes.map((z) => z.owedRaw),
            )
          ).outsRaw
        : [];
    const out: bigint[] = [];
    for (const [k, { seizeRaw, owedRaw }] of sizes.entries()) {
      const proceedsRaw = quoted[k] ?? (await this.dex.quoteExactIn(market.collateral, market.debt, seizeRaw));
      out.push(proceedsRaw);
      if (proceedsRaw >= owedRaw) break;
    }
    return out;
  }

  private async viaFlash(
    market: LendingMarket,
    borrower: string,
    size: { maxRepayRaw: bigint; seizeRaw: bigint },
  ): Promise<LiquidationOutcome> {
    const contract = await flashLiquidator(this.ctx, this.liquidator);
    const [priceBeforeWad, route] = await Promise.all([
      this.dex.price(market.collateral, market.debt),
      // The route best for what the sale will be.
      this.dex.saleRoute(market.collateral, market.debt, size.seizeRaw),
    ]);
    const f = await market.flashLiquidate(contract, borrower, size.maxRepayRaw, route.route);
    const receipt = await this.ctx.provider.getTransactionReceipt(f.record.txHash);
    const gasCostWei = receipt ? receipt.gasUsed * receipt.gasPrice : 0n;
    const sale: SaleRecord = {
      soldRaw: f.soldRaw,
      receivedRaw: f.saleProceedsRaw,
      priceBeforeWad,
      priceAfterWad: await this.dex.price(market.collateral, market.debt),
      venue: route.venue,
      txHash: f.record.txHash,
    };
    return this.outcome(market, f.record, { sale }, f.flashPremiumRaw, f.profitRaw, gasCostWei);
  }

  /** Funds the liquidator with the debt token (its inventory) and liquidates directly. */
  private async liquidateFromInventory(
    market: LendingMarket,
    borrower: string,
    debtRaw: bigint,
    maxRepayRaw: bigint = MaxUint256,
  ): Promise<{ record: LiquidationRecord; gasCostWei: bigint }> {
    // A bot's inventory: the debt plus 1% for the interest that accrues until the liquidation's block.
    await deal(this.ctx, market.debt, this.liquidator, debtRaw + debtRaw / 100n + 1n);
    await ensureAllowance(this.ctx, this.liquidator, market.debt, market.spender, MaxUint256);
    const record = await market.liquidate(this.liquidator, borrower, maxRepayRaw);
    return { record, gasCostWei: await this.gasCostOf(record.txHash) };
  }

  private async gasCostOf(txHash: string): Promise<bigint> {
    const receipt = await this.ctx.provider.getTransactionReceipt(txHash);
    return receipt ? receipt.gasUsed * receipt.gasPrice : 0n;
  }

  private async sell(record: LiquidationRecord, amountRaw: bigint): Promise<{ sale: SaleRecord; gasCostWei: bigint }> {
    const s = await this.dex.swapExactIn(this.liquidator, record.collateralAsset, record.debtAsset, amountRaw, 0n);
    return {
      sale: {
        soldRaw: s.amountInRaw,
        receivedRaw: s.amountOutRaw,
        priceBeforeWad: s.priceBeforeWad,
        priceAfterWad: s.priceAfterWad,
        venue: s.venue,
        txHash: s.receipt.hash,
      },
      gasCostWei: s.receipt.gasUsed * s.receipt.gasPrice,
    };
  }

  /** Seized collateral at the protocol's oracle price at the liquidation, debt units. */
  private oracleValueRaw(record: LiquidationRecord, collateralRaw: bigint): bigint {
    return (collateralRaw * record.collateralPriceWad) / 10n ** BigInt(tokenDecimals(this.ctx, record.collateralAsset));
  }

  private async viaInventory(market: LendingMarket, borrower: string, debtRaw: bigint): Promise<LiquidationOutcome> {
    const { record, gasCostWei } = await this.liquidateFromInventory(market, borrower, debtRaw);
    let gas = gasCostWei;
    let sale: SaleRecord | undefined;
    if ((this.options.sell ?? true) && record.seizedRaw > 0n) {
      const sold = await this.sell(record, record.seizedRaw);
      sale = sold.sale;
      gas += sold.gasCostWei;
    }
    // Unsold collateral is valued at the protocol's oracle price.
    const proceeds = sale ? sale.receivedRaw : this.oracleValueRaw(record, record.seizedRaw);
    return this.outcome(market, record, { sale }, 0n, proceeds - record.repaidRaw, gas);
  }

  /**
   * Inventory liquidator: sells at once when the DEX pays at least what it repaid; otherwise holds the collateral,
   * valued at the oracle price less the markdown it expects.
   */
  private async viaHolding(market: LendingMarket, borrower: string, debtRaw: bigint): Promise<LiquidationOutcome> {
    const { record, gasCostWei } = await this.liquidateFromInventory(market, borrower, debtRaw);
    const canSell = record.seizedRaw > 0n && this.dex.hasRoute(record.collateralAsset, record.debtAsset);
    const quoteRaw = canSell
      ? await this.dex.quoteExactIn(record.collateralAsset, record.debtAsset, record.seizedRaw)
      : 0n;
    if (canSell && quoteRaw >= record.repaidRaw) {
      const sold = await this.sell(record, record.seizedRaw);
      const profit = sold.sale.receivedRaw - record.repaidRaw;
      return this.outcome(market, record, { sale: sold.sale }, 0n, profit, gasCostWei + sold.gasCostWei);
    }
    const held = this.held(record, record.seizedRaw, quoteRaw);
    return this.outcome(market, record, { held }, 0n, this.expectedValueRaw(held) - record.repaidRaw, gasCostWei);
  }

  private held(record: LiquidationRecord, collateralRaw: bigint, dexQuoteRaw: bigint): HeldCollateral {
    return { collateralRaw, oracleValueRaw: this.oracleValueRaw(record, collateralRaw), dexQuoteRaw };
  }

  private expectedValueRaw(held: HeldCollateral): bigint {
    const markdownBps = this.options.expectedMarkdownBps ?? DEFAULT_EXPECTED_MARKDOWN_BPS;
    return (held.oracleValueRaw * (BPS - markdownBps)) / BPS;
  }

  /**
   * Redeemer: repays no more than lets it redeem everything it seizes now (the per-block limit), then redeems the
   * seized USDe with Ethena; what it cannot redeem it holds.
   */
  private async viaRedemption(market: LendingMarket, borrower: string, debtRaw: bigint): Promise<LiquidationOutcome> {
    const minting = this.minting();
    const asset = redemptionAsset(market.debt);
    // Seized ~ repaid x incentive / price: repay at most what seizes the redeemable USDe (1 bp short for rounding).
    const [redeemableRaw, priceRaw, incentiveBps] = await Promise.all([
      minting.redeemableNowRaw(asset),
      market.collateralPriceWad(),
      this.netIncentiveBps(market),
    ]);
    const maxRepayRaw = (redeemableRaw * priceRaw * (BPS - 1n)) / WAD / incentiveBps;
    const { record, gasCostWei } = await this.liquidateFromInventory(market, borrower, debtRaw, maxRepayRaw);
    const toRedeemRaw = min(record.seizedRaw, await minting.redeemableNowRaw(asset));
    let redemption: RedemptionRecord | undefined;
    let gas = gasCostWei;
    let receivedDebtRaw = 0n;
    if (toRedeemRaw > 0n) {
      const r = await minting.redeem(this.liquidator, asset, toRedeemRaw);
      redemption = { asset, usdeRaw: r.usdeRaw, receivedRaw: r.receivedRaw, feeRaw: r.feeRaw, txHash: r.txHash };
      receivedDebtRaw = await this.inDebtUnits(asset, market.debt, r.receivedRaw);
      gas += r.gasCostWei;
    }
    const leftRaw = record.seizedRaw - (redemption?.usdeRaw ?? 0n);
    const held = leftRaw > 0n ? this.held(record, leftRaw, 0n) : undefined;
    const profit = receivedDebtRaw + (held ? this.expectedValueRaw(held) : 0n) - record.repaidRaw;
    return this.outcome(market, record, { redemption, held }, 0n, profit, gas);
  }

  /** An amount of one stablecoin in another's units, at their USD feeds (equal when they are the same token). */
  private async inDebtUnits(asset: TokenSymbol, debt: TokenSymbol, amountRaw: bigint): Promise<bigint> {
    if (asset === debt) return amountRaw;
    const [assetUsd, debtUsd] = await Promise.all([
      usdPerUnitWad(this.ctx, OWN_FEED[asset]),
      usdPerUnitWad(this.ctx, OWN_FEED[debt]),
    ]);
    const usdWad = (amountRaw * 10n ** BigInt(18 - tokenDecimals(this.ctx, asset)) * assetUsd) / WAD;
    return (usdWad * WAD) / debtUsd / 10n ** BigInt(18 - tokenDecimals(this.ctx, debt));
  }

  private async outcome(
    market: LendingMarket,
    record: LiquidationRecord,
    disposal: { sale?: SaleRecord; held?: HeldCollateral; redemption?: RedemptionRecord },
    flashPremiumRaw: bigint,
    profitRaw: bigint,
    gasCostWei: bigint,
  ): Promise<LiquidationOutcome> {
    const debtDecimals = BigInt(tokenDecimals(this.ctx, market.debt));
    const [debtUsd, ethUsd] = await Promise.all([
      usdPerUnitWad(this.ctx, OWN_FEED[market.debt]),
      usdPerUnitWad(this.ctx, OWN_FEED.WETH),
    ]);
    const profitUsdWad = (profitRaw * 10n ** (18n - debtDecimals) * debtUsd) / WAD;
    return {
      kind: this.kind,
      mode: this.mode,
      record,
      ...disposal,
      flashPremiumRaw,
      profitRaw,
      gasCostWei,
      netProfitUsdWad: profitUsdWad - (gasCostWei * ethUsd) / WAD,
    };
  }
}

const min = (a: bigint, b: bigint): bigint => (a < b ? a : b);
