import { expect } from "chai";
import { loadEmbedded } from "../fixtures";
import { WAD } from "../../src/constants";
import { InputError } from "../../src/errors";
import { UniswapV3Dex } from "../../src/dex/uniswap-v3";
import { openMarket } from "../../src/protocols/registry";
import {
  borrowedByMarket,
  buildPopulation,
  checkPopulationFits,
  planPopulation,
  PopulationSpec,
  validatePopulation,
} from "../../src/scenario/population";
import { defaultEmbeddedParams } from "../../src/embedded/params";
import { plannedMarket, setPlannedLiquidity } from "../../src/embedded/markets";
import { idealLoop } from "../../src/strategies/iterative-loop";

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

  it("sums what each market borrows; a market given that much to lend lets the fit check pass", function () {
    const market = "morpho-blue:USDe/DAI-86";
    const big: PopulationSpec = {
      seed: 1,
      groups: [
        {
          market,
          count: 150,
          size: { dist: "fixed", value: "200000" },
          ltv: { dist: "fixed", value: "0.80" },
          rounds: { dist: "fixed", value: "4" },
          method: "flash",
        },
      ],
    };
    const plan = planPopulation(big, "p");
    const params = defaultEmbeddedParams();
    const each = idealLoop(200_000n * WAD, (80n * WAD) / 100n, 4).debtWad / WAD;
    const borrowed = borrowedByMarket(plan, params);
    expect([...borrowed.keys()]).to.deep.equal([market]);
    expect(borrowed.get(market)).to.deep.equal({
      needWhole: 150n * each,
      haveWhole: 50_000_000n,
      field: "population.groups[0]",
    });
    expect(() => checkPopulationFits(plan, params)).to.throw(
      InputError,
      `the population borrows ~${150n * each} on ${market}, which has 50000000 to lend`,
    );
    setPlannedLiquidity(params, market, 150n * each, "population.groups[0]");
    expect(plannedMarket(params, market, "m").liquidityWhole).to.equal(150n * each);
    expect(() => checkPopulationFits(plan, params)).to.not.throw();
    // Aave: the debt reserve's seed, in the token's own units (USDC: 6 decimals).
    setPlannedLiquidity(params, "aave-v3:USDe/USDC:emode-2", 123n, "m");
    expect(params.aave.seedSupplyRaw.USDC).to.equal(123_000_000n);
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
