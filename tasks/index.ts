/**
 * Hardhat tasks: thin wrappers over src/ — parse the flags, call the library, print. Everything is imported lazily
 * inside actions so that `hardhat compile` works on a clean clone before TypeChain types exist.
 * `npx hardhat <task> --help` prints each task's options.
 */
import path from "path";
import { task } from "hardhat/config";
import type { ConfigurableTaskDefinition } from "hardhat/types";
import { runCli, withFlagNames } from "./cli";
import type { SessionFlags } from "../src/session";
// The vocabulary imports nothing generated: safe at load time, before TypeChain types exist.
import { DEFAULT_AAVE_RELEASE } from "../src/domain/aave-release";

task(
  "embedded:deploy",
  "Deploys the embedded chain (real Aave V3, Morpho Blue, Uniswap V3 + our stand-ins) to the selected network and records its addresses",
)
  .addOptionalParam("out", "Where to write the deployment record", "deployments/embedded.json")
  .addFlag("quiet", "Do not print the summary")
  .addOptionalParam(
    "aaveRelease",
    "Aave logic: origin-v3.6 (@aave-dao/aave-v3-origin, mainnet's line since v3.3) or v3.0 (@aave/core-v3)",
    DEFAULT_AAVE_RELEASE,
  )
  .addFlag("curve", "Also deploy a Curve stable-swap pool (Curve's own Vyper bytecode; USDe/USDC/USDT/DAI)")
  .setAction(async (args: { out: string; quiet: boolean; aaveRelease: string; curve: boolean }, hre) =>
    runCli(async () => {
      const { deployEmbeddedContext, embeddedParamsOf } = await import("../src/session/embedded");
      const { embeddedChoiceFrom } = await import("../src/session/flags");
      const { outputPathFrom } = await import("../src/domain/flag-values");
      const { writeDeployment } = await import("../src/chain/deployments");
      const { deploymentSummary } = await import("../src/report/deployment-summary");
      const params = embeddedParamsOf(embeddedChoiceFrom(args.aaveRelease, args.curve));
      const out = outputPathFrom(args.out, "--out", ".json");
      const [deployer] = await hre.ethers.getSigners();
      const log = (l: string) => console.error(`deploying: ${l}`);
      const { record } = await deployEmbeddedContext(hre.ethers.provider, deployer, params, log);
      writeDeployment(record, out);
      console.error(`recorded ${args.out}`);
      if (!args.quiet) console.log(await deploymentSummary(record, hre.ethers.provider));
    }),
  );

task(
  "depeg",
  "Runs a depeg scenario: opens the loops, walks the price path under each oracle-policy set, liquidates, and writes reports/<name>/report.json, summary.md, report.html and liquidations.csv",
)
  .addOptionalPositionalParam("scenario", "Scenario file (YAML or JSON)", "scenarios/usde-depeg.yaml")
  .addFlag("brief", "Print the summary and positions only (summary.md still has every liquidation)")
  .addOptionalParam("forkUrl", "Fork mode: an archive JSON-RPC URL (or set MAINNET_RPC_URL); never printed")
  .addOptionalParam("forkBlock", "Fork mode: the pinned block (default: the profile's recorded block)")
  .addOptionalParam("profile", "Fork mode: the chain profile's deployments file")
  .addOptionalParam("forkCache", "Fork mode: the fork cache directory (default .fork-cache)")
  .addOptionalParam(
    "aaveRelease",
    "Embedded chain: Aave logic origin-v3.6 (default, mainnet's line since v3.3) or v3.0",
  )
  .addFlag("curve", "Embedded chain: also deploy the Curve pool, for liquidator.venue curve:USDe/USDC/USDT/DAI")
  .setAction(async (args: ChainFlags & { scenario: string; brief: boolean }, hre) =>
    runCli(async () => {
      const { readDepegScenario } = await import("../src/scenario/depeg-schema");
      const { runDepeg } = await import("../src/scenario/run-depeg");
      const { writeDepegReport, depegMarkdown } = await import("../src/report/depeg-report");
      const { openTaskSession } = await import("./session");
      const { checkDepegBeforeOpening } = await import("../src/session");
      const scenario = readDepegScenario(args.scenario);
      checkDepegBeforeOpening(scenario, args);
      const s = await openTaskSession(hre, args);
      const options = { users: s.users, liquidator: s.liquidator, log: (l: string) => console.error(l) };
      const report = await runDepeg(s.ctx, scenario, options).finally(() => s.close());
      const dir = await writeDepegReport(report);
      console.log(depegMarkdown(report, { liquidations: !args.brief }));
      console.error(`report written to ${dir}`);
    }),
  );

