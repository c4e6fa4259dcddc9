/**
 * The most characters of a field, problem or fix an error message holds: the longest sentence of ours (a fix listing
 * every market of the chain) is under 400; more than this is a value the user gave, repeated (a pasted file, a
 * 100,000-digit number), which the message must not become.
 */
const MAX_PART_CHARS = 500;

/** `text` on one line (control and line-break characters escaped as \n, \u0000…) and cut at MAX_PART_CHARS. */
function sentencePart(text: string): string {
  const flat = text.replace(/[\u0000-\u001f\u007f\u2028\u2029]/g, (c) =>
    c === "\n" ? "\\n" : `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`,
  );
  return flat.length > MAX_PART_CHARS ? `${flat.slice(0, MAX_PART_CHARS)}…` : flat;
}

/**
 * Bad user input: names the field at fault and the fix. Entry points print it and exit non-zero. Whatever a value the
 * message repeats holds, the message is one line of bounded length.
 */
export class InputError extends Error {
  readonly field: string;
  readonly problem: string;
  readonly fix?: string;

  constructor(field: string, problem: string, fix?: string) {
    const [f, p, x] = [sentencePart(field), sentencePart(problem), fix === undefined ? undefined : sentencePart(fix)];
    super(`${f}: ${p}${x ? ` — ${x}` : ""}`);
    this.name = "InputError";
    this.field = f;
    this.problem = p;
    this.fix = x;
  }

  /** The same error one level down in a bigger input: `err.withField("loops[0].")` turns `targetLtv` into `loops[0].targetLtv`. */
  withField(prefix: string): InputError {
    return this.atField(`${prefix}${this.field}`);
  }

  /** The same problem and fix, named by another field (e.g. the command-line flag the user typed). */
  atField(field: string): InputError {
    return new InputError(field, this.problem, this.fix);
  }
}
