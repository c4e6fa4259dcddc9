/**
 * Whom the fork cache asked: the upstream's identity, recorded beside the cached answers and checked at start, so that
 * one upstream's answers are never served to, nor mixed with, another's.
 *
 * An identity is the chain id, the pinned block and its hash, and a hash of the upstream's scheme and host (what
 * `redactUrl` shows; never the path, query or userinfo, which hold the API key). The host hash names the cache folder
 * (`<chainId>-<block>-<host hash>`), so another upstream at the same chain and block gets a folder of its own; the
 * block hash is stored in `identity.json` and every entry carries the identity's digest, so an entry copied from
 * another folder reads as a miss.
 *
 * What a start costs, and why it is sound:
 * - no identity yet, or one recorded before the block was final: one upstream request (a batch: eth_chainId, the
 *   pinned block, the `finalized` block, the head). The block must exist (Hardhat's engine aborts the process on a
 *   fork block its upstream lacks); a hash other than the recorded one discards the folder and fetches afresh.
 * - an identity recorded when the block was already final at that upstream: none. A final block's hash never changes
 *   on its chain, and the same host serving the same chain id serves that chain. The one case this trusts wrongly is a
 *   host that now serves another chain with the same id (a local dev node restarted on the same port); then the
 *   first call the cache cannot answer checks the chain id and the block hash again before it is forwarded, and a
 *   mismatch refuses every further call rather than mixing two chains.
 */
import crypto from "crypto";
import fs from "fs";
import path from "path";
import { QUANTITY } from "./cache-rules";
import { UpstreamFailure, snippet } from "./failures";
import { type Call, type Outcome, isObject } from "./json-rpc";
import type { SendCalls } from "./chain-id";

/** Hex characters of the host hash in a folder name: 64 bits, enough to tell a user's few upstreams apart. */
const HOST_ID_HEX_CHARS = 16;
/** Hex characters of the identity digest each entry carries. */
const DIGEST_HEX_CHARS = 32;
const IDENTITY_FILE = "identity.json";
/** Bumped when the identity format changes: an older identity then reads as none (the folder is refetched). */
const IDENTITY_VERSION = 1;

export interface UpstreamIdentity {
  v: typeof IDENTITY_VERSION;
  chainId: number;
  /** The pinned block, decimal. */
  block: string;
  blockHash: string;
  /** sha256 of the upstream's scheme and host, truncated (HOST_ID_HEX_CHARS). */
  upstreamHost: string;
  /** Whether the block was final (at or below the upstream's `finalized` block) when the identity was recorded. */
  final: boolean;
}

/** The hash of the upstream's scheme and host: what may be shown of its URL, never its secret parts. */
export function upstreamHostId(url: URL): string {
  const shown = `${url.protocol}//${url.host.toLowerCase()}`;
  return crypto.createHash("sha256").update(shown).digest("hex").slice(0, HOST_ID_HEX_CHARS);
}

/** The digest every cache entry of this identity carries. */
export function identityDigest(id: UpstreamIdentity): string {
  const fields = [id.chainId, id.block, id.blockHash.toLowerCase(), id.upstreamHost];
  return crypto.createHash("sha256").update(JSON.stringify(fields)).digest("hex").slice(0, DIGEST_HEX_CHARS);
}

/** The identity recorded in a cache folder, or undefined when there is none (or it is unreadable or outdated). */
export function readIdentity(dir: string): UpstreamIdentity | undefined {
  try {
    const id = JSON.parse(fs.readFileSync(path.join(dir, IDENTITY_FILE), "utf8")) as Partial<UpstreamIdentity>;
    const ok =
      id.v === IDENTITY_VERSION &&
      typeof id.chainId === "number" &&
      typeof id.block === "string" &&
      typeof id.blockHash === "string" &&
      typeof id.upstreamHost === "string" &&
      typeof id.final === "boolean";
    return ok ? (id as UpstreamIdentity) : undefined;
  } catch {
    return undefined;
  }
}

/** Replaces a folder's cached answers by an empty folder holding `id` alone. */
export function resetCacheFolder(dir: string, id: UpstreamIdentity): void {
  fs.rmSync(dir, { recursive: true, force: true });
  writeIdentity(dir, id);
}

/** Records `id` in a folder whose answers are already this identity's (a re-check that found the block now final). */
export function writeIdentity(dir: string, id: UpstreamIdentity): void {
  fs.mkdirSync(dir, { recursive: true });
  const tmp = path.join(dir, `${IDENTITY_FILE}.${process.pid}.tmp`);
  fs.writeFileSync(tmp, `${JSON.stringify(id, null, 2)}\n`);
  fs.renameSync(tmp, path.join(dir, IDENTITY_FILE));
}

const toQuantity = (n: bigint): string => `0x${n.toString(16)}`;

