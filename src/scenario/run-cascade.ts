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
import { buildPopulation, planPopulation, validatePopulation } from "./population";

export interface RunCascadeOptions {
  liquidator: Signer;
  log?: (line: string) => void;
  progress?: (done: number, total: number) => void;
}

const ETH_FEED = "ETH/USD";

/**
 * The scenario's actors in the order they react in a round: the whale (its unwind moves the pool), the redemption
 * arbitrageur (buys back the discount the whale left and redeems it with Ethena), then the market makers pulling
 * liquidity (triggered by the pool price left), then the market maker (it only reports at the end). The liquidation bots sweep after all of them; the peg arbitrageur acts only while positions are opened.
 */
function scenarioActors(ctx: ChainContext, dex: UniswapV3Dex, scenario: CascadeScenario): Actor[] {
  const a = scenario.actors;
  const out: Actor[] = [];
  if (a.whale) out.push(new TwoLayerWhale(ctx, dex, scenario.name, a.whale));
  if (a.redemptions) out.push(new RedemptionArbitrageur(ctx, dex, scenario.name, a.redemptions));
  if (a.liquidityWithdrawal) out.push(new LiquidityWithdrawal(ctx, dex, a.liquidityWithdrawal));
  if (a.marketMaker) out.push(new CrossMarginedMarketMaker(ctx, scenario.name, a.marketMaker));
  return out;
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
  const actors = scenarioActors(ctx, dex, scenario);
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
    const actor = actors.find((a) => a.name === name);
    if (!actor?.open) continue;
    log(OPEN_LOG[name]);
    await actor.open(restorePeg);
    // Whatever an opening moved, the arbitrage puts back before the next.
    if (actor.movesPrice) await restorePeg();
  }

  const bots = new LiquidationBots(
    ctx,
    dex,
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
    liquidatorVenue: dex.name,
    chain: { profile: ctx.record.profile, chainId: ctx.record.chainId, startBlock, aave: aaveLogic },
    path: { feed: USDE_FEED, points: points.length },
    oracleSource: scenario.oracle.source,
    population: { seed: scenario.population.seed, positions: built.length },
    runs: runs.map((r) => ({
      ...reportRunOf(r),
      rounds: r.rounds,
      actorEvents: r.actorEvents,
      converged: r.converged,
      roundLimitReached: r.roundLimitReached,
      liquidatableLeft: r.liquidatableLeft,
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
