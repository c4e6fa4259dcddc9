/**
 * A scenario's validation facts (the `validation` section of a scenario file) and their evaluation against the
 * scenario's own report: each fact names a measure, its bounds and the run it is checked on (mainnet's own oracle
 * policies). Every measured value is read from the report's rows, which come from chain state and events.
 */
import { z } from "zod";
import { WAD } from "../constants";
import { toNumber, parseUnitsExact } from "../math/fixed-point";
import { TOKEN_DECIMALS, TokenSymbol } from "../domain/tokens";
import { PROTOCOL_NAMES, policySetName } from "../protocols/registry";
import { debtUsdWad } from "../metrics/liquidations";
import type { ProtocolName } from "../protocols/lending-market";
import type { CascadeReport, CascadeRun } from "../report/cascade-report";
import type { Validation, ValidationRow } from "../report/validation";
import { PolicySetSchema, decimal } from "./schema-parts";

/** At most this many facts in one scenario. */
const MAX_FACTS = 50;

const COLLATERALS = ["USDe", "sUSDe", "WETH"] as const;

/**
 * What a fact measures in the run:
 * - dex-usde-low: the lowest USDe/USDC price of the reference pool over every round (before and after the bots);
 * - liquidated-usd: debt repaid by liquidations (USD), optionally of some collateral and protocol;
 * - redeemed-usde: USDe redeemed with Ethena (arbitrageurs and redeeming liquidators);
 * - sold-on-chain-share: of the liquidations of the collateral, the share whose seized collateral was sold on a DEX
 *   or redeemed (1 = all); 0 liquidations count as none sold;
 * - liquidatable-left: positions still liquidatable at the end;
 * - bad-debt-usd: bad debt left (USD).
 */
const MEASURES = [
  "dex-usde-low",
  "liquidated-usd",
  "redeemed-usde",
  "sold-on-chain-share",
  "liquidatable-left",
  "bad-debt-usd",
] as const;
type Measure = (typeof MEASURES)[number];

const FactSchema = z
  .object({
    fact: z.string().min(1).max(300),
    source: z.string().min(1).max(500),
    measure: z.enum(MEASURES),
    min: decimal.optional(),
    max: decimal.optional(),
    collateral: z.array(z.enum(COLLATERALS)).min(1).optional(),
    protocol: z.enum(PROTOCOL_NAMES as [ProtocolName, ...ProtocolName[]]).optional(),
  })
  .strict()
  .refine((f) => f.min !== undefined || f.max !== undefined, { message: "give min, max or both" });

export const ValidationInputSchema = z
  .object({
    /** The run the facts are checked on: mainnet's own oracle policies. */
    policies: PolicySetSchema,
    facts: z.array(FactSchema).min(1).max(MAX_FACTS, `at most ${MAX_FACTS} facts`),
  })
  .strict();
export type ValidationInput = z.infer<typeof ValidationInputSchema>;
type Fact = z.infer<typeof FactSchema>;

/** A measured value: the integer it is compared in (with its scale) and how a person reads it. */
interface Measured {
  raw: bigint;
  decimals: number;
  text: string;
}

/** Checks each fact on the run with the validation's policies (and no variant). */
export function evaluateValidation(input: ValidationInput, report: CascadeReport): Validation {
  const name = policySetName(input.policies);
  const run = report.runs.find((r) => policySetName(r.policies) === name && r.variant === "");
  if (!run) throw new Error(`validation: the scenario has no run under ${name}`);
  const rows: ValidationRow[] = input.facts.map((f) => {
    const m = measure(f, run);
    const bound = (v: string | undefined) => (v === undefined ? undefined : parseUnitsExact(v, m.decimals, "bound"));
    const lo = bound(f.min);
    const hi = bound(f.max);
    return {
      fact: f.fact,
      source: f.source,
      check: checkText(f),
      measured: m.text,
      measuredRaw: m.raw.toString(),
      holds: (lo === undefined || m.raw >= lo) && (hi === undefined || m.raw <= hi),
    };
  });
  return { run: name, rows, holds: rows.every((r) => r.holds) };
}

function measure(f: Fact, run: CascadeRun): Measured {
  const rows = run.liquidations.filter(
    (l) =>
      (f.collateral === undefined || (f.collateral as readonly string[]).includes(l.collateralAsset)) &&
      (f.protocol === undefined || l.protocol === f.protocol),
  );
  switch (f.measure as Measure) {
    case "dex-usde-low": {
      const prices = run.rounds.flatMap((r) => [BigInt(r.dexUsdeUsdcBeforeWad), BigInt(r.dexUsdeUsdcWad)]);
      const low = prices.length ? prices.reduce((a, b) => (b < a ? b : a)) : WAD;
      return { raw: low, decimals: 18, text: `${toNumber(low, 18).toFixed(4)} USDC per USDe` };
    }
    case "liquidated-usd":
    case "bad-debt-usd": {
      const field = f.measure === "liquidated-usd" ? "repaidRaw" : "badDebtRaw";
      const usdWad = rows.reduce((s, l) => s + debtUsdWad(BigInt(l[field]), decimalsOf(l.debtAsset)), 0n);
      return { raw: usdWad, decimals: 18, text: `$${usdText(usdWad)} (${rows.length} liquidations)` };
    }
    case "redeemed-usde": {
      const byRounds = run.rounds.reduce((s, r) => s + BigInt(r.redeemedUsdeRaw), 0n);
      const byLiquidators = run.liquidations.reduce((s, l) => s + BigInt(l.redeemedUsdeRaw), 0n);
      const usde = byRounds + byLiquidators;
      return { raw: usde, decimals: 18, text: `${usdText(usde)} USDe` };
    }
    case "sold-on-chain-share": {
      const sold = rows.filter((l) => BigInt(l.saleReceivedRaw) > 0n || BigInt(l.redeemedUsdeRaw) > 0n).length;
      const shareBps = rows.length === 0 ? 0n : (BigInt(sold) * 10_000n) / BigInt(rows.length);
      return { raw: shareBps, decimals: 4, text: `${sold} of ${rows.length} liquidations` };
    }
    case "liquidatable-left":
      return { raw: BigInt(run.liquidatableLeft), decimals: 0, text: `${run.liquidatableLeft} positions` };
  }
}

function checkText(f: Fact): string {
  const what: Record<Measure, string> = {
    "dex-usde-low": "lowest USDe/USDC pool price",
    "liquidated-usd": "debt repaid by liquidations (USD)",
    "redeemed-usde": "USDe redeemed with Ethena",
    "sold-on-chain-share": "share of liquidations whose collateral was sold or redeemed on chain",
    "liquidatable-left": "positions left liquidatable",
    "bad-debt-usd": "bad debt (USD)",
  };
  const scope = [f.collateral ? `${f.collateral.join("/")} collateral` : "", f.protocol ?? ""].filter(Boolean);
  const bounds = [f.min !== undefined ? `≥ ${f.min}` : "", f.max !== undefined ? `≤ ${f.max}` : ""].filter(Boolean);
  return `${what[f.measure as Measure]}${scope.length ? ` (${scope.join(", ")})` : ""} ${bounds.join(" and ")}`;
}

const decimalsOf = (symbol: string): number => TOKEN_DECIMALS[symbol as TokenSymbol];
const usdText = (wad: bigint): string => toNumber(wad, 18).toLocaleString("en-US", { maximumFractionDigits: 0 });
