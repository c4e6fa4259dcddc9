/** Three loops on Aave's USDe E-mode, a two-point path: each grid point runs in about a second. */
export const SMALL_SWEEP_SCENARIO = {
  name: "test-sweep",
  population: {
    seed: 5,
    groups: [
      {
        market: "aave-v3:USDe/USDC:emode-2",
        count: 3,
        size: { dist: "fixed", value: "200000" },
        ltv: { dist: "uniform", min: "0.80", max: "0.88" },
        rounds: { dist: "fixed", value: "4" },
      },
    ],
  },
  path: {
    points: [
      { blocks: 2, usde: "0.95" },
      { blocks: 2, usde: "0.80" },
    ],
  },
  policies: [{ aave: "market", morpho: "market" }],
};

/** Two floors by two policy sets. */
export const SMALL_SWEEP_GRID = { floor: ["0.90", "0.70"], policy: ["market/market", "pegged-to-USDT/exchange-rate"] };
