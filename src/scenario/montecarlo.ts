/**
 * Monte Carlo over a cascade scenario: N runs, each with its own population seed (derived from the base seed and the
 * run index) and its own price path (the `montecarlo.path` knobs drawn from their distributions), all under one policy
 * set, from one deployed chain by snapshot. Runs are deterministic by seed, so a run can be skipped when runs.csv
 * already holds it (resume), and shards (`i/n`: the runs whose index is i mod n) merge by resuming from their files.
 */
import crypto from "crypto";
import fs from "fs";
import path from "path";
import type { Signer } from "ethers";
import type { ChainContext } from "../chain/context";
import { revertTo, snapshot } from "../chain/cheats";
import type { UniswapV3Dex } from "../dex/uniswap-v3";
import { MAX_MONTECARLO_RUNS, MAX_RUNS_FILE_BYTES } from "../domain/bounds";
import { decimalOf } from "../domain/format";
import { readInputFile } from "../domain/input-file";
import { InputError } from "../errors";
import { parseUnitsExact } from "../math/fixed-point";
import { policySetName } from "../protocols/registry";
import { MonteCarloRow, SummaryMeta, parseMontecarloCsv, usdCell } from "../report/montecarlo-report";
import type { CascadeScenario } from "./cascade-schema";
import { exogenousPoints } from "./cascade-schema";
import { checkDistribution, draw, prng } from "./random";
import { runCascade } from "./run-cascade";
import { scenarioAt } from "./sweep";

/** What one run draws: its population seed and the path's knobs (prices and fractions in 1e-8). */
export interface RunDraw {
  run: number;
  seed: number;
  usdeFloorE8?: bigint;
  ethDropE8?: bigint;
}

export interface MonteCarloPlan {
  /** The scenario as every run starts from it: one policy set, no counterfactual runs, no validation. */
  scenario: CascadeScenario;
  baseSeed: number;
  policies: string;
  fingerprint: string;
  draws: RunDraw[];
}

const ONE_E8 = 10n ** 8n;

