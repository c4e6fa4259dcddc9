import { expect } from "chai";
import { loadEmbedded } from "../fixtures";
import { WAD } from "../../src/constants";
import { InputError } from "../../src/errors";
import { UniswapV3Dex } from "../../src/dex/uniswap-v3";
import { openMarket } from "../../src/protocols/registry";
import { buildPopulation, planPopulation, PopulationSpec, validatePopulation } from "../../src/scenario/population";

const spec: PopulationSpec = {
  seed: 7,
  groups: [
    {
      market: "aave-v3:USDe/USDC:emode-2",
      count: 12,
      size: { dist: "lognormal", median: "50000", sigma: 1, min: "1000", max: "2000000" },
      ltv: { dist: "uniform", min: "0.70", max: "0.88" },
      rounds: { dist: "choice", values: ["3", "5", "8"] },
      method: "flash",
    },
    {
      market: "morpho-blue:sUSDe/USDC-91.5",
      count: 8,
      size: { dist: "fixed", value: "20000" },
      ltv: { dist: "uniform", min: "0.80", max: "0.90" },
      rounds: { dist: "fixed", value: "6" },
      method: "flash",
    },
  ],
};

describe("population builder", function () {
  it("plans the same positions from the same seed, and others from another", function () {
    const a = planPopulation(spec, "p");
    expect(planPopulation(spec, "p")).to.deep.equal(a);
    expect(planPopulation({ ...spec, seed: 8 }, "p")).to.not.deep.equal(a);
    expect(a).to.have.length(20);
    expect(new Set(a.map((p) => p.account)).size).to.equal(20);
    for (const p of a.slice(0, 12)) {
      expect(p.targetLtvWad).to.be.within((70n * WAD) / 100n, (88n * WAD) / 100n);
      expect([3, 5, 8]).to.include(p.rounds);
      expect(p.initialRaw).to.be.within(1000n * WAD, 2_000_000n * WAD);
    }
  });

  it("opens every position for real, each on its own account, one flash-loan transaction each", async function () {
    const { ctx } = await loadEmbedded();
    const plan = planPopulation(spec, "p");
    await validatePopulation(ctx, plan);
    let calls = 0;
    const built = await buildPopulation(ctx, new UniswapV3Dex(ctx), plan, () => calls++);
    expect(calls).to.equal(20);
    for (const p of built) {
      const pos = await openMarket(ctx, p.market).position(p.account);
      expect(pos.debt[0].amountRaw).to.be.greaterThan(0n);
      expect(pos.healthFactorWad).to.be.greaterThan(WAD);
      expect(pos.collateral[0].amountRaw).to.equal(p.start.collateral[0].amountRaw);
    }
  });

  it("refuses a position whose LTV is at or above its market's threshold, naming the group", async function () {
    const { ctx } = await loadEmbedded();
    const bad: PopulationSpec = { seed: 1, groups: [{ ...spec.groups[1], ltv: { dist: "fixed", value: "0.95" } }] };
    const err = await validatePopulation(ctx, planPopulation(bad, "p")).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).to.be.instanceOf(InputError);
    expect((err as Error).message).to.match(
      /^population\.groups\[0\] \(position 0\)\.targetLtv: 95\.00% is at or above/,
    );
  });
});
