/** The shard CSVs of a sharded sweep, read for `sweep:merge`. */
import { readInputFile } from "../domain/input-file";
import { SweepRow, parseSweepCsv } from "../scenario/sweep";

/** Parses each shard file; a file that cannot be read is named under `field` (a CSV error names its own line). */
export function readSweepShards(files: readonly string[], field = "shards"): SweepRow[][] {
  return files.map((f) => {
    return parseSweepCsv(readInputFile(f, field), f);
  });
}
