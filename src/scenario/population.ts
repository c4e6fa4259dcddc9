/**
 * Populations of leveraged positions: planned from distributions with a seed (pure, reproducible), then opened for
 * real, one account each, through the flash-loan loop (one transaction per position) or the iterative loop.
 */
import { Signer, dataSlice, getAddress, keccak256, toUtf8Bytes } from "ethers";
import { WAD } from "../constants";
import type { ChainContext } from "../chain/context";
import { deal, impersonate } from "../chain/cheats";
import type { UniswapV3Dex } from "../dex/uniswap-v3";
import { InputError } from "../errors";
import { openMarket } from "../protocols/registry";
import type { LendingMarket, PositionState } from "../protocols/lending-market";
import { runFlashLoop } from "../strategies/flash-loop";
import { runIterativeLoop, validateLoopParams } from "../strategies/iterative-loop";
import { Distribution, checkDistribution, draw, prng } from "./random";

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

export function populationAccount(scenario: string, index: number): string {
  return getAddress(dataSlice(keccak256(toUtf8Bytes(`loopstress:${scenario}:position:${index}`)), 12));
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
      out.push({
        group: gi,
        index,
        market: g.market,
        account: populationAccount(scenario, index),
        initialRaw: draw(g.size, rand, 18, 0),
        targetLtvWad: draw(g.ltv, rand, 18, 4),
        rounds: Number(draw(g.rounds, rand, 0, 0)),
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
    await validateLoopParams(market, { initialSymbol: "USDe", initialRaw: p.initialRaw, rounds: p.rounds, targetLtvWad: p.targetLtvWad }).catch((err: unknown) => {
      if (err instanceof InputError) throw new InputError(`${field} (position ${p.index}).${err.field}`, err.message.slice(err.field.length + 2));
      throw err;
    });
  }
}

type SignerProvider = { getSigner(address: string): Promise<Signer> };

function hasGetSigner(p: unknown): p is SignerProvider {
  return typeof (p as SignerProvider).getSigner === "function";
}

/** Opens every planned position for real; `progress(done, total)` after each. */
export async function buildPopulation(
  ctx: ChainContext,
  dex: UniswapV3Dex,
  plan: PlannedPosition[],
  progress: (done: number, total: number) => void = () => undefined,
): Promise<BuiltPosition[]> {
  const provider = ctx.provider;
  if (!hasGetSigner(provider)) throw new Error("population: the provider cannot give signers for impersonated accounts");
  const out: BuiltPosition[] = [];
  for (const p of plan) {
    const market = openMarket(ctx, p.market);
    const user = await impersonate(provider, p.account, WAD);
    await deal(ctx, "USDe", user, p.initialRaw);
    const params = { initialSymbol: "USDe" as const, initialRaw: p.initialRaw, rounds: p.rounds, targetLtvWad: p.targetLtvWad };
    const start = p.method === "flash" ? (await runFlashLoop(ctx, market, dex, user, params)).final : (await runIterativeLoop(ctx, market, dex, user, params)).final;
    out.push({ ...p, start });
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
    process.stderr.write(`\r${label} [${"#".repeat(filled)}${"-".repeat(width - filled)}] ${done}/${total}${done === total ? "\n" : ""}`);
  };
}
