/**
 * Compilation: one solc job per compiler configuration, the jobs in parallel, a line saying what is compiled and about
 * how long before it starts, and no TypeChain work when nothing was compiled.
 */
import { subtask, task } from "hardhat/config";
import fs from "fs";
import os from "os";
import path from "path";
import {
  TASK_COMPILE_SOLIDITY_COMPILE_JOBS,
  TASK_COMPILE_SOLIDITY_MERGE_COMPILATION_JOBS,
} from "hardhat/builtin-tasks/task-names";
import type { CompilationJob, HardhatConfig } from "hardhat/types";
import { compilePlanLine } from "./compile-plan";

/** A configuration as a key: object keys sorted, so equal settings give equal keys. */
function configKey(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(configKey).join(",")}]`;
  if (value !== null && typeof value === "object")
    return `{${Object.entries(value)
      .sort(([a], [b]) => (a < b ? -1 : 1))
      .map(([k, v]) => `${JSON.stringify(k)}:${configKey(v)}`)
      .join(",")}}`;
  return JSON.stringify(value);
}

/**
 * Hardhat merges jobs only when their configuration is the same object, and every `overrides` entry is its own
 * object: each Aave origin file was a job of its own that compiled its whole import tree again (77 jobs, 869 source
 * compilations for 144 files). Jobs with equal settings are merged here into one solc input per configuration, as
 * Foundry builds the origin line; the bytecode is the same (checked artifact by artifact when this was introduced).
 */
subtask(
  TASK_COMPILE_SOLIDITY_MERGE_COMPILATION_JOBS,
  async (args: { compilationJobs: CompilationJob[] }, _hre, runSuper) => {
    const jobs = (await runSuper(args)) as CompilationJob[];
    const byConfig = new Map<string, CompilationJob>();
    const unmerged: CompilationJob[] = [];
    for (const job of jobs) {
      // Hardhat keeps the jobs of compilers with solc bug #9573 apart; so do we.
      if (job.hasSolc9573Bug()) {
        unmerged.push(job);
        continue;
      }
      const key = configKey(job.getSolcConfig());
      const same = byConfig.get(key);
      byConfig.set(key, same === undefined ? job : same.merge(job));
    }
    // The largest first: with parallel jobs, the longest one starts at once.
    const merged = [...byConfig.values()].sort((a, b) => b.getResolvedFiles().length - a.getResolvedFiles().length);
    return [...merged, ...unmerged];
  },
);

/**
 * Before any solc job runs: one line naming what is compiled and about how long (nothing is printed when the cache
 * says there is nothing to do). Hardhat runs one job fewer at a time than there are cores, as if its own process
 * needed one; it only waits for the solc-js children, so on the default every core gets a job (the three parts
 * overlap: on 2 cores a fresh compile took 34 s instead of 67 s, measured back to back).
 */
subtask(
  TASK_COMPILE_SOLIDITY_COMPILE_JOBS,
  async (args: { compilationJobs: CompilationJob[]; quiet: boolean; concurrency: number }, _hre, runSuper) => {
    const cores = os.cpus().length;
    const concurrency = args.concurrency === Math.max(cores - 1, 1) ? Math.max(cores, 1) : args.concurrency;
    if (args.compilationJobs.length > 0) {
      const planned = args.compilationJobs.map((job) => ({
        solcVersion: job.getSolcConfig().version,
        sourceNames: job.getResolvedFiles().map((f) => f.sourceName),
      }));
      console.error(compilePlanLine(planned, Math.min(concurrency, planned.length)));
    }
    return runSuper({ ...args, concurrency });
  },
);

/** Set by `npx hardhat typechain`, which asks for every type again. */
let typechainRebuild = false;

task("typechain", async (_args, _hre, runSuper) => {
  typechainRebuild = true;
  return runSuper();
});

interface CompileOutput {
  artifactsEmittedPerJob: { artifactsEmittedPerFile: { artifactsEmitted: string[] }[] }[];
}

/** The generated types are newer than the external artifacts they come from and than the config that lists them. */
function externalTypesCurrent(config: HardhatConfig): boolean {
  const index = path.join(config.paths.root, config.typechain.outDir, "index.ts");
  if (!fs.existsSync(index)) return false;
  const made = fs.statSync(index).mtimeMs;
  const sources = [
    config.paths.configFile,
    ...(config.typechain.externalArtifacts ?? []).map((a) => path.resolve(config.paths.root, a)),
  ];
  return sources.every((f) => fs.existsSync(f) && fs.statSync(f).mtimeMs <= made);
}

/**
 * TypeChain writes the types of the external artifacts (the npm packages' Aave v3.0 and Uniswap builds) again after
 * every compile, even when nothing was compiled: about 3 s of CPU (measured: `npx hardhat compile` with nothing to
 * do, 4.6 s user with types, 1.4 s with --no-typechain) at the start of every `npm start`, `npm test` and task. Skipped
 * when nothing was compiled and those types are current.
 */
subtask(
  "typechain:generate-types",
  async (args: { compileSolOutput: CompileOutput; quiet: boolean }, hre, runSuper) => {
    const emitted = args.compileSolOutput.artifactsEmittedPerJob.some((job) =>
      job.artifactsEmittedPerFile.some((file) => file.artifactsEmitted.length > 0),
    );
    if (!typechainRebuild && !emitted && externalTypesCurrent(hre.config)) return args.compileSolOutput;
    return runSuper(args);
  },
);
