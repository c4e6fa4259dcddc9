/**
 * Uniswap V3 through its real periphery (SwapRouter, QuoterV2) on the pools recorded in the chain profile.
 * A pair without a pool of its own is routed through USDe (e.g. sUSDe → USDe → USDC), as bots do.
 */
import { Signer, concat, toBeHex, zeroPadValue, MaxUint256 } from "ethers";
import {
  IERC20Metadata__factory,
  NonfungiblePositionManager__factory,
  QuoterV2__factory,
  SwapRouter__factory,
  UniswapV3Pool__factory,
} from "../../typechain-types";
import { WAD } from "../constants";
import type { ChainContext } from "../chain/context";
import { tokenAddress, tokenDecimals } from "../chain/context";
import type { UniswapPoolRecord } from "../chain/deployments";
import { RevertError, decodeRevert } from "../chain/errors";
import { sendTx } from "../chain/tx";
import type { TokenSymbol } from "../domain/tokens";
import { InputError } from "../errors";
import { rawPriceWadFromSqrtX96, sqrtPriceX96FromRatio } from "../math/uniswap-v3";
import { ensureAllowance } from "../chain/erc20";
import { SALE_VENUE } from "./dex";
import type { Dex, SaleRoute, SwapResult } from "./dex";
import { sameAddress } from "../domain/address";
import { bindContract } from "../chain/bind";

/** The venue's name in scenario files and reports (venue.ts's UNISWAP_V3_VENUE). */
export const UNISWAP_V3_VENUE_NAME = "uniswap-v3";

/** The hub token for two-hop routes. */
export const UNISWAP_HUB: TokenSymbol = "USDe";
const HUB = UNISWAP_HUB;

export interface Hop {
  tokenIn: TokenSymbol;
  tokenOut: TokenSymbol;
  pool: UniswapPoolRecord;
}

export class UniswapV3Dex implements Dex {
  readonly name = UNISWAP_V3_VENUE_NAME;
  readonly spender: string;

  constructor(private readonly ctx: ChainContext) {
    this.spender = ctx.record.uniswap.swapRouter;
  }

  poolFor(a: TokenSymbol, b: TokenSymbol): string | undefined {
    return this.poolRecord(a, b)?.address;
  }

  private poolRecord(a: TokenSymbol, b: TokenSymbol): UniswapPoolRecord | undefined {
    const ta = this.ctx.record.tokens[a]?.address;
    const tb = this.ctx.record.tokens[b]?.address;
    if (!ta || !tb) return undefined;
    // The deepest-fee-tier order of the record is kept: first match wins.
    return Object.values(this.ctx.record.uniswap.pools).find(
      (p) =>
        (sameAddress(p.token0, ta) && sameAddress(p.token1, tb)) ||
        (sameAddress(p.token0, tb) && sameAddress(p.token1, ta)),
    );
  }

  /** The hops a swap takes: direct when a pool exists, else through USDe. */
  route(tokenIn: TokenSymbol, tokenOut: TokenSymbol): Hop[] {
    if (tokenIn === tokenOut) throw new InputError("swap", `tokenIn and tokenOut are both ${tokenIn}`);
    const direct = this.poolRecord(tokenIn, tokenOut);
    if (direct) return [{ tokenIn, tokenOut, pool: direct }];
    const first = tokenIn !== HUB ? this.poolRecord(tokenIn, HUB) : undefined;
    const second = tokenOut !== HUB ? this.poolRecord(HUB, tokenOut) : undefined;
    if (first && second)
      return [
        { tokenIn, tokenOut: HUB, pool: first },
        { tokenIn: HUB, tokenOut, pool: second },
      ];
    throw new InputError(
      "swap",
      `no Uniswap V3 pool or ${HUB} route for ${tokenIn} → ${tokenOut} in chain profile "${this.ctx.record.profile}"`,
    );
  }

  /** Whether a swap between the two tokens has a pool (direct or through USDe). */
  hasRoute(tokenIn: TokenSymbol, tokenOut: TokenSymbol): boolean {
    try {
      this.route(tokenIn, tokenOut);
      return true;
    } catch {
      return false;
    }
  }

