import { expect } from "chai";
import fs from "fs";
import os from "os";
import path from "path";
import { cacheKey } from "../../../src/chain/upstream/cache-rules";
import { DEFAULT_FORK_CACHE_DIR, DiskCache, cacheDirFor } from "../../../src/chain/upstream/disk-cache";

const A = "0x00000000000000000000000000000000000000aa";

describe("upstream disk cache", function () {
  let dir: string;
  let corrupt: [string, string][];
  let cache: DiskCache;
  beforeEach(function () {
    dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "loopstress-disk-cache-")), "31337-10");
    corrupt = [];
    cache = new DiskCache(dir, "digest-a", (file, why) => corrupt.push([path.basename(file), why]));
  });
  afterEach(function () {
    fs.rmSync(path.dirname(dir), { recursive: true, force: true });
  });

  const fileOf = (method: string, params: unknown) => path.join(dir, `${cacheKey(method, params).key}.json`);

  it("the default root is <project root>/.fork-cache; a chain, block and upstream host get <chainId>-<block>-<host>", function () {
    expect(DEFAULT_FORK_CACHE_DIR).to.equal(path.resolve(__dirname, "..", "..", "..", ".fork-cache"));
    expect(cacheDirFor("/cache", 1, 21_000_000n, "0123456789abcdef")).to.equal(
      path.join("/cache", "1-21000000-0123456789abcdef"),
    );
  });

  it("a missing entry is a miss, without complaint", function () {
    expect(cache.read("eth_getCode", [A, "0x5"])).to.deep.equal({ hit: false });
    expect(corrupt).to.deep.equal([]);
  });

  it("writes one JSON file per request, keyed by canonical params, and reads it back", function () {
    cache.write("eth_getCode", [A.toUpperCase().replace("0X", "0x"), "0x5"], "0x6001");
    const file = fileOf("eth_getCode", [A, "0x5"]);
    expect(JSON.parse(fs.readFileSync(file, "utf8"))).to.deep.equal({
      v: 2,
      upstream: "digest-a",
      method: "eth_getCode",
      params: [A, "0x5"],
      result: "0x6001",
    });
    expect(fs.readdirSync(dir)).to.deep.equal([path.basename(file)]);
    expect(cache.read("eth_getCode", [A, "0x5"])).to.deep.equal({ hit: true, result: "0x6001" });
    expect(cache.read("eth_getCode", [A, "0x6"])).to.deep.equal({ hit: false });
  });

  it("a truncated entry is a miss, reported as not valid JSON", function () {
    cache.write("eth_getCode", [A, "0x5"], "0x6001");
    const file = fileOf("eth_getCode", [A, "0x5"]);
    fs.writeFileSync(file, fs.readFileSync(file, "utf8").slice(0, 20));
    expect(cache.read("eth_getCode", [A, "0x5"])).to.deep.equal({ hit: false });
    expect(corrupt).to.deep.equal([[path.basename(file), "not valid JSON (truncated?)"]]);
  });

  it("another request's entry, another upstream's, another version, or an entry without a result is a miss", function () {
    cache.write("eth_getCode", [A, "0x6"], "0x6002");
    const file = fileOf("eth_getCode", [A, "0x5"]);
    fs.copyFileSync(fileOf("eth_getCode", [A, "0x6"]), file);
    expect(cache.read("eth_getCode", [A, "0x5"])).to.deep.equal({ hit: false });
    const entry = { v: 2, upstream: "digest-a", method: "eth_getCode", params: [A, "0x5"], result: "0x" };
    fs.writeFileSync(file, JSON.stringify({ ...entry, upstream: "digest-b" }));
    expect(cache.read("eth_getCode", [A, "0x5"])).to.deep.equal({ hit: false });
    fs.writeFileSync(file, JSON.stringify({ ...entry, v: 1 }));
    expect(cache.read("eth_getCode", [A, "0x5"])).to.deep.equal({ hit: false });
    fs.writeFileSync(file, JSON.stringify({ ...entry, result: undefined }));
    expect(cache.read("eth_getCode", [A, "0x5"])).to.deep.equal({ hit: false });
    fs.writeFileSync(file, JSON.stringify(entry));
    expect(cache.read("eth_getCode", [A, "0x5"])).to.deep.equal({ hit: true, result: "0x" });
    const mismatch = [path.basename(file), "entry does not match its request"];
    expect(corrupt).to.deep.equal([mismatch, mismatch, mismatch, mismatch]);
  });

  it("a result of null is stored as it is (whether to keep it is the cache rules' call)", function () {
    const tx = `0x${"11".repeat(32)}`;
    cache.write("eth_getTransactionReceipt", [tx], null);
    expect(cache.read("eth_getTransactionReceipt", [tx])).to.deep.equal({ hit: true, result: null });
  });
});
