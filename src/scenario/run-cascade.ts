/**
 * The cascade engine. Once per oracle-policy set, from the same snapshot: walk the exogenous path (USDe, ETH); after
 * each step let the actors react (the whale unwinds, market makers pull liquidity), then run rounds until nothing more
 * is liquidated: find liquidatable positions (PositionLens), liquidate them (bots sell the seized collateral on the
 * DEX), and let `market`-policy oracles follow the pool (spot, TWAP or the lower of pool and path) — which can make
 * new positions liquidatable in the next round. Every round's prices, liquidations, volume sold, pool depth left and
 * bad debt are recorded from chain state and events.
 */
import type { Signer } from "ethers";
import { UniswapV3Pool__factory } from "../../typechain-types";
import { WAD } from "../constants";
import type { ChainContext } from "../chain/context";
import { tokenDecimals, tokenSymbolOf } from "../chain/context";
import { revertTo, snapshot } from "../chain/cheats";
import { advance, latestBlock, SECONDS_PER_BLOCK } from "../chain/clock";
import type { UniswapV3Dex } from "../dex/uniswap-v3";
import type { TokenSymbol } from "../domain/tokens";
import { InputError } from "../errors";
import { parseUnitsExact } from "../math/fixed-point";
import { debtUsdWad, liquidationRow, liquidationTotals } from "../metrics/liquidations";
import { getFeedPrice, setFeedPrice } from "../oracles/feeds";
import { applyPolicies, openMarket, policyOf } from "../protocols/registry";
import { policyReadsFeed } from "../domain/oracle-policy";
import type { LendingMarket } from "../protocols/lending-market";
import { LiquidationBot, LiquidationOutcome } from "../strategies/liquidation-bot";
import type { CascadeReport, CascadeRun } from "../report/cascade-report";
import { CrossMarginedMarketMaker } from "../actors/market-maker";
import { TwoLayerWhale } from "../actors/whale";
import { PegArbitrageur } from "../actors/peg-arbitrageur";
import type { CascadeScenario, ExogenousPoint } from "./cascade-schema";
import { exogenousPoints } from "./cascade-schema";
import { BuiltPosition, buildPopulation, planPopulation, validatePopulation } from "./population";

export interface RunCascadeOptions {
  liquidator: Signer;
  log?: (line: string) => void;
  progress?: (done: number, total: number) => void;
}

/** A borrower and the markets it can be liquidated on (a cross-margined account has several). */
interface Candidate {
  account: string;
  label: string;
  markets: LendingMarket[];
  start?: BuiltPosition;
}

const USDE_FEED = "USDe/USD";
const ETH_FEED = "ETH/USD";
const DEX_PAIR: [TokenSymbol, TokenSymbol] = ["USDe", "USDC"];

/** USDe in USDC from the pool's TWAP over `seconds` (falls back to the longest window the pool has recorded). */
async function twapWad(ctx: ChainContext, dex: UniswapV3Dex, seconds: number): Promise<bigint> {
  const poolAddress = dex.poolFor(...DEX_PAIR)!;
  const pool = UniswapV3Pool__factory.connect(poolAddress, ctx.provider);
  let window = seconds;
  for (let i = 0; i < 8; i++) {
    try {
      const [ticks] = await pool.observe([window, 0]);
      const avgTick = Number((ticks[1] - ticks[0]) / BigInt(window));
      const usdeIs0 = (await pool.token0()).toLowerCase() === ctx.record.tokens.USDe!.address.toLowerCase();
      const raw1per0 = Math.pow(1.0001, avgTick);
      // Display-grade float math is enough for an oracle answer with 8 decimals.
      const usdcPerUsde = usdeIs0 ? raw1per0 * 1e12 : 1e12 / raw1per0;
      return BigInt(Math.round(usdcPerUsde * 1e8)) * 10n ** 10n;
    } catch {
      window = Math.floor(window / 2);
      if (window < SECONDS_PER_BLOCK) break;
    }
  }
  return dex.price(...DEX_PAIR);
}

