/**
 * The liquidation bots as an actor: once per round they sweep every market, in a fixed order, over the accounts
 * exposed on it, and liquidate whatever the protocol allows (src/strategies/liquidation-bot.ts does the work).
 */
import type { Signer } from "ethers";
import type { ChainContext } from "../chain/context";
import type { Dex } from "../dex/dex";
import type { LendingMarket } from "../protocols/lending-market";
import { BotOptions, LiquidationBot, Refusal } from "../strategies/liquidation-bot";
import type { Actor, Exposure, LiquidationSweepEvent, RunStart } from "./actor";

/**
 * The order markets are swept in.
 * - as-listed: the order the exposed accounts list them (depeg scenarios).
 * - largest-incentive-first: by liquidation incentive, then key: a bot facing a cross-margined account takes the
 *   collateral that pays the most (and that it can sell), not the one whose price fell (cascade scenarios).
 */
export type MarketOrder = "as-listed" | "largest-incentive-first";

export class LiquidationBots implements Actor {
  readonly name = "liquidators";
  /** They sell the seized collateral on the DEX. */
  readonly movesPrice = true;
  private bot?: LiquidationBot;
  private markets: LendingMarket[] = [];
  private accountsByMarket = new Map<string, string[]>();

  constructor(
    private readonly ctx: ChainContext,
    /** Where the seized collateral is sold. */
    private readonly saleDex: Dex,
    private readonly signer: Signer,
    private readonly options: BotOptions,
    private readonly order: MarketOrder,
  ) {}

  /** A fresh bot per run (its refusals are per run), and the sweep order over what is exposed. */
  async begin(run: RunStart): Promise<void> {
    this.bot = new LiquidationBot(this.ctx, this.saleDex, this.signer, this.options);
    const byKey = new Map<string, LendingMarket>();
    this.accountsByMarket = new Map();
    for (const e of run.exposed) {
      for (const m of e.markets) {
        byKey.set(m.key, m);
        const accounts = this.accountsByMarket.get(m.key) ?? [];
        if (!accounts.includes(e.account)) accounts.push(e.account);
        this.accountsByMarket.set(m.key, accounts);
      }
    }
    this.markets = this.order === "as-listed" ? [...byKey.values()] : await byIncentive([...byKey.values()]);
  }

  async react(): Promise<LiquidationSweepEvent> {
    const bot = this.running();
    const outcomes: LiquidationSweepEvent["outcomes"] = [];
    for (const m of this.markets) outcomes.push(...(await bot.sweep(m, this.accountsOf(m))));
    return { actor: "liquidators", outcomes };
  }

  /** The bots borrow nothing of their own (flash loans are repaid in the same transaction). */
  candidates(): Exposure[] {
    return [];
  }

  /** Liquidations the protocols refused this run. */
  get refusals(): Refusal[] {
    return this.running().refusals;
  }

  /** The market keys in the order this run sweeps them. */
  get sweepOrder(): string[] {
    return this.markets.map((m) => m.key);
  }

  /** How many exposed positions are still liquidatable now. */
  async liquidatableLeft(): Promise<number> {
    let left = 0;
    for (const m of this.markets) left += (await m.liquidatable(this.accountsOf(m))).length;
    return left;
  }

  private accountsOf(m: LendingMarket): string[] {
    return this.accountsByMarket.get(m.key) ?? [];
  }

  private running(): LiquidationBot {
    if (!this.bot) throw new Error("liquidation bots: begin() was not called for this run");
    return this.bot;
  }
}

/** Markets by liquidation incentive, largest first; equal incentives by key. */
async function byIncentive(markets: LendingMarket[]): Promise<LendingMarket[]> {
  const incentive = new Map<string, bigint>();
  for (const m of markets) incentive.set(m.key, (await m.riskParams()).liquidationIncentiveWad);
  const cmp = (a: LendingMarket, b: LendingMarket): number => {
    const ia = incentive.get(a.key)!;
    const ib = incentive.get(b.key)!;
    return ib > ia ? 1 : ib < ia ? -1 : a.key.localeCompare(b.key);
  };
  return [...markets].sort(cmp);
}
