/**
 * Answers without the upstream at a pinned fork block, and the keeping of answers that cannot change there.
 *
 * With a pinned block, answers that cannot change at that block are kept on disk (disk-cache.ts), so a second run at
 * the same block does not ask the upstream again. eth_chainId is answered with the chain id the cache is keyed by.
 * eth_blockNumber is answered with the pinned block (`headAtForkBlock`, on by default): Hardhat asks it at every
 * start only to check that the fork block exists, and forwarding it would make every run touch the upstream.
 */
import path from "path";
import { redactError } from "../redact";
import { cacheableRequest, cacheableResult } from "./cache-rules";
import { DiskCache } from "./disk-cache";
import type { JsonRpcRequest } from "./json-rpc";
import { ProxyStats, countCacheHit } from "./stats";

export interface Pin {
  /** The pinned fork block. */
  block: bigint;
  /** Answer eth_blockNumber with `block` instead of asking the upstream. */
  headAtForkBlock: boolean;
  /** The chain id the cache is keyed by (undefined when nothing is cached). */
  chainId: number | undefined;
  /** The cache of this chain and block; undefined when caching is off. */
  cache: DiskCache | undefined;
}

const toQuantity = (n: bigint | number): string => `0x${n.toString(16)}`;

/**
 * The disk cache of one upstream's chain at one block (`dir`, `upstream` the digest of its identity); unreadable or
 * foreign entries are counted and logged, then refetched.
 */
export function openPinnedCache(
  dir: string,
  upstream: string,
  stats: ProxyStats,
  log: (line: string) => void,
): DiskCache {
  return new DiskCache(dir, upstream, (file, why) => {
    stats.cacheCorrupt++;
    log(`fork cache: ignoring ${path.basename(file)}: ${why}; refetching`);
  });
}

function isCached(req: JsonRpcRequest, pin: Pin): pin is Pin & { cache: DiskCache } {
  return pin.cache !== undefined && cacheableRequest(req.method, req.params, pin.block);
}

/** The answer to `req` known without the upstream (counted in `stats`), or undefined: it must be forwarded. */
export function answerAtPin(
  req: JsonRpcRequest,
  pin: Pin | undefined,
  stats: ProxyStats,
): { result: unknown } | undefined {
  if (pin === undefined) return undefined;
  if (pin.headAtForkBlock && req.method === "eth_blockNumber") {
    stats.pinnedHead++;
    return { result: toQuantity(pin.block) };
  }
  if (!isCached(req, pin)) return undefined;
  if (req.method === "eth_chainId" && pin.chainId !== undefined) {
    countCacheHit(stats, req.method);
    return { result: toQuantity(pin.chainId) };
  }
  const read = pin.cache.read(req.method, req.params);
  if (!read.hit) return undefined;
  countCacheHit(stats, req.method);
  return { result: read.result };
}

/** Writes the upstream's `result` to `req` to the cache when it may be kept; a failed write is logged, not thrown. */
export function keepAtPin(
  req: JsonRpcRequest,
  result: unknown,
  pin: Pin | undefined,
  stats: ProxyStats,
  log: (line: string) => void,
  redact: (text: string) => string,
): void {
  if (pin === undefined || !isCached(req, pin) || !cacheableResult(req.method, result, pin.block)) return;
  try {
    pin.cache.write(req.method, req.params, result);
    stats.cacheWrites++;
  } catch (err) {
    log(`fork cache: could not write an entry: ${redactError(err, redact)}`);
  }
}
