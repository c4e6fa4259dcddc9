/**
 * The node a command runs on: Hardhat's in-process network, or anvil started for the command (src/chain/anvil.ts).
 * Both run the chain of src/chain/dev-node.ts; the library only sees a SessionChain. The Hardhat side is built by the
 * entry points (tasks/session.ts), since the library never imports Hardhat.
 */
import {
  JsonRpcPayload,
  JsonRpcProvider,
  JsonRpcResult,
  JsonRpcSigner,
  Network,
  Signer,
  TransactionRequest,
  TransactionResponse,
} from "ethers";
import { startAnvil, type AnvilOptions } from "../chain/anvil";
import { DEV_CHAIN_ID, DEV_TX_GAS_LIMIT, HISTORY_STORAGE_ADDRESS } from "../chain/dev-node";
import { loopbackHttp, type JsonRpcAnswer, type LoopbackHttp } from "../chain/loopback-http";
import { spaceBlocksByNode } from "../chain/clock";
import { cacheReads, isReadMethod, type RpcEndpoint } from "../chain/read-cache";
import { rpc } from "../chain/rpc";
import { shownValue } from "../domain/flag-values";
import { InputError } from "../errors";
import type { SessionChain } from "./index";

export const BACKENDS = ["anvil", "hardhat"] as const;
export type Backend = (typeof BACKENDS)[number];

/**
 * The default node at every size: anvil, run as a fork of a genesis node so that its blocks cost the same however much
 * state the chain holds (src/chain/anvil.ts). It ran the canonical scenario (110 positions) 4.0x as fast as Hardhat's
 * network in a twelfth of the memory, and 3,000 positions at 60 ms a position in 1.4 GB in all, where Hardhat keeps
 * about 4.6 MB per mined block, about 5 GB at 1,000 (README, Backends).
 */
const DEFAULT_BACKEND: Backend = "anvil";

/** The environment variable that stands in for --backend (e.g. for `npm start`). */
const BACKEND_ENV = "LOOPSTRESS_BACKEND";

/** Hardhat's in-process network: the only one --backend can replace (another --network is used as selected). */
const IN_PROCESS_NETWORK = "hardhat";

/**
 * --backend, else LOOPSTRESS_BACKEND, else anvil; a wrong name is refused with the field it came from. With another Hardhat network selected (--network localhost) the command runs
 * on it ("hardhat": through Hardhat's provider), and an explicit --backend is refused rather than ignored.
 */
export function chooseBackend(
  flag: string | undefined,
  env: Record<string, string | undefined> = {},
  network: string = IN_PROCESS_NETWORK,
): Backend {
  const [field, value] = flag !== undefined ? ["--backend", flag] : [BACKEND_ENV, env[BACKEND_ENV]];
  let backend: Backend = DEFAULT_BACKEND;
  if (value !== undefined && value !== "") {
    if (!(BACKENDS as readonly string[]).includes(value))
      throw new InputError(field, `unknown backend "${shownValue(value)}"`, `use ${BACKENDS.join(" or ")}`);
    backend = value as Backend;
  }
  if (network === IN_PROCESS_NETWORK) return backend;
  if (flag !== undefined)
    throw new InputError("--backend", `does not apply with --network ${shownValue(network)}`, "drop one of the two");
  return "hardhat";
}

/** A chain the command opened and must close (anvil: stops the process; Hardhat's in-process network: nothing). */
export interface BackendChain<S extends Signer = Signer> extends SessionChain<S> {
  backend: Backend;
  /** The node's processes when the command started it (anvil), e.g. to read their memory; none in-process. */
  pids?: number[];
  /** anvil: its loopback JSON-RPC URL (e.g. to serve as a fork's upstream in tests). */
  url?: string;
  close(): Promise<void>;
}

/**
 * A signer of the node's unlocked (or impersonated) accounts that sends with the chain's fixed gas limit, as Hardhat's
 * network does from its `gas` setting: no eth_estimateGas before each transaction. A revert is then mined with status
 * 0 (anvil) and its reason recovered by sendTx (src/chain/tx.ts).
 */
class DevNodeSigner extends JsonRpcSigner {
  override async sendUncheckedTransaction(tx: TransactionRequest): Promise<string> {
    return super.sendUncheckedTransaction(tx.gasLimit == null ? { ...tx, gasLimit: DEV_TX_GAS_LIMIT } : tx);
  }

