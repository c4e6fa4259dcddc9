/**
 * The cascade report: the depeg report's shape (so every depeg view — summary, CSV, HTML charts — reads it) plus,
 * per run, the round-by-round record of the cascade and what the actors did. Written atomically under
 * reports/<scenario>/.
 */
import path from "path";
import { z } from "zod";
import { toNumber } from "../math/fixed-point";
import { DepegReportSchema, RunSchema, depegMarkdown, runLabel, runName, writeReportFolder } from "./depeg-report";
import { table } from "../domain/format";
import { VenueSalesSchema } from "../metrics/liquidations";

const int = z.string().regex(/^-?\d+$/, "integer as a decimal string");

const RoundSchema = z.object({
  round: z.number().int(),
  /** Which exogenous path point the round belongs to (1-based). */
  pathPoint: z.number().int(),
  block: z.number().int(),
  exogenousUsdeE8: int,
  /** The USDe/USD feed after the round (what `market`-policy oracles read). */
  feedPriceE8: int,
  ethUsdE8: int,
  dexUsdeUsdcBeforeWad: int,
  dexUsdeUsdcWad: int,
  liquidations: z.number().int(),
  /** Debt token received by liquidators for the collateral they sold this round, USD. */
  volumeSoldUsdWad: int,
  /** USDC left in the USDe/USDC pool (what further USDe sales can take out), and its USDe. */
  poolUsdcLeftRaw: int,
  poolUsdeRaw: int,
  badDebtUsdWad: int,
  cumulativeBadDebtUsdWad: int,
  /** USDe redeemed with Ethena this round by the redemption arbitrageur. */
  redeemedUsdeRaw: int.default("0"),
});

const ActorEventSchema = z.union([
  z.object({
    round: z.number().int(),
    actor: z.literal("whale"),
    account: z.string(),
    aaveHealthFactorWad: int,
    soldRaw: int,
    receivedRaw: int,
    saleVenues: z.array(z.string()),
    dexPriceBeforeWad: int,
    dexPriceAfterWad: int,
    morphoDebtLeftRaw: int,
    aaveDebtRepaidRaw: int,
  }),
  z.object({
    round: z.number().int(),
    actor: z.literal("liquidity-withdrawal"),
    pools: z.array(z.string()),
    share: z.string(),
    positionsReduced: z.number().int(),
    saleUsde: z.string(),
    impactBeforeBps: int,
    impactAfterBps: int,
  }),
  z.object({
    round: z.number().int(),
    actor: z.literal("cex-dex-arbitrageur"),
    ethUsdWad: int,
    trades: z.array(
      z.object({ pool: z.string(), sold: z.string(), soldRaw: int, priceBeforeWad: int, priceAfterWad: int }),
    ),
  }),
  z.object({
    round: z.number().int(),
    actor: z.literal("market-maker"),
    account: z.string(),
    collateralLeftRaw: z.record(z.string(), int),
    collateralSeizedRaw: z.record(z.string(), int),
  }),
  z.object({
    round: z.number().int(),
    actor: z.literal("redemption-arbitrageur"),
    account: z.string(),
    asset: z.enum(["USDC", "USDT"]),
    pool: z.string(),
    venue: z.string(),
    usdeBoughtRaw: int,
    stableSpentRaw: int,
    usdeRedeemedRaw: int,
    receivedRaw: int,
    feeRaw: int,
    dexPriceBeforeWad: int,
    dexPriceAfterWad: int,
    thresholdWad: int,
    gasUsed: int,
    gasCostUsdWad: int,
    profitUsdWad: int,
    redeemTxHash: z.string(),
  }),
]);

export const CascadeRunSchema = RunSchema.extend({
  rounds: z.array(RoundSchema),
  actorEvents: z.array(ActorEventSchema),
  /** True when the last round liquidated nothing (the cascade stopped by itself). */
  converged: z.boolean(),
  roundLimitReached: z.boolean(),
  /** Positions still liquidatable at the end (e.g. refused as unprofitable). */
  liquidatableLeft: z.number().int(),
  /** What the liquidators sold, per venue and pair (summed from the liquidation rows). */
  salesByVenue: z.array(VenueSalesSchema),
});

export const CascadeReportSchema = DepegReportSchema.extend({
  oracleSource: z.string(),
  population: z.object({ seed: z.number().int(), positions: z.number().int() }),
  /** Pools opened deeper than the run's depth and thinned before the run (whole tokens per side, share withdrawn). */
  thinnedPools: z
    .array(
      z.object({
        pool: z.string(),
        openingDepthPerSide: z.number().int(),
        depthPerSide: z.number().int(),
        withdrawnBps: z.number().int(),
      }),
    )
    .default([]),
  runs: z.array(CascadeRunSchema),
});

export type CascadeReport = z.infer<typeof CascadeReportSchema>;
export type CascadeRun = z.infer<typeof CascadeRunSchema>;

