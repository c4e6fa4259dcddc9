/**
 * Feed manipulation, one job per function, the same calls on every chain profile: read a feed, move a feed.
 * (How each protocol applies an oracle policy is its adapter's job: src/protocols/.) Everything that changes state
 * refuses to run on a non-development node.
 */
import { AggregatorV3Interface__factory, SettableAggregator__factory } from "../../typechain-types";
import type { ChainContext } from "../chain/context";
import { assertLocalDevNode } from "../chain/safety";
import { sendTx } from "../chain/tx";
import { InputError } from "../errors";
import { overrideFeedAt } from "./overrides";
import { sameAddress } from "../domain/address";
import { bindContract } from "../chain/bind";

export function feedAddress(ctx: ChainContext, feed: string, field = "feed"): string {
  const a = ctx.record.feeds[feed];
  if (!a)
    throw new InputError(field, `unknown feed "${feed}"`, `use one of ${Object.keys(ctx.record.feeds).join(", ")}`);
  return a;
}

/** A feed's latest answer (raw, in its own decimals — 8 for USD feeds). */
export async function getFeedPrice(ctx: ChainContext, feed: string): Promise<bigint> {
  const [, answer] = await bindContract(
    AggregatorV3Interface__factory,
    feedAddress(ctx, feed),
    ctx.provider,
  ).latestRoundData();
  return answer;
}

/** Each chain's feed decimals, by address: fixed at deployment (an override keeps the feed's own, overrides.ts). */
const decimalsByChain = new WeakMap<ChainContext, Map<string, bigint>>();

/** A feed's decimals (8 for USD feeds), read once per chain context: every USD valuation asks for them. */
export async function getFeedDecimals(ctx: ChainContext, feed: string): Promise<bigint> {
  const address = feedAddress(ctx, feed);
  let known = decimalsByChain.get(ctx);
  if (!known) {
    known = new Map();
    decimalsByChain.set(ctx, known);
  }
  let decimals = known.get(address);
  if (decimals === undefined) {
    decimals = await bindContract(AggregatorV3Interface__factory, address, ctx.provider).decimals();
    known.set(address, decimals);
  }
  return decimals;
}

/**
 * Sets a feed's answer. Feeds of ours (owned by the context's admin) take a transaction; any other feed — a real
 * Chainlink feed on a fork — keeps its address and gets our override code there (src/oracles/overrides.ts).
 * Prices <= 0 are refused: protocols fall back or revert on them.
 */
export async function setFeedPrice(ctx: ChainContext, feed: string, priceE8: bigint): Promise<void> {
  if (priceE8 <= 0n)
    throw new InputError(
      "price",
      `${feed} price must be > 0, got ${priceE8}`,
      "protocols fall back or revert on prices <= 0",
    );
  await assertLocalDevNode(ctx.provider);
  const address = feedAddress(ctx, feed);
  const agg = bindContract(SettableAggregator__factory, address, ctx.admin);
  const owner = await agg.owner().catch(() => undefined);
  if (owner === undefined || !sameAddress(owner, await ctx.admin.getAddress())) {
    await overrideFeedAt(ctx, address, priceE8, Number(await getFeedDecimals(ctx, feed)));
    return;
  }
  await sendTx(ctx.provider, `set ${feed} to ${priceE8}`, () => agg.setAnswer(priceE8));
}
