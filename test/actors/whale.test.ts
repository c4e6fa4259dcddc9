import { expect } from "chai";
import { loadEmbedded } from "../fixtures";
import { UniswapV3Dex } from "../../src/dex/uniswap-v3";
import { getFeedPrice, setFeedPrice } from "../../src/oracles/feeds";
import { PegArbitrageur } from "../../src/actors/peg-arbitrageur";
import { TwoLayerWhale } from "../../src/actors/whale";

const SPEC = {
  wethCollateral: "100",
  aaveLtv: "0.70",
  loop: { market: "morpho-blue:sUSDe/USDC-91.5", rounds: 2, ltv: "0.80" },
  unwindBelowHealthFactor: "1.10",
};

/** ETH/USD scaled by `percent` / 100. */
async function ethAt(ctx: Parameters<typeof getFeedPrice>[0], startE8: bigint, percent: bigint): Promise<void> {
  await setFeedPrice(ctx, "ETH/USD", (startE8 * percent) / 100n);
}

describe("actor: two-layer whale", function () {
  it("exposes its Aave account and its loop to liquidation", async function () {
    const { ctx } = await loadEmbedded();
    const whale = new TwoLayerWhale(ctx, new UniswapV3Dex(ctx), "actor-test", SPEC);
    expect(whale.candidates().map((c) => [c.label, c.markets.map((m) => m.key)])).to.deep.equal([
      ["whale (Aave)", ["aave-v3:WETH/USDC"]],
      ["whale (Morpho loop)", ["morpho-blue:sUSDe/USDC-91.5"]],
    ]);
    expect(whale.movesPrice).to.equal(true);
  });

  it("unwinds below its health-factor trigger and not above, once per run", async function () {
    const { ctx } = await loadEmbedded();
    const dex = new UniswapV3Dex(ctx);
    const arbitrageur = new PegArbitrageur(ctx, dex, "actor-test");
    const whale = new TwoLayerWhale(ctx, dex, "actor-test", SPEC);
    await whale.open(() => arbitrageur.restore());
    await arbitrageur.restore();
    await whale.begin();
    const ethE8 = await getFeedPrice(ctx, "ETH/USD");
    const hf = async () => (await whale.aave.position(whale.account)).healthFactorWad;

    const hfStart = await hf();
    const atStart = await whale.react();
    await ethAt(ctx, ethE8, 94n);
    const hfAbove = await hf();
    const above = await whale.react();
    await ethAt(ctx, ethE8, 92n);
    const hfBelow = await hf();
    const below = await whale.react();
    const again = await whale.react();
    expect({ hfStart, atStart, hfAbove, above, hfBelow, below, again }).to.deep.equal({
      hfStart: 1_185_714_285_558_526_859n,
      atStart: undefined,
      hfAbove: 1_114_571_428_406_713_582n,
      above: undefined,
      hfBelow: 1_090_857_142_678_020_173n, // origin line: debt valued rounding up (v3.5)
      below: {
        actor: "whale",
        account: whale.account,
        aaveHealthFactorWad: "1090857142678020173",
        soldRaw: "624205488811125140269462",
        receivedRaw: "742534342916",
        saleVenues: ["uniswap-v3:sUSDe/USDe-0.01%>USDe/USDC-0.01%"],
        dexPriceBeforeWad: "999999000000000000",
        dexPriceAfterWad: "999876000000000000",
        morphoDebtLeftRaw: "0",
        aaveDebtRepaidRaw: "304109568979",
      },
      again: undefined,
    });
  });
});
