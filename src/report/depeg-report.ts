/**
 * The depeg report: a documented JSON schema (zod, below), a Markdown summary, an HTML page with charts (./html.ts)
 * and a CSV of the liquidations, all written atomically under reports/<scenario>/. Amounts are decimal strings of raw
 * on-chain integers (bigints), never rounded.
 */
import { reportFolder } from "./folder";
import path from "path";
import { z } from "zod";
import { writeFileAtomic } from "../chain/deployments";
import { toNumber } from "../math/fixed-point";
import { HF_NO_DEBT_WAD, exactUnits, table } from "../domain/format";
import { decimalsOfSymbol } from "../domain/tokens";
import { int } from "../domain/json-schema";
import { PROTOCOL_LABELS, policySetLabel, policySetName } from "../protocols/registry";
import {
  KindTotalsSchema,
  LiquidationRow,
  LiquidationRowSchema,
  LiquidationTotalsSchema,
} from "../metrics/liquidations";
import { LIQUIDATOR_KINDS } from "../strategies/liquidation-bot";
import { ValidationSchema, validationMarkdown } from "./validation";

const PositionRowSchema = z.object({
  account: z.string(),
  market: z.string(),
  /** How the harness opened the position; null for an existing position found on chain. */
  loop: z.object({ initialToken: z.string(), initialRaw: int, rounds: z.number().int(), targetLtvWad: int }).nullable(),
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
  /** One policy per protocol, keyed by the registry's policy keys: { aave: "market", morpho: "fixed" }. */
  policies: z.record(z.string(), z.string()),
  /** A counterfactual's change to the scenario (e.g. "redemptions paused"); "" for the scenario as written. */
  variant: z.string().default(""),
  points: z.array(
    z.object({ block: z.number().int(), feedPriceE8: int, dexUsdeUsdcWad: int, liquidations: z.number().int() }),
  ),
  positions: z.array(PositionRowSchema),
  liquidations: z.array(LiquidationRowSchema),
  /** Liquidations a protocol refused (the decoded revert), or a kind of liquidator declined (its reason). */
  refusals: z.array(
    z.object({
      market: z.string(),
      borrower: z.string(),
      reason: z.string(),
      liquidator: z.enum(LIQUIDATOR_KINDS).default("seller"),
    }),
  ),
  // Key order as reports have always written it: the count of positions right after the count of liquidations.
  totals: z.object({
    liquidations: LiquidationTotalsSchema.shape.liquidations,
    positionsLiquidated: z.number().int(),
    ...LiquidationTotalsSchema.omit({ liquidations: true }).shape,
  }),
  /** What each kind of liquidator did, in the order they swept. */
  byLiquidatorKind: z.array(KindTotalsSchema).default([]),
});

export const DepegReportSchema = z.object({
  schemaVersion: z.literal(1),
  scenario: z.string(),
  description: z.string().optional(),
  chain: z.object({
    profile: z.string(),
    chainId: z.number().int(),
    startBlock: z.number().int(),
    /** The Aave logic the run measured: the Pool's revision on chain, its release, the model's rule set. */
    aave: z.object({ poolRevision: z.number().int(), release: z.string(), rules: z.enum(["v3.0", "v3.5"]) }),
  }),
  /** Where liquidators sold the seized collateral: uniswap-v3 or curve:<pool key>. */
  liquidatorVenue: z.string(),
  path: z.object({ feed: z.string(), points: z.number().int() }),
  runs: z.array(RunSchema),
  /** The scenario's published facts checked on the run under mainnet's own policies (when the scenario has any). */
  validation: ValidationSchema.optional(),
});

export type DepegReport = z.infer<typeof DepegReportSchema>;

/** How reports describe the model's Aave rule sets. */
const AAVE_RULES_TEXT: Record<"v3.0" | "v3.5", string> = {
  "v3.0": "v3.0 rules (50% close factor above HF 0.95, no minimum sizes, bad debt left on the account)",
  "v3.5": "v3.3 rules with v3.5 rounding (100% close factor below HF 0.95 or under $2,000, $1,000 dust rule, deficit)",
};
export type RunReport = z.infer<typeof RunSchema>;

