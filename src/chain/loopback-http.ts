/**
 * JSON-RPC over one kept-alive HTTP connection to a node on this machine (anvil on 127.0.0.1). ethers' JsonRpcProvider
 * queues each request behind a `setTimeout(0)` (at least a millisecond in Node) and opens its FetchRequest per request:
 * about 1.7 ms a round trip to anvil, where a POST on a kept-alive socket takes about 0.3 ms. The harness sends its
 * requests one after the other, tens of thousands per scenario, so that millisecond is most of a run on anvil.
 */
import http from "http";

/** A request that has not been answered in five minutes has failed (ethers' own default timeout). */
const REQUEST_TIMEOUT_MS = 300_000;

/** A JSON-RPC answer: a result or an error, matched to its request by id. */
export interface JsonRpcAnswer {
  id: number;
  result?: unknown;
  error?: { code: number; message: string; data?: unknown };
}

export interface LoopbackHttp {
  /**
   * POSTs one JSON body and resolves to the parsed answer (an array for a batch); rejects on a transport failure or a
   * non-200 status.
   */
  post(body: string): Promise<JsonRpcAnswer | JsonRpcAnswer[]>;
  /** Closes the kept-alive socket (the process can then exit). */
  close(): void;
}

/** A client for `url` (http only: the node is local) that reuses one socket between requests. */
export function loopbackHttp(url: string): LoopbackHttp {
  const { hostname, port, pathname, protocol } = new URL(url);
  if (protocol !== "http:") throw new Error(`loopback JSON-RPC needs an http:// URL, not ${protocol}`);
  const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  const post = (body: string): Promise<JsonRpcAnswer | JsonRpcAnswer[]> =>
    new Promise((resolve, reject) => {
      const req = http.request(
        {
          hostname,
          port,
          path: pathname,
          method: "POST",
          agent,
          timeout: REQUEST_TIMEOUT_MS,
          headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body) },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (chunk: Buffer) => chunks.push(chunk));
          res.on("error", reject);
          res.on("end", () => {
            const text = Buffer.concat(chunks).toString("utf8");
            if (res.statusCode !== 200) {
              reject(new Error(`the node answered HTTP ${res.statusCode ?? "?"}: ${text.slice(0, 200)}`));
              return;
            }
            try {
              resolve(JSON.parse(text) as JsonRpcAnswer | JsonRpcAnswer[]);
            } catch {
              reject(new Error(`the node answered with unreadable JSON: ${text.slice(0, 200)}`));
            }
          });
        },
      );
      req.on("timeout", () => req.destroy(new Error(`the node did not answer within ${REQUEST_TIMEOUT_MS} ms`)));
      req.on("error", reject);
      req.end(body);
    });
  return { post, close: () => agent.destroy() };
}
