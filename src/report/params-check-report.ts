/**
 * The parameter check's report (params:check): JSON (schema below) and Markdown, written atomically under
 * reports/params-check/. Each row's value is a string in the row's `unit` (its name ends with the unit where it is
 * a number: `…Bps`, `…Wad`, `…Tokens`).
 */
import { reportFolder } from "./folder";
import path from "path";
import { z } from "zod";
import { writeFileAtomic } from "../chain/deployments";
import { AAVE_RELEASES } from "../domain/aave-release";
import { table } from "../domain/format";
import { PARAM_STATUSES, PARAM_UNITS, type ParamsCheck, paramsCheckCounts } from "../embedded/params-check";

const count = z.number().int().nonnegative();

const ParamsCheckReportSchema = z.object({
  profile: z.string(),
  chainId: z.number().int(),
  forkBlockNumber: z.number().int().nonnegative(),
  embeddedAaveRelease: z.enum(AAVE_RELEASES),
  poolRevisionNumber: count,
  valuesComparedCount: count,
  differenceCount: count,
  notComparableCount: count,
  rows: z.array(
    z.object({
      name: z.string(),
      unit: z.enum(PARAM_UNITS),
      embeddedValue: z.string(),
      onChainValue: z.string(),
      status: z.enum(PARAM_STATUSES),
    }),
  ),
});
type ParamsCheckReport = z.infer<typeof ParamsCheckReportSchema>;

function toReport(c: ParamsCheck): ParamsCheckReport {
  const counts = paramsCheckCounts(c);
  return {
    profile: c.profile,
    chainId: c.chainId,
    forkBlockNumber: c.forkBlockNumber,
    embeddedAaveRelease: c.embeddedAaveRelease,
    poolRevisionNumber: c.poolRevision,
    valuesComparedCount: counts.comparedCount,
    differenceCount: counts.differenceCount,
    notComparableCount: counts.notComparableCount,
    rows: c.rows.map((r) => ({
      name: r.name,
      unit: r.unit,
      embeddedValue: r.embedded,
      onChainValue: r.onChain,
      status: r.status,
    })),
  };
}

/** The differences (one row each), the count compared, and the values that could not be compared. */
export function paramsCheckMarkdown(c: ParamsCheck): string {
  const counts = paramsCheckCounts(c);
  const pick = (status: string) =>
    c.rows.filter((r) => r.status === status).map((r) => [r.name, r.unit, r.embedded, r.onChain]);
  const headers = ["value", "unit", "embedded", "on chain"];
  const lines = [
    `# Embedded parameters vs ${c.profile} (chain ${c.chainId}, block ${c.forkBlockNumber})`,
    "",
    `${counts.comparedCount} values compared: ${
      counts.differenceCount === 0 ? "no difference" : `${counts.differenceCount} differ`
    }.`,
  ];
  if (counts.differenceCount > 0) lines.push("", "## Differences", "", table(headers, pick("differs")));
  if (counts.notComparableCount > 0) {
    lines.push(
      "",
      "## Not comparable",
      "",
      "Addresses the chain profile does not name (not counted as differences):",
      "",
      table(headers, pick("not-comparable")),
    );
  }
  return lines.join("\n");
}

/** Validates and writes report.json and summary.md; returns the folder. */
export function writeParamsCheckReport(c: ParamsCheck, rootDir = path.join(process.cwd(), "reports")): string {
  const checked = ParamsCheckReportSchema.parse(toReport(c));
  const dir = reportFolder(rootDir, "params-check");
  writeFileAtomic(path.join(dir, "report.json"), `${JSON.stringify(checked, null, 2)}\n`);
  writeFileAtomic(path.join(dir, "summary.md"), `${paramsCheckMarkdown(c)}\n`);
  return dir;
}
