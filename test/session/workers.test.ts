import { expect } from "chai";
import { spawn } from "child_process";
import fs from "fs";
import os from "os";
import path from "path";
import { WorkerError, runWorkers, taskArgv } from "../../src/session/workers";

/** A worker that runs `script` in plain Node (a stand-in for a task: the runner only sees a process). */
const node = (label: string, script: string, ...args: string[]) => ({
  label,
  command: process.execPath,
  args: ["-e", script, ...args],
});

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/** Waits until `file` holds a pid (the worker started and wrote it). */
async function pidIn(file: string): Promise<number> {
  for (let i = 0; i < 200 && !(fs.existsSync(file) && fs.readFileSync(file, "utf8") !== ""); i++) {
    await new Promise((r) => setTimeout(r, 50));
  }
  return Number(fs.readFileSync(file, "utf8"));
}

describe("worker processes", function () {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "loopstress-workers-"));
  after(() => fs.rmSync(tmp, { recursive: true, force: true }));

  it("run side by side; each line shown with its worker's label", async function () {
    const lines: string[] = [];
    await runWorkers(
      [
        node("worker 1/2", "console.error('one'); console.log('stdout is not shown'); console.error('two')"),
        node("worker 2/2", "process.stderr.write('no newline at the end')"),
      ],
      (l) => lines.push(l),
    );
    expect(lines.filter((l) => l.startsWith("[worker 1/2]"))).to.deep.equal(["[worker 1/2] one", "[worker 1/2] two"]);
    expect(lines.filter((l) => l.startsWith("[worker 2/2]"))).to.deep.equal(["[worker 2/2] no newline at the end"]);
  });

  it("the first failure stops the others and is one line with the worker's own error", async function () {
    const pidFile = path.join(tmp, "sleeper.pid");
    const sleeper = node(
      "worker 1/2",
      "require('fs').writeFileSync(process.argv[1], String(process.pid)); setTimeout(() => {}, 60000)",
      pidFile,
    );
    // The failing worker waits for its sibling to start, so that there is one to stop.
    const failing = node(
      "worker 2/2",
      "const fs = require('fs'); const t = setInterval(() => { if (fs.existsSync(process.argv[1])) { clearInterval(t);" +
        " console.error('sweep: 1 of 2 points done'); console.error('loopstress: --grid: boom — fix it'); process.exit(1); } }, 20)",
      pidFile,
    );
    const err = await runWorkers([sleeper, failing], () => undefined).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).to.be.instanceOf(WorkerError);
    expect((err as Error).message).to.equal("worker 2/2 failed: --grid: boom — fix it");
    expect(alive(await pidIn(pidFile))).to.equal(false);
  });

  it("a worker that dies without an error line is named with its exit and its last line", async function () {
    const err = await runWorkers(
      [node("worker 1/1", "console.error('out of memory, say'); process.exit(134)")],
      () => undefined,
    ).catch((e: unknown) => e);
    expect((err as Error).message).to.equal("worker 1/1 failed: exit code 134; its last line: out of memory, say");
    const killed = await runWorkers(
      [node("worker 1/1", "process.kill(process.pid, 'SIGKILL')")],
      () => undefined,
    ).catch((e: unknown) => e);
    expect((killed as Error).message).to.equal("worker 1/1 failed: killed by SIGKILL");
  });

  it("an interrupt of the parent stops every worker", async function () {
    const pidFile = path.join(tmp, "interrupted.pid");
    const listeners = process.listenerCount("SIGTERM");
    const run = runWorkers(
      [
        node(
          "worker 1/1",
          "require('fs').writeFileSync(process.argv[1], String(process.pid)); setTimeout(() => {}, 60000)",
          pidFile,
        ),
      ],
      () => undefined,
    ).catch((e: unknown) => e);
    const pid = await pidIn(pidFile);
    // The handler the run installed, called as the signal would call it (no real signal reaches the test runner).
    process.emit("SIGTERM", "SIGTERM");
    expect(((await run) as Error).message).to.equal("interrupted by SIGTERM; every worker stopped");
    expect(alive(pid)).to.equal(false);
    expect(process.listenerCount("SIGTERM")).to.equal(listeners);
  });

  it("a worker whose parent is gone (its stdin closed) stops by itself", async function () {
    const script = "require('./src/session/workers').exitWithParent(); setTimeout(() => {}, 60000)";
    const child = spawn(process.execPath, ["-r", "ts-node/register", "-e", script], {
      cwd: path.join(__dirname, "..", ".."),
      env: { ...process.env, LOOPSTRESS_WORKER: "12345", TS_NODE_TRANSPILE_ONLY: "true" },
      stdio: ["pipe", "ignore", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (c: Buffer) => (stderr += c.toString("utf8")));
    // What the parent's death does to the pipe.
    child.stdin.end();
    const code = await new Promise((resolve) => child.on("exit", resolve));
    expect(code).to.equal(1);
    expect(stderr.trim()).to.equal("loopstress: the parent process 12345 is gone; this worker stops");
  });

  it("forwards a task's own arguments generically, except those each worker gets its own value for", function () {
    const definitions = {
      positionalParamDefinitions: [{ name: "file", isFlag: false, isVariadic: false }],
      paramDefinitions: {
        grid: { name: "grid", isFlag: false, isVariadic: false },
        shard: { name: "shard", isFlag: false, isVariadic: false },
        aaveRelease: { name: "aaveRelease", isFlag: false, isVariadic: false },
        curve: { name: "curve", isFlag: true, isVariadic: false },
        brief: { name: "brief", isFlag: true, isVariadic: false },
        out: { name: "out", isFlag: false, isVariadic: false },
      },
    };
    const args = { file: "s.yaml", grid: "g.yaml", shard: "0/1", aaveRelease: "v3.0", curve: true, brief: false };
    expect(taskArgv(definitions, args, ["shard", "out"])).to.deep.equal([
      "s.yaml",
      "--grid",
      "g.yaml",
      "--aave-release",
      "v3.0",
      "--curve",
    ]);
  });
});
