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
  /** Embedded chain only: which Aave logic to deploy (default v3.0). */
  aaveRelease?: string;
  /** Embedded chain only: also deploy the Curve stable-swap pool (EMBEDDED_CURVE_USDE_POOL). */
  curve?: boolean;
}

/**
 * Fork mode when --fork-url (or MAINNET_RPC_URL) is given: the in-process network forks it at --fork-block through
 * the upstream proxy, with the chain profile of --profile. Otherwise the embedded chain.
 */
export async function openSession(hre: HardhatRuntimeEnvironment, fork: ForkArgs = {}, log: (l: string) => void = (l) => console.error(l)): Promise<Session> {
  // MAINNET_RPC_URL stands in for --fork-url once a profile says which chain it serves.
  const forkUrl = fork.forkUrl ?? (fork.profile ? process.env.MAINNET_RPC_URL : undefined);
  const { InputError } = await import("../src/errors");
  const { aaveReleaseFrom } = await import("../src/domain/aave-release");
  const aaveRelease = fork.aaveRelease === undefined ? undefined : aaveReleaseFrom(fork.aaveRelease, "--aave-release");
  if (forkUrl) {
    if (aaveRelease !== undefined) throw new InputError("--aave-release", "applies to the embedded chain only: a fork runs whatever Aave the forked chain runs", "drop --aave-release in fork mode");
    if (fork.curve) throw new InputError("--curve", "applies to the embedded chain only: a fork has the Curve pools of its profile", "drop --curve in fork mode");
    const { openFork } = await import("../src/session/fork");
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
  const { EMBEDDED_CURVE_USDE_POOL, defaultEmbeddedParams } = await import("../src/embedded/params");
  const { aaveReleaseOf } = await import("../src/embedded/aave");
  const fs = await import("fs");
  const params = defaultEmbeddedParams();
  params.aave.release = aaveRelease ?? "v3.0";
  if (fork.curve) params.curve.pools = [EMBEDDED_CURVE_USDE_POOL];
  const provider = hre.ethers.provider;
  await assertLocalDevNode(provider);
  const [deployer, ...rest] = await hre.ethers.getSigners();
  // --profile on a local node (e.g. --network localhost): use the deployment that file records, as it is.
  if (fork.profile) {
    const record = readDeployment("local", fork.profile);
    if ((await provider.getCode(record.aave.pool)) === "0x") {
      throw new InputError("--profile", `no Aave Pool at ${record.aave.pool} on this network`, "deploy it first (npx hardhat embedded:deploy --network <net> --out <file>) or drop --profile");
    }
    return { ctx: { provider, record, admin: deployer }, users: rest.slice(0, rest.length - 1), liquidator: rest[rest.length - 1], close: async () => undefined };
  }
  let record = fs.existsSync(deploymentPath("embedded")) ? readDeployment("embedded") : undefined;
  const same = (r: typeof record) => r !== undefined && aaveReleaseOf(r) === params.aave.release && (r.curve !== undefined) === (params.curve.pools.length > 0);
  if (!record || !same(record) || (await provider.getCode(record.aave.pool)) === "0x") {
    log(`deploying the embedded chain (Aave ${params.aave.release}${params.curve.pools.length > 0 ? ", with a Curve pool" : ""})…`);
    record = (await deployEmbedded(deployer, provider, { params })).record;
  }
  return { ctx: { provider, record, admin: deployer }, users: rest.slice(0, rest.length - 1), liquidator: rest[rest.length - 1], close: async () => undefined };
}
