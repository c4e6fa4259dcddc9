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
 */
import { MaxUint256, Signer } from "ethers";
import { AggregatorV3Interface__factory } from "../../typechain-types";
import { WAD } from "../constants";
import type { ChainContext } from "../chain/context";
import { tokenDecimals } from "../chain/context";
import { deal } from "../chain/cheats";
import { RevertError } from "../chain/errors";
import { flashLiquidator } from "../chain/tools";
import { ensureAllowance } from "../chain/erc20";
import type { Dex } from "../dex/dex";
import { OWN_FEED } from "../oracles/policy";
import type { LendingMarket, LiquidationRecord } from "../protocols/lending-market";
import { sameAddress } from "../domain/address";
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

export interface LiquidationOutcome {
  mode: BotMode;
  record: LiquidationRecord;
  sale?: SaleRecord;
  /** Flash mode: Aave's flash-loan premium, debt units. */
  flashPremiumRaw: bigint;
  /** Debt token received from the sale minus debt repaid and premium (signed, debt units). */
  profitRaw: bigint;
  gasCostWei: bigint;
  /** Profit after gas, USD WAD (debt token at its USD feed, gas at ETH/USD). */
  netProfitUsdWad: bigint;
}

export type BotMode = "flash" | "inventory";

export interface BotOptions {
  mode?: BotMode;
  /** Inventory mode: sell seized collateral immediately (default true). Flash mode always sells. */
  sell?: boolean;
  /** Safety valve on repeated liquidations of one position in one sweep (Aave's 50% close factor). */
  maxCallsPerPosition?: number;
}

export interface Refusal {
  market: string;
  borrower: string;
  reason: string;
}

