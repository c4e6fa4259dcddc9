/**
 * Sessions: one chain opened for a command — the embedded chain (reused or deployed), a recorded deployment on a
 * local node, or a fork of an archive RPC — and the signers that act on it. Takes plain values (a provider, its
 * signers, a fork-reset callback) so that it needs no Hardhat runtime.
 */
import type { Signer } from "ethers";
import type { ChainContext } from "../chain/context";
import type { RpcProvider } from "../chain/rpc";
import { assertLocalDevNode } from "../chain/safety";
import { embeddedParamsOf, openEmbedded } from "./embedded";
import type { DepegScenario } from "../scenario/depeg-schema";
import { checkDepegFits, checkDepegFitsRecord, checkDepegNames } from "../scenario/fits";
import { readDeployment } from "../chain/deployments";
import { openFork } from "./fork";
import { MAINNET_PROFILE, SessionEnv, SessionFlags, sessionMode } from "./mode";
import { openRecorded } from "./recorded";

export type { SessionEnv, SessionFlags } from "./mode";
export { sessionMode } from "./mode";

export interface Session<S extends Signer = Signer> {
  ctx: ChainContext;
  users: S[];
  liquidator: S;
  /** Ends the session (fork mode: closes the upstream proxy and reports its request count). */
  close(): Promise<void>;
}

/** What a session runs on: a local dev node's provider and its unlocked accounts. */
export interface SessionChain<S extends Signer = Signer> {
  provider: RpcProvider & { getSigner(address: string): Promise<Signer> };
  /** The node's accounts: [deployer, ...users, liquidator]. */
  signers: S[];
  /** Fork mode: re-forks the node at `blockNumber` of `jsonRpcUrl` (Hardhat: hardhat_reset with forking). */
  resetForking(jsonRpcUrl: string, blockNumber: number): Promise<void>;
}

export interface SessionOptions {
  log?: (line: string) => void;
  /** Default process.env. */
  env?: SessionEnv;
  /** The recorded embedded deployment to reuse (default deployments/embedded.json). */
  embeddedRecordFile?: string;
}

/** Account 0 deploys or administers; the last is the liquidator; the rest are users. */
export function splitSigners<S extends Signer>(signers: S[]): { deployer: S; users: S[]; liquidator: S } {
  if (signers.length < 3) throw new Error(`a session needs at least 3 accounts, the node has ${signers.length}`);
  const [deployer, ...rest] = signers;
  return { deployer, users: rest.slice(0, rest.length - 1), liquidator: rest[rest.length - 1] };
}

const noClose = async (): Promise<void> => undefined;

/** Opens the chain the flags choose (see sessionMode); every refusal comes before the chain is touched. */
export async function openSession<S extends Signer>(
  chain: SessionChain<S>,
  flags: SessionFlags = {},
  options: SessionOptions = {},
): Promise<Session<S>> {
  const log = options.log ?? ((l: string) => console.error(l));
  const mode = sessionMode(flags, options.env ?? process.env);
  const { deployer, users, liquidator } = splitSigners(chain.signers);
  if (mode.kind === "fork") {
    const { forkUrl, forkBlock, profile, cacheDir } = mode;
    const f = await openFork(chain.provider, chain.resetForking, { forkUrl, forkBlock, profile, cacheDir, log });
    const close = async (): Promise<void> => {
      const s = f.proxy.stats();
      log(`fork: ${s.upstreamRequests} upstream request(s), ${s.cacheHits} served from the fork cache`);
      await f.close();
    };
    return { ctx: f.ctx, users, liquidator, close };
  }
  await assertLocalDevNode(chain.provider);
  if (mode.kind === "recorded") {
    return { ctx: await openRecorded(chain.provider, deployer, mode.profile), users, liquidator, close: noClose };
  }
  const ctx = await openEmbedded(chain.provider, deployer, mode, { log, recordFile: options.embeddedRecordFile });
  return { ctx, users, liquidator, close: noClose };
}

/**
 * Before a depeg scenario opens its chain, everything it names (feed, markets, venue) must exist where it will run: in
 * the parameters the embedded chain will be deployed with, or in the deployments file a fork or a node serves; so a
 * typo is refused before any deployment or fork. A fork of mainnet builds its profile on chain: only the names are
 * checked before, the rest once it is open.
 */
export function checkDepegBeforeOpening(
  scenario: DepegScenario,
  flags: SessionFlags,
  env: SessionEnv = process.env,
): void {
  const mode = sessionMode(flags, env);
  if (mode.kind === "embedded") checkDepegFits(scenario, embeddedParamsOf(mode));
  else if (mode.profile === MAINNET_PROFILE) checkDepegNames(scenario);
  else checkDepegFitsRecord(scenario, readDeployment(mode.kind === "fork" ? "fork" : "local", mode.profile));
}
