/**
 * Which answers may be cached at a pinned fork block, and the key a cached answer is found by.
 *
 * Block tags (`latest`, `pending`, `safe`, `finalized`, `earliest`, or no block argument) are never cached nor
 * answered from the cache: they are forwarded as they are. A fork pinned to a block asks for explicit block numbers;
 * a tag means the caller wants the upstream's present, which no cache can give. Errors and `null` results (a block or
 * transaction the upstream does not have yet) are never cached either.
 */
import crypto from "crypto";
import { isObject } from "./json-rpc";

/** A JSON-RPC quantity: a block number, a chain id. */
export const QUANTITY = /^0x[0-9a-fA-F]+$/;
/** A 32-byte hash: a block or transaction hash. */
const HASH = /^0x[0-9a-fA-F]{64}$/;
/** Hex data, whose case does not change its meaning. */
const HEX = /^0x[0-9a-fA-F]*$/;

/** Hex characters of the request hash in a cache key: 160 bits, no collision among one block's requests. */
export const CACHE_KEY_HASH_HEX_CHARS = 40;

/** An explicit block number at or before the pinned one. Tags: no. */
export function explicitNumberAtMost(ref: unknown, pinned: bigint): boolean {
  return typeof ref === "string" && QUANTITY.test(ref) && BigInt(ref) <= pinned;
}

/** An explicit block at or before the pinned one (number or EIP-1898 object), or a block hash. Tags: no. */
export function pinnedBlockRef(ref: unknown, pinned: bigint): boolean {
  if (typeof ref === "string") return HASH.test(ref) || explicitNumberAtMost(ref, pinned);
  if (isObject(ref)) {
    if (typeof ref.blockHash === "string") return HASH.test(ref.blockHash);
    if (typeof ref.blockNumber === "string") return explicitNumberAtMost(ref.blockNumber, pinned);
  }
  return false;
}

const isHash = (v: unknown): boolean => typeof v === "string" && HASH.test(v);

/** Argument index of the block of state-reading methods. */
const STATE_BLOCK_ARG: Record<string, number> = {
  eth_getBalance: 1,
  eth_getCode: 1,
  eth_getTransactionCount: 1,
  eth_call: 1,
  eth_getStorageAt: 2,
  eth_getProof: 2,
};

/** Whether the call's answer cannot change at the pinned block, judged from the request alone. */
export function cacheableRequest(method: string, params: unknown, pinned: bigint): boolean {
  const args = Array.isArray(params) ? params : [];
  if (method === "eth_chainId" || method === "net_version") return true;
  const stateArg = STATE_BLOCK_ARG[method];
  if (stateArg !== undefined) return pinnedBlockRef(args[stateArg], pinned);
  switch (method) {
    case "eth_getBlockByNumber":
    case "eth_getBlockTransactionCountByNumber":
    case "eth_getTransactionByBlockNumberAndIndex":
      return explicitNumberAtMost(args[0], pinned);
    case "eth_getBlockReceipts":
      return pinnedBlockRef(args[0], pinned);
    case "eth_getBlockByHash":
    case "eth_getBlockTransactionCountByHash":
    case "eth_getTransactionByBlockHashAndIndex":
      return isHash(args[0]);
    case "eth_getTransactionByHash":
    case "eth_getTransactionReceipt":
      // Depends on the answer: only a transaction mined at or before the pinned block (cacheableResult).
      return isHash(args[0]);
    case "eth_getLogs":
      return cacheableLogFilter(args[0], pinned);
    default:
      return false;
  }
}

/** A log filter by block hash, or by a range of explicit blocks ending at or before the pinned one. */
function cacheableLogFilter(filter: unknown, pinned: bigint): boolean {
  if (!isObject(filter)) return false;
  if (typeof filter.blockHash === "string") return HASH.test(filter.blockHash);
  return explicitNumberAtMost(filter.fromBlock, pinned) && explicitNumberAtMost(filter.toBlock, pinned);
}

/**
 * Whether this answer to a cacheable request may be kept: never null; transactions only when mined by the pinned
 * block.
 */
export function cacheableResult(method: string, result: unknown, pinned: bigint): boolean {
  if (result === null || result === undefined) return false;
  if (method === "eth_getTransactionByHash" || method === "eth_getTransactionReceipt") {
    return isObject(result) && explicitNumberAtMost(result.blockNumber, pinned);
  }
  return true;
}

/** Key order and hex case do not change a request's meaning. */
export function canonical(v: unknown): unknown {
  if (typeof v === "string") return HEX.test(v) ? v.toLowerCase() : v;
  if (Array.isArray(v)) return v.map(canonical);
  if (isObject(v)) {
    const out: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) out[k] = canonical(v[k]);
    return out;
  }
  return v;
}

/** A request's cache key (`<method>-<hash of method and canonical params>`) and its canonical params. */
export function cacheKey(method: string, params: unknown): { key: string; params: unknown } {
  const canonicalParams = canonical(params ?? []);
  const hash = crypto
    .createHash("sha256")
    .update(JSON.stringify([method, canonicalParams]))
    .digest("hex");
  return { key: `${method}-${hash.slice(0, CACHE_KEY_HASH_HEX_CHARS)}`, params: canonicalParams };
}
