/** Bad user input: names the field at fault and the fix. Entry points print it and exit non-zero. */
export class InputError extends Error {
  constructor(
    readonly field: string,
    problem: string,
    readonly fix?: string,
  ) {
    super(`${field}: ${problem}${fix ? ` — ${fix}` : ""}`);
    this.name = "InputError";
  }
}