  /** The Uniswap V3 path behind the venue byte. */
  saleRoute(tokenIn: TokenSymbol, tokenOut: TokenSymbol): Promise<SaleRoute> {
    return Promise.resolve({
      route: concat([SALE_VENUE.uniswapV3, this.path(tokenIn, tokenOut)]),
      venue: this.venueOf(tokenIn, tokenOut),
    });
  }

  /** The one route its quote takes (the quoter's path behind the venue byte). */
  lensRoutes(tokenIn: TokenSymbol, tokenOut: TokenSymbol): readonly string[] | undefined {
    return this.hasRoute(tokenIn, tokenOut)
      ? [concat([SALE_VENUE.uniswapV3, this.path(tokenIn, tokenOut)])]
      : undefined;
  }

  /** "uniswap-v3:<pool key>", hops joined by ">" (e.g. "uniswap-v3:sUSDe/USDe-0.01%>USDe/USDC-0.01%"). */
  venueOf(tokenIn: TokenSymbol, tokenOut: TokenSymbol): string {
    const pools = Object.entries(this.ctx.record.uniswap.pools);
    const keyOf = (h: Hop) => pools.find(([, p]) => sameAddress(p.address, h.pool.address))?.[0] ?? h.pool.address;
    return `${UNISWAP_V3_VENUE_NAME}:${this.route(tokenIn, tokenOut).map(keyOf).join(">")}`;
  }

  /** Uniswap V3 path bytes: token ‖ fee (uint24) ‖ token … (used by our flash-loan contracts too). */
  path(tokenIn: TokenSymbol, tokenOut: TokenSymbol): string {
    const hops = this.route(tokenIn, tokenOut);
    const parts: string[] = [tokenAddress(this.ctx, hops[0].tokenIn)];
    for (const h of hops) parts.push(zeroPadValue(toBeHex(h.pool.fee), 3), tokenAddress(this.ctx, h.tokenOut));
    return concat(parts);
  }

  /** Whole `quote` per whole `base` in one pool, WAD, from slot0 (no fee). */
  private async hopPrice(h: Hop): Promise<bigint> {
    const slot0 = await bindContract(UniswapV3Pool__factory, h.pool.address, this.ctx.provider).slot0();
    const raw1per0 = rawPriceWadFromSqrtX96(slot0.sqrtPriceX96);
    const inIs0 = sameAddress(tokenAddress(this.ctx, h.tokenIn), h.pool.token0);
    const decIn = BigInt(tokenDecimals(this.ctx, h.tokenIn));
    const decOut = BigInt(tokenDecimals(this.ctx, h.tokenOut));
    if (inIs0) return (raw1per0 * 10n ** decIn) / 10n ** decOut;
    if (raw1per0 === 0n) return 0n;
    return (WAD * WAD * 10n ** decIn) / (raw1per0 * 10n ** decOut);
  }

  async price(base: TokenSymbol, quote: TokenSymbol): Promise<bigint> {
    let p = WAD;
    for (const h of this.route(base, quote)) p = (p * (await this.hopPrice(h))) / WAD;
    return p;
  }

  async quoteExactIn(tokenIn: TokenSymbol, tokenOut: TokenSymbol, amountInRaw: bigint): Promise<bigint> {
    const quoter = bindContract(QuoterV2__factory, this.ctx.record.uniswap.quoter, this.ctx.provider);
    try {
      const [amountOut] = await quoter.quoteExactInput.staticCall(this.path(tokenIn, tokenOut), amountInRaw);
      return amountOut;
    } catch (err) {
      // QuoterV2 reports any failed swap simulation as "Unexpected error"; the usual cause is a sale larger than the pool.
      throw new RevertError(
        `quote ${amountInRaw} ${tokenIn} → ${tokenOut} on Uniswap V3`,
        `${decodeRevert(err)} — the pool cannot fill this amount (liquidity exhausted)`,
      );
    }
  }

