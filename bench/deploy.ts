/** Benchmark: how long the embedded deployment takes, and how long a snapshot revert takes. Prints figures. */
import hre from "hardhat";
import { deployEmbedded } from "../src/embedded/deploy";
import { revertTo, snapshot } from "../src/chain/cheats";
import { AAVE_RELEASES } from "../src/domain/aave-release";
import { defaultEmbeddedParams } from "../src/embedded/params";

async function main(): Promise<void> {
  const [deployer] = await hre.ethers.getSigners();
  const t0 = performance.now();
  await deployEmbedded(deployer, hre.ethers.provider);
  const t1 = performance.now();
  const blocks = await hre.ethers.provider.getBlockNumber();
  const id = await snapshot(hre.ethers.provider);
  const t2 = performance.now();
  await revertTo(hre.ethers.provider, id);
  const t3 = performance.now();
  console.log(`embedded deployment: ${(t1 - t0).toFixed(0)} ms, ${blocks} blocks`);
  console.log(`snapshot: ${(t2 - t1).toFixed(1)} ms, revert: ${(t3 - t2).toFixed(1)} ms`);
  for (const release of AAVE_RELEASES) {
    const params = defaultEmbeddedParams();
    params.aave.release = release;
    const before = await hre.ethers.provider.getBlockNumber();
    const t = performance.now();
    await deployEmbedded(deployer, hre.ethers.provider, { params });
    console.log(
      `embedded deployment with Aave ${release}: ${(performance.now() - t).toFixed(0)} ms, ${(await hre.ethers.provider.getBlockNumber()) - before} blocks`,
    );
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
