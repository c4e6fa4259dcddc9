/** One deployer per Aave release; adding a release means adding one file and one line here. */
import type { AaveRelease } from "../../domain/aave-release";
import type { AaveDeployer } from "./deployer";
import { deployAaveOrigin } from "./origin";
import { deployAaveV30 } from "./v3-0";

export const AAVE_DEPLOYERS: Record<AaveRelease, AaveDeployer> = {
  "v3.0": deployAaveV30,
  "origin-v3.6": deployAaveOrigin,
};
