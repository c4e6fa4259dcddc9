/**
 * The depeg scenario file (JSON or YAML), validated with zod: errors name the path of the bad field.
 */
import { readInputFile } from "../domain/input-file";
import path from "path";
import { z } from "zod";
import { InputError } from "../errors";
import { parseWithSchema, readStructuredFile } from "./files";
import { PathPoint, buildPath } from "../oracles/paths";
import { PathSchema, PolicySetSchema, decimal, loopRounds, scenarioName } from "./schema-parts";
import { MAX_FORK_BLOCK, MAX_POLICY_SETS, MAX_POPULATION } from "../domain/bounds";

/** A block number of the chain a scenario runs on. */
const blockNumber = z.number().int().min(0).max(MAX_FORK_BLOCK, `at most ${MAX_FORK_BLOCK}`);

const LoopSpecSchema = z
  .object({
    market: z.string().min(1),
    initialToken: z.enum(["USDe", "sUSDe"]).default("USDe"),
    initialAmount: decimal,
    rounds: loopRounds,
    targetLtv: decimal,
    /** How many identical positions (each its own account). */
    count: z.number().int().min(1).max(18).default(1),
  })
  .strict();

export const DepegScenarioSchema = z
  .object({
    name: scenarioName,
    description: z.string().optional(),
    loops: z
      .array(LoopSpecSchema)
      .max(MAX_POPULATION, `at most ${MAX_POPULATION} loops`)
      .refine((ls) => ls.reduce((n, l) => n + l.count, 0) <= MAX_POPULATION, {
        message: `at most ${MAX_POPULATION} positions in all loops together (count included)`,
      })
      .default([]),
    /**
     * Positions the harness did not open: borrowers found in the markets' own Borrow events over a block range
     * (default: the whole chain up to the start), and/or listed accounts — e.g. real borrowers on a fork.
     */
    existing: z
      .object({
        markets: z.array(z.string().min(1)).min(1),
        fromBlock: blockNumber.default(0),
        toBlock: blockNumber.optional(),
        accounts: z
          .array(z.string().regex(/^0x[0-9a-fA-F]{40}$/, "must be an address"))
          .max(MAX_POPULATION, `at most ${MAX_POPULATION} accounts`)
          .optional(),
        /** A file of borrower addresses, one per line (# comments allowed), relative to the scenario file. */
        accountsFile: z.string().min(1).optional(),
      })
      .strict()
      .optional(),
    path: PathSchema,
    /** Each policy set is run from the same starting state (snapshot) and compared. */
    policies: z.array(PolicySetSchema).min(1).max(MAX_POLICY_SETS, `at most ${MAX_POLICY_SETS} policy sets`),
    /**
     * flash: our FlashLiquidator (flash loan, sells in the same tx); inventory: the bot holds the debt token.
     * venue: where the seized collateral is sold: uniswap-v3, or curve:<pool key> (e.g. curve:USDe/USDC on mainnet).
     */
    liquidator: z
      .object({
        mode: z.enum(["flash", "inventory"]).default("flash"),
        sell: z.boolean().default(true),
        venue: z.string().min(1).default("uniswap-v3"),
      })
      .strict()
      .default({ mode: "flash", sell: true, venue: "uniswap-v3" }),
  })
  .strict();

/** A validated scenario; its price path is already built (CSV read, prices checked) so nothing runs on bad input. */
export type DepegScenario = z.infer<typeof DepegScenarioSchema> & { baseDir: string; points: PathPoint[] };

export function parseDepegScenario(raw: unknown, baseDir: string, source: string): DepegScenario {
  const r = { data: parseWithSchema(DepegScenarioSchema, raw, source) };
  if (r.data.existing?.accountsFile) {
    const file = path.resolve(baseDir, r.data.existing.accountsFile);
    const text = readInputFile(file, "existing.accountsFile");
    const listed = text
      .split(/\r?\n/)
      .map((l) => l.replace(/#.*$/, "").trim())
      .filter((l) => l !== "");
    listed.forEach((a, i) => {
      if (!/^0x[0-9a-fA-F]{40}$/.test(a))
        throw new InputError(`existing.accountsFile line ${i + 1}`, `"${a}" is not an address`);
    });
    r.data.existing.accounts = [...(r.data.existing.accounts ?? []), ...listed];
  }
  const positions = r.data.loops.reduce((n, l) => n + l.count, 0) + (r.data.existing?.accounts?.length ?? 0);
  if (positions > MAX_POPULATION) {
    throw new InputError(
      `${source}: existing.accounts`,
      `${positions} positions with the loops and the listed accounts, over the bound of ${MAX_POPULATION}`,
      "list fewer accounts, or split the scenario",
    );
  }
  if (r.data.loops.length === 0 && !r.data.existing)
    throw new InputError(
      `${source}: loops`,
      "needs at least one loop, or existing positions",
      "add loops or an existing: { markets: [...] } section",
    );
  const points = buildPath(r.data.path, (f) => path.resolve(baseDir, f));
  return { ...r.data, baseDir, points };
}

export function readDepegScenario(file: string): DepegScenario {
  return parseDepegScenario(
    readStructuredFile(file, "scenario"),
    path.dirname(path.resolve(file)),
    path.basename(file),
  );
}
