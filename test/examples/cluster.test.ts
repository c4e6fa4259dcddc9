import { expect } from "chai";
import fs from "fs";
import path from "path";
import YAML from "yaml";
import { SHARD_ENV, shardFrom } from "../../src/domain/shard";
import { gridPoints, readGrid } from "../../src/scenario/sweep";
import { readCascadeScenario } from "../../src/scenario/cascade-schema";

const ROOT = path.join(__dirname, "..", "..");
const DIR = path.join(ROOT, "examples", "cluster");

/** Every document of a YAML file, parsed (a syntax error fails the test). */
function documents(file: string): Record<string, unknown>[] {
  const docs = YAML.parseAllDocuments(fs.readFileSync(path.join(DIR, file), "utf8"));
  for (const d of docs) expect(d.errors, file).to.deep.equal([]);
  return docs.map((d) => d.toJS() as Record<string, unknown>);
}

/** The value at a path of plain keys and indexes. */
function at(value: unknown, ...keys: (string | number)[]): unknown {
  return keys.reduce<unknown>((v, k) => (v as Record<string | number, unknown>)[k], value);
}

/** The flags of a `npx hardhat <task> ...` command line, and its positionals. */
function commandLine(line: string) {
  const words = line.trim().split(/\s+/);
  const flags: Record<string, string> = {};
  const positionals: string[] = [];
  for (let i = 3; i < words.length; i++) {
    if (words[i].startsWith("--")) flags[words[i]] = words[++i];
    else positionals.push(words[i]);
  }
  return { task: words.slice(0, 3).join(" "), flags, positionals };
}

describe("examples/cluster: sharded sweeps as an engine's jobs", function () {
  it("the grid is a grid of the scenario the examples sweep", function () {
    const points = gridPoints(readGrid(path.join(DIR, "grid.yaml")), readCascadeScenario("scenarios/oct-10-2025.yaml"));
    expect(points).to.have.length(8);
  });

  it("Kubernetes: an Indexed Job whose pods read their shard from the variables the code reads; then a merge", function () {
    const [claim, job] = documents("kubernetes-sweep-job.yaml");
    expect([claim.kind, job.kind]).to.deep.equal(["PersistentVolumeClaim", "Job"]);
    expect(at(job, "spec", "completionMode")).to.equal("Indexed");
    const completions = at(job, "spec", "completions");
    expect(at(job, "spec", "parallelism")).to.equal(completions);
    const container = at(job, "spec", "template", "spec", "containers", 0);
    const env = Object.fromEntries(
      (at(container, "env") as { name: string; value: string }[]).map((e) => [e.name, e.value]),
    );
    // The count is the manifest's; the index is set by Kubernetes in each pod, never by the manifest.
    expect(env[SHARD_ENV.count]).to.equal(String(completions));
    expect(env).to.not.have.property(SHARD_ENV.kubernetesIndex);
    for (let i = 0; i < Number(completions); i++) {
      const podEnv = { ...env, [SHARD_ENV.kubernetesIndex]: String(i) };
      expect(shardFrom("env", podEnv)).to.deep.equal({ index: i, count: completions });
    }
    const sweep = commandLine((at(container, "args") as string[])[0]);
    expect(sweep.task).to.equal("npx hardhat sweep");
    expect(sweep.flags["--shard"]).to.equal("env");
    expect(sweep.flags["--out"]).to.equal(
      `"/shards/sweep-shard-\${${SHARD_ENV.kubernetesIndex}}-of-\${${SHARD_ENV.count}}.csv"`,
    );
    const claimName = at(claim, "metadata", "name");
    expect(at(job, "spec", "template", "spec", "volumes", 0, "persistentVolumeClaim", "claimName")).to.equal(claimName);
    expect(at(container, "volumeMounts", 0, "mountPath")).to.equal("/shards");

    const [mergeJob] = documents("kubernetes-merge-job.yaml");
    const mergeContainer = at(mergeJob, "spec", "template", "spec", "containers", 0);
    const merge = commandLine((at(mergeContainer, "args") as string[])[0]);
    expect(merge.task).to.equal("npx hardhat sweep:merge");
    // Every shard the Job wrote, checked against the same grid and scenario.
    expect(merge.positionals).to.deep.equal([`/shards/sweep-shard-*-of-${completions}.csv`]);
    expect([merge.flags["--grid"], merge.flags["--scenario"]]).to.deep.equal([
      sweep.flags["--grid"],
      sweep.positionals[0],
    ]);
    expect(at(mergeJob, "spec", "template", "spec", "volumes", 0, "persistentVolumeClaim", "claimName")).to.equal(
      claimName,
    );
  });

  it("GitHub Actions: a matrix whose jobs hand their index and total to --shard env; a final job merges", function () {
    const [workflow] = documents("github-actions-sweep.yml");
    const shard = at(workflow, "jobs", "shard");
    expect(at(shard, "env", SHARD_ENV.index)).to.equal("${{ strategy.job-index }}");
    expect(at(shard, "env", SHARD_ENV.count)).to.equal("${{ strategy.job-total }}");
    const jobs = (at(shard, "strategy", "matrix", "shard") as number[]).length;
    expect(jobs).to.equal(4);
    // As the runner sets them in job i of 4.
    for (let i = 0; i < jobs; i++) {
      expect(shardFrom("env", { [SHARD_ENV.index]: String(i), [SHARD_ENV.count]: String(jobs) })).to.deep.equal({
        index: i,
        count: jobs,
      });
    }
    const runs = (at(shard, "steps") as { run?: string; with?: Record<string, string> }[]).filter((s) => s.run);
    const sweep = commandLine(runs.at(-1)!.run!);
    expect(sweep.task).to.equal("npx hardhat sweep");
    expect(sweep.flags["--shard"]).to.equal("env");
    const upload = (at(shard, "steps") as { uses?: string; with?: Record<string, string> }[]).find((s) =>
      s.uses?.startsWith("actions/upload-artifact"),
    );
    // The default output of a shard: reports/<scenario name>/sweep-shard-i-of-n.csv.
    expect(upload?.with?.path).to.equal("reports/oct-10-2025/sweep-shard-*.csv");

    const mergeJob = at(workflow, "jobs", "merge");
    expect(at(mergeJob, "needs")).to.equal("shard");
    const mergeSteps = at(mergeJob, "steps") as { uses?: string; run?: string; with?: Record<string, unknown> }[];
    const download = mergeSteps.find((s) => s.uses?.startsWith("actions/download-artifact"));
    expect(download?.with).to.deep.include({ pattern: "sweep-shard-*", "merge-multiple": true, path: "shards" });
    const merge = commandLine(mergeSteps.filter((s) => s.run).at(-1)!.run!);
    expect(merge.task).to.equal("npx hardhat sweep:merge");
    expect(merge.positionals).to.deep.equal(["shards/*.csv"]);
    expect([merge.flags["--grid"], merge.flags["--scenario"]]).to.deep.equal([
      sweep.flags["--grid"],
      sweep.positionals[0],
    ]);
    // Not a workflow of this repository: an example to copy.
    expect(fs.existsSync(path.join(ROOT, ".github", "workflows", "github-actions-sweep.yml"))).to.equal(false);
  });
});
