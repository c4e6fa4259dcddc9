/**
 * A scenario's optional `montecarlo:` section: what varies from run to run of `npx hardhat montecarlo`. Every run
 * draws its own population seed from the base seed and its index; the price path is rescaled by the drawn knobs,
 * each a distribution in the population's vocabulary (fixed, uniform, lognormal, choice).
 */
import { z } from "zod";
import { MAX_MONTECARLO_RUNS } from "../domain/bounds";
import { PolicySetSchema, distribution } from "./schema-parts";

export const MonteCarloSectionSchema = z
  .object({
    /** Runs when --runs is not given. */
    runs: z
      .number()
      .int()
      .min(1)
      .max(MAX_MONTECARLO_RUNS, `at most ${MAX_MONTECARLO_RUNS} runs (each is a whole scenario run)`)
      .optional(),
    /** The base seed every run's seeds derive from (default: population.seed). */
    seed: z.number().int().min(0).max(0xffffffff).optional(),
    /** The policy set every run is measured under (default: the scenario's first). */
    policies: PolicySetSchema.optional(),
    path: z
      .object({
        /** The lowest USDe price of the path, USD: the path's USDe points are rescaled so their minimum is it. */
        usdeFloor: distribution.optional(),
        /** ETH's largest fall from its first price, a fraction (0.2: −20%): the path's ETH points are rescaled to it. */
        ethDrop: distribution.optional(),
      })
      .strict()
      .default({}),
  })
  .strict();
