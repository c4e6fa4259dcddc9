/**
 * CEX–DEX arbitrage on the WETH pools: on 10 Oct 2025 the on-chain ETH price followed the centralised exchanges within
 * blocks, because arbitrageurs trade any gap between the two away. Once per round, before the bots sweep, this actor
 * moves every WETH/stablecoin Uniswap V3 pool to the ETH/USD feed's price (the CEX price in this model, the
 * stablecoin counted at 1 USD), so liquidators sell seized WETH at the market price, not at a stale pool price.
 */
import type { Signer } from "ethers";
import type { ChainContext } from "../chain/context";
import { tokenDecimals } from "../chain/context";
import { deal } from "../chain/cheats";
import type { UniswapV3Dex } from "../dex/uniswap-v3";
import type { TokenSymbol } from "../domain/tokens";
import { getFeedPrice } from "../oracles/feeds";
import { actorAddress, actorSigner } from "./accounts";
import type { Actor, CexDexArbitrageEvent, Exposure } from "./actor";

/** The feed the arbitrageur takes as the CEX price of ETH. */
const ETH_FEED = "ETH/USD";
/** Stablecoins paired with WETH whose pools follow ETH. */
const WETH_PAIRS: readonly TokenSymbol[] = ["USDC", "USDT", "DAI"];
/** A pool within this many bps of the CEX price is left alone: the gap would not pay the trade's fee and gas. */
const GAP_TOLERANCE_BPS = 1n;
/** Whole tokens dealt per move; the swap's price limit takes only what the move needs. */
const BUDGET_WHOLE = 1_000_000_000n;
/** Feed answers have 8 decimals; pool prices are WAD. */
const E8_TO_WAD = 10n ** 10n;

export class CexDexArbitrageur implements Actor {
  readonly name = "cex-dex-arbitrageur";
  /** It moves the WETH pools, never the USDe pool the `market`-policy oracles follow. */
  readonly movesPrice = false;
  readonly account: string;
  private signer?: Signer;

  constructor(
    private readonly ctx: ChainContext,
    private readonly dex: UniswapV3Dex,
    scenario: string,
  ) {
    this.account = actorAddress(scenario, "cex-dex-arbitrageur");
  }

  /** Each policy run starts from the snapshot, taken before this account had gas money: fund it again. */
  async begin(): Promise<void> {
    this.signer = await actorSigner(this.ctx, this.account);
  }

  /** The WETH pools of the chain, by their stablecoin. */
  pairs(): TokenSymbol[] {
    return WETH_PAIRS.filter((s) => this.dex.poolFor("WETH", s) !== undefined);
  }

  /** Moves each WETH pool that is off the feed price to it; reports the trades, or nothing when every pool was there. */
  async react(): Promise<CexDexArbitrageEvent | undefined> {
    const targetWad = (await getFeedPrice(this.ctx, ETH_FEED)) * E8_TO_WAD;
    const trades: CexDexArbitrageEvent["trades"] = [];
    for (const stable of this.pairs()) {
      const beforeWad = await this.dex.price("WETH", stable);
      const gap = beforeWad > targetWad ? beforeWad - targetWad : targetWad - beforeWad;
      if (gap * 10_000n <= targetWad * GAP_TOLERANCE_BPS) continue;
      const signer = await this.user();
      const sell: TokenSymbol = beforeWad > targetWad ? "WETH" : stable;
      const budgetRaw = BUDGET_WHOLE * 10n ** BigInt(tokenDecimals(this.ctx, sell));
      await deal(this.ctx, sell, signer, budgetRaw);
      const moved = await this.dex.moveToPrice(signer, "WETH", stable, targetWad, budgetRaw);
      trades.push({
        pool: `WETH/${stable}`,
        sold: moved.sold,
        soldRaw: moved.amountRaw.toString(),
        priceBeforeWad: beforeWad.toString(),
        priceAfterWad: (await this.dex.price("WETH", stable)).toString(),
      });
    }
    if (trades.length === 0) return undefined;
    return { actor: "cex-dex-arbitrageur", ethUsdWad: targetWad.toString(), trades };
  }

  /** It holds no loans. */
  candidates(): Exposure[] {
    return [];
  }

  private async user(): Promise<Signer> {
    this.signer ??= await actorSigner(this.ctx, this.account);
    return this.signer;
  }
}

/** Whether a cascade needs the arbitrageur: its path moves ETH, or some collateral is WETH. */
export function needsCexDexArbitrage(movesEth: boolean, collateral: readonly TokenSymbol[]): boolean {
  return movesEth || collateral.includes("WETH");
}
