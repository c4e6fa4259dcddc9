/**
 * liquidations.csv's columns (src/report/depeg-report.ts): each name says its unit and scale, each amount in whole
 * tokens beside its raw integer, exact; docs/report-fields.md documents every column and every liquidation row field.
 */
import { expect } from "chai";
import fs from "fs";
import path from "path";
import { exactUnits } from "../../src/domain/format";
import { LiquidationRowSchema } from "../../src/metrics/liquidations";
import { DepegReport, DepegReportSchema, LIQUIDATION_CSV_COLUMNS, depegCsv } from "../../src/report/depeg-report";

/** A seller's flash liquidation of sUSDe against USDT on Aave, at an oracle price of 1.19 USDT per sUSDe. */
const row = LiquidationRowSchema.parse({
  mode: "flash",
  protocol: "aave-v3",
  market: "aave-v3:sUSDe/USDT:emode-2",
  borrower: "0x00000000000000000000000000000000000000b0",
  liquidator: "0x00000000000000000000000000000000000000a1",
  debtAsset: "USDT",
  repaidRaw: "1000000000",
  collateralAsset: "sUSDe",
  seizedRaw: "873949579831932773109",
  protocolFeeRaw: "1260504201680672268",
  bonusRaw: "40000000",
  badDebtRaw: "0",
  collateralPriceInDebtRaw: "1190000",
  feedPriceE8: "95000000",
  healthFactorBeforeWad: "990000000000000000",
  healthFactorAfterWad: "1010000000000000000",
  saleSoldRaw: "873949579831932773109",
  saleReceivedRaw: "1038500000",
  saleVenue: "uniswap-v3:sUSDe/USDT-0.05%",
  dexPriceAfterSaleWad: "1185000000000000000",
  flashPremiumRaw: "500000",
  profitRaw: "-1500000",
  gasUsed: "600000",
  gasCostWei: "1200000000000000",
  netProfitUsdWad: "-6300000000000000000",
  block: 300,
  txHash: "0xabc",
});

const report: DepegReport = DepegReportSchema.parse({
  schemaVersion: 1,
  scenario: "csv-units",
  chain: {
    profile: "embedded",
    chainId: 31337,
    startBlock: 1,
    aave: { poolRevision: 10, release: "origin-v3.6", rules: "v3.5" },
  },
  liquidatorVenue: "uniswap-v3",
  path: { feed: "USDe/USD", points: 1 },
  runs: [
    {
      policies: { aave: "market", morpho: "market" },
      points: [],
      positions: [],
      liquidations: [row],
      refusals: [],
      totals: {
        liquidations: 1,
        positionsLiquidated: 1,
        repaidUsdWad: "0",
        seizedUsdWad: "0",
        badDebtUsdWad: "0",
        liquidatorNetProfitUsdWad: "0",
        gasUsed: "0",
      },
    },
  ],
});