  /**
   * The transaction is mined when the send answers (DevNodeProvider), so it is there at the first ask: no head-block
   * read before the send and no polling after it, as ethers does for a node that answers before mining.
   */
  override async sendTransaction(tx: TransactionRequest): Promise<TransactionResponse> {
    const hash = await this.sendUncheckedTransaction(tx);
    const response = await this.provider.getTransaction(hash);
    if (response === null) throw new Error(`the node has no transaction ${hash} after answering its send`);
    return response;
  }
}

/** The send that answers once the transaction is mined, with its receipt (EIP-7966; anvil 1.7 implements it). */
const SEND_SYNC_METHOD = "eth_sendTransactionSync";

interface SyncReceipt {
  transactionHash: string;
}

/** A request's first parameter (a transaction hash for eth_getTransactionReceipt). */
function firstParam(params: unknown[] | Record<string, unknown>): unknown {
  return Array.isArray(params) ? params[0] : undefined;
}

/**
 * Reads asked in the same turn of the event loop go out as one JSON-RPC batch of at most this many: a position read
 * asks for its account, market, oracle and feed together, and one round trip answers them all.
 */
const MAX_READ_BATCH = 256;

/** A read waiting for its batch to go out. */
interface PendingRead {
  payload: JsonRpcPayload;
  resolve(result: unknown): void;
  reject(err: unknown): void;
}

/**
 * A JSON-RPC provider to a local node: requests go out on one kept-alive connection (src/chain/loopback-http.ts),
 * never through ethers' queue, and nothing is cached. Reads asked together go out together, as one batch, at the end
 * of the event loop's turn; a write first sends the reads asked before it, then goes alone, so every request still
 * reaches the node in the order it was asked and each read sees the state it would have seen on its own.
 */
export class DevNodeProvider extends JsonRpcProvider {
  readonly #http: LoopbackHttp;
  #nextId = 1;
  /** The receipt the last send answered with, until the next write: the caller's wait() asks for it at once. */
  #lastReceipt: SyncReceipt | undefined;
  #pendingReads: PendingRead[] = [];
  #flushScheduled = false;

  constructor(url: string) {
    // No cache: a cached block number or balance would outlive the next mined block or snapshot revert.
    super(url, Network.from(DEV_CHAIN_ID), { staticNetwork: true, batchMaxCount: 1, cacheTimeout: -1 });
    this.#http = loopbackHttp(url);
  }

  /**
   * One request, answered or refused as ethers would (its errors, e.g. a revert's data, are ethers' own). An
   * eth_sendTransaction goes out as the send that returns once mined, so the transaction's block is sealed when the
   * caller next reads (a plain send on anvil answers before its miner has sealed the block); callers still see the hash.
   */
  override async send(method: string, params: unknown[] | Record<string, unknown>): Promise<unknown> {
    if (this.destroyed) throw new Error(`provider destroyed; ${method} not sent`);
    await this._start();
    if (method === "eth_getTransactionReceipt" && this.#lastReceipt?.transactionHash === firstParam(params))
      return this.#lastReceipt;
    const sync = method === "eth_sendTransaction";
    const payload: JsonRpcPayload = {
      method: sync ? SEND_SYNC_METHOD : method,
      params,
      id: this.#nextId++,
      jsonrpc: "2.0",
    };
    if (isReadMethod(method)) return this.#read(payload);
    this.#lastReceipt = undefined;
    this.#flushReads();
    const answer = await this.#http.post(JSON.stringify(payload));
    const result = this.#resultOf(payload, Array.isArray(answer) ? answer[0] : answer);
    if (!sync) return result;
    this.#lastReceipt = result as SyncReceipt;
    return this.#lastReceipt.transactionHash;
  }

  /** Queues a read for the batch that goes out at the end of this turn (or at once when the batch is full). */
  #read(payload: JsonRpcPayload): Promise<unknown> {
    return new Promise((resolve, reject) => {
      this.#pendingReads.push({ payload, resolve, reject });
      if (this.#pendingReads.length >= MAX_READ_BATCH) this.#flushReads();
      else if (!this.#flushScheduled) {
        this.#flushScheduled = true;
        // After every promise job now queued has run: the reads a Promise.all asks reach here first.
        process.nextTick(() => {
          this.#flushScheduled = false;
          this.#flushReads();
        });
      }
    });
  }

  /** Sends the queued reads (one alone as a plain request, several as a batch) and settles each from its answer. */
  #flushReads(): void {
    const batch = this.#pendingReads;
    if (batch.length === 0) return;
    this.#pendingReads = [];
    const body = JSON.stringify(batch.length === 1 ? batch[0].payload : batch.map((r) => r.payload));
    this.#http.post(body).then(
      (answer) => {
        const byId = new Map((Array.isArray(answer) ? answer : [answer]).map((a) => [a.id, a]));
        for (const r of batch) {
          try {
            r.resolve(this.#resultOf(r.payload, byId.get(r.payload.id as number)));
          } catch (err) {
            r.reject(err);
          }
        }
      },
      (err: unknown) => batch.forEach((r) => r.reject(err)),
    );
  }