const usd = (wad: string) => `$${toNumber(BigInt(wad), 18).toLocaleString("en-US", { maximumFractionDigits: 0 })}`;
const units = (raw: string, decimals: number) =>
  toNumber(BigInt(raw), decimals).toLocaleString("en-US", { maximumFractionDigits: 2 });
const px = (wad: string) => toNumber(BigInt(wad), 18).toFixed(4);
const usde = (raw: bigint) => `${toNumber(raw, 18).toLocaleString("en-US", { maximumFractionDigits: 0 })} USDe`;
const redeemedIn = (run: CascadeRun) => run.rounds.reduce((s, x) => s + BigInt(x.redeemedUsdeRaw), 0n);

export function cascadeMarkdown(r: CascadeReport, options: { liquidations?: boolean } = {}): string {
  const out: string[] = [depegMarkdown(r, options), ""];
  out.push("## The cascade, side by side");
  if (r.thinnedPools.length > 0)
    out.push(
      "",
      `Positions were opened against deeper pools, then thinned to the day's depth before the run: ${r.thinnedPools
        .map(
          (t) =>
            `${t.pool} ${t.openingDepthPerSide.toLocaleString("en-US")} → ${t.depthPerSide.toLocaleString("en-US")} per side`,
        )
        .join("; ")}.`,
    );
  out.push(
    `Population of ${r.population.positions} positions (seed ${r.population.seed}); under \`market\` policies the USDe oracle follows ${{ path: "the exogenous path", dex: "the USDe/USDC pool's spot price", twap: "the pool's TWAP", min: "the lower of the exogenous path and the pool" }[r.oracleSource] ?? r.oracleSource}.`,
    "",
  );
  out.push(
    table(
      [
        "Aave / Morpho policy",
        "rounds",
        "converged",
        "min USDe/USDC on the DEX",
        "min USDe/USD feed",
        "liquidations",
        "collateral sold",
        "bad debt",
        "still liquidatable",
        "redeemed with Ethena",
      ],
      r.runs.map((run) => [
        runName(run).split("/").join(" / "),
        run.rounds.length,
        run.converged ? "yes" : run.roundLimitReached ? "no (round limit)" : "no",
        run.rounds.length
          ? px(
              run.rounds.reduce(
                (m, x) => (BigInt(x.dexUsdeUsdcWad) < BigInt(m) ? x.dexUsdeUsdcWad : m),
                run.rounds[0].dexUsdeUsdcWad,
              ),
            )
          : "—",
        run.rounds.length
          ? toNumber(
              run.rounds.reduce(
                (m, x) => (BigInt(x.feedPriceE8) < m ? BigInt(x.feedPriceE8) : m),
                BigInt(run.rounds[0].feedPriceE8),
              ),
              8,
            ).toFixed(4)
          : "—",
        run.totals.liquidations,
        usd(run.rounds.reduce((s, x) => s + BigInt(x.volumeSoldUsdWad), 0n).toString()),
        usd(run.totals.badDebtUsdWad),
        run.liquidatableLeft,
        usde(redeemedIn(run)),
      ]),
    ),
  );
  for (const run of r.runs) {
    if (run.salesByVenue.length > 0) {
      out.push("", `### Where the liquidators sold — ${runLabel(run)}`);
      out.push(
        table(
          ["venue", "sales", "sold", "received"],
          run.salesByVenue.map((v) => [
            v.venue,
            v.sales,
            `${units(v.soldRaw, v.soldDecimals)} ${v.sold}`,
            `${units(v.receivedRaw, v.receivedDecimals)} ${v.received}`,
          ]),
        ),
      );
    }
    out.push("", `### Rounds — ${runLabel(run)}`);
    out.push(
      table(
        [
          "round",
          "point",
          "path USDe",
          "oracle",
          "DEX before → after",
          "liquidations",
          "sold",
          "USDC left in pool",
          "bad debt (cum.)",
          "redeemed (USDe)",
        ],
        run.rounds
          .filter(
            (x) => x.liquidations > 0 || x.redeemedUsdeRaw !== "0" || x.round === 1 || x.round === run.rounds.length,
          )
          .map((x) => [
            x.round,
            x.pathPoint,
            toNumber(BigInt(x.exogenousUsdeE8), 8).toFixed(4),
            toNumber(BigInt(x.feedPriceE8), 8).toFixed(4),
            `${px(x.dexUsdeUsdcBeforeWad)} → ${px(x.dexUsdeUsdcWad)}`,
            x.liquidations,
            usd(x.volumeSoldUsdWad),
            toNumber(BigInt(x.poolUsdcLeftRaw), 6).toLocaleString("en-US", { maximumFractionDigits: 0 }),
            usd(x.cumulativeBadDebtUsdWad),
            toNumber(BigInt(x.redeemedUsdeRaw), 18).toLocaleString("en-US", { maximumFractionDigits: 0 }),
          ]),
      ),
    );
    for (const e of run.actorEvents) {
      if (e.actor === "whale")
        out.push(
          "",
          `- Round ${e.round}: the whale (Aave HF ${toNumber(BigInt(e.aaveHealthFactorWad), 18).toFixed(3)}) unwound its loop, selling for ${toNumber(BigInt(e.receivedRaw), 6).toLocaleString("en-US", { maximumFractionDigits: 0 })} USDC on ${e.saleVenues.join(", ")}; USDe/USDC ${px(e.dexPriceBeforeWad)} → ${px(e.dexPriceAfterWad)}.`,
        );
      if (e.actor === "liquidity-withdrawal")
        out.push(
          "",
          `- Round ${e.round}: market makers pulled ${e.share} of their liquidity from ${e.pools.join(", ")}; price impact of selling ${e.saleUsde} USDe: ${e.impactBeforeBps} → ${e.impactAfterBps} bps.`,
        );
      if (e.actor === "redemption-arbitrageur")
        out.push(
          "",
          `- Round ${e.round}: the redemption arbitrageur bought ${usde(BigInt(e.usdeBoughtRaw))} for ${toNumber(BigInt(e.stableSpentRaw), 6).toLocaleString("en-US", { maximumFractionDigits: 0 })} ${e.asset} on ${e.venue} and redeemed ${usde(BigInt(e.usdeRedeemedRaw))} with Ethena; USDe/${e.asset} ${px(e.dexPriceBeforeWad)} → ${px(e.dexPriceAfterWad)}.`,
        );
      if (e.actor === "market-maker")
        out.push(
          "",
          `- The cross-margined market maker lost ${
            Object.entries(e.collateralSeizedRaw)
              .map(([k, v]) => `${toNumber(BigInt(v), 18).toLocaleString("en-US", { maximumFractionDigits: 0 })} ${k}`)
              .join(", ") || "nothing"
          }; left: ${Object.entries(e.collateralLeftRaw)
            .map(([k, v]) => `${toNumber(BigInt(v), 18).toLocaleString("en-US", { maximumFractionDigits: 0 })} ${k}`)
            .join(", ")}.`,
        );
    }
    if (run.byLiquidatorKind.length > 1) out.push("", liquidatorKindsTable(run));
    if (run.refusals.length > 0) {
      const byReason = new Map<string, number>();
      for (const f of run.refusals) {
        const reason = `${f.liquidator === "seller" ? "" : `${f.liquidator}: `}${f.reason.replace(/\(.*$/, "")}`;
        byReason.set(reason, (byReason.get(reason) ?? 0) + 1);
      }
      out.push(
        "",
        `- Liquidation attempts refused: ${[...byReason.entries()].map(([k, v]) => `${v} × ${k}`).join(", ")} — positions left liquidatable at the end: ${run.liquidatableLeft}.`,
      );
    }
    if (!run.converged)
      out.push(
        "",
        run.roundLimitReached
          ? "**The cascade did not converge: it hit the round limit (`stop.maxRounds`).**"
          : `**${run.liquidatableLeft} position(s) were still liquidatable at the end.**`,
      );
  }
  return out.join("\n");
}

