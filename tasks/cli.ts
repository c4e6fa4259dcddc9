/**
 * Runs a task body: bad input, reverts and fork failures (the RPC rate-limited, unreachable, without the block…, even
 * mid-run) become one clear line on stderr and a non-zero exit.
 */
export async function runCli(body: () => Promise<void>): Promise<void> {
  try {
    await body();
  } catch (thrown) {
    const { forkFailure } = await import("../src/chain/upstream/fork-failures");
    const err = forkFailure(thrown) ?? thrown;
    const name = err instanceof Error ? err.name : "Error";
    const message = err instanceof Error ? err.message : String(err);
    const known = ["InputError", "RevertError", "UnsafeNodeError", "WorkerError"].includes(name);
    console.error(`loopstress: ${known ? "" : `${name}: `}${message}`);
    if (!known && err instanceof Error && process.env.LOOPSTRESS_DEBUG) console.error(err.stack);
    process.exitCode = 1;
  }
}

/** Re-labels InputErrors raised by the library (e.g. "targetLtv") with the command-line flag the user typed ("--ltv"). */
export async function withFlagNames(flags: Record<string, string>, body: () => Promise<void>): Promise<void> {
  const { InputError } = await import("../src/errors");
  try {
    await body();
  } catch (err) {
    if (err instanceof InputError && flags[err.field] !== undefined) {
      throw err.atField(flags[err.field]);
    }
    throw err;
  }
}
