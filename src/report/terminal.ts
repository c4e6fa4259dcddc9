/**
 * What a cascade run prints on the terminal: a short summary (under about 40 lines) — the runs side by side, the
 * validation rows, what was left liquidatable and why, and where the report files are. `summary.md` has everything.
 */
import { toNumber } from "../math/fixed-point";
import { table } from "../domain/format";
import type { CascadeReport } from "./cascade-report";
import { runName } from "./depeg-report";

const REPORT_FILES = "summary.md, report.html, report.json, liquidations.csv";
/** Refusal reasons shown per run; the rest are counted in summary.md. */
const MAX_REASONS = 3;

const usd = (wad: string): string =>
  `$${toNumber(BigInt(wad), 18).toLocaleString("en-US", { maximumFractionDigits: 0 })}`;
const tokens = (raw: bigint, symbol: string): string =>
  `${toNumber(raw, 18).toLocaleString("en-US", { maximumFractionDigits: 0 })} ${symbol}`;

export function cascadeTerminal(r: CascadeReport, dir: string): string {
  const out: string[] = [
    `loopstress — ${r.scenario}${r.description ? `: ${r.description}` : ""}`,
    `Aave Pool revision ${r.chain.aave.poolRevision} (${r.chain.aave.release}); ${r.population.positions} positions; ${r.path.points} path points.`,
    "",
    table(
      ["run", "liquidations", "positions liquidated", "debt repaid", "bad debt", "USDe redeemed", "left liquidatable"],
      r.runs.map((run) => [
        runName(run),
        run.totals.liquidations,
        `${run.totals.positionsLiquidated}/${run.positions.length}`,
        usd(run.totals.repaidUsdWad),
        usd(run.totals.badDebtUsdWad),
        tokens(
          run.rounds.reduce((s, x) => s + BigInt(x.redeemedUsdeRaw), 0n) +
            run.liquidations.reduce((s, l) => s + BigInt(l.redeemedUsdeRaw), 0n),
          "USDe",
        ),
        run.liquidatableLeft,
      ]),
    ),
  ];
  if (r.validation) {
    const held = r.validation.rows.filter((x) => x.holds).length;
    out.push(
      "",
      `Validation against the record, under ${r.validation.run}: ${held} of ${r.validation.rows.length} facts hold${r.validation.holds ? "" : " — the counterfactuals are not yet validated"}.`,
      ...r.validation.rows.map((x) => `  ${x.holds ? "ok  " : "FAIL"} ${x.check}: ${x.measured}`),
    );
  }
  const refused = r.runs.filter((run) => run.refusals.length > 0 || run.liquidatableLeft > 0);
  if (refused.length > 0) out.push("", "Refused or declined liquidations (and positions left liquidatable):");
  for (const run of refused) {
    const byReason = new Map<string, number>();
    for (const f of run.refusals) {
      const reason = `${f.liquidator}: ${f.reason.replace(/\(.*$/, "")}`;
      byReason.set(reason, (byReason.get(reason) ?? 0) + 1);
    }
    const reasons = [...byReason.entries()].sort((a, b) => b[1] - a[1]);
    const shown = reasons.slice(0, MAX_REASONS).map(([k, v]) => `${v} × ${k}`);
    if (reasons.length > MAX_REASONS) shown.push(`${reasons.length - MAX_REASONS} more reasons`);
    out.push(`  ${runName(run)}: ${shown.join(", ") || "none"}; left liquidatable: ${run.liquidatableLeft}`);
  }
  out.push("", `Report: ${dir}/ (${REPORT_FILES}); --full prints summary.md, --json the report.`);
  return out.join("\n");
}
