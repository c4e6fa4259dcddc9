/**
 * The upstream's chain id, which names the fork cache: asked once at start when not configured. A configured one is
 * checked with the rest of the upstream's identity (identity.ts), so that another chain's answers never enter the cache.
 */
import { QUANTITY } from "./cache-rules";
import { UpstreamFailure, snippet } from "./failures";
import type { Call, Outcome } from "./json-rpc";

/** Sends calls upstream (with retries); `label` names them in messages. */
export type SendCalls = (calls: Call[], label: string) => Promise<Outcome[]>;

/** Asks the upstream its chain id; `why` says in messages why it was asked. Rejects with an UpstreamFailure. */
export async function askChainId(send: SendCalls, shown: string, why: string): Promise<number> {
  const [o] = await send([{ method: "eth_chainId", params: [] }], `eth_chainId, ${why}`);
  if ("error" in o) {
    const said = `an error: ${o.error.message}`;
    throw new UpstreamFailure("bad-response", `upstream ${shown} answered eth_chainId with ${said}`, 1);
  }
  if (typeof o.result !== "string" || !QUANTITY.test(o.result)) {
    const said = snippet(JSON.stringify(o.result) ?? "nothing");
    throw new UpstreamFailure("bad-response", `upstream ${shown} answered eth_chainId with ${said}`, 1);
  }
  return Number(BigInt(o.result));
}