  async swapExactIn(
    user: Signer,
    tokenIn: TokenSymbol,
    tokenOut: TokenSymbol,
    amountInRaw: bigint,
    minOutRaw = 0n,
  ): Promise<SwapResult> {
    if (amountInRaw <= 0n) throw new InputError("swap.amountIn", "must be > 0");
    const recipient = await user.getAddress();
    const path = this.path(tokenIn, tokenOut);
    await ensureAllowance(this.ctx, user, tokenIn, this.spender, amountInRaw);
    const out = bindContract(IERC20Metadata__factory, tokenAddress(this.ctx, tokenOut), this.ctx.provider);
    const before = await out.balanceOf(recipient);
    const priceBeforeWad = await this.price(tokenIn, tokenOut);
    const router = bindContract(SwapRouter__factory, this.spender, user);
    const receipt = await sendTx(this.ctx.provider, `swap ${tokenIn} → ${tokenOut} on Uniswap V3`, () =>
      router.exactInput({ path, recipient, deadline: MaxUint256, amountIn: amountInRaw, amountOutMinimum: minOutRaw }),
    ).catch((err: unknown) => {
      // A sale larger than the pool's liquidity walks empty ticks until it runs out of gas, with no reason.
      if (err instanceof RevertError && /without (a reason|data)/.test(err.reason)) {
        throw new RevertError(
          err.action,
          `${err.reason} — the sale of ${amountInRaw} ${tokenIn} may exceed the pool's liquidity`,
        );
      }
      throw err;
    });
    const amountOutRaw = (await out.balanceOf(recipient)) - before;
    return {
      tokenIn,
      tokenOut,
      amountInRaw,
      amountOutRaw,
      priceBeforeWad,
      priceAfterWad: await this.price(tokenIn, tokenOut),
      pool: this.route(tokenIn, tokenOut)
        .map((h) => h.pool.address)
        .join(">"),
      venue: this.venueOf(tokenIn, tokenOut),
      receipt,
    };
  }

  /**
   * Price impact of selling `amountInRaw` now, bps: 1 - (quoted output / output at the current spot price).
   * Includes the pool fee. Read-only (QuoterV2 static call). 10000 (100%) when the pool cannot fill the sale.
   */
  async priceImpactBps(tokenIn: TokenSymbol, tokenOut: TokenSymbol, amountInRaw: bigint): Promise<bigint> {
    const spot = await this.price(tokenIn, tokenOut);
    const atSpot =
      (amountInRaw * spot * 10n ** BigInt(tokenDecimals(this.ctx, tokenOut))) /
      (WAD * 10n ** BigInt(tokenDecimals(this.ctx, tokenIn)));
    const out = await this.quoteExactIn(tokenIn, tokenOut, amountInRaw).catch((err: unknown) => {
      if (err instanceof RevertError) return 0n;
      throw err;
    });
    return atSpot === 0n ? 0n : ((atSpot - out) * 10_000n) / atSpot;
  }

  /**
   * A liquidity provider pulls `shareBps` of every position it holds in the pool of a pair (decreaseLiquidity +
   * collect on the real NonfungiblePositionManager). Returns the tokens it took out, raw.
   */
  async withdrawLiquidity(
    owner: Signer,
    a: TokenSymbol,
    b: TokenSymbol,
    shareBps: bigint,
  ): Promise<{ positions: number; amountARaw: bigint; amountBRaw: bigint }> {
    if (shareBps <= 0n || shareBps > 10_000n)
      throw new InputError("share", `must be in (0, 1], got ${Number(shareBps) / 10_000}`);
    const pool = this.poolRecord(a, b);
    if (!pool) throw new InputError("pool", `no Uniswap V3 pool for ${a}/${b}`);
    const npm = bindContract(NonfungiblePositionManager__factory, this.ctx.record.uniswap.positionManager, owner);
    const me = await owner.getAddress();
    const balances = async () =>
      Promise.all(
        [a, b].map((s) =>
          bindContract(IERC20Metadata__factory, tokenAddress(this.ctx, s), this.ctx.provider).balanceOf(me),
        ),
      );
    const [beforeA, beforeB] = await balances();
    let positions = 0;
    const count = await npm.balanceOf(me);
    for (let i = 0n; i < count; i++) {
      const id = await npm.tokenOfOwnerByIndex(me, i);
      const p = await npm.positions(id);
      if (!sameAddress(p.token0, pool.token0) || !sameAddress(p.token1, pool.token1) || Number(p.fee) !== pool.fee)
        continue;
      const liquidity = (p.liquidity * shareBps) / 10_000n;
      if (liquidity === 0n) continue;
      await sendTx(this.ctx.provider, `decreaseLiquidity #${id}`, () =>
        npm.decreaseLiquidity({ tokenId: id, liquidity, amount0Min: 0n, amount1Min: 0n, deadline: MaxUint256 }),
      );
      await sendTx(this.ctx.provider, `collect #${id}`, () =>
        npm.collect({ tokenId: id, recipient: me, amount0Max: 2n ** 128n - 1n, amount1Max: 2n ** 128n - 1n }),
      );
      positions++;
    }
    const [afterA, afterB] = await balances();
    return { positions, amountARaw: afterA - beforeA, amountBRaw: afterB - beforeB };
  }