interface ScenarioArgs {
  file: string;
  brief: boolean;
  full: boolean;
  json: boolean;
  aaveRelease?: string;
  backend?: string;
}

const BACKEND_HELP =
  "The node: anvil (started on a free loopback port, stopped after; the default) or hardhat " +
  "(Hardhat's in-process network); or set LOOPSTRESS_BACKEND. With --network, that network is used";

/** The most decimals a token of the profiles has (USDe, sUSDe, DAI, WETH: 18): --amount of a swap has no more. */
const SWAP_AMOUNT_MAX_DECIMALS = 18;

/** The chain flags of the tasks that open a session (each task declares the ones it accepts). */
type ChainFlags = SessionFlags;

interface LoopArgs {
  market: string;
  amount: string;
  token: string;
  rounds: string;
  ltv: string;
}

const LOOP_FLAGS = {
  targetLtv: "--ltv",
  rounds: "--rounds",
  initialAmount: "--amount",
  initialToken: "--token",
  market: "--market",
};

/** Which chain a single-position task acts on: the embedded chain of an Aave release, or a recorded deployment. */
function withChainParams<T extends ConfigurableTaskDefinition>(t: T): T {
  t.addOptionalParam(
    "aaveRelease",
    "Embedded chain: Aave logic origin-v3.6 (default, mainnet's line since v3.3) or v3.0",
  );
  t.addOptionalParam(
    "profile",
    "A deployments file recording the chain on the selected network (e.g. with --network localhost)",
  );
  return t;
}

withChainParams(
  task(
    "loop",
    "Opens one leveraged USDe/sUSDe loop (iterative: every round a real transaction; --flash: one transaction through a flash loan) and prints the position",
  ),
)
  .addParam("market", 'Market key, e.g. "aave-v3:USDe/USDC:emode-2" or "morpho-blue:sUSDe/USDC-91.5"')
  .addOptionalParam("amount", "Initial amount (whole tokens, decimal string)", "100000")
  .addOptionalParam("token", "Initial token: USDe or sUSDe", "USDe")
  .addOptionalParam("rounds", "Loop rounds (borrow → swap → supply)", "5")
  .addOptionalParam("ltv", "Target LTV of each borrow, e.g. 0.80", "0.80")
  .addFlag("flash", "Open the same end position in one transaction through our LeverageLooper (flash loan)")
  .setAction(async (args: LoopArgs & { flash: boolean; aaveRelease?: string; profile?: string }, hre) =>
    runCli(() =>
      withFlagNames(LOOP_FLAGS, async () => {
        const { loopParamsFromFlags } = await import("../src/session/flags");
        const { loopCommand } = await import("../src/session/commands");
        const { openTaskSession } = await import("./session");
        const params = loopParamsFromFlags(args);
        const s = await openTaskSession(hre, { aaveRelease: args.aaveRelease, profile: args.profile });
        const out = await loopCommand(s, args.market, params, args.flash);
        console.log(out.markdown);
        console.error(`report written to ${out.reportDir}`);
      }),
    ),
  );

interface ThresholdArgs {
  account?: string;
  feed: string;
  policy: string;
  aaveRelease?: string;
  profile?: string;
}

