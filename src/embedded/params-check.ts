/**
 * Keeps the embedded chain's parameters honest: reads, from a chain (a fork at a pinned block), every parameter
 * the embedded chain is deployed with — Aave reserves, E-mode categories, interest-rate parameters, oracle sources,
 * Morpho markets — and sets it beside the embedded value. Read-only: it sends no transaction.
 *
 * Tokens are matched by symbol through the chain profile. Addresses mean nothing across chains, so an oracle source
 * or a Morpho oracle is compared by what it reads (the feed names of the profile); what cannot be named that way is
 * listed as not comparable, never as a difference.
 */
import { Contract, ZeroAddress } from "ethers";
import { FeedMorphoOracle__factory, FixedRateIrm__factory, Morpho__factory } from "../../typechain-types";
import { DefaultReserveInterestRateStrategy__factory } from "../../typechain-types/factories/node_modules/@aave/core-v3/artifacts/contracts/protocol/pool/DefaultReserveInterestRateStrategy__factory";
import { RAY } from "../constants";
import type { ChainContext } from "../chain/context";
import { sameAddress } from "../domain/address";
import type { AaveRelease } from "../domain/aave-release";
import type { TokenSymbol } from "../domain/tokens";
import { morphoMarketId } from "../math/morpho-blue";
import { aaveSourcesFor, morphoOracleConfigFor, type MorphoOracleConfig } from "../oracles/policy";
import {
  AaveOracle__factory,
  AaveProtocolDataProvider__factory,
  OriginDefaultReserveInterestRateStrategyV2__factory,
  OriginPool__factory,
  Pool__factory,
} from "../protocols/aave-v3-types";
import type { AaveEModeParams, AaveReserveParams, EmbeddedParams, MorphoMarketParams } from "./params";

/** What a compared value is measured in (the value's name ends with it where it is a number). */
export const PARAM_UNITS = [
  "bps",
  "wad",
  "whole tokens",
  "bool",
  "text",
  "token set",
  "feed name",
  "oracle",
  "irm",
  "pool revision",
] as const;
export type ParamUnit = (typeof PARAM_UNITS)[number];

/** same / differs: compared; not-comparable: an address the profile cannot name (listed, never a difference). */
export const PARAM_STATUSES = ["same", "differs", "not-comparable"] as const;
export type ParamStatus = (typeof PARAM_STATUSES)[number];

export interface ParamRow {
  /** e.g. "aave.reserves.USDC.reserveFactorBps". */
  name: string;
  unit: ParamUnit;
  embedded: string;
  onChain: string;
  status: ParamStatus;
}

export interface ParamsCheck {
  profile: string;
  chainId: number;
  forkBlockNumber: number;
  /** The release the embedded parameters deploy, and the revision the chain's Pool reports. */
  embeddedAaveRelease: AaveRelease;
  poolRevision: number;
  rows: ParamRow[];
}

/** Shown where a value has no counterpart on the other side. */
const ABSENT = "absent";

/** Pool revision each embedded release deploys (src/domain/aave-release.ts). */
const RELEASE_REVISION: Record<AaveRelease, bigint> = { "v3.0": 1n, "origin-v3.6": 10n };
/** v3.1 (revision 4) replaced per-reserve rate strategies by DefaultReserveInterestRateStrategyV2. */
const FIRST_RATE_STRATEGY_V2_REVISION = 4n;
/** v3.2 (revision 5) replaced an asset's one E-mode category by per-category collateral/borrowable bitmaps. */
const FIRST_LIQUID_EMODE_REVISION = 5n;

/** Mainnet Morpho oracles (MorphoChainlinkOracleV2) and Aave price adapters: read only to name what they read. */
const CHAINLINK_ORACLE_V2_ABI = [
  "function BASE_VAULT() view returns (address)",
  "function BASE_FEED_1() view returns (address)",
  "function BASE_FEED_2() view returns (address)",
  "function QUOTE_VAULT() view returns (address)",
  "function QUOTE_FEED_1() view returns (address)",
  "function QUOTE_FEED_2() view returns (address)",
];
const PRICE_ADAPTER_ABI = [
  "function ASSET_TO_USD_AGGREGATOR() view returns (address)",
  "function underlyingFeed() view returns (address)",
];