  /** Token balances of a pair's pool (what a sale into it can still take out), raw. */
  async poolBalances(a: TokenSymbol, b: TokenSymbol): Promise<{ aRaw: bigint; bRaw: bigint }> {
    const pool = this.poolRecord(a, b);
    if (!pool) throw new InputError("pool", `no Uniswap V3 pool for ${a}/${b}`);
    const [aRaw, bRaw] = await Promise.all(
      [a, b].map((s) =>
        bindContract(IERC20Metadata__factory, tokenAddress(this.ctx, s), this.ctx.provider).balanceOf(pool.address),
      ),
    );
    return { aRaw, bRaw };
  }

  /**
   * Arbitrage a pool to a target price: `trader` sells whichever token is rich until the pool's price of `base` in
   * `quote` reaches `targetWad` (exactInputSingle with a sqrt-price limit pays only what the move takes). Used as
   * Ethena's mint/redeem arbitrage that holds USDe at its peg in calm markets. Returns the amount sold, raw.
   */
  async moveToPrice(
    trader: Signer,
    base: TokenSymbol,
    quote: TokenSymbol,
    targetWad: bigint,
    budgetRaw: bigint,
  ): Promise<{ sold: TokenSymbol; amountRaw: bigint }> {
    const pool = this.poolRecord(base, quote);
    if (!pool) throw new InputError("pool", `no Uniswap V3 pool for ${base}/${quote}`);
    const now = await this.price(base, quote);
    if (now === targetWad) return { sold: base, amountRaw: 0n };
    const baseIs0 = sameAddress(tokenAddress(this.ctx, base), pool.token0);
    const decBase = 10n ** BigInt(tokenDecimals(this.ctx, base));
    const decQuote = 10n ** BigInt(tokenDecimals(this.ctx, quote));
    // raw token1 per raw token0 at the target, as a fraction
    const [num, den] = baseIs0 ? [targetWad * decQuote, WAD * decBase] : [WAD * decBase, targetWad * decQuote];
    const limit = sqrtPriceX96FromRatio(num, den);
    const sell: TokenSymbol = now > targetWad ? base : quote;
    const buy: TokenSymbol = sell === base ? quote : base;
    const me = await trader.getAddress();
    await ensureAllowance(this.ctx, trader, sell, this.spender, budgetRaw);
    const token = bindContract(IERC20Metadata__factory, tokenAddress(this.ctx, sell), this.ctx.provider);
    const before = await token.balanceOf(me);
    const router = bindContract(SwapRouter__factory, this.spender, trader);
    await sendTx(this.ctx.provider, `arbitrage ${base}/${quote} to ${targetWad}`, () =>
      router.exactInputSingle({
        tokenIn: tokenAddress(this.ctx, sell),
        tokenOut: tokenAddress(this.ctx, buy),
        fee: pool.fee,
        recipient: me,
        deadline: MaxUint256,
        amountIn: budgetRaw,
        amountOutMinimum: 0n,
        sqrtPriceLimitX96: limit,
      }),
    );
    return { sold: sell, amountRaw: before - (await token.balanceOf(me)) };
  }
}