withChainParams(
  task(
    "thresholds",
    "For auditors: the feed price at which a position becomes liquidatable (and, on Aave, where the close factor becomes 100%), predicted from on-chain state and found on chain by bisection",
  ),
)
  .addParam("market", 'Market key, e.g. "aave-v3:USDe/USDC:emode-2" or "morpho-blue:sUSDe/USDC-91.5"')
  .addOptionalParam(
    "account",
    "An existing borrower (e.g. on --network localhost); by default a loop is opened first with --amount/--rounds/--ltv",
  )
  .addOptionalParam("feed", "The feed whose price is searched", "USDe/USD")
  .addOptionalParam(
    "policy",
    "Oracle policy applied to the market first so its oracle reads the feed (market, pegged-to-USDT, exchange-rate, fixed; 'keep' to leave it)",
    "market",
  )
  .addOptionalParam("amount", "Initial amount of the loop opened when no --account is given", "100000")
  .addOptionalParam("token", "Initial token of that loop", "USDe")
  .addOptionalParam("rounds", "Rounds of that loop", "5")
  .addOptionalParam("ltv", "Target LTV of that loop", "0.80")
  .setAction(async (args: LoopArgs & ThresholdArgs, hre) =>
    runCli(() =>
      withFlagNames({ ...LOOP_FLAGS, feed: "--feed", account: "--account" }, async () => {
        const { accountFrom, loopParamsFromFlags, policyChoiceFrom } = await import("../src/session/flags");
        const { thresholdsCommand } = await import("../src/session/commands");
        const { openTaskSession } = await import("./session");
        const policy = policyChoiceFrom(args.policy);
        const account = accountFrom(args.account);
        const loop = loopParamsFromFlags(args);
        const s = await openTaskSession(hre, { aaveRelease: args.aaveRelease, profile: args.profile });
        const out = await thresholdsCommand(s, { marketKey: args.market, feed: args.feed, policy, account, loop });
        console.log(out.markdown);
        console.error(`report written to ${out.reportDir}`);
      }),
    ),
  );

task(
  "swap",
  "One sale on a DEX of the chain profile (Uniswap V3, or a Curve stable-swap pool): quote, output, price before/after and price impact, all read from the pool",
)
  .addParam("sell", "Token sold, e.g. USDe")
  .addParam("buy", "Token bought, e.g. USDC")
  .addParam("amount", "Amount sold (whole tokens, decimal string)")
  .addOptionalParam(
    "venue",
    "uniswap-v3, or curve:<pool key> (curve:USDe/USDC on mainnet; curve:USDe/USDC/USDT/DAI on the embedded chain with --curve)",
    "uniswap-v3",
  )
  .addFlag("curve", "Embedded chain: also deploy the Curve pool (Curve's own Vyper bytecode)")
  .addOptionalParam("forkUrl", "Fork mode: an archive JSON-RPC URL (or set MAINNET_RPC_URL); never printed")
  .addOptionalParam("forkBlock", "Fork mode: the pinned block (default: the profile's recorded block)")
  .addOptionalParam("profile", "Fork mode: the chain profile (mainnet or a deployments file)")
  .addOptionalParam("forkCache", "Fork mode: the fork cache directory (default .fork-cache)")
  .setAction(async (args: ChainFlags & { sell: string; buy: string; amount: string; venue: string }, hre) =>
    runCli(async () => {
      const { tokenSymbolFrom } = await import("../src/session/flags");
      const { amountFrom } = await import("../src/domain/flag-values");
      const { swapCommand } = await import("../src/session/commands");
      const { openTaskSession } = await import("./session");
      const [sell, buy] = [tokenSymbolFrom(args.sell, "--sell"), tokenSymbolFrom(args.buy, "--buy")];
      // Form and range before the chain opens; the command reads it again in the sold token's decimals.
      amountFrom(args.amount, "--amount", SWAP_AMOUNT_MAX_DECIMALS);
      const s = await openTaskSession(hre, args);
      try {
        const out = await swapCommand(s, { sell, buy, amount: args.amount, venue: args.venue });
        console.log(out.markdown);
      } finally {
        await s.close();
      }
    }),
  );

