/** Opens the embedded chain on the selected network: reuses a recorded deployment if its contracts are there, else deploys. */
import type { HardhatRuntimeEnvironment } from "hardhat/types";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import type { ChainContext } from "../src/chain/context";

export interface Session {
  ctx: ChainContext;
  users: HardhatEthersSigner[];
  liquidator: HardhatEthersSigner;
  /** Ends the session (fork mode: closes the upstream proxy and reports its request count). */
  close(): Promise<void>;
}

export interface ForkArgs {
  forkUrl?: string;
  forkBlock?: string;
  profile?: string;
  forkCache?: string;
}

/**
 * Fork mode when --fork-url (or MAINNET_RPC_URL) is given: the in-process network forks it at --fork-block through
 * the upstream proxy, with the chain profile of --profile. Otherwise the embedded chain.
 */
export async function openSession(hre: HardhatRuntimeEnvironment, fork: ForkArgs = {}, log: (l: string) => void = (l) => console.error(l)): Promise<Session> {
  // MAINNET_RPC_URL stands in for --fork-url once a profile says which chain it serves.
  const forkUrl = fork.forkUrl ?? (fork.profile ? process.env.MAINNET_RPC_URL : undefined);
  if (forkUrl) {
    const { InputError } = await import("../src/errors");
    const { openFork } = await import("../src/chain/fork");
    if (!fork.profile) throw new InputError("--profile", "fork mode needs a chain profile", "--profile mainnet, or a deployments file such as deployments/embedded.json for a local upstream");
    if (fork.forkBlock !== undefined && !/^\d+$/.test(fork.forkBlock)) throw new InputError("--fork-block", `"${fork.forkBlock}" is not a block number`);
    const [, ...rest] = await hre.ethers.getSigners();
    const f = await openFork(
      hre.ethers.provider,
      async (jsonRpcUrl, blockNumber) => {
        await hre.network.provider.request({ method: "hardhat_reset", params: [{ forking: { jsonRpcUrl, blockNumber } }] });
      },
      { forkUrl, forkBlock: fork.forkBlock === undefined ? undefined : Number(fork.forkBlock), profile: fork.profile, cacheDir: fork.forkCache, log },
    );
    return { ctx: f.ctx, users: rest.slice(0, rest.length - 1), liquidator: rest[rest.length - 1], close: async () => {
      const s = f.proxy.stats();
      log(`fork: ${s.upstreamRequests} upstream request(s), ${s.cacheHits} served from the fork cache`);
      await f.close();
    } };
  }
  const { assertLocalDevNode } = await import("../src/chain/safety");
  const { readDeployment, deploymentPath } = await import("../src/chain/deployments");
  const { deployEmbedded } = await import("../src/embedded/deploy");
  const fs = await import("fs");
  const provider = hre.ethers.provider;
  await assertLocalDevNode(provider);
  const [deployer, ...rest] = await hre.ethers.getSigners();
  let record = fs.existsSync(deploymentPath("embedded")) ? readDeployment("embedded") : undefined;
  if (!record || (await provider.getCode(record.aave.pool)) === "0x") {
    log("deploying the embedded chain…");
    record = (await deployEmbedded(deployer, provider)).record;
  }
  return { ctx: { provider, record, admin: deployer }, users: rest.slice(0, rest.length - 1), liquidator: rest[rest.length - 1], close: async () => undefined };
}