export async function runCascade(ctx: ChainContext, dex: UniswapV3Dex, scenario: CascadeScenario, options: RunCascadeOptions): Promise<CascadeReport> {
  const log = options.log ?? (() => undefined);
  const points = exogenousPoints(scenario);
  const plan = planPopulation(scenario.population, scenario.name);
  await validatePopulation(ctx, plan);
  for (const key of scenario.actors.liquidityWithdrawal?.pools ?? []) {
    if (!ctx.record.uniswap.pools[key]) throw new InputError("actors.liquidityWithdrawal.pools", `unknown pool "${key}"`, `use one of ${Object.keys(ctx.record.uniswap.pools).join(", ")}`);
  }

  log(`population: opening ${plan.length} positions`);
  const arbitrageur = new PegArbitrageur(ctx, dex, scenario.name);
  const built = await buildPopulation(ctx, dex, plan, options.progress, () => arbitrageur.restore());
  const candidates: Candidate[] = built.map((p) => ({ account: p.account, label: `position ${p.index}`, markets: [openMarket(ctx, p.market)], start: p }));

  let whale: TwoLayerWhale | undefined;
  if (scenario.actors.whale) {
    whale = new TwoLayerWhale(ctx, dex, scenario.name, scenario.actors.whale);
    log("actors: the two-layer whale opens WETH → USDC on Aave and a USDe loop on Morpho");
    await whale.open(() => arbitrageur.restore());
    await arbitrageur.restore();
    candidates.push({ account: whale.account, label: "whale (Aave)", markets: [whale.aave] }, { account: whale.account, label: "whale (Morpho loop)", markets: [whale.loop] });
  }
  let mm: CrossMarginedMarketMaker | undefined;
  if (scenario.actors.marketMaker) {
    mm = new CrossMarginedMarketMaker(ctx, scenario.name, scenario.actors.marketMaker);
    log("actors: the cross-margined market maker opens its Aave account");
    await mm.open();
    candidates.push({ account: mm.account, label: "market maker", markets: mm.markets });
  }

  const start = await latestBlock(ctx.provider);
  let base = await snapshot(ctx.provider);
  const runs: CascadeRun[] = [];
  for (const [i, policies] of scenario.policies.entries()) {
    if (i > 0) {
      await revertTo(ctx.provider, base);
      base = await snapshot(ctx.provider);
    }
    log(`policies: Aave ${policies.aave}, Morpho ${policies.morpho}`);
    runs.push(await runOnce(ctx, dex, scenario, points, candidates, policies, whale, mm, options, log));
  }
  await revertTo(ctx.provider, base);
  return {
    schemaVersion: 1,
    scenario: scenario.name,
    description: scenario.description,
    liquidatorVenue: dex.name,
    chain: { profile: ctx.record.profile, chainId: ctx.record.chainId, startBlock: Number(start.number) },
    path: { feed: USDE_FEED, points: points.length },
    oracleSource: scenario.oracle.source,
    population: { seed: scenario.population.seed, positions: built.length },
    runs,
  };
}

