import { expect } from "chai";
import { smallCascadeInput } from "../fixtures";
import { InputError } from "../../src/errors";
import { parseCascadeScenario } from "../../src/scenario/cascade-schema";

const MARKET = "aave-v3:USDe/USDC:emode-2";

describe("cascade scenario schema: actors.redemptions", function () {
  it("defaults to the calibrated capacity (280,000 USDe a block), no fee, 10 gwei, no delay, not paused", function () {
    const s = parseCascadeScenario(smallCascadeInput("r", MARKET, { actors: { redemptions: {} } }), "s.yaml");
    expect(s.actors.redemptions).to.deep.equal({
      capacityPerBlockUsde: "280000",
      feeBps: 0,
      gasPriceGwei: "10",
      delayBlocks: 0,
      paused: false,
    });
    expect(parseCascadeScenario(smallCascadeInput("r", MARKET), "s.yaml").actors.redemptions).to.equal(undefined);
  });

  it("names the bad knob", function () {
    const bad = (redemptions: Record<string, unknown>) => () =>
      parseCascadeScenario(smallCascadeInput("r", MARKET, { actors: { redemptions } }), "s.yaml");
    expect(bad({ feeBps: 1001 })).to.throw(InputError, /s\.yaml: actors\.redemptions\.feeBps: .*1000/);
    expect(bad({ delayBlocks: -1 })).to.throw(InputError, /s\.yaml: actors\.redemptions\.delayBlocks/);
    expect(bad({ capacityPerBlockUsde: "lots" })).to.throw(
      InputError,
      /s\.yaml: actors\.redemptions\.capacityPerBlockUsde/,
    );
    expect(bad({ paused: "yes" })).to.throw(InputError, /s\.yaml: actors\.redemptions\.paused/);
    expect(bad({ capacity: "1" })).to.throw(InputError, /s\.yaml: actors\.redemptions: Unrecognized key/);
  });
});