/** An amount in whole tokens with its symbol, to 2 decimals ("1,234.56 USDC"), from its raw integer. */
function units(raw: string, symbol: string): string {
  const value = toNumber(BigInt(raw), decimalsOfSymbol(symbol));
  return `${value.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })} ${symbol}`;
}

/** The debt token of a market key: "aave-v3:USDe/USDC:emode-2" and "morpho-blue:sUSDe/USDC-91.5" both owe USDC. */
function debtOfMarket(key: string): string {
  return key.split(":")[1].split("/")[1].split("-")[0];
}

/** How a run is named in the CSV and the HTML page: "<aave policy>/<morpho policy>". */
export const runName = (run: RunReport): string =>
  `${policySetName(run.policies)}${run.variant ? ` (${run.variant})` : ""}`;

/** How headings name a run: its policies, then its variant. */
export const runLabel = (run: RunReport): string =>
  `${policySetLabel(run.policies)}${run.variant ? `, ${run.variant}` : ""}`;

const usd = (wad: string): string =>
  `$${toNumber(BigInt(wad), 18).toLocaleString("en-US", { maximumFractionDigits: 0 })}`;
const e8 = (v: string | null): string => (v === null ? "—" : toNumber(BigInt(v), 8).toFixed(4));
const hf = (wad: string): string => (BigInt(wad) > HF_NO_DEBT_WAD ? "∞" : toNumber(BigInt(wad), 18).toFixed(4));

/** The "Summary by oracle policy" table, shared by summary.md and report.html. */
export function depegSummaryTable(r: DepegReport): { headers: string[]; rows: string[][] } {
  return {
    headers: [
      ...PROTOCOL_LABELS.map((l) => `${l} policy`),
      "liquidations",
      "positions liquidated",
      "debt repaid",
      "collateral seized",
      "bad debt",
      "liquidator net profit",
      "gas",
    ],
    rows: r.runs.map((run) => [
      ...runName(run).split("/"),
      String(run.totals.liquidations),
      `${run.totals.positionsLiquidated}/${run.positions.length}`,
      usd(run.totals.repaidUsdWad),
      usd(run.totals.seizedUsdWad),
      usd(run.totals.badDebtUsdWad),
      usd(run.totals.liquidatorNetProfitUsdWad),
      run.totals.gasUsed,
    ]),
  };
}

/** `liquidations: false` leaves out the per-liquidation table (for a terminal; summary.md keeps it). */
export function depegMarkdown(r: DepegReport, options: { liquidations?: boolean } = {}): string {
  const out: string[] = [`# loopstress report: ${r.scenario}`, ""];
  if (r.description) out.push(r.description, "");
  out.push(
    `Chain profile \`${r.chain.profile}\` (chain id ${r.chain.chainId}), positions opened by block ${r.chain.startBlock}; ${r.path.feed} path of ${r.path.points} points; liquidators sell on ${r.liquidatorVenue}.`,
    `Aave Pool revision ${r.chain.aave.poolRevision} (${r.chain.aave.release}): ${AAVE_RULES_TEXT[r.chain.aave.rules]}.`,
    "",
  );
  const summary = depegSummaryTable(r);
  out.push("## Summary by oracle policy", table(summary.headers, summary.rows), "");
  if (r.validation) out.push(validationMarkdown(r.validation), "");
  for (const run of r.runs) {
    out.push(`## ${runLabel(run)}`, "");
    if (run.totals.liquidations === 0) {
      out.push(
        `**No position was liquidated**: under these policies the oracles never saw the ${r.path.feed} path.`,
        "",
      );
    }
    out.push(
      "### Positions: predicted vs observed liquidation",
      table(
        [
          "market",
          "account",
          "HF start",
          "predicted liq. at",
          "first liquidated at",
          "min HF",
          "liquidations",
          "final debt",
        ],
        run.positions.map((p) => [
          p.market,
          `${p.account.slice(0, 8)}…`,
          hf(p.healthFactorStartWad),
          e8(p.predictedLiquidationFeedE8),
          e8(p.observedFirstLiquidationFeedE8),
          hf(p.minHealthFactorWad),
          p.liquidations,
          units(p.finalDebtRaw, debtOfMarket(p.market)),
        ]),
      ),
      "",
    );
    if (run.liquidations.length > 0 && options.liquidations !== false) {
      out.push(
        "### Liquidations",
        table(
          [
            "block",
            "market",
            "borrower",
            "feed",
            "repaid",
            "seized",
            "protocol fee",
            "bad debt",
            "HF before → after",
            "sold for",
            "profit",
          ],
          run.liquidations.map((l) => [
            l.block,
            l.market,
            `${l.borrower.slice(0, 8)}…`,
            e8(l.feedPriceE8),
            units(l.repaidRaw, l.debtAsset),
            units(l.seizedRaw, l.collateralAsset),
            units(l.protocolFeeRaw, l.collateralAsset),
            units(l.badDebtRaw, l.debtAsset),
            `${hf(l.healthFactorBeforeWad)} → ${hf(l.healthFactorAfterWad)}`,
            units(l.saleReceivedRaw, l.debtAsset),
            units(l.profitRaw, l.debtAsset),
          ]),
        ),
        "",
      );
    }
  }
  out.push(
    "Amounts are in token units (report.json and liquidations.csv keep the raw integers); every number comes from contract events or state.",
  );
  return out.join("\n");
}