describe("liquidations.csv columns", function () {
  it("writes every amount in whole tokens beside its raw integer; the oracle price as 1.19 USDT and 1190000", function () {
    const [header, line] = depegCsv(report).trimEnd().split("\n");
    expect(header.split(",")).to.deep.equal([...LIQUIDATION_CSV_COLUMNS]);
    const csv = Object.fromEntries(LIQUIDATION_CSV_COLUMNS.map((c, i) => [c, line.split(",")[i]]));
    expect(csv).to.deep.equal({
      run: "market/market",
      liquidatorKind: "seller",
      mode: "flash",
      protocol: "aave-v3",
      market: "aave-v3:sUSDe/USDT:emode-2",
      borrower: "0x00000000000000000000000000000000000000b0",
      liquidator: "0x00000000000000000000000000000000000000a1",
      debtAsset: "USDT",
      collateralAsset: "sUSDe",
      repaidDebtTokens: "1000",
      repaidDebtRaw: "1000000000",
      seizedCollateralTokens: "873.949579831932773109",
      seizedCollateralRaw: "873949579831932773109",
      protocolFeeCollateralTokens: "1.260504201680672268",
      protocolFeeCollateralRaw: "1260504201680672268",
      bonusDebtTokens: "40",
      bonusDebtRaw: "40000000",
      badDebtTokens: "0",
      badDebtRaw: "0",
      collateralPriceInDebtTokens: "1.19",
      collateralPriceInDebtRaw: "1190000",
      feedPriceUsd: "0.95",
      feedPriceE8: "95000000",
      healthFactorBeforeWad: "990000000000000000",
      healthFactorAfterWad: "1010000000000000000",
      saleSoldCollateralTokens: "873.949579831932773109",
      saleSoldCollateralRaw: "873949579831932773109",
      saleReceivedDebtTokens: "1038.5",
      saleReceivedDebtRaw: "1038500000",
      saleVenue: "uniswap-v3:sUSDe/USDT-0.05%",
      dexPriceAfterSaleInDebtTokens: "1.185",
      dexPriceAfterSaleWad: "1185000000000000000",
      heldCollateralTokens: "0",
      heldCollateralRaw: "0",
      heldOracleValueDebtTokens: "0",
      heldOracleValueDebtRaw: "0",
      heldDexQuoteDebtTokens: "0",
      heldDexQuoteDebtRaw: "0",
      redeemedUsdeTokens: "0",
      redeemedUsdeRaw: "0",
      redemptionAsset: "",
      redemptionReceivedTokens: "0",
      redemptionReceivedRaw: "0",
      flashPremiumDebtTokens: "0.5",
      flashPremiumDebtRaw: "500000",
      profitDebtTokens: "-1.5",
      profitDebtRaw: "-1500000",
      gasUsed: "600000",
      gasCostEth: "0.0012",
      gasCostWei: "1200000000000000",
      netProfitUsd: "-6.3",
      netProfitUsdWad: "-6300000000000000000",
      block: "300",
      txHash: "0xabc",
    });
  });

  it("names a unit or a token in every amount and price column (no bare Wad price in a token's units)", function () {
    const units = /(Raw|Tokens|E8|Wad|Wei|Eth|Usd)$/;
    // Text, symbols, addresses and counts: every other column is an amount or a price and ends in its unit.
    expect(LIQUIDATION_CSV_COLUMNS.filter((c) => !units.test(c))).to.deep.equal([
      "run",
      "liquidatorKind",
      "mode",
      "protocol",
      "market",
      "borrower",
      "liquidator",
      "debtAsset",
      "collateralAsset",
      "saleVenue",
      "redemptionAsset",
      "gasUsed",
      "block",
      "txHash",
    ]);
    expect(LIQUIDATION_CSV_COLUMNS).not.to.include("collateralPriceWad");
  });

  it("exact decimals: no rounding, no grouping, no trailing zeros, signed", function () {
    expect(exactUnits(1_190_000n, 6)).to.equal("1.19");
    expect(exactUnits(-1n, 18)).to.equal("-0.000000000000000001");
    expect(exactUnits(123_456_789_000_000n, 6)).to.equal("123456789");
    expect(exactUnits(0n, 0)).to.equal("0");
  });

  it("docs/report-fields.md documents every CSV column, in order, and every field of a liquidation row", function () {
    const doc = fs.readFileSync(path.resolve(__dirname, "../../docs/report-fields.md"), "utf8");
    const section = (title: string) => doc.split(`\n${title}\n`)[1].split("\n#")[0];
    const firstCells = (text: string) => [...text.matchAll(/^\| (`[^|]+) \|/gm)].map((m) => m[1]);
    const csvDocumented = firstCells(section("## liquidations.csv")).map((c) => c.replace(/`/g, ""));
    expect(csvDocumented).to.deep.equal([...LIQUIDATION_CSV_COLUMNS]);
    const jsonDocumented = firstCells(section("### A liquidation row (`runs[].liquidations[]`)")).flatMap((c) =>
      c.split(", ").map((f) => f.replace(/`/g, "")),
    );
    expect([...jsonDocumented].sort()).to.deep.equal(Object.keys(LiquidationRowSchema.shape).sort());
  });
});
