/** Benchmark: opening a population of positions, and the canonical cascade (printed, never asserted). */
import hre from "hardhat";
import { deployEmbeddedContext } from "../src/session/embedded";
import { splitSigners } from "../src/session";
import { UniswapV3Dex } from "../src/dex/uniswap-v3";
import { PegArbitrageur } from "../src/actors/peg-arbitrageur";
import { buildPopulation, planPopulation } from "../src/scenario/population";
import { readCascadeScenario } from "../src/scenario/cascade-schema";
import { embeddedParamsFor } from "../src/scenario/cascade-chain";
import { runCascade } from "../src/scenario/run-cascade";
import { revertTo, snapshot } from "../src/chain/cheats";

async function main(): Promise<void> {
  const { deployer, liquidator } = splitSigners(await hre.ethers.getSigners());
  const scenario = readCascadeScenario("scenarios/oct-10-2025.yaml");
  const ctx = await deployEmbeddedContext(hre.ethers.provider, deployer, embeddedParamsFor(scenario));
  const dex = new UniswapV3Dex(ctx);
  const base = await snapshot(ctx.provider);

  const count = Number(process.env.BENCH_POSITIONS ?? 200);
  const plan = planPopulation(
    {
      seed: 1,
      groups: [
        {
          market: "aave-v3:USDe/USDC:emode-2",
          count,
          size: { dist: "lognormal", median: "50000", sigma: 0.8, min: "1000", max: "500000" },
          ltv: { dist: "uniform", min: "0.70", max: "0.88" },
          rounds: { dist: "choice", values: ["3", "5", "8"] },
          method: "flash",
        },
      ],
    },
    "bench",
  );
  const arb = new PegArbitrageur(ctx, dex, "bench");
  let t = performance.now();
  await buildPopulation(ctx, dex, plan, undefined, () => arb.restore());
  const ms = performance.now() - t;
  console.log(
    `population: ${count} flash-loan positions (with peg arbitrage) in ${(ms / 1000).toFixed(1)} s — ${((count * 1000) / ms).toFixed(1)} positions/s`,
  );
  await revertTo(ctx.provider, base);

  t = performance.now();
  const report = await runCascade(ctx, dex, scenario, { liquidator });
  console.log(
    `scenarios/oct-10-2025.yaml (${report.population.positions} positions, ${report.runs.length} policy runs, ${report.runs.reduce((s, r) => s + r.rounds.length, 0)} rounds): ${((performance.now() - t) / 1000).toFixed(1)} s`,
  );
  console.log(`  process RSS ${(process.memoryUsage().rss / 1e9).toFixed(2)} GB`);
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