function row(name: string, unit: ParamUnit, embedded: string, onChain: string): ParamRow {
  return { name, unit, embedded, onChain, status: embedded === onChain ? "same" : "differs" };
}

function notComparable(name: string, unit: ParamUnit, embedded: string, onChain: string): ParamRow {
  return { name, unit, embedded, onChain, status: "not-comparable" };
}

/** A token address as the profile names it, or the address itself. */
function symbolOf(ctx: ChainContext, address: string): string {
  for (const [s, t] of Object.entries(ctx.record.tokens)) if (t && sameAddress(t.address, address)) return s;
  return address;
}

/** A feed address as the profile names it (undefined: not a feed of the profile). */
function feedNameOf(ctx: ChainContext, address: string): string | undefined {
  return Object.entries(ctx.record.feeds).find(([, a]) => sameAddress(a, address))?.[0];
}

const setText = (items: string[]): string => (items.length === 0 ? "(none)" : [...items].sort().join(", "));

/** bps as a ray (exact), or the ray when it is no whole number of bps. */
function rayToBpsText(ray: bigint): string {
  const scale = RAY / 10_000n;
  return ray % scale === 0n ? String(ray / scale) : `${ray} ray`;
}

/** Reads every value `params` sets and compares it with the chain at `ctx` (a fork pinned at `forkBlockNumber`). */
export async function checkParams(
  ctx: ChainContext,
  params: EmbeddedParams,
  forkBlockNumber: number,
): Promise<ParamsCheck> {
  const pool = Pool__factory.connect(ctx.record.aave.pool, ctx.provider);
  const revision = await pool.POOL_REVISION();
  const rows: ParamRow[] = [
    row("aave.poolRevision", "pool revision", String(RELEASE_REVISION[params.aave.release]), String(revision)),
    row(
      "aave.flashLoanPremiumTotalBps",
      "bps",
      String(params.aave.flashLoanPremiumTotalBps),
      String(await pool.FLASHLOAN_PREMIUM_TOTAL()),
    ),
  ];
  const reserveIds = new Map<bigint, TokenSymbol>();
  for (const r of params.aave.reserves) rows.push(...(await reserveRows(ctx, params, r, revision, reserveIds)));
  rows.push(...(await unlistedReserveRows(ctx, params)));
  for (const e of params.aave.eModes) rows.push(...(await eModeRows(ctx, e, revision, reserveIds)));
  for (const m of params.morpho.markets) rows.push(...(await morphoRows(ctx, params, m)));
  rows.push(...(await extraMorphoRows(ctx, params)));
  return {
    profile: ctx.record.profile,
    chainId: ctx.record.chainId,
    forkBlockNumber,
    embeddedAaveRelease: params.aave.release,
    poolRevision: Number(revision),
    rows,
  };
}

