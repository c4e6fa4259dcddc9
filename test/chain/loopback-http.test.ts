/**
 * JSON-RPC over one kept-alive loopback connection: answers parsed, one socket for many requests, and a failure named
 * (a non-200 status, unreadable JSON, a URL that is not http).
 */
import { expect } from "chai";
import http from "http";
import type { AddressInfo } from "net";
import { loopbackHttp } from "../../src/chain/loopback-http";

/** A local server answering each POST with `answer(body)`; counts the connections it accepted. */
async function server(answer: (body: string) => { status: number; text: string }) {
  let connections = 0;
  const s = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => {
      const { status, text } = answer(Buffer.concat(chunks).toString("utf8"));
      res.writeHead(status, { "content-type": "application/json" });
      res.end(text);
    });
  });
  s.on("connection", () => (connections += 1));
  await new Promise<void>((r) => s.listen(0, "127.0.0.1", r));
  const { port } = s.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    connections: () => connections,
    close: () => new Promise<void>((r) => s.close(() => r())),
  };
}

describe("loopback JSON-RPC over HTTP", function () {
  it("answers each POST with the parsed answer, all on one kept-alive connection", async function () {
    const node = await server((body) => {
      const { id, method } = JSON.parse(body) as { id: number; method: string };
      return { status: 200, text: JSON.stringify({ jsonrpc: "2.0", id, result: `${method}#${id}` }) };
    });
    const client = loopbackHttp(node.url);
    try {
      const answers = [];
      for (let id = 1; id <= 20; id++)
        answers.push(await client.post(JSON.stringify({ jsonrpc: "2.0", id, method: "eth_blockNumber", params: [] })));
      expect(answers.map((a) => (Array.isArray(a) ? a : [a])[0].result)).to.deep.equal(
        Array.from({ length: 20 }, (_, i) => `eth_blockNumber#${i + 1}`),
      );
      expect(node.connections()).to.equal(1);
    } finally {
      client.close();
      await node.close();
    }
  });

  it("a non-200 status or unreadable JSON is an error naming it; only http:// URLs are taken", async function () {
    let reply = { status: 500, text: "overloaded" };
    const node = await server(() => reply);
    const client = loopbackHttp(node.url);
    try {
      const failure = (): Promise<string> =>
        client.post("{}").then(
          () => "answered",
          (e: Error) => e.message,
        );
      expect(await failure()).to.equal("the node answered HTTP 500: overloaded");
      reply = { status: 200, text: "not json" };
      expect(await failure()).to.equal("the node answered with unreadable JSON: not json");
    } finally {
      client.close();
      await node.close();
    }
    expect(() => loopbackHttp("https://127.0.0.1:8545")).to.throw("loopback JSON-RPC needs an http:// URL, not https:");
  });
});
