/**
 * Reads answered once between two writes. On a local development node the state changes only through a request that
 * is not a read (a transaction, a mined block, a cheat, a snapshot revert), so between two such requests the same
 * eth_call, eth_getCode, block number or latest block gets the same answer: the harness asks it again (a position read
 * before a liquidation, in its size estimate and in the liquidation itself; a feed read by every row; the head block
 * read by every position read and every transaction's timestamp), and the node would answer it again. This
 * answers the repeat from memory and forgets everything at the next write. It changes nothing but the provider's
 * `request` / `send` functions, and never what a read returns: a report is the same with or without it.
 *
 * A read that was in flight while a write began or ended is not kept (it may have seen either state); a failed read
 * is not kept (the node builds its reason again); a transaction receipt is never kept, and when one is found
 * everything is forgotten: a node may answer a plain eth_sendTransaction before it has sealed the block (anvil does;
 * the session's anvil provider sends eth_sendTransactionSync instead), so the receipt is when the new state is there
 * to read.
 */

/** A JSON-RPC endpoint: an EIP-1193 provider (`request`), a legacy or ethers one (`send`), or both. */
export interface RpcEndpoint {
  request?(args: { method: string; params?: unknown[] | object }): Promise<unknown>;
  send?(method: string, params?: unknown[]): Promise<unknown>;
}

/** What an interceptor does with one request: `call` sends it on to the endpoint's own function. */
export type Through = (
  method: string,
  params: unknown[] | object | undefined,
  call: () => Promise<unknown>,
) => Promise<unknown>;

/** Routes every request sent through `endpoint` (its `request` and its `send` alike) through `through`; returns what puts the endpoint's own functions back. */
export function interceptRequests(endpoint: RpcEndpoint, through: Through): () => void {
  const originalRequest = endpoint.request;
  const originalSend = endpoint.send;
  if (originalRequest)
    endpoint.request = (args) => through(args.method, args.params, () => originalRequest.call(endpoint, args));
  if (originalSend)
    endpoint.send = (method, params) => through(method, params, () => originalSend.call(endpoint, method, params));
  return () => {
    if (originalRequest) endpoint.request = originalRequest;
    if (originalSend) endpoint.send = originalSend;
  };
}

/**
 * The reads kept between writes: their answers depend only on the chain's state and the request. The chain's head
 * (its block number, the latest block) is among them: a local development node mines only when asked (automine on a
 * transaction, a mine cheat), which is a write. The pending block is not kept: its template can follow the wall clock.
 */
const CACHED_METHODS: ReadonlySet<string> = new Set([
  "eth_call",
  "eth_getCode",
  "eth_chainId",
  "eth_blockNumber",
  "eth_getBlockByNumber",
]);

/** Whether the answer to this read may be kept until the next write. */
function keepable(method: string, params: unknown[] | object | undefined): boolean {
  if (!CACHED_METHODS.has(method)) return false;
  return !(method === "eth_getBlockByNumber" && Array.isArray(params) && params[0] === "pending");
}

/**
 * Requests that change nothing, so they leave what is kept in place (every other method is taken as a write). Reads
 * that are not kept are here too: a block or balance asked for between two writes does not forget the calls.
 */
const READ_METHODS: ReadonlySet<string> = new Set([
  ...CACHED_METHODS,
  "eth_getBlockByHash",
  "eth_getBalance",
  "eth_getStorageAt",
  "eth_getTransactionCount",
  "eth_getTransactionByHash",
  "eth_getTransactionReceipt",
  "eth_getLogs",
  "eth_estimateGas",
  "eth_feeHistory",
  "eth_gasPrice",
  "eth_maxPriorityFeePerGas",
  "eth_accounts",
  "net_version",
  "web3_clientVersion",
  "hardhat_metadata",
  "anvil_nodeInfo",
]);

/** Whether a request only reads the chain (any method not known as a read is taken as a write). */
export function isReadMethod(method: string): boolean {
  return READ_METHODS.has(method);
}

/** At most this many answers are kept at once (a bound on memory between two writes; past it, the oldest go). */
const MAX_ENTRIES = 4_096;

export interface ReadCacheStats {
  /** Reads answered from memory. */
  hits: number;
  /** Reads of a kept method that went to the node. */
  misses: number;
}

export interface ReadCache {
  stats(): ReadCacheStats;
  /** Puts the provider's own functions back. */
  restore(): void;
}

const installed = new WeakMap<object, ReadCache>();

/** Installs the cache on `endpoint` (once: a second call returns the first cache). */
export function cacheReads(endpoint: RpcEndpoint): ReadCache {
  const existing = installed.get(endpoint);
  if (existing) return existing;
  const kept = new Map<string, unknown>();
  const stats: ReadCacheStats = { hits: 0, misses: 0 };
  // Bumped at the start and at the end of every write: a read is kept only if it began and ended in one generation.
  let generation = 0;
  let writesInFlight = 0;
  const forget = (): void => {
    generation += 1;
    kept.clear();
  };

  const through: Through = async (method, params, call) => {
    if (!isReadMethod(method)) {
      forget();
      writesInFlight += 1;
      try {
        return await call();
      } finally {
        writesInFlight -= 1;
        forget();
      }
    }
    if (method === "eth_getTransactionReceipt") {
      const receipt = await call();
      if (receipt !== null && receipt !== undefined) forget();
      return receipt;
    }
    if (!keepable(method, params)) return call();
    const key = `${method}:${JSON.stringify(params ?? [])}`;
    if (kept.has(key)) {
      stats.hits += 1;
      return kept.get(key);
    }
    stats.misses += 1;
    const began = generation;
    const result = await call();
    if (writesInFlight === 0 && generation === began) {
      if (kept.size >= MAX_ENTRIES) kept.delete(kept.keys().next().value as string);
      kept.set(key, result);
    }
    return result;
  };

  const uninstall = interceptRequests(endpoint, through);
  const cache: ReadCache = {
    stats: () => ({ ...stats }),
    restore: () => {
      uninstall();
      installed.delete(endpoint);
    },
  };
  installed.set(endpoint, cache);
  return cache;
}