/** One reserve: configuration, caps, rate parameters and oracle source; its reserve id is noted for the E-mode bitmaps. */
async function reserveRows(
  ctx: ChainContext,
  params: EmbeddedParams,
  r: AaveReserveParams,
  revision: bigint,
  reserveIds: Map<bigint, TokenSymbol>,
): Promise<ParamRow[]> {
  const at = `aave.reserves.${r.asset}`;
  const token = ctx.record.tokens[r.asset];
  if (!token) return [row(at, "text", "listed", "token not in the profile")];
  const pool = Pool__factory.connect(ctx.record.aave.pool, ctx.provider);
  const data = await pool.getReserveData(token.address);
  if (data.aTokenAddress === ZeroAddress) return [row(at, "text", "listed", "not listed")];
  reserveIds.set(data.id, r.asset);
  const dp = AaveProtocolDataProvider__factory.connect(ctx.record.aave.dataProvider, ctx.provider);
  const cfg = await dp.getReserveConfigurationData(token.address);
  const caps = await dp.getReserveCaps(token.address);
  const n = (v: bigint | number) => String(v);
  const rows = [
    row(`${at}.ltvBps`, "bps", n(r.ltvBps), n(cfg.ltv)),
    row(`${at}.liquidationThresholdBps`, "bps", n(r.liquidationThresholdBps), n(cfg.liquidationThreshold)),
    row(`${at}.liquidationBonusBps`, "bps", n(r.liquidationBonusBps), n(cfg.liquidationBonus)),
    row(`${at}.reserveFactorBps`, "bps", n(r.reserveFactorBps), n(cfg.reserveFactor)),
    row(
      `${at}.liquidationProtocolFeeBps`,
      "bps",
      n(r.liquidationProtocolFeeBps),
      n(await dp.getLiquidationProtocolFee(token.address)),
    ),
    row(`${at}.supplyCapTokens`, "whole tokens", n(r.supplyCap), n(caps.supplyCap)),
    row(`${at}.borrowCapTokens`, "whole tokens", n(r.borrowCap), n(caps.borrowCap)),
    row(`${at}.borrowingEnabled`, "bool", String(r.borrowingEnabled), String(cfg.borrowingEnabled)),
    row(
      `${at}.flashLoanEnabled`,
      "bool",
      String(r.flashLoanEnabled),
      String(await dp.getFlashLoanEnabled(token.address)),
    ),
  ];
  rows.push(...(await rateRows(ctx, r, token.address, data.interestRateStrategyAddress, revision)));
  rows.push(await oracleSourceRow(ctx, params, r.asset, token.address));
  return rows;
}

/**
 * Interest-rate parameters in bps. The origin line has one DefaultReserveInterestRateStrategyV2 for every reserve
 * (getInterestRateData, in ray); v3.0 has a strategy contract per reserve with one getter per value (ray).
 */
async function rateRows(
  ctx: ChainContext,
  r: AaveReserveParams,
  asset: string,
  strategy: string,
  revision: bigint,
): Promise<ParamRow[]> {
  const at = `aave.reserves.${r.asset}.rateStrategy`;
  let onChain: [bigint, bigint, bigint, bigint];
  if (revision >= FIRST_RATE_STRATEGY_V2_REVISION) {
    const d = await OriginDefaultReserveInterestRateStrategyV2__factory.connect(
      strategy,
      ctx.provider,
    ).getInterestRateData(asset);
    onChain = [d.optimalUsageRatio, d.baseVariableBorrowRate, d.variableRateSlope1, d.variableRateSlope2];
  } else {
    const s = DefaultReserveInterestRateStrategy__factory.connect(strategy, ctx.provider);
    onChain = [
      await s.OPTIMAL_USAGE_RATIO(),
      await s.getBaseVariableBorrowRate(),
      await s.getVariableRateSlope1(),
      await s.getVariableRateSlope2(),
    ];
  }
  const rs = r.rateStrategy;
  const embedded = [
    rs.optimalUsageRatioBps,
    rs.baseVariableBorrowRateBps,
    rs.variableRateSlope1Bps,
    rs.variableRateSlope2Bps,
  ];
  const names = ["optimalUsageRatioBps", "baseVariableBorrowRateBps", "variableRateSlope1Bps", "variableRateSlope2Bps"];
  return names.map((name, i) => row(`${at}.${name}`, "bps", String(embedded[i]), rayToBpsText(onChain[i])));
}

