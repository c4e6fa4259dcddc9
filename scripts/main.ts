/**
 * `npm start`: the canonical scenario on the embedded chain (no RPC): USDe/sUSDe loops on Aave (E-mode) and Morpho,
 * USDe/USD ramping to 0.65, run under the `market` oracle policy and under mainnet's real policies, liquidations
 * executed and measured; prints the summary and writes reports/usde-depeg/.
 */
import hre from "hardhat";

hre.run("depeg", { scenario: "scenarios/usde-depeg.yaml", brief: true }).catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
});
