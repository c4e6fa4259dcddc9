/**
 * A liquidation bot: finds liquidatable positions among known borrowers, liquidates them under each protocol's
 * own rules (the adapters call the protocols; a refusal is a decoded revert), and sells the seized collateral on
 * the DEX at once — the sales that deepen a crash. Profit is measured from balances and events, gas included.
 */
import { MaxUint256, Signer } from "ethers";
import { AggregatorV3Interface__factory, IERC20Metadata__factory } from "../../typechain-types";
import { WAD } from "../constants";
import type { ChainContext } from "../chain/context";
import { tokenAddress } from "../chain/context";
import { deal } from "../chain/cheats";
import { RevertError } from "../chain/errors";
import type { Dex } from "../dex/dex";
import type { LendingMarket, LiquidationRecord } from "../protocols/lending-market";

export interface SaleRecord {
  soldRaw: bigint;
  receivedRaw: bigint;
  /** DEX price of the collateral in the debt token before and after the sale, WAD. */
  priceBeforeWad: bigint;
  priceAfterWad: bigint;
  txHash: string;
}

export interface LiquidationOutcome {
  record: LiquidationRecord;
  sale?: SaleRecord;
  /** Debt token received from selling the seized collateral minus debt repaid (signed, debt units). */
  profitRaw: bigint;
  gasCostWei: bigint;
  /** Profit after gas, USD WAD (debt token at its USD feed, gas at ETH/USD). */
  netProfitUsdWad: bigint;
}

export interface BotOptions {
  /** Sell seized collateral immediately (default true). */
  sell?: boolean;
  /** Safety valve on repeated liquidations of one position in one sweep (Aave's 50% close factor). */
  maxCallsPerPosition?: number;
}

async function feedWad(ctx: ChainContext, feedName: string): Promise<bigint> {
  const address = ctx.record.feeds[feedName];
  if (!address) throw new Error(`feed ${feedName} is not in chain profile ${ctx.record.profile}`);
  const feed = AggregatorV3Interface__factory.connect(address, ctx.provider);
  const [, answer] = await feed.latestRoundData();
  return (answer * WAD) / 10n ** (await feed.decimals());
}

const USD_FEED_OF: Record<string, string> = { USDC: "USDC/USD", USDT: "USDT/USD", DAI: "DAI/USD", USDe: "USDe/USD", WETH: "ETH/USD" };

export interface Refusal {
  market: string;
  borrower: string;
  reason: string;
}

export class LiquidationBot {
  /** Liquidations the protocols refused, with their decoded reasons. */
  readonly refusals: Refusal[] = [];

  constructor(
    private readonly ctx: ChainContext,
    private readonly dex: Dex,
    readonly liquidator: Signer,
    private readonly options: BotOptions = {},
  ) {}

  /** Liquidates everything liquidatable among `borrowers` on `market`, repeating while the protocol allows. */
  async sweep(market: LendingMarket, borrowers: string[]): Promise<LiquidationOutcome[]> {
    const outcomes: LiquidationOutcome[] = [];
    const me = (await this.liquidator.getAddress()).toLowerCase();
    const maxCalls = this.options.maxCallsPerPosition ?? 8;
    for (const borrower of await market.liquidatable(borrowers.filter((b) => b.toLowerCase() !== me))) {
      for (let call = 0; call < maxCalls; call++) {
        const pos = await market.position(borrower);
        if (!pos.liquidatable) break;
        const debt = pos.debt.find((d) => d.symbol === market.debt);
        if (!debt || debt.amountRaw === 0n) break;
        // A bot's inventory: enough of the debt token to repay the whole debt.
        // Interest accrues until the liquidation's block: keep 1% on top of the debt read now.
        await deal(this.ctx, market.debt, this.liquidator, debt.amountRaw + debt.amountRaw / 100n + 1n);
        let record: LiquidationRecord;
        try {
          record = await market.liquidate(this.liquidator, borrower, MaxUint256);
        } catch (err) {
          if (err instanceof RevertError) {
            // The protocol refused (e.g. nothing left to seize): recorded, never hidden.
            this.refusals.push({ market: market.key, borrower, reason: err.reason });
            break;
          }
          throw err;
        }
        outcomes.push(await this.settle(market, record));
        if (record.seizedRaw === 0n) break;
      }
    }
    return outcomes;
  }

  private async settle(market: LendingMarket, record: LiquidationRecord): Promise<LiquidationOutcome> {
    const receipt = await this.ctx.provider.getTransactionReceipt(record.txHash);
    let gasCostWei = receipt ? receipt.gasUsed * receipt.gasPrice : 0n;
    let sale: SaleRecord | undefined;
    let received = 0n;
    if ((this.options.sell ?? true) && record.seizedRaw > 0n) {
      const s = await this.dex.swapExactIn(this.liquidator, record.collateralAsset, record.debtAsset, record.seizedRaw, 0n);
      received = s.amountOutRaw;
      gasCostWei += s.receipt.gasUsed * s.receipt.gasPrice;
      sale = { soldRaw: s.amountInRaw, receivedRaw: s.amountOutRaw, priceBeforeWad: s.priceBeforeWad, priceAfterWad: s.priceAfterWad, txHash: s.receipt.hash };
    }
    const profitRaw = received - record.repaidRaw;
    const debtDecimals = await IERC20Metadata__factory.connect(tokenAddress(this.ctx, record.debtAsset), this.ctx.provider).decimals();
    const debtUsd = await feedWad(this.ctx, USD_FEED_OF[record.debtAsset] ?? "USDC/USD");
    const ethUsd = await feedWad(this.ctx, "ETH/USD");
    const profitUsdWad = (profitRaw * 10n ** (18n - debtDecimals) * debtUsd) / WAD;
    const netProfitUsdWad = profitUsdWad - (gasCostWei * ethUsd) / WAD;
    void market;
    return { record, sale, profitRaw, gasCostWei, netProfitUsdWad };
  }
}