/** The AaveOracle source, by the feed name the profile gives it; the embedded one is the oracle policy's choice. */
async function oracleSourceRow(
  ctx: ChainContext,
  params: EmbeddedParams,
  asset: TokenSymbol,
  address: string,
): Promise<ParamRow> {
  const name = `aave.reserves.${asset}.oracleSource`;
  const source = await AaveOracle__factory.connect(ctx.record.aave.oracle, ctx.provider).getSourceOfAsset(address);
  let embedded: string;
  try {
    const policySource = aaveSourcesFor(params.aave.oraclePolicy, ctx.record.feeds)[asset];
    if (policySource === undefined) throw new Error(`no ${asset} feed in the profile`);
    embedded = feedNameOf(ctx, policySource) ?? policySource;
  } catch {
    // A profile without the policy's feed (e.g. a hand-written one): nothing to name the embedded source by.
    embedded = `policy ${params.aave.oraclePolicy}: feed not in the profile`;
    return notComparable(name, "feed name", embedded, await describeSource(ctx, source));
  }
  const onChain = feedNameOf(ctx, source);
  if (onChain !== undefined) return row(name, "feed name", embedded, onChain);
  return notComparable(name, "feed name", embedded, await describeSource(ctx, source));
}

/** A source the profile does not name: an adapter over a named feed where it says so, else its address. */
async function describeSource(ctx: ChainContext, source: string): Promise<string> {
  const adapter = new Contract(source, PRICE_ADAPTER_ABI, ctx.provider);
  for (const getter of ["ASSET_TO_USD_AGGREGATOR", "underlyingFeed"]) {
    const inner = (await adapter
      .getFunction(getter)()
      .catch(() => undefined)) as string | undefined;
    if (inner !== undefined) return `adapter ${source} over ${feedNameOf(ctx, inner) ?? inner}`;
  }
  return `contract ${source}`;
}

/** Reserves of the chain among the profile's tokens that the embedded chain does not list. */
async function unlistedReserveRows(ctx: ChainContext, params: EmbeddedParams): Promise<ParamRow[]> {
  const pool = Pool__factory.connect(ctx.record.aave.pool, ctx.provider);
  const listed = await pool.getReservesList();
  const rows: ParamRow[] = [];
  for (const [symbol, token] of Object.entries(ctx.record.tokens)) {
    if (!token || params.aave.reserves.some((r) => r.asset === symbol)) continue;
    if (listed.some((a) => sameAddress(a, token.address)))
      rows.push(row(`aave.reserves.${symbol}`, "text", "not listed", "listed"));
  }
  return rows;
}

/** One E-mode category: LTV, LT, bonus, label, and its asset sets as the chain's release defines them. */
async function eModeRows(
  ctx: ChainContext,
  e: AaveEModeParams,
  revision: bigint,
  reserveIds: Map<bigint, TokenSymbol>,
): Promise<ParamRow[]> {
  const at = `aave.eModes.${e.id}`;
  const common = (ltv: bigint, lt: bigint, bonus: bigint, label: string) => [
    row(`${at}.ltvBps`, "bps", String(e.ltvBps), String(ltv)),
    row(`${at}.liquidationThresholdBps`, "bps", String(e.liquidationThresholdBps), String(lt)),
    row(`${at}.liquidationBonusBps`, "bps", String(e.liquidationBonusBps), String(bonus)),
    row(`${at}.label`, "text", e.label, label),
  ];
  if (revision >= FIRST_LIQUID_EMODE_REVISION) {
    const pool = OriginPool__factory.connect(ctx.record.aave.pool, ctx.provider);
    const c = await pool.getEModeCategoryCollateralConfig(e.id);
    const label = await pool.getEModeCategoryLabel(e.id);
    // A bit of a reserve outside the profile's tokens is shown by its reserve id.
    const members = (bitmap: bigint): string[] => {
      const out: string[] = [];
      for (let id = 0n; bitmap >> id !== 0n; id++)
        if (((bitmap >> id) & 1n) === 1n) out.push(reserveIds.get(id) ?? `reserve #${id}`);
      return out;
    };
    const collateral = members(await pool.getEModeCategoryCollateralBitmap(e.id));
    const borrowable = members(await pool.getEModeCategoryBorrowableBitmap(e.id));
    return [
      ...common(c.ltv, c.liquidationThreshold, c.liquidationBonus, label),
      row(`${at}.collateral`, "token set", setText(e.collateral), setText(collateral)),
      row(`${at}.borrowable`, "token set", setText(e.borrowable), setText(borrowable)),
    ];
  }
  const pool = Pool__factory.connect(ctx.record.aave.pool, ctx.provider);
  const c = await pool.getEModeCategoryData(e.id);
  const dp = AaveProtocolDataProvider__factory.connect(ctx.record.aave.dataProvider, ctx.provider);
  const assets: string[] = [];
  for (const a of await pool.getReservesList())
    if ((await dp.getReserveEModeCategory(a)) === BigInt(e.id)) assets.push(symbolOf(ctx, a));
  return [
    ...common(BigInt(c.ltv), BigInt(c.liquidationThreshold), BigInt(c.liquidationBonus), c.label),
    row(`${at}.assets`, "token set", setText(e.assets), setText(assets)),
  ];
}

