/**
 * The on-disk fork cache: one JSON file per answer, under `<cache root>/<chainId>-<block>-<upstream host hash>/`, each
 * carrying the digest of the upstream's identity (identity.ts).
 */
import fs from "fs";
import path from "path";
import { writeFileAtomic } from "../deployments";
import { cacheKey } from "./cache-rules";

/** `<project root>/.fork-cache` (this file is in `src/chain/upstream/`). */
export const DEFAULT_FORK_CACHE_DIR = path.join(__dirname, "..", "..", "..", ".fork-cache");

/** Bumped when the entry format changes: older entries then read as misses. */
export const CACHE_ENTRY_VERSION = 2;

/**
 * One cached answer, with its request and the digest of the upstream that gave it, so that an entry holding another
 * request's answer, or another upstream's, is never trusted.
 */
export interface CacheEntry {
  v: typeof CACHE_ENTRY_VERSION;
  upstream: string;
  method: string;
  params: unknown;
  result: unknown;
}

export type CacheRead = { hit: true; result: unknown } | { hit: false };

/** The cache directory of one chain at one pinned block, as one upstream host serves it. */
export function cacheDirFor(root: string, chainId: number, block: bigint, upstreamHost: string): string {
  return path.join(root, `${chainId}-${block}-${upstreamHost}`);
}

export class DiskCache {
  constructor(
    readonly dir: string,
    /** The digest of the upstream's identity (identityDigest): entries of any other upstream are misses. */
    private readonly upstream: string,
    /** Told about each entry that is unreadable or another request's (it is then refetched and rewritten). */
    private readonly onCorrupt: (file: string, why: string) => void,
  ) {}

  private entryFile(method: string, params: unknown): { file: string; params: unknown } {
    const { key, params: canonicalParams } = cacheKey(method, params);
    return { file: path.join(this.dir, `${key}.json`), params: canonicalParams };
  }

  /** The cached result, or a miss (a missing, unreadable or foreign entry is a miss). */
  read(method: string, params: unknown): CacheRead {
    const { file, params: canonicalParams } = this.entryFile(method, params);
    let text: string;
    try {
      text = fs.readFileSync(file, "utf8");
    } catch {
      return { hit: false };
    }
    try {
      const entry = JSON.parse(text) as Partial<CacheEntry>;
      if (!entryMatches(entry, this.upstream, method, canonicalParams)) {
        this.onCorrupt(file, "entry does not match its request");
        return { hit: false };
      }
      return { hit: true, result: entry.result };
    } catch {
      this.onCorrupt(file, "not valid JSON (truncated?)");
      return { hit: false };
    }
  }

  /** Writes whole or not at all: a crash leaves a temp file, never a truncated entry. */
  write(method: string, params: unknown, result: unknown): void {
    const { file, params: canonicalParams } = this.entryFile(method, params);
    const entry: CacheEntry = {
      v: CACHE_ENTRY_VERSION,
      upstream: this.upstream,
      method,
      params: canonicalParams,
      result,
    };
    writeFileAtomic(file, JSON.stringify(entry));
  }
}

function entryMatches(entry: Partial<CacheEntry>, upstream: string, method: string, canonicalParams: unknown): boolean {
  return (
    entry.v === CACHE_ENTRY_VERSION &&
    entry.upstream === upstream &&
    entry.method === method &&
    JSON.stringify(entry.params) === JSON.stringify(canonicalParams) &&
    "result" in entry
  );
}
