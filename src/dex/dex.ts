/**
 * One interface per DEX family: Uniswap V3 (uniswap-v3.ts) and Curve stable-swap pools (curve-stableswap.ts). Amounts are raw
 * token units; prices are "token B per whole token A", WAD, read from pool state.
 */
import type { ContractTransactionReceipt, Signer } from "ethers";
import type { TokenSymbol } from "../domain/tokens";

export interface SwapResult {
  tokenIn: TokenSymbol;
  tokenOut: TokenSymbol;
  amountInRaw: bigint;
  amountOutRaw: bigint;
  /** Pool price of tokenIn in tokenOut before and after, WAD (from the pool's state). */
  priceBeforeWad: bigint;
  priceAfterWad: bigint;
  pool: string;
  /** Where the sale went, e.g. "uniswap-v3:WETH/USDT-0.05%" or "curve:USDe/USDC/USDT/DAI". */
  venue: string;
  receipt: ContractTransactionReceipt;
}

/** What our contracts sell along (contracts/libraries/Swaps.sol), and the venue it names. */
export interface SaleRoute {
  /** A venue byte, then the venue's route. */
  route: string;
  venue: string;
}

/** Venue bytes of a sale route (contracts/libraries/Swaps.sol). */
export const SALE_VENUE = { uniswapV3: "0x00", curve: "0x01" } as const;

export interface Dex {
  readonly name: string;
  /** The address that pulls tokenIn (approve it), e.g. Uniswap's SwapRouter. */
  readonly spender: string;
  /** Pool used for a pair, or undefined if none. */
  poolFor(tokenA: TokenSymbol, tokenB: TokenSymbol): string | undefined;
  /** Price of whole `base` in `quote`, WAD, from the pool's current state (no fee). */
  price(base: TokenSymbol, quote: TokenSymbol): Promise<bigint>;
  /** Output of an exact-input swap if executed now (no state change). */
  quoteExactIn(tokenIn: TokenSymbol, tokenOut: TokenSymbol, amountInRaw: bigint): Promise<bigint>;
  /** 1 - (quoted output / output at the current price), bps, fee included (read-only). */
  priceImpactBps(tokenIn: TokenSymbol, tokenOut: TokenSymbol, amountInRaw: bigint): Promise<bigint>;
  /** Whether a sale of tokenIn for tokenOut has a pool (or a route through one) on this venue. */
  hasRoute(tokenIn: TokenSymbol, tokenOut: TokenSymbol): boolean;
  /**
   * The route our contracts sell along (contracts/libraries/Swaps.sol). `amountInRaw`, when known, lets a venue with
   * several pools pick the best for that amount.
   */
  saleRoute(tokenIn: TokenSymbol, tokenOut: TokenSymbol, amountInRaw?: bigint): Promise<SaleRoute>;
  /**
   * The sale routes whose largest quote is `quoteExactIn`'s answer for any amount, for our QuoteLens to quote in one
   * call (src/dex/quote-lens.ts); undefined when the venue has no route for the pair.
   */
  lensRoutes(tokenIn: TokenSymbol, tokenOut: TokenSymbol): readonly string[] | undefined;
  /** Executes an exact-input swap from `user` (approval included); reverts decoded if below minOutRaw. */
  swapExactIn(
    user: Signer,
    tokenIn: TokenSymbol,
    tokenOut: TokenSymbol,
    amountInRaw: bigint,
    minOutRaw?: bigint,
  ): Promise<SwapResult>;
}
