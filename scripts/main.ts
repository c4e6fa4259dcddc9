/**
 * `npm start`: the canonical scenario on the embedded chain (no RPC): scenarios/oct-10-2025.yaml — a population of
 * USDe/sUSDe loops on Aave (E-mode) and Morpho, a two-layer whale, a cross-margined market maker, liquidity
 * withdrawal and liquidation bots, USDe printing 0.65 off-chain while ETH falls 20% — run under mainnet's real
 * oracle policies and under the `market` policy; prints the side-by-side summary and writes reports/oct-10-2025/.
 * It runs on anvil; `LOOPSTRESS_BACKEND=hardhat npm start` runs it on Hardhat's in-process network.
 */
import hre from "hardhat";

hre.run("scenario", { file: "scenarios/oct-10-2025.yaml" }).catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
});
