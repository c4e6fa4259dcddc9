/**
 * Runs a cascade scenario: open a seeded population of loops and the actors' own positions (the peg arbitrageur
 * keeps the USDe pools at 1 in between), then hand them to the scenario engine (engine.ts): once per oracle-policy
 * set, from the same snapshot, walk the exogenous path (USDe, ETH), let the actors react and the bots liquidate in
 * rounds until nothing more is liquidated, with `market`-policy oracles following the pool (spot, TWAP or the lower
 * of pool and path) — which can make new positions liquidatable in the next round.
 */
import { aaveLogicOnChain } from "../protocols/aave-v3";
import type { Signer } from "ethers";
import type { ChainContext } from "../chain/context";
import { SECONDS_PER_BLOCK } from "../chain/clock";
import type { UniswapV3Dex } from "../dex/uniswap-v3";
import type { Dex } from "../dex/dex";
import { BestQuoteDex, openBestQuote } from "../dex/best-quote";
import { CexDexArbitrageur, needsCexDexArbitrage } from "../actors/cex-dex-arbitrageur";
import { salesByVenue } from "../metrics/liquidations";
import { tokenDecimals } from "../chain/context";
import type { TokenSymbol } from "../domain/tokens";
import { openMarket } from "../protocols/registry";
import type { Actor } from "../actors/actor";
import { LiquidationBots, LiquidatorsSetting } from "../actors/liquidation-bots";
import { openEthenaMinting, pauseEthenaMinting } from "../protocols/ethena-minting";
import { LiquidityWithdrawal } from "../actors/liquidity-withdrawal";
import { CrossMarginedMarketMaker } from "../actors/market-maker";
import { PegArbitrageur } from "../actors/peg-arbitrageur";
import { RedemptionArbitrageur } from "../actors/redemption-arbitrageur";
import { TwoLayerWhale } from "../actors/whale";
import type { CascadeReport } from "../report/cascade-report";
import type { CascadeScenario, ExogenousPoint } from "./cascade-schema";
import { exogenousPoints } from "./cascade-schema";
import { PathStep, RunSpec, TrackedPosition, reportRunOf, runPolicySets } from "./engine";
import { USDE_FEED, oracleFollower } from "./oracle-follower";
import { evaluateValidation } from "./validation";
import { thinPools } from "./cascade-chain";
import { buildPopulation, planPopulation, validatePopulation } from "./population";

export interface RunCascadeOptions {
  liquidator: Signer;
  log?: (line: string) => void;
  progress?: (done: number, total: number) => void;
}

const ETH_FEED = "ETH/USD";

/**
 * The scenario's actors in the order they react in a round: the CEX–DEX arbitrageur (the WETH pools follow ETH
 * before anyone sells WETH), the whale (its unwind moves the pool), the redemption arbitrageur (buys back the discount
 * the whale left and redeems it with Ethena), then the market makers pulling liquidity (triggered by the pool price
 * left), then the market maker (it only reports at the end). The liquidation bots sweep after all of them; the peg
 * arbitrageur acts only while positions are opened.
 */
function scenarioActors(ctx: ChainContext, dex: UniswapV3Dex, saleDex: Dex, scenario: CascadeScenario): Actor[] {
  const a = scenario.actors;
  const out: Actor[] = [];
  if (needsCexDexArbitrage(movesEth(scenario), collateralOf(scenario))) {
    out.push(new CexDexArbitrageur(ctx, dex, scenario.name));
  }
  if (a.whale) out.push(new TwoLayerWhale(ctx, dex, scenario.name, a.whale, saleDex));
  // Arbitrageurs buy the discount on every venue (each its own account), all redeeming within Ethena's one limit.
  if (a.redemptions)
    for (const venue of venuesOf(saleDex))
      out.push(new RedemptionArbitrageur(ctx, venue, `${scenario.name}:${venue.name}`, a.redemptions));
  if (a.liquidityWithdrawal) out.push(new LiquidityWithdrawal(ctx, dex, a.liquidityWithdrawal));
  if (a.marketMaker) out.push(new CrossMarginedMarketMaker(ctx, scenario.name, a.marketMaker));
  return out;
}

/** The venues a router quotes across, or the one venue. */
function venuesOf(dex: Dex): readonly Dex[] {
  return dex instanceof BestQuoteDex ? dex.venues : [dex];
}

/**
 * The order actors open in (after the population): the whale, the market maker, then the redemption arbitrageur
 * (whitelisting, Ethena's limits, its stablecoins).
 */
const OPEN_ORDER: readonly string[] = ["whale", "market-maker", "redemption-arbitrageur"];

const OPEN_LOG: Record<string, string> = {
  whale: "actors: the two-layer whale opens WETH → USDC on Aave and a USDe loop on Morpho",
  "market-maker": "actors: the cross-margined market maker opens its Aave account",
  "redemption-arbitrageur": "actors: the redemption arbitrageur is whitelisted with Ethena and holds USDC/USDT",
};

