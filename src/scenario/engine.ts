/**
 * The one scenario engine. A depeg scenario is a cascade with no actors but the liquidation bots, one sweep per path
 * point and no oracle following the pool; a cascade adds actors, rounds until nothing more is liquidated and
 * `market`-policy oracles that follow the pool.
 *
 * Once per oracle-policy set, from the same snapshot: apply the policies (one place: `applyPolicies`), let every
 * actor begin, then for each path point: advance the chain, set the point's feeds, let the oracle follow, then run
 * rounds. In a round the scenario's actors react in list order (run-cascade.ts: the whale, the redemption
 * arbitrageur, the liquidity withdrawal, the market maker, who does nothing until the end), then the liquidation bots
 * sweep every market; after an actor that moves the pool price acts (the whale, the redemption arbitrageur, the bots),
 * the oracle follows again. A point's rounds end
 * when a round liquidates nothing and no actor moved the price. Everything recorded is read from chain state and
 * events: health factors, liquidation rows, pool prices and depth, bad debt.
 */
import { WAD } from "../constants";
import type { ChainContext } from "../chain/context";
import { tokenDecimals } from "../chain/context";
import { revertTo, snapshot } from "../chain/cheats";
import { advance, latestBlock } from "../chain/clock";
import type { UniswapV3Dex } from "../dex/uniswap-v3";
import { sameAddress } from "../domain/address";
import { PolicySet, policyReadsFeed } from "../domain/oracle-policy";
import type { TokenSymbol } from "../domain/tokens";
import {
  debtUsdWad,
  KindTotals,
  LiquidationRow,
  liquidationRow,
  liquidationTotals,
  totalsByKind,
} from "../metrics/liquidations";
import { getFeedPrice, setFeedPrice } from "../oracles/feeds";
import type { LendingMarket } from "../protocols/lending-market";
import { applyPolicies, policyOf } from "../protocols/registry";
import type { Refusal } from "../strategies/liquidation-bot";
import type { Actor, ActorEvent, Exposure, ReportedActorEvent } from "../actors/actor";
import type { LiquidationBots } from "../actors/liquidation-bots";
import type { CascadeRun } from "../report/cascade-report";
import type { RunReport } from "../report/depeg-report";
import { DEX_PAIR, OracleFollower } from "./oracle-follower";

const ETH_FEED = "ETH/USD";

/** A position the reports follow (a loop of the scenario, or an existing borrower). */
export interface TrackedPosition {
  market: LendingMarket;
  account: string;
  label: string;
  /** The loop that opened it; null for an existing position found on chain. */
  loop: RunReport["positions"][number]["loop"];
  /** Collateral and debt as opened; when absent they are read at the start of each policy run. */
  opened?: { collateralRaw: bigint; debtRaw: bigint };
}

/** One point of the walked path: chain time passes, then feeds are set. */
export interface PathStep {
  blocks: number;
  seconds: number;
  /** Feeds set directly at this point, in order (one transaction each). */
  feeds: { feed: string; priceE8: bigint }[];
  /** The exogenous price of the watched feed from this point on (what the oracle follower calls `path`). */
  exogenousE8?: bigint;
}

/** Everything one scenario run needs: the run state is this object, not a list of parameters. */
export interface ScenarioRun {
  ctx: ChainContext;
  /** The reference market price recorded every round (USDe/USDC on Uniswap V3). */
  dex: UniswapV3Dex;
  /** The feed the path moves and whose first-liquidation price is predicted and observed. */
  feed: string;
  steps: PathStep[];
  positions: TrackedPosition[];
  /** The scenario's actors, in the order they react in a round (whale, liquidity withdrawal, market maker, ...). */
  actors: Actor[];
  /** Sweep last in every round. */
  bots: LiquidationBots;
  rounds: { perPoint: number; max: number };
  /** Cascade scenarios: `market`-policy oracles follow the pool. */
  follower?: OracleFollower;
  log: (line: string) => void;
}

