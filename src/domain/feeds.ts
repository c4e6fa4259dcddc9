/** Price feeds by name (Chainlink-compatible, USD with 8 decimals). */
export type FeedName = "USDe/USD" | "USDT/USD" | "USDC/USD" | "DAI/USD" | "ETH/USD" | "USDS/USD";
export const FEED_NAMES: readonly FeedName[] = ["USDe/USD", "USDT/USD", "USDC/USD", "DAI/USD", "ETH/USD", "USDS/USD"];
