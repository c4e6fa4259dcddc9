import { expect } from "chai";
import { loadEmbedded } from "../fixtures";
import { CrossMarginedMarketMaker, seizedFrom } from "../../src/actors/market-maker";

const SPEC = { collateral: { WETH: "10", USDe: "20000" }, debt: "USDT" as const, borrowShareOfLimit: "0.5" };

describe("actor: cross-margined market maker", function () {
  it("is one account exposed on one market per collateral, and never trades", async function () {
    const { ctx } = await loadEmbedded();
    const mm = new CrossMarginedMarketMaker(ctx, "actor-test", SPEC);
    expect(mm.candidates().map((c) => [c.account, c.label, c.markets.map((m) => m.key)])).to.deep.equal([
      [mm.account, "market maker", ["aave-v3:WETH/USDT", "aave-v3:USDe/USDT"]],
    ]);
    expect(mm.movesPrice).to.equal(false);
    expect(await mm.react()).to.equal(undefined);
  });

  it("reports the collateral seized from it, by asset, whatever the address case", function () {
    const account = "0x00000000000000000000000000000000000000Ab";
    const rows = [
      { borrower: account, collateralAsset: "USDe", seizedRaw: "100" },
      { borrower: account.toLowerCase(), collateralAsset: "USDe", seizedRaw: "23" },
      { borrower: account, collateralAsset: "WETH", seizedRaw: "7" },
      { borrower: "0x00000000000000000000000000000000000000cd", collateralAsset: "USDe", seizedRaw: "1000" },
    ];
    expect(seizedFrom(rows, account)).to.deep.equal({ USDe: "123", WETH: "7" });
    expect(seizedFrom([], account)).to.deep.equal({});
  });
});
