/**
 * `npx hardhat montecarlo <scenario> --runs N [--out folder] [--shard i/n]`: everything is checked before the chain is
 * deployed (flags, every run's draws and population, a foreign runs file), then the runs not yet in the folder's
 * runs file are run, the file rewritten after each (so an interrupted Monte Carlo resumes), and, once every run is in,
 * the figures written: montecarlo.json, summary.md, report.html.
 */
import fs from "fs";
import path from "path";
import type { Signer } from "ethers";
import type { RpcProvider } from "../chain/rpc";
import { writeFileAtomic } from "../chain/deployments";
import { UniswapV3Dex } from "../dex/uniswap-v3";
import { outputPathFrom } from "../domain/flag-values";
import {
  type MonteCarloSummary,
  montecarloCsv,
  montecarloMarkdown,
  summarizeRuns,
  writeMonteCarloReport,
} from "../report/montecarlo-report";
import { readCascadeScenario } from "../scenario/cascade-schema";
import { embeddedParamsFor } from "../scenario/cascade-chain";
import { checkCascadeFits } from "../scenario/fits";
import {
  doneRows,
  planMonteCarlo,
  runCountOf,
  runMonteCarlo,
  runsFileName,
  scenarioForRun,
  summaryMeta,
} from "../scenario/montecarlo";
import { shardFrom } from "../domain/shard";
import { deployEmbeddedContext } from "./embedded";
import { splitSigners } from "./index";

export interface MonteCarloFlags {
  scenario: string;
  runs?: string;
  out?: string;
  shard?: string;
  /** Where `--shard env` reads a cluster job's index (default process.env). */
  env?: Readonly<Record<string, string | undefined>>;
}

export interface MonteCarloOutcome {
  dir: string;
  runsFile: string;
  /** Runs measured by this call (the others were already in the folder). */
  ran: number;
  /** Set once every run is in (the unsharded call, or a shard holding them all). */
  summary?: MonteCarloSummary;
  markdown?: string;
}

export async function montecarloCommand<S extends Signer>(
  flags: MonteCarloFlags,
  provider: RpcProvider,
  signers: S[],
  log: (line: string) => void = () => undefined,
  progress?: (done: number, total: number) => void,
): Promise<MonteCarloOutcome> {
  const scenario = readCascadeScenario(flags.scenario);
  const plan = planMonteCarlo(scenario, runCountOf(scenario, flags.runs));
  const shard = shardFrom(flags.shard ?? "0/1", flags.env ?? process.env);
  // The scenario's name is one path segment (its schema), so the default folder stays inside reports/.
  const dir =
    flags.out === undefined
      ? path.join(process.cwd(), "reports", scenario.name, "montecarlo")
      : outputPathFrom(flags.out.replace(/[\\/]+$/, ""), "--out");
  const params = embeddedParamsFor(scenario);
  const mine = plan.draws.filter((d) => d.run % shard.count === shard.index);
  for (const d of mine) checkCascadeFits(scenarioForRun(plan, d), params);
  const own = runsFileName(shard);
  const done = doneRows(dir, plan, own);
  // Every check is done: only now is anything written.
  fs.mkdirSync(dir, { recursive: true });
  const runsFile = path.join(dir, own);
  const todo = mine.filter((d) => !done.has(d.run));
  log(
    `montecarlo ${scenario.name}: ${mine.length} of ${plan.draws.length} runs (shard ${shard.index}/${shard.count}), ${mine.length - todo.length} already in ${shard.count === 1 ? "its runs files" : own}`,
  );
  let rows = [...done.values()].sort((a, b) => Number(a.run) - Number(b.run));
  if (todo.length > 0) {
    const { deployer, liquidator } = splitSigners(signers);
    log("deploying the embedded chain…");
    const ctx = await deployEmbeddedContext(provider, deployer, params);
    rows = await runMonteCarlo(ctx, new UniswapV3Dex(ctx), plan, mine, liquidator, {
      done,
      onRow: (all) => writeFileAtomic(runsFile, montecarloCsv(all)),
      progress,
    });
  }
  // The unsharded file gathers the shards' rows too: it is the merged result.
  writeFileAtomic(runsFile, montecarloCsv(rows));
  const outcome: MonteCarloOutcome = { dir, runsFile, ran: todo.length };
  if (rows.length < plan.draws.length) return outcome;
  const summary = summarizeRuns(rows, summaryMeta(plan));
  await writeMonteCarloReport(summary, dir);
  return { ...outcome, summary, markdown: montecarloMarkdown(summary) };
}