/** One Morpho market of the params, through the profile's record of it (its id). */
async function morphoRows(ctx: ChainContext, params: EmbeddedParams, m: MorphoMarketParams): Promise<ParamRow[]> {
  const at = `morpho.markets.${m.key}`;
  const rec = ctx.record.morpho.markets[m.key];
  if (!rec) return [row(at, "text", "created", "not in the profile")];
  const mp = await Morpho__factory.connect(ctx.record.morpho.morpho, ctx.provider).idToMarketParams(rec.id);
  if (mp.loanToken === ZeroAddress) return [row(at, "text", "created", "not created")];
  let embeddedOracle: Described;
  try {
    const config = morphoOracleConfigFor(
      params.morpho.oraclePolicy,
      m.collateral,
      m.loan,
      ctx.record.tokens,
      ctx.record.feeds,
    );
    embeddedOracle = describeOracleConfig(ctx, config);
  } catch {
    // A profile without the policy's feeds: the embedded oracle cannot be named on this chain.
    embeddedOracle = { text: `policy ${params.morpho.oraclePolicy}: feed not in the profile`, named: false };
  }
  const onChainOracle = await describeMorphoOracle(ctx, mp.oracle);
  const irmEmbedded = `FixedRateIrm ${params.morpho.borrowRatePerSecondWad} wad/s`;
  const irmOnChain = await describeIrm(ctx, mp.irm, rec.id);
  return [
    row(`${at}.loan`, "text", m.loan, symbolOf(ctx, mp.loanToken)),
    row(`${at}.collateral`, "text", m.collateral, symbolOf(ctx, mp.collateralToken)),
    row(`${at}.lltvWad`, "wad", String(m.lltvWad), String(mp.lltv)),
    onChainOracle.named && embeddedOracle.named
      ? row(`${at}.oracle`, "oracle", embeddedOracle.text, onChainOracle.text)
      : notComparable(`${at}.oracle`, "oracle", embeddedOracle.text, onChainOracle.text),
    irmOnChain.named
      ? row(`${at}.irm`, "irm", irmEmbedded, irmOnChain.text)
      : notComparable(`${at}.irm`, "irm", irmEmbedded, irmOnChain.text),
  ];
}

/** Markets the profile records that the params do not have (read from chain, checked against their id). */
async function extraMorphoRows(ctx: ChainContext, params: EmbeddedParams): Promise<ParamRow[]> {
  const morpho = Morpho__factory.connect(ctx.record.morpho.morpho, ctx.provider);
  const rows: ParamRow[] = [];
  for (const [key, rec] of Object.entries(ctx.record.morpho.markets)) {
    if (params.morpho.markets.some((m) => m.key === key)) continue;
    const mp = await morpho.idToMarketParams(rec.id);
    const created =
      mp.loanToken !== ZeroAddress && morphoMarketId(mp) === rec.id
        ? `created: ${symbolOf(ctx, mp.collateralToken)}/${symbolOf(ctx, mp.loanToken)}, LLTV ${mp.lltv} wad`
        : "not created";
    rows.push(row(`morpho.markets.${key}`, "text", ABSENT, created));
  }
  return rows;
}

