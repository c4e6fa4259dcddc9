import { expect } from "chai";
import hre from "hardhat";
import { concat } from "ethers";
import { loadCascadeChain, loadEmbedded, aaveUsdeBorrower } from "../fixtures";
import { deal } from "../../src/chain/cheats";
import type { Eip1193Like } from "../../src/chain/rpc-stats";
import { WAD } from "../../src/constants";
import { openBestQuote } from "../../src/dex/best-quote";
import type { Dex } from "../../src/dex/dex";
import { SALE_VENUE } from "../../src/dex/dex";
import { QUOTE_LENS_ADDRESS, QuoteLens, type PurchaseSearch, type PurchaseTerms } from "../../src/dex/quote-lens";
import { UniswapV3Dex } from "../../src/dex/uniswap-v3";
import type { TokenSymbol } from "../../src/domain/tokens";
import { setFeedPrice } from "../../src/oracles/feeds";
import { LiquidationBot } from "../../src/strategies/liquidation-bot";

const USDC = 10n ** 6n;

async function lensOf(ctx: Parameters<typeof QuoteLens.open>[0]): Promise<QuoteLens> {
  const lens = await QuoteLens.open(ctx);
  if (!lens) throw new Error("the test node runs the lens through a state override");
  return lens;
}

/** The redemption arbitrageur's bisection made with one direct quote per round trip: the lens must agree. */
async function directSearch(dex: Dex, asset: TokenSymbol, t: PurchaseTerms, hi: bigint): Promise<bigint> {
  const ok = async (spend: bigint): Promise<boolean> => {
    const out = await dex.quoteExactIn(asset, "USDe", spend);
    if (out > t.redeemableRaw) return false;
    const next = await dex.quoteExactIn(asset, "USDe", spend + t.stepRaw);
    return next > out && (t.stepRaw * t.unit * WAD) / (next - out) <= t.thresholdWad;
  };
  if (hi === 0n || !(await ok(t.stepRaw))) return 0n;
  let lo = 1n;
  while (lo < hi) {
    const mid = (lo + hi + 1n) / 2n;
    if (await ok(mid * t.stepRaw)) lo = mid;
    else hi = mid - 1n;
  }
  return lo * t.stepRaw;
}

/** The lens's bisection run to the end, in as many calls as its gas takes. */
async function lensSearch(lens: QuoteLens, routes: readonly string[], t: PurchaseTerms, hi: bigint) {
  let s: PurchaseSearch = { lo: 0n, hi, done: false };
  let calls = 0;
  while (!s.done) {
    const next = await lens.purchaseSearch(routes, t, s);
    calls++;
    if (!next.done && next.lo === s.lo && next.hi === s.hi) throw new Error("the lens decided no step");
    s = next;
  }
  return { spendRaw: s.lo * t.stepRaw, calls };
}

