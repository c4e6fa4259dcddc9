/**
 * The upstream's chain id, which names the fork cache: asked once at start when not configured; when configured, it
 * is checked (one eth_chainId) before the first forwarded call, so that another chain's answers never enter the cache.
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

/** The check of a configured chain id: made once, when first needed; after a failure, by the next call again. */
export class ChainCheck {
  private checked: boolean;
  private pending: Promise<void> | undefined;

  /** `expected` undefined: nothing to check (no cache, or the id was asked of the upstream itself). */
  constructor(
    private readonly expected: number | undefined,
    private readonly send: SendCalls,
    private readonly shown: string,
  ) {
    this.checked = expected === undefined;
  }

  /** Resolves once the upstream is known to be the expected chain; rejects with an UpstreamFailure otherwise. */
  ensure(): Promise<void> {
    if (this.checked) return Promise.resolve();
    if (this.pending === undefined) {
      this.pending = this.check();
      // A transient failure may be retried by the next call; a wrong chain fails again.
      this.pending.catch(() => (this.pending = undefined));
    }
    return this.pending;
  }

  private async check(): Promise<void> {
    const expected = this.expected;
    const why = "checking the configured chain id before the first forwarded call";
    const actual = await askChainId(this.send, this.shown, why);
    if (actual !== expected) {
      throw new UpstreamFailure(
        "wrong-chain",
        `upstream ${this.shown} is chain ${actual}, not chain ${expected} as configured: ` +
          `refusing to mix its answers into the chain-${expected} fork cache`,
        1,
      );
    }
    this.checked = true;
  }
}