task(
  "scenario",
  "Runs a cascade scenario file: a population of loops, actors (whale, market maker, liquidity withdrawal, bots), an exogenous path, rounds until nothing is liquidatable; writes reports/<name>/",
)
  .addPositionalParam("file", "Scenario file (YAML or JSON), e.g. scenarios/oct-10-2025.yaml")
  .addFlag("brief", "The default: a short summary (kept for old scripts)")
  .addFlag("full", "Print the whole summary.md instead of the short summary")
  .addFlag("json", "Print report.json on stdout (for piping); progress still goes to stderr")
  .addOptionalParam(
    "aaveRelease",
    "Overrides the file's chain.aaveRelease: origin-v3.6 (mainnet's line since v3.3) or v3.0",
  )
  .addOptionalParam("backend", BACKEND_HELP)
  .setAction(async (args: ScenarioArgs, hre) =>
    runCli(async () => {
      const { readCascadeScenario, withAaveRelease } = await import("../src/scenario/cascade-schema");
      const { runCascade } = await import("../src/scenario/run-cascade");
      const { cascadeMarkdown, writeCascadeReport } = await import("../src/report/cascade-report");
      const { embeddedParamsFor } = await import("../src/scenario/cascade-chain");
      const { deployEmbeddedContext } = await import("../src/session/embedded");
      const { splitSigners } = await import("../src/session");
      const { UniswapV3Dex } = await import("../src/dex/uniswap-v3");
      const { terminalProgress } = await import("../src/scenario/population");
      const { checkCascadeFits } = await import("../src/scenario/fits");
      const { chooseBackend } = await import("../src/session/backend");
      const { openTaskChain } = await import("./session");
      chooseBackend(args.backend, process.env, hre.network.name);
      const scenario = withAaveRelease(readCascadeScenario(args.file), args.aaveRelease);
      const params = embeddedParamsFor(scenario);
      checkCascadeFits(scenario, params);
      const chain = await openTaskChain(hre, args.backend);
      const t0 = Date.now();
      const report = await (async () => {
        const { deployer, liquidator } = splitSigners(chain.signers);
        console.error(`deploying the embedded chain on ${chain.backend}…`);
        const ctx = await deployEmbeddedContext(chain.provider, deployer, params);
        return runCascade(ctx, new UniswapV3Dex(ctx), scenario, {
          liquidator,
          log: (l) => console.error(`[${((Date.now() - t0) / 1000).toFixed(1).padStart(6)} s] ${l}`),
          progress: terminalProgress("opening positions"),
        });
      })().finally(() => chain.close());
      const dir = await writeCascadeReport(report);
      const { cascadeTerminal } = await import("../src/report/terminal");
      if (args.json) console.log(JSON.stringify(report, null, 2));
      else
        console.log(args.full ? cascadeMarkdown(report) : cascadeTerminal(report, path.relative(process.cwd(), dir)));
      console.error(`ran in ${((Date.now() - t0) / 1000).toFixed(1)} s; report written to ${dir}`);
    }),
  );