/**
 * One column of liquidations.csv: its name says its unit and scale (docs/report-fields.md documents each). `…Raw` is
 * the on-chain integer of the token the name's role word points to (Debt: `debtAsset`, Collateral: `collateralAsset`,
 * Usde: USDe, redemption: `redemptionAsset`); `…Tokens` is the same amount in whole tokens, exact.
 */
interface CsvColumn {
  name: string;
  value(l: LiquidationRow, run: RunReport): string | number;
}

/** A raw amount of `symbol` in whole tokens, exact ("" asset: nothing happened, "0"). */
const tokens = (raw: string, symbol: string): string =>
  symbol === "" ? exactUnits(BigInt(raw), 0) : exactUnits(BigInt(raw), decimalsOfSymbol(symbol));

/** A raw amount column and its whole-token twin, in the token `symbolOf` names. */
function amount(
  name: string,
  raw: (l: LiquidationRow) => string,
  symbolOf: (l: LiquidationRow) => string,
): CsvColumn[] {
  return [
    { name: `${name}Tokens`, value: (l) => tokens(raw(l), symbolOf(l)) },
    { name: `${name}Raw`, value: raw },
  ];
}
const debt = (l: LiquidationRow): string => l.debtAsset;
const collateral = (l: LiquidationRow): string => l.collateralAsset;
const usde = (): string => "USDe";
const redemption = (l: LiquidationRow): string => l.redemptionAsset;
/** A fixed-scale integer (E8, WAD, wei) in its unit, exact: `feedPriceUsd` beside `feedPriceE8`. */
const scaled = (name: string, raw: (l: LiquidationRow) => string, decimals: number): CsvColumn => ({
  name,
  value: (l) => exactUnits(BigInt(raw(l)), decimals),
});

