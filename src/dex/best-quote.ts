/**
 * The best quote across venues, as an aggregator routes a sale: every quote and swap goes to the venue (a Uniswap V3
 * route or a Curve pool) that pays the most for that amount now. A swap from an account may be split in two when the
 * split pays strictly more; a flash sale (saleRoute) goes along one route, the best for the amount it names.
 */
import type { Signer } from "ethers";
import { WAD } from "../constants";
import type { ChainContext } from "../chain/context";
import { tokenDecimals } from "../chain/context";
import { RevertError } from "../chain/errors";
import type { TokenSymbol } from "../domain/tokens";
import { InputError } from "../errors";
import type { Dex, SaleRoute, SwapResult } from "./dex";
import { QuoteLens } from "./quote-lens";
import { CURVE_VENUE_PREFIX, UNISWAP_V3_VENUE, openDex } from "./venue";

/** Splits tried for a swap from an account: the share of the amount sent to the best venue, bps. */
const SPLIT_SHARES_BPS: readonly bigint[] = [2_500n, 5_000n, 7_500n];

/** A venue's quote for an amount; undefined when it cannot fill the sale. */
interface VenueQuote {
  dex: Dex;
  outRaw: bigint;
}

/** Every venue of a chain: Uniswap V3, then each Curve pool ("curve:<key>"), as scenario files name them. */
function chainVenues(ctx: ChainContext): string[] {
  return [UNISWAP_V3_VENUE, ...Object.keys(ctx.record.curve?.pools ?? {}).map((k) => CURVE_VENUE_PREFIX + k)];
}

/** The router over the named venues (default: every venue of the chain); a bad name is an InputError at `field`. */
export function openBestQuote(ctx: ChainContext, venues?: readonly string[], field = "dex.venues"): BestQuoteDex {
  const names = venues ?? chainVenues(ctx);
  if (names.length === 0) throw new InputError(field, "needs at least one venue", `use ${chainVenues(ctx).join(", ")}`);
  return new BestQuoteDex(
    ctx,
    names.map((v, i) => openDex(ctx, v, `${field}[${i}]`)),
    names,
  );
}

export class BestQuoteDex implements Dex {
  readonly name: string;
  /** Each venue pulls its own input: the router has no single spender (its swaps approve the venue they use). */
  readonly spender: string;

  constructor(
    private readonly ctx: ChainContext,
    readonly venues: readonly Dex[],
    /** The venues as scenario files name them (default: each DEX's name). */
    venueNames: readonly string[] = venues.map((v) => v.name),
  ) {
    this.name = `best quote of ${venueNames.join(", ")}`;
    this.spender = venues[0].spender;
  }

  private routed(tokenIn: TokenSymbol, tokenOut: TokenSymbol): Dex[] {
    return this.venues.filter((v) => v.hasRoute(tokenIn, tokenOut));
  }

  /** Quotes of every venue with a route, best first (ties keep the venues' order); venues that cannot fill are left out. */
  private async quotes(tokenIn: TokenSymbol, tokenOut: TokenSymbol, amountInRaw: bigint): Promise<VenueQuote[]> {
    const routed = this.routed(tokenIn, tokenOut);
    const each = await this.quoteEach(
      tokenIn,
      tokenOut,
      routed.map((dex) => ({ dex, amountInRaw })),
    );
    const out: VenueQuote[] = [];
    for (const [k, dex] of routed.entries()) {
      const outRaw = each[k];
      if (outRaw !== undefined) out.push({ dex, outRaw });
    }
    return out.sort((a, b) => (b.outRaw > a.outRaw ? 1 : b.outRaw < a.outRaw ? -1 : 0));
  }

  /**
   * Each venue's quote of its amount, undefined where it cannot fill it: read through the lens in one call when
   * there are several (src/dex/quote-lens.ts), each quote it leaves undecided asked of its venue as before.
   */
  private async quoteEach(
    tokenIn: TokenSymbol,
    tokenOut: TokenSymbol,
    asks: readonly { dex: Dex; amountInRaw: bigint }[],
  ): Promise<(bigint | undefined)[]> {
    const routes = asks.map((a) => a.dex.lensRoutes(tokenIn, tokenOut));
    const lens = asks.length > 1 && routes.every((r) => r?.length === 1) ? await QuoteLens.open(this.ctx) : undefined;
    const viaLens = lens
      ? await lens.quoteEach(
          routes.map((r) => r![0]),
          asks.map((a) => a.amountInRaw),
        )
      : [];
    const out: (bigint | undefined)[] = [];
    for (const [k, { dex, amountInRaw }] of asks.entries())
      out.push(
        viaLens[k] ??
          (await dex.quoteExactIn(tokenIn, tokenOut, amountInRaw).catch((err: unknown) => {
            if (err instanceof RevertError) return undefined;
            throw err;
          })),
      );
    return out;
  }

