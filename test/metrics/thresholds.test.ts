import { expect } from "chai";
import { EmbeddedFixture, aaveUsdeBorrower, loadEmbeddedOrigin, loadEmbeddedV30 } from "../fixtures";
import { tokenDecimals } from "../../src/chain/context";
import { deal } from "../../src/chain/cheats";
import { WAD } from "../../src/constants";
import { UniswapV3Dex } from "../../src/dex/uniswap-v3";
import { runIterativeLoop } from "../../src/strategies/iterative-loop";
import { applyAavePolicy } from "../../src/protocols/aave-v3";
import { applyMorphoPolicy } from "../../src/protocols/morpho-blue";
import { openMarket } from "../../src/protocols/registry";
import { FullCloseFactorFrom, ThresholdReport, verifyThresholds } from "../../src/metrics/thresholds";
import { thresholdMarkdown } from "../../src/report/threshold-report";

type Release = "v3.0" | "origin";
const FIXTURES: Record<Release, () => Promise<EmbeddedFixture>> = {
  "v3.0": loadEmbeddedV30,
  origin: loadEmbeddedOrigin,
};
const REFUSAL: Record<Release | "morpho", RegExp> = {
  "v3.0": /^Aave error 45 \(HEALTH_FACTOR_NOT_BELOW_THRESHOLD\)/,
  origin: /^HealthFactorNotBelowThreshold\(\)$/,
  morpho: /position is healthy/,
};

/**
 * A borrower of `debtUsd` whole debt tokens against 1.25 times as many whole collateral tokens (LTV 80% at a USDe
 * price of 1, more on sUSDe), with every oracle on the market feed so that USDe/USD drives the position.
 */
async function openPosition(f: EmbeddedFixture, key: string, debtUsd: bigint) {
  const { ctx, users } = f;
  const [user, liquidator] = users;
  if (key.startsWith("aave-v3:")) await applyAavePolicy(ctx, "market");
  else await applyMorphoPolicy(ctx, key.slice("morpho-blue:".length), "market");
  const market = openMarket(ctx, key);
  const collateralRaw = ((debtUsd * 5n) / 4n) * 10n ** BigInt(tokenDecimals(ctx, market.collateral));
  await deal(ctx, market.collateral, user, collateralRaw);
  await market.prepare(user);
  await market.supplyCollateral(user, collateralRaw);
  await market.borrow(user, debtUsd * 10n ** BigInt(tokenDecimals(ctx, market.debt)));
  return { ctx, market, account: await user.getAddress(), liquidator };
}

// USDS: the one 18-decimal debt token of Aave's E-modes (the close-factor probe must not count accrual units).
const AAVE_KEYS = [
  "aave-v3:USDe/USDC:emode-2",
  "aave-v3:sUSDe/USDT:emode-2",
  "aave-v3:USDe/USDT:emode-2",
  "aave-v3:sUSDe/USDS:emode-2",
];
const MORPHO_KEYS = ["morpho-blue:sUSDe/USDC-91.5", "morpho-blue:USDe/DAI-91.5", "morpho-blue:USDe/USDT-91.5"];
const DEBTS_USD = [800n, 1_600n, 4_000n, 10_000n, 1_000_000n];

/** What the model says sets the 100% close factor: on the origin line, a debt reserve under $2,000 makes it every HF < 1. */
function expectedFrom(key: string, release: Release, debtUsd: bigint): FullCloseFactorFrom {
  if (key.startsWith("morpho-blue:")) return "none";
  return release === "origin" && debtUsd < 2_000n ? "liquidation" : "health-factor";
}

interface Case {
  release: Release;
  key: string;
  debtUsd: bigint;
}
const CASES: Case[] = [
  ...(["v3.0", "origin"] as const).flatMap((release) =>
    AAVE_KEYS.flatMap((key) => DEBTS_USD.map((debtUsd) => ({ release, key, debtUsd }))),
  ),
  // Morpho does not depend on the Aave release: one chain is enough.
  ...MORPHO_KEYS.flatMap((key) => DEBTS_USD.map((debtUsd) => ({ release: "origin" as const, key, debtUsd }))),
];

