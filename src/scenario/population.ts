/**
 * Populations of leveraged positions: planned from distributions with a seed (pure, reproducible), then opened for
 * real, one account each, through the flash-loan loop (one transaction per position) or the iterative loop.
 */
import type { ChainContext } from "../chain/context";
import { deal } from "../chain/cheats";
import { actorAddress, actorSigner } from "../actors/accounts";
import type { UniswapV3Dex } from "../dex/uniswap-v3";
import { InputError } from "../errors";
import { openMarket } from "../protocols/registry";
import type { LendingMarket, PositionState } from "../protocols/lending-market";
import { runFlashLoop } from "../strategies/flash-loop";
import { idealLoop, runIterativeLoop, validateLoopParams } from "../strategies/iterative-loop";
import { WAD } from "../constants";
import type { EmbeddedParams } from "../embedded/params";
import { plannedMarket } from "../embedded/markets";
import { Distribution, checkDistribution, draw, prng } from "./random";
import { MAX_LOOP_ROUNDS } from "../domain/bounds";

export interface PopulationGroup {
  market: string;
  count: number;
  /** Initial USDe per position (whole tokens). */
  size: Distribution;
  /** LTV of each loop round. */
  ltv: Distribution;
  /** Loop rounds (whole numbers). */
  rounds: Distribution;
  method: "flash" | "iterative";
}

export interface PopulationSpec {
  seed: number;
  groups: PopulationGroup[];
}

export interface PlannedPosition {
  group: number;
  index: number;
  market: string;
  /** A fresh account derived from the scenario name and index (impersonated on the dev node). */
  account: string;
  initialRaw: bigint;
  rounds: number;
  targetLtvWad: bigint;
  method: "flash" | "iterative";
}

export interface BuiltPosition extends PlannedPosition {
  start: PositionState;
}

function populationAccount(scenario: string, index: number): string {
  return actorAddress(scenario, `position:${index}`);
}

/** Draws every position of the population (no chain access): same spec and seed, same plan. */
export function planPopulation(spec: PopulationSpec, scenario: string): PlannedPosition[] {
  const rand = prng(spec.seed);
  const out: PlannedPosition[] = [];
  spec.groups.forEach((g, gi) => {
    const at = `population.groups[${gi}]`;
    checkDistribution(g.size, `${at}.size`);
    checkDistribution(g.ltv, `${at}.ltv`);
    checkDistribution(g.rounds, `${at}.rounds`);
    for (let i = 0; i < g.count; i++) {
      const index = out.length;
      const rounds = Number(draw(g.rounds, rand, 0, 0));
      // Each round is a transaction (and a step of the planning maths): a draw past the bound is refused here.
      if (rounds > MAX_LOOP_ROUNDS) {
        throw new InputError(`${at}.rounds`, `draws ${rounds} loop rounds, over the bound of ${MAX_LOOP_ROUNDS}`);
      }
      out.push({
        group: gi,
        index,
        market: g.market,
        account: populationAccount(scenario, index),
        initialRaw: draw(g.size, rand, 18, 0),
        targetLtvWad: draw(g.ltv, rand, 18, 4),
        rounds,
        method: g.method,
      });
    }
  });
  return out;
}

/** Checks every planned position against its market's on-chain parameters (before any transaction). */
export async function validatePopulation(ctx: ChainContext, plan: PlannedPosition[]): Promise<void> {
  const markets = new Map<string, LendingMarket>();
  for (const p of plan) {
    const field = `population.groups[${p.group}]`;
    const market = markets.get(p.market) ?? openMarket(ctx, p.market, `${field}.market`);
    markets.set(p.market, market);
    await validateLoopParams(market, {
      initialSymbol: "USDe",
      initialRaw: p.initialRaw,
      rounds: p.rounds,
      targetLtvWad: p.targetLtvWad,
    }).catch((err: unknown) => {
      throw err instanceof InputError ? err.withField(`${field} (position ${p.index}).`) : err;
    });
  }
}

