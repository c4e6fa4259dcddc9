/** Summary of a deployed chain profile, read back from the contracts themselves (not from our parameters). */
import { sameAddress } from "../domain/address";
import { Contract, ZeroAddress } from "ethers";
import type { Provider } from "ethers";
import {
  IERC20Metadata__factory,
  IERC4626__factory,
  Morpho__factory,
  UniswapV3Pool__factory,
} from "../../typechain-types";
import type { DeploymentRecord } from "../chain/deployments";
import { ORACLE_PRICE_SCALE, WAD } from "../constants";
import { rawPriceWadFromSqrtX96 } from "../math/uniswap-v3";
import { fmtBps, fmtUnits, fmtWadPct, table } from "../domain/format";
import { AaveOracle__factory, AaveProtocolDataProvider__factory, Pool__factory } from "../protocols/aave-v3-types";

export async function deploymentSummary(record: DeploymentRecord, provider: Provider): Promise<string> {
  const out: string[] = [];
  const dec = new Map<string, { symbol: string; decimals: number }>();
  for (const t of Object.values(record.tokens)) if (t) dec.set(t.address.toLowerCase(), t);

  out.push(`# loopstress chain profile "${record.profile}" (chain id ${record.chainId}, block ${record.block})`, "");
  const tokenRows: string[][] = [];
  for (const t of Object.values(record.tokens)) {
    if (!t) continue;
    const c = IERC20Metadata__factory.connect(t.address, provider);
    let extra = "";
    if (t.symbol === "sUSDe") {
      const rate = await IERC4626__factory.connect(t.address, provider).convertToAssets(WAD);
      extra = `rate ${fmtUnits(rate, 18, 6)} USDe/share`;
    }
    tokenRows.push([
      t.symbol,
      t.address,
      String(await c.decimals()),
      fmtUnits(await c.totalSupply(), t.decimals, 0),
      extra,
    ]);
  }
  out.push("## Tokens", table(["token", "address", "decimals", "total supply", "note"], tokenRows), "");

  const pool = Pool__factory.connect(record.aave.pool, provider);
  const dp = AaveProtocolDataProvider__factory.connect(record.aave.dataProvider, provider);
  const oracle = AaveOracle__factory.connect(record.aave.oracle, provider);
  const aaveRows: string[][] = [];
  for (const [s, r] of Object.entries(record.aave.reserves)) {
    if (!r) continue;
    const asset = record.tokens[s as keyof typeof record.tokens]!;
    const cfg = await dp.getReserveConfigurationData(asset.address);
    const caps = await dp.getReserveCaps(asset.address);
    const supplied = await IERC20Metadata__factory.connect(r.aToken, provider).totalSupply();
    const price = await oracle.getAssetPrice(asset.address);
    const source = await oracle.getSourceOfAsset(asset.address);
    const sourceName = Object.entries(record.feeds).find(([, a]) => sameAddress(a, source))?.[0] ?? source;
    aaveRows.push([
      s,
      fmtBps(cfg.ltv),
      fmtBps(cfg.liquidationThreshold),
      fmtBps(cfg.liquidationBonus - 10_000n),
      fmtBps(cfg.reserveFactor),
      cfg.borrowingEnabled ? "yes" : "no",
      caps.supplyCap === 0n ? "-" : caps.supplyCap.toLocaleString("en-US"),
      fmtUnits(supplied, asset.decimals, 0),
      `$${fmtUnits(price, 8, 4)} (${sourceName})`,
    ]);
  }
  const revision = await pool.POOL_REVISION();
  out.push(
    `## Aave V3 (Pool ${record.aave.pool}, revision ${revision}: ${record.aave.release ?? "read from chain"})`,
    table(
      [
        "reserve",
        "LTV",
        "liq. threshold",
        "liq. bonus",
        "reserve factor",
        "borrowable",
        "supply cap",
        "supplied",
        "oracle price (source)",
      ],
      aaveRows,
    ),
    "",
  );
  const eRows: string[][] = [];
  for (const e of await eModeCategories(record, provider)) {
    eRows.push([
      String(e.id),
      e.label,
      fmtBps(e.ltvBps),
      fmtBps(e.liquidationThresholdBps),
      fmtBps(e.liquidationBonusBps - 10_000n),
      e.collateral.join(", "),
      e.borrowable.join(", "),
    ]);
  }
  out.push(
    "### E-mode categories",
    table(["id", "label", "LTV", "liq. threshold", "liq. bonus", "collateral", "borrowable"], eRows),
    "",
  );

  const morpho = Morpho__factory.connect(record.morpho.morpho, provider);
  const mRows: string[][] = [];
  for (const [key, m] of Object.entries(record.morpho.markets)) {
    const mk = await morpho.market(m.id);
    const loan = dec.get(m.loanToken.toLowerCase())!;
    const coll = dec.get(m.collateralToken.toLowerCase())!;
    const p = await (await import("../../typechain-types")).IOracle__factory.connect(m.oracle, provider).price();
    // Oracle price → loan tokens per whole collateral token.
    const perUnit = (p * 10n ** BigInt(coll.decimals)) / ORACLE_PRICE_SCALE;
    mRows.push([
      key,
      m.id.slice(0, 10) + "…",
      fmtWadPct(BigInt(m.lltv)),
      fmtUnits(mk.totalSupplyAssets, loan.decimals, 0),
      fmtUnits(mk.totalBorrowAssets, loan.decimals, 0),
      `${fmtUnits(perUnit, loan.decimals, 6)} ${loan.symbol}/${coll.symbol}`,
    ]);
  }
  out.push(
    `## Morpho Blue (${record.morpho.morpho})`,
    table(["market", "id", "LLTV", "supplied", "borrowed", "oracle price"], mRows),
    "",
  );

  const uRows: string[][] = [];
  for (const [key, pr] of Object.entries(record.uniswap.pools)) {
    const c = UniswapV3Pool__factory.connect(pr.address, provider);
    const slot0 = await c.slot0();
    const t0 = dec.get(pr.token0.toLowerCase())!;
    const t1 = dec.get(pr.token1.toLowerCase())!;
    const raw = rawPriceWadFromSqrtX96(slot0.sqrtPriceX96);
    const price1per0 = (raw * 10n ** BigInt(t0.decimals)) / 10n ** BigInt(t1.decimals);
    const b0 = await IERC20Metadata__factory.connect(pr.token0, provider).balanceOf(pr.address);
    const b1 = await IERC20Metadata__factory.connect(pr.token1, provider).balanceOf(pr.address);
    uRows.push([
      key,
      pr.address,
      `${fmtUnits(price1per0, 18, 6)} ${t1.symbol}/${t0.symbol}`,
      String(slot0.tick),
      `${fmtUnits(b0, t0.decimals, 0)} ${t0.symbol} + ${fmtUnits(b1, t1.decimals, 0)} ${t1.symbol}`,
    ]);
  }
  out.push(
    `## Uniswap V3 (factory ${record.uniswap.factory})`,
    table(["pool", "address", "price", "tick", "reserves"], uRows),
    "",
  );
  return out.join("\n");
}

