/**
 * Oracle manipulation, one job per function, the same calls on every chain profile: move a feed, point a
 * protocol at another price source, apply an oracle policy. Everything refuses to run on a non-development node.
 */
import { AggregatorV3Interface__factory, FeedMorphoOracle__factory, SettableAggregator__factory } from "../../typechain-types";
import type { ChainContext } from "../chain/context";
import { tokenAddress, tokenSymbolOf } from "../chain/context";
import { assertLocalDevNode } from "../chain/safety";
import { sendTx } from "../chain/tx";
import type { OraclePolicy, TokenSymbol } from "../embedded/params";
import { InputError } from "../errors";
import { aaveSourcesFor, morphoOracleConfigFor } from "./policy";
import { overrideFeedAt, replaceMorphoOracle } from "./overrides";
import { AaveOracle__factory } from "../protocols/aave-v3-types";

/** The price-moving sources the policies choose between (USDe and sUSDe are what policies change). */
export const POLICY_ASSETS: readonly TokenSymbol[] = ["USDe", "sUSDe"];

export function feedAddress(ctx: ChainContext, feed: string, field = "feed"): string {
  const a = ctx.record.feeds[feed];
  if (!a) throw new InputError(field, `unknown feed "${feed}"`, `use one of ${Object.keys(ctx.record.feeds).join(", ")}`);
  return a;
}

/** A feed's latest answer (raw, in its own decimals — 8 for USD feeds). */
export async function getFeedPrice(ctx: ChainContext, feed: string): Promise<bigint> {
  const [, answer] = await AggregatorV3Interface__factory.connect(feedAddress(ctx, feed), ctx.provider).latestRoundData();
  return answer;
}

/**
 * Sets a feed's answer. Feeds of ours (owned by the context's admin) take a transaction; any other feed — a real
 * Chainlink feed on a fork — keeps its address and gets our override code there (src/oracles/overrides.ts).
 * Prices <= 0 are refused: protocols fall back or revert on them.
 */
export async function setFeedPrice(ctx: ChainContext, feed: string, priceE8: bigint): Promise<void> {
  if (priceE8 <= 0n) throw new InputError("price", `${feed} price must be > 0, got ${priceE8}`, "protocols fall back or revert on prices <= 0");
  await assertLocalDevNode(ctx.provider);
  const address = feedAddress(ctx, feed);
  const agg = SettableAggregator__factory.connect(address, ctx.admin);
  const owner = await agg.owner().catch(() => undefined);
  if (owner?.toLowerCase() !== (await ctx.admin.getAddress()).toLowerCase()) {
    const decimals = await AggregatorV3Interface__factory.connect(address, ctx.provider).decimals();
    await overrideFeedAt(ctx, address, priceE8, Number(decimals));
    return;
  }
  await sendTx(ctx.provider, `set ${feed} to ${priceE8}`, () => agg.setAnswer(priceE8));
}

/** AaveOracle.setAssetSources for one asset (as the ACL's asset-listing admin). */
export async function setAaveAssetSource(ctx: ChainContext, asset: TokenSymbol, source: string): Promise<void> {
  await assertLocalDevNode(ctx.provider);
  const oracle = AaveOracle__factory.connect(ctx.record.aave.oracle, ctx.admin);
  await sendTx(ctx.provider, `AaveOracle.setAssetSources(${asset})`, () => oracle.setAssetSources([tokenAddress(ctx, asset)], [source]));
}

/** Points Aave's USDe and sUSDe sources at the feeds the policy names; every other asset keeps its source. */
export async function applyAavePolicy(ctx: ChainContext, policy: OraclePolicy): Promise<void> {
  const sources = aaveSourcesFor(policy, ctx.record.feeds);
  const assets = POLICY_ASSETS.filter((a) => ctx.record.aave.reserves[a]);
  await assertLocalDevNode(ctx.provider);
  const oracle = AaveOracle__factory.connect(ctx.record.aave.oracle, ctx.admin);
  await sendTx(ctx.provider, `AaveOracle.setAssetSources (policy ${policy})`, () =>
    oracle.setAssetSources(assets.map((a) => tokenAddress(ctx, a)), assets.map((a) => sources[a])),
  );
}

/** Reconfigures a Morpho market's oracle (its address is fixed in the market's params) to the policy. */
export async function applyMorphoPolicy(ctx: ChainContext, marketKey: string, policy: OraclePolicy): Promise<void> {
  const m = ctx.record.morpho.markets[marketKey];
  if (!m) throw new InputError("market", `unknown Morpho market "${marketKey}"`, `use one of ${Object.keys(ctx.record.morpho.markets).join(", ")}`);
  const config = morphoOracleConfigFor(policy, tokenSymbolOf(ctx, m.collateralToken), tokenSymbolOf(ctx, m.loanToken), ctx.record.tokens, ctx.record.feeds);
  await assertLocalDevNode(ctx.provider);
  const oracle = FeedMorphoOracle__factory.connect(m.oracle, ctx.admin);
  const owner = await oracle.owner().catch(() => undefined);
  if (owner?.toLowerCase() !== (await ctx.admin.getAddress()).toLowerCase()) {
    // A market oracle that is not ours (a fork's real one): our configurable oracle takes over its address.
    await replaceMorphoOracle(ctx, m.oracle, tokenSymbolOf(ctx, m.collateralToken), tokenSymbolOf(ctx, m.loanToken));
  }
  await sendTx(ctx.provider, `Morpho oracle of ${marketKey}: configure (policy ${policy})`, () => oracle.configure(config));
}
