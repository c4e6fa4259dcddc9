/** `hardhat node` as a child process on 127.0.0.1, for tests that need a second chain (an upstream, a fork). */
import { ChildProcess, spawn } from "child_process";
import path from "path";
import { freePort } from "../src/chain/anvil";

const ROOT = path.join(__dirname, "..");
const HARDHAT_CLI = require.resolve("hardhat/internal/cli/cli.js", { paths: [ROOT] });

export interface NodeProcess {
  url: string;
  port: number;
  pid: number | undefined;
  /** Everything the node printed so far (stdout and stderr). */
  output(): string;
  stop(): Promise<void>;
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => child.kill("SIGKILL"), 5_000);
    child.once("exit", () => {
      clearTimeout(force);
      resolve();
    });
    child.kill("SIGTERM");
  });
}

/** Every node started and not yet stopped, so that a suite can stop them all in after() whatever happened. */
const running = new Set<NodeProcess>();

export async function stopAllNodes(): Promise<void> {
  await Promise.all([...running].map((n) => n.stop()));
}

/** Starts `hardhat node` (this project's config) with extra arguments, e.g. ["--fork", url, "--fork-block-number", "12"]. */
export async function startHardhatNode(extraArgs: string[] = [], startTimeoutMs = 30_000): Promise<NodeProcess> {
  for (let attempt = 1; ; attempt++) {
    const port = await freePort();
    try {
      return await startOn(port, extraArgs, startTimeoutMs);
    } catch (err) {
      if (attempt >= 3 || !/EADDRINUSE/.test(String(err))) throw err;
    }
  }
}

function startOn(port: number, extraArgs: string[], startTimeoutMs: number): Promise<NodeProcess> {
  const child = spawn(
    process.execPath,
    [HARDHAT_CLI, "node", "--hostname", "127.0.0.1", "--port", String(port), ...extraArgs],
    {
      cwd: ROOT,
      env: { ...process.env, HARDHAT_DISABLE_TELEMETRY_PROMPT: "true" },
      stdio: ["ignore", "pipe", "pipe"],
    },
  );
  let out = "";
  child.stdout!.on("data", (c: Buffer) => (out += c.toString("utf8")));
  child.stderr!.on("data", (c: Buffer) => (out += c.toString("utf8")));
  const node: NodeProcess = {
    url: `http://127.0.0.1:${port}`,
    port,
    pid: child.pid,
    output: () => out,
    stop: async () => {
      running.delete(node);
      await stopChild(child);
    },
  };
  running.add(node);
  return new Promise<NodeProcess>((resolve, reject) => {
    const timer = setTimeout(() => {
      void node.stop().then(() => reject(new Error(`hardhat node did not start within ${startTimeoutMs} ms:\n${out}`)));
    }, startTimeoutMs);
    const onData = () => {
      if (/Started HTTP and WebSocket JSON-RPC server at/.test(out)) {
        clearTimeout(timer);
        child.stdout!.off("data", onData);
        resolve(node);
      }
    };
    child.stdout!.on("data", onData);
    child.once("exit", (code, signal) => {
      running.delete(node);
      clearTimeout(timer);
      reject(new Error(`hardhat node exited (${code ?? signal}) before it started:\n${out}`));
    });
  });
}

/** Runs a hardhat task of this project as a child process; resolves with its exit status and all it printed. */
export function runHardhat(
  args: string[],
  env: Record<string, string>,
): Promise<{ status: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [HARDHAT_CLI, ...args], {
      cwd: ROOT,
      env: { ...process.env, HARDHAT_DISABLE_TELEMETRY_PROMPT: "true", ...env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let output = "";
    child.stdout.on("data", (c: Buffer) => (output += c.toString("utf8")));
    child.stderr.on("data", (c: Buffer) => (output += c.toString("utf8")));
    child.on("exit", (status) => resolve({ status, output }));
  });
}
