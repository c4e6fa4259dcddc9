import { expect } from "chai";
import { compilePlanLine, estimatedSeconds, type PlannedJob } from "../../tasks/compile-plan";

function job(solcVersion: string, sourceNames: string[], filler: number): PlannedJob {
  return { solcVersion, sourceNames: [...sourceNames, ...Array.from({ length: filler }, (_, i) => `dep/I${i}.sol`)] };
}

/** A fresh clone's three jobs, as tasks/compile.ts merges them (one per compiler configuration). */
const FRESH: PlannedJob[] = [
  job(
    "0.8.27",
    ["contracts/aave/AaveV3Origin.sol", "@aave-dao/aave-v3-origin/src/contracts/instances/PoolInstance.sol"],
    83,
  ),
  job("0.8.28", ["contracts/liquidators/FlashLiquidator.sol"], 62),
  job("0.8.19", ["contracts/morpho/MorphoBlue.sol", "@morpho-org/morpho-blue/src/Morpho.sol"], 13),
];

describe("compile plan: the line printed before solc runs", function () {
  it("names each part with its files and compiler, and the time on 2 cores", function () {
    expect(compilePlanLine(FRESH, 2)).to.equal(
      "compiling Aave's origin line (85 files, solc 0.8.27), our tools (63 files, solc 0.8.28) and Morpho Blue " +
        "(15 files, solc 0.8.19), about 30 s; only on the first run or after a change",
    );
  });

  it("adds the jobs up when they run one at a time", function () {
    expect(estimatedSeconds(FRESH, 1)).to.equal(9 + 85 * 0.2 + 63 * 0.25 + 15 * 0.9);
    expect(compilePlanLine(FRESH, 1)).to.match(/, about 1 minute; only on the first run or after a change$/);
  });

  it("a change to one of our contracts compiles that file and its imports only", function () {
    const line = compilePlanLine([job("0.8.28", ["contracts/libraries/OperationLock.sol"], 0)], 2);
    expect(line).to.equal(
      "compiling our tools (1 file, solc 0.8.28), about 10 s; only on the first run or after a change",
    );
  });
});
