import { expect } from "chai";
import crypto from "crypto";
import {
  CACHE_KEY_HASH_HEX_CHARS,
  cacheKey,
  cacheableRequest,
  cacheableResult,
  canonical,
  explicitNumberAtMost,
  pinnedBlockRef,
} from "../../../src/chain/upstream/cache-rules";

const PINNED = 10n;
const A = "0x00000000000000000000000000000000000000aa";
const HASH = `0x${"44".repeat(32)}`;

describe("upstream cache rules", function () {
  it("explicitNumberAtMost: explicit quantities up to the pinned block, never tags", function () {
    expect(explicitNumberAtMost("0xa", PINNED)).to.equal(true);
    expect(explicitNumberAtMost("0x0", PINNED)).to.equal(true);
    expect(explicitNumberAtMost("0xb", PINNED)).to.equal(false);
    expect(explicitNumberAtMost("0x", PINNED)).to.equal(false);
    expect(explicitNumberAtMost("latest", PINNED)).to.equal(false);
    expect(explicitNumberAtMost(10, PINNED)).to.equal(false);
    expect(explicitNumberAtMost(undefined, PINNED)).to.equal(false);
  });

  it("pinnedBlockRef: numbers, EIP-1898 objects and hashes; no tags", function () {
    expect(pinnedBlockRef("0x5", PINNED)).to.equal(true);
    expect(pinnedBlockRef("0xb", PINNED)).to.equal(false);
    expect(pinnedBlockRef(HASH, PINNED)).to.equal(true);
    expect(pinnedBlockRef({ blockHash: HASH }, PINNED)).to.equal(true);
    expect(pinnedBlockRef({ blockHash: "0x1234" }, PINNED)).to.equal(false);
    expect(pinnedBlockRef({ blockNumber: "0xa" }, PINNED)).to.equal(true);
    expect(pinnedBlockRef({ blockNumber: "0xb" }, PINNED)).to.equal(false);
    expect(pinnedBlockRef({ blockNumber: "latest" }, PINNED)).to.equal(false);
    for (const tag of ["latest", "pending", "safe", "finalized", "earliest", undefined, {}]) {
      expect(pinnedBlockRef(tag, PINNED), JSON.stringify(tag)).to.equal(false);
    }
  });

  it("cacheableRequest: state reads at a pinned block, by argument position", function () {
    expect(cacheableRequest("eth_chainId", [], PINNED)).to.equal(true);
    expect(cacheableRequest("net_version", undefined, PINNED)).to.equal(true);
    expect(cacheableRequest("eth_getBalance", [A, "0xa"], PINNED)).to.equal(true);
    expect(cacheableRequest("eth_getBalance", [A, "latest"], PINNED)).to.equal(false);
    expect(cacheableRequest("eth_getBalance", [A], PINNED)).to.equal(false);
    expect(cacheableRequest("eth_getCode", [A, { blockNumber: "0x3" }], PINNED)).to.equal(true);
    expect(cacheableRequest("eth_call", [{ to: A, data: "0x" }, "0x5"], PINNED)).to.equal(true);
    expect(cacheableRequest("eth_call", [{ to: A, data: "0x" }], PINNED)).to.equal(false);
    expect(cacheableRequest("eth_getStorageAt", [A, "0x0", "0x5"], PINNED)).to.equal(true);
    expect(cacheableRequest("eth_getStorageAt", [A, "0x5"], PINNED)).to.equal(false); // block is argument 2
    expect(cacheableRequest("eth_getProof", [A, ["0x0"], "0xb"], PINNED)).to.equal(false);
    expect(cacheableRequest("eth_getBalance", "not an array", PINNED)).to.equal(false);
  });

  it("cacheableRequest: blocks, transactions and logs", function () {
    expect(cacheableRequest("eth_getBlockByNumber", ["0xa", false], PINNED)).to.equal(true);
    expect(cacheableRequest("eth_getBlockByNumber", ["0xb", false], PINNED)).to.equal(false);
    expect(cacheableRequest("eth_getBlockByNumber", [HASH, false], PINNED)).to.equal(false); // a number, not a hash
    expect(cacheableRequest("eth_getBlockReceipts", [HASH], PINNED)).to.equal(true);
    expect(cacheableRequest("eth_getBlockReceipts", ["latest"], PINNED)).to.equal(false);
    expect(cacheableRequest("eth_getBlockByHash", [HASH, true], PINNED)).to.equal(true);
    expect(cacheableRequest("eth_getBlockByHash", ["0x12", true], PINNED)).to.equal(false);
    expect(cacheableRequest("eth_getTransactionReceipt", [HASH], PINNED)).to.equal(true);
    expect(cacheableRequest("eth_getLogs", [{ fromBlock: "0x1", toBlock: "0xa" }], PINNED)).to.equal(true);
    expect(cacheableRequest("eth_getLogs", [{ fromBlock: "0x1" }], PINNED)).to.equal(false);
    expect(cacheableRequest("eth_getLogs", [{ blockHash: HASH }], PINNED)).to.equal(true);
    expect(cacheableRequest("eth_getLogs", ["0x1"], PINNED)).to.equal(false);
    expect(cacheableRequest("eth_blockNumber", [], PINNED)).to.equal(false);
    expect(cacheableRequest("eth_gasPrice", [], PINNED)).to.equal(false);
  });

  it("cacheableResult: never null; transactions only when mined by the pinned block", function () {
    expect(cacheableResult("eth_getCode", "0x", PINNED)).to.equal(true);
    expect(cacheableResult("eth_getCode", null, PINNED)).to.equal(false);
    expect(cacheableResult("eth_getBlockByNumber", undefined, PINNED)).to.equal(false);
    expect(cacheableResult("eth_getTransactionReceipt", { blockNumber: "0xa" }, PINNED)).to.equal(true);
    expect(cacheableResult("eth_getTransactionReceipt", { blockNumber: "0xb" }, PINNED)).to.equal(false);
    expect(cacheableResult("eth_getTransactionByHash", { blockNumber: null }, PINNED)).to.equal(false);
  });

  it("canonical: sorted keys and lower-case hex, other strings untouched", function () {
    expect(canonical([{ to: "0xAbCd", data: "0xFF" }, "0xA", "Latest"])).to.deep.equal([
      { data: "0xff", to: "0xabcd" },
      "0xa",
      "Latest",
    ]);
    expect(JSON.stringify(canonical({ b: 1, a: { d: null, c: true } }))).to.equal('{"a":{"c":true,"d":null},"b":1}');
    expect(canonical("0xNOTHEX")).to.equal("0xNOTHEX");
  });

  it("cacheKey: method plus a 40-hex-character hash of method and canonical params", function () {
    const params = ["0x00000000000000000000000000000000000000AA", "0x5"];
    const canonicalParams = ["0x00000000000000000000000000000000000000aa", "0x5"];
    const hash = crypto
      .createHash("sha256")
      .update(JSON.stringify(["eth_getCode", canonicalParams]))
      .digest("hex");
    expect(CACHE_KEY_HASH_HEX_CHARS).to.equal(40);
    expect(cacheKey("eth_getCode", params)).to.deep.equal({
      key: `eth_getCode-${hash.slice(0, 40)}`,
      params: canonicalParams,
    });
    expect(cacheKey("eth_getCode", canonicalParams).key).to.equal(cacheKey("eth_getCode", params).key);
    expect(cacheKey("net_version", undefined).params).to.deep.equal([]);
    expect(cacheKey("net_version", undefined).key).to.equal(cacheKey("net_version", []).key);
  });
});