  /** The venue paying the most for the amount now; fails naming the sale when no venue can fill it. */
  private async best(tokenIn: TokenSymbol, tokenOut: TokenSymbol, amountInRaw: bigint): Promise<VenueQuote> {
    return (await this.ranked(tokenIn, tokenOut, amountInRaw))[0];
  }

  /** Every venue's quote, best first, of which there is at least one; fails as `best` does. */
  private async ranked(tokenIn: TokenSymbol, tokenOut: TokenSymbol, amountInRaw: bigint): Promise<VenueQuote[]> {
    const quotes = await this.quotes(tokenIn, tokenOut, amountInRaw);
    if (quotes.length > 0) return quotes;
    if (this.routed(tokenIn, tokenOut).length === 0)
      throw new InputError("swap", `no venue has a route for ${tokenIn} → ${tokenOut}`, `venues: ${this.name}`);
    throw new RevertError(`quote ${amountInRaw} ${tokenIn} → ${tokenOut}`, `no venue can fill it (${this.name})`);
  }

  poolFor(tokenA: TokenSymbol, tokenB: TokenSymbol): string | undefined {
    for (const v of this.venues) {
      const pool = v.poolFor(tokenA, tokenB);
      if (pool) return pool;
    }
    return undefined;
  }

  hasRoute(tokenIn: TokenSymbol, tokenOut: TokenSymbol): boolean {
    return this.routed(tokenIn, tokenOut).length > 0;
  }

  /** Every routed venue's routes, in the venues' order: the lens takes the largest quote, as `quoteExactIn` does. */
  lensRoutes(tokenIn: TokenSymbol, tokenOut: TokenSymbol): readonly string[] | undefined {
    const routed = this.routed(tokenIn, tokenOut);
    if (routed.length === 0) return undefined;
    const routes: string[] = [];
    for (const v of routed) {
      const r = v.lensRoutes(tokenIn, tokenOut);
      if (r === undefined) return undefined;
      routes.push(...r);
    }
    return routes;
  }

  /** The highest spot price among the venues with a route: what a seller of `base` gets at the margin. */
  async price(base: TokenSymbol, quote: TokenSymbol): Promise<bigint> {
    const routed = this.routed(base, quote);
    if (routed.length === 0)
      throw new InputError("price", `no venue has a route for ${base} → ${quote}`, `venues: ${this.name}`);
    let best = 0n;
    for (const v of routed) {
      const p = await v.price(base, quote);
      if (p > best) best = p;
    }
    return best;
  }

  async quoteExactIn(tokenIn: TokenSymbol, tokenOut: TokenSymbol, amountInRaw: bigint): Promise<bigint> {
    return (await this.best(tokenIn, tokenOut, amountInRaw)).outRaw;
  }

  /** Impact of the best venue's quote against the best spot price, bps (10000 when no venue can fill the sale). */
  async priceImpactBps(tokenIn: TokenSymbol, tokenOut: TokenSymbol, amountInRaw: bigint): Promise<bigint> {
    const spot = await this.price(tokenIn, tokenOut);
    const atSpot =
      (amountInRaw * spot * 10n ** BigInt(tokenDecimals(this.ctx, tokenOut))) /
      (WAD * 10n ** BigInt(tokenDecimals(this.ctx, tokenIn)));
    const [best] = await this.quotes(tokenIn, tokenOut, amountInRaw);
    const out = best?.outRaw ?? 0n;
    return atSpot === 0n ? 0n : ((atSpot - out) * 10_000n) / atSpot;
  }

