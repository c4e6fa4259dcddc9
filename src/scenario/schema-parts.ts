/**
 * The pieces both scenario schemas share (depeg-schema.ts, cascade-schema.ts): decimals written as strings, scenario
 * names, oracle-policy sets and feed price paths. A policy set has one key per protocol of the registry, so adding a
 * protocol needs no schema edit.
 */
import { z } from "zod";
import { ORACLE_POLICIES, OraclePolicy } from "../domain/oracle-policy";
import { POLICY_KEYS } from "../protocols/registry";
import {
  MAX_BLOCKS_PER_POINT,
  MAX_DECIMAL_DIGITS,
  MAX_FLAG_AMOUNT_TOKENS,
  MAX_LOOP_ROUNDS,
  MAX_NAME_LENGTH,
  MAX_PATH_BLOCKS,
  MAX_PATH_POINTS,
} from "../domain/bounds";

/** Digits, optionally a point and more digits. */
const DECIMAL = /^\d+(\.\d+)?$/;

export const decimal = z
  .string()
  .regex(DECIMAL, 'must be a decimal number written as a string, e.g. "0.65"')
  .refine((s) => s.split(".").every((digits) => digits.length <= MAX_DECIMAL_DIGITS), {
    message: `at most ${MAX_DECIMAL_DIGITS} digits on either side of the point`,
  });

/** A token amount in whole tokens (a decimal string), at most MAX_FLAG_AMOUNT_TOKENS: the same bound as `--amount`. */
export const tokenAmount = decimal.refine(
  (s) => !DECIMAL.test(s) || BigInt(s.split(".")[0]) <= MAX_FLAG_AMOUNT_TOKENS,
  {
    message: `at most ${MAX_FLAG_AMOUNT_TOKENS} whole tokens`,
  },
);

/** A distribution of a decimal quantity (random.ts draws it): fixed, uniform, lognormal or a weighted choice. */
export const distribution = z.discriminatedUnion("dist", [
  z.object({ dist: z.literal("fixed"), value: tokenAmount }).strict(),
  z.object({ dist: z.literal("uniform"), min: tokenAmount, max: tokenAmount }).strict(),
  z
    .object({
      dist: z.literal("lognormal"),
      median: tokenAmount,
      sigma: z.number().min(0),
      min: tokenAmount.optional(),
      max: tokenAmount.optional(),
    })
    .strict(),
  z
    .object({
      dist: z.literal("choice"),
      values: z.array(tokenAmount).min(1),
      weights: z.array(z.number().min(0)).optional(),
    })
    .strict(),
]);

/** It names the report folder: one path segment inside reports/, never "." or "..". */
export const scenarioName = z
  .string()
  .max(MAX_NAME_LENGTH, `at most ${MAX_NAME_LENGTH} characters (it names the report folder)`)
  .regex(/^[A-Za-z0-9._-]+$/, "letters, digits, dot, dash and underscore only (it names the report folder)")
  .refine((s) => !/^\.+$/.test(s), "must not be only dots: it names a folder inside reports/");

/** Blocks mined at one path point. */
export const blocksAtPoint = z
  .number()
  .int()
  .min(0)
  .max(MAX_BLOCKS_PER_POINT, `at most ${MAX_BLOCKS_PER_POINT} blocks per point (about 139 days)`);

/** Rounds of one loop. */
export const loopRounds = z
  .number()
  .int()
  .min(0, "loop count must be >= 0")
  .max(MAX_LOOP_ROUNDS, `at most ${MAX_LOOP_ROUNDS} rounds`);

/** Points of a price path. */
export const pathPoints = z.number().int().min(1).max(MAX_PATH_POINTS, `at most ${MAX_PATH_POINTS} points`);

const OraclePolicySchema = z.enum(ORACLE_POLICIES as [OraclePolicy, ...OraclePolicy[]]);

/** `{ aave: "market", morpho: "fixed" }`: one policy per protocol, by the registry's policy keys, in their order. */
export const PolicySetSchema = z
  .object(
    Object.fromEntries(POLICY_KEYS.map((k) => [k, OraclePolicySchema])) as Record<string, typeof OraclePolicySchema>,
  )
  .strict();

const DEFAULT_FEED = "USDe/USD";

/** A price path on one feed: a step, a linear ramp, or a CSV file (src/oracles/paths.ts). */
export const PathSchema = z.union([
  z
    .object({
      feed: z.string().default(DEFAULT_FEED),
      step: z.object({ to: decimal, afterBlocks: blocksAtPoint.default(1) }).strict(),
    })
    .strict(),
  z
    .object({
      feed: z.string().default(DEFAULT_FEED),
      ramp: z
        .object({
          from: decimal,
          to: decimal,
          blocks: z.number().int().min(1).max(MAX_PATH_BLOCKS, `at most ${MAX_PATH_BLOCKS} blocks`),
          points: pathPoints,
        })
        .strict(),
    })
    .strict(),
  z.object({ feed: z.string().default(DEFAULT_FEED), csv: z.string().min(1) }).strict(),
]);
