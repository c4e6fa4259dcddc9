/** The shard CSVs of a sharded sweep, read for `sweep:merge`. */
import { readInputFile } from "../domain/input-file";
import { MAX_GRID_POINTS, MAX_SHARDS } from "../domain/bounds";
import { InputError } from "../errors";
import { SweepRow, parseSweepCsv } from "../scenario/sweep";

/**
 * Parses each shard file, at most MAX_SHARDS of them, and at most MAX_GRID_POINTS rows in all (checked file by file, so
 * no pile of files is held at once); a file that cannot be read is named under `field`.
 */
export function readSweepShards(files: readonly string[], field = "shards"): SweepRow[][] {
  if (files.length > MAX_SHARDS) {
    throw new InputError(field, `${files.length} files, over the bound of ${MAX_SHARDS} shards`, "merge fewer files");
  }
  let rows = 0;
  return files.map((f) => {
    const shard = parseSweepCsv(readInputFile(f, field), f);
    rows += shard.length;
    if (rows > MAX_GRID_POINTS) {
      throw new InputError(
        field,
        `over ${MAX_GRID_POINTS} rows in all, the bound of a grid`,
        "merge the shards of one grid",
      );
    }
    return shard;
  });
}
