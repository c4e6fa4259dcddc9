/** `npm start`: deploys the embedded chain in-process and prints what is deployed, read back from chain. */
import hre from "hardhat";
import { deployEmbedded } from "../src/embedded/deploy";
import { writeDeployment } from "../src/chain/deployments";
import { deploymentSummary } from "../src/report/deployment-summary";

async function main(): Promise<void> {
  const [deployer] = await hre.ethers.getSigners();
  const started = Date.now();
  const { record } = await deployEmbedded(deployer, hre.ethers.provider, { log: (l) => console.error(`deploying: ${l}`) });
  console.error(`deployed in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  writeDeployment(record);
  console.log(await deploymentSummary(record, hre.ethers.provider));
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
});
