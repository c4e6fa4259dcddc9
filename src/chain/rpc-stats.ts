/**
 * Counting what the harness asks of its node: every JSON-RPC request through an EIP-1193 provider, per method, with
 * how many failed and the time spent, failures apart (a failed transaction or call is where a node builds its
 * Solidity stack trace). Used by the benchmarks; it changes nothing but the provider's `request` function.
 */

export interface Eip1193Like {
  request(args: { method: string; params?: unknown[] | object }): Promise<unknown>;
  send?(method: string, params?: unknown[]): Promise<unknown>;
}

export interface RpcMethodStats {
  calls: number;
  failures: number;
  /** Wall time inside the request, all calls. */
  ms: number;
  /** Wall time inside the failed requests only. */
  failedMs: number;
}

export interface RpcCounter {
  /** A copy of the counts so far, by method, most-called first. */
  snapshot(): Record<string, RpcMethodStats>;
  /** Starts counting from zero again. */
  reset(): void;
  /** Puts the provider's own `request` back. */
  restore(): void;
}

export function countRpc(provider: Eip1193Like): RpcCounter {
  const stats = new Map<string, RpcMethodStats>();
  const counted = async <T>(method: string, call: () => Promise<T>): Promise<T> => {
    let s = stats.get(method);
    if (!s) {
      s = { calls: 0, failures: 0, ms: 0, failedMs: 0 };
      stats.set(method, s);
    }
    s.calls += 1;
    const t = performance.now();
    try {
      return await call();
    } catch (err) {
      s.failures += 1;
      s.failedMs += performance.now() - t;
      throw err;
    } finally {
      s.ms += performance.now() - t;
    }
  };
  const originalRequest = provider.request;
  provider.request = (args) => counted(args.method, () => originalRequest.call(provider, args));
  // Hardhat's provider also has the legacy `send(method, params)`, which ethers' Hardhat provider uses and which does
  // not go through `request`: both are counted, each call once.
  const originalSend = provider.send;
  if (originalSend)
    provider.send = (method, params) => counted(method, () => originalSend.call(provider, method, params));
  return {
    snapshot: () =>
      Object.fromEntries([...stats.entries()].sort((a, b) => b[1].calls - a[1].calls).map(([k, v]) => [k, { ...v }])),
    reset: () => stats.clear(),
    restore: () => {
      provider.request = originalRequest;
      if (originalSend) provider.send = originalSend;
    },
  };
}

/** Totals over methods: calls, failures, and the time spent in failed requests. */
export function rpcTotals(byMethod: Record<string, RpcMethodStats>): RpcMethodStats {
  const total: RpcMethodStats = { calls: 0, failures: 0, ms: 0, failedMs: 0 };
  for (const s of Object.values(byMethod)) {
    total.calls += s.calls;
    total.failures += s.failures;
    total.ms += s.ms;
    total.failedMs += s.failedMs;
  }
  return total;
}
