import { expect } from "chai";
import {
  UPSTREAM_FAILURE_CODE,
  UpstreamFailure,
  attemptFailed,
  failureOutcome,
  plural,
  snippet,
  upstreamFailureOf,
} from "../../../src/chain/upstream/failures";

const SHOWN = "https://rpc.example.com/…";
const redact = (text: string) => text.split("SECRET").join("<redacted>");

describe("upstream failures", function () {
  it("the failure code is in JSON-RPC's server-error range", function () {
    expect(UPSTREAM_FAILURE_CODE).to.equal(-32099);
  });

  it("failureOutcome: an UpstreamFailure keeps its kind and attempts; its message is redacted", function () {
    const err = new UpstreamFailure("http-error", `upstream ${SHOWN} failed (HTTP 500: SECRET)`, 6);
    expect(failureOutcome(err, SHOWN, redact)).to.deep.equal({
      error: {
        code: -32099,
        message: `upstream ${SHOWN} failed (HTTP 500: <redacted>)`,
        data: { kind: "http-error", attempts: 6, upstream: SHOWN },
      },
    });
  });

  it("failureOutcome: anything else is a connection failure after 0 attempts", function () {
    const err = Object.assign(new Error("getaddrinfo failed for SECRET"), { code: "ENOTFOUND" });
    expect(failureOutcome(err, SHOWN, redact)).to.deep.equal({
      error: {
        code: -32099,
        message: `upstream ${SHOWN}: ENOTFOUND: getaddrinfo failed for <redacted>`,
        data: { kind: "connection", attempts: 0, upstream: SHOWN },
      },
    });
  });

  it("upstreamFailureOf: only the proxy's own failure answers", function () {
    const o = failureOutcome(new UpstreamFailure("timeout", "slow", 2), SHOWN, redact);
    expect(upstreamFailureOf(o)).to.deep.equal({ kind: "timeout", message: "slow" });
    expect(upstreamFailureOf({ error: { code: 3, message: "execution reverted" } })).to.equal(undefined);
    expect(upstreamFailureOf({ result: "0x" })).to.equal(undefined);
  });

  it("attemptFailed: a failed attempt, with the delay the upstream asked for", function () {
    expect(attemptFailed("rate-limited", "rate-limited (HTTP 429)", 1_000)).to.deep.equal({
      ok: false,
      failure: { kind: "rate-limited", detail: "rate-limited (HTTP 429)", retryAfterMs: 1_000 },
    });
  });

  it("snippet: one line, at most 120 characters and an ellipsis", function () {
    expect(snippet("  <html>\n  <body>x</body>\t</html>  ")).to.equal("<html> <body>x</body> </html>");
    expect(snippet("y".repeat(120))).to.equal("y".repeat(120));
    expect(snippet("y".repeat(121))).to.equal(`${"y".repeat(120)}…`);
  });

  it("plural", function () {
    expect(plural(1, "attempt")).to.equal("1 attempt");
    expect(plural(0, "call")).to.equal("0 calls");
    expect(plural(6, "attempt")).to.equal("6 attempts");
  });
});
