/** Threshold verification report: JSON (schema below) and Markdown, written atomically under reports/. */
import { reportFolder } from "./folder";
import path from "path";
import { z } from "zod";
import { writeFileAtomic } from "../chain/deployments";
import { FULL_CLOSE_FACTOR_FROM, ThresholdReport, type FullCloseFactorFrom } from "../metrics/thresholds";
import { toNumber } from "../math/fixed-point";
import { table } from "../domain/format";

const int = z.string().regex(/^-?\d+$/, "integer as a decimal string");
const boundary = z.object({ largestTrueE8: int, smallestFalseE8: int });

const ThresholdReportSchema = z.object({
  market: z.string(),
  account: z.string(),
  feed: z.string(),
  model: z.string(),
  protocolVersion: z.string(),
  feedPriceNowE8: int,
  liquidation: z.object({
    analytic: boundary,
    onChain: boundary.extend({ probes: z.number().int(), refusal: z.string() }),
    differenceE8: int,
  }),
  fullCloseFactorFrom: z.enum(FULL_CLOSE_FACTOR_FROM),
  closeFactor: z
    .object({ analytic: boundary, onChain: boundary.extend({ probes: z.number().int() }), differenceE8: int })
    .optional(),
});

const e8 = (v: string) => toNumber(BigInt(v), 8).toFixed(8);

/** The close-factor row's label, and the sentence saying where the boundary comes from. */
const CLOSE_FACTOR_FROM: Record<FullCloseFactorFrom, { row: string; note: string }> = {
  none: { row: "", note: "The protocol has no close factor: one liquidation may repay the whole debt." },
  "health-factor": {
    row: "close factor 100% (HF <= 0.95)",
    note: "The 100% close factor starts at HF 0.95, below the liquidation price.",
  },
  "reserve-value": {
    row: "close factor 100% (collateral reserve < $2,000)",
    note: "The 100% close factor starts where the collateral reserve falls under $2,000, between HF 0.95 and 1.",
  },
  liquidation: {
    row: "close factor 100% (reserve < $2,000: same as liquidatable)",
    note: "The position is small enough (a reserve under $2,000) that every liquidation may repay it all: the close-factor boundary is the liquidation boundary.",
  },
};

export function thresholdMarkdown(r: ThresholdReport): string {
  const rows: string[][] = [
    [
      "liquidatable (HF < 1)",
      e8(r.liquidation.analytic.largestTrueE8),
      e8(r.liquidation.onChain.largestTrueE8),
      e8(r.liquidation.onChain.smallestFalseE8),
      r.liquidation.differenceE8,
    ],
  ];
  if (r.closeFactor) {
    rows.push([
      CLOSE_FACTOR_FROM[r.fullCloseFactorFrom].row,
      e8(r.closeFactor.analytic.largestTrueE8),
      e8(r.closeFactor.onChain.largestTrueE8),
      e8(r.closeFactor.onChain.smallestFalseE8),
      r.closeFactor.differenceE8,
    ]);
  }
  return [
    `# Thresholds of ${r.market} for ${r.account}`,
    "",
    `Feed \`${r.feed}\` (now ${e8(r.feedPriceNowE8)}); protocol ${r.protocolVersion}.`,
    `Model: ${r.model}.`,
    "",
    table(
      [
        "boundary",
        "predicted: largest price where it holds",
        "on chain: largest price where it held",
        "on chain: smallest price where it did not",
        "difference (1e-8 units)",
      ],
      rows,
    ),
    "",
    `On-chain probes: ${r.liquidation.onChain.probes} liquidation attempts from one snapshot; above the boundary the protocol refused with ${r.liquidation.onChain.refusal}.`,
    CLOSE_FACTOR_FROM[r.fullCloseFactorFrom].note,
  ].join("\n");
}

export function writeThresholdReport(r: ThresholdReport, rootDir = path.join(process.cwd(), "reports")): string {
  const checked = ThresholdReportSchema.parse(r);
  const dir = reportFolder(rootDir, `thresholds-${r.market.replace(/[^A-Za-z0-9.-]+/g, "_")}`);
  writeFileAtomic(path.join(dir, "report.json"), `${JSON.stringify(checked, null, 2)}\n`);
  writeFileAtomic(path.join(dir, "summary.md"), `${thresholdMarkdown(r)}\n`);
  return dir;
}
