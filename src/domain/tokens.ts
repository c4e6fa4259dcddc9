/** The tokens loopstress knows by symbol, on every chain profile. */
export type TokenSymbol = "USDe" | "sUSDe" | "USDC" | "USDT" | "DAI" | "WETH" | "USDS";
export const TOKEN_SYMBOLS: readonly TokenSymbol[] = ["USDe", "sUSDe", "USDC", "USDT", "DAI", "WETH", "USDS"];

/** Each token's decimals, as on mainnet (the embedded chain's stand-ins use the same). */
export const TOKEN_DECIMALS: Readonly<Record<TokenSymbol, number>> = {
  USDe: 18,
  sUSDe: 18,
  USDC: 6,
  USDT: 6,
  DAI: 18,
  WETH: 18,
  USDS: 18,
};

/** The decimals of a token named in a report (a symbol string); unknown symbols are an error, not a guess. */
export function decimalsOfSymbol(symbol: string): number {
  const d = TOKEN_DECIMALS[symbol as TokenSymbol];
  if (d === undefined) throw new Error(`unknown token symbol "${symbol}"`);
  return d;
}

/** What a loop may hold as collateral: USDe as is, or deposited into sUSDe. */
export const LOOP_COLLATERALS: readonly TokenSymbol[] = ["USDe", "sUSDe"];
