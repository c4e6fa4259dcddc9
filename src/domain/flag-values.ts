/**
 * Command-line values checked for form and range, each against its bound in bounds.ts, before anything is deployed or
 * forked; and output paths contained (an explicit --out, --fork-cache). Every refusal names the flag.
 */
import fs from "fs";
import path from "path";
import { InputError } from "../errors";
import { parseUnitsExact } from "../math/fixed-point";
import {
  MAX_DECIMAL_DIGITS,
  MAX_FLAG_AMOUNT_TOKENS,
  MAX_FORK_BLOCK,
  MAX_PATH_CHARS,
  MAX_SHOWN_VALUE_CHARS,
} from "./bounds";

/** `value` as an error message may repeat it: on one line, cut at MAX_SHOWN_VALUE_CHARS. */
export function shownValue(value: string): string {
  const flat = JSON.stringify(value).slice(1, -1);
  return flat.length > MAX_SHOWN_VALUE_CHARS ? `${flat.slice(0, MAX_SHOWN_VALUE_CHARS)}…` : flat;
}

const DECIMAL = new RegExp(`^\\d{1,${MAX_DECIMAL_DIGITS}}(\\.\\d{1,${MAX_DECIMAL_DIGITS}})?$`);

/** A non-negative decimal flag (e.g. --ltv) as an integer of `decimals` decimals. */
export function decimalFrom(value: string, field: string, decimals: number): bigint {
  if (!DECIMAL.test(value))
    throw new InputError(field, `"${shownValue(value)}" is not a decimal number`, "write e.g. 0.65");
  return parseUnitsExact(value, decimals, field);
}

/** A whole-token amount (--amount), more than 0 and at most MAX_FLAG_AMOUNT_TOKENS, with at most `decimals` decimals. */
export function amountFrom(value: string, field: string, decimals: number): bigint {
  const raw = decimalFrom(value, field, decimals);
  if (raw <= 0n) throw new InputError(field, "must be more than 0", "give the amount in whole tokens, e.g. 100000");
  if (raw > MAX_FLAG_AMOUNT_TOKENS * 10n ** BigInt(decimals)) {
    throw new InputError(
      field,
      `${shownValue(value)} is over the bound of ${MAX_FLAG_AMOUNT_TOKENS} tokens`,
      "no stablecoin has that many; give a smaller amount",
    );
  }
  return raw;
}

/** A whole number in [min, max] (e.g. --rounds). */
export function wholeNumberFrom(value: string, field: string, min: number, max: number): number {
  if (!/^-?\d{1,20}$/.test(value)) throw new InputError(field, `"${shownValue(value)}" is not a whole number`);
  const n = Number(value);
  if (n < min || n > max) throw new InputError(field, `${value} is out of range`, `give ${min} to ${max}`);
  return n;
}

/** A fork block (--fork-block): a block number, at most MAX_FORK_BLOCK. */
export function forkBlockFrom(value: string, field = "--fork-block"): number {
  if (!/^\d{1,20}$/.test(value)) throw new InputError(field, `"${shownValue(value)}" is not a block number`);
  const n = Number(value);
  if (n > MAX_FORK_BLOCK) {
    throw new InputError(field, `${value} is over the bound of ${MAX_FORK_BLOCK}`, "give a block the chain has mined");
  }
  return n;
}

/**
 * A path the user gives for something we write (--out, --fork-cache), contained: at most MAX_PATH_CHARS, no control
 * characters, no name of only dots. A relative path must stay inside the working directory (no `..` out of it); an
 * absolute one names a folder the user chose, which must exist already (nothing is created outside the working
 * directory). `extension` (".json", ".csv"): the file must end with it. Returns the path resolved.
 */
export function outputPathFrom(value: string, field: string, extension?: string): string {
  const refuse = (problem: string, fix: string): never => {
    throw new InputError(field, `"${shownValue(value)}" ${problem}`, fix);
  };
  if (value === "" || value.length > MAX_PATH_CHARS)
    refuse(`is not a path of 1 to ${MAX_PATH_CHARS} characters`, "name a file");
  if (/[\u0000-\u001f\u007f]/.test(value)) refuse("holds control characters", "name a file with printable characters");
  const resolved = path.resolve(value);
  const name = path.basename(resolved);
  if (/[\\/]$/.test(value) || /^\.+$/.test(path.basename(value)))
    refuse("does not name a file", "end it with a file name");
  if (extension !== undefined && !name.endsWith(extension))
    refuse(`does not end in ${extension}`, `name a ${extension} file`);
  if (path.isAbsolute(value)) {
    if (!fs.existsSync(path.dirname(resolved))) {
      refuse("is in a folder that does not exist", "create the folder first, or give a path inside the project");
    }
  } else {
    const rel = path.relative(process.cwd(), resolved);
    if (rel === "" || rel === ".." || rel.startsWith(`..${path.sep}`) || path.isAbsolute(rel)) {
      refuse(
        "leaves the working directory",
        "give a path inside the project, or an absolute path to a folder that exists",
      );
    }
  }
  if (fs.existsSync(resolved) && fs.statSync(resolved).isDirectory() && extension !== undefined) {
    refuse("is a folder", "name a file");
  }
  return resolved;
}
