import { expect } from "chai";
import { SendCalls, askChainId } from "../../../src/chain/upstream/chain-id";
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
});
