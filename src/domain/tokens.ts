/** The tokens loopstress knows by symbol, on every chain profile. */
export type TokenSymbol = "USDe" | "sUSDe" | "USDC" | "USDT" | "DAI" | "WETH";
export const TOKEN_SYMBOLS: readonly TokenSymbol[] = ["USDe", "sUSDe", "USDC", "USDT", "DAI", "WETH"];

/** What a loop may hold as collateral: USDe as is, or deposited into sUSDe. */
export const LOOP_COLLATERALS: readonly TokenSymbol[] = ["USDe", "sUSDe"];