/**
 * One run of a scenario: the oracle policies, and for a counterfactual a named variant that changes the chain at the
 * start of the run (e.g. "redemptions paused": Ethena's gatekeeper disables redeeming).
 */
export interface RunSpec {
  policies: PolicySet;
  variant?: string;
  setUp?: () => Promise<void>;
}

/** One policy run as the engine records it; run-depeg and run-cascade shape their reports from it. */
export interface EngineRun {
  policies: PolicySet;
  /** "" for a run under the scenario as written. */
  variant: string;
  rounds: CascadeRun["rounds"];
  positions: RunReport["positions"];
  liquidations: LiquidationRow[];
  refusals: Refusal[];
  totals: RunReport["totals"];
  byLiquidatorKind: KindTotals[];
  actorEvents: CascadeRun["actorEvents"];
  converged: boolean;
  roundLimitReached: boolean;
  liquidatableLeft: number;
}

/** The part of a run every report has (a depeg report's run; a cascade run adds its rounds and actor events). */
export function reportRunOf(r: EngineRun): RunReport {
  return {
    policies: r.policies,
    variant: r.variant,
    points: r.rounds.map((x) => ({
      block: x.block,
      feedPriceE8: x.feedPriceE8,
      dexUsdeUsdcWad: x.dexUsdeUsdcWad,
      liquidations: x.liquidations,
    })),
    positions: r.positions,
    liquidations: r.liquidations,
    refusals: r.refusals,
    totals: r.totals,
    byLiquidatorKind: r.byLiquidatorKind,
  };
}

/** Per-position bookkeeping during one policy run. */
interface PositionTrack {
  collateralRaw: bigint;
  debtRaw: bigint;
  hfStart: bigint;
  minHf: bigint;
  hfPath: bigint[];
  predictedE8: bigint | null;
  firstLiquidationE8: bigint | null;
  liquidations: number;
}

/** The state of one policy run. */
interface RunState {
  policies: PolicySet;
  tracks: PositionTrack[];
  rows: LiquidationRow[];
  rounds: CascadeRun["rounds"];
  actorEvents: CascadeRun["actorEvents"];
  exoE8: bigint;
  round: number;
  converged: boolean;
  badDebtCumUsdWad: bigint;
}

/** The accounts exposed to liquidation: the tracked positions, then each actor's own. */
function exposures(run: ScenarioRun): Exposure[] {
  return [
    ...run.positions.map((p) => ({ account: p.account, label: p.label, markets: [p.market] })),
    ...run.actors.flatMap((a) => a.candidates()),
  ];
}

/** Runs every policy set (or run spec) from the same snapshot; the chain is left as it was before the first run. */
export async function runPolicySets(
  run: ScenarioRun,
  specs: readonly (PolicySet | RunSpec)[],
): Promise<{ startBlock: number; runs: EngineRun[] }> {
  const start = await latestBlock(run.ctx.provider);
  let base = await snapshot(run.ctx.provider);
  const runs: EngineRun[] = [];
  for (const [i, item] of specs.entries()) {
    const spec: RunSpec = isRunSpec(item) ? item : { policies: item };
    const policies = spec.policies;
    if (i > 0) {
      await revertTo(run.ctx.provider, base);
      base = await snapshot(run.ctx.provider);
    }
    run.log(
      `policies: ${Object.entries(policies)
        .map(([k, v]) => `${k} ${v}`)
        .join(", ")}${spec.variant ? `; ${spec.variant}` : ""}`,
    );
    await spec.setUp?.();
    runs.push({ ...(await runOnce(run, policies)), variant: spec.variant ?? "" });
  }
  await revertTo(run.ctx.provider, base);
  return { startBlock: Number(start.number), runs };
}

function isRunSpec(x: PolicySet | RunSpec): x is RunSpec {
  return typeof (x as RunSpec).policies === "object";
}

