import { expect } from "chai";
import {
  LAST_ERRORS_KEPT,
  countCacheHit,
  countFailure,
  countUpstreamAttempt,
  emptyStats,
  snapshotStats,
} from "../../../src/chain/upstream/stats";

describe("upstream proxy stats", function () {
  it("countUpstreamAttempt: a request; a batch if several calls; calls by method; retries from attempt 2", function () {
    const s = emptyStats();
    countUpstreamAttempt(s, ["eth_chainId"], 1);
    countUpstreamAttempt(s, ["eth_getCode", "eth_getCode", "eth_call"], 2);
    expect(s).to.deep.include({ upstreamRequests: 2, upstreamBatches: 1, retries: 1 });
    expect(s.upstreamCallsByMethod).to.deep.equal({ eth_chainId: 1, eth_getCode: 2, eth_call: 1 });
  });

  it("countCacheHit: in total and by method", function () {
    const s = emptyStats();
    countCacheHit(s, "eth_getCode");
    countCacheHit(s, "eth_getCode");
    countCacheHit(s, "net_version");
    expect(s.cacheHits).to.equal(3);
    expect(s.cacheHitsByMethod).to.deep.equal({ eth_getCode: 2, net_version: 1 });
  });

  it("countFailure: calls by kind, and the last 10 messages", function () {
    const s = emptyStats();
    countFailure(s, "timeout", "m0", 3);
    for (let i = 1; i <= 10; i++) countFailure(s, "connection", `m${i}`, 1);
    expect(LAST_ERRORS_KEPT).to.equal(10);
    expect(s.failures).to.equal(13);
    expect(s.failuresByKind).to.deep.equal({ timeout: 3, connection: 10 });
    expect(s.lastErrors).to.deep.equal(["m1", "m2", "m3", "m4", "m5", "m6", "m7", "m8", "m9", "m10"]);
  });

  it("snapshotStats: a copy that later counting does not change", function () {
    const s = emptyStats();
    const before = snapshotStats(s);
    countCacheHit(s, "eth_getCode");
    expect(before.cacheHits).to.equal(0);
    expect(before.cacheHitsByMethod).to.deep.equal({});
    expect(snapshotStats(s)).to.deep.equal(s);
  });
});
