/** A recorded deployment on a local node (e.g. `--network localhost --profile <file>`), used as it is. */
import type { Signer } from "ethers";
import { ChainContext, chainContext } from "../chain/context";
import { readDeployment } from "../chain/deployments";
import type { RpcProvider } from "../chain/rpc";
import { InputError } from "../errors";

/** The deployment `file` records, checked to be on this node by its Aave Pool; the deployer signer is its admin. */
export async function openRecorded(provider: RpcProvider, admin: Signer, file: string): Promise<ChainContext> {
  const record = readDeployment("local", file);
  if ((await provider.getCode(record.aave.pool)) === "0x") {
    throw new InputError(
      "--profile",
      `no Aave Pool at ${record.aave.pool} on this network`,
      "deploy it first (npx hardhat embedded:deploy --network <net> --out <file>) or drop --profile",
    );
  }
  return chainContext(provider, record, admin);
}
