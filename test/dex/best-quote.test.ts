import { expect } from "chai";
import { loadCascadeChain } from "../fixtures";
import { deal } from "../../src/chain/cheats";
import { WAD } from "../../src/constants";
import { openBestQuote } from "../../src/dex/best-quote";
import { CurveStableSwapDex } from "../../src/dex/curve-stableswap";
import { UniswapV3Dex } from "../../src/dex/uniswap-v3";

const CURVE_KEY = "USDe/USDC/USDT/DAI";
const CURVE = `curve:${CURVE_KEY}`;
const UNISWAP_USDE_USDC = "uniswap-v3:USDe/USDC-0.01%";
const SALE = 2_000_000n * WAD;

describe("best quote across venues", function () {
  it("quotes, routes and swaps on Uniswap V3 while it pays more than Curve, and the result names the venue", async function () {
    const { ctx, users } = await loadCascadeChain();
    const router = openBestQuote(ctx);
    // What each venue pays for the same sale now (measured, then pinned).
    expect(await new UniswapV3Dex(ctx).quoteExactIn("USDe", "USDC", SALE)).to.equal(1_999_467_647_748n);
    expect(await new CurveStableSwapDex(ctx, CURVE_KEY).quoteExactIn("USDe", "USDC", SALE)).to.equal(
      1_995_085_271_133n,
    );
    expect(await router.quoteExactIn("USDe", "USDC", SALE)).to.equal(1_999_467_647_748n);
    expect((await router.saleRoute("USDe", "USDC", SALE)).venue).to.equal(UNISWAP_USDE_USDC);
    await deal(ctx, "USDe", users[0], SALE);
    const swap = await router.swapExactIn(users[0], "USDe", "USDC", SALE);
    expect([swap.venue, swap.amountOutRaw]).to.deep.equal([UNISWAP_USDE_USDC, 1_999_467_647_748n]);
    expect(swap.pool).to.equal(ctx.record.uniswap.pools["USDe/USDC-0.01%"].address);
  });

  it("routes to Curve once a sale has drained the Uniswap pool, for a flash sale's route and for a swap", async function () {
    const { ctx, users } = await loadCascadeChain();
    const router = openBestQuote(ctx);
    const uni = new UniswapV3Dex(ctx);
    await deal(ctx, "USDe", users[1], 15_000_000n * WAD);
    await uni.swapExactIn(users[1], "USDe", "USDC", 15_000_000n * WAD);
    expect(await uni.quoteExactIn("USDe", "USDC", SALE)).to.equal(1_972_668_743_567n);
    expect(await router.quoteExactIn("USDe", "USDC", SALE)).to.equal(1_995_085_271_133n);
    const route = await router.saleRoute("USDe", "USDC", SALE);
    expect(route.venue).to.equal(CURVE);
    expect(route.route).to.equal((await new CurveStableSwapDex(ctx, CURVE_KEY).saleRoute("USDe", "USDC")).route);
    await deal(ctx, "USDe", users[0], SALE);
    const swap = await router.swapExactIn(users[0], "USDe", "USDC", SALE);
    // Curve's exchange rounds one unit below its get_dy.
    expect([swap.venue, swap.amountOutRaw]).to.deep.equal([CURVE, 1_995_085_271_132n]);
    expect(swap.pool).to.equal(ctx.record.curve!.pools[CURVE_KEY].address);
  });

  it("a sale too large for either venue alone is split when the split pays strictly more", async function () {
    const { ctx, users } = await loadCascadeChain();
    const router = openBestQuote(ctx);
    const big = 22_000_000n * WAD;
    await deal(ctx, "USDe", users[0], big);
    // The best single venue (Uniswap) pays 19.97M USDC; three quarters there and a quarter on Curve pays 21.36M.
    expect(await router.quoteExactIn("USDe", "USDC", big)).to.equal(19_973_290_629_639n);
    const swap = await router.swapExactIn(users[0], "USDe", "USDC", big);
    expect([swap.venue, swap.amountInRaw, swap.amountOutRaw]).to.deep.equal([
      `${UNISWAP_USDE_USDC}+${CURVE}`,
      big,
      21_355_057_227_718n,
    ]);
  });

  it("the venues a scenario names are the only ones used: hasRoute is any of them", function () {
    return loadCascadeChain().then(({ ctx }) => {
      expect(openBestQuote(ctx).hasRoute("WETH", "USDT")).to.equal(true);
      expect(openBestQuote(ctx, [CURVE]).hasRoute("WETH", "USDT")).to.equal(false);
      expect(openBestQuote(ctx, [CURVE]).hasRoute("USDe", "USDT")).to.equal(true);
      expect(openBestQuote(ctx).name).to.equal(`best quote of uniswap-v3, ${CURVE}`);
      expect(() => openBestQuote(ctx, ["curve:USDe/USDC"])).to.throw(/^dex\.venues\[0\]: no Curve pool "USDe\/USDC"/);
    });
  });
});