interface Described {
  text: string;
  /** Every address in it is named by the profile, so the text can be compared. */
  named: boolean;
}

/** A FeedMorphoOracle-style price as "rate(vault) x (base) / (quote)", by the profile's names. */
function describeOracleConfig(ctx: ChainContext, c: MorphoOracleConfig): Described {
  return describeOracleParts(ctx, [c.baseVault], [c.baseFeed], [ZeroAddress], [c.quoteFeed]);
}

function describeOracleParts(
  ctx: ChainContext,
  baseVaults: string[],
  baseFeeds: string[],
  quoteVaults: string[],
  quoteFeeds: string[],
): Described {
  let named = true;
  const vault = (a: string) => {
    const s = symbolOf(ctx, a);
    if (s === a) named = false;
    return `rate(${s})`;
  };
  const feed = (a: string) => {
    const s = feedNameOf(ctx, a);
    if (s === undefined) named = false;
    return `(${s ?? a})`;
  };
  const side = (vaults: string[], feeds: string[]) => {
    const parts = [
      ...vaults.filter((a) => a !== ZeroAddress).map(vault),
      ...feeds.filter((a) => a !== ZeroAddress).map(feed),
    ];
    return parts.length === 0 ? "1" : parts.join(" x ");
  };
  const base = side(baseVaults, baseFeeds);
  const quote = side(quoteVaults, quoteFeeds);
  return { text: quote === "1" ? base : `${base} / ${quote}`, named };
}

/** Our FeedMorphoOracle (its config), mainnet's MorphoChainlinkOracleV2 (its vaults and feeds), else its address. */
async function describeMorphoOracle(ctx: ChainContext, oracle: string): Promise<Described> {
  const ours = await FeedMorphoOracle__factory.connect(oracle, ctx.provider)
    .config()
    .catch(() => undefined);
  if (ours) return describeOracleConfig(ctx, ours);
  const v2 = new Contract(oracle, CHAINLINK_ORACLE_V2_ABI, ctx.provider);
  const get = async (name: string) => (await v2.getFunction(name)()) as string;
  try {
    return describeOracleParts(
      ctx,
      [await get("BASE_VAULT")],
      [await get("BASE_FEED_1"), await get("BASE_FEED_2")],
      [await get("QUOTE_VAULT")],
      [await get("QUOTE_FEED_1"), await get("QUOTE_FEED_2")],
    );
  } catch {
    return { text: `contract ${oracle}`, named: false };
  }
}

/** Our FixedRateIrm by the rate it charges this market; any other IRM (mainnet's AdaptiveCurveIrm) by address. */
async function describeIrm(ctx: ChainContext, irm: string, marketId: string): Promise<Described> {
  const fixed = FixedRateIrm__factory.connect(irm, ctx.provider);
  try {
    const rate = (await fixed.hasOverride(marketId))
      ? await fixed.ratePerSecondOf(marketId)
      : await fixed.defaultRatePerSecond();
    return { text: `FixedRateIrm ${rate} wad/s`, named: true };
  } catch {
    return { text: `contract ${irm}`, named: false };
  }
}

/** Counts of a check: values compared (same or differing), differences, values listed as not comparable. */
export function paramsCheckCounts(c: ParamsCheck): {
  comparedCount: number;
  differenceCount: number;
  notComparableCount: number;
} {
  const count = (s: ParamStatus) => c.rows.filter((r) => r.status === s).length;
  return {
    comparedCount: count("same") + count("differs"),
    differenceCount: count("differs"),
    notComparableCount: count("not-comparable"),
  };
}