/** What the upstream says of itself at the pinned block. */
export interface AskedIdentity {
  chainId: number;
  blockHash: string;
  final: boolean;
}

/**
 * Asks the upstream, in one request, its chain id, the pinned block's hash, its finalized block and its head. Rejects
 * with an UpstreamFailure: "wrong-chain" when `expectedChainId` is given and differs, "no-block" when the upstream
 * does not have the block (not yet mined, or pruned), "bad-response" when an answer is unreadable.
 */
export async function askIdentity(
  send: SendCalls,
  shown: string,
  block: bigint,
  expectedChainId: number | undefined,
  why: string,
): Promise<AskedIdentity> {
  const calls: Call[] = [
    { method: "eth_chainId", params: [] },
    { method: "eth_getBlockByNumber", params: [toQuantity(block), false] },
    { method: "eth_getBlockByNumber", params: ["finalized", false] },
    { method: "eth_blockNumber", params: [] },
  ];
  const [chainOut, blockOut, finalOut, headOut] = await send(calls, `eth_chainId and block ${block}, ${why}`);
  const chainId = quantityOf(chainOut);
  if (chainId === undefined) {
    throw new UpstreamFailure("bad-response", `upstream ${shown} answered eth_chainId with ${said(chainOut)}`, 1);
  }
  if (expectedChainId !== undefined && Number(chainId) !== expectedChainId) {
    throw new UpstreamFailure(
      "wrong-chain",
      `upstream ${shown} is chain ${chainId}, not chain ${expectedChainId} as configured: ` +
        `refusing to mix its answers into the chain-${expectedChainId} fork cache`,
      1,
    );
  }
  const blockHash = hashOf(blockOut);
  if (blockHash === undefined) {
    const head = quantityOf(headOut);
    const headSaid = head === undefined ? "" : ` (its latest block is ${head})`;
    const answer = "error" in blockOut ? `: ${snippet(blockOut.error.message)}` : "";
    throw new UpstreamFailure("no-block", `upstream ${shown} has no block ${block}${headSaid}${answer}`, 1);
  }
  const finalized =
    "result" in finalOut && isObject(finalOut.result) ? quantityOf({ result: finalOut.result.number }) : undefined;
  return { chainId: Number(chainId), blockHash, final: finalized !== undefined && finalized >= block };
}

function quantityOf(o: Outcome): bigint | undefined {
  return "result" in o && typeof o.result === "string" && QUANTITY.test(o.result) ? BigInt(o.result) : undefined;
}

const BLOCK_HASH = /^0x[0-9a-fA-F]{64}$/;

function hashOf(o: Outcome): string | undefined {
  if (!("result" in o) || !isObject(o.result)) return undefined;
  const hash = o.result.hash;
  return typeof hash === "string" && BLOCK_HASH.test(hash) ? hash.toLowerCase() : undefined;
}

function said(o: Outcome): string {
  if ("error" in o) return `an error: ${o.error.message}`;
  return snippet(JSON.stringify(o.result) ?? "nothing");
}

/**
 * The check, before the first call the cache cannot answer, that a trusted identity is still the upstream's: made
 * once; after a transient failure, by the next call again; after a mismatch, `refused` is set and every call fails.
 */
export class IdentityCheck {
  private checked = false;
  private pending: Promise<void> | undefined;
  refused = false;

  constructor(
    private readonly known: UpstreamIdentity,
    private readonly dir: string,
    private readonly send: SendCalls,
    private readonly shown: string,
  ) {}

  ensure(): Promise<void> {
    if (this.checked) return Promise.resolve();
    if (this.pending === undefined) {
      this.pending = this.check();
      // A block body: returning the rejected promise from this handler would reject its own, unhandled.
      this.pending.catch(() => {
        if (!this.refused) this.pending = undefined;
      });
    }
    return this.pending;
  }

  private async check(): Promise<void> {
    const why = "checking that the fork cache's upstream is still this one before the first forwarded call";
    let asked: AskedIdentity;
    try {
      asked = await askIdentity(this.send, this.shown, BigInt(this.known.block), this.known.chainId, why);
    } catch (err) {
      if (err instanceof UpstreamFailure && (err.kind === "wrong-chain" || err.kind === "no-block"))
        this.refused = true;
      throw err;
    }
    if (asked.blockHash !== this.known.blockHash.toLowerCase()) {
      this.refused = true;
      throw new UpstreamFailure(
        "wrong-chain",
        `upstream ${this.shown} has block ${this.known.block} with hash ${asked.blockHash}, not ` +
          `${this.known.blockHash} as when the fork cache ${this.dir} was filled: it serves another chain; ` +
          "refusing to mix the two",
        1,
      );
    }
    this.checked = true;
  }
}
