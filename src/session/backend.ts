/**
 * The node a command runs on: Hardhat's in-process network, or anvil started for the command (src/chain/anvil.ts).
 * Both run the chain of src/chain/dev-node.ts; the library only sees a SessionChain. The Hardhat side is built by the
 * entry points (tasks/session.ts), since the library never imports Hardhat.
 */
import { JsonRpcApiProvider, JsonRpcProvider, JsonRpcSigner, Network, Signer, TransactionRequest } from "ethers";
import { startAnvil, type AnvilOptions } from "../chain/anvil";
import { DEV_CHAIN_ID, DEV_TX_GAS_LIMIT } from "../chain/dev-node";
import { cacheReads, type RpcEndpoint } from "../chain/read-cache";
import { rpc } from "../chain/rpc";
import { shownValue } from "../domain/flag-values";
import { InputError } from "../errors";
import type { SessionChain } from "./index";

export const BACKENDS = ["anvil", "hardhat"] as const;
export type Backend = (typeof BACKENDS)[number];

/**
 * Hardhat's in-process network: with one transaction per block (the deterministic clock) and several JSON-RPC round
 * trips per transaction, anvil ran the canonical scenario slower end to end (README, Backends). `--backend anvil`
 * (or LOOPSTRESS_BACKEND=anvil) runs anvil.
 */
const DEFAULT_BACKEND: Backend = "hardhat";

/** The environment variable that stands in for --backend (e.g. for `npm start`). */
const BACKEND_ENV = "LOOPSTRESS_BACKEND";

/** Hardhat's in-process network: the only one --backend can replace (another --network is used as selected). */
const IN_PROCESS_NETWORK = "hardhat";

/**
 * --backend, else LOOPSTRESS_BACKEND, else the default; a wrong name is refused with the field it came from. With
 * another Hardhat network selected (--network localhost) the command runs on it ("hardhat": through Hardhat's
 * provider), and an explicit --backend is refused rather than ignored.
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
  /** The node's process when the command started it (anvil), e.g. to read its memory; none in-process. */
  pid?: number;
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
    const hash = await super.sendUncheckedTransaction(tx.gasLimit == null ? { ...tx, gasLimit: DEV_TX_GAS_LIMIT } : tx);
    await mined(this.provider, hash);
    return hash;
  }
}

/** A block is mined in milliseconds; a node that has not mined a transaction after a minute has stopped mining. */
const MINING_TIMEOUT_MS = 60_000;

/**
 * Returns once the transaction has a receipt. A plain eth_sendTransaction on anvil answers before its miner has sealed
 * the block, and ethers' wait() would then miss the receipt and wait for a next block that the harness, which sends
 * one transaction at a time, never asks for. DevNodeProvider sends through eth_sendTransactionSync, so the first ask
 * finds the receipt; this stays as the guard for a node that answers early all the same.
 */
async function mined(provider: JsonRpcApiProvider, hash: string): Promise<void> {
  const deadline = Date.now() + MINING_TIMEOUT_MS;
  while ((await rpc<unknown>(provider, "eth_getTransactionReceipt", [hash])) === null) {
    if (Date.now() > deadline)
      throw new Error(`the node did not mine transaction ${hash} within ${MINING_TIMEOUT_MS} ms`);
    await new Promise((r) => setTimeout(r, 1));
  }
}

/** The send that answers once the transaction is mined, with its receipt (EIP-7966; anvil 1.7 implements it). */
const SEND_SYNC_METHOD = "eth_sendTransactionSync";

interface SyncReceipt {
  transactionHash: string;
}

/** A JSON-RPC provider to a local node: every request sent at once (no batching stall), nothing cached. */
class DevNodeProvider extends JsonRpcProvider {
  constructor(url: string) {
    // No cache: a cached block number or balance would outlive the next mined block or snapshot revert.
    super(url, Network.from(DEV_CHAIN_ID), { staticNetwork: true, batchMaxCount: 1, cacheTimeout: -1 });
  }

  /**
   * eth_sendTransaction as a send that returns once mined: the receipt is there at the first ask, where polling for
   * it after a plain send took about three round trips more per transaction. Callers still see the hash.
   */
  override async send(method: string, params: unknown[] | Record<string, unknown>): Promise<unknown> {
    if (method !== "eth_sendTransaction") return super.send(method, params);
    const receipt = (await super.send(SEND_SYNC_METHOD, params)) as SyncReceipt;
    return receipt.transactionHash;
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

/** Starts anvil (the chain of dev-node.ts) and opens it as a session chain; close() stops anvil. */
export async function openAnvilChain(options: AnvilOptions = {}): Promise<BackendChain<JsonRpcSigner>> {
  const node = await startAnvil(options);
  const provider = new DevNodeProvider(node.url);
  // Repeated reads between two writes are answered once (src/chain/read-cache.ts).
  cacheReads(provider as RpcEndpoint);
  try {
    const accounts = await rpc<string[]>(provider, "eth_accounts", []);
    const signers = accounts.map((a) => new DevNodeSigner(provider, a));
    return {
      backend: "anvil",
      pid: node.pid,
      url: node.url,
      provider,
      signers,
      resetForking: async (jsonRpcUrl, blockNumber) => {
        await rpc(provider, "anvil_reset", [{ forking: { jsonRpcUrl, blockNumber } }]);
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
