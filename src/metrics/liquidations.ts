/**
 * Liquidation measurements as report rows, and totals computed from the rows alone (so a report's totals can always
 * be re-derived from its own rows). Stablecoin debt is valued at 1 USD per unit; seized collateral at the protocol's
 * own oracle price at the liquidation.
 */
import { z } from "zod";
import { int } from "../domain/json-schema";
import { LIQUIDATOR_KINDS, LiquidationOutcome, LiquidatorKind } from "../strategies/liquidation-bot";

/** One liquidation as reports keep it: raw on-chain integers as decimal strings. */
export const LiquidationRowSchema = z.object({
  /** Which kind of liquidator: "seller" (sells at once), "inventory" (may hold), "redeemer" (redeems with Ethena). */
  liquidatorKind: z.enum(LIQUIDATOR_KINDS).default("seller"),
  /** How the liquidator was funded: "flash" (FlashLiquidator, one tx) or "inventory". */
  mode: z.enum(["flash", "inventory"]),
  protocol: z.string(),
  market: z.string(),
  borrower: z.string(),
  liquidator: z.string(),
  debtAsset: z.string(),
  /** Debt repaid, raw debt-token units. */
  repaidRaw: int,
  collateralAsset: z.string(),
  /** Collateral the liquidator received (Aave: after the protocol fee), raw collateral units. */
  seizedRaw: int,
  /** Aave's liquidation protocol fee, raw collateral units (0 on Morpho). */
  protocolFeeRaw: int,
  /** Collateral value paid above the debt repaid, at the oracle price, raw debt-token units. */
  bonusRaw: int,
  /** Debt left with no collateral behind it (Morpho: badDebtAssets; Aave: debt left with zero collateral), raw
   * debt-token units. */
  badDebtRaw: int,
  /**
   * The protocol's oracle price of one whole collateral token at the liquidation, in raw debt-token units: 1190000
   * is 1.19 USDT per sUSDe (every collateral here has 18 decimals, so it is also debt raw per 1e18 collateral raw).
   */
  collateralPriceInDebtRaw: int,
  /** The scenario's feed (e.g. USDe/USD) at the liquidation, USD with 8 decimals. */
  feedPriceE8: int,
  healthFactorBeforeWad: int,
  healthFactorAfterWad: int,
  /** Collateral sold (0 when it was kept), raw collateral units. */
  saleSoldRaw: int,
  /** Debt token received for it, raw debt-token units. */
  saleReceivedRaw: int,
  /** Where the seized collateral was sold ("" when it was kept), e.g. "uniswap-v3:WETH/USDT-0.05%". */
  saleVenue: z.string(),
  /** The DEX price of the collateral after the sale: whole debt tokens per whole collateral token, WAD (0 unsold). */
  dexPriceAfterSaleWad: int,
  /** Collateral kept unsold (collateral units), its oracle value and what the DEX would have paid (debt units). */
  heldRaw: int.default("0"),
  heldOracleValueRaw: int.default("0"),
  heldDexQuoteRaw: int.default("0"),
  /** Seized USDe redeemed with Ethena, and the stablecoin received (in `redemptionAsset` units). */
  redeemedUsdeRaw: int.default("0"),
  redemptionAsset: z.string().default(""),
  redemptionReceivedRaw: int.default("0"),
  /** Aave's flash-loan premium, raw debt-token units. */
  flashPremiumRaw: int,
  /**
   * Sale (or redemption) proceeds - repaid - flash premium, debt units (before gas); held collateral counts at its
   * oracle value less the markdown the liquidator expects.
   */
  profitRaw: int,
  gasUsed: int,
  gasCostWei: int,
  /** Profit after gas (debt token at its USD feed, gas at ETH/USD), USD WAD. */
  netProfitUsdWad: int,
  block: z.number().int(),
  txHash: z.string(),
});

export type LiquidationRow = z.infer<typeof LiquidationRowSchema>;

