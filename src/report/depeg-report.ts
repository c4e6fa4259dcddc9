/**
 * The depeg report: a documented JSON schema (zod, below), a Markdown summary, both written atomically under
 * reports/<scenario>/. Amounts are decimal strings of raw on-chain integers (bigints), never rounded.
 */
import fs from "fs";
import path from "path";
import { z } from "zod";
import { writeFileAtomic } from "../chain/deployments";
import { toNumber } from "../math/fixed-point";
import { table } from "./format";

const int = z.string().regex(/^-?\d+$/, "integer as a decimal string");

export const LiquidationRowSchema = z.object({
  /** How the liquidator was funded: "flash" (FlashLiquidator, one tx) or "inventory". */
  mode: z.enum(["flash", "inventory"]),
  protocol: z.string(),
  market: z.string(),
  borrower: z.string(),
  liquidator: z.string(),
  debtAsset: z.string(),
  repaidRaw: int,
  collateralAsset: z.string(),
  seizedRaw: int,
  protocolFeeRaw: int,
  bonusRaw: int,
  badDebtRaw: int,
  collateralPriceWad: int,
  feedPriceE8: int,
  healthFactorBeforeWad: int,
  healthFactorAfterWad: int,
  saleReceivedRaw: int,
  dexPriceAfterSaleWad: int,
  flashPremiumRaw: int,
  /** Sale proceeds - repaid - flash premium, debt units (before gas). */
  profitRaw: int,
  gasUsed: int,
  gasCostWei: int,
  netProfitUsdWad: int,
  block: z.number().int(),
  txHash: z.string(),
});

export const PositionRowSchema = z.object({
  account: z.string(),
  market: z.string(),
  loop: z.object({ initialToken: z.string(), initialRaw: int, rounds: z.number().int(), targetLtvWad: int }),
  collateralRaw: int,
  debtRaw: int,
  healthFactorStartWad: int,
  /** Feed price (E8) at which HF reaches 1, predicted from the start state (HF scales with the feed when the oracle reads it). */
  predictedLiquidationFeedE8: int.nullable(),
  /** Feed price (E8) of the first path point at which the position was liquidated. */
  observedFirstLiquidationFeedE8: int.nullable(),
  minHealthFactorWad: int,
  /** Health factor after each path point (after that point's liquidations), one per point. */
  healthFactorPathWad: z.array(int),
  liquidations: z.number().int(),
  finalCollateralRaw: int,
  finalDebtRaw: int,
});

export const RunSchema = z.object({
  policies: z.object({ aave: z.string(), morpho: z.string() }),
  points: z.array(z.object({ block: z.number().int(), feedPriceE8: int, dexUsdeUsdcWad: int, liquidations: z.number().int() })),
  positions: z.array(PositionRowSchema),
  liquidations: z.array(LiquidationRowSchema),
  /** Liquidations a protocol refused, with the decoded revert. */
  refusals: z.array(z.object({ market: z.string(), borrower: z.string(), reason: z.string() })),
  totals: z.object({
    liquidations: z.number().int(),
    positionsLiquidated: z.number().int(),
    repaidUsdWad: int,
    seizedUsdWad: int,
    badDebtUsdWad: int,
    liquidatorNetProfitUsdWad: int,
    gasUsed: int,
  }),
});

export const DepegReportSchema = z.object({
  schemaVersion: z.literal(1),
  scenario: z.string(),
  description: z.string().optional(),
  chain: z.object({ profile: z.string(), chainId: z.number().int(), startBlock: z.number().int() }),
  path: z.object({ feed: z.string(), points: z.number().int() }),
  runs: z.array(RunSchema),
});

export type DepegReport = z.infer<typeof DepegReportSchema>;
export type RunReport = z.infer<typeof RunSchema>;

const usd = (wad: string): string => `$${toNumber(BigInt(wad), 18).toLocaleString("en-US", { maximumFractionDigits: 0 })}`;
const e8 = (v: string | null): string => (v === null ? "—" : toNumber(BigInt(v), 8).toFixed(4));
const hf = (wad: string): string => (BigInt(wad) > 10n ** 30n ? "∞" : toNumber(BigInt(wad), 18).toFixed(4));

/** `liquidations: false` leaves out the per-liquidation table (for a terminal; summary.md keeps it). */
export function depegMarkdown(r: DepegReport, options: { liquidations?: boolean } = {}): string {
  const out: string[] = [`# loopstress report: ${r.scenario}`, ""];
  if (r.description) out.push(r.description, "");
  out.push(`Chain profile \`${r.chain.profile}\` (chain id ${r.chain.chainId}), positions opened by block ${r.chain.startBlock}; ${r.path.feed} path of ${r.path.points} points.`, "");
  out.push("## Summary by oracle policy", table(
    ["Aave policy", "Morpho policy", "liquidations", "positions liquidated", "debt repaid", "collateral seized", "bad debt", "liquidator net profit", "gas"],
    r.runs.map((run) => [run.policies.aave, run.policies.morpho, run.totals.liquidations, `${run.totals.positionsLiquidated}/${run.positions.length}`,
      usd(run.totals.repaidUsdWad), usd(run.totals.seizedUsdWad), usd(run.totals.badDebtUsdWad), usd(run.totals.liquidatorNetProfitUsdWad), run.totals.gasUsed]),
  ), "");
  for (const run of r.runs) {
    out.push(`## Aave ${run.policies.aave} / Morpho ${run.policies.morpho}`, "");
    if (run.totals.liquidations === 0) {
      out.push(`**No position was liquidated**: under these policies the oracles never saw the ${r.path.feed} path.`, "");
    }
    out.push("### Positions: predicted vs observed liquidation", table(
      ["market", "account", "HF start", "predicted liq. at", "first liquidated at", "min HF", "liquidations", "final debt"],
      run.positions.map((p) => [p.market, `${p.account.slice(0, 8)}…`, hf(p.healthFactorStartWad), e8(p.predictedLiquidationFeedE8), e8(p.observedFirstLiquidationFeedE8), hf(p.minHealthFactorWad), p.liquidations, p.finalDebtRaw]),
    ), "");
    if (run.liquidations.length > 0 && options.liquidations !== false) {
      out.push("### Liquidations", table(
        ["block", "market", "borrower", "feed", "repaid", "seized", "protocol fee", "bad debt", "HF before → after", "sold for", "profit (debt units)"],
        run.liquidations.map((l) => [l.block, l.market, `${l.borrower.slice(0, 8)}…`, e8(l.feedPriceE8), `${l.repaidRaw} ${l.debtAsset}`, `${l.seizedRaw} ${l.collateralAsset}`, l.protocolFeeRaw, l.badDebtRaw, `${hf(l.healthFactorBeforeWad)} → ${hf(l.healthFactorAfterWad)}`, l.saleReceivedRaw, l.profitRaw]),
      ), "");
    }
  }
  out.push("Amounts in the liquidation table are raw token units (USDC/USDT 6 decimals, others 18); every number comes from contract events or state.");
  return out.join("\n");
}

/** Validates against the schema, then writes report.json and summary.md atomically. Returns the folder. */
export function writeDepegReport(report: DepegReport, rootDir = path.join(process.cwd(), "reports")): string {
  const checked = DepegReportSchema.parse(report);
  const dir = path.join(rootDir, checked.scenario);
  fs.mkdirSync(dir, { recursive: true });
  writeFileAtomic(path.join(dir, "report.json"), `${JSON.stringify(checked, null, 2)}\n`);
  writeFileAtomic(path.join(dir, "summary.md"), `${depegMarkdown(checked)}\n`);
  return dir;
}