export interface EModeCategorySummary {
  id: number;
  label: string;
  ltvBps: bigint;
  liquidationThresholdBps: bigint;
  liquidationBonusBps: bigint;
  collateral: string[];
  borrowable: string[];
}

/** Highest E-mode category id probed: the embedded chain uses 2, mainnet's Aave a handful. */
const MAX_EMODE_ID = 16;

/**
 * The E-mode categories in use and their members among the record's tokens. v3.0 gives each asset one category
 * (collateral and borrowable alike); v3.2+ keeps a collateral and a borrowable bitmap per category.
 */
async function eModeCategories(record: DeploymentRecord, provider: Provider): Promise<EModeCategorySummary[]> {
  const pool = Pool__factory.connect(record.aave.pool, provider);
  const dp = AaveProtocolDataProvider__factory.connect(record.aave.dataProvider, provider);
  const bitmaps = new Contract(
    record.aave.pool,
    [
      "function getEModeCategoryCollateralBitmap(uint8) view returns (uint128)",
      "function getEModeCategoryBorrowableBitmap(uint8) view returns (uint128)",
    ],
    provider,
  );
  const tokens = Object.values(record.tokens).filter((t): t is NonNullable<typeof t> => t !== undefined);
  const legacy = await dp.getReserveEModeCategory(tokens[0].address).then(
    () => true,
    () => false,
  );
  const out: EModeCategorySummary[] = [];
  for (let id = 1; id <= MAX_EMODE_ID; id++) {
    const d = await pool.getEModeCategoryData(id);
    if (d.liquidationThreshold === 0n) continue;
    const collateral: string[] = [];
    const borrowable: string[] = [];
    if (legacy) {
      for (const t of tokens)
        if ((await dp.getReserveEModeCategory(t.address)) === BigInt(id))
          [collateral, borrowable].forEach((l) => l.push(t.symbol));
    } else {
      const [c, b] = [
        (await bitmaps.getEModeCategoryCollateralBitmap(id)) as bigint,
        (await bitmaps.getEModeCategoryBorrowableBitmap(id)) as bigint,
      ];
      for (const t of tokens) {
        const r = await pool.getReserveData(t.address);
        if (r.aTokenAddress === ZeroAddress) continue; // not a reserve
        if ((c >> r.id) & 1n) collateral.push(t.symbol);
        if ((b >> r.id) & 1n) borrowable.push(t.symbol);
      }
    }
    out.push({
      id,
      label: d.label,
      ltvBps: BigInt(d.ltv),
      liquidationThresholdBps: BigInt(d.liquidationThreshold),
      liquidationBonusBps: BigInt(d.liquidationBonus),
      collateral,
      borrowable,
    });
  }
  return out;
}
