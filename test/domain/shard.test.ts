import { expect } from "chai";
import fc from "fast-check";
import { InputError } from "../../src/errors";
import { MAX_SHARDS } from "../../src/domain/bounds";
import { maxWorkersFor, parseShard, shardFrom, splitShard } from "../../src/domain/shard";

/** Where a process's shard comes from: the flag, or the environment an engine's job runs in. */
describe("shards", function () {
  it("--shard i/n: 0 <= i < n <= MAX_SHARDS, or one line naming the flag", function () {
    expect(shardFrom("3/4", {})).to.deep.equal({ index: 3, count: 4 });
    expect(parseShard("0/1")).to.deep.equal({ index: 0, count: 1 });
    expect(() => shardFrom("4/4", {})).to.throw(
      InputError,
      '--shard: "4/4" is not i/n with 0 <= i < n — e.g. --shard 0/4, or --shard env',
    );
    expect(() => shardFrom("0/10001", {})).to.throw(
      "--shard: 10001 shards, over the bound of 10000 — split into fewer shards",
    );
    // Another task's flag keeps its own name.
    expect(() => parseShard("x", "--chunk")).to.throw('--chunk: "x" is not i/n with 0 <= i < n — e.g. --chunk 0/4');
  });

  it("--shard env: a Kubernetes Indexed Job's JOB_COMPLETION_INDEX, with the count the manifest sets", function () {
    const env = { JOB_COMPLETION_INDEX: "2", LOOPSTRESS_SHARD_COUNT: "4" };
    expect(shardFrom("env", env)).to.deep.equal({ index: 2, count: 4 });
    expect(() => shardFrom("env", { JOB_COMPLETION_INDEX: "2" })).to.throw(
      InputError,
      "LOOPSTRESS_SHARD_COUNT: is not set (--shard env reads the shard count from it) — set it to the number of " +
        "shards: the Indexed Job's spec.completions, or the matrix's strategy.job-total",
    );
    expect(() => shardFrom("env", { ...env, JOB_COMPLETION_INDEX: "4" })).to.throw(
      "JOB_COMPLETION_INDEX: 4 is not below LOOPSTRESS_SHARD_COUNT (4) — shards are numbered 0 to 3",
    );
    expect(() => shardFrom("env", { ...env, JOB_COMPLETION_INDEX: "-1" })).to.throw(
      'JOB_COMPLETION_INDEX: "-1" is not a whole number',
    );
  });

  it("--shard env: a CI matrix's LOOPSTRESS_SHARD_INDEX and LOOPSTRESS_SHARD_COUNT", function () {
    expect(shardFrom("env", { LOOPSTRESS_SHARD_INDEX: "0", LOOPSTRESS_SHARD_COUNT: "3" })).to.deep.equal({
      index: 0,
      count: 3,
    });
    // Both set (a CI job on a Kubernetes runner): they must agree.
    const both = { LOOPSTRESS_SHARD_INDEX: "1", JOB_COMPLETION_INDEX: "1", LOOPSTRESS_SHARD_COUNT: "3" };
    expect(shardFrom("env", both)).to.deep.equal({ index: 1, count: 3 });
    expect(() => shardFrom("env", { ...both, JOB_COMPLETION_INDEX: "2" })).to.throw(
      'LOOPSTRESS_SHARD_INDEX: "1" differs from JOB_COMPLETION_INDEX "2" — set only one',
    );
    expect(() => shardFrom("env", { LOOPSTRESS_SHARD_COUNT: "3" })).to.throw(
      "LOOPSTRESS_SHARD_INDEX: is not set, nor JOB_COMPLETION_INDEX (--shard env) — run as a Kubernetes Indexed Job, " +
        "set LOOPSTRESS_SHARD_INDEX from the CI matrix, or give --shard i/n",
    );
    expect(() => shardFrom("env", { LOOPSTRESS_SHARD_INDEX: "", LOOPSTRESS_SHARD_COUNT: "3" })).to.throw(
      'LOOPSTRESS_SHARD_INDEX: "" is not a whole number',
    );
    expect(() => shardFrom("env", { LOOPSTRESS_SHARD_INDEX: "0", LOOPSTRESS_SHARD_COUNT: "0" })).to.throw(
      "LOOPSTRESS_SHARD_COUNT: 0 is out of range — give 1 to 10000 shards",
    );
    expect(() => shardFrom("env", { LOOPSTRESS_SHARD_INDEX: "0", LOOPSTRESS_SHARD_COUNT: "9".repeat(100) })).to.throw(
      `LOOPSTRESS_SHARD_COUNT: "${"9".repeat(60)}…" is not a whole number`,
    );
  });

  it("--shard env, any environment: a shard within bounds, or one line naming one of the variables", function () {
    const value = fc.oneof(
      fc.constantFrom(undefined, "", "0", "1", "3", "4", "10000", "10001", "-1", "1e3", " 2", "0x2", "9".repeat(5000)),
      fc.string({ maxLength: 8 }),
    );
    const names = ["LOOPSTRESS_SHARD_INDEX", "JOB_COMPLETION_INDEX", "LOOPSTRESS_SHARD_COUNT"];
    fc.assert(
      fc.property(value, value, value, (ci, kube, count) => {
        const env = { LOOPSTRESS_SHARD_INDEX: ci, JOB_COMPLETION_INDEX: kube, LOOPSTRESS_SHARD_COUNT: count };
        try {
          const s = shardFrom("env", env);
          expect(s.count).to.be.within(1, MAX_SHARDS);
          expect(s.index).to.be.within(0, s.count - 1);
          expect(String(s.index)).to.be.oneOf([ci, kube].filter((x) => x !== undefined).map((x) => String(Number(x))));
        } catch (err) {
          expect(err).to.be.instanceOf(InputError);
          const e = err as InputError;
          expect(names).to.include(e.field);
          expect(e.message).to.not.match(/[\r\n]/);
          expect(e.message.length).to.be.below(400);
        }
      }),
      { seed: 20_261_129, numRuns: 300 },
    );
  });

  it("a shard split among workers: every point of the shard exactly once, each sub-shard a valid --shard", function () {
    expect(splitShard({ index: 1, count: 3 }, 2)).to.deep.equal([
      { index: 1, count: 6 },
      { index: 4, count: 6 },
    ]);
    for (const [shard, workers] of [
      [{ index: 0, count: 1 }, 2],
      [{ index: 1, count: 3 }, 4],
      [{ index: 2, count: 5 }, 3],
    ] as const) {
      const points = Array.from({ length: 100 }, (_, i) => i);
      const owned = points.filter((i) => i % shard.count === shard.index);
      const split = splitShard(shard, workers).map((s) => points.filter((i) => i % s.count === s.index));
      expect(split.flat().sort((a, b) => a - b)).to.deep.equal(owned);
      // Spread evenly: sizes differ by at most one.
      const sizes = split.map((x) => x.length);
      expect(Math.max(...sizes) - Math.min(...sizes)).to.be.at.most(1);
    }
    expect(maxWorkersFor({ index: 0, count: 3 })).to.equal(3333);
    expect(() => splitShard({ index: 0, count: MAX_SHARDS }, 2)).to.throw(
      "workers: 2 workers for shard 0/10000 — use fewer workers",
    );
  });
});
