import { expect } from "chai";
import { ChainCheck, SendCalls, askChainId } from "../../../src/chain/upstream/chain-id";
import { UpstreamFailure } from "../../../src/chain/upstream/failures";
import type { Call, Outcome } from "../../../src/chain/upstream/json-rpc";

const SHOWN = "https://rpc.example.com/…";

/** A send that answers eth_chainId with each of `answers` in turn (an Error is thrown), recording the labels. */
function scripted(answers: (Outcome | Error)[]) {
  const labels: string[] = [];
  const sent: Call[][] = [];
  const send: SendCalls = async (calls, label) => {
    sent.push(calls);
    labels.push(label);
    const next = answers.shift();
    if (next === undefined) throw new Error("the script ran out of answers");
    if (next instanceof Error) throw next;
    return [next];
  };
  return { send, labels, sent };
}

async function rejection(p: Promise<unknown>): Promise<UpstreamFailure> {
  const err: unknown = await p.then(
    () => expect.fail("resolved"),
    (e: unknown) => e,
  );
  expect(err).to.be.an.instanceOf(UpstreamFailure);
  return err as UpstreamFailure;
}

describe("upstream chain id", function () {
  it("askChainId: one eth_chainId, labelled with why, read as a number", async function () {
    const s = scripted([{ result: "0x7a69" }]);
    expect(await askChainId(s.send, SHOWN, "learning it")).to.equal(31337);
    expect(s.sent).to.deep.equal([[{ method: "eth_chainId", params: [] }]]);
    expect(s.labels).to.deep.equal(["eth_chainId, learning it"]);
  });

  it("askChainId: an error or a non-quantity is a bad response", async function () {
    const refusal = scripted([{ error: { code: -32601, message: "no" } }]);
    const errored = await rejection(askChainId(refusal.send, SHOWN, "x"));
    expect(errored.kind).to.equal("bad-response");
    expect(errored.attempts).to.equal(1);
    expect(errored.message).to.equal(`upstream ${SHOWN} answered eth_chainId with an error: no`);
    const odd = await rejection(askChainId(scripted([{ result: "31337" }]).send, SHOWN, "x"));
    expect(odd.message).to.equal(`upstream ${SHOWN} answered eth_chainId with "31337"`);
    const nothing = await rejection(askChainId(scripted([{ result: undefined }]).send, SHOWN, "x"));
    expect(nothing.message).to.equal(`upstream ${SHOWN} answered eth_chainId with nothing`);
  });

  it("ChainCheck without an expected id: nothing to check, nothing sent", async function () {
    const s = scripted([]);
    await new ChainCheck(undefined, s.send, SHOWN).ensure();
    expect(s.sent).to.deep.equal([]);
  });

  it("ChainCheck: asks once, however many calls wait for it, and not again once checked", async function () {
    const s = scripted([{ result: "0x1" }]);
    const check = new ChainCheck(1, s.send, SHOWN);
    await Promise.all([check.ensure(), check.ensure(), check.ensure()]);
    await check.ensure();
    expect(s.labels).to.deep.equal(["eth_chainId, checking the configured chain id before the first forwarded call"]);
  });

  it("ChainCheck: a wrong chain fails every time it is asked; a transient failure is asked again", async function () {
    const s = scripted([{ result: "0x7a69" }, new UpstreamFailure("timeout", "slow", 6), { result: "0x1" }]);
    const check = new ChainCheck(1, s.send, SHOWN);
    const wrong = await rejection(check.ensure());
    expect(wrong.kind).to.equal("wrong-chain");
    expect(wrong.message).to.equal(
      `upstream ${SHOWN} is chain 31337, not chain 1 as configured: ` +
        "refusing to mix its answers into the chain-1 fork cache",
    );
    expect((await rejection(check.ensure())).kind).to.equal("timeout");
    await check.ensure();
    await check.ensure();
    expect(s.sent).to.have.length(3);
  });
});
