/**
 * Oracle policies: how each lending market prices USDe and sUSDe. A policy is a choice among feeds that are all
 * deployed (embedded) or overridden (fork): applying it is AaveOracle.setAssetSources for Aave and reconfiguring
 * the market oracle for Morpho — nothing else changes.
 */
import { ZeroAddress } from "ethers";
import type { TokenRecord } from "../chain/deployments";
import type { OraclePolicy } from "../domain/oracle-policy";
import type { TokenSymbol } from "../domain/tokens";

/** Names of the derived feeds in a deployment's `feeds` map. */
export const ORACLE_FEEDS = {
  fixedUsd: "FIXED/USD",
  susdeFixed: "sUSDe/USD fixed",
  susdeViaUsdt: "sUSDe/USD = rate x USDT/USD",
  susdeViaUsde: "sUSDe/USD = rate x USDe/USD",
  susdeRateOnly: "sUSDe/USD = rate x 1",
} as const;

/** Each stablecoin's own USD feed. */
export const OWN_FEED: Record<TokenSymbol, string> = {
  USDe: "USDe/USD",
  sUSDe: ORACLE_FEEDS.susdeViaUsde,
  USDC: "USDC/USD",
  USDT: "USDT/USD",
  DAI: "DAI/USD",
  WETH: "ETH/USD",
  USDS: "USDS/USD",
};

function need(feeds: Record<string, string>, name: string): string {
  const a = feeds[name];
  if (!a) throw new Error(`oracle policy: feed "${name}" is not deployed in this chain profile`);
  return a;
}

/**
 * AaveOracle source per asset under a policy (USDe and sUSDe vary; the others use their own feeds). USDS is there
 * only when its feed is deployed: deployment records written before the USDS reserve have neither.
 */
export function aaveSourcesFor(
  policy: OraclePolicy,
  feeds: Record<string, string>,
): Partial<Record<TokenSymbol, string>> {
  const usde = {
    "pegged-to-USDT": "USDT/USD",
    market: "USDe/USD",
    "exchange-rate": ORACLE_FEEDS.fixedUsd,
    fixed: ORACLE_FEEDS.fixedUsd,
  }[policy];
  const susde = {
    "pegged-to-USDT": ORACLE_FEEDS.susdeViaUsdt,
    market: ORACLE_FEEDS.susdeViaUsde,
    "exchange-rate": ORACLE_FEEDS.susdeRateOnly,
    fixed: ORACLE_FEEDS.susdeFixed,
  }[policy];
  return {
    USDe: need(feeds, usde),
    sUSDe: need(feeds, susde),
    USDC: need(feeds, OWN_FEED.USDC),
    USDT: need(feeds, OWN_FEED.USDT),
    DAI: need(feeds, OWN_FEED.DAI),
    WETH: need(feeds, OWN_FEED.WETH),
    ...(feeds[OWN_FEED.USDS] ? { USDS: feeds[OWN_FEED.USDS] } : {}),
  };
}

export interface MorphoOracleConfig {
  baseVault: string;
  baseVaultConversionSample: bigint;
  baseFeed: string;
  quoteFeed: string;
}

/** FeedMorphoOracle configuration for a market (collateral priced in loan token) under a policy. */
export function morphoOracleConfigFor(
  policy: OraclePolicy,
  collateral: TokenSymbol,
  loan: TokenSymbol,
  tokens: Partial<Record<TokenSymbol, TokenRecord>>,
  feeds: Record<string, string>,
): MorphoOracleConfig {
  const none = { baseVault: ZeroAddress, baseVaultConversionSample: 1n, baseFeed: ZeroAddress, quoteFeed: ZeroAddress };
  const quoteFeed = need(feeds, OWN_FEED[loan]);
  if (collateral === "sUSDe") {
    const vault = { baseVault: tokens.sUSDe!.address, baseVaultConversionSample: 10n ** 18n };
    switch (policy) {
      case "pegged-to-USDT":
        return { ...vault, baseFeed: need(feeds, "USDT/USD"), quoteFeed };
      case "market":
        return { ...vault, baseFeed: need(feeds, "USDe/USD"), quoteFeed };
      case "exchange-rate":
        return { ...none, ...vault };
      case "fixed":
        return {
          ...none,
          baseFeed: need(feeds, ORACLE_FEEDS.susdeFixed),
          quoteFeed: need(feeds, ORACLE_FEEDS.fixedUsd),
        };
    }
  }
  if (collateral === "USDe") {
    switch (policy) {
      case "pegged-to-USDT":
        return { ...none, baseFeed: need(feeds, "USDT/USD"), quoteFeed };
      case "market":
        return { ...none, baseFeed: need(feeds, "USDe/USD"), quoteFeed };
      case "exchange-rate":
      case "fixed":
        return none;
    }
  }
  // Other collaterals are priced by their own feeds under every policy.
  return { ...none, baseFeed: need(feeds, OWN_FEED[collateral]), quoteFeed };
}