  /** A request's result, or ethers' own error for the node's refusal. */
  #resultOf(payload: JsonRpcPayload, answer: JsonRpcAnswer | undefined): unknown {
    if (answer === undefined) throw new Error(`the node gave no answer to ${payload.method} (request ${payload.id})`);
    if (answer.error !== undefined) throw this.getRpcError(payload, { id: answer.id, error: answer.error });
    return answer.result;
  }

  /** ethers' own path (e.g. network detection) uses the same connection. */
  override async _send(payload: JsonRpcPayload | JsonRpcPayload[]): Promise<JsonRpcResult[]> {
    const answer = (await this.#http.post(JSON.stringify(payload))) as unknown;
    return (Array.isArray(answer) ? answer : [answer]) as JsonRpcResult[];
  }

  override destroy(): void {
    const unsent = this.#pendingReads;
    this.#pendingReads = [];
    unsent.forEach((r) => r.reject(new Error(`provider destroyed; ${r.payload.method} not sent`)));
    super.destroy();
    this.#http.close();
  }

  /** Any address: the node's own accounts and impersonated ones (which eth_accounts need not list). */
  override async getSigner(address: number | string = 0): Promise<DevNodeSigner> {
    if (typeof address === "string") return new DevNodeSigner(this, address);
    const accounts = await rpc<string[]>(this, "eth_accounts", []);
    const account = accounts[address];
    if (account === undefined) throw new Error(`the node has no account #${address}`);
    return new DevNodeSigner(this, account);
  }
}

/**
 * anvil writes a slot of EIP-2935's history at every block and Hardhat's network writes none: removing the contract's
 * code stops the writes, so the two chains hold the same state (dev-node.ts says why nothing is lost).
 */
async function stopBlockHashHistory(provider: JsonRpcProvider): Promise<void> {
  await rpc(provider, "anvil_setCode", [HISTORY_STORAGE_ADDRESS, "0x"]);
}

/** What anvil is told at its start and again after every re-fork (anvil_reset forgets both). */
async function prepareAnvil(provider: JsonRpcProvider): Promise<void> {
  await stopBlockHashHistory(provider);
  // Each block 12 s after the one before, without a request per transaction (src/chain/clock.ts).
  await spaceBlocksByNode(provider);
}

/** Starts anvil (the chain of dev-node.ts) and opens it as a session chain; close() stops anvil. */
export async function openAnvilChain(options: AnvilOptions = {}): Promise<BackendChain<JsonRpcSigner>> {
  const node = await startAnvil(options);
  const provider = new DevNodeProvider(node.url);
  // Repeated reads between two writes are answered once (src/chain/read-cache.ts).
  cacheReads(provider as RpcEndpoint);
  try {
    await prepareAnvil(provider);
    const accounts = await rpc<string[]>(provider, "eth_accounts", []);
    const signers = accounts.map((a) => new DevNodeSigner(provider, a));
    return {
      backend: "anvil",
      pids: node.pids,
      url: node.url,
      provider,
      signers,
      resetForking: async (jsonRpcUrl, blockNumber) => {
        await rpc(provider, "anvil_reset", [{ forking: { jsonRpcUrl, blockNumber } }]);
        // The fork brings mainnet's history contract (with its code) back, and anvil forgets its block interval.
        await prepareAnvil(provider);
      },
      close: async () => {
        provider.destroy();
        await node.close();
      },
    };
  } catch (err) {
    provider.destroy();
    await node.close();
    throw err;
  }
}
