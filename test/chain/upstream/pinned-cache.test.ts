import { expect } from "chai";
import fs from "fs";
import os from "os";
import path from "path";
import { Pin, answerAtPin, keepAtPin, openPinnedCache } from "../../../src/chain/upstream/pinned-cache";
import { emptyStats } from "../../../src/chain/upstream/stats";

const A = "0x00000000000000000000000000000000000000aa";
const MINED = `0x${"11".repeat(32)}`;
const noRedaction = (text: string) => text;
const tmpRoot = () => fs.mkdtempSync(path.join(os.tmpdir(), "loopstress-pinned-cache-"));

describe("upstream answers at a pinned block", function () {
  const roots: string[] = [];
  afterEach(function () {
    for (const root of roots.splice(0)) fs.rmSync(root, { recursive: true, force: true });
  });

  function pinned(options: Partial<Pin> = {}) {
    const stats = emptyStats();
    const logs: string[] = [];
    const root = tmpRoot();
    roots.push(root);
    const cache = openPinnedCache(path.join(root, "31337-10-host"), "digest", stats, (line) => logs.push(line));
    const pin: Pin = { block: 10n, headAtForkBlock: true, chainId: 31337, cache, ...options };
    const keep = (method: string, params: unknown[], result: unknown) =>
      keepAtPin({ method, params }, result, pin, stats, (line) => logs.push(line), noRedaction);
    return { stats, logs, root, pin, keep };
  }

  it("without a pin nothing is answered locally and nothing is kept", function () {
    const stats = emptyStats();
    expect(answerAtPin({ method: "eth_blockNumber" }, undefined, stats)).to.equal(undefined);
    keepAtPin({ method: "eth_getCode", params: [A, "0x5"] }, "0x60", undefined, stats, () => undefined, noRedaction);
    expect(stats).to.deep.equal(emptyStats());
  });

  it("eth_blockNumber is the pinned block, unless headAtForkBlock is off", function () {
    const on = pinned();
    expect(answerAtPin({ method: "eth_blockNumber" }, on.pin, on.stats)).to.deep.equal({ result: "0xa" });
    expect(on.stats.pinnedHead).to.equal(1);
    const off = pinned({ headAtForkBlock: false });
    expect(answerAtPin({ method: "eth_blockNumber" }, off.pin, off.stats)).to.equal(undefined);
    expect(off.stats.pinnedHead).to.equal(0);
  });

  it("eth_chainId is the cache's chain id, counted as a cache hit; without a cache it is forwarded", function () {
    const p = pinned();
    expect(answerAtPin({ method: "eth_chainId", params: [] }, p.pin, p.stats)).to.deep.equal({ result: "0x7a69" });
    expect(p.stats.cacheHitsByMethod).to.deep.equal({ eth_chainId: 1 });
    const uncached = pinned({ cache: undefined });
    expect(answerAtPin({ method: "eth_chainId", params: [] }, uncached.pin, uncached.stats)).to.equal(undefined);
  });

  it("a kept answer is answered from the cache afterwards, in its folder", function () {
    const p = pinned();
    const req = { method: "eth_getCode", params: [A, "0x5"] };
    expect(answerAtPin(req, p.pin, p.stats)).to.equal(undefined);
    p.keep("eth_getCode", [A, "0x5"], "0x6001");
    expect(p.stats.cacheWrites).to.equal(1);
    expect(fs.readdirSync(path.join(p.root, "31337-10-host"))).to.have.length(1);
    expect(answerAtPin(req, p.pin, p.stats)).to.deep.equal({ result: "0x6001" });
    expect(p.stats.cacheHits).to.equal(1);
  });

  it("tags, later blocks, null results and transactions mined after the pin are not kept", function () {
    const p = pinned();
    p.keep("eth_getCode", [A, "latest"], "0x6001");
    p.keep("eth_getCode", [A, "0xb"], "0x6001");
    p.keep("eth_getBlockByNumber", ["0x5", false], null);
    p.keep("eth_getTransactionReceipt", [MINED], { blockNumber: "0xb" });
    p.keep("eth_gasPrice", [], "0x1");
    expect(p.stats.cacheWrites).to.equal(0);
    expect(fs.existsSync(path.join(p.root, "31337-10-host"))).to.equal(false);
    p.keep("eth_getTransactionReceipt", [MINED], { blockNumber: "0xa" });
    expect(p.stats.cacheWrites).to.equal(1);
  });

  it("a corrupt entry is counted and logged; a failed write is logged, not thrown", function () {
    const p = pinned();
    p.keep("eth_getCode", [A, "0x5"], "0x6001");
    const dir = path.join(p.root, "31337-10-host");
    const [file] = fs.readdirSync(dir);
    fs.writeFileSync(path.join(dir, file), "{");
    expect(answerAtPin({ method: "eth_getCode", params: [A, "0x5"] }, p.pin, p.stats)).to.equal(undefined);
    expect(p.stats.cacheCorrupt).to.equal(1);
    expect(p.logs).to.deep.equal([`fork cache: ignoring ${file}: not valid JSON (truncated?); refetching`]);

    fs.rmSync(dir, { recursive: true });
    fs.writeFileSync(dir, "a file where the cache directory should be");
    p.keep("eth_getCode", [A, "0x6"], "0x6002");
    expect(p.stats.cacheWrites).to.equal(1);
    expect(p.logs.slice(1)).to.deep.equal([
      `fork cache: could not write an entry: EEXIST: file already exists, mkdir '${dir}'`,
    ]);
  });
});