export async function runCascade(
  ctx: ChainContext,
  dex: UniswapV3Dex,
  scenario: CascadeScenario,
  options: RunCascadeOptions,
): Promise<CascadeReport> {
  const log = options.log ?? (() => undefined);
  // Which Aave logic this chain runs (a read: no block is mined); an unmodelled Pool revision is refused here.
  const { revision: poolRevision, release, rules } = await aaveLogicOnChain(ctx);
  const aaveLogic = { poolRevision, release, rules };
  const points = exogenousPoints(scenario);
  const plan = planPopulation(scenario.population, scenario.name);
  await validatePopulation(ctx, plan);
  // Where the actors and bots sell: the best quote across the scenario's venues (every venue of the chain by default).
  const saleDex = openBestQuote(ctx, scenario.dex.venues);
  const actors = scenarioActors(ctx, dex, saleDex, scenario);
  for (const a of actors) if (a instanceof LiquidityWithdrawal) a.validate();

  log(`population: opening ${plan.length} positions`);
  const arbitrageur = new PegArbitrageur(ctx, dex, scenario.name);
  const restorePeg = () => arbitrageur.restore();
  const built = await buildPopulation(ctx, dex, plan, options.progress, restorePeg);
  const positions: TrackedPosition[] = built.map((p) => ({
    market: openMarket(ctx, p.market),
    account: p.account,
    label: `position ${p.index}`,
    loop: {
      initialToken: "USDe",
      initialRaw: p.initialRaw.toString(),
      rounds: p.rounds,
      targetLtvWad: p.targetLtvWad.toString(),
    },
    opened: { collateralRaw: p.start.collateral[0].amountRaw, debtRaw: p.start.debt[0].amountRaw },
  }));
  for (const name of OPEN_ORDER) {
    const opening = actors.filter((a) => a.name === name && a.open);
    if (opening.length > 0) log(OPEN_LOG[name]);
    for (const actor of opening) {
      await actor.open?.(restorePeg);
      // Whatever an opening moved, the arbitrage puts back before the next.
      if (actor.movesPrice) await restorePeg();
    }
  }

  const thinned = await thinPools(dex, ctx.admin, scenario);
  for (const t of thinned)
    log(
      `dex: ${t.pool} thinned from ${t.openingDepthPerSide} to ${t.depthPerSide} per side (the market's depth on the day)`,
    );

  const bots = new LiquidationBots(
    ctx,
    saleDex,
    options.liquidator,
    liquidatorsSetting(ctx, scenario.actors.liquidators),
    "largest-incentive-first",
  );
  const { startBlock, runs } = await runPolicySets(
    {
      ctx,
      dex,
      feed: USDE_FEED,
      steps: points.map(cascadeStep),
      positions,
      actors,
      bots,
      rounds: { perPoint: scenario.stop.maxRoundsPerPoint, max: scenario.stop.maxRounds },
      follower: oracleFollower(ctx, dex, scenario.oracle.source, scenario.oracle.twapSeconds),
      log,
    },
    runSpecs(ctx, scenario),
  );
  const report: CascadeReport = {
    schemaVersion: 1,
    scenario: scenario.name,
    description: scenario.description,
    liquidatorVenue: saleDex.name,
    chain: { profile: ctx.record.profile, chainId: ctx.record.chainId, startBlock, aave: aaveLogic },
    path: { feed: USDE_FEED, points: points.length },
    oracleSource: scenario.oracle.source,
    population: { seed: scenario.population.seed, positions: built.length },
    thinnedPools: thinned,
    runs: runs.map((r) => ({
      ...reportRunOf(r),
      rounds: r.rounds,
      actorEvents: r.actorEvents,
      converged: r.converged,
      roundLimitReached: r.roundLimitReached,
      liquidatableLeft: r.liquidatableLeft,
      salesByVenue: salesByVenue(r.liquidations, (s) => tokenDecimals(ctx, s as TokenSymbol)),
    })),
  };
  return scenario.validation ? { ...report, validation: evaluateValidation(scenario.validation, report) } : report;
}

/** How reports name the counterfactual in which Ethena's gatekeeper has disabled redeeming. */
const REDEMPTIONS_PAUSED = "redemptions paused";

/** The policy runs, then the counterfactuals: the same policies with Ethena's redemptions paused. */
function runSpecs(ctx: ChainContext, scenario: CascadeScenario): RunSpec[] {
  return [
    ...scenario.policies.map((policies) => ({ policies })),
    ...scenario.counterfactuals.redemptionsPaused.map((policies) => ({
      policies,
      variant: REDEMPTIONS_PAUSED,
      setUp: () => pauseEthenaMinting(ctx),
    })),
  ];
}

/** The scenario's liquidator mix as the bots take it (a redeemer drives Ethena's minting contract). */
function liquidatorsSetting(ctx: ChainContext, l: CascadeScenario["actors"]["liquidators"]): LiquidatorsSetting {
  return {
    mode: l.mode,
    sell: l.sell,
    kinds: l.kinds,
    expectedMarkdownBps: BigInt(l.expectedMarkdownBps),
    minting: l.kinds.includes("redeemer") ? openEthenaMinting(ctx) : undefined,
  };
}

/** An exogenous point as an engine step: ETH/USD is set directly; USDe/USD is what the oracle follower makes of it. */
function cascadeStep(p: ExogenousPoint): PathStep {
  return {
    blocks: p.blocks,
    seconds: p.blocks * SECONDS_PER_BLOCK,
    feeds: p.ethE8 === undefined ? [] : [{ feed: ETH_FEED, priceE8: p.ethE8 }],
    exogenousE8: p.usdeE8,
  };
}

/** Whether the scenario's path sets ETH/USD anywhere. */
function movesEth(scenario: CascadeScenario): boolean {
  return exogenousPoints(scenario).some((p) => p.ethE8 !== undefined);
}

/** The collateral the scenario's positions and actors hold (market keys name it: "<protocol>:<collateral>/..."). */
function collateralOf(scenario: CascadeScenario): TokenSymbol[] {
  const a = scenario.actors;
  const keys = [...scenario.population.groups.map((g) => g.market), ...(a.whale ? [a.whale.loop.market] : [])];
  const fromKeys = keys.map((k) => k.slice(k.indexOf(":") + 1).split("/")[0] as TokenSymbol);
  return [
    ...fromKeys,
    ...(a.whale ? (["WETH"] as TokenSymbol[]) : []),
    ...(Object.keys(a.marketMaker?.collateral ?? {}) as TokenSymbol[]),
  ];
}