/**
 * Exact boundaries (E8) of a few cases: [liquidation, close factor]. On the origin line a $1,600 position gets the
 * 100% close factor at the liquidation price; the same position on v3.0 only at HF 0.95.
 */
const PINNED: Record<string, [string, string | undefined]> = {
  // HF = 1.25 p 0.92 < 1 below p = 0.8695652; HF <= 0.95 below 0.8260869.
  "v3.0 aave-v3:USDe/USDC:emode-2 debt $1600": ["86956521", "82608695"],
  "origin aave-v3:USDe/USDC:emode-2 debt $1600": ["86956521", "86956521"],
  "origin aave-v3:USDe/USDC:emode-2 debt $4000": ["86956521", "82608695"],
  // sUSDe is worth more than a USDe (the vault's exchange rate): a lower price.
  "origin aave-v3:sUSDe/USDT:emode-2 debt $800": ["73072707", "73072707"],
  "v3.0 aave-v3:sUSDe/USDT:emode-2 debt $1000000": ["73072707", "69419072"],
  "origin morpho-blue:USDe/DAI-91.5 debt $10000": ["87431698", undefined],
};

const caseName = (c: Case) => `${c.release} ${c.key} debt $${c.debtUsd}`;
const results: { name: string; r: ThresholdReport }[] = [];