/** What the population borrows on each market (whole stablecoins, ~USD), and what the market has to lend. */
export function borrowedByMarket(
  plan: PlannedPosition[],
  params: EmbeddedParams,
): Map<string, { needWhole: bigint; haveWhole: bigint; field: string }> {
  const borrowed = new Map<string, { needWhole: bigint; haveWhole: bigint; field: string }>();
  for (const p of plan) {
    const field = `population.groups[${p.group}]`;
    const debtWhole = idealLoop(p.initialRaw, p.targetLtvWad, p.rounds).debtWad / WAD; // USD ~ whole stablecoins
    const { liquidityWhole } = plannedMarket(params, p.market, `${field}.market`);
    const e = borrowed.get(p.market) ?? { needWhole: 0n, haveWhole: liquidityWhole, field };
    e.needWhole += debtWhole;
    borrowed.set(p.market, e);
  }
  return borrowed;
}

/**
 * Checks, from the chain parameters alone (before anything is deployed), that the population fits the liquidity it
 * needs: each position's purchase of USDe must stay under half of its pool's USDe, and each lending market must have
 * the stablecoins the positions borrow.
 */
export function checkPopulationFits(plan: PlannedPosition[], params: EmbeddedParams): void {
  for (const p of plan) {
    const field = `population.groups[${p.group}]`;
    const debtWhole = idealLoop(p.initialRaw, p.targetLtvWad, p.rounds).debtWad / WAD; // USD ~ whole stablecoins
    const { debt } = plannedMarket(params, p.market, `${field}.market`);
    const pool = params.uniswap.pools.find(
      (x) => (x.tokenA === "USDe" && x.tokenB === debt) || (x.tokenB === "USDe" && x.tokenA === debt),
    );
    if (!pool) throw new InputError(`${field}.market`, `no USDe/${debt} pool to buy USDe with the borrowed ${debt}`);
    if (debtWhole * 2n > pool.depthPerSide) {
      throw new InputError(
        `${field} (position ${p.index})`,
        `borrows ~${debtWhole} ${debt} and buys USDe with it through ${pool.key}, whose depth is ${pool.depthPerSide} USDe per side: too large for the pool's liquidity`,
        `lower the group's size/rounds or raise dex.depthPerSide["${pool.key}"]`,
      );
    }
  }
  for (const [market, e] of borrowedByMarket(plan, params)) {
    if (e.needWhole > e.haveWhole) {
      throw new InputError(
        e.field,
        `the population borrows ~${e.needWhole} on ${market}, which has ${e.haveWhole} to lend`,
        "fewer or smaller positions",
      );
    }
  }
}

/**
 * Opens every planned position for real; `progress(done, total)` after each. `afterEach` runs between positions
 * (e.g. the peg arbitrage that undoes each looper's USDe purchase, as Ethena's mint arbitrage does in calm markets).
 */
export async function buildPopulation(
  ctx: ChainContext,
  dex: UniswapV3Dex,
  plan: PlannedPosition[],
  progress: (done: number, total: number) => void = () => undefined,
  afterEach: () => Promise<void> = async () => undefined,
): Promise<BuiltPosition[]> {
  const out: BuiltPosition[] = [];
  for (const p of plan) {
    const market = openMarket(ctx, p.market);
    const user = await actorSigner(ctx, p.account);
    await deal(ctx, "USDe", user, p.initialRaw);
    const params = {
      initialSymbol: "USDe" as const,
      initialRaw: p.initialRaw,
      rounds: p.rounds,
      targetLtvWad: p.targetLtvWad,
    };
    const start =
      p.method === "flash"
        ? (await runFlashLoop(ctx, market, dex, user, params)).final
        : (await runIterativeLoop(ctx, market, dex, user, params)).final;
    out.push({ ...p, start });
    await afterEach();
    progress(out.length, plan.length);
  }
  return out;
}

/** A one-line progress bar on a terminal (nothing when stderr is not a TTY, e.g. in CI logs). */
export function terminalProgress(label: string): (done: number, total: number) => void {
  return (done, total) => {
    if (!process.stderr.isTTY) return;
    const width = 30;
    const filled = Math.round((done / total) * width);
    process.stderr.write(
      `\r${label} [${"#".repeat(filled)}${"-".repeat(width - filled)}] ${done}/${total}${done === total ? "\n" : ""}`,
    );
  };
}