  /** The best venue's route for `amountInRaw` (one whole token, the marginal price, when the amount is unknown). */
  async saleRoute(tokenIn: TokenSymbol, tokenOut: TokenSymbol, amountInRaw?: bigint): Promise<SaleRoute> {
    const amount = amountInRaw && amountInRaw > 0n ? amountInRaw : 10n ** BigInt(tokenDecimals(this.ctx, tokenIn));
    const routed = this.routed(tokenIn, tokenOut);
    if (routed.length === 0)
      throw new InputError("sale", `no venue has a route for ${tokenIn} → ${tokenOut}`, `venues: ${this.name}`);
    // A single venue needs no quote; when no venue can fill the amount, the first route still goes to the contract,
    // which reports what the sale fell short by.
    const [best] = routed.length === 1 ? [] : await this.quotes(tokenIn, tokenOut, amount);
    return (best?.dex ?? routed[0]).saleRoute(tokenIn, tokenOut, amount);
  }

  /**
   * Swaps on the best venue for the amount, or split between the two best when a split pays strictly more than the
   * best venue alone (quoted now on each venue: the two legs touch different pools, so the quotes hold). A split
   * returns one result: the amounts added up, the first leg's venue and prices, both pools and venues named.
   */
  async swapExactIn(
    user: Signer,
    tokenIn: TokenSymbol,
    tokenOut: TokenSymbol,
    amountInRaw: bigint,
    minOutRaw = 0n,
  ): Promise<SwapResult> {
    if (amountInRaw <= 0n) throw new InputError("swap.amountIn", "must be > 0");
    // Quoted once: the split search starts from the same quotes (nothing is sent in between).
    const quotes = await this.ranked(tokenIn, tokenOut, amountInRaw);
    const best = quotes[0];
    const split = await this.bestSplit(tokenIn, tokenOut, amountInRaw, quotes);
    if (!split) return best.dex.swapExactIn(user, tokenIn, tokenOut, amountInRaw, minOutRaw);
    const first = await split.a.swapExactIn(user, tokenIn, tokenOut, split.aInRaw, 0n);
    const second = await split.b.swapExactIn(user, tokenIn, tokenOut, amountInRaw - split.aInRaw, 0n);
    const amountOutRaw = first.amountOutRaw + second.amountOutRaw;
    if (amountOutRaw < minOutRaw)
      throw new RevertError(
        `swap ${tokenIn} → ${tokenOut} split over ${first.venue} and ${second.venue}`,
        `received ${amountOutRaw}, below minOutRaw ${minOutRaw}`,
      );
    return {
      ...first,
      amountInRaw,
      amountOutRaw,
      pool: `${first.pool}+${second.pool}`,
      venue: `${first.venue}+${second.venue}`,
      receipt: second.receipt,
    };
  }

  /** The split between the two best venues (`quotes`: every venue's quote for the whole amount, best first) that pays strictly more than the best alone, if any. */
  private async bestSplit(
    tokenIn: TokenSymbol,
    tokenOut: TokenSymbol,
    amountInRaw: bigint,
    quotes: VenueQuote[],
  ): Promise<{ a: Dex; b: Dex; aInRaw: bigint } | undefined> {
    const best = quotes[0];
    // The runner-up by quote, or a venue that cannot fill the whole amount but may fill a part.
    const second =
      quotes.find((q) => q.dex !== best.dex)?.dex ?? this.routed(tokenIn, tokenOut).find((v) => v !== best.dex);
    if (!second) return undefined;
    let found: { a: Dex; b: Dex; aInRaw: bigint } | undefined;
    let bestOut = best.outRaw;
    const shares = SPLIT_SHARES_BPS.map((shareBps) => (amountInRaw * shareBps) / 10_000n).filter(
      (aInRaw) => aInRaw !== 0n && aInRaw !== amountInRaw,
    );
    // Every leg of every split quoted at once: nothing is sent in between.
    const legs = await this.quoteEach(
      tokenIn,
      tokenOut,
      shares.flatMap((aInRaw) => [
        { dex: best.dex, amountInRaw: aInRaw },
        { dex: second, amountInRaw: amountInRaw - aInRaw },
      ]),
    );
    for (const [i, aInRaw] of shares.entries()) {
      const [outA, outB] = [legs[2 * i], legs[2 * i + 1]];
      if (outA === undefined || outB === undefined) continue;
      if (outA + outB > bestOut) {
        bestOut = outA + outB;
        found = { a: best.dex, b: second, aInRaw };
      }
    }
    return found;
  }
}
