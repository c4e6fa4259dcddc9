/**
 * anvil as a child process on 127.0.0.1: the binary comes from the installed platform package (@foundry-rs/anvil's
 * optional dependency), the chain is the one of dev-node.ts (the same as Hardhat's in-process network), and the node is
 * never left behind — it is stopped on close(), on process exit, on SIGINT/SIGTERM, and, through a watcher reading our
 * end of a pipe, even when this process is killed outright.
 */
import { ChildProcess, spawn } from "child_process";
import net from "net";
import path from "path";
import {
  DEV_ACCOUNT_BALANCE_WEI,
  DEV_ACCOUNT_COUNT,
  DEV_BLOCK_GAS_LIMIT,
  DEV_CHAIN_ID,
  DEV_GENESIS_DATE,
  DEV_HARDFORK,
  DEV_MNEMONIC,
} from "./dev-node";

/** How long anvil may take to answer after it is started: it answers in well under a second; a fork start is lazy. */
const ANVIL_START_TIMEOUT_MS = 30_000;
/** How long close() waits for anvil to exit on SIGTERM before it is killed. */
const ANVIL_STOP_GRACE_MS = 5_000;
const READY_POLL_MS = 25;
const WEI_PER_ETHER = 10n ** 18n;

/** The platform packages @foundry-rs/anvil lists as optional dependencies, by Node's names. */
const PLATFORMS: Record<string, string> = { linux: "linux", darwin: "darwin", win32: "win32" };
const ARCHES: Record<string, string> = { x64: "amd64", arm64: "arm64" };

/** The anvil binary of the installed platform package; a clear error when this platform has none installed. */
export function anvilBinary(): string {
  const os = PLATFORMS[process.platform];
  const arch = ARCHES[process.arch];
  const pkg = `@foundry-rs/anvil-${os ?? process.platform}-${arch ?? process.arch}`;
  let dir: string;
  try {
    dir = path.dirname(require.resolve(`${pkg}/package.json`));
  } catch {
    throw new Error(`anvil: ${pkg} is not installed (npm installs it with @foundry-rs/anvil on supported platforms)`);
  }
  return path.join(dir, "bin", process.platform === "win32" ? "anvil.exe" : "anvil");
}

interface AnvilFork {
  url: string;
  blockNumber: number;
}

export interface AnvilOptions {
  /** Fork mode: the (local proxy's) URL to fork and the pinned block. */
  fork?: AnvilFork;
  startTimeoutMs?: number;
}

/** The chain of dev-node.ts as anvil's arguments (the node that serves it, or a fork of that node). */
function chainArgs(port: number): string[] {
  const genesisSeconds = Math.floor(Date.parse(DEV_GENESIS_DATE) / 1000);
  // Contract size limits: anvil's default (24,576 bytes; initcode twice that) is Hardhat's. Base fee: both start at
  // 1 gwei and follow EIP-1559; the harness sets no fee of its own, so each node fills in the same defaults.
  return [
    ["--host", "127.0.0.1"],
    ["--port", String(port)],
    ["--chain-id", String(DEV_CHAIN_ID)],
    ["--timestamp", String(genesisSeconds)],
    ["--gas-limit", String(DEV_BLOCK_GAS_LIMIT)],
    ["--accounts", String(DEV_ACCOUNT_COUNT)],
    ["--balance", String(DEV_ACCOUNT_BALANCE_WEI / WEI_PER_ETHER)],
    ["--mnemonic", DEV_MNEMONIC],
    ["--hardfork", DEV_HARDFORK],
    ["--silent"],
  ].flat();
}

/**
 * The node the harness talks to: always a fork, with no past state kept. anvil 1.7.1 rehashes its whole state trie at
 * every mined block unless it runs as a fork (a fork has no trie of its own to hash), and keeping any past state copies
 * the state at every block: with 60,000 storage slots over 3,000 accounts a block cost 58 ms unforked, 5.8 ms forked
 * keeping 64 states and 1.2 ms forked keeping none (measured, a plain transfer per block). The harness reads only the
 * latest state (a revert's reason too: src/chain/tx.ts).
 */
function forkArgs(port: number, fork: AnvilFork): string[] {
  return [
    ...chainArgs(port),
    ...["--fork-url", fork.url, "--fork-block-number", String(fork.blockNumber)],
    "--prune-history",
  ];
}

export interface AnvilProcess {
  /** http://127.0.0.1:<port> */
  url: string;
  /** Every anvil process this node runs on (the node, and the genesis node it forks), e.g. to read their memory. */
  pids: number[];
  /** Stops anvil and waits until it has exited (idempotent). */
  close(): Promise<void>;
}

/** A loopback port that was free a moment ago (the caller binds it right after; a clash is the caller's to retry). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = net.createServer();
    s.once("error", reject);
    s.listen(0, "127.0.0.1", () => {
      const { port } = s.address() as net.AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

/**
 * On POSIX anvil runs under a small sh watcher: a second job reads the pipe from this process and kills anvil at end of
 * file, which comes when close() ends it or when this process dies in any way (even SIGKILL). The first line the
 * script prints is anvil's pid; its exit status is anvil's.
 */