/** What a set of liquidations adds up to, USD WAD (stablecoin debt at 1 USD per unit). */
export const LiquidationTotalsSchema = z.object({
  liquidations: z.number().int(),
  repaidUsdWad: int,
  seizedUsdWad: int,
  badDebtUsdWad: int,
  liquidatorNetProfitUsdWad: int,
  gasUsed: int,
});
export type LiquidationTotals = z.infer<typeof LiquidationTotalsSchema>;

export function liquidationRow(o: LiquidationOutcome, feedE8: bigint): LiquidationRow {
  const r = o.record;
  return {
    liquidatorKind: o.kind,
    mode: o.mode,
    protocol: r.protocol,
    market: r.market,
    borrower: r.borrower,
    liquidator: r.liquidator,
    debtAsset: r.debtAsset,
    repaidRaw: r.repaidRaw.toString(),
    collateralAsset: r.collateralAsset,
    seizedRaw: r.seizedRaw.toString(),
    protocolFeeRaw: r.protocolFeeRaw.toString(),
    bonusRaw: r.bonusRaw.toString(),
    badDebtRaw: r.badDebtRaw.toString(),
    collateralPriceInDebtRaw: r.collateralPriceWad.toString(),
    feedPriceE8: feedE8.toString(),
    healthFactorBeforeWad: r.healthFactorBeforeWad.toString(),
    healthFactorAfterWad: r.healthFactorAfterWad.toString(),
    saleSoldRaw: (o.sale?.soldRaw ?? 0n).toString(),
    saleReceivedRaw: (o.sale?.receivedRaw ?? 0n).toString(),
    saleVenue: o.sale?.venue ?? "",
    dexPriceAfterSaleWad: (o.sale?.priceAfterWad ?? 0n).toString(),
    heldRaw: (o.held?.collateralRaw ?? 0n).toString(),
    heldOracleValueRaw: (o.held?.oracleValueRaw ?? 0n).toString(),
    heldDexQuoteRaw: (o.held?.dexQuoteRaw ?? 0n).toString(),
    redeemedUsdeRaw: (o.redemption?.usdeRaw ?? 0n).toString(),
    redemptionAsset: o.redemption?.asset ?? "",
    redemptionReceivedRaw: (o.redemption?.receivedRaw ?? 0n).toString(),
    flashPremiumRaw: o.flashPremiumRaw.toString(),
    profitRaw: o.profitRaw.toString(),
    gasUsed: r.gasUsed.toString(),
    gasCostWei: o.gasCostWei.toString(),
    netProfitUsdWad: o.netProfitUsdWad.toString(),
    block: r.block,
    txHash: r.txHash,
  };
}

/** Debt-token raw → USD WAD (1 USD per unit). */
export function debtUsdWad(raw: bigint, debtDecimals: number): bigint {
  return raw * 10n ** BigInt(18 - debtDecimals);
}

export function liquidationTotals(rows: LiquidationRow[], decimalsOf: (symbol: string) => number): LiquidationTotals {
  let repaid = 0n,
    seized = 0n,
    bad = 0n,
    profit = 0n,
    gas = 0n;
  for (const l of rows) {
    const dd = decimalsOf(l.debtAsset);
    repaid += debtUsdWad(BigInt(l.repaidRaw), dd);
    seized += debtUsdWad(
      (BigInt(l.seizedRaw) * BigInt(l.collateralPriceInDebtRaw)) / 10n ** BigInt(decimalsOf(l.collateralAsset)),
      dd,
    );
    bad += debtUsdWad(BigInt(l.badDebtRaw), dd);
    profit += BigInt(l.netProfitUsdWad);
    gas += BigInt(l.gasUsed);
  }
  return {
    liquidations: rows.length,
    repaidUsdWad: repaid.toString(),
    seizedUsdWad: seized.toString(),
    badDebtUsdWad: bad.toString(),
    liquidatorNetProfitUsdWad: profit.toString(),
    gasUsed: gas.toString(),
  };
}

