/**
 * Fork mode: the in-process Hardhat network forks the user's RPC at a pinned block — through our local upstream
 * proxy (retries, redaction, on-disk cache), so the RPC URL is never handed to Hardhat or printed — and the chain
 * profile comes from a deployments file. The same scenarios then run through the same code, with the profile's
 * admin impersonated for the manipulations (feeds, oracle sources).
 */
import type { Signer } from "ethers";
import { ChainContext, chainContext } from "../chain/context";
import type { DeploymentRecord } from "../chain/deployments";
import { readDeployment } from "../chain/deployments";
import { impersonate } from "../chain/cheats";
import { redactUrl, redactorFor } from "../chain/redact";
import { rpc, RpcProvider, toQuantity } from "../chain/rpc";
import { assertLocalDevNode } from "../chain/safety";
import { UpstreamProxy, forkFailure, startUpstreamProxy } from "../chain/upstream";
import { InputError } from "../errors";
import { deployPolicyFeeds } from "../oracles/policy-feeds";
import {
  MAINNET_ADMIN,
  MAINNET_CHAIN_ID,
  MAINNET_DEFAULT_FORK_BLOCK,
  buildMainnetProfile,
} from "../chain/profiles/mainnet";
import { checkCurvePool } from "../dex/curve-stableswap";
import { MAINNET_PROFILE } from "./mode";

export interface ForkOptions {
  /** The user's RPC URL (secret). */
  forkUrl: string;
  /** Pinned block; default: the profile's recorded block. */
  forkBlock?: number;
  /** "mainnet" (src/chain/profiles/mainnet.ts), or the deployments file of the chain profile on the upstream. */
  profile: string;
  cacheDir?: string | false;
  log?: (line: string) => void;
}

export interface ForkSession {
  ctx: ChainContext;
  proxy: UpstreamProxy;
  block: number;
  close(): Promise<void>;
}

/** Every address of the profile must have code on the fork: a wrong block or network fails here, clearly. */
async function checkProfileOnChain(provider: RpcProvider, record: DeploymentRecord): Promise<void> {
  const named: [string, string][] = [
    ...Object.entries(record.tokens).map(([s, t]) => [`tokens.${s}`, t!.address] as [string, string]),
    ["aave.pool", record.aave.pool],
    ["aave.oracle", record.aave.oracle],
    ["aave.dataProvider", record.aave.dataProvider],
    ["morpho.morpho", record.morpho.morpho],
    ["uniswap.swapRouter", record.uniswap.swapRouter],
    ["uniswap.quoter", record.uniswap.quoter],
    ...(record.ethena ? [["ethena.minting", record.ethena.minting] as [string, string]] : []),
    ...Object.entries(record.feeds).map(([n, a]) => [`feeds["${n}"]`, a] as [string, string]),
  ];
  for (const [field, address] of named) {
    if ((await provider.getCode(address)) === "0x") {
      throw new InputError(
        `profile ${record.profile}: ${field}`,
        `no contract at ${address} on the fork`,
        "check --fork-block and that the RPC serves this network",
      );
    }
  }
}

/**
 * Forks the RPC at the pinned block and checks the profile on it. A fork that fails (unreachable, rate-limited, the
 * block missing or pruned, another chain) is refused with one sentence naming the flag to change, secret redacted.
 */
export async function openFork(
  provider: RpcProvider & { getSigner(address: string): Promise<Signer> },
  resetForking: (jsonRpcUrl: string, blockNumber: number) => Promise<void>,
  o: ForkOptions,
): Promise<ForkSession> {
  try {
    return await forkAndCheck(provider, resetForking, o);
  } catch (err) {
    throw forkFailure(err, redactorFor(o.forkUrl), o.forkBlock) ?? err;
  }
}

async function forkAndCheck(
  provider: RpcProvider & { getSigner(address: string): Promise<Signer> },
  resetForking: (jsonRpcUrl: string, blockNumber: number) => Promise<void>,
  o: ForkOptions,
): Promise<ForkSession> {
  await assertLocalDevNode(provider);
  let url: URL;
  try {
    url = new URL(o.forkUrl);
  } catch {
    throw new InputError("--fork-url", "is not a URL", "give an http(s) JSON-RPC URL");
  }
  if (!/^https?:$/.test(url.protocol)) throw new InputError("--fork-url", `${redactUrl(o.forkUrl)} is not http(s)`);
  const mainnet = o.profile === MAINNET_PROFILE;
  const fileRecord = mainnet ? undefined : readDeployment("fork", o.profile);
  const block = o.forkBlock ?? fileRecord?.block ?? MAINNET_DEFAULT_FORK_BLOCK;
  const chainId = fileRecord?.chainId ?? MAINNET_CHAIN_ID;
  const proxy = await startUpstreamProxy({
    upstreamUrl: o.forkUrl,
    forkBlock: block,
    chainId,
    cacheDir: o.cacheDir,
    log: o.log,
  });
  try {
    o.log?.(`forking ${proxy.upstream} at block ${block} (through a local proxy; the URL is not shown)`);
    await resetForking(proxy.url, block);
    // Hardhat 2.29 forking a chain it has no hardfork history for fails the first execution; one mined block fixes it.
    await rpc(provider, "hardhat_mine", [toQuantity(1)]);
    const forkedAt = await provider.getBlock(block);
    o.log?.(`fork block ${block}: ${forkedAt ? new Date(forkedAt.timestamp * 1000).toISOString() : "unknown time"}`);
    let record: DeploymentRecord;
    let admin: Signer;
    if (fileRecord) {
      record = fileRecord;
      admin = await impersonate(provider, record.deployer);
    } else {
      admin = await impersonate(provider, MAINNET_ADMIN);
      record = await buildMainnetProfile(provider, block, MAINNET_ADMIN);
      // The policy feeds (fixed 1 USD, sUSDe = rate x feed) sit next to the real ones, owned by the admin.
      Object.assign(record.feeds, await deployPolicyFeeds(provider, admin, record.tokens.sUSDe?.address, record.feeds));
    }
    await checkProfileOnChain(provider, record);
    const ctx = chainContext(provider, record, admin);
    for (const [key, pool] of Object.entries(record.curve?.pools ?? {})) await checkCurvePool(ctx, key, pool);
    return { ctx, proxy, block, close: () => proxy.close() };
  } catch (err) {
    await proxy.close();
    throw err;
  }
}