async function runOnce(run: ScenarioRun, policies: PolicySet): Promise<Omit<EngineRun, "variant">> {
  const { ctx } = run;
  const exposed = exposures(run);
  await applyPolicies(
    ctx,
    policies,
    exposed.flatMap((e) => e.markets),
  );
  for (const a of [...run.actors, run.bots]) await a.begin?.({ policies, exposed });
  const feedStartE8 = await getFeedPrice(ctx, run.feed);
  const state: RunState = {
    policies,
    tracks: await startTracks(run, policies, feedStartE8),
    rows: [],
    rounds: [],
    actorEvents: [],
    exoE8: feedStartE8,
    round: 0,
    converged: true,
    badDebtCumUsdWad: 0n,
  };
  await walk(run, state);
  const left = await run.bots.liquidatableLeft();
  if (state.converged && left > 0 && run.bots.refusals.length === 0) state.converged = false;
  const positions = await positionRows(run, state);
  for (const a of run.actors) {
    const ev = await a.end?.({ round: state.round, liquidations: state.rows });
    if (ev) state.actorEvents.push({ round: state.round, ...reported(ev) });
  }
  const decimalsOf = (s: string) => tokenDecimals(ctx, s as TokenSymbol);
  return {
    policies,
    rounds: state.rounds,
    positions,
    liquidations: state.rows,
    refusals: run.bots.refusals,
    totals: {
      ...liquidationTotals(state.rows, decimalsOf),
      positionsLiquidated: positions.filter((p) => p.liquidations > 0).length,
    },
    byLiquidatorKind: totalsByKind(state.rows, run.bots.kinds, decimalsOf),
    actorEvents: state.actorEvents,
    converged: state.converged,
    roundLimitReached: state.round >= run.rounds.max,
    liquidatableLeft: left,
  };
}

/** Start of a run: collateral, debt and health factor of every tracked position, and the predicted feed price. */
async function startTracks(run: ScenarioRun, policies: PolicySet, feedStartE8: bigint): Promise<PositionTrack[]> {
  // Positions whose opening amounts are unknown are read in full first: the first batched read of a run may deploy
  // the position lens (a block), and interest accrues over it.
  const fullReads = await Promise.all(run.positions.map((p) => (p.opened ? undefined : p.market.position(p.account))));
  const known = run.positions.filter((p) => p.opened);
  const batched = await healthFactorsOf(known);
  const out: PositionTrack[] = [];
  let k = 0;
  for (const [i, p] of run.positions.entries()) {
    const full = fullReads[i];
    const hf = full ? full.healthFactorWad : batched[k++];
    const amounts = p.opened ?? {
      collateralRaw: full?.collateral[0]?.amountRaw ?? 0n,
      debtRaw: full?.debt[0]?.amountRaw ?? 0n,
    };
    // Only a position whose oracle reads the feed has a predicted liquidation price on it: feed x (1 / HF).
    const reads = policyReadsFeed(policyOf(p.market, policies), run.feed);
    out.push({
      ...amounts,
      hfStart: hf,
      minHf: hf,
      hfPath: [],
      predictedE8: reads && hf > 0n ? (feedStartE8 * WAD) / hf : null,
      firstLiquidationE8: null,
      liquidations: 0,
    });
  }
  return out;
}

async function amountsOf(p: TrackedPosition): Promise<{ collateralRaw: bigint; debtRaw: bigint }> {
  const pos = await p.market.position(p.account);
  return { collateralRaw: pos.collateral[0]?.amountRaw ?? 0n, debtRaw: pos.debt[0]?.amountRaw ?? 0n };
}