/** What one kind of liquidator did in a run, from the rows alone (USD WAD; held collateral by token, raw). */
export const KindTotalsSchema = z.object({
  kind: z.enum(LIQUIDATOR_KINDS),
  liquidations: z.number().int(),
  repaidUsdWad: int,
  /** Debt token received for collateral sold on a DEX, USD. */
  soldForUsdWad: int,
  /** Stablecoin received from Ethena for redeemed USDe, USD (1 per unit), and the USDe redeemed. */
  redeemedForUsdWad: int,
  redeemedUsdeRaw: int,
  /** Collateral held unsold, by token, raw units; and its oracle value, USD. */
  heldRaw: z.record(z.string(), int),
  heldOracleValueUsdWad: int,
  netProfitUsdWad: int,
});
export type KindTotals = z.infer<typeof KindTotalsSchema>;

/** Totals per liquidator kind, in the order given (kinds with no liquidation included, with zeros). */
export function totalsByKind(
  rows: readonly LiquidationRow[],
  kinds: readonly LiquidatorKind[],
  decimalsOf: (symbol: string) => number,
): KindTotals[] {
  return kinds.map((kind) => {
    const mine = rows.filter((r) => r.liquidatorKind === kind);
    const heldRaw: Record<string, bigint> = {};
    let repaid = 0n,
      sold = 0n,
      redeemed = 0n,
      redeemedUsde = 0n,
      heldValue = 0n,
      profit = 0n;
    for (const r of mine) {
      const dd = decimalsOf(r.debtAsset);
      repaid += debtUsdWad(BigInt(r.repaidRaw), dd);
      sold += debtUsdWad(BigInt(r.saleReceivedRaw), dd);
      if (r.redemptionAsset !== "")
        redeemed += debtUsdWad(BigInt(r.redemptionReceivedRaw), decimalsOf(r.redemptionAsset));
      redeemedUsde += BigInt(r.redeemedUsdeRaw);
      if (BigInt(r.heldRaw) > 0n) heldRaw[r.collateralAsset] = (heldRaw[r.collateralAsset] ?? 0n) + BigInt(r.heldRaw);
      heldValue += debtUsdWad(BigInt(r.heldOracleValueRaw), dd);
      profit += BigInt(r.netProfitUsdWad);
    }
    return {
      kind,
      liquidations: mine.length,
      repaidUsdWad: repaid.toString(),
      soldForUsdWad: sold.toString(),
      redeemedForUsdWad: redeemed.toString(),
      redeemedUsdeRaw: redeemedUsde.toString(),
      heldRaw: Object.fromEntries(Object.entries(heldRaw).map(([k, v]) => [k, v.toString()])),
      heldOracleValueUsdWad: heldValue.toString(),
      netProfitUsdWad: profit.toString(),
    };
  });
}

/** What the liquidators sold on one venue in a run: one collateral for one debt token, summed from the rows. */
export const VenueSalesSchema = z.object({
  venue: z.string(),
  sold: z.string(),
  soldDecimals: z.number().int(),
  soldRaw: int,
  received: z.string(),
  receivedDecimals: z.number().int(),
  receivedRaw: int,
  sales: z.number().int(),
});
export type VenueSales = z.infer<typeof VenueSalesSchema>;

/** Volume sold per venue and pair, in the rows' order of first appearance; kept (unsold) collateral is left out. */
export function salesByVenue(rows: LiquidationRow[], decimalsOf: (symbol: string) => number): VenueSales[] {
  const out = new Map<string, VenueSales>();
  for (const l of rows) {
    if (l.saleVenue === "") continue;
    const key = `${l.saleVenue}|${l.collateralAsset}|${l.debtAsset}`;
    const v = out.get(key) ?? {
      venue: l.saleVenue,
      sold: l.collateralAsset,
      soldDecimals: decimalsOf(l.collateralAsset),
      soldRaw: "0",
      received: l.debtAsset,
      receivedDecimals: decimalsOf(l.debtAsset),
      receivedRaw: "0",
      sales: 0,
    };
    v.soldRaw = (BigInt(v.soldRaw) + BigInt(l.saleSoldRaw)).toString();
    v.receivedRaw = (BigInt(v.receivedRaw) + BigInt(l.saleReceivedRaw)).toString();
    v.sales++;
    out.set(key, v);
  }
  return [...out.values()];
}
