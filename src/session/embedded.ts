/**
 * The embedded chain as a session: the deployment recorded in deployments/embedded.json when its contracts are on
 * the node and it runs the requested Aave release and Curve set-up, else a fresh deployment.
 */
import fs from "fs";
import type { Signer } from "ethers";
import { ChainContext, chainContext } from "../chain/context";
import { DeploymentRecord, deploymentPath, readDeployment } from "../chain/deployments";
import type { RpcProvider } from "../chain/rpc";
import type { AaveRelease } from "../domain/aave-release";
import { aaveReleaseOf } from "../embedded/aave/deployer";
import { deployEmbedded } from "../embedded/deploy";
import { EMBEDDED_CURVE_USDE_POOL, EmbeddedParams, defaultEmbeddedParams } from "../embedded/params";

export interface EmbeddedChoice {
  aaveRelease: AaveRelease;
  /** Also deploy the Curve stable-swap pool USDe/USDC/USDT/DAI. */
  curve: boolean;
}

/** The default embedded parameters with the chosen Aave release and, if asked, the Curve pool. */
export function embeddedParamsOf(choice: EmbeddedChoice): EmbeddedParams {
  const params = defaultEmbeddedParams();
  params.aave.release = choice.aaveRelease;
  if (choice.curve) params.curve.pools = [EMBEDDED_CURVE_USDE_POOL];
  return params;
}

/** Deploys the embedded chain with `params`; the deployer stays its admin. */
export async function deployEmbeddedContext(
  provider: RpcProvider,
  deployer: Signer,
  params: EmbeddedParams,
  log?: (line: string) => void,
): Promise<ChainContext> {
  const { record } = await deployEmbedded(deployer, provider, { params, log });
  return chainContext(provider, record, deployer);
}

/** Does a recorded embedded deployment run the chosen Aave release and Curve set-up? */
export function recordMatches(record: DeploymentRecord, choice: EmbeddedChoice): boolean {
  return aaveReleaseOf(record) === choice.aaveRelease && (record.curve !== undefined) === choice.curve;
}

export interface OpenEmbeddedOptions {
  log?: (line: string) => void;
  /** The recorded embedded deployment to reuse (default deployments/embedded.json). */
  recordFile?: string;
}

/** Reuses the recorded embedded deployment if it matches and its Aave Pool is on the node; else deploys. */
export async function openEmbedded(
  provider: RpcProvider,
  deployer: Signer,
  choice: EmbeddedChoice,
  options: OpenEmbeddedOptions = {},
): Promise<ChainContext> {
  const file = options.recordFile ?? deploymentPath("embedded");
  const recorded = fs.existsSync(file) ? readDeployment("embedded", file, file) : undefined;
  if (recorded && recordMatches(recorded, choice) && (await provider.getCode(recorded.aave.pool)) !== "0x") {
    return chainContext(provider, recorded, deployer);
  }
  const curve = choice.curve ? ", with a Curve pool" : "";
  options.log?.(`deploying the embedded chain (Aave ${choice.aaveRelease}${curve})…`);
  return deployEmbeddedContext(provider, deployer, embeddedParamsOf(choice));
}
