import { expect } from "chai";
import os from "os";
import path from "path";
import { defaultEmbeddedParams, EMBEDDED_CURVE_USDE_POOL } from "../../src/embedded/params";
import { parseCascadeScenario } from "../../src/scenario/cascade-schema";
import { parseDepegScenario } from "../../src/scenario/depeg-schema";
import { checkCascadeFits, checkDepegFits, checkDepegFitsRecord } from "../../src/scenario/fits";
import { embeddedParamsFor } from "../../src/scenario/cascade-chain";
import { readDeployment } from "../../src/chain/deployments";
import { checkDepegBeforeOpening } from "../../src/session";
import { smallCascadeInput, smallDepegInput } from "../fixtures";

const depeg = (patch: Record<string, unknown>) =>
  parseDepegScenario(smallDepegInput("fits", patch), os.tmpdir(), "fits.yaml");

const cascade = (actors: Record<string, unknown>) =>
  parseCascadeScenario(smallCascadeInput("fits", "aave-v3:USDe/USDC:emode-11", { actors }), "fits.yaml");

describe("scenarios checked against the embedded chain's parameters, before anything is deployed", function () {
  const params = defaultEmbeddedParams();

  it("a scenario that names only what the chain has passes", function () {
    expect(() => checkDepegFits(depeg({}), params)).to.not.throw();
    expect(() => checkCascadeFits(cascade({}), params)).to.not.throw();
  });

  it("an unknown feed, market, reserve or venue is named with the fix", function () {
    expect(() => checkDepegFits(depeg({ path: { feed: "BTC/USD", step: { to: "0.9" } } }), params)).to.throw(
      /^path\.feed: unknown feed "BTC\/USD" — use one of USDe\/USD, USDT\/USD/,
    );
    const loop = { initialAmount: "1000", rounds: 2, targetLtv: "0.8" };
    expect(() => checkDepegFits(depeg({ loops: [{ market: "morpho-blue:USDe/USDC-86", ...loop }] }), params)).to.throw(
      'loops[0].market: unknown market "morpho-blue:USDe/USDC-86"',
    );
    expect(() => checkDepegFits(depeg({ loops: [{ market: "aave-v3:USDe/FRAX:emode-2", ...loop }] }), params)).to.throw(
      /^loops\[0\]\.market: unknown token "FRAX"/,
    );
    expect(() => checkDepegFits(depeg({ liquidator: { venue: "curve:USDe/USDC" } }), params)).to.throw(
      'liquidator.venue: unknown venue "curve:USDe/USDC" on this embedded chain — use uniswap-v3, or add --curve for curve:USDe/USDC/USDT/DAI',
    );
    const withCurve = defaultEmbeddedParams();
    withCurve.curve.pools = [EMBEDDED_CURVE_USDE_POOL];
    expect(() =>
      checkDepegFits(depeg({ liquidator: { venue: "curve:USDe/USDC/USDT/DAI" } }), withCurve),
    ).to.not.throw();
  });

  it("a cascade's actor markets and pools are checked too", function () {
    const whale = {
      wethCollateral: "100",
      aaveLtv: "0.5",
      loop: { market: "morpho-blue:sUSDe/USDC-86", rounds: 1, ltv: "0.8" },
      unwindBelowHealthFactor: "1.1",
    };
    expect(() => checkCascadeFits(cascade({ whale }), params)).to.throw(
      'actors.whale.loop.market: unknown market "morpho-blue:sUSDe/USDC-86"',
    );
    const liquidityWithdrawal = { pools: ["USDe/USDC-0.05%"], share: "0.5", whenDexPriceBelow: "0.99" };
    expect(() => checkCascadeFits(cascade({ liquidityWithdrawal }), params)).to.throw(
      /^actors\.liquidityWithdrawal\.pools\[0\]: unknown pool "USDe\/USDC-0\.05%" — use one of USDe\/USDC-0\.01%/,
    );
  });

  it("a collateral with no route to its debt token on the scenario's venues is refused before the run, naming the field", function () {
    const params = embeddedParamsFor(cascade({}));
    const curveOnly = { depthPerSide: {}, venues: ["curve:USDe/USDC/USDT/DAI"] };
    const marketMaker = { collateral: { USDe: "1000", WETH: "10" }, debt: "USDT", borrowShareOfLimit: "0.5" };
    const withMm = parseCascadeScenario(
      smallCascadeInput("fits", "aave-v3:USDe/USDC:emode-11", { actors: { marketMaker }, dex: curveOnly }),
      "fits.yaml",
    );
    expect(() => checkCascadeFits(withMm, params)).to.throw(
      "actors.marketMaker.collateral.WETH: no route to sell WETH for USDT on curve:USDe/USDC/USDT/DAI: liquidators could not sell what they seize — add a venue with such a pool to dex.venues, or choose another market",
    );
    const susde = parseCascadeScenario(
      smallCascadeInput("fits", "morpho-blue:sUSDe/USDC-91.5", { dex: curveOnly }),
      "fits.yaml",
    );
    expect(() => checkCascadeFits(susde, params)).to.throw(
      /^population\.groups\[0\]\.market: no route to sell sUSDe for USDC/,
    );
    // Every venue (the default): WETH sells on Uniswap's WETH pools, sUSDe through the USDe hub.
    const everyVenue = parseCascadeScenario(
      smallCascadeInput("fits", "morpho-blue:sUSDe/USDC-91.5", { actors: { marketMaker } }),
      "fits.yaml",
    );
    expect(() => checkCascadeFits(everyVenue, params)).to.not.throw();
    // Liquidators that keep what they seize need no route.
    const keep = parseCascadeScenario(
      smallCascadeInput("fits", "morpho-blue:sUSDe/USDC-91.5", {
        dex: curveOnly,
        actors: { liquidators: { mode: "inventory", sell: false } },
      }),
      "fits.yaml",
    );
    expect(() => checkCascadeFits(keep, params)).to.not.throw();
    const badVenue = parseCascadeScenario(
      smallCascadeInput("fits", "aave-v3:USDe/USDC:emode-11", { dex: { venues: ["sushiswap"] } }),
      "fits.yaml",
    );
    expect(() => checkCascadeFits(badVenue, params)).to.throw(/^dex\.venues\[0\]: unknown venue "sushiswap"/);
  });
});

