import { expect } from "chai";
import { countRpc, rpcTotals, type Eip1193Like } from "../../src/chain/rpc-stats";

/** A stand-in node: `eth_fail` fails, everything else answers its method's name. */
function fakeProvider(): Eip1193Like & { send(method: string, params?: unknown[]): Promise<unknown> } {
  const answer = async (method: string): Promise<unknown> => {
    if (method === "eth_fail") throw new Error("reverted");
    return method;
  };
  return {
    request: (args) => answer(args.method),
    send: (method) => answer(method),
  };
}

describe("counting JSON-RPC requests", function () {
  it("counts each call once, by method, through request and send, failures apart", async function () {
    const p = fakeProvider();
    const counter = countRpc(p);
    expect(await p.request({ method: "eth_call" })).to.equal("eth_call");
    await p.send("eth_call", []);
    await p.send("eth_blockNumber");
    await p.send("eth_fail").catch(() => undefined);
    await p.request({ method: "eth_fail" }).catch(() => undefined);
    const s = counter.snapshot();
    expect(Object.keys(s)).to.deep.equal(["eth_call", "eth_fail", "eth_blockNumber"]);
    expect(s.eth_call).to.include({ calls: 2, failures: 0, failedMs: 0 });
    expect(s.eth_fail).to.include({ calls: 2, failures: 2 });
    expect(rpcTotals(s)).to.include({ calls: 5, failures: 2 });
  });

  it("starts again from zero on reset, and puts the provider back on restore", async function () {
    const p = fakeProvider();
    const { request, send } = p;
    const counter = countRpc(p);
    await p.send("eth_call");
    counter.reset();
    expect(counter.snapshot()).to.deep.equal({});
    counter.restore();
    expect(p.request).to.equal(request);
    expect(p.send).to.equal(send);
    await p.send("eth_call");
    expect(counter.snapshot()).to.deep.equal({});
  });
});