const CSV_COLUMNS: readonly CsvColumn[] = [
  { name: "run", value: (_l, run) => runName(run) },
  ...(["liquidatorKind", "mode", "protocol", "market", "borrower", "liquidator"] as const).map((f) => ({
    name: f,
    value: (l: LiquidationRow) => l[f],
  })),
  { name: "debtAsset", value: debt },
  { name: "collateralAsset", value: collateral },
  ...amount("repaidDebt", (l) => l.repaidRaw, debt),
  ...amount("seizedCollateral", (l) => l.seizedRaw, collateral),
  ...amount("protocolFeeCollateral", (l) => l.protocolFeeRaw, collateral),
  ...amount("bonusDebt", (l) => l.bonusRaw, debt),
  ...amount("badDebt", (l) => l.badDebtRaw, debt),
  // The oracle price of one whole collateral token, in the debt token: 1.19 and 1190000 for sUSDe at 1.19 USDT.
  ...amount("collateralPriceInDebt", (l) => l.collateralPriceInDebtRaw, debt),
  scaled("feedPriceUsd", (l) => l.feedPriceE8, 8),
  { name: "feedPriceE8", value: (l) => l.feedPriceE8 },
  { name: "healthFactorBeforeWad", value: (l) => l.healthFactorBeforeWad },
  { name: "healthFactorAfterWad", value: (l) => l.healthFactorAfterWad },
  ...amount("saleSoldCollateral", (l) => l.saleSoldRaw, collateral),
  ...amount("saleReceivedDebt", (l) => l.saleReceivedRaw, debt),
  { name: "saleVenue", value: (l) => l.saleVenue },
  scaled("dexPriceAfterSaleInDebtTokens", (l) => l.dexPriceAfterSaleWad, 18),
  { name: "dexPriceAfterSaleWad", value: (l) => l.dexPriceAfterSaleWad },
  ...amount("heldCollateral", (l) => l.heldRaw, collateral),
  ...amount("heldOracleValueDebt", (l) => l.heldOracleValueRaw, debt),
  ...amount("heldDexQuoteDebt", (l) => l.heldDexQuoteRaw, debt),
  ...amount("redeemedUsde", (l) => l.redeemedUsdeRaw, usde),
  { name: "redemptionAsset", value: (l) => l.redemptionAsset },
  ...amount("redemptionReceived", (l) => l.redemptionReceivedRaw, redemption),
  ...amount("flashPremiumDebt", (l) => l.flashPremiumRaw, debt),
  ...amount("profitDebt", (l) => l.profitRaw, debt),
  { name: "gasUsed", value: (l) => l.gasUsed },
  scaled("gasCostEth", (l) => l.gasCostWei, 18),
  { name: "gasCostWei", value: (l) => l.gasCostWei },
  scaled("netProfitUsd", (l) => l.netProfitUsdWad, 18),
  { name: "netProfitUsdWad", value: (l) => l.netProfitUsdWad },
  { name: "block", value: (l) => l.block },
  { name: "txHash", value: (l) => l.txHash },
];

/** liquidations.csv's header, in order. */
export const LIQUIDATION_CSV_COLUMNS: readonly string[] = CSV_COLUMNS.map((c) => c.name);

/** One CSV field (RFC 4180): quoted when it holds a comma, a quote or a line break; quotes doubled. */
export function csvField(value: string | number): string {
  const s = String(value);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * liquidations.csv: one row per liquidation across all runs, a header row first, `run` naming the policy set
 * ("market/market"). Each amount twice: in whole tokens (exact) and as the raw integer of report.json.
 */
export function depegCsv(r: DepegReport): string {
  const lines = [LIQUIDATION_CSV_COLUMNS.map(csvField).join(",")];
  for (const run of r.runs) {
    for (const l of run.liquidations) lines.push(CSV_COLUMNS.map((c) => csvField(c.value(l, run))).join(","));
  }
  return `${lines.join("\n")}\n`;
}

/**
 * Validates against the schema, renders everything, then writes report.json, summary.md, report.html and
 * liquidations.csv, each atomically (nothing is written if rendering fails). Returns the folder.
 */
export async function writeDepegReport(
  report: DepegReport,
  rootDir = path.join(process.cwd(), "reports"),
): Promise<string> {
  const checked = DepegReportSchema.parse(report);
  return writeReportFolder(checked, depegMarkdown(checked), rootDir);
}

/**
 * Writes a validated report (a depeg report or one that extends it) as reports/<scenario>/{report.json, summary.md,
 * report.html, liquidations.csv}: everything is rendered first, then each file is written atomically.
 */
export async function writeReportFolder(checked: DepegReport, summaryMd: string, rootDir: string): Promise<string> {
  // Loaded here, not at the top: html.ts imports this module, and its charts library is only needed when writing.
  const { depegHtml } = await import("./html");
  const files: [string, string][] = [
    ["report.json", `${JSON.stringify(checked, null, 2)}\n`],
    ["summary.md", `${summaryMd}\n`],
    ["report.html", await depegHtml(checked)],
    ["liquidations.csv", depegCsv(checked)],
  ];
  const dir = reportFolder(rootDir, checked.scenario, "scenario name");
  for (const [name, contents] of files) writeFileAtomic(path.join(dir, name), contents);
  return dir;
}
