/**
 * Cascade scenario files (`scenarios/*.yaml`, `npx hardhat scenario <file>`), validated with zod before anything is
 * deployed: errors name the path of the bad field. See scenarios/oct-10-2025.yaml for a documented example.
 */
import path from "path";
import { z } from "zod";
import { InputError } from "../errors";
import { parseWithSchema, readStructuredFile } from "./files";
import { parseUnitsExact } from "../math/fixed-point";
import { AAVE_RELEASES, DEFAULT_AAVE_RELEASE, aaveReleaseFrom } from "../domain/aave-release";
import {
  PolicySetSchema,
  blocksAtPoint,
  decimal,
  distribution,
  loopRounds,
  pathPoints,
  scenarioName,
  tokenAmount,
} from "./schema-parts";
import { LIQUIDATOR_KINDS } from "../strategies/liquidation-bot";
import { policySetName } from "../protocols/registry";
import { ValidationInputSchema } from "./validation";
import { MonteCarloSectionSchema } from "./montecarlo-schema";

import {
  MAX_PATH_BLOCKS,
  MAX_PATH_POINTS,
  MAX_POLICY_SETS,
  MAX_POPULATION,
  MAX_POOL_DEPTH_TOKENS,
  MAX_ROUNDS,
} from "../domain/bounds";
import { ETHENA_REDEEM_PER_BLOCK_USDE } from "../embedded/params";

/** Whole tokens of a pool's token A per side, by pool key. */
const poolDepths = z
  .record(
    z.string(),
    z
      .number()
      .int()
      .min(1)
      .max(Number(MAX_POOL_DEPTH_TOKENS), `at most ${MAX_POOL_DEPTH_TOKENS} whole tokens per side`),
  )
  .default({});

/** A redemption fee above 10% is no longer a redemption anyone arbitrages. */
const MAX_REDEMPTION_FEE_BPS = 1000;

const group = z
  .object({
    market: z.string().min(1),
    count: z.number().int().min(1).max(5000),
    size: distribution,
    ltv: distribution,
    rounds: distribution,
    method: z.enum(["flash", "iterative"]).default("flash"),
  })
  .strict();

/** One exogenous point: chain time passes, then the external USDe price (and ETH) are what they are. */
const point = z
  .object({ blocks: blocksAtPoint.default(1), usde: tokenAmount.optional(), eth: tokenAmount.optional() })
  .strict();

const ramp = z
  .object({
    points: pathPoints,
    blocksPerPoint: blocksAtPoint.min(1).default(1),
    usde: z.object({ from: tokenAmount, to: tokenAmount }).strict().optional(),
    eth: z.object({ from: tokenAmount, to: tokenAmount }).strict().optional(),
  })
  .strict()
  .refine((r) => r.points * r.blocksPerPoint <= MAX_PATH_BLOCKS, {
    message: `points x blocksPerPoint must be at most ${MAX_PATH_BLOCKS} blocks`,
  });

