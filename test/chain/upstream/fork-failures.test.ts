import { expect } from "chai";
import { InputError } from "../../../src/errors";
import { UpstreamFailure } from "../../../src/chain/upstream/failures";
import { forkFailure } from "../../../src/chain/upstream/fork-failures";
import { redactorFor } from "../../../src/chain/redact";

const SHOWN = "http://127.0.0.1:18545/…";

/** What Hardhat's engine (EDR 0.12, Hardhat 2.29) throws when the proxy answers a call with a JSON-RPC error. */
function engineText(code: number, message: string, data: string, method: string): string {
  const request = JSON.stringify({ jsonrpc: "2.0", method, params: [], id: 0 });
  return `The response reported error \`${code}\`: \`${message}\`. (optional data: ${data}). Request: ${request}`;
}

const sentence = (e: InputError | undefined) => e?.message;

describe("fork failures as sentences", function () {
  it("an UpstreamFailure at start: the proxy's words, the flag to change and the fix", function () {
    const e = forkFailure(
      new UpstreamFailure(
        "rate-limited",
        `fork upstream: cannot start: upstream ${SHOWN} rate-limited (HTTP 429) after 6 attempts (eth_chainId)`,
        6,
      ),
    );
    expect(e).to.be.an.instanceOf(InputError);
    expect(sentence(e)).to.equal(
      `--fork-url: upstream ${SHOWN} rate-limited (HTTP 429) after 6 attempts (eth_chainId) — wait a minute and run ` +
        "again (answers already fetched are cached), or use an RPC plan with a higher rate limit",
    );
    const noBlock = forkFailure(
      new UpstreamFailure("no-block", `upstream ${SHOWN} has no block 99 (its latest block is 5)`, 1),
    );
    expect(sentence(noBlock)).to.equal(
      `--fork-block: upstream ${SHOWN} has no block 99 (its latest block is 5) — give a block the RPC has (at most ` +
        "its latest), or an archive RPC for an old block",
    );
  });

  it("the engine's text around the proxy's error (mid-run): the kind read from its data, no 'optional data' left", function () {
    const said = `upstream ${SHOWN} is chain 1, not chain 31337 as configured: refusing to mix its answers into the chain-31337 fork cache`;
    const data = `Some(Object {"kind": String("wrong-chain"), "attempts": Number(1), "upstream": String("${SHOWN}")})`;
    expect(sentence(forkFailure(new Error(engineText(-32099, said, data, "net_version"))))).to.equal(
      `--fork-url: ${said} — give an RPC of the chain --profile describes, or another --fork-cache folder`,
    );
    const limited = `Some(Object {"kind": String("rate-limited"), "attempts": Number(6), "upstream": String("${SHOWN}")})`;
    const e = forkFailure(
      new Error(engineText(-32099, `upstream ${SHOWN} rate-limited (HTTP 429)`, limited, "eth_getCode")),
    );
    expect(e?.field).to.equal("--fork-url");
    expect(e?.message).to.match(
      /^--fork-url: upstream http:\/\/127\.0\.0\.1:18545\/… rate-limited \(HTTP 429\) — wait a minute/,
    );
    expect(e?.message).to.not.match(/optional data|Some\(Object/);
  });

  it("a pruned node's answer: the block's state is not there; any other upstream error names the method and code", function () {
    const pruned = engineText(
      -32000,
      "missing trie node 0xabc (path ) state 0x123 is not available",
      "None",
      "eth_getCode",
    );
    expect(sentence(forkFailure(new Error(pruned), undefined, 23_000_000))).to.equal(
      '--fork-block: the RPC has no state at block 23000000 (it answered eth_getCode with "missing trie node 0xabc ' +
        '(path ) state 0x123 is not available") — use an archive RPC, or a recent --fork-block that a full node still holds',
    );
    const other = engineText(-32601, "the method eth_getProof does not exist", "None", "eth_getProof");
    expect(sentence(forkFailure(new Error(other)))).to.equal(
      "--fork-url: the RPC answered eth_getProof with error -32601: the method eth_getProof does not exist — check " +
        "that --fork-url serves the chain --profile describes, at --fork-block",
    );
  });

  it("the secret is redacted, and anything that is no fork failure is left alone", function () {
    const url = "https://rpc.example.com/v2/SECRETKEY999";
    const leaked = engineText(-32000, `bad key SECRETKEY999 for ${url}`, "None", "eth_chainId");
    const e = forkFailure(new Error(leaked), redactorFor(url));
    expect(e?.message).to.equal(
      "--fork-url: the RPC answered eth_chainId with error -32000: bad key <redacted> for https://rpc.example.com/… — " +
        "check that --fork-url serves the chain --profile describes, at --fork-block",
    );
    expect(forkFailure(new TypeError("x is undefined"))).to.equal(undefined);
    expect(forkFailure(42)).to.equal(undefined);
  });
});
