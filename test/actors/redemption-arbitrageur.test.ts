import { expect } from "chai";
import { loadEmbedded } from "../fixtures";
import { deal } from "../../src/chain/cheats";
import { advance } from "../../src/chain/clock";
import { UniswapV3Dex } from "../../src/dex/uniswap-v3";
import {
  BUY_AND_REDEEM_GAS,
  RedemptionArbitrageur,
  type RedemptionSpec,
} from "../../src/actors/redemption-arbitrageur";
import { openEthenaMinting } from "../../src/protocols/ethena-minting";
import { WAD } from "../../src/constants";

const SPEC: RedemptionSpec = {
  capacityPerBlockUsde: "280000",
  feeBps: 0,
  gasPriceGwei: "10",
  delayBlocks: 0,
  paused: false,
};

/** The embedded chain after a seller dumped `usde` whole USDe into the USDe/USDC pool, and the actor opened. */
async function afterDump(usde: bigint, spec: Partial<RedemptionSpec> = {}) {
  const f = await loadEmbedded();
  const dex = new UniswapV3Dex(f.ctx);
  const seller = f.users[5];
  await deal(f.ctx, "USDe", seller, usde * WAD);
  await dex.swapExactIn(seller, "USDe", "USDC", usde * WAD);
  const actor = new RedemptionArbitrageur(f.ctx, dex, "actor-test", { ...SPEC, ...spec });
  await actor.open();
  await actor.begin();
  return { ...f, dex, actor, dumpedPriceWad: await dex.price("USDe", "USDC") };
}

/** After 8,000,000 USDe were sold into the USDe/USDC pool (20M a side): USDe at 0.998671 USDC. */
const DUMPED_PRICE_WAD = 998_671_000_000_000_000n;
/** 10 gwei x 263,000 gas x ETH at $4,350. */
const GAS_USD_WAD = 11_440_500_000_000_000_000n;
/** 1 − 0 bps − $11.4405 / 280,000 USDe of capacity. */
const THRESHOLD_WAD = 999_959_141_071_428_572n;
/** One round: 279,662 USDC buy 279,999.49 USDe (to a whole USDC below the 280,000 the contract redeems this block). */
const ONE_ROUND = {
  asset: "USDC",
  usdeBoughtRaw: "279999492108756811670451",
  stableSpentRaw: "279662000000",
  usdeRedeemedRaw: "279999492108756811670451",
  receivedRaw: "279999492108",
  feeRaw: "0",
  dexPriceBeforeWad: DUMPED_PRICE_WAD.toString(),
  dexPriceAfterWad: "998718000000000000",
  thresholdWad: THRESHOLD_WAD.toString(),
  gasUsed: "261994",
  gasCostUsdWad: GAS_USD_WAD.toString(),
  // 279,999.492108 − 279,662 − 11.4405 USDC
  profitUsdWad: "326051608000000000000",
};

describe("actor: redemption arbitrageur", function () {
  it("buys the discount on the cheaper pool and redeems it in one round, up to the contract's per-block capacity", async function () {
    const { ctx, dex, actor, dumpedPriceWad } = await afterDump(8_000_000n);
    expect(dumpedPriceWad).to.equal(DUMPED_PRICE_WAD);
    expect(await actor.gasCostUsdWad()).to.equal(GAS_USD_WAD);
    const minting = openEthenaMinting(ctx);
    expect(await minting.redeemableNowRaw("USDC")).to.equal(280_000n * WAD);
    const ev = await actor.react();
    expect(ev).to.deep.include({ actor: "redemption-arbitrageur", account: actor.account, ...ONE_ROUND });
    expect(ev!.pool).to.equal(dex.poolFor("USDe", "USDC"));
    expect(await dex.price("USDe", "USDC")).to.equal(998_718_000_000_000_000n);
    // The gas constant the decision uses is the measured gas of this buy + redeem, rounded up.
    expect(BUY_AND_REDEEM_GAS).to.equal(263_000n);
    expect(BigInt(ev!.gasUsed) <= BUY_AND_REDEEM_GAS).to.equal(true);
    expect(actor.movesPrice).to.equal(true);
    expect(actor.candidates()).to.deep.equal([]);
  });

  it("stops where the last purchase would not pay for its gas: two rounds after a 1,500,000 USDe sale, then nothing", async function () {
    const { dex, actor, dumpedPriceWad } = await afterDump(1_500_000n);
    expect(dumpedPriceWad).to.equal(999_750_000_000_000_000n);
    const rounds: [string, string, string][] = [];
    for (let k = 0; k < 5; k++) {
      const ev = await actor.react();
      if (!ev) break;
      rounds.push([ev.usdeRedeemedRaw, ev.dexPriceAfterWad, ev.profitUsdWad]);
    }
    expect(rounds).to.deep.equal([
      ["279999288753238064274578", "999797000000000000", "23848253000000000000"],
      ["279999258497935792608400", "999843000000000000", "10817997000000000000"],
    ]);
    // 0.999843 / (1 − 0.01% pool fee) = 0.999943 still under the threshold, but the rest of the gap is worth less than
    // the $11.44 of gas.
    expect(await dex.price("USDe", "USDC")).to.equal(999_843_000_000_000_000n);
  });

  it("does nothing while Ethena's gatekeeper has disabled redemptions: the pool stays where the sale left it", async function () {
    const { ctx, dex, actor } = await afterDump(8_000_000n, { paused: true });
    expect(await openEthenaMinting(ctx).redeemableNowRaw("USDC")).to.equal(0n);
    expect(await actor.react()).to.equal(undefined);
    expect(await dex.price("USDe", "USDC")).to.equal(DUMPED_PRICE_WAD);
  });

  it("waits delayBlocks blocks after it first sees the discount", async function () {
    const { ctx, dex, actor } = await afterDump(8_000_000n, { delayBlocks: 3 });
    const seen = await actor.react();
    await advance(ctx.provider, 2, 24);
    const twoBlocksLater = await actor.react();
    expect([seen, twoBlocksLater, await dex.price("USDe", "USDC")]).to.deep.equal([
      undefined,
      undefined,
      DUMPED_PRICE_WAD,
    ]);
    await advance(ctx.provider, 1, 12);
    const threeBlocksLater = await actor.react();
    expect(threeBlocksLater).to.deep.include({
      usdeRedeemedRaw: ONE_ROUND.usdeRedeemedRaw,
      dexPriceAfterWad: ONE_ROUND.dexPriceAfterWad,
    });
  });

  it("does nothing at the peg", async function () {
    const f = await loadEmbedded();
    const dex = new UniswapV3Dex(f.ctx);
    const actor = new RedemptionArbitrageur(f.ctx, dex, "actor-test", SPEC);
    await actor.open();
    await actor.begin();
    expect(await actor.react()).to.equal(undefined);
  });
});