export const CascadeScenarioSchema = z
  .object({
    name: scenarioName,
    description: z.string().optional(),
    /** aaveRelease: which Aave logic the embedded chain runs (origin-v3.6, mainnet's line since v3.3, by default; or v3.0). */
    chain: z
      .object({ profile: z.literal("embedded"), aaveRelease: z.enum(AAVE_RELEASES).default(DEFAULT_AAVE_RELEASE) })
      .strict()
      .default({ profile: "embedded", aaveRelease: DEFAULT_AAVE_RELEASE }),
    /**
     * Pool depth overrides (token A per side, whole tokens) by pool key, e.g. "USDe/USDC-0.01%"; `venues`: where the
     * whale's unwind and the liquidators sell, each sale on the venue quoting best ("uniswap-v3",
     * "curve:USDe/USDC/USDT/DAI"; default every venue of the chain).
     */
    dex: z
      .object({
        /** The pools' depth during the run, whole tokens of token A per side, by pool key; the Curve pool by its venue name. */
        depthPerSide: poolDepths,
        /**
         * Depth the population is opened against, by Uniswap pool key; once every position and actor is open, each
         * listed pool is thinned to its `depthPerSide` (its LPs withdraw the difference, in proportion, so the
         * price and shape stay). Loopers built their positions over months, mostly with USDe minted 1:1 with
         * Ethena, not in one block against the day's depth.
         */
        openingDepthPerSide: poolDepths,
        venues: z.array(z.string().min(1)).min(1).optional(),
      })
      .strict()
      .default({ depthPerSide: {}, openingDepthPerSide: {} }),
    population: z
      .object({ seed: z.number().int().min(0), groups: z.array(group).min(1) })
      .strict()
      .refine((p) => p.groups.reduce((n, g) => n + g.count, 0) <= MAX_POPULATION, {
        message: `at most ${MAX_POPULATION} positions in all groups together`,
        path: ["groups"],
      }),
    actors: z
      .object({
        whale: z
          .object({
            wethCollateral: tokenAmount,
            /** USDC borrowed on Aave against the WETH, as a fraction of the WETH value. */
            aaveLtv: decimal,
            loop: z.object({ market: z.string(), rounds: loopRounds, ltv: decimal }).strict(),
            /** The whale unwinds its loop when its Aave health factor falls below this. */
            unwindBelowHealthFactor: decimal,
          })
          .strict()
          .optional(),
        marketMaker: z
          .object({
            /** Collateral in one Aave account, whole tokens, e.g. { WETH: "2000", USDe: "3000000", sUSDe: "2000000" }. */
            collateral: z.record(z.enum(["WETH", "USDe", "sUSDe"]), tokenAmount),
            debt: z.enum(["USDC", "USDT"]).default("USDC"),
            /** USDC borrowed, as a fraction of the account's borrowing power. */
            borrowShareOfLimit: decimal,
          })
          .strict()
          .optional(),
        liquidityWithdrawal: z
          .object({
            pools: z.array(z.string()).min(1),
            /** Share of their liquidity the market makers pull. */
            share: decimal,
            /** Trigger: the USDe/USDC pool price falls below this. */
            whenDexPriceBelow: decimal,
            /** A sale (USDe) whose price impact is measured just before and just after the withdrawal. */
            measureSaleUsde: tokenAmount.default("1000000"),
          })
          .strict()
          .optional(),
        /**
         * Redemptions with Ethena: a whitelisted arbitrageur buys USDe on the pools below 1 − fee − gas per USDe and
         * redeems it, at most one redeem transaction (the contract's per-block limit) per round.
         */
        redemptions: z
          .object({
            /**
             * USDe redeemable per block, whole tokens (the minting contract's maxRedeemPerBlock, per asset and global).
             * 280,000: ~$2B redeemed in 24 h on 10-11 Oct 2025 over 7,200 blocks (src/embedded/params.ts).
             */
            capacityPerBlockUsde: tokenAmount.default(ETHENA_REDEEM_PER_BLOCK_USDE.toString()),
            /** Ethena's redemption fee, bps; 0 by default (Ethena documents no protocol fee). At most 1000 (10%). */
            feeBps: z.number().int().min(0).max(MAX_REDEMPTION_FEE_BPS).default(0),
            /**
             * The gas price the arbitrageur pays, gwei (its cost per buy + redeem, in USD at the ETH/USD feed). 10 is
             * not calibrated: no gas figure for 10 Oct 2025 has been found; gas spiked that day.
             */
            gasPriceGwei: tokenAmount.default("10"),
            /** It starts only this many blocks after it first sees a discount (0: at once). */
            delayBlocks: z.number().int().min(0).max(MAX_PATH_BLOCKS).default(0),
            /** Ethena's gatekeeper has disabled mint and redeem: nothing is redeemed. */
            paused: z.boolean().default(false),
          })
          .strict()
          .optional(),
        liquidators: z
          .object({
            /** How sellers fund a liquidation: a flash loan (one transaction) or their own inventory. */
            mode: z.enum(["flash", "inventory"]).default("flash"),
            /** Inventory-funded sellers: sell what they seize (false: keep it). */
            sell: z.boolean().default(true),
            /**
             * The kinds of liquidator and the order they sweep each market in: "seller" sells at once, "inventory"
             * holds what it cannot sell at a profit when the bonus covers the markdown it expects, "redeemer" redeems
             * seized USDe with Ethena (needs the minting contract).
             */
            kinds: z
              .array(z.enum(LIQUIDATOR_KINDS))
              .min(1)
              .max(LIQUIDATOR_KINDS.length)
              .refine((k) => new Set(k).size === k.length, { message: "each kind at most once" })
              .default(["seller"]),
            /** Inventory liquidators: the markdown they expect on held collateral, bps of the oracle price. */
            expectedMarkdownBps: z.number().int().min(0).max(10_000).default(100),
          })
          .strict()
          .default({ mode: "flash", sell: true, kinds: ["seller"], expectedMarkdownBps: 100 }),
      })
      .strict()
      .default({}),
    path: z.union([
      z
        .object({
          points: z
            .array(point)
            .min(1, "needs at least one point")
            .max(MAX_PATH_POINTS, `at most ${MAX_PATH_POINTS} points`)
            .refine((ps) => ps.reduce((n, p) => n + p.blocks, 0) <= MAX_PATH_BLOCKS, {
              message: `at most ${MAX_PATH_BLOCKS} blocks over the whole path`,
            }),
        })
        .strict(),
      z.object({ ramp }).strict(),
    ]),
    /**
     * What a `market`-policy oracle reports for USDe: the exogenous price (`path`), the USDe/USDC pool's spot price
     * (`dex`), its time-weighted average over `twapSeconds` (`twap`), or the lower of path and pool (`min`).
     */
    oracle: z
      .object({
        source: z.enum(["path", "dex", "twap", "min"]).default("min"),
        twapSeconds: z.number().int().min(12).default(1800),
      })
      .strict()
      .default({ source: "min", twapSeconds: 1800 }),
    policies: z.array(PolicySetSchema).min(1).max(MAX_POLICY_SETS),
    /**
     * Counterfactual runs beside the policy runs: `redemptionsPaused` runs these policy sets again with Ethena's
     * redemptions disabled (the gatekeeper's switch), to show how much redemption capacity mattered.
     */
    counterfactuals: z
      .object({ redemptionsPaused: z.array(PolicySetSchema).max(MAX_POLICY_SETS).default([]) })
      .strict()
      .default({ redemptionsPaused: [] }),
    /** Published facts the replay must reproduce, checked on the run under mainnet's own policies. */
    validation: ValidationInputSchema.optional(),
    /** What varies from run to run of `npx hardhat montecarlo` (src/scenario/montecarlo-schema.ts). */
    montecarlo: MonteCarloSectionSchema.optional(),
    stop: z
      .object({
        maxRounds: z.number().int().min(1).max(MAX_ROUNDS, `at most ${MAX_ROUNDS}`).default(200),
        maxRoundsPerPoint: z.number().int().min(1).max(MAX_ROUNDS, `at most ${MAX_ROUNDS}`).default(10),
      })
      .strict()
      .default({ maxRounds: 200, maxRoundsPerPoint: 10 }),
  })
  .strict();

