/** A small cascade: 7 loops, a whale, liquidity withdrawal, two policy sets (6 liquidations under `market`). */
export const SMALL_CASCADE = {
  name: "test-cascade",
  population: {
    seed: 3,
    groups: [
      {
        market: "aave-v3:USDe/USDC:emode-2",
        count: 4,
        size: { dist: "fixed", value: "300000" },
        ltv: { dist: "uniform", min: "0.82", max: "0.88" },
        rounds: { dist: "fixed", value: "6" },
      },
      {
        market: "morpho-blue:sUSDe/USDC-91.5",
        count: 3,
        size: { dist: "fixed", value: "300000" },
        ltv: { dist: "uniform", min: "0.84", max: "0.88" },
        rounds: { dist: "fixed", value: "6" },
      },
    ],
  },
  actors: {
    whale: {
      wethCollateral: "800",
      aaveLtv: "0.70",
      loop: { market: "morpho-blue:sUSDe/USDC-91.5", rounds: 2, ltv: "0.80" },
      unwindBelowHealthFactor: "1.10",
    },
    liquidityWithdrawal: {
      pools: ["USDe/USDC-0.01%"],
      share: "0.9",
      whenDexPriceBelow: "0.9999",
      measureSaleUsde: "3000000",
    },
  },
  path: {
    points: [
      { blocks: 2, eth: "4000", usde: "0.95" },
      { blocks: 2, eth: "3800", usde: "0.85" },
      { blocks: 2, usde: "0.80" },
    ],
  },
  policies: [
    { aave: "pegged-to-USDT", morpho: "exchange-rate" },
    { aave: "market", morpho: "market" },
  ],
};
