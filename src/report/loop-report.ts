/** Report of one loop: every round's borrow, swap and supply, and the position the protocol reports after it. */
import { reportFolder } from "./folder";
import path from "path";
import type { ChainContext } from "../chain/context";
import { writeFileAtomic } from "../chain/deployments";
import type { LoopResult } from "../strategies/iterative-loop";
import type { FlashLoopResult } from "../strategies/flash-loop";
import type { PositionState } from "../protocols/lending-market";
import { fmtUnits, table } from "../domain/format";

function bigintsToStrings(value: unknown): unknown {
  if (typeof value === "bigint") return value.toString();
  if (Array.isArray(value)) return value.map(bigintsToStrings);
  if (value && typeof value === "object")
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, bigintsToStrings(v)]));
  return value;
}

function posCells(ctx: ChainContext, p: PositionState): string[] {
  const c = p.collateral[0];
  const d = p.debt[0];
  const dec = (s: string) => ctx.record.tokens[s as keyof typeof ctx.record.tokens]?.decimals ?? 18;
  return [
    c ? `${fmtUnits(c.amountRaw, dec(c.symbol))} ${c.symbol}` : "0",
    d ? `${fmtUnits(d.amountRaw, dec(d.symbol))} ${d.symbol}` : "0",
    fmtUnits(p.ltvWad * 100n, 18, 2) + "%",
    p.healthFactorWad > 10n ** 30n ? "∞" : fmtUnits(p.healthFactorWad, 18, 4),
  ];
}

/** `protocolVersion`: what the market's protocol runs, read from chain (e.g. "aave-v3 Pool revision 10"). */
export function loopMarkdown(r: LoopResult, ctx: ChainContext, protocolVersion: string): string {
  const debtDec = (s: string) => ctx.record.tokens[s as keyof typeof ctx.record.tokens]?.decimals ?? 18;
  const debtSym = r.final.debt[0]?.symbol ?? "";
  const rows = r.rounds.map((x) => [
    String(x.round),
    `${fmtUnits(x.borrowedRaw, debtDec(debtSym))}`,
    fmtUnits(x.swapOutUsdeRaw, 18),
    fmtUnits(x.suppliedRaw, 18),
    ...posCells(ctx, x.position),
    x.gasUsed.toString(),
  ]);
  return [
    `# Loop on ${r.market} (account ${r.account})`,
    "",
    `Protocol: ${protocolVersion}.`,
    "",
    table(
      [
        "round",
        `borrowed ${debtSym}`,
        "USDe from swap",
        "supplied",
        "collateral",
        "debt",
        "LTV",
        "health factor",
        "gas",
      ],
      rows,
    ),
    "",
    `Final: ${posCells(ctx, r.final).join(" · ")} · total gas ${r.totalGasUsed}`,
  ].join("\n");
}

export function flashLoopMarkdown(r: FlashLoopResult, ctx: ChainContext, protocolVersion: string): string {
  const dec = (s: string) => ctx.record.tokens[s as keyof typeof ctx.record.tokens]?.decimals ?? 18;
  const debt = r.final.debt[0]?.symbol ?? "";
  return [
    `# Flash-loan loop on ${r.market} (account ${r.account})`,
    "",
    `Protocol: ${protocolVersion}.`,
    "",
    `One transaction (${r.txHash}, block ${r.block}, gas ${r.gasUsed}) aiming at the ${r.params.rounds}-round loop at LTV ${fmtUnits(r.params.targetLtvWad * 100n, 18, 2)}%.`,
    "",
    table(
      ["", "amount"],
      [
        ["target debt (ideal loop)", `${fmtUnits(r.targetDebtRaw, dec(debt))} ${debt}`],
        [
          "flash loan + premium",
          `${fmtUnits(r.flashAmountRaw, dec(debt))} + ${fmtUnits(r.flashPremiumRaw, dec(debt))} ${debt}`,
        ],
        ["USDe from the swap", fmtUnits(r.usdeFromSwapRaw, 18)],
        ["collateral supplied", `${fmtUnits(r.collateralSuppliedRaw, 18)} ${r.final.collateral[0]?.symbol ?? ""}`],
        ["debt borrowed", `${fmtUnits(r.debtBorrowedRaw, dec(debt))} ${debt}`],
      ],
    ),
    "",
    `Final (from the protocol): ${posCells(ctx, r.final).join(" · ")}`,
  ].join("\n");
}

export function writeLoopReport(
  r: LoopResult | FlashLoopResult,
  ctx: ChainContext,
  protocolVersion: string,
  rootDir = path.join(process.cwd(), "reports"),
): string {
  const flash = "txHash" in r;
  const dir = reportFolder(rootDir, `${flash ? "flash-loop" : "loop"}-${r.market.replace(/[^A-Za-z0-9.-]+/g, "_")}`);
  writeFileAtomic(
    path.join(dir, "report.json"),
    `${JSON.stringify(bigintsToStrings({ protocolVersion, ...r }), null, 2)}\n`,
  );
  writeFileAtomic(
    path.join(dir, "summary.md"),
    `${flash ? flashLoopMarkdown(r, ctx, protocolVersion) : loopMarkdown(r as LoopResult, ctx, protocolVersion)}\n`,
  );
  return dir;
}
