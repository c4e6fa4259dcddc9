import { expect } from "chai";
import { loadEmbedded } from "../fixtures";
import { InputError } from "../../src/errors";
import { UniswapV3Dex } from "../../src/dex/uniswap-v3";
import { parseCascadeScenario } from "../../src/scenario/cascade-schema";
import {
  SweepRow,
  GridSchema,
  gridPoints,
  mergeSweeps,
  parseShard,
  parseSweepCsv,
  runSweep,
  scenarioAt,
  sweepCsv,
} from "../../src/scenario/sweep";
import { SMALL_SWEEP_GRID, SMALL_SWEEP_SCENARIO } from "./small-sweep";

const scenario = parseCascadeScenario(SMALL_SWEEP_SCENARIO, "sweep.yaml");
const grid = GridSchema.parse(SMALL_SWEEP_GRID);

describe("sweeps", function () {
  it("rescales the path to each floor and pins rounds and policy per point", function () {
    const points = gridPoints(grid, scenario);
    expect(points.map((p) => [p.floor, p.policy])).to.deep.equal([
      ["0.90", "market/market"],
      ["0.90", "pegged-to-USDT/exchange-rate"],
      ["0.70", "market/market"],
      ["0.70", "pegged-to-USDT/exchange-rate"],
    ]);
    const s = scenarioAt(scenario, { index: 0, floor: "0.70", rounds: 6, policy: "pegged-to-USDT/exchange-rate" });
    expect("points" in s.path && s.path.points.map((p) => p.usde)).to.deep.equal(["0.92500000", "0.70000000"]);
    expect(s.population.groups[0].rounds).to.deep.equal({ dist: "fixed", value: "6" });
    expect(s.policies).to.deep.equal([{ aave: "pegged-to-USDT", morpho: "exchange-rate" }]);
  });

  it("sharded results merged equal the unsharded sweep", async function () {
    const { ctx, users } = await loadEmbedded();
    const dex = new UniswapV3Dex(ctx);
    const points = gridPoints(grid, scenario);
    const all = await runSweep(ctx, dex, scenario, points, users[18]);
    expect(all.map((r) => r.index)).to.deep.equal(["0", "1", "2", "3"]);
    // Deeper floor, more liquidations; mainnet's policies none.
    expect(Number(all[2].liquidations)).to.be.greaterThan(Number(all[0].liquidations));
    expect([all[1].liquidations, all[3].liquidations]).to.deep.equal(["0", "0"]);
    const shards: SweepRow[][] = [];
    for (const i of [1, 0]) {
      const { index, count } = parseShard(`${i}/2`);
      shards.push(
        parseSweepCsv(
          sweepCsv(
            await runSweep(
              ctx,
              dex,
              scenario,
              points.filter((p) => p.index % count === index),
              users[18],
            ),
          ),
          `shard ${i}`,
        ),
      );
    }
    expect(mergeSweeps(shards)).to.deep.equal(all);
    expect(() => mergeSweeps([shards[0]])).to.throw(InputError, /grid point 0 is missing/);
    expect(() => parseShard("2/2")).to.throw(InputError, /--shard: "2\/2" is not i\/n/);
  });
});
