/** Opens the embedded chain on the selected network: reuses a recorded deployment if its contracts are there, else deploys. */
import type { HardhatRuntimeEnvironment } from "hardhat/types";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import type { ChainContext } from "../src/chain/context";

export interface Session {
  ctx: ChainContext;
  users: HardhatEthersSigner[];
  liquidator: HardhatEthersSigner;
}

export async function openSession(hre: HardhatRuntimeEnvironment, log: (l: string) => void = (l) => console.error(l)): Promise<Session> {
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
  return { ctx: { provider, record, admin: deployer }, users: rest.slice(0, rest.length - 1), liquidator: rest[rest.length - 1] };
}