async function walk(run: ScenarioRun, state: RunState): Promise<void> {
  const { ctx } = run;
  for (const [pi, step] of run.steps.entries()) {
    await advance(ctx.provider, step.blocks, step.seconds);
    for (const f of step.feeds) await setFeedPrice(ctx, f.feed, f.priceE8);
    if (step.exogenousE8 !== undefined) state.exoE8 = step.exogenousE8;
    await run.follower?.follow(state.exoE8);
    for (let r = 0; r < run.rounds.perPoint; r++) {
      if (state.round >= run.rounds.max) {
        state.converged = false;
        return;
      }
      state.round++;
      const quiet = await runRound(run, state, pi + 1);
      if (quiet) break;
    }
  }
}

/** One round; true when it liquidated nothing and no actor moved the price. */
async function runRound(run: ScenarioRun, state: RunState, pathPoint: number): Promise<boolean> {
  const { ctx, dex } = run;
  const round = state.round;
  let moved = false;
  let redeemedUsdeRaw = 0n;
  // Actors react to the market as it is now, in list order.
  for (const actor of run.actors) {
    const ev = await actor.react({ round, pathPoint });
    if (!ev) continue;
    if (ev.actor === "redemption-arbitrageur") redeemedUsdeRaw += BigInt(ev.usdeRedeemedRaw);
    state.actorEvents.push({ round, ...reported(ev) });
    run.log(`  round ${round}: ${describe(ev)}`);
    if (actor.movesPrice) {
      moved = true;
      await run.follower?.follow(state.exoE8);
    }
  }

  const dexBeforeWad = await dex.price(...DEX_PAIR);
  const sweep = await run.bots.react();
  const outcomes = sweep.outcomes;
  // The feed the protocols read when they liquidated.
  const feedUsedE8 = await getFeedPrice(ctx, run.feed);
  let soldUsdWad = 0n;
  let badUsdWad = 0n;
  for (const o of outcomes) {
    state.rows.push(liquidationRow(o, feedUsedE8));
    const i = run.positions.findIndex(
      (p) => p.market.key === o.record.market && sameAddress(p.account, o.record.borrower),
    );
    if (i >= 0) {
      state.tracks[i].liquidations++;
      state.tracks[i].firstLiquidationE8 ??= feedUsedE8;
    }
    const decimals = tokenDecimals(ctx, o.record.debtAsset);
    if (o.sale) soldUsdWad += debtUsdWad(o.sale.receivedRaw, decimals);
    badUsdWad += debtUsdWad(o.record.badDebtRaw, decimals);
  }
  state.badDebtCumUsdWad += badUsdWad;
  await run.follower?.follow(state.exoE8);

  const hfs = await healthFactorsOf(run.positions);
  for (const [i, hf] of hfs.entries()) {
    const t = state.tracks[i];
    t.hfPath.push(hf);
    if (hf < t.minHf) t.minHf = hf;
  }
  const [pool, head, dexAfterWad, feedPriceE8, ethUsdE8] = await Promise.all([
    dex.poolBalances(...DEX_PAIR),
    latestBlock(ctx.provider),
    dex.price(...DEX_PAIR),
    getFeedPrice(ctx, run.feed),
    ctx.record.feeds[ETH_FEED] ? getFeedPrice(ctx, ETH_FEED) : 0n,
  ]);
  const block = Number(head.number);
  state.rounds.push({
    round,
    pathPoint,
    block,
    exogenousUsdeE8: state.exoE8.toString(),
    feedPriceE8: feedPriceE8.toString(),
    ethUsdE8: ethUsdE8.toString(),
    dexUsdeUsdcBeforeWad: dexBeforeWad.toString(),
    dexUsdeUsdcWad: dexAfterWad.toString(),
    liquidations: outcomes.length,
    volumeSoldUsdWad: soldUsdWad.toString(),
    poolUsdcLeftRaw: pool.bRaw.toString(),
    poolUsdeRaw: pool.aRaw.toString(),
    badDebtUsdWad: badUsdWad.toString(),
    cumulativeBadDebtUsdWad: state.badDebtCumUsdWad.toString(),
    redeemedUsdeRaw: redeemedUsdeRaw.toString(),
  });
  if (outcomes.length > 0) {
    const prices = `USDe/USDC ${fmt(dexBeforeWad)} → ${fmt(dexAfterWad)}, ${run.feed} ${Number(feedUsedE8) / 1e8}`;
    run.log(`  round ${round} (point ${pathPoint}): ${outcomes.length} liquidation(s), ${prices}`);
  }
  return outcomes.length === 0 && !moved;
}

