/**
 * Hardhat tasks: thin wrappers over src/. Everything is imported lazily inside actions so that `hardhat compile`
 * works on a clean clone before TypeChain types exist.
 */
import { task } from "hardhat/config";
import { runCli } from "./cli";

task("embedded:deploy", "Deploys the embedded chain (real Aave V3, Morpho Blue, Uniswap V3 + our stand-ins) to the selected network and records its addresses")
  .addOptionalParam("out", "Where to write the deployment record", "deployments/embedded.json")
  .addFlag("quiet", "Do not print the summary")
  .setAction(async (args: { out: string; quiet: boolean }, hre) =>
    runCli(async () => {
      const { deployEmbedded } = await import("../src/embedded/deploy");
      const { writeDeployment } = await import("../src/chain/deployments");
      const { deploymentSummary } = await import("../src/report/deployment-summary");
      const [deployer] = await hre.ethers.getSigners();
      const { record } = await deployEmbedded(deployer, hre.ethers.provider, { log: (l) => console.error(`deploying: ${l}`) });
      writeDeployment(record, args.out);
      console.error(`recorded ${args.out}`);
      if (!args.quiet) console.log(await deploymentSummary(record, hre.ethers.provider));
    }),
  );
