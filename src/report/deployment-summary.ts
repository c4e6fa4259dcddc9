/** Summary of a deployed chain profile, read back from the contracts themselves (not from our parameters). */
import type { Provider } from "ethers";
import { IERC20Metadata__factory, IERC4626__factory, Morpho__factory, UniswapV3Pool__factory } from "../../typechain-types";
import type { DeploymentRecord } from "../chain/deployments";
import { ORACLE_PRICE_SCALE, WAD } from "../constants";
import { rawPriceWadFromSqrtX96 } from "../math/uniswap-v3";
import { fmtBps, fmtUnits, fmtWadPct, table } from "./format";
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
    tokenRows.push([t.symbol, t.address, String(await c.decimals()), fmtUnits(await c.totalSupply(), t.decimals, 0), extra]);
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
    const eMode = await dp.getReserveEModeCategory(asset.address);
    const supplied = await IERC20Metadata__factory.connect(r.aToken, provider).totalSupply();
    const price = await oracle.getAssetPrice(asset.address);
    const source = await oracle.getSourceOfAsset(asset.address);
    const sourceName = Object.entries(record.feeds).find(([, a]) => a.toLowerCase() === source.toLowerCase())?.[0] ?? source;
    aaveRows.push([
      s, fmtBps(cfg.ltv), fmtBps(cfg.liquidationThreshold), fmtBps(cfg.liquidationBonus - 10_000n), fmtBps(cfg.reserveFactor),
      cfg.borrowingEnabled ? "yes" : "no", String(eMode), caps.supplyCap === 0n ? "-" : caps.supplyCap.toLocaleString("en-US"),
      fmtUnits(supplied, asset.decimals, 0), `$${fmtUnits(price, 8, 4)} (${sourceName})`,
    ]);
  }
  out.push(`## Aave V3 (Pool ${record.aave.pool}, revision of npm @aave/core-v3)`,
    table(["reserve", "LTV", "liq. threshold", "liq. bonus", "reserve factor", "borrowable", "E-mode", "supply cap", "supplied", "oracle price (source)"], aaveRows), "");
  const eIds = new Set<bigint>();
  for (const t of Object.values(record.tokens)) if (t) eIds.add(await dp.getReserveEModeCategory(t.address).catch(() => 0n));
  const eRows: string[][] = [];
  for (const e of [...eIds].filter((x) => x > 0n)) {
    const d = await pool.getEModeCategoryData(e);
    const members = [];
    for (const t of Object.values(record.tokens)) if (t && (await dp.getReserveEModeCategory(t.address).catch(() => 0n)) === e) members.push(t.symbol);
    eRows.push([String(e), d.label, fmtBps(d.ltv), fmtBps(d.liquidationThreshold), fmtBps(BigInt(d.liquidationBonus) - 10_000n), members.join(", ")]);
  }
  out.push("### E-mode categories", table(["id", "label", "LTV", "liq. threshold", "liq. bonus", "assets"], eRows), "");

  const morpho = Morpho__factory.connect(record.morpho.morpho, provider);
  const mRows: string[][] = [];
  for (const [key, m] of Object.entries(record.morpho.markets)) {
    const mk = await morpho.market(m.id);
    const loan = dec.get(m.loanToken.toLowerCase())!;
    const coll = dec.get(m.collateralToken.toLowerCase())!;
    const p = await (await import("../../typechain-types")).IOracle__factory.connect(m.oracle, provider).price();
    // Oracle price → loan tokens per whole collateral token.
    const perUnit = (p * 10n ** BigInt(coll.decimals)) / ORACLE_PRICE_SCALE;
    mRows.push([key, m.id.slice(0, 10) + "…", fmtWadPct(BigInt(m.lltv)), fmtUnits(mk.totalSupplyAssets, loan.decimals, 0), fmtUnits(mk.totalBorrowAssets, loan.decimals, 0), `${fmtUnits(perUnit, loan.decimals, 6)} ${loan.symbol}/${coll.symbol}`]);
  }
  out.push(`## Morpho Blue (${record.morpho.morpho})`, table(["market", "id", "LLTV", "supplied", "borrowed", "oracle price"], mRows), "");

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
    uRows.push([key, pr.address, `${fmtUnits(price1per0, 18, 6)} ${t1.symbol}/${t0.symbol}`, String(slot0.tick), `${fmtUnits(b0, t0.decimals, 0)} ${t0.symbol} + ${fmtUnits(b1, t1.decimals, 0)} ${t1.symbol}`]);
  }
  out.push(`## Uniswap V3 (factory ${record.uniswap.factory})`, table(["pool", "address", "price", "tick", "reserves"], uRows), "");
  return out.join("\n");
}
