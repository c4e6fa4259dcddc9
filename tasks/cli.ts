/** Runs a task body: bad input and reverts become one clear line on stderr and a non-zero exit. */
export async function runCli(body: () => Promise<void>): Promise<void> {
  try {
    await body();
  } catch (err) {
    const name = err instanceof Error ? err.name : "Error";
    const message = err instanceof Error ? err.message : String(err);
    const known = ["InputError", "RevertError", "UnsafeNodeError"].includes(name);
    console.error(`loopstress: ${known ? "" : `${name}: `}${message}`);
    if (!known && err instanceof Error && process.env.LOOPSTRESS_DEBUG) console.error(err.stack);
    process.exitCode = 1;
  }
}
