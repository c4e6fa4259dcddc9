/**
 * Worker processes: whole tasks run side by side, each in a process of its own (so each opens its own chain). Their
 * stderr lines are shown prefixed with the worker's label; the first failure stops the others and becomes one line
 * naming the worker and the child's own error; an interrupt (SIGINT, SIGTERM) of the parent stops them all.
 */
import { type ChildProcess, spawn } from "child_process";

export interface WorkerSpec {
  /** Prefixes the worker's lines and names it in errors, e.g. "worker 2/4". */
  label: string;
  command: string;
  args: readonly string[];
  cwd?: string;
}

/** A worker failed or the run was interrupted; runCli prints it as one line like an input error. */
export class WorkerError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "WorkerError";
  }
}

/** Set in each worker's environment, so that the worker can watch for its parent going away (exitWithParent). */
const WORKER_ENV = "LOOPSTRESS_WORKER";

/** How long a worker asked to stop (SIGTERM) gets to exit before it is killed. */
const STOP_GRACE_MS = 5_000;

/** The line prefix of the errors runCli prints; a worker's own error is repeated without it. */
const ERROR_PREFIX = "loopstress: ";

const running = (c: ChildProcess) => c.exitCode === null && c.signalCode === null;

function stop(c: ChildProcess): void {
  if (!running(c)) return;
  c.kill("SIGTERM");
  setTimeout(() => {
    if (running(c)) c.kill("SIGKILL");
  }, STOP_GRACE_MS).unref();
}

/** Calls `line` with each complete line of `stream`, and the last one unterminated at its end. */
function eachLine(stream: NodeJS.ReadableStream, line: (l: string) => void): void {
  let buffered = "";
  stream.setEncoding("utf8");
  stream.on("data", (chunk: string) => {
    const parts = (buffered + chunk).split(/\r?\n|\r/);
    buffered = parts.pop() ?? "";
    parts.forEach(line);
  });
  stream.on("end", () => {
    if (buffered !== "") line(buffered);
  });
}

/**
 * Runs every worker at once; resolves when all exited 0. Otherwise rejects, once every worker has exited, with a
 * WorkerError naming the first that failed and its error line (or its exit code or signal, and its last line).
 */
export function runWorkers(specs: readonly WorkerSpec[], log: (line: string) => void): Promise<void> {
  return new Promise((resolve, reject) => {
    const children: ChildProcess[] = [];
    let failure: WorkerError | undefined;
    let left = specs.length;
    const fail = (err: WorkerError) => {
      failure ??= err;
      children.forEach(stop);
    };
    const onSignal = (signal: NodeJS.Signals) =>
      fail(new WorkerError(`interrupted by ${signal}; every worker stopped`));
    // Last resort if something calls process.exit meanwhile: no worker outlives the parent.
    const onExit = () => children.filter(running).forEach((c) => c.kill("SIGKILL"));
    process.on("SIGINT", onSignal);
    process.on("SIGTERM", onSignal);
    process.on("exit", onExit);
    const finished = () => {
      if (--left > 0) return;
      process.off("SIGINT", onSignal);
      process.off("SIGTERM", onSignal);
      process.off("exit", onExit);
      if (failure) reject(failure);
      else resolve();
    };
    if (specs.length === 0) {
      left = 1;
      finished();
    }
    for (const spec of specs) {
      const child = spawn(spec.command, [...spec.args], {
        cwd: spec.cwd,
        env: { ...process.env, [WORKER_ENV]: String(process.pid) },
        // stdin stays open as the worker's tie to its parent; stdout (the worker's own printout) is not needed.
        stdio: ["pipe", "ignore", "pipe"],
      });
      children.push(child);
      let lastLine = "";
      let errorLine: string | undefined;
      eachLine(child.stderr!, (l) => {
        log(`[${spec.label}] ${l}`);
        if (l.trim() !== "") lastLine = l.trim();
        if (l.startsWith(ERROR_PREFIX)) errorLine = l.slice(ERROR_PREFIX.length);
      });
      let done = false;
      const end = (why: string | undefined) => {
        if (done) return;
        done = true;
        if (why !== undefined) fail(new WorkerError(`${spec.label} failed: ${why}`));
        finished();
      };
      // Only a spawn failure leaves no process to wait for.
      child.on("error", (err) => {
        if (child.pid === undefined) end(err.message);
      });
      child.on("close", (code, signal) => {
        if (code === 0) return end(undefined);
        const exit = signal !== null ? `killed by ${signal}` : `exit code ${code}`;
        end(errorLine ?? `${exit}${lastLine === "" ? "" : `; its last line: ${lastLine}`}`);
      });
    }
  });
}

/**
 * In a worker: exit when the parent is gone (its end of stdin closes), even if it was killed without a chance to stop
 * its workers. Does nothing in a process that is not a worker.
 */
export function exitWithParent(): void {
  if (process.env[WORKER_ENV] === undefined || process.stdin.isTTY) return;
  process.stdin.on("end", () => {
    console.error(`${ERROR_PREFIX}the parent process ${process.env[WORKER_ENV]} is gone; this worker stops`);
    process.exit(1);
  });
  process.stdin.resume();
  // Watching must not keep the worker alive once its work is done.
  (process.stdin as { unref?: () => void }).unref?.();
}

/** A task parameter as Hardhat defines it (only what forwarding needs). */
export interface TaskParamDefinition {
  name: string;
  isFlag: boolean;
  isVariadic: boolean;
}

/**
 * The command-line arguments that give a task the arguments it was run with, except `omit` (those a worker is given
 * its own values for): positionals in order, then each option as --kebab-name value, each flag set as --kebab-name.
 * Generic, so that a worker receives every option of its task, including ones added later.
 */
export function taskArgv(
  task: {
    positionalParamDefinitions: readonly TaskParamDefinition[];
    paramDefinitions: Readonly<Record<string, TaskParamDefinition>>;
  },
  args: Readonly<Record<string, unknown>>,
  omit: readonly string[],
): string[] {
  const text = (v: unknown): string => (typeof v === "object" && v !== null ? JSON.stringify(v) : String(v));
  const out: string[] = [];
  for (const p of task.positionalParamDefinitions) {
    const v = args[p.name];
    if (omit.includes(p.name) || v === undefined) continue;
    out.push(...(p.isVariadic && Array.isArray(v) ? v.map(text) : [text(v)]));
  }
  for (const p of Object.values(task.paramDefinitions)) {
    const v = args[p.name];
    if (omit.includes(p.name) || v === undefined || v === false) continue;
    const flag = `--${p.name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)}`;
    out.push(...(p.isFlag ? [flag] : [flag, text(v)]));
  }
  return out;
}