task(
  "sweep",
  "Runs a cascade scenario over a grid (USDe floor x loop rounds x oracle policy) from one deployment by snapshots, one CSV row per point; --workers runs it in processes side by side, --shard i/n runs a slice",
)
  .addPositionalParam("file", "Scenario file (YAML or JSON)")
  .addParam("grid", 'Grid file (YAML): { floor: ["0.65", ...], rounds: [3, ...], policy: ["market/market", ...] }')
  .addOptionalParam(
    "shard",
    "Run only the points whose index is i mod n, e.g. 0/4; env: i from JOB_COMPLETION_INDEX (Kubernetes Indexed Job) or LOOPSTRESS_SHARD_INDEX (CI matrix), n from LOOPSTRESS_SHARD_COUNT",
    "0/1",
  )
  .addOptionalParam("out", "CSV to write (default reports/<name>/sweep[-shard-i-of-n].csv)")
  .addOptionalParam(
    "workers",
    "Worker processes, each with its own chain, merged in grid order into the same CSV (default: one per core; 1: this process)",
  )
  .addOptionalParam("backend", BACKEND_HELP)
  .setAction(
    async (
      args: { file: string; grid: string; shard: string; out?: string; workers?: string; backend?: string },
      hre,
    ) =>
      runCli(async () => {
        const path = await import("path");
        const os = await import("os");
        const { readCascadeScenario } = await import("../src/scenario/cascade-schema");
        const { embeddedParamsFor } = await import("../src/scenario/cascade-chain");
        const { terminalProgress } = await import("../src/scenario/population");
        const { checkCascadeFits } = await import("../src/scenario/fits");
        const { gridPoints, readGrid, runSweep, scenarioAt, sweepCsv } = await import("../src/scenario/sweep");
        const { shardFrom } = await import("../src/domain/shard");
        const { MAX_WORKERS } = await import("../src/domain/bounds");
        const { deployEmbeddedContext } = await import("../src/session/embedded");
        const { splitSigners } = await import("../src/session");
        const { runSweepWorkers, sweepWorkerCount } = await import("../src/session/sweep-workers");
        const { exitWithParent, taskArgv } = await import("../src/session/workers");
        const { UniswapV3Dex } = await import("../src/dex/uniswap-v3");
        const { writeFileAtomic } = await import("../src/chain/deployments");
        const { outputPathFrom, wholeNumberFrom } = await import("../src/domain/flag-values");
        const { chooseBackend } = await import("../src/session/backend");
        const { openTaskChain } = await import("./session");
        chooseBackend(args.backend, process.env, hre.network.name);
        const scenario = readCascadeScenario(args.file);
        const grid = readGrid(args.grid);
        const shard = shardFrom(args.shard, process.env);
        const chosenOut = args.out === undefined ? undefined : outputPathFrom(args.out, "--out", ".csv");
        const requested =
          args.workers === undefined ? undefined : wholeNumberFrom(args.workers, "--workers", 1, MAX_WORKERS);
        const params = embeddedParamsFor(scenario);
        const all = gridPoints(grid, scenario);
        for (const p of all) checkCascadeFits(scenarioAt(scenario, p), params);
        const mine = all.filter((p) => p.index % shard.count === shard.index);
        const workers = sweepWorkerCount({
          requested,
          cores: os.availableParallelism(),
          inProcess: hre.network.name === "hardhat",
          network: hre.network.name,
          points: mine.length,
          shard,
        });
        const csvName = shard.count === 1 ? "sweep.csv" : `sweep-shard-${shard.index}-of-${shard.count}.csv`;
        const out = chosenOut ?? path.join("reports", scenario.name, csvName);
        const where = `shard ${shard.index}/${shard.count}`;
        console.error(
          `sweep ${scenario.name}: ${mine.length} of ${all.length} grid points (${where}), ${workers} worker(s)`,
        );
        let rows;
        if (workers > 1) {
          // Each worker is this task again on its sub-shard, in a process (and on a chain) of its own.
          const cli = require.resolve("hardhat/internal/cli/cli.js");
          const config = hre.hardhatArguments.config === undefined ? [] : ["--config", hre.hardhatArguments.config];
          const forwarded = taskArgv(hre.tasks["sweep"], args, ["shard", "out", "workers"]);
          rows = await runSweepWorkers({
            points: mine,
            shard,
            workers,
            tmpDir: path.resolve("reports", scenario.name, `.sweep-workers-${process.pid}`),
            command: (s, file) => ({
              command: process.execPath,
              args: [
                cli,
                ...config,
                "sweep",
                ...forwarded,
                "--shard",
                `${s.index}/${s.count}`,
                "--out",
                file,
                "--workers",
                "1",
              ],
            }),
            log: (l) => console.error(l),
          });
        } else {
          exitWithParent();
          const chain = await openTaskChain(hre, args.backend);
          rows = await (async () => {
            const { deployer, liquidator } = splitSigners(chain.signers);
            const ctx = await deployEmbeddedContext(chain.provider, deployer, params);
            console.error(
              `sweep ${scenario.name}: ${mine.length} of ${all.length} grid points (${where}) on ${chain.backend}`,
            );
            // Without a terminal (a worker, a CI log) one line per point instead of a redrawn bar.
            const progress = process.stderr.isTTY
              ? terminalProgress("sweep")
              : (done: number, total: number) => console.error(`sweep: ${done} of ${total} points done`);
            return runSweep(ctx, new UniswapV3Dex(ctx), scenario, mine, liquidator, progress);
          })().finally(() => chain.close());
        }
        writeFileAtomic(out, sweepCsv(rows));
        console.log(sweepCsv(rows));
        console.error(`written to ${out}`);
      }),
  );

task(
  "sweep:merge",
  "Merges the CSVs of a sharded sweep, written by separate processes or machines, into one (rows in grid order; fails if a point is missing or duplicated, or, given --grid and --scenario, a row is not the grid's)",
)
  .addVariadicPositionalParam("shards", "Shard CSV files")
  .addParam("out", "Merged CSV to write")
  .addOptionalParam("grid", "The sweep's grid file: every point of it must be in exactly one shard (with --scenario)")
  .addOptionalParam("scenario", "The sweep's scenario file (with --grid)")
  .setAction(async (args: { shards: string[]; out: string; grid?: string; scenario?: string }) =>
    runCli(async () => {
      const { gridPoints, mergeSweeps, readGrid, sweepCsv } = await import("../src/scenario/sweep");
      const { readCascadeScenario } = await import("../src/scenario/cascade-schema");
      const { readSweepShards } = await import("../src/session/sweep-shards");
      const { writeFileAtomic } = await import("../src/chain/deployments");
      const { outputPathFrom } = await import("../src/domain/flag-values");
      const { InputError } = await import("../src/errors");
      const out = outputPathFrom(args.out, "--out", ".csv");
      if ((args.grid === undefined) !== (args.scenario === undefined)) {
        const [missing, given] = args.grid === undefined ? ["--grid", "--scenario"] : ["--scenario", "--grid"];
        throw new InputError(missing, `is required with ${given}`, "give both: the sweep's scenario and grid files");
      }
      const points =
        args.grid === undefined ? undefined : gridPoints(readGrid(args.grid), readCascadeScenario(args.scenario!));
      const shards = readSweepShards(args.shards);
      writeFileAtomic(out, sweepCsv(mergeSweeps(shards, { points, sources: args.shards })));
      console.error(`merged ${args.shards.length} shard(s) into ${args.out}`);
    }),
  );

