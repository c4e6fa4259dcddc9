/**
 * Which slice of a grid one process runs: `--shard i/n` runs the points whose index is i mod n. The shard can also come
 * from the environment of an engine that runs the shards as its own jobs (`--shard env`): a Kubernetes Indexed Job
 * sets JOB_COMPLETION_INDEX in each pod; a CI matrix sets LOOPSTRESS_SHARD_INDEX from its job index. Neither engine
 * tells a job how many shards there are, so the manifest or workflow sets LOOPSTRESS_SHARD_COUNT. Pure: reusable by
 * any sharded task (the sweep, Monte Carlo) with its own flag name.
 */
import { InputError } from "../errors";
import { MAX_SHARDS } from "./bounds";
import { shownValue } from "./flag-values";

export interface Shard {
  index: number;
  count: number;
}

/** The environment variables `--shard env` reads. */
export const SHARD_ENV = {
  /** Set by the workflow, e.g. from GitHub Actions' `strategy.job-index`. */
  index: "LOOPSTRESS_SHARD_INDEX",
  /** Set by Kubernetes itself in each pod of an Indexed Job (completionMode: Indexed). */
  kubernetesIndex: "JOB_COMPLETION_INDEX",
  /** Set by the manifest (= spec.completions) or the workflow (e.g. `strategy.job-total`). */
  count: "LOOPSTRESS_SHARD_COUNT",
} as const;

/** The `--shard` value that reads the shard from the environment. */
const SHARD_FROM_ENV = "env";

/** `i/n`: 0 <= i < n <= MAX_SHARDS. */
export function parseShard(s: string, field = "--shard"): Shard {
  const m = /^(\d{1,6})\/(\d{1,6})$/.exec(s);
  if (!m || Number(m[2]) < 1 || Number(m[1]) >= Number(m[2]))
    throw new InputError(field, `"${shownValue(s)}" is not i/n with 0 <= i < n`, `e.g. ${field} 0/4, or ${field} env`);
  if (Number(m[2]) > MAX_SHARDS) {
    throw new InputError(field, `${m[2]} shards, over the bound of ${MAX_SHARDS}`, "split into fewer shards");
  }
  return { index: Number(m[1]), count: Number(m[2]) };
}

type Env = Readonly<Record<string, string | undefined>>;

function wholeNumberIn(env: Env, name: string): number {
  const value = env[name]!;
  if (!/^\d{1,6}$/.test(value)) throw new InputError(name, `"${shownValue(value)}" is not a whole number`);
  return Number(value);
}

/**
 * The shard a flag value names: `i/n`, or `env` for the environment (`env` is e.g. process.env). Every refusal is one
 * line naming the flag or the variable at fault.
 */
export function shardFrom(value: string, env: Env, field = "--shard"): Shard {
  if (value !== SHARD_FROM_ENV) return parseShard(value, field);
  const { index: ciVar, kubernetesIndex: kubeVar, count: countVar } = SHARD_ENV;
  const [ci, kube] = [env[ciVar], env[kubeVar]];
  if (ci === undefined && kube === undefined) {
    throw new InputError(
      ciVar,
      `is not set, nor ${kubeVar} (${field} ${SHARD_FROM_ENV})`,
      `run as a Kubernetes Indexed Job, set ${ciVar} from the CI matrix, or give ${field} i/n`,
    );
  }
  if (ci !== undefined && kube !== undefined && ci !== kube) {
    throw new InputError(ciVar, `"${shownValue(ci)}" differs from ${kubeVar} "${shownValue(kube)}"`, "set only one");
  }
  const indexVar = ci !== undefined ? ciVar : kubeVar;
  const index = wholeNumberIn(env, indexVar);
  if (env[countVar] === undefined) {
    throw new InputError(
      countVar,
      `is not set (${field} ${SHARD_FROM_ENV} reads the shard count from it)`,
      "set it to the number of shards: the Indexed Job's spec.completions, or the matrix's strategy.job-total",
    );
  }
  const count = wholeNumberIn(env, countVar);
  if (count < 1 || count > MAX_SHARDS) {
    throw new InputError(countVar, `${count} is out of range`, `give 1 to ${MAX_SHARDS} shards`);
  }
  if (index >= count) {
    throw new InputError(
      indexVar,
      `${index} is not below ${countVar} (${count})`,
      `shards are numbered 0 to ${count - 1}`,
    );
  }
  return { index, count };
}

/**
 * Shard i/n split among `workers` processes: worker j runs shard (i + j·n)/(n·workers), the points of i/n whose index
 * divided by n leaves j mod `workers` — every point of i/n exactly once, spread evenly. `workers` is at most
 * MAX_SHARDS / n so that each sub-shard is itself a valid `--shard`.
 */
export function splitShard(shard: Shard, workers: number): Shard[] {
  if (!Number.isInteger(workers) || workers < 1 || shard.count * workers > MAX_SHARDS) {
    throw new InputError("workers", `${workers} workers for shard ${shard.index}/${shard.count}`, "use fewer workers");
  }
  return Array.from({ length: workers }, (_, j) => ({
    index: shard.index + j * shard.count,
    count: shard.count * workers,
  }));
}

/** The most workers shard i/n can be split among so that each sub-shard stays within MAX_SHARDS. */
export function maxWorkersFor(shard: Shard): number {
  return Math.floor(MAX_SHARDS / shard.count);
}
