import fs from "fs";
import { InputError } from "../errors";
import { MAX_INPUT_FILE_BYTES } from "./bounds";

/**
 * Reads a file the user named (scenario, grid, CSV, deployments): its size is checked before anything is read, and
 * every failure is one sentence naming `field`. `maxBytes`: a file kind's own bound (in bounds.ts), if not the default.
 */
export function readInputFile(
  file: string,
  field: string,
  unreadableFix?: string,
  maxBytes = MAX_INPUT_FILE_BYTES,
): string {
  let bytes: number;
  try {
    bytes = fs.statSync(file).size;
  } catch (err) {
    throw new InputError(
      field,
      `cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
      unreadableFix,
    );
  }
  if (bytes > maxBytes) {
    throw new InputError(
      field,
      `${file} is ${bytes} bytes, over the ${maxBytes}-byte bound for input files`,
      "split it, or check that it is the file you meant",
    );
  }
  try {
    return fs.readFileSync(file, "utf8");
  } catch (err) {
    throw new InputError(
      field,
      `cannot read ${file}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
      unreadableFix,
    );
  }
}