describe("depeg scenarios checked against a recorded chain before a fork (or a node) of it is opened", function () {
  const record = readDeployment("embedded", path.join("deployments", "embedded.json"));
  const loop = { initialAmount: "1000", rounds: 2, targetLtv: "0.8" };

  it("a scenario that names only what the record has passes", function () {
    expect(() => checkDepegFitsRecord(depeg({}), record)).to.not.throw();
  });

  it("an unknown feed, reserve, Morpho market or venue of the record is named with the fix", function () {
    expect(() => checkDepegFitsRecord(depeg({ path: { feed: "BTC/USD", step: { to: "0.9" } } }), record)).to.throw(
      /^path\.feed: unknown feed "BTC\/USD"/,
    );
    expect(() =>
      checkDepegFitsRecord(depeg({ loops: [{ market: "morpho-blue:USDe/USDC-86", ...loop }] }), record),
    ).to.throw(
      'loops[0].market: unknown market "morpho-blue:USDe/USDC-86" in profile embedded — use one of morpho-blue:sUSDe/USDC-91.5,',
    );
    const noDai = { ...record, aave: { ...record.aave, reserves: { ...record.aave.reserves, DAI: undefined } } };
    expect(() =>
      checkDepegFitsRecord(depeg({ loops: [{ market: "aave-v3:USDe/DAI:emode-2", ...loop }] }), noDai),
    ).to.throw("loops[0].market: DAI is not an Aave reserve of profile embedded");
    expect(() => checkDepegFitsRecord(depeg({ existing: { markets: ["compound:USDe/USDC"] } }), record)).to.throw(
      'existing.markets[0]: unknown protocol in "compound:USDe/USDC" — use one of aave-v3, morpho-blue',
    );
    expect(() => checkDepegFitsRecord(depeg({ liquidator: { venue: "curve:USDe/USDC" } }), record)).to.throw(
      'liquidator.venue: unknown venue "curve:USDe/USDC" in profile embedded — use uniswap-v3',
    );
  });

  it("before a fork opens: the record of --profile, or for mainnet the names only; nothing touches a network", function () {
    const fork = { forkUrl: "http://127.0.0.1:1/v2/KEY", profile: path.join("deployments", "embedded.json") };
    const typo = depeg({ loops: [{ market: "morpho-blue:USDe/DAI-99", ...loop }] });
    expect(() => checkDepegBeforeOpening(typo, fork, {})).to.throw(
      /^loops\[0\]\.market: unknown market "morpho-blue:USDe\/DAI-99" in profile embedded/,
    );
    expect(() => checkDepegBeforeOpening(typo, { profile: fork.profile }, {})).to.throw(/in profile embedded/);
    expect(() => checkDepegBeforeOpening(typo, { ...fork, profile: "mainnet" }, {})).to.not.throw();
    const btc = depeg({ path: { feed: "BTC/USD", step: { to: "0.9" } } });
    expect(() => checkDepegBeforeOpening(btc, { ...fork, profile: "mainnet" }, {})).to.throw(
      /^path\.feed: unknown feed/,
    );
  });
});
