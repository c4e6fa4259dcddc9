/**
 * One interface for everything that acts in a scenario: the whale, the market maker, the market makers pulling
 * liquidity, the peg arbitrageur, the redemption arbitrageur and the liquidation bots. The scenario engine (src/scenario/engine.ts) opens the
 * actors once, then per oracle-policy run calls `begin`, asks each actor to `react` once per round in a fixed order,
 * and `end` after the walk. Actors never read each other's state: what they see is the chain.
 */
import type { LendingMarket } from "../protocols/lending-market";
import type { LiquidationOutcome } from "../strategies/liquidation-bot";
import type { PolicySet } from "../domain/oracle-policy";

/** An account an actor exposes to liquidation, with every market it can be liquidated on. */
export interface Exposure {
  account: string;
  label: string;
  markets: LendingMarket[];
}

/** What an actor knows at the start of a policy run. */
export interface RunStart {
  policies: PolicySet;
  /** Every account exposed to liquidation in this scenario (positions first, then the actors' own), in order. */
  exposed: readonly Exposure[];
}

/** Where a round is: its number in the run (1-based) and the path point it belongs to (1-based). */
export interface RoundState {
  round: number;
  pathPoint: number;
}

export interface WhaleUnwindEvent {
  actor: "whale";
  account: string;
  aaveHealthFactorWad: string;
  /** Collateral sold on the DEX and USDC received. */
  soldRaw: string;
  receivedRaw: string;
  /** The venues its sales went to, in order of first use. */
  saleVenues: string[];
  dexPriceBeforeWad: string;
  dexPriceAfterWad: string;
  morphoDebtLeftRaw: string;
  aaveDebtRepaidRaw: string;
}

export interface LiquidityWithdrawalEvent {
  actor: "liquidity-withdrawal";
  pools: string[];
  share: string;
  positionsReduced: number;
  saleUsde: string;
  impactBeforeBps: string;
  impactAfterBps: string;
}

export interface MarketMakerEvent {
  actor: "market-maker";
  account: string;
  collateralLeftRaw: Record<string, string>;
  collateralSeizedRaw: Record<string, string>;
}

/** One round of the redemption arbitrageur: USDe bought on a pool, then redeemed with Ethena (raw amounts, WAD prices). */
export interface RedemptionEvent {
  actor: "redemption-arbitrageur";
  account: string;
  /** The stablecoin it bought USDe with and redeemed for. */
  asset: "USDC" | "USDT";
  pool: string;
  /** Where it bought, e.g. "uniswap-v3:USDe/USDC-0.01%". */
  venue: string;
  usdeBoughtRaw: string;
  stableSpentRaw: string;
  usdeRedeemedRaw: string;
  /** Stablecoin received from Ethena, and Ethena's fee, raw. */
  receivedRaw: string;
  feeRaw: string;
  /** USDe's pool price in the stablecoin before and after, and the threshold it bought below. */
  dexPriceBeforeWad: string;
  dexPriceAfterWad: string;
  thresholdWad: string;
  /** Gas of the buy and the redeem (measured), and the gas cost it reckons with (scenario gas price x ETH feed). */
  gasUsed: string;
  gasCostUsdWad: string;
  /** Received − spent − gas cost, USD (stablecoins at 1). */
  profitUsdWad: string;
  redeemTxHash: string;
}

/** The CEX–DEX arbitrageur moved the WETH pools to the ETH/USD feed price (the CEX price). */
export interface CexDexArbitrageEvent {
  actor: "cex-dex-arbitrageur";
  /** The price it moved the pools to, USD per ETH, WAD. */
  ethUsdWad: string;
  trades: { pool: string; sold: string; soldRaw: string; priceBeforeWad: string; priceAfterWad: string }[];
}

/** One sweep of the liquidation bots over every exposed account (possibly liquidating nobody). */
export interface LiquidationSweepEvent {
  actor: "liquidators";
  outcomes: LiquidationOutcome[];
}

/** What reports list as actor events (the bots' sweeps are reported as liquidation rows instead). */
export type ReportedActorEvent =
  WhaleUnwindEvent | LiquidityWithdrawalEvent | MarketMakerEvent | RedemptionEvent | CexDexArbitrageEvent;
export type ActorEvent = ReportedActorEvent | LiquidationSweepEvent;

/** After the walk: the rows liquidated so far and the last round's number. */
export interface RunEnd {
  round: number;
  liquidations: readonly { borrower: string; collateralAsset: string; seizedRaw: string }[];
}

export interface Actor {
  readonly name: string;
  /**
   * True when the actor's actions move the USDe pool price: after it acts, `market`-policy oracles follow the pool,
   * and a round in which it acted is not the last of its path point.
   */
  readonly movesPrice: boolean;
  /** Opens the actor's own positions, once, before the snapshot; `restorePeg` puts the USDe pools back at 1. */
  open?(restorePeg: () => Promise<void>): Promise<void>;
  /** Called at the start of every policy run, from the snapshot: forget the previous run. */
  begin?(run: RunStart): Promise<void>;
  /** Acts on the market as it is now, or not (undefined). */
  react(state: RoundState): Promise<ActorEvent | undefined>;
  /** The accounts the actor exposes to liquidation. */
  candidates(): Exposure[];
  /** After the walk: a closing event for the report, if the actor has one. */
  end?(run: RunEnd): Promise<ActorEvent | undefined>;
}