/** What each kind of liquidator did in a run: liquidations, what it repaid, and how it disposed of the collateral. */
function liquidatorKindsTable(run: CascadeReport["runs"][number]): string {
  const tokens = (raw: Record<string, string>): string =>
    Object.entries(raw)
      .map(([k, v]) => `${toNumber(BigInt(v), 18).toLocaleString("en-US", { maximumFractionDigits: 0 })} ${k}`)
      .join(", ") || "—";
  return table(
    [
      "liquidator",
      "liquidations",
      "debt repaid",
      "sold for",
      "USDe redeemed",
      "redeemed for",
      "held",
      "held at oracle",
      "net profit",
    ],
    run.byLiquidatorKind.map((k) => [
      k.kind,
      k.liquidations,
      usd(k.repaidUsdWad),
      usd(k.soldForUsdWad),
      `${toNumber(BigInt(k.redeemedUsdeRaw), 18).toLocaleString("en-US", { maximumFractionDigits: 0 })} USDe`,
      usd(k.redeemedForUsdWad),
      tokens(k.heldRaw),
      usd(k.heldOracleValueUsdWad),
      usd(k.netProfitUsdWad),
    ]),
  );
}

/** Validates, renders everything, then writes report.json, summary.md, report.html and liquidations.csv atomically. */
export async function writeCascadeReport(
  report: CascadeReport,
  rootDir = path.join(process.cwd(), "reports"),
): Promise<string> {
  const checked = CascadeReportSchema.parse(report);
  return writeReportFolder(checked, cascadeMarkdown(checked), rootDir);
}