describe("threshold verification (analytic vs on-chain search)", function () {
  for (const c of CASES) {
    it(`${caseName(c)}: predicted = on chain, exactly`, async function () {
      const p = await openPosition(await FIXTURES[c.release](), c.key, c.debtUsd);
      const r = await verifyThresholds(p.ctx, p.market, p.account, "USDe/USD", p.liquidator);
      results.push({ name: caseName(c), r });
      expect(r.liquidation.differenceE8).to.equal("0");
      expect(r.liquidation.onChain.smallestFalseE8).to.equal(r.liquidation.analytic.smallestFalseE8);
      expect(r.liquidation.onChain.refusal).to.match(REFUSAL[c.key.startsWith("aave-v3:") ? c.release : "morpho"]);
      expect(r.fullCloseFactorFrom).to.equal(expectedFrom(c.key, c.release, c.debtUsd));
      if (r.fullCloseFactorFrom === "none") {
        expect(r.closeFactor).to.equal(undefined);
      } else {
        expect(r.closeFactor!.differenceE8).to.equal("0");
        expect(r.closeFactor!.onChain.smallestFalseE8).to.equal(r.closeFactor!.analytic.smallestFalseE8);
        if (r.fullCloseFactorFrom === "liquidation") {
          expect(r.closeFactor!.onChain.largestTrueE8).to.equal(r.liquidation.onChain.largestTrueE8);
        }
      }
      const pinned = PINNED[caseName(c)];
      if (pinned) {
        expect(r.liquidation.onChain.largestTrueE8).to.equal(pinned[0]);
        expect(r.closeFactor?.onChain.largestTrueE8).to.equal(pinned[1]);
      }
    });
  }

  // The earlier hand-sized positions, now exact.
  for (const release of ["v3.0", "origin"] as const) {
    it(`${release} Aave E-mode USDe/USDC, 100,000 USDe against 80,000 USDC: HF 1 at 0.8/0.92, HF 0.95 at 0.76/0.92`, async function () {
      const { ctx, users } = await FIXTURES[release]();
      const [user, liquidator] = users;
      const market = await aaveUsdeBorrower(ctx, user, 100_000n * WAD, 80_000n * 10n ** 6n);
      const r = await verifyThresholds(ctx, market, await user.getAddress(), "USDe/USD", liquidator);
      expect([r.liquidation.differenceE8, r.closeFactor!.differenceE8]).to.deep.equal(["0", "0"]);
      expect([r.liquidation.onChain.largestTrueE8, r.closeFactor!.onChain.largestTrueE8]).to.deep.equal([
        "86956521",
        "82608695",
      ]);
      expect(r.liquidation.onChain.refusal).to.match(REFUSAL[release]);
    });
  }

  it("Morpho sUSDe/USDC-91.5, 100,000 sUSDe against 100,000 USDC: exact, no close factor", async function () {
    const { ctx, users } = await loadEmbeddedOrigin();
    const [user, liquidator] = users;
    await applyMorphoPolicy(ctx, "sUSDe/USDC-91.5", "market");
    const market = openMarket(ctx, "morpho-blue:sUSDe/USDC-91.5");
    await deal(ctx, "sUSDe", user, 100_000n * WAD);
    await market.supplyCollateral(user, 100_000n * WAD);
    await market.borrow(user, 100_000n * 10n ** 6n);
    const r = await verifyThresholds(ctx, market, await user.getAddress(), "USDe/USD", liquidator);
    expect(r.liquidation.differenceE8).to.equal("0");
    expect(r.liquidation.onChain.largestTrueE8).to.equal("91840019");
    expect(r.liquidation.onChain.refusal).to.match(REFUSAL.morpho);
    expect([r.fullCloseFactorFrom, r.closeFactor]).to.deep.equal(["none", undefined]);
  });

  // The positions: the default 5-round 80% loop on the origin line, searched by plain bisection (no help
  // from the model). Before the fix, --amount 600 found the close-factor boundary at 0.7131 and --amount 300 the
  // liquidation boundary at 0.0076.
  for (const [amountUsde, boundaryE8] of [
    [600n, "79235510"],
    [300n, "79235507"],
  ] as const) {
    it(`origin USDe/USDC loop of ${amountUsde} USDe (5 rounds, 80%), plain bisection: both boundaries at ${boundaryE8}`, async function () {
      const { ctx, users } = await loadEmbeddedOrigin();
      const [user, liquidator] = users;
      await applyAavePolicy(ctx, "market");
      const market = openMarket(ctx, "aave-v3:USDe/USDC:emode-2");
      await deal(ctx, "USDe", user, amountUsde * WAD);
      await runIterativeLoop(ctx, market, new UniswapV3Dex(ctx), user, {
        initialSymbol: "USDe",
        initialRaw: amountUsde * WAD,
        rounds: 5,
        targetLtvWad: (80n * WAD) / 100n,
      });
      const account = await user.getAddress();
      const r = await verifyThresholds(ctx, market, account, "USDe/USD", liquidator, { search: "bisection" });
      results.push({ name: `origin loop ${amountUsde} USDe`, r });
      expect(r.fullCloseFactorFrom).to.equal("liquidation");
      expect(r.liquidation.analytic.largestTrueE8).to.equal(boundaryE8);
      expect(r.liquidation.onChain.largestTrueE8).to.equal(boundaryE8);
      expect(r.closeFactor!.analytic.largestTrueE8).to.equal(boundaryE8);
      expect(r.closeFactor!.onChain.largestTrueE8).to.equal(boundaryE8);
      expect(r.liquidation.onChain.probes).to.be.greaterThan(20);
    });
  }

  it("the report says where the close-factor boundary comes from", function () {
    const small = results.find((x) => x.r.fullCloseFactorFrom === "liquidation");
    expect(small, "an origin-line position under $2,000 ran above").to.not.equal(undefined);
    expect(thresholdMarkdown(small!.r)).to.contain("the close-factor boundary is the liquidation boundary");
    if (process.env.THRESHOLDS_TABLE) {
      for (const { name, r } of results) {
        console.log(
          [
            name,
            r.liquidation.analytic.largestTrueE8,
            r.liquidation.onChain.largestTrueE8,
            r.liquidation.differenceE8,
            r.liquidation.onChain.probes,
            r.fullCloseFactorFrom,
            r.closeFactor?.analytic.largestTrueE8 ?? "-",
            r.closeFactor?.onChain.largestTrueE8 ?? "-",
            r.closeFactor?.differenceE8 ?? "-",
            r.closeFactor?.onChain.probes ?? "-",
          ].join(" | "),
        );
      }
    }
  });
});
