/** The shard CSVs of a sharded sweep, read for `sweep:merge`. */
import fs from "fs";
import { InputError } from "../errors";
import { SweepRow, parseSweepCsv } from "../scenario/sweep";

/** Parses each shard file; a file that cannot be read is named under `field` (a CSV error names its own line). */
export function readSweepShards(files: readonly string[], field = "shards"): SweepRow[][] {
  return files.map((f) => {
    let text: string;
    try {
      text = fs.readFileSync(f, "utf8");
    } catch (err) {
      throw new InputError(field, `cannot read ${f}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`);
    }
    return parseSweepCsv(text, f);
  });
}