/** The one way position rows are built: start, predicted vs observed first liquidation, HF path, end amounts. */
async function positionRows(run: ScenarioRun, state: RunState): Promise<RunReport["positions"]> {
  const out: RunReport["positions"] = [];
  for (const [i, p] of run.positions.entries()) {
    const t = state.tracks[i];
    const end = await amountsOf(p);
    out.push({
      account: p.account,
      market: p.market.key,
      loop: p.loop,
      collateralRaw: t.collateralRaw.toString(),
      debtRaw: t.debtRaw.toString(),
      healthFactorStartWad: t.hfStart.toString(),
      predictedLiquidationFeedE8: t.predictedE8 === null ? null : t.predictedE8.toString(),
      observedFirstLiquidationFeedE8: t.firstLiquidationE8 === null ? null : t.firstLiquidationE8.toString(),
      minHealthFactorWad: t.minHf.toString(),
      healthFactorPathWad: t.hfPath.map(String),
      liquidations: t.liquidations,
      finalCollateralRaw: end.collateralRaw.toString(),
      finalDebtRaw: end.debtRaw.toString(),
    });
  }
  return out;
}

/** Health factors of the positions, one batched read per market. */
async function healthFactorsOf(positions: readonly TrackedPosition[]): Promise<bigint[]> {
  const out: bigint[] = new Array<bigint>(positions.length);
  const byMarket = new Map<string, number[]>();
  positions.forEach((p, i) => byMarket.set(p.market.key, [...(byMarket.get(p.market.key) ?? []), i]));
  for (const idx of byMarket.values()) {
    const hfs = await positions[idx[0]].market.healthFactors(idx.map((i) => positions[i].account));
    idx.forEach((i, j) => (out[i] = hfs[j]));
  }
  return out;
}

function reported(ev: ActorEvent): ReportedActorEvent {
  if (ev.actor === "liquidators")
    throw new Error("the liquidation bots sweep last in a round, they are not a reacting actor");
  return ev;
}

function describe(ev: ActorEvent): string {
  switch (ev.actor) {
    case "whale":
      return `the whale unwinds, USDe/USDC ${fmtWad(ev.dexPriceBeforeWad)} → ${fmtWad(ev.dexPriceAfterWad)}`;
    case "liquidity-withdrawal":
      return (
        `market makers pull ${ev.share} of their liquidity; ` +
        `impact of selling ${ev.saleUsde} USDe ${ev.impactBeforeBps} → ${ev.impactAfterBps} bps`
      );
    case "cex-dex-arbitrageur":
      return `CEX–DEX arbitrage moves ${ev.trades.map((t) => `${t.pool} ${fmtWad(t.priceBeforeWad)} → ${fmtWad(t.priceAfterWad)}`).join(", ")}`;
    case "market-maker":
      return `the market maker has ${JSON.stringify(ev.collateralLeftRaw)} left`;
    case "redemption-arbitrageur":
      return (
        `the redemption arbitrageur redeems ${fmt(BigInt(ev.usdeRedeemedRaw))} USDe for ${ev.asset}, ` +
        `USDe/${ev.asset} ${fmtWad(ev.dexPriceBeforeWad)} → ${fmtWad(ev.dexPriceAfterWad)}`
      );
    case "liquidators":
      return `${ev.outcomes.length} liquidation(s)`;
  }
}

const fmt = (wad: bigint) => (Number(wad / 10n ** 12n) / 1e6).toFixed(4);
const fmtWad = (wad: string) => fmt(BigInt(wad));