export type CascadeScenario = z.infer<typeof CascadeScenarioSchema>;

export interface ExogenousPoint {
  blocks: number;
  usdeE8?: bigint;
  ethE8?: bigint;
}

const e8 = (v: string) => parseUnitsExact(v, 8, "price");

/** How many positions the population opens, all groups together. */
export function populationSize(s: Pick<CascadeScenario, "population">): number {
  return s.population.groups.reduce((n, g) => n + g.count, 0);
}

/** The exogenous path as points (prices in 1e-8 USD); prices must be > 0. */
export function exogenousPoints(s: CascadeScenario): ExogenousPoint[] {
  const out: ExogenousPoint[] = [];
  if ("points" in s.path) {
    for (const p of s.path.points)
      out.push({
        blocks: p.blocks,
        usdeE8: p.usde === undefined ? undefined : e8(p.usde),
        ethE8: p.eth === undefined ? undefined : e8(p.eth),
      });
  } else {
    const r = s.path.ramp;
    const lerp = (x: { from: string; to: string } | undefined, i: number) =>
      x === undefined ? undefined : e8(x.from) + ((e8(x.to) - e8(x.from)) * BigInt(i)) / BigInt(r.points);
    for (let i = 1; i <= r.points; i++)
      out.push({ blocks: r.blocksPerPoint, usdeE8: lerp(r.usde, i), ethE8: lerp(r.eth, i) });
  }
  out.forEach((p, i) => {
    for (const [k, v] of [
      ["usde", p.usdeE8],
      ["eth", p.ethE8],
    ] as const) {
      if (v !== undefined && v <= 0n)
        throw new InputError(
          `path point ${i + 1}.${k}`,
          "price must be > 0",
          "protocols fall back or revert on prices <= 0",
        );
    }
  });
  return out;
}

export function parseCascadeScenario(raw: unknown, source: string): CascadeScenario {
  const scenario = parseWithSchema(CascadeScenarioSchema, raw, source);
  exogenousPoints(scenario);
  checkRunsNamed(scenario);
  return scenario;
}

/** The validation's run and every counterfactual must name a policy set the scenario runs. */
function checkRunsNamed(s: CascadeScenario): void {
  const names = s.policies.map(policySetName);
  const known = (field: string, p: Record<string, string>) => {
    if (!names.includes(policySetName(p)))
      throw new InputError(
        field,
        `${policySetName(p)} is not one of the scenario's policy sets (${names.join(", ")})`,
        "name a policy set listed under policies",
      );
  };
  s.counterfactuals.redemptionsPaused.forEach((p, i) => known(`counterfactuals.redemptionsPaused[${i}]`, p));
  const redeems = s.actors.redemptions !== undefined || s.actors.liquidators.kinds.includes("redeemer");
  if (s.counterfactuals.redemptionsPaused.length > 0 && !redeems)
    throw new InputError(
      "counterfactuals.redemptionsPaused",
      "the scenario has no redemptions to pause",
      "add actors.redemptions or a redeemer to actors.liquidators.kinds",
    );
  if (s.validation) known("validation.policies", s.validation.policies);
}

export function readCascadeScenario(file: string): CascadeScenario {
  return parseCascadeScenario(readStructuredFile(file, "scenario"), path.basename(file));
}

/** The scenario with its Aave release overridden from the command line (--aave-release), checked by name. */
export function withAaveRelease(s: CascadeScenario, release: string | undefined): CascadeScenario {
  if (release === undefined) return s;
  const aaveRelease = aaveReleaseFrom(release, "--aave-release");
  return { ...s, name: `${s.name}-aave-${aaveRelease}`, chain: { ...s.chain, aaveRelease } };
}