async function runOnce(
  ctx: ChainContext,
  dex: UniswapV3Dex,
  scenario: CascadeScenario,
  points: ExogenousPoint[],
  candidates: Candidate[],
  policies: CascadeScenario["policies"][number],
  whale: TwoLayerWhale | undefined,
  mm: CrossMarginedMarketMaker | undefined,
  options: RunCascadeOptions,
  log: (line: string) => void,
): Promise<CascadeRun> {
  await applyPolicies(ctx, policies, candidates.flatMap((c) => c.markets));
  if (whale) whale.unwound = false;
  const bot = new LiquidationBot(ctx, dex, options.liquidator, scenario.actors.liquidators);

  // Markets by liquidation incentive, largest first: a bot facing a cross-margined account takes the collateral
  // that pays the most (and that it can sell), not the one whose price fell.
  const marketByKey = new Map<string, LendingMarket>();
  for (const c of candidates) for (const m of c.markets) marketByKey.set(m.key, m);
  const incentive = new Map<string, bigint>();
  for (const m of marketByKey.values()) incentive.set(m.key, (await m.riskParams()).liquidationIncentiveWad);
  const markets = [...marketByKey.values()].sort((a, b) => (incentive.get(b.key)! > incentive.get(a.key)! ? 1 : incentive.get(b.key)! < incentive.get(a.key)! ? -1 : a.key.localeCompare(b.key)));
  const accountsOf = (m: LendingMarket) => [...new Set(candidates.filter((c) => c.markets.some((x) => x.key === m.key)).map((c) => c.account))];

  const positions = candidates.filter((c) => c.start);
  const hfStart = await healthFactorsOf(positions);
  const hfPath: bigint[][] = positions.map(() => []);
  const minHf = [...hfStart];
  const liquidationsOf = new Map<string, number>();
  const firstLiq = new Map<string, bigint>();
  const feedStart = await getFeedPrice(ctx, USDE_FEED);

  const rounds: CascadeRun["rounds"] = [];
  const rows: CascadeRun["liquidations"] = [];
  const actorEvents: CascadeRun["actorEvents"] = [];
  let exo = feedStart;
  let round = 0;
  let converged = true;
  let badDebtCum = 0n;

  const oracleTarget = async (): Promise<bigint> => {
    const dexE8 = (await dex.price(...DEX_PAIR)) / 10n ** 10n;
    switch (scenario.oracle.source) {
      case "path":
        return exo;
      case "dex":
        return dexE8;
      case "twap":
        return (await twapWad(ctx, dex, scenario.oracle.twapSeconds)) / 10n ** 10n;
      case "min":
        return exo < dexE8 ? exo : dexE8;
    }
  };
  const followOracle = async () => {
    const target = await oracleTarget();
    if (target > 0n && target !== (await getFeedPrice(ctx, USDE_FEED))) await setFeedPrice(ctx, USDE_FEED, target);
  };
  const withdrawal = scenario.actors.liquidityWithdrawal;
  let withdrawn = false;

  outer: for (const [pi, point] of points.entries()) {
    await advance(ctx.provider, point.blocks, point.blocks * SECONDS_PER_BLOCK);
    if (point.ethE8 !== undefined) await setFeedPrice(ctx, ETH_FEED, point.ethE8);
    if (point.usdeE8 !== undefined) exo = point.usdeE8;
    await followOracle();
    for (let r = 0; r < scenario.stop.maxRoundsPerPoint; r++) {
      if (round >= scenario.stop.maxRounds) {
        converged = false;
        break outer;
      }
      round++;
      // Actors react to the market as it is now.
      const w = whale ? await whale.maybeUnwind() : undefined;
      if (w) {
        actorEvents.push({ round, ...w });
        log(`  round ${round}: the whale unwinds, USDe/USDC ${fmt(BigInt(w.dexPriceBeforeWad))} → ${fmt(BigInt(w.dexPriceAfterWad))}`);
        await followOracle();
      }
      if (withdrawal && !withdrawn && (await dex.price(...DEX_PAIR)) < parseUnitsExact(withdrawal.whenDexPriceBelow, 18, "actors.liquidityWithdrawal.whenDexPriceBelow")) {
        withdrawn = true;
        const sale = parseUnitsExact(withdrawal.measureSaleUsde, 18, "actors.liquidityWithdrawal.measureSaleUsde");
        const before = await dex.priceImpactBps("USDe", "USDC", sale);
        const share = (parseUnitsExact(withdrawal.share, 4, "actors.liquidityWithdrawal.share"));
        let pulled = 0;
        for (const key of withdrawal.pools) {
          const p = ctx.record.uniswap.pools[key];
          pulled += (await dex.withdrawLiquidity(ctx.admin, tokenSymbolOf(ctx, p.token0), tokenSymbolOf(ctx, p.token1), share)).positions;
        }
        const after = await dex.priceImpactBps("USDe", "USDC", sale);
        actorEvents.push({ round, actor: "liquidity-withdrawal", pools: withdrawal.pools, share: withdrawal.share, positionsReduced: pulled, saleUsde: withdrawal.measureSaleUsde, impactBeforeBps: before.toString(), impactAfterBps: after.toString() });
        log(`  round ${round}: market makers pull ${withdrawal.share} of their liquidity; impact of selling ${withdrawal.measureSaleUsde} USDe ${before} → ${after} bps`);
      }

      const dexBefore = await dex.price(...DEX_PAIR);
      const outcomes: LiquidationOutcome[] = [];
      for (const m of markets) outcomes.push(...(await bot.sweep(m, accountsOf(m))));
      const feedUsed = await getFeedPrice(ctx, USDE_FEED);
      let sold = 0n;
      let bad = 0n;
      for (const o of outcomes) {
        rows.push(liquidationRow(o, feedUsed));
        liquidationsOf.set(o.record.borrower, (liquidationsOf.get(o.record.borrower) ?? 0) + 1);
        if (!firstLiq.has(o.record.borrower)) firstLiq.set(o.record.borrower, feedUsed);
        if (o.sale) sold += debtUsdWad(o.sale.receivedRaw, tokenDecimals(ctx, o.record.debtAsset));
        bad += debtUsdWad(o.record.badDebtRaw, tokenDecimals(ctx, o.record.debtAsset));
      }
      badDebtCum += bad;
      await followOracle();
      const hfs = await healthFactorsOf(positions);
      for (const [i, hf] of hfs.entries()) {
        hfPath[i].push(hf);
        if (hf < minHf[i]) minHf[i] = hf;
      }
      const pool = await dex.poolBalances(...DEX_PAIR);
      const block = Number((await latestBlock(ctx.provider)).number);
      rounds.push({
        round,
        pathPoint: pi + 1,
        block,
        exogenousUsdeE8: exo.toString(),
        feedPriceE8: (await getFeedPrice(ctx, USDE_FEED)).toString(),
        ethUsdE8: (await getFeedPrice(ctx, ETH_FEED)).toString(),
        dexUsdeUsdcBeforeWad: dexBefore.toString(),
        dexUsdeUsdcWad: (await dex.price(...DEX_PAIR)).toString(),
        liquidations: outcomes.length,
        volumeSoldUsdWad: sold.toString(),
        poolUsdcLeftRaw: pool.bRaw.toString(),
        poolUsdeRaw: pool.aRaw.toString(),
        badDebtUsdWad: bad.toString(),
        cumulativeBadDebtUsdWad: badDebtCum.toString(),
      });
      if (outcomes.length > 0) log(`  round ${round} (point ${pi + 1}): ${outcomes.length} liquidation(s), USDe/USDC ${fmt(dexBefore)} → ${fmt(await dex.price(...DEX_PAIR))}, feed ${Number(feedUsed) / 1e8}`);
      if (outcomes.length === 0 && !w) break;
    }
  }
  let left = 0;
  for (const m of markets) left += (await m.liquidatable(accountsOf(m))).length;
  if (converged && left > 0 && bot.refusals.length === 0) converged = false;

  const decimalsOf = (s: string) => tokenDecimals(ctx, s as TokenSymbol);
  const totals = liquidationTotals(rows, decimalsOf);
  const positionRows: CascadeRun["positions"] = [];
  for (const [i, c] of positions.entries()) {
    const p = c.start!;
    const end = await c.markets[0].position(c.account);
    positionRows.push({
      account: c.account,
      market: c.markets[0].key,
      loop: { initialToken: "USDe", initialRaw: p.initialRaw.toString(), rounds: p.rounds, targetLtvWad: p.targetLtvWad.toString() },
      collateralRaw: p.start.collateral[0].amountRaw.toString(),
      debtRaw: p.start.debt[0].amountRaw.toString(),
      healthFactorStartWad: hfStart[i].toString(),
      predictedLiquidationFeedE8: policyReadsFeed(policyOf(c.markets[0], policies), USDE_FEED) ? ((feedStart * WAD) / hfStart[i]).toString() : null,
      observedFirstLiquidationFeedE8: firstLiq.get(c.account)?.toString() ?? null,
      minHealthFactorWad: minHf[i].toString(),
      healthFactorPathWad: hfPath[i].map(String),
      liquidations: liquidationsOf.get(c.account) ?? 0,
      finalCollateralRaw: end.collateral[0].amountRaw.toString(),
      finalDebtRaw: end.debt[0].amountRaw.toString(),
    });
  }
  if (mm) actorEvents.push({ round, actor: "market-maker", account: mm.account, collateralLeftRaw: await mm.collateralLeft(), collateralSeizedRaw: seizedBy(rows, mm.account) });
  return {
    policies,
    points: rounds.map((r) => ({ block: r.block, feedPriceE8: r.feedPriceE8, dexUsdeUsdcWad: r.dexUsdeUsdcWad, liquidations: r.liquidations })),
    positions: positionRows,
    liquidations: rows,
    refusals: bot.refusals,
    totals: { ...totals, positionsLiquidated: positionRows.filter((p) => p.liquidations > 0).length },
    rounds,
    actorEvents,
    converged,
    roundLimitReached: round >= scenario.stop.maxRounds,
    liquidatableLeft: left,
  };
}

/** Health factors of the candidates (first market of each), one batched read per market. */
async function healthFactorsOf(candidates: Candidate[]): Promise<bigint[]> {
  const out: bigint[] = new Array<bigint>(candidates.length);
  const byMarket = new Map<string, number[]>();
  candidates.forEach((c, i) => byMarket.set(c.markets[0].key, [...(byMarket.get(c.markets[0].key) ?? []), i]));
  for (const idx of byMarket.values()) {
    const hfs = await candidates[idx[0]].markets[0].healthFactors(idx.map((i) => candidates[i].account));
    idx.forEach((i, j) => (out[i] = hfs[j]));
  }
  return out;
}

function seizedBy(rows: CascadeRun["liquidations"], account: string): Record<string, string> {
  const out: Record<string, bigint> = {};
  for (const r of rows) if (r.borrower.toLowerCase() === account.toLowerCase()) out[r.collateralAsset] = (out[r.collateralAsset] ?? 0n) + BigInt(r.seizedRaw);
  return Object.fromEntries(Object.entries(out).map(([k, v]) => [k, v.toString()]));
}

const fmt = (wad: bigint) => (Number(wad / 10n ** 12n) / 1e6).toFixed(4);