const WATCHER = [
  "exec 3<&0",
  '"$0" "$@" </dev/null & a=$!',
  'echo "$a"',
  "{ read _ <&3; kill $a 2>/dev/null; } & w=$!",
  "trap 'kill $a $w 2>/dev/null; exit 143' INT TERM HUP",
  "wait $a; s=$?",
  "kill $w 2>/dev/null",
  "exit $s",
].join("\n");

function spawnAnvil(args: string[]): ChildProcess {
  const binary = anvilBinary();
  const stdio: ["pipe", "pipe", "pipe"] = ["pipe", "pipe", "pipe"];
  if (process.platform === "win32") return spawn(binary, args, { stdio });
  return spawn("/bin/sh", ["-c", WATCHER, binary, ...args], { stdio });
}

/** Every anvil started and not yet stopped: killed on exit and on SIGINT/SIGTERM. */
const running = new Set<ChildProcess>();

function killAllNow(): void {
  for (const child of running) {
    child.stdin?.destroy();
    child.kill("SIGTERM");
  }
  running.clear();
}

function onSignal(signal: NodeJS.Signals): void {
  killAllNow();
  uninstallHandlers();
  // With our listener gone, the signal's default action (or the program's own listeners) runs as if we never caught it.
  process.kill(process.pid, signal);
}

let installed = false;
function installHandlers(): void {
  if (installed) return;
  installed = true;
  process.on("exit", killAllNow);
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
}

function uninstallHandlers(): void {
  if (!installed) return;
  installed = false;
  process.off("exit", killAllNow);
  process.off("SIGINT", onSignal);
  process.off("SIGTERM", onSignal);
}

function stopChild(child: ChildProcess, anvilPid: number | undefined): Promise<void> {
  running.delete(child);
  if (running.size === 0) uninstallHandlers();
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => {
    const force = setTimeout(() => {
      if (anvilPid !== undefined) killQuietly(anvilPid, "SIGKILL");
      child.kill("SIGKILL");
    }, ANVIL_STOP_GRACE_MS);
    child.once("exit", () => {
      clearTimeout(force);
      resolve();
    });
    child.stdin?.end();
    if (anvilPid !== undefined) killQuietly(anvilPid, "SIGTERM");
    else child.kill("SIGTERM");
  });
}

function killQuietly(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(pid, signal);
  } catch {
    // already gone
  }
}

async function answers(url: string): Promise<boolean> {
  try {
    const body = JSON.stringify({ jsonrpc: "2.0", id: 1, method: "eth_chainId", params: [] });
    const res = await fetch(url, { method: "POST", headers: { "content-type": "application/json" }, body });
    return res.ok;
  } catch {
    return false;
  }
}

/**
 * Starts anvil on a free loopback port and resolves once it answers JSON-RPC (bounded wait, clear error). Without a
 * fork, a first anvil holds the genesis of dev-node.ts and the node returned forks it at block 0 (forkArgs says why):
 * the same chain, whose blocks cost the same however much state it holds. close() stops both.
 */
export async function startAnvil(options: AnvilOptions = {}): Promise<AnvilProcess> {
  const timeoutMs = options.startTimeoutMs ?? ANVIL_START_TIMEOUT_MS;
  const fork = options.fork;
  if (fork) return launch((port) => forkArgs(port, fork), timeoutMs);
  const genesis = await launch(chainArgs, timeoutMs);
  try {
    const node = await launch((port) => forkArgs(port, { url: genesis.url, blockNumber: 0 }), timeoutMs);
    let closing: Promise<void> | undefined;
    return {
      ...node,
      pids: [...node.pids, ...genesis.pids],
      close: () => (closing ??= node.close().finally(() => genesis.close())),
    };
  } catch (err) {
    await genesis.close();
    throw err;
  }
}

/** One anvil process on a free loopback port, started with `args(port)`. */
async function launch(args: (port: number) => string[], timeoutMs: number): Promise<AnvilProcess> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawnAnvil(args(port));
  running.add(child);
  installHandlers();
  let output = "";
  let anvilPid = process.platform === "win32" ? child.pid : undefined;
  child.stdout?.on("data", (c: Buffer) => {
    output += c.toString("utf8");
    if (anvilPid === undefined && output.includes("\n")) anvilPid = Number(output.split("\n")[0]);
  });
  child.stderr?.on("data", (c: Buffer) => (output += c.toString("utf8")));
  let exited = false;
  child.once("exit", () => {
    exited = true;
    running.delete(child);
  });
  // A fork URL is our local proxy's, never a secret; still, only anvil's last words are quoted.
  const lastWords = (): string => output.trim().split("\n").slice(-3).join(" | ");
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (exited) throw new Error(`anvil exited before it answered on ${url}: ${lastWords() || "no output"}`);
    if (anvilPid !== undefined && (await answers(url))) break;
    if (Date.now() > deadline) {
      await stopChild(child, anvilPid);
      throw new Error(`anvil did not answer on ${url} within ${timeoutMs} ms${output ? `: ${lastWords()}` : ""}`);
    }
    await new Promise((r) => setTimeout(r, READY_POLL_MS));
  }
  const pid = anvilPid as number;
  let closing: Promise<void> | undefined;
  return { url, pids: [pid], close: () => (closing ??= stopChild(child, pid)) };
}
