/** Reading scenario-like files (YAML or JSON) and validating them with zod: one place for both error messages. */
import YAML from "yaml";
import type { z } from "zod";
import { InputError } from "../errors";
import { readInputFile } from "../domain/input-file";

/** Reads and parses a YAML (or, by extension, JSON) file; `field` names it in errors. */
export function readStructuredFile(file: string, field: string): unknown {
  const text = readInputFile(file, field);
  try {
    return file.endsWith(".json") ? JSON.parse(text) : YAML.parse(text);
  } catch (err) {
    throw new InputError(
      file,
      `not valid ${file.endsWith(".json") ? "JSON" : "YAML"}: ${(err as Error).message.split("\n")[0]}`,
    );
  }
}

/** "loops[0].rounds" from a zod issue path. */
function issuePath(p: (string | number)[]): string {
  return (
    p.reduce<string>((acc, k) => (typeof k === "number" ? `${acc}[${k}]` : acc ? `${acc}.${k}` : String(k)), "") ||
    "(root)"
  );
}

/** Validates `raw`, or throws an InputError naming `source` and the path of the first bad field. */
export function parseWithSchema<S extends z.ZodTypeAny>(schema: S, raw: unknown, source: string): z.infer<S> {
  const r = schema.safeParse(raw);
  if (r.success) return r.data;
  const first = r.error.issues[0];
  const more = r.error.issues.length > 1 ? ` (and ${r.error.issues.length - 1} more)` : "";
  throw new InputError(`${source}: ${issuePath(first.path)}`, `${first.message}${more}`);
}
