import { expect } from "chai";
import { loadEmbedded } from "../fixtures";
import { WAD } from "../../src/constants";
import { CexDexArbitrageur, needsCexDexArbitrage } from "../../src/actors/cex-dex-arbitrageur";
import { UniswapV3Dex } from "../../src/dex/uniswap-v3";
import { setFeedPrice } from "../../src/oracles/feeds";

describe("CEX–DEX arbitrageur", function () {
  it("moves every WETH pool to the ETH/USD feed price and reports what it sold; nothing when they are there", async function () {
    const { ctx } = await loadEmbedded();
    const dex = new UniswapV3Dex(ctx);
    const arb = new CexDexArbitrageur(ctx, dex, "arb-test");
    await arb.begin();
    expect(arb.pairs()).to.deep.equal(["USDC", "USDT", "DAI"]);
    // The pools start at the feed's price: nothing to do.
    expect(await arb.react()).to.equal(undefined);
    await setFeedPrice(ctx, "ETH/USD", 3_460n * 10n ** 8n);
    // 10 Oct's low: the pools are sold down to it (measured, then pinned; prices within a WAD rounding of 3,460).
    expect(await arb.react()).to.deep.equal({
      actor: "cex-dex-arbitrageur",
      ethUsdWad: (3_460n * WAD).toString(),
      trades: [
        {
          pool: "WETH/USDC",
          sold: "WETH",
          soldRaw: "9894480649678461179992",
          priceBeforeWad: "4349999999000000000000",
          priceAfterWad: "3459999999000000000000",
        },
        {
          pool: "WETH/USDT",
          sold: "WETH",
          soldRaw: "1978896129935692233819",
          priceBeforeWad: "4350000000000000000000",
          priceAfterWad: "3460000000000000000000",
        },
        {
          pool: "WETH/DAI",
          sold: "WETH",
          soldRaw: "395550817750178149815",
          priceBeforeWad: "4350000000000006960000",
          priceAfterWad: "3460000000000005120800",
        },
      ],
    });
    expect(await dex.price("WETH", "USDT")).to.equal(3_460n * WAD);
    expect(await arb.react()).to.equal(undefined);
    expect(arb.candidates()).to.deep.equal([]);
  });

  it("is needed when the path moves ETH or some collateral is WETH", function () {
    expect(needsCexDexArbitrage(true, ["USDe"])).to.equal(true);
    expect(needsCexDexArbitrage(false, ["USDe", "WETH"])).to.equal(true);
    expect(needsCexDexArbitrage(false, ["USDe", "sUSDe"])).to.equal(false);
  });
});
