/**
 * How a lending market prices USDe / sUSDe.
 * - pegged-to-USDT: USDe uses the USDT/USD feed; sUSDe = rate x USDT/USD (Aave mainnet's design).
 * - market: USDe follows the USDe/USD feed; sUSDe = rate x USDe/USD.
 * - exchange-rate: USDe fixed at 1; sUSDe = its ERC-4626 rate only (Morpho's common sUSDe oracles).
 * - fixed: USDe and sUSDe fixed (sUSDe at rate 1 x 1) — hard-coded 1:1 oracles.
 */
export type OraclePolicy = "pegged-to-USDT" | "market" | "exchange-rate" | "fixed";
export const ORACLE_POLICIES: readonly OraclePolicy[] = ["pegged-to-USDT", "market", "exchange-rate", "fixed"];

/** One oracle policy per lending protocol, keyed by the protocol's policy key: `{ aave: "market", morpho: "fixed" }`. */
export type PolicySet = Readonly<Record<string, OraclePolicy>>;

/** Does an oracle under `policy` read `feed` for USDe / sUSDe? (Then a position's HF moves with that feed.) */
export function policyReadsFeed(policy: OraclePolicy, feed: string): boolean {
  return policy === "market" && feed === "USDe/USD";
}
