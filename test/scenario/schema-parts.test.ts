import { expect } from "chai";
import { parseCascadeScenario } from "../../src/scenario/cascade-schema";
import { parseDepegScenario } from "../../src/scenario/depeg-schema";
import { InputError } from "../../src/errors";
import { smallCascadeInput, smallDepegInput } from "../fixtures";

/** The one-line message a bad scenario gives, or "" when it parses. */
function refusal(parse: () => unknown): string {
  try {
    parse();
    return "";
  } catch (err) {
    if (err instanceof InputError) return err.message;
    throw err;
  }
}

const cascade = (patch: Record<string, unknown>) => () =>
  parseCascadeScenario(smallCascadeInput("bounds", "aave-v3:USDe/USDC:emode-2", patch), "bounds.yaml");
const depeg = (patch: Record<string, unknown>) => () =>
  parseDepegScenario(smallDepegInput("bounds", patch), "/tmp", "bounds.yaml");

describe("scenario bounds: every size is bounded and checked before anything is deployed", function () {
  it("a valid scenario parses", function () {
    expect(refusal(cascade({}))).to.equal("");
    expect(refusal(depeg({}))).to.equal("");
  });

  it("a name made only of dots is refused (it would write outside reports/)", function () {
    expect(refusal(cascade({ name: ".." }))).to.equal(
      "bounds.yaml: name: must not be only dots: it names a folder inside reports/",
    );
    expect(refusal(depeg({ name: "." }))).to.equal(
      "bounds.yaml: name: must not be only dots: it names a folder inside reports/",
    );
  });

  it("a path point of 10^18 blocks is refused, naming the field and the bound", function () {
    expect(refusal(cascade({ path: { points: [{ blocks: 1e18, usde: "0.9" }] } }))).to.equal(
      // "(and 1 more)": the other shape of path (a ramp) does not fit either.
      "bounds.yaml: path.points[0].blocks: at most 1000000 blocks per point (about 139 days) (and 1 more)",
    );
  });

  it("a ramp of a billion points, or of 10^15 blocks, is refused", function () {
    expect(refusal(cascade({ path: { ramp: { points: 1e9, usde: { from: "1", to: "0.6" } } } }))).to.equal(
      "bounds.yaml: path.ramp.points: at most 10000 points (and 1 more)",
    );
    expect(
      refusal(
        cascade({ path: { ramp: { points: 10_000, blocksPerPoint: 1_000_000, usde: { from: "1", to: "0.6" } } } }),
      ),
    ).to.equal("bounds.yaml: path.ramp: points x blocksPerPoint must be at most 10000000 blocks");
    expect(
      refusal(depeg({ path: { feed: "USDe/USD", ramp: { from: "1", to: "0.6", blocks: 1e15, points: 10 } } })),
    ).to.equal("bounds.yaml: path.ramp.blocks: at most 10000000 blocks");
  });

  it("rounds, loop rounds and the population are bounded", function () {
    expect(refusal(cascade({ stop: { maxRounds: 1e9 } }))).to.equal("bounds.yaml: stop.maxRounds: at most 10000");
    const group = (count: number) => ({
      market: "aave-v3:USDe/USDC:emode-2",
      count,
      size: { dist: "fixed", value: "1000" },
      ltv: { dist: "fixed", value: "0.8" },
      rounds: { dist: "fixed", value: "2" },
    });
    expect(refusal(cascade({ population: { seed: 1, groups: [group(5000), group(5000), group(1)] } }))).to.equal(
      "bounds.yaml: population.groups: at most 10000 positions in all groups together",
    );
    expect(
      refusal(
        depeg({
          loops: [{ market: "aave-v3:USDe/USDC:emode-2", initialAmount: "1000", rounds: 51, targetLtv: "0.8" }],
        }),
      ),
    ).to.equal("bounds.yaml: loops[0].rounds: at most 50 rounds");
  });
});