describe("quote lens: many quotes in one call, the same answers as one quote per call", function () {
  it("quotes each amount exactly as the direct quotes do: two venues, a two-hop path, a WETH pool", async function () {
    const { ctx } = await loadCascadeChain();
    const router = openBestQuote(ctx);
    const lens = await lensOf(ctx);
    const cases: [TokenSymbol, TokenSymbol, bigint[]][] = [
      ["USDC", "USDe", [1_000n * USDC, 2_000_000n * USDC, 15_000_000n * USDC]],
      ["sUSDe", "DAI", [1n * WAD, 500_000n * WAD, 4_000_000n * WAD]],
      ["WETH", "USDC", [WAD / 10n, 100n * WAD, 2_000n * WAD]],
    ];
    const got: bigint[][] = [];
    for (const [a, b, amounts] of cases) {
      const routes = router.lensRoutes(a, b)!;
      const viaLens = await lens.bestQuotes(routes, amounts);
      const direct: bigint[] = [];
      for (const x of amounts) direct.push(await router.quoteExactIn(a, b, x));
      expect(viaLens).to.deep.equal(direct);
      got.push(viaLens);
    }
    expect(got).to.deep.equal([
      [999_899_916_898_133_023_747n, 1_999_467_647_748_385_561_020_107n, 14_965_736_739_390_592_355_483_709n],
      [1_189_762_011_469_828_701n, 594_773_482_563_840_922_742_796n, 4_752_175_246_587_663_600_593_718n],
      [434_782_288n, 434_570_986_399n, 8_611_819_418_225n],
    ]);
  });

  it("runs the redemption arbitrageur's bisection to the TypeScript search's answer, in fewer calls", async function () {
    const { ctx, users } = await loadCascadeChain();
    const router = openBestQuote(ctx);
    const uni = new UniswapV3Dex(ctx);
    const lens = await lensOf(ctx);
    await deal(ctx, "USDe", users[3], 8_000_000n * WAD);
    await uni.swapExactIn(users[3], "USDe", "USDC", 8_000_000n * WAD);
    const out: [bigint, number][] = [];
    for (const [dex, thresholdWad, redeemable, hi] of [
      [router, 999_959_141_071_428_572n, 280_000n * WAD, 280_000n],
      [uni, 999_959_141_071_428_572n, 280_000n * WAD, 280_000n],
      [router, 999_000_000_000_000_000n, 50_000n * WAD, 50_000n],
      [uni, 999_990_000_000_000_000n, 1_000_000n * WAD, 1_000_000n],
    ] as const) {
      const t: PurchaseTerms = { stepRaw: USDC, unit: 10n ** 12n, thresholdWad, redeemableRaw: redeemable };
      const direct = await directSearch(dex, "USDC", t, hi);
      const viaLens = await lensSearch(lens, dex.lensRoutes("USDC", "USDe")!, t, hi);
      expect(viaLens.spendRaw).to.equal(direct);
      out.push([viaLens.spendRaw, viaLens.calls]);
    }
    // Each search in one call (about 40 quotes), where the direct search made one round trip per quote.
    expect(out).to.deep.equal([
      [279_662n * USDC, 1],
      [279_662n * USDC, 1],
      [49_938n * USDC, 1],
      [998_854n * USDC, 1],
    ]);
  });

  it("leaves to the caller a quote that fails (a path through no pool): nothing is decided", async function () {
    const { ctx } = await loadCascadeChain();
    const lens = await lensOf(ctx);
    const uni = new UniswapV3Dex(ctx);
    const [usdc, usde] = [ctx.record.tokens.USDC!.address, ctx.record.tokens.USDe!.address];
    // USDC/USDe at the 1% tier: no pool was created there.
    const noPool = concat([SALE_VENUE.uniswapV3, usdc, "0x002710", usde]);
    expect(await lens.bestQuotes([noPool], [1_000n * USDC])).to.deep.equal([]);
    const pooled = uni.lensRoutes("USDC", "USDe")![0];
    expect(await lens.bestQuotes([pooled, noPool], [1_000n * USDC])).to.deep.equal([]);
    // Quoted route by route, only the failed one is left to the caller.
    expect(await lens.quoteEach([pooled, noPool], [1_000n * USDC, 1_000n * USDC])).to.deep.equal([
      await uni.quoteExactIn("USDC", "USDe", 1_000n * USDC),
      undefined,
    ]);
    // A sizing it left undecided from the first size: every size is the caller's to quote (read past the end: none).
    const sizing = await lens.firstCovering([noPool], [2_000n * USDC, 1_000n * USDC], [0n, 0n]);
    expect([sizing.outsRaw, sizing.outsRaw[1], sizing.covered]).to.deep.equal([[], undefined, false]);
    const t: PurchaseTerms = { stepRaw: USDC, unit: 10n ** 12n, thresholdWad: WAD, redeemableRaw: 1_000n * WAD };
    const from: PurchaseSearch = { lo: 0n, hi: 1_000n, done: false };
    expect(await lens.purchaseSearch([noPool], t, from)).to.deep.equal(from);
  });

  it("sizes a seller's sale: stops at the first size whose quote covers what it owes", async function () {
    const { ctx } = await loadCascadeChain();
    const router = openBestQuote(ctx);
    const lens = await lensOf(ctx);
    const routes = router.lensRoutes("USDe", "USDC")!;
    const sizes = [40_000_000n * WAD, 20_000_000n * WAD, 10_000_000n * WAD, 5_000_000n * WAD];
    // Owed: 99.9% of the size at 1 USDC a USDe: only a sale small enough for the pools' depth covers it.
    const owed = sizes.map((s) => (s * 999n) / 1000n / 10n ** 12n);
    const r = await lens.firstCovering(routes, sizes, owed);
    const direct: bigint[] = [];
    for (const s of sizes.slice(0, r.outsRaw.length)) direct.push(await router.quoteExactIn("USDe", "USDC", s));
    expect(r.outsRaw).to.deep.equal(direct);
    // 40M and 20M USDe fetch less than 99.9% of their size (the venues' depth); 10M fetches 9,990,696.71 USDC.
    expect(r).to.deep.equal({ outsRaw: [19_997_948_276_044n, 19_432_404_321_730n, 9_990_696_713_493n], covered: true });
  });

  /** A seller's flash liquidation of an Aave USDe loop after `dumpUsde` USDe were sold into the USDe/USDC pool. */
  async function sweepAfterDump(dumpUsde: bigint) {
    const f = await loadEmbedded();
    const [user, liq, whale] = f.users;
    const market = await aaveUsdeBorrower(f.ctx, user, 100_000n * WAD, 85_000n * USDC);
    await setFeedPrice(f.ctx, "USDe/USD", 90_000_000n);
    const dex = new UniswapV3Dex(f.ctx);
    await deal(f.ctx, "USDe", whale, dumpUsde * WAD);
    await dex.swapExactIn(whale, "USDe", "USDC", dumpUsde * WAD);
    await lensOf(f.ctx); // its code is read once per chain, before what is counted
    const bot = new LiquidationBot(f.ctx, dex, liq, { maxCallsPerPosition: 1 });
    const provider = hre.network.provider as unknown as Eip1193Like & {
      send(method: string, params?: unknown[]): Promise<unknown>;
    };
    const calls: string[] = [];
    const note = (method: string, params: unknown) => {
      if (method !== "eth_call") return;
      const to = ((params as [{ to?: string }])[0].to ?? "").toLowerCase();
      if (to === f.ctx.record.uniswap.quoter.toLowerCase()) calls.push("quoter");
      if (to === QUOTE_LENS_ADDRESS.toLowerCase()) calls.push("lens");
    };
    const [request, send] = [provider.request, provider.send];
    provider.request = (args) => (note(args.method, args.params), request.call(provider, args));
    provider.send = (method, params) => (note(method, params), send.call(provider, method, params));
    try {
      const outcomes = await bot.sweep(market, [user.address]);
      return { outcomes, refusals: bot.refusals.map((r) => r.reason), calls };
    } finally {
      [provider.request, provider.send] = [request, send];
    }
  }

  it("sizes a seller's flash liquidation in two lens calls, no direct quote: the smallest share covers, then the whole debt does", async function () {
    const { outcomes, refusals, calls } = await sweepAfterDump(18_330_000n);
    // Aave caps the repayment at its 50% close factor; the sale of what it seized pays 42,853.20 USDC.
    expect(outcomes.map((o) => [o.record.repaidRaw, o.record.seizedRaw, o.sale?.receivedRaw])).to.deep.equal([
      [42_500_000_001n, 48_922_222_223_373_333_333_333n, 42_853_204_469n],
    ]);
    expect(refusals).to.deep.equal([]);
    // The smallest share first (it covers), then the shares from the whole debt down; the sale is routed after
    // sizing: the route needs no quote on a single venue.
    expect(calls).to.deep.equal(["lens", "lens"]);
  });

  it("refuses after one lens call of the smallest share (1/16) when that share's sale does not cover it", async function () {
    const { outcomes, refusals, calls } = await sweepAfterDump(18_450_000n);
    expect(outcomes).to.deep.equal([]);
    // The reason names the smallest share's quote: 1/16 of the 85,042.500002 USDC the whole debt would owe.
    expect(refusals).to.deep.equal(["Unprofitable(proceeds=5238798205, owed=5315156250)"]);
    expect(calls).to.deep.equal(["lens"]);
  });
});
