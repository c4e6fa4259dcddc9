/**
 * The validation section of a report: each published fact a replay must reproduce, its source, the check, the value
 * the harness measured (from the report's own rows, i.e. from chain state and events) and whether it holds. A
 * counterfactual is only believed once every row holds.
 */
import { z } from "zod";
import { table } from "../domain/format";

export const ValidationRowSchema = z.object({
  /** What happened, as the source says it. */
  fact: z.string(),
  source: z.string(),
  /** The check and its tolerance, in words: "lowest USDe/USDC pool price ≥ 0.9900". */
  check: z.string(),
  /** The measured value, in token units with symbol, and the raw integer it comes from. */
  measured: z.string(),
  measuredRaw: z.string(),
  holds: z.boolean(),
});
export type ValidationRow = z.infer<typeof ValidationRowSchema>;

export const ValidationSchema = z.object({
  /** The run checked against the record (mainnet's own oracle policies), as the runs name it. */
  run: z.string(),
  rows: z.array(ValidationRowSchema),
  /** True when every row holds. */
  holds: z.boolean(),
});
export type Validation = z.infer<typeof ValidationSchema>;

/** The validation table (markdown), headed by the verdict. */
export function validationMarkdown(v: Validation): string {
  const verdict = v.holds
    ? `Every fact holds under \`${v.run}\`: the replay reproduces the record.`
    : `**${v.rows.filter((r) => !r.holds).length} of ${v.rows.length} facts do not hold under \`${v.run}\`: the counterfactuals below are not yet validated.**`;
  return [
    "## Validation against the record",
    "",
    verdict,
    "",
    table(
      ["fact", "check", "measured", "holds", "source"],
      v.rows.map((r) => [r.fact, r.check, r.measured, r.holds ? "yes" : "**no**", r.source]),
    ),
  ].join("\n");
}
