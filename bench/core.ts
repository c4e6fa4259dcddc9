/** Benchmark: wall time of the core operations on the embedded chain (printed, never asserted). */
import hre from "hardhat";
import { deployEmbeddedContext } from "../src/session/embedded";
import { defaultEmbeddedParams } from "../src/embedded/params";
import { deal, revertTo, snapshot } from "../src/chain/cheats";
import { WAD } from "../src/constants";
import { UniswapV3Dex } from "../src/dex/uniswap-v3";
import { applyAavePolicy } from "../src/protocols/aave-v3";
import { setFeedPrice } from "../src/oracles/feeds";
import { openMarket } from "../src/protocols/registry";
import { runIterativeLoop } from "../src/strategies/iterative-loop";
import { runFlashLoop } from "../src/strategies/flash-loop";
import { LiquidationBot } from "../src/strategies/liquidation-bot";
import { verifyThresholds } from "../src/metrics/thresholds";
import { readDepegScenario } from "../src/scenario/depeg-schema";
import { runDepeg } from "../src/scenario/run-depeg";

async function timed<T>(label: string, f: () => Promise<T>): Promise<T> {
  const t = performance.now();
  const out = await f();
  console.log(`${label.padEnd(48)} ${(performance.now() - t).toFixed(0).padStart(7)} ms`);
  return out;
}

async function main(): Promise<void> {
  const [deployer, user, liquidator, ...users] = await hre.ethers.getSigners();
  const provider = hre.ethers.provider;
  const deploy = () => deployEmbeddedContext(provider, deployer, defaultEmbeddedParams());
  const ctx = await timed("deploy embedded chain", deploy);
  const dex = new UniswapV3Dex(ctx);
  const market = openMarket(ctx, "aave-v3:USDe/USDC:emode-2");
  const params = {
    initialSymbol: "USDe" as const,
    initialRaw: 100_000n * WAD,
    rounds: 5,
    targetLtvWad: (80n * WAD) / 100n,
  };
  let base = await snapshot(provider);
  await deal(ctx, "USDe", user, params.initialRaw);
  const loop = await timed("iterative loop, 5 rounds (16 txs)", () => runIterativeLoop(ctx, market, dex, user, params));
  console.log(`  gas ${loop.totalGasUsed}`);
  await applyAavePolicy(ctx, "market");
  await timed("thresholds (2 boundaries, searched from the prediction)", () =>
    verifyThresholds(ctx, market, user.address, "USDe/USD", liquidator),
  );
  await setFeedPrice(ctx, "USDe/USD", 75_000_000n);
  const bot = new LiquidationBot(ctx, dex, liquidator);
  const outcomes = await timed("flash liquidation sweep of one position", () => bot.sweep(market, [user.address]));
  console.log(`  ${outcomes.length} liquidations, gas ${outcomes.reduce((s, o) => s + o.record.gasUsed, 0n)}`);
  await revertTo(provider, base);
  base = await snapshot(provider); // a Hardhat snapshot is used up by its revert
  await deal(ctx, "USDe", user, params.initialRaw);
  const flash = await timed("flash-loan loop (1 tx + set-up)", () => runFlashLoop(ctx, market, dex, user, params));
  console.log(`  gas ${flash.gasUsed}`);
  await revertTo(provider, base);
  const scenario = readDepegScenario("scenarios/usde-depeg.yaml");
  const report = await timed("scenarios/usde-depeg.yaml (7 loops, 35 points, 2 policy sets)", () =>
    runDepeg(ctx, scenario, { users, liquidator }),
  );
  console.log(
    `  ${report.runs.map((r) => `${r.policies.aave}/${r.policies.morpho}: ${r.totals.liquidations} liquidations`).join("; ")}`,
  );
  const t = performance.now();
  for (let i = 0; i < 20; i++) await revertTo(provider, await snapshot(provider));
  console.log(
    `${"snapshot + revert (mean of 20)".padEnd(48)} ${((performance.now() - t) / 20).toFixed(1).padStart(7)} ms`,
  );
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