/** murmur3's 32-bit finaliser: every input bit reaches every output bit, so neighbouring runs get unrelated seeds. */
function mix32(x: number): number {
  let h = x >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** Run `run`'s population seed: a function of the base seed and the index only (any shard, any order). */
export function runSeed(baseSeed: number, run: number): number {
  return mix32(mix32(baseSeed) ^ Math.imul(run + 1, 0x9e3779b9));
}

/** The path's draws come from their own stream, so adding a knob never changes a population. */
const PATH_STREAM = 0x68e31da4;

/** The scenario's identity for resuming: everything that shapes a run (the number of runs aside), hashed. */
function scenarioFingerprint(s: CascadeScenario): string {
  const { montecarlo, ...rest } = s;
  const identity = { ...rest, montecarlo: montecarlo && { ...montecarlo, runs: undefined } };
  return crypto.createHash("sha256").update(JSON.stringify(identity)).digest("hex").slice(0, 16);
}

/** The runs (from --runs, else montecarlo.runs), bounded. */
export function runCountOf(s: CascadeScenario, flag: string | undefined): number {
  if (flag === undefined) {
    if (s.montecarlo?.runs !== undefined) return s.montecarlo.runs;
    throw new InputError("--runs", "is required", "give --runs N, or set montecarlo.runs in the scenario file");
  }
  if (!/^\d{1,6}$/.test(flag) || Number(flag) < 1 || Number(flag) > MAX_MONTECARLO_RUNS)
    throw new InputError(
      "--runs",
      `"${flag.slice(0, 20)}" is not a number of runs from 1 to ${MAX_MONTECARLO_RUNS}`,
      "each run is a whole scenario run; e.g. --runs 200",
    );
  return Number(flag);
}

/** Checks the knobs against the path (before anything is deployed): a knob needs a price of its kind to rescale. */
function checkPathKnobs(s: CascadeScenario): void {
  const knobs = s.montecarlo?.path ?? {};
  const points = exogenousPoints(s);
  if (knobs.usdeFloor) {
    checkDistribution(knobs.usdeFloor, "montecarlo.path.usdeFloor");
    const falls = "ramp" in s.path || points.some((p) => p.usdeE8 !== undefined && p.usdeE8 < ONE_E8);
    if (!falls)
      throw new InputError(
        "montecarlo.path.usdeFloor",
        "the path's USDe price never falls below 1: there is no fall to rescale",
        "give the path a USDe point below 1, or a ramp",
      );
  }
  if (knobs.ethDrop) {
    checkDistribution(knobs.ethDrop, "montecarlo.path.ethDrop");
    const eth = points.map((p) => p.ethE8).filter((x): x is bigint => x !== undefined);
    const hasEth = "ramp" in s.path ? s.path.ramp.eth !== undefined : eth.length > 0 && eth.some((x) => x < eth[0]);
    if (!hasEth)
      throw new InputError(
        "montecarlo.path.ethDrop",
        "the path's ETH price never falls below its first value: there is no fall to rescale",
        "give the path ETH points that fall, or a ramp with eth",
      );
  }
}

/** Plans every run (no chain access): seeds and draws, each drawn knob checked for range. */
export function planMonteCarlo(s: CascadeScenario, runs: number): MonteCarloPlan {
  checkPathKnobs(s);
  const mc = s.montecarlo;
  const policySet = mc?.policies ?? s.policies[0];
  const baseSeed = mc?.seed ?? s.population.seed;
  const knobs = mc?.path ?? {};
  const draws: RunDraw[] = [];
  for (let run = 0; run < runs; run++) {
    const seed = runSeed(baseSeed, run);
    const rand = prng(mix32(seed ^ PATH_STREAM));
    const d: RunDraw = { run, seed };
    if (knobs.usdeFloor) {
      d.usdeFloorE8 = draw(knobs.usdeFloor, rand, 8, 4);
      if (d.usdeFloorE8 <= 0n || d.usdeFloorE8 >= ONE_E8)
        throw new InputError(
          "montecarlo.path.usdeFloor",
          `run ${run} draws ${decimalOf(d.usdeFloorE8, 8)}, outside (0, 1)`,
          "bound the distribution (min and max) inside (0, 1)",
        );
    }
    if (knobs.ethDrop) {
      d.ethDropE8 = draw(knobs.ethDrop, rand, 8, 4);
      if (d.ethDropE8 >= ONE_E8)
        throw new InputError(
          "montecarlo.path.ethDrop",
          `run ${run} draws ${decimalOf(d.ethDropE8, 8)}: ETH would fall to 0 or below`,
          "bound the distribution (max) below 1",
        );
    }
    draws.push(d);
  }
  const scenario: CascadeScenario = {
    ...s,
    policies: [policySet],
    counterfactuals: { redemptionsPaused: [] },
    validation: undefined,
  };
  return { scenario, baseSeed, policies: policySetName(policySet), fingerprint: scenarioFingerprint(s), draws };
}

/** ETH points rescaled so the lowest is first × (1 − drop); the first stays. */
function withEthDrop(s: CascadeScenario, dropE8: bigint): CascadeScenario {
  const price = (e8: bigint) => decimalOf(e8, 8);
  if (!("points" in s.path)) {
    const eth = s.path.ramp.eth!;
    const from = parseUnitsExact(eth.from, 8, "eth.from");
    return {
      ...s,
      path: { ramp: { ...s.path.ramp, eth: { from: eth.from, to: price(from - (from * dropE8) / ONE_E8) } } },
    };
  }
  const prices = s.path.points.map((p) => (p.eth === undefined ? undefined : parseUnitsExact(p.eth, 8, "eth")));
  const defined = prices.filter((x): x is bigint => x !== undefined);
  const first = defined[0];
  const low = defined.reduce((m, x) => (x < m ? x : m), first);
  const fall = (first * dropE8) / ONE_E8;
  return {
    ...s,
    path: {
      points: s.path.points.map((p, i) => {
        const x = prices[i];
        return x === undefined ? p : { ...p, eth: price(first - ((first - x) * fall) / (first - low)) };
      }),
    },
  };
}

/** The scenario of one run: its population seed, its path, the plan's policy set. */
export function scenarioForRun(plan: MonteCarloPlan, d: RunDraw): CascadeScenario {
  let s: CascadeScenario = { ...plan.scenario, population: { ...plan.scenario.population, seed: d.seed } };
  const floor = d.usdeFloorE8 === undefined ? undefined : decimalOf(d.usdeFloorE8, 8);
  s = { ...scenarioAt(s, { index: d.run, floor, policy: plan.policies }), policies: plan.scenario.policies };
  return d.ethDropE8 === undefined ? s : withEthDrop(s, d.ethDropE8);
}

/** The summary's description of the plan (montecarlo.json's header). */
export function summaryMeta(plan: MonteCarloPlan): SummaryMeta {
  const knobs = plan.scenario.montecarlo?.path ?? {};
  return {
    scenario: plan.scenario.name,
    description: plan.scenario.description,
    fingerprint: plan.fingerprint,
    baseSeed: plan.baseSeed,
    policies: plan.policies,
    usdeFloor: knobs.usdeFloor ?? null,
    ethDrop: knobs.ethDrop ?? null,
  };
}

export interface MonteCarloOptions {
  /** Rows already measured (from runs.csv and shard files): their runs are skipped. */
  done?: ReadonlyMap<number, MonteCarloRow>;
  /** Called after each new run with every row so far (done and new), in run order: write runs.csv here. */
  onRow?: (rows: MonteCarloRow[]) => void;
  progress?: (done: number, total: number) => void;
}

/** Runs the draws not yet done, each from the same snapshot; returns every row (done and new), in run order. */
export async function runMonteCarlo(
  ctx: ChainContext,
  dex: UniswapV3Dex,
  plan: MonteCarloPlan,
  draws: readonly RunDraw[],
  liquidator: Signer,
  options: MonteCarloOptions = {},
): Promise<MonteCarloRow[]> {
  const rows = new Map(options.done ?? []);
  const todo = draws.filter((d) => !rows.has(d.run));
  const ordered = () => [...rows.values()].sort((a, b) => Number(a.run) - Number(b.run));
  let base = await snapshot(ctx.provider);
  for (const [i, d] of todo.entries()) {
    const report = await runCascade(ctx, dex, scenarioForRun(plan, d), { liquidator });
    await revertTo(ctx.provider, base);
    base = await snapshot(ctx.provider);
    const run = report.runs[0];
    const t = run.totals;
    rows.set(d.run, {
      run: String(d.run),
      seed: String(d.seed),
      usdeFloorUsd: d.usdeFloorE8 === undefined ? "" : decimalOf(d.usdeFloorE8, 8),
      ethDropFraction: d.ethDropE8 === undefined ? "" : decimalOf(d.ethDropE8, 8),
      liquidations: String(t.liquidations),
      positionsLiquidated: String(t.positionsLiquidated),
      liquidatedCollateralUsd: usdCell(BigInt(t.seizedUsdWad)),
      liquidatedCollateralUsdWad: t.seizedUsdWad,
      repaidDebtUsd: usdCell(BigInt(t.repaidUsdWad)),
      repaidDebtUsdWad: t.repaidUsdWad,
      badDebtUsd: usdCell(BigInt(t.badDebtUsdWad)),
      badDebtUsdWad: t.badDebtUsdWad,
      converged: String(run.converged),
      liquidatableLeft: String(run.liquidatableLeft),
      scenario: plan.scenario.name,
      fingerprint: plan.fingerprint,
    });
    options.onRow?.(ordered());
    options.progress?.(i + 1, todo.length);
  }
  return ordered();
}

/** A shard's runs file name; the unsharded one is runs.csv. */
export function runsFileName(shard: { index: number; count: number }): string {
  return shard.count === 1 ? "runs.csv" : `runs-shard-${shard.index}-of-${shard.count}.csv`;
}

const SHARD_FILE = /^runs-shard-\d{1,6}-of-\d{1,6}\.csv$/;

/**
 * The rows already measured in `dir` for this plan: its own runs file and, for the unsharded run, every shard's (so
 * running without --shard after the shards merges them). A row of another scenario, seed or settings, a run beyond
 * the plan, or two files disagreeing on a run, is refused with one line naming the file.
 */
export function doneRows(dir: string, plan: MonteCarloPlan, own: string): Map<number, MonteCarloRow> {
  const files = fs.existsSync(dir)
    ? fs
        .readdirSync(dir)
        .filter((f) => f === own || (own === "runs.csv" && SHARD_FILE.test(f)))
        .sort()
    : [];
  const rows = new Map<number, MonteCarloRow>();
  for (const f of files) {
    const file = path.join(dir, f);
    const shown = path.relative(process.cwd(), file) || file;
    for (const r of parseMontecarloCsv(readInputFile(file, shown, undefined, MAX_RUNS_FILE_BYTES), shown)) {
      const run = Number(r.run);
      if (r.scenario !== plan.scenario.name || r.fingerprint !== plan.fingerprint)
        throw new InputError(
          shown,
          `holds runs of another scenario or settings (${r.scenario}, fingerprint ${r.fingerprint}; this is ${plan.scenario.name}, ${plan.fingerprint})`,
          "give another --out, or delete the file to start over",
        );
      if (run >= plan.draws.length)
        throw new InputError(
          shown,
          `holds run ${run}, beyond the ${plan.draws.length} runs asked for`,
          `give --runs ${run + 1} or more, or another --out`,
        );
      if (r.seed !== String(plan.draws[run].seed))
        throw new InputError(shown, `run ${run} has seed ${r.seed}, not ${plan.draws[run].seed}`, "delete the file");
      const before = rows.get(run);
      if (before && JSON.stringify(before) !== JSON.stringify(r))
        throw new InputError(shown, `run ${run} differs from the same run in another file`, "delete one of them");
      rows.set(run, r);
    }
  }
  return rows;
}
