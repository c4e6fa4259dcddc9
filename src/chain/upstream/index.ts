/**
 * The upstream side of fork mode: a JSON-RPC proxy of ours, on 127.0.0.1, in front of the user's RPC URL. Hardhat
 * (EDR) or anvil fork from the proxy's URL, never from the user's, so that:
 *
 * - the upstream URL, which holds an API key, is never given to a child process, printed, or put in an error;
 * - transient upstream failures are retried, then answered with one clear JSON-RPC error (retry.ts);
 * - every upstream request is counted (by method), with retries, cache hits and failures: `stats()` (stats.ts);
 * - with a pinned fork block, answers that cannot change at that block are kept on disk under
 *   `<cacheDir>/<chainId>-<block>/`, so a second run at the same block does not ask the upstream again
 *   (cache-rules.ts, disk-cache.ts, pinned-cache.ts);
 * - JSON-RPC batches are answered in the client's order, cached calls locally (batching.ts);
 * - a fork that fails is told as one sentence naming the flag to change (fork-failures.ts).
 *
 * This file only names what the rest of the project uses; server.ts starts the proxy.
 */
export { cacheableRequest } from "./cache-rules";
export { UPSTREAM_FAILURE_CODE } from "./failures";
export { forkFailure } from "./fork-failures";
export { startUpstreamProxy } from "./server";
export type { UpstreamProxy, UpstreamProxyOptions } from "./server";
export type { ProxyStats } from "./stats";
