import { expect } from "chai";
import { loadCascadeChain } from "../fixtures";
import { InputError } from "../../src/errors";
import { UniswapV3Dex } from "../../src/dex/uniswap-v3";
import { defaultEmbeddedParams } from "../../src/embedded/params";
import { CascadeReport, CascadeReportSchema, cascadeMarkdown } from "../../src/report/cascade-report";
import { parseCascadeScenario } from "../../src/scenario/cascade-schema";
import { checkPopulationFits, planPopulation } from "../../src/scenario/population";
import { runCascade } from "../../src/scenario/run-cascade";
import { evaluateValidation } from "../../src/scenario/validation";
import { cascadeTerminal } from "../../src/report/terminal";
import { SMALL_CASCADE } from "./small-cascade";

const base = SMALL_CASCADE;

async function run(patch: Record<string, unknown> = {}): Promise<CascadeReport> {
  const { ctx, users } = await loadCascadeChain();
  const scenario = parseCascadeScenario({ ...base, ...patch }, "test.yaml");
  return runCascade(ctx, new UniswapV3Dex(ctx), scenario, { liquidator: users[18] });
}

describe("cascade engine", function () {
  let report: CascadeReport;
  before(async function () {
    report = await run();
  });

  it("converges, and under the market policy liquidates where mainnet's policies liquidate nobody", function () {
    const [pegged, market] = report.runs;
    expect(JSON.parse(JSON.stringify(CascadeReportSchema.parse(report)))).to.deep.equal(
      JSON.parse(JSON.stringify(report)),
    );
    for (const r of report.runs) {
      expect(r.converged, `${r.policies.aave}`).to.equal(true);
      expect(r.roundLimitReached).to.equal(false);
      expect(r.rounds[r.rounds.length - 1].liquidations).to.equal(0);
    }
    expect(pegged.totals.liquidations).to.equal(0);
    // The deterministic outcome of this scenario (seed 3), as measured from the contracts' events.
    // Re-measured when the Curve pool joined the venues: USDe sold there, above the drained Uniswap pool's price.
    expect(market.totals).to.deep.equal({
      liquidations: 6,
      repaidUsdWad: "4216772130538000000000000",
      seizedUsdWad: "4357375150620000000000000",
      badDebtUsdWad: "523678254769000000000000",
      // Our tools on solc 0.8.28: the liquidator's gas 3,061,761 -> 3,055,175, net profit up by that gas's cost.
      liquidatorNetProfitUsdWad: "1747581550966918732345000",
      gasUsed: "3055175",
      positionsLiquidated: 5,
    });
  });

  it("a cascade routes each sale to the venue quoting best: seized USDe to Curve, sUSDe through the Uniswap hub", function () {
    const market = report.runs[1];
    expect(market.liquidations.map((l) => l.saleVenue)).to.deep.equal([
      "curve:USDe/USDC/USDT/DAI",
      "uniswap-v3:sUSDe/USDe-0.01%>USDe/USDC-0.01%",
      "curve:USDe/USDC/USDT/DAI",
      "curve:USDe/USDC/USDT/DAI",
      "curve:USDe/USDC/USDT/DAI",
      "curve:USDe/USDC/USDT/DAI",
    ]);
    expect(market.salesByVenue).to.deep.equal([
      {
        venue: "curve:USDe/USDC/USDT/DAI",
        sold: "USDe",
        soldDecimals: 18,
        soldRaw: "4788186135936764042787739",
        received: "USDC",
        receivedDecimals: 6,
        receivedRaw: "4636840190149",
        sales: 5,
      },
      {
        venue: "uniswap-v3:sUSDe/USDe-0.01%>USDe/USDC-0.01%",
        sold: "sUSDe",
        soldDecimals: 18,
        soldRaw: "1155649357327731092436974",
        received: "USDC",
        receivedDecimals: 6,
        receivedRaw: "1329325944177",
        sales: 1,
      },
    ]);
    expect(cascadeMarkdown(report)).to.include(
      "| curve:USDe/USDC/USDT/DAI                    | 5     | 4,788,186.14 USDe  | 4,636,840.19 USDC |",
    );
  });

  it("the WETH pools follow ETH: the CEX–DEX arbitrageur moves them to the ETH/USD feed before the bots sweep", function () {
    for (const r of report.runs) {
      const moves = r.actorEvents.filter((e) => e.actor === "cex-dex-arbitrageur");
      expect(moves.map((e) => e.round)).to.deep.equal([1, 3]);
      const [first] = moves;
      if (first?.actor !== "cex-dex-arbitrageur") throw new Error("no arbitrage event");
      expect(first.ethUsdWad).to.equal("4000000000000000000000");
      expect(first.trades.map((t) => [t.pool, t.sold, t.soldRaw, t.priceAfterWad])).to.deep.equal([
        ["WETH/USDC", "WETH", "6205462816160464918865", "3999999999000000000000"],
        ["WETH/USDT", "WETH", "1241092563232092982996", "4000000000000000000000"],
        ["WETH/DAI", "WETH", "248288076215315134077", "4000000000000016000000"],
      ]);
    }
  });

  it("round-by-round numbers add up to the totals", function () {
    for (const r of report.runs) {
      expect(r.rounds.reduce((s, x) => s + x.liquidations, 0)).to.equal(r.totals.liquidations);
      expect(r.liquidations.length).to.equal(r.totals.liquidations);
      expect(r.rounds.reduce((s, x) => s + BigInt(x.badDebtUsdWad), 0n).toString()).to.equal(r.totals.badDebtUsdWad);
      expect(r.rounds[r.rounds.length - 1].cumulativeBadDebtUsdWad).to.equal(r.totals.badDebtUsdWad);
      const sold = r.liquidations.reduce(
        (s, l) => s + BigInt(l.saleReceivedRaw) * 10n ** BigInt(l.debtAsset === "DAI" ? 0 : 12),
        0n,
      );
      expect(r.rounds.reduce((s, x) => s + BigInt(x.volumeSoldUsdWad), 0n)).to.equal(sold);
      expect(r.points.map((p) => p.liquidations)).to.deep.equal(r.rounds.map((x) => x.liquidations));
    }
  });

  it("the two-layer whale's unwind moves the USDe pool price, measured on chain", function () {
    for (const r of report.runs) {
      const w = r.actorEvents.find((e) => e.actor === "whale");
      expect(w, r.policies.aave).to.not.equal(undefined);
      if (w?.actor !== "whale") throw new Error("no whale event");
      expect(BigInt(w.dexPriceAfterWad)).to.be.lessThan(BigInt(w.dexPriceBeforeWad));
      expect(BigInt(w.aaveHealthFactorWad)).to.be.lessThan(110n * 10n ** 16n);
      expect(w.soldRaw).to.equal("4992157429414258345492983");
      expect(w.dexPriceAfterWad).to.equal("999014000000000000");
      // sUSDe has no Curve pool: the unwind sells through Uniswap's USDe hub.
      expect(w.saleVenues).to.deep.equal(["uniswap-v3:sUSDe/USDe-0.01%>USDe/USDC-0.01%"]);
    }
  });

  it("liquidity withdrawal increases the price impact of the same sale", function () {
    for (const r of report.runs) {
      const e = r.actorEvents.find((x) => x.actor === "liquidity-withdrawal");
      if (e?.actor !== "liquidity-withdrawal") throw new Error("no withdrawal event");
      expect(e.positionsReduced).to.equal(4);
      expect([e.impactBeforeBps, e.impactAfterBps]).to.deep.equal(["3", "5306"]);
    }
  });

  it("checks the scenario's published facts on the run under mainnet's policies, each measured from the report's rows", function () {
    const validation = {
      policies: { aave: "pegged-to-USDT", morpho: "exchange-rate" },
      facts: [
        { fact: "USDe held on chain", source: "test", measure: "dex-usde-low", min: "0.99" },
        {
          fact: "no loop liquidated",
          source: "test",
          measure: "liquidated-usd",
          collateral: ["USDe", "sUSDe"],
          max: "0",
        },
        { fact: "WETH sold on chain", source: "test", measure: "sold-on-chain-share", collateral: ["WETH"], min: "1" },
      ],
    };
    const scenario = parseCascadeScenario({ ...base, validation }, "test.yaml");
    const v = evaluateValidation(scenario.validation!, report);
    expect(v.run).to.equal("pegged-to-USDT/exchange-rate");
    expect(v.rows.map((r) => [r.check, r.measured, r.measuredRaw, r.holds])).to.deep.equal(PINNED_VALIDATION);
    expect(v.holds).to.equal(false);
    expect(cascadeMarkdown({ ...report, validation: v })).to.include("1 of 3 facts do not hold");
  });

  it("the terminal gets a short summary: runs side by side, what was refused, where the report is", function () {
    const text = cascadeTerminal(report, "reports/test-cascade");
    const lines = text.split("\n");
    expect(lines.length).to.be.lessThan(40);
    expect(lines[0]).to.equal("loopstress — test-cascade");
    expect(
      lines.filter((l) => l.startsWith("| pegged-to-USDT/exchange-rate") || l.startsWith("| market/market")),
    ).to.have.length(2);
    expect(lines[lines.length - 1]).to.equal(
      "Report: reports/test-cascade/ (summary.md, report.html, report.json, liquidations.csv); --full prints summary.md, --json the report.",
    );
  });

  it("the same scenario file gives the same report", async function () {
    expect(await run()).to.deep.equal(report);
  });

  it("stops at the round limit and says so", async function () {
    const r = await run({
      stop: { maxRounds: 2, maxRoundsPerPoint: 5 },
      policies: [{ aave: "market", morpho: "market" }],
    });
    expect(r.runs[0].rounds).to.have.length(2);
    expect(r.runs[0].converged).to.equal(false);
    expect(r.runs[0].roundLimitReached).to.equal(true);
    expect(cascadeMarkdown(r)).to.contain("did not converge: it hit the round limit");
  });

  it("records per round the USDe the redemption arbitrageurs redeemed with Ethena, and the summary shows it", async function () {
    const r = await run({ actors: { ...base.actors, redemptions: {} } });
    const [pegged, market] = r.runs;
    const redeemed = (x: CascadeReport["runs"][number]) =>
      x.rounds.filter((y) => y.redeemedUsdeRaw !== "0").map((y) => [y.round, y.redeemedUsdeRaw]);
    // Under mainnet's policies the Uniswap arbitrageur buys back the whale's discount in three rounds (280,000 USDe a
    // redemption at most); the whale sold no USDe on Curve.
    expect(redeemed(pegged)).to.deep.equal([
      [1, "279999548116492911652652"],
      [2, "279999945931996465333656"],
      [3, "202699757819260282235456"],
    ]);
    expect(pegged.totals.liquidations).to.equal(0);
    // Under the market policy both venues' arbitrageurs lift their pools after the liquidators' sales.
    expect(market.rounds.reduce((s, y) => s + BigInt(y.redeemedUsdeRaw), 0n)).to.equal(
      8_456_633_266_348_939_708_339_212n,
    );
    expect(redeemed(market)).to.have.length(20);
    expect(market.totals.liquidations).to.equal(20);
    const md = cascadeMarkdown(r);
    expect(md).to.contain("| 762,699 USDe ");
    expect(md).to.contain("| 8,456,633 USDe ");
    expect(md).to.contain(
      "- Round 3: the redemption arbitrageur bought 202,700 USDe for 202,658 USDC on uniswap-v3:USDe/USDC-0.01% and redeemed 202,700 USDe with Ethena; USDe/USDC 0.9995 → 0.9999.",
    );
    for (const x of r.runs) {
      // Each round's record is the sum of the arbitrageurs' redemptions in it (one per venue at most).
      const byRound = new Map<number, bigint>();
      for (const e of x.actorEvents)
        if (e.actor === "redemption-arbitrageur")
          byRound.set(e.round, (byRound.get(e.round) ?? 0n) + BigInt(e.usdeRedeemedRaw));
      expect([...byRound.entries()].map(([k, v]) => [k, v.toString()])).to.deep.equal(redeemed(x));
    }
    // Without the actor nothing is redeemed.
    expect(report.runs.every((x) => x.rounds.every((y) => y.redeemedUsdeRaw === "0"))).to.equal(true);
    expect(md).to.contain("| redeemed with Ethena |");
  });

  it("the peg holds by redemptions under mainnet's policies, and breaks when Ethena's redemptions are paused", async function () {
    const pegged = { aave: "pegged-to-USDT", morpho: "exchange-rate" };
    const r = await run({
      actors: { whale: base.actors.whale, redemptions: {} },
      policies: [pegged],
      counterfactuals: { redemptionsPaused: [pegged] },
    });
    expect(r.runs.map((x) => x.variant)).to.deep.equal(["", "redemptions paused"]);
    const lastPrice = (x: CascadeReport["runs"][number]) => x.rounds[x.rounds.length - 1].dexUsdeUsdcWad;
    const redeemed = (x: CascadeReport["runs"][number]) =>
      x.rounds.reduce((s, y) => s + BigInt(y.redeemedUsdeRaw), 0n).toString();
    // The whale's unwind leaves the pool at 0.99901 either way; redemptions bring it back to the peg.
    expect(r.runs.map((x) => [lastPrice(x), redeemed(x)])).to.deep.equal(PINNED_PEG);
    expect(cascadeMarkdown(r)).to.contain("| pegged-to-USDT / exchange-rate (redemptions paused) |");
  });

  describe("bad scenario files fail before anything is deployed, naming the field", function () {
    it("unknown keys, wrong types, impossible values", function () {
      expect(() => parseCascadeScenario({ ...base, extra: 1 }, "s.yaml")).to.throw(
        InputError,
        /s\.yaml: \(root\): Unrecognized key/,
      );
      expect(() =>
        parseCascadeScenario(
          { ...base, population: { seed: 1, groups: [{ ...base.population.groups[0], count: "4" }] } },
          "s.yaml",
        ),
      ).to.throw(InputError, /s\.yaml: population\.groups\[0\]\.count: Expected number/);
      expect(() => parseCascadeScenario({ ...base, path: { points: [{ blocks: 1, usde: "0" }] } }, "s.yaml")).to.throw(
        InputError,
        /path point 1\.usde: price must be > 0/,
      );
      expect(() => parseCascadeScenario({ ...base, path: { points: [] } }, "s.yaml")).to.throw(InputError, /path/);
    });

    it("a population too large for the pool liquidity", function () {
      const s = parseCascadeScenario(
        {
          ...base,
          population: {
            seed: 1,
            groups: [{ ...base.population.groups[0], size: { dist: "fixed", value: "5000000" } }],
          },
        },
        "s.yaml",
      );
      expect(() => checkPopulationFits(planPopulation(s.population, s.name), defaultEmbeddedParams())).to.throw(
        InputError,
        /population\.groups\[0\] \(position 0\): borrows ~\d+ USDC and buys USDe with it through USDe\/USDC-0\.01%.*too large for the pool's liquidity/,
      );
    });
  });
});

/** The whale's unwind leaves the pool at 0.99901; no loop is liquidated; no WETH liquidation happens (0 of 0 fails). */
const PINNED_VALIDATION = [
  ["lowest USDe/USDC pool price ≥ 0.99", "0.9990 USDC per USDe", "999014000000000000", true],
  ["debt repaid by liquidations (USD) (USDe/sUSDe collateral) ≤ 0", "$0 (0 liquidations)", "0", true],
  [
    "share of liquidations whose collateral was sold or redeemed on chain (WETH collateral) ≥ 1",
    "0 of 0 liquidations",
    "0",
    false,
  ],
];

/** Last USDe/USDC price and USDe redeemed: with redemptions, then with Ethena's gatekeeper switch off. */
const PINNED_PEG = [
  ["999851000000000000", "5039988694740439143666206"],
  ["999014000000000000", "0"],
];
