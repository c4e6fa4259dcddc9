/**
 * Hardhat tasks: thin wrappers over src/. Everything is imported lazily inside actions so that `hardhat compile`
 * works on a clean clone before TypeChain types exist.
 */
import { task } from "hardhat/config";
import { runCli } from "./cli";

task("embedded:deploy", "Deploys the embedded chain (real Aave V3, Morpho Blue, Uniswap V3 + our stand-ins) to the selected network and records its addresses")
  .addOptionalParam("out", "Where to write the deployment record", "deployments/embedded.json")
  .addFlag("quiet", "Do not print the summary")
  .setAction(async (args: { out: string; quiet: boolean }, hre) =>
    runCli(async () => {
      const { deployEmbedded } = await import("../src/embedded/deploy");
      const { writeDeployment } = await import("../src/chain/deployments");
      const { deploymentSummary } = await import("../src/report/deployment-summary");
      const [deployer] = await hre.ethers.getSigners();
      const { record } = await deployEmbedded(deployer, hre.ethers.provider, { log: (l) => console.error(`deploying: ${l}`) });
      writeDeployment(record, args.out);
      console.error(`recorded ${args.out}`);
      if (!args.quiet) console.log(await deploymentSummary(record, hre.ethers.provider));
    }),
  );

task("depeg", "Runs a depeg scenario (loops, a price path, liquidations) and writes reports/<name>/report.json and summary.md")
  .addOptionalParam("scenario", "Scenario file (YAML or JSON)", "scenarios/usde-depeg.yaml")
  .setAction(async (args: { scenario: string }, hre) =>
    runCli(async () => {
      const { readDepegScenario } = await import("../src/scenario/schema");
      const { runDepeg } = await import("../src/scenario/run-depeg");
      const { writeDepegReport, depegMarkdown } = await import("../src/report/depeg-report");
      const { openSession } = await import("./session");
      const scenario = readDepegScenario(args.scenario);
      const s = await openSession(hre);
      const report = await runDepeg(s.ctx, scenario, { users: s.users, liquidator: s.liquidator, log: (l) => console.error(l) });
      const dir = writeDepegReport(report);
      console.log(depegMarkdown(report));
      console.error(`report written to ${dir}`);
    }),
  );

task("loop", "Opens one leveraged USDe/sUSDe loop (every round a real transaction) and prints the position after each round")
  .addParam("market", 'Market key, e.g. "aave-v3:USDe/USDC:emode-2" or "morpho-blue:sUSDe/USDC-91.5"')
  .addOptionalParam("amount", "Initial amount (whole tokens, decimal string)", "100000")
  .addOptionalParam("token", "Initial token: USDe or sUSDe", "USDe")
  .addOptionalParam("rounds", "Loop rounds (borrow → swap → supply)", "5")
  .addOptionalParam("ltv", "Target LTV of each borrow, e.g. 0.80", "0.80")
  .setAction(async (args: { market: string; amount: string; token: string; rounds: string; ltv: string }, hre) =>
    runCli(async () => {
      const { InputError } = await import("../src/errors");
      const { parseUnitsExact } = await import("../src/math/fixed-point");
      const { openMarket } = await import("../src/protocols/registry");
      const { UniswapV3Dex } = await import("../src/dex/uniswap-v3");
      const { runIterativeLoop, validateLoopParams } = await import("../src/strategies/iterative-loop");
      const { deal } = await import("../src/chain/cheats");
      const { loopMarkdown, writeLoopReport } = await import("../src/report/loop-report");
      const { openSession } = await import("./session");
      if (!/^-?\d+$/.test(args.rounds)) throw new InputError("--rounds", `"${args.rounds}" is not a whole number`);
      if (args.token !== "USDe" && args.token !== "sUSDe") throw new InputError("--token", `unknown token "${args.token}"`, "use USDe or sUSDe");
      const s = await openSession(hre);
      const market = openMarket(s.ctx, args.market, "--market");
      const params = {
        initialSymbol: args.token as "USDe" | "sUSDe",
        initialRaw: parseUnitsExact(args.amount, 18, "--amount"),
        rounds: Number(args.rounds),
        targetLtvWad: parseUnitsExact(args.ltv, 18, "--ltv"),
      };
      await validateLoopParams(market, params);
      await deal(s.ctx, params.initialSymbol, s.users[0], params.initialRaw);
      const result = await runIterativeLoop(s.ctx, market, new UniswapV3Dex(s.ctx), s.users[0], params);
      const dir = writeLoopReport(result, s.ctx);
      console.log(loopMarkdown(result, s.ctx));
      console.error(`report written to ${dir}`);
    }),
  );