task(
  "montecarlo",
  "Runs a cascade scenario N times, each run with its own population seed and price path (the file's montecarlo section), and writes the distribution of bad debt, liquidated collateral and liquidations (mean, VaR and ES at 95/99%) to reports/<name>/montecarlo/; resumes from runs.csv",
)
  .addPositionalParam("scenario", "Scenario file (YAML or JSON)")
  .addOptionalParam("runs", "Number of runs (default: the file's montecarlo.runs)")
  .addOptionalParam("out", "Folder to write (default reports/<name>/montecarlo)")
  .addOptionalParam(
    "shard",
    "Run only the runs whose index is i mod n, e.g. 0/4, or env (as sweep: a Kubernetes Indexed Job or a CI matrix); then run without it to merge",
    "0/1",
  )
  .setAction(async (args: { scenario: string; runs?: string; out?: string; shard: string }, hre) =>
    runCli(async () => {
      const { montecarloCommand } = await import("../src/session/montecarlo");
      const { terminalProgress } = await import("../src/scenario/population");
      const t0 = Date.now();
      const signers = await hre.ethers.getSigners();
      const log = (l: string) => console.error(l);
      const out = await montecarloCommand(args, hre.ethers.provider, signers, log, terminalProgress("montecarlo"));
      if (out.markdown !== undefined) console.log(out.markdown);
      else console.error(`shard done: run again without --shard, with the same --out, to merge the shards`);
      const seconds = ((Date.now() - t0) / 1000).toFixed(1);
      console.error(`${out.ran} run(s) in ${seconds} s; written to ${path.relative(process.cwd(), out.dir)}`);
    }),
  );

task(
  "params:check",
  "Compares the embedded chain's parameters (Aave reserves, E-modes, rates, oracle sources; Morpho markets) with a forked chain at the pinned block; prints each difference, writes reports/params-check/, exits 1 if any differ",
)
  .addOptionalParam("forkUrl", "An archive JSON-RPC URL (or set MAINNET_RPC_URL); never printed")
  .addOptionalParam("forkBlock", "The pinned block (default: the profile's recorded block)")
  .addOptionalParam("profile", "The chain profile: mainnet, or the deployments file of the upstream chain", "mainnet")
  .addOptionalParam("forkCache", "The fork cache directory (default .fork-cache)")
  .setAction(async (args: ChainFlags, hre) =>
    runCli(async () => {
      const { InputError } = await import("../src/errors");
      const { defaultEmbeddedParams } = await import("../src/embedded/params");
      const { checkParams, paramsCheckCounts } = await import("../src/embedded/params-check");
      const { paramsCheckMarkdown, writeParamsCheckReport } = await import("../src/report/params-check-report");
      const { openTaskSession } = await import("./session");
      // The check only means something against a fork: without a URL the session would open a recorded deployment.
      if (!args.forkUrl && !process.env.MAINNET_RPC_URL)
        throw new InputError("--fork-url", "is required", "give an archive RPC URL or set MAINNET_RPC_URL");
      const s = await openTaskSession(hre, args);
      // The session pins --fork-block, else the profile's block (the mainnet profile records the block it was built at).
      const forkBlock = Number(args.forkBlock ?? s.ctx.record.block);
      const check = await checkParams(s.ctx, defaultEmbeddedParams(), forkBlock).finally(() => s.close());
      const dir = writeParamsCheckReport(check);
      console.log(paramsCheckMarkdown(check));
      console.error(`report written to ${dir}`);
      if (paramsCheckCounts(check).differenceCount > 0) process.exitCode = 1;
    }),
  );
