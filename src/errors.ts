/** Bad user input: names the field at fault and the fix. Entry points print it and exit non-zero. */
export class InputError extends Error {
  constructor(
    readonly field: string,
    readonly problem: string,
    readonly fix?: string,
  ) {
    super(`${field}: ${problem}${fix ? ` — ${fix}` : ""}`);
    this.name = "InputError";
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