async function usdPerUnitWad(ctx: ChainContext, feedName: string): Promise<bigint> {
  const address = ctx.record.feeds[feedName];
  if (!address) throw new Error(`feed ${feedName} is not in chain profile ${ctx.record.profile}`);
  const feed = AggregatorV3Interface__factory.connect(address, ctx.provider);
  const [, answer] = await feed.latestRoundData();
  return (answer * WAD) / 10n ** (await feed.decimals());
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
  readonly mode: BotMode;

  constructor(
    private readonly ctx: ChainContext,
    private readonly dex: Dex,
    readonly liquidator: Signer,
    private readonly options: BotOptions = {},
  ) {
    this.mode = options.mode ?? "flash";
  }

  /** Liquidates everything liquidatable among `borrowers` on `market`, repeating while the protocol allows. */
  async sweep(market: LendingMarket, borrowers: string[]): Promise<LiquidationOutcome[]> {
    const outcomes: LiquidationOutcome[] = [];
    const me = await this.liquidator.getAddress();
    const maxCalls = this.options.maxCallsPerPosition ?? 8;
    const sells = this.mode === "flash" || (this.options.sell ?? true);
    for (const borrower of await market.liquidatable(borrowers.filter((b) => !sameAddress(b, me)))) {
      if (sells && !this.dex.hasRoute(market.collateral, market.debt)) {
        // A bot that must sell what it seizes leaves collateral it cannot sell.
        this.refusals.push({
          market: market.key,
          borrower,
          reason: `no DEX route to sell ${market.collateral} for ${market.debt}`,
        });
        continue;
      }
      const key = `${market.key}|${borrower}`;
      const skipUntil = this.unprofitableAt.get(key);
      if (skipUntil !== undefined && (await this.dexOverOracle(market)) <= skipUntil) continue;
      for (let call = 0; call < maxCalls; call++) {
        const pos = await market.position(borrower);
        if (!pos.liquidatable) break;
        try {
          outcomes.push(
            this.mode === "flash"
              ? await this.viaFlash(market, borrower)
              : await this.viaInventory(market, borrower, pos.debt[0].amountRaw),
          );
          this.unprofitableAt.delete(key);
        } catch (err) {
          if (!(err instanceof RevertError)) throw err;
          this.refusals.push({ market: market.key, borrower, reason: err.reason });
          if (/^(Unprofitable|ProfitBelowMinimum)\(/.test(err.reason))
            this.unprofitableAt.set(key, await this.dexOverOracle(market));
          break;
        }
      }
    }
    return outcomes;
  }

  /** DEX price of the collateral in the debt token over the protocol's oracle price, WAD (with a 1 bp hysteresis). */
  private async dexOverOracle(market: LendingMarket): Promise<bigint> {
    const oracle = await market.collateralPriceWad(); // debt raw per 1e18 collateral raw
    const dex = await this.dex.price(market.collateral, market.debt); // whole debt per whole collateral, WAD
    const dexRaw = (dex * 10n ** BigInt(tokenDecimals(this.ctx, market.debt))) / WAD;
    return oracle === 0n ? 0n : (dexRaw * WAD * 10_000n) / (oracle * 10_001n);
  }

  private async viaFlash(market: LendingMarket, borrower: string): Promise<LiquidationOutcome> {
    const contract = await flashLiquidator(this.ctx, this.liquidator);
    const priceBeforeWad = await this.dex.price(market.collateral, market.debt);
    // The route best for what the sale will be: the collateral the whole debt would seize, bonus included.
    const route = await this.dex.saleRoute(market.collateral, market.debt, await seizeEstimate(market, borrower));
    const f = await market.flashLiquidate(contract, borrower, MaxUint256, route.route);
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
    return this.outcome(market, f.record, sale, f.flashPremiumRaw, f.profitRaw, gasCostWei);
  }

  private async viaInventory(market: LendingMarket, borrower: string, debtRaw: bigint): Promise<LiquidationOutcome> {
    // A bot's inventory: the debt plus 1% for the interest that accrues until the liquidation's block.
    await deal(this.ctx, market.debt, this.liquidator, debtRaw + debtRaw / 100n + 1n);
    await ensureAllowance(this.ctx, this.liquidator, market.debt, market.spender, MaxUint256);
    const record = await market.liquidate(this.liquidator, borrower, MaxUint256);
    const receipt = await this.ctx.provider.getTransactionReceipt(record.txHash);
    let gasCostWei = receipt ? receipt.gasUsed * receipt.gasPrice : 0n;
    let sale: SaleRecord | undefined;
    if ((this.options.sell ?? true) && record.seizedRaw > 0n) {
      const s = await this.dex.swapExactIn(
        this.liquidator,
        record.collateralAsset,
        record.debtAsset,
        record.seizedRaw,
        0n,
      );
      gasCostWei += s.receipt.gasUsed * s.receipt.gasPrice;
      sale = {
        soldRaw: s.amountInRaw,
        receivedRaw: s.amountOutRaw,
        priceBeforeWad: s.priceBeforeWad,
        priceAfterWad: s.priceAfterWad,
        venue: s.venue,
        txHash: s.receipt.hash,
      };
    }
    // Unsold collateral is valued at the protocol's oracle price.
    const proceeds = sale ? sale.receivedRaw : (record.seizedRaw * record.collateralPriceWad) / WAD;
    return this.outcome(market, record, sale, 0n, proceeds - record.repaidRaw, gasCostWei);
  }

  private async outcome(
    market: LendingMarket,
    record: LiquidationRecord,
    sale: SaleRecord | undefined,
    flashPremiumRaw: bigint,
    profitRaw: bigint,
    gasCostWei: bigint,
  ): Promise<LiquidationOutcome> {
    const debtDecimals = BigInt(tokenDecimals(this.ctx, market.debt));
    const debtUsd = await usdPerUnitWad(this.ctx, OWN_FEED[market.debt]);
    const ethUsd = await usdPerUnitWad(this.ctx, OWN_FEED.WETH);
    const profitUsdWad = (profitRaw * 10n ** (18n - debtDecimals) * debtUsd) / WAD;
    return {
      mode: this.mode,
      record,
      sale,
      flashPremiumRaw,
      profitRaw,
      gasCostWei,
      netProfitUsdWad: profitUsdWad - (gasCostWei * ethUsd) / WAD,
    };
  }
}
