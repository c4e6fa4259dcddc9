/**
 * The liquidation bots as an actor: once per round they sweep every market, in a fixed order, over the accounts
 * exposed on it, and liquidate whatever the protocol allows (src/strategies/liquidation-bot.ts does the work).
 * A scenario's mix of liquidator kinds (sellers, inventory liquidators, redeemers) sweeps each market in the order
 * given: each kind takes what the kinds before it left; each kind is its own account.
 */
import type { Signer } from "ethers";
import type { ChainContext } from "../chain/context";
import { rpc } from "../chain/rpc";
import type { Dex } from "../dex/dex";
import type { LendingMarket } from "../protocols/lending-market";
import { BotOptions, LiquidationBot, LiquidatorKind, Refusal } from "../strategies/liquidation-bot";
import { actorAddress, actorSigner } from "./accounts";
import type { Actor, Exposure, LiquidationSweepEvent, RunStart } from "./actor";

/** The bots' settings: how each kind behaves, and the kinds in the order they sweep (default: sellers only). */
export interface LiquidatorsSetting extends Omit<BotOptions, "kind"> {
  kinds?: readonly LiquidatorKind[];
}

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
  private bots: LiquidationBot[] = [];
  private markets: LendingMarket[] = [];
  private accountsByMarket = new Map<string, string[]>();

  constructor(
    private readonly ctx: ChainContext,
    /** Where the seized collateral is sold. */
    private readonly saleDex: Dex,
    private readonly signer: Signer,
    private readonly options: LiquidatorsSetting,
    private readonly order: MarketOrder,
  ) {}

  /** The kinds of liquidator, in the order they sweep. */
  get kinds(): readonly LiquidatorKind[] {
    return this.options.kinds ?? ["seller"];
  }

  /** Fresh bots per run (their refusals are per run), and the sweep order over what is exposed. */
  async begin(run: RunStart): Promise<void> {
    this.bots = [];
    for (const kind of this.kinds) {
      const signer = await this.signerOf(kind);
      // Whitelisting is a transaction: done in every run, since each starts from the snapshot.
      if (kind === "redeemer") await this.options.minting?.whitelist(await signer.getAddress());
      this.bots.push(new LiquidationBot(this.ctx, this.saleDex, signer, { ...this.options, kind }));
    }
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
    const bots = this.running();
    const outcomes: LiquidationSweepEvent["outcomes"] = [];
    for (const m of this.markets) {
      // What is liquidatable is read once per market and block: a kind that mined nothing leaves the chain as it was,
      // so the next kind sweeps from the same read; a mined block (a liquidation, a sale) means it is read again.
      let read: { block: bigint; liquidatable: string[] } | undefined;
      const liquidatableNow = async (): Promise<string[]> => {
        const block = BigInt(await rpc<string>(this.ctx.provider, "eth_blockNumber"));
        if (read?.block !== block) read = { block, liquidatable: await m.liquidatable(this.accountsOf(m)) };
        return read.liquidatable;
      };
      for (const bot of bots) outcomes.push(...(await bot.sweep(m, this.accountsOf(m), liquidatableNow)));
    }
    return { actor: "liquidators", outcomes };
  }

  /**
   * The sellers use the scenario's liquidator account; every other kind its own, derived from it, impersonated and
   * given gas money at the start of every run (each run starts from the snapshot, before any of it).
   */
  private async signerOf(kind: LiquidatorKind): Promise<Signer> {
    if (kind === "seller") return this.signer;
    return actorSigner(this.ctx, actorAddress(await this.signer.getAddress(), `liquidator:${kind}`));
  }

  /** The bots borrow nothing of their own (flash loans are repaid in the same transaction). */
  candidates(): Exposure[] {
    return [];
  }

  /** Liquidations the protocols refused (or a kind declined) this run, by kind in sweep order. */
  get refusals(): Refusal[] {
    return this.running().flatMap((b) => b.refusals);
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

  private running(): LiquidationBot[] {
    if (this.bots.length === 0) throw new Error("liquidation bots: begin() was not called for this run");
    return this.bots;
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
