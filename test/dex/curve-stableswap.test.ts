import { expect } from "chai";
import { loadEmbeddedCurve, aaveUsdeBorrower } from "../fixtures";
import { deal } from "../../src/chain/cheats";
import { RevertError } from "../../src/chain/errors";
import { WAD } from "../../src/constants";
import { CurveStableSwapDex, checkCurvePool } from "../../src/dex/curve-stableswap";
import { UniswapV3Dex } from "../../src/dex/uniswap-v3";
import { EMBEDDED_CURVE_USDE_POOL } from "../../src/embedded/params";
import { InputError } from "../../src/errors";
import { curveGetDy } from "../../src/math/curve-stableswap";
import { IERC20Metadata__factory } from "../../typechain-types";
import type { TokenSymbol } from "../../src/domain/tokens";
import { setFeedPrice } from "../../src/oracles/feeds";
import { openMarket } from "../../src/protocols/registry";
import { runFlashLoop } from "../../src/strategies/flash-loop";
import { LiquidationBot } from "../../src/strategies/liquidation-bot";
import { flashLiquidator } from "../../src/chain/tools";

const KEY = EMBEDDED_CURVE_USDE_POOL.key;

describe("Curve stable-swap adapter (Curve's own Vyper bytecode on the embedded chain)", function () {
  it("reads A, fee and the coins from the pool, and refuses a record whose coin order is wrong, naming the coin", async function () {
    const { ctx } = await loadEmbeddedCurve();
    const dex = new CurveStableSwapDex(ctx, KEY);
    expect(await dex.parameters()).to.deep.equal({ amplification: 200n, feeE10: 1_000_000n });
    const pool = ctx.record.curve!.pools[KEY];
    await checkCurvePool(ctx, KEY, pool);
    const swapped = { ...pool, coins: ["USDC", "USDe", "USDT", "DAI"] as TokenSymbol[] };
    await expect(checkCurvePool(ctx, KEY, swapped)).to.be.rejectedWith(
      InputError,
      /curve\.pools\["USDe\/USDC\/USDT\/DAI"\]\.coins\[0\]: the pool's coin 0 is 0x[0-9a-fA-F]{40}, not USDC/,
    );
    expect(() => new CurveStableSwapDex(ctx, "USDe/FRAX")).to.throw(
      InputError,
      /no Curve pool "USDe\/FRAX".*use one of USDe\/USDC\/USDT\/DAI/,
    );
    expect(dex.poolFor("USDe", "USDC")).to.equal(pool.address);
    expect(dex.poolFor("USDe", "sUSDe")).to.equal(undefined);
  });

  it("get_dy equals the StableSwap invariant computed here with the pool's rounding, at every size", async function () {
    const { ctx } = await loadEmbeddedCurve();
    const dex = new CurveStableSwapDex(ctx, KEY);
    const { amplification, feeE10 } = await dex.parameters();
    const coins = EMBEDDED_CURVE_USDE_POOL.coins;
    const decimals = coins.map((c) => ctx.record.tokens[c]!.decimals);
    const balances = await Promise.all(
      coins.map(async (c, i) =>
        i === 0 ? (await dex.poolBalances(c, coins[1])).aRaw : (await dex.poolBalances(coins[0], c)).bRaw,
      ),
    );
    for (const whole of [1n, 1_000n, 250_000n, 4_000_000n, 20_000_000n]) {
      for (const [i, j] of [
        [0, 1],
        [1, 0],
        [0, 3],
        [2, 1],
      ] as const) {
        const dx = whole * 10n ** BigInt(decimals[i]);
        expect(await dex.quoteExactIn(coins[i], coins[j], dx), `${whole} ${coins[i]} → ${coins[j]}`).to.equal(
          curveGetDy(i, j, dx, balances, decimals, amplification, feeE10),
        );
      }
    }
  });

  it("swaps at the quote, moves the pool's balances by exactly what was paid, and lowers the price of what was sold", async function () {
    const { ctx, users } = await loadEmbeddedCurve();
    const [trader] = users;
    const dex = new CurveStableSwapDex(ctx, KEY);
    const amount = 2_000_000n * WAD;
    await deal(ctx, "USDe", trader, amount);
    const quoted = await dex.quoteExactIn("USDe", "USDC", amount);
    const before = await dex.poolBalances("USDe", "USDC");
    const r = await dex.swapExactIn(trader, "USDe", "USDC", amount, quoted - 1n);
    // The pool pays one normalised unit less than get_dy shows (the template's exchange rounds in its own favour).
    expect(r.amountOutRaw).to.be.within(quoted - 1n, quoted);
    expect(
      await IERC20Metadata__factory.connect(ctx.record.tokens.USDC!.address, ctx.provider).balanceOf(trader.address),
    ).to.equal(r.amountOutRaw);
    const after = await dex.poolBalances("USDe", "USDC");
    expect(after.aRaw - before.aRaw).to.equal(amount);
    // Admin fee 0: the whole fee stays in the pool; its balance bookkeeping rounds down by at most one unit more.
    expect(before.bRaw - after.bRaw - r.amountOutRaw).to.be.within(0n, 1n);
    expect(r.priceAfterWad).to.be.lessThan(r.priceBeforeWad);
    expect(Number(r.priceBeforeWad) / 1e18).to.be.closeTo(1, 1e-6); // balanced pool at the peg
  });

  it("a minimum output above the quote is refused before anything is sent, with the numbers", async function () {
    const { ctx, users } = await loadEmbeddedCurve();
    const [trader] = users;
    const dex = new CurveStableSwapDex(ctx, KEY);
    await deal(ctx, "USDe", trader, 1_000n * WAD);
    const quoted = await dex.quoteExactIn("USDe", "USDC", 1_000n * WAD);
    const block = await ctx.provider.getBlockNumber();
    await expect(dex.swapExactIn(trader, "USDe", "USDC", 1_000n * WAD, quoted + 1n)).to.be.rejectedWith(
      RevertError,
      new RegExp(`would pay ${quoted} USDC units, below minOutRaw ${quoted + 1n}`),
    );
    expect(await ctx.provider.getBlockNumber()).to.equal(block);
    await expect(dex.swapExactIn(trader, "USDe", "sUSDe", 1n)).to.be.rejectedWith(
      InputError,
      /tokenOut: sUSDe is not a coin of Curve pool/,
    );
  });

  it("measures the price impact of one sale on both DEXes side by side (bps)", async function () {
    const { ctx } = await loadEmbeddedCurve();
    const curve = new CurveStableSwapDex(ctx, KEY);
    const uni = new UniswapV3Dex(ctx);
    const sale = 1_000_000n * WAD;
    const curveBps = await curve.priceImpactBps("USDe", "USDC", sale);
    const uniBps = await uni.priceImpactBps("USDe", "USDC", sale);
    // Curve: 5M per coin, A = 200. Uniswap: 20M per side, 60% of it concentrated within ±0.2% of the peg: deeper
    // there for a 1M sale than Curve's invariant, which spreads its depth over the whole curve.
    expect(curveBps).to.be.within(1n, 100n);
    expect(uniBps).to.be.lessThan(curveBps);
    console.log(`      price impact of selling 1M USDe for USDC: Curve ${curveBps} bps, Uniswap V3 ${uniBps} bps`);
  });

  describe("our contracts sell on it (Swaps route with the Curve venue byte)", function () {
    it("a flash loop buys its USDe on Curve in the same transaction: the pool's USDC balance grows by the flash amount", async function () {
      const { ctx, users } = await loadEmbeddedCurve();
      const [user] = users;
      const curve = new CurveStableSwapDex(ctx, KEY);
      const market = openMarket(ctx, "aave-v3:USDe/USDC:emode-2");
      await deal(ctx, "USDe", user, 100_000n * WAD);
      const before = await curve.poolBalances("USDe", "USDC");
      const loop = await runFlashLoop(ctx, market, curve, user, {
        initialSymbol: "USDe",
        initialRaw: 100_000n * WAD,
        rounds: 5,
        targetLtvWad: (80n * WAD) / 100n,
      });
      const after = await curve.poolBalances("USDe", "USDC");
      expect(after.bRaw - before.bRaw).to.equal(loop.flashAmountRaw);
      expect(before.aRaw - after.aRaw).to.equal(loop.final.collateral[0].amountRaw - 100_000n * WAD); // every USDe bought went to collateral
      expect(loop.debtBorrowedRaw).to.equal(loop.flashAmountRaw + loop.flashPremiumRaw);
    });

    it("a bot flash-liquidates on Aave and sells the seized USDe into Curve in the same transaction, at a profit", async function () {
      const { ctx, users } = await loadEmbeddedCurve();
      const [user, liq] = users;
      const market = await aaveUsdeBorrower(ctx, user, 100_000n * WAD, 85_000n * 10n ** 6n);
      await setFeedPrice(ctx, "USDe/USD", 90_000_000n); // HF 0.974
      const curve = new CurveStableSwapDex(ctx, KEY);
      const before = await curve.poolBalances("USDe", "USDC");
      const bot = new LiquidationBot(ctx, curve, liq, { maxCallsPerPosition: 1 });
      const [o] = await bot.sweep(market, [user.address]);
      expect(bot.refusals).to.deep.equal([]);
      expect(o.mode).to.equal("flash");
      expect(o.sale!.txHash).to.equal(o.record.txHash);
      const after = await curve.poolBalances("USDe", "USDC");
      expect(after.aRaw - before.aRaw).to.equal(o.record.seizedRaw); // the seized USDe went into the Curve pool
      expect(before.bRaw - after.bRaw).to.be.within(o.sale!.receivedRaw, o.sale!.receivedRaw + 1n);
      expect(o.profitRaw).to.be.greaterThan(0n);
    });

    it("a Curve route whose coins are not the tokens sold and bought is refused before anything moves", async function () {
      const { ctx, users } = await loadEmbeddedCurve();
      const [user, owner] = users;
      const curve = new CurveStableSwapDex(ctx, KEY);
      const liquidator = await flashLiquidator(ctx, owner);
      const usde = ctx.record.tokens.USDe!.address;
      const usdc = ctx.record.tokens.USDC!.address;
      // USDe → USDT on the pool, offered for a USDe → USDC liquidation.
      const { route } = await curve.saleRoute("USDe", "USDT");
      await expect(liquidator.connect(owner).liquidateAave(usde, usdc, user.address, 1n, route, 0n))
        .to.be.revertedWithCustomError(liquidator, "InvalidSwapPath")
        .withArgs(usde, usdc);
    });
  });
});
