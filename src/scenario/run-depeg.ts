/**
 * Runs a depeg scenario: open the loops (real transactions), snapshot, then for each oracle-policy set revert to
 * the snapshot, apply the policies, walk the price path and let the bot liquidate whatever the protocols allow.
 * Everything reported is read from events and state.
 */
import type { Signer } from "ethers";
import { WAD } from "../constants";
import { InputError } from "../errors";
import { fmtWadPct } from "../domain/format";
import type { ChainContext } from "../chain/context";
import { tokenDecimals } from "../chain/context";
import type { TokenSymbol } from "../domain/tokens";
import { liquidationRow, liquidationTotals } from "../metrics/liquidations";
import { deal, revertTo, snapshot } from "../chain/cheats";
import { latestBlock } from "../chain/clock";
import { parseUnitsExact } from "../math/fixed-point";
import { UniswapV3Dex } from "../dex/uniswap-v3";
import type { Dex } from "../dex/dex";
import { openDex } from "../dex/venue";
import { getFeedPrice } from "../oracles/feeds";
import { PathPoint, walkPath } from "../oracles/paths";
import { applyPolicies, openMarket, policyOf } from "../protocols/registry";
import { policyReadsFeed } from "../domain/oracle-policy";
import type { LendingMarket } from "../protocols/lending-market";
import { runIterativeLoop, LoopResult, validateLoopParams } from "../strategies/iterative-loop";
import { BotOptions, LiquidationBot, LiquidationOutcome } from "../strategies/liquidation-bot";
import type { DepegReport, RunReport } from "../report/depeg-report";
import type { DepegScenario, PolicySet } from "./schema";

interface OpenPosition {
  market: LendingMarket;
  account: string;
  /** The loop that opened it; absent for an existing position found on chain. */
  loop?: LoopResult;
}

export interface RunDepegOptions {
  /** Signers for positions (one each) and the liquidator. */
  users: Signer[];
  liquidator: Signer;
  log?: (line: string) => void;
}

export async function runDepeg(ctx: ChainContext, scenario: DepegScenario, options: RunDepegOptions): Promise<DepegReport> {
  const log = options.log ?? (() => undefined);
  const points = scenario.points;
  const feed = scenario.path.feed;
  if (!ctx.record.feeds[feed]) throw new InputError("path.feed", `unknown feed "${feed}"`, `use one of ${Object.keys(ctx.record.feeds).join(", ")}`);

  // Validate every loop against on-chain parameters before any transaction.
  const needed = scenario.loops.reduce((n, l) => n + l.count, 0);
  if (needed > options.users.length) throw new InputError("loops[].count", `needs ${needed} accounts, ${options.users.length} available`);
  const specs = scenario.loops.map((l, i) => {
    const market = openMarket(ctx, l.market, `loops[${i}].market`);
    const params = {
      initialSymbol: l.initialToken,
      initialRaw: parseUnitsExact(l.initialAmount, 18, `loops[${i}].initialAmount`),
      rounds: l.rounds,
      targetLtvWad: parseUnitsExact(l.targetLtv, 18, `loops[${i}].targetLtv`),
    };
    return { market, params, count: l.count, index: i };
  });
  for (const s of specs) {
    await validateLoopParams(s.market, s.params).catch((err: unknown) => {
      if (err instanceof InputError) throw new InputError(`loops[${s.index}].${err.field}`, err.message.slice(err.field.length + 2));
      throw err;
    });
  }

  const existingMarkets = (scenario.existing?.markets ?? []).map((k, i) => openMarket(ctx, k, `existing.markets[${i}]`));

  const dex = new UniswapV3Dex(ctx);
  const saleDex = openDex(ctx, scenario.liquidator.venue, "liquidator.venue");
  const positions: OpenPosition[] = [];
  if (scenario.existing) {
    // Existing borrowers first, found before the harness opens anything of its own.
    const e = scenario.existing;
    const to = e.toBlock ?? (await ctx.provider.getBlockNumber());
    for (const market of existingMarkets) {
      const found = new Set([...(await market.borrowersFromEvents(e.fromBlock, to)), ...(e.accounts ?? [])].map((a) => a.toLowerCase()));
      let kept = 0;
      for (const a of [...found].sort()) {
        const pos = await market.position(a);
        if (pos.debt.every((d) => d.amountRaw === 0n) || pos.collateral.every((c) => c.amountRaw === 0n)) continue;
        positions.push({ market, account: pos.account });
        kept++;
      }
      log(`existing positions on ${market.key}: ${kept} with debt (blocks ${e.fromBlock}..${to})`);
    }
  }
  let u = 0;
  for (const s of specs) {
    for (let c = 0; c < s.count; c++) {
      const user = options.users[u++];
      await deal(ctx, s.params.initialSymbol, user, s.params.initialRaw);
      log(`loop ${s.market.key} #${c + 1}: ${s.params.rounds} rounds at LTV ${fmtWadPct(s.params.targetLtvWad)}`);
      const loop = await runIterativeLoop(ctx, s.market, dex, user, s.params);
      positions.push({ market: s.market, account: loop.account, loop });
    }
  }
  const start = await latestBlock(ctx.provider);
  const base = await snapshot(ctx.provider);
  const runs: RunReport[] = [];
  for (const [i, policies] of scenario.policies.entries()) {
    if (i > 0) await revertTo(ctx.provider, base);
    const snap = i < scenario.policies.length - 1 ? await snapshot(ctx.provider) : undefined;
    log(`policies: Aave ${policies.aave}, Morpho ${policies.morpho}`);
    runs.push(await runPolicies(ctx, dex, saleDex, positions, policies, feed, points, options, scenario.liquidator, log));
    if (snap) await revertTo(ctx.provider, snap);
  }
  return {
    schemaVersion: 1,
    scenario: scenario.name,
    description: scenario.description,
    chain: { profile: ctx.record.profile, chainId: ctx.record.chainId, startBlock: Number(start.number) },
    liquidatorVenue: scenario.liquidator.venue,
    path: { feed, points: points.length },
    runs,
  };
}

async function runPolicies(
  ctx: ChainContext,
  /** The reference market price recorded at each path point (USDe/USDC on Uniswap V3). */
  dex: UniswapV3Dex,
  /** Where the bots sell. */
  saleDex: Dex,
  positions: OpenPosition[],
  policies: PolicySet,
  feed: string,
  points: PathPoint[],
  options: RunDepegOptions,
  liquidator: BotOptions,
  log: (line: string) => void,
): Promise<RunReport> {
  await applyPolicies(ctx, policies, positions.map((p) => p.market));
  const bot = new LiquidationBot(ctx, saleDex, options.liquidator, liquidator);
  const feedStart = await getFeedPrice(ctx, feed);
  const state = await Promise.all(positions.map(async (p) => {
    const pos = await p.market.position(p.account);
    return {
      start: pos,
      minHf: pos.healthFactorWad,
      hfPath: [] as bigint[],
      firstLiq: null as bigint | null,
      liquidations: 0,
      predicted: policyReadsFeed(policyOf(p.market, policies), feed) && pos.healthFactorWad > 0n ? (feedStart * WAD) / pos.healthFactorWad : null,
    };
  }));
  const outcomes: { o: LiquidationOutcome; feedE8: bigint }[] = [];
  const pointRows: RunReport["points"] = [];
  const byMarket = new Map<string, { market: LendingMarket; accounts: string[] }>();
  for (const p of positions) {
    const e = byMarket.get(p.market.key) ?? { market: p.market, accounts: [] };
    e.accounts.push(p.account);
    byMarket.set(p.market.key, e);
  }
  await walkPath(ctx, feed, points, async (point) => {
    let count = 0;
    for (const { market, accounts } of byMarket.values()) {
      for (const o of await bot.sweep(market, accounts)) {
        outcomes.push({ o, feedE8: point.priceE8 });
        count++;
        const idx = positions.findIndex((p) => p.market.key === market.key && p.account.toLowerCase() === o.record.borrower.toLowerCase());
        if (idx >= 0) {
          state[idx].liquidations++;
          if (state[idx].firstLiq === null) state[idx].firstLiq = point.priceE8;
        }
      }
    }
    for (const [i, p] of positions.entries()) {
      const hf = (await p.market.position(p.account)).healthFactorWad;
      state[i].hfPath.push(hf);
      if (hf < state[i].minHf) state[i].minHf = hf;
    }
    if (count > 0) log(`  ${feed} ${Number(point.priceE8) / 1e8}: ${count} liquidation(s)`);
    pointRows.push({ block: (await ctx.provider.getBlockNumber()), feedPriceE8: point.priceE8.toString(), dexUsdeUsdcWad: (await dex.price("USDe", "USDC")).toString(), liquidations: count });
  });

  const rows = outcomes.map(({ o, feedE8 }) => liquidationRow(o, feedE8));
  const positionRows: RunReport["positions"] = [];
  for (const [i, p] of positions.entries()) {
    const end = await p.market.position(p.account);
    const s = state[i];
    positionRows.push({
      account: p.account,
      market: p.market.key,
      loop: p.loop ? { initialToken: p.loop.params.initialSymbol, initialRaw: p.loop.params.initialRaw.toString(), rounds: p.loop.params.rounds, targetLtvWad: p.loop.params.targetLtvWad.toString() } : null,
      collateralRaw: (s.start.collateral[0]?.amountRaw ?? 0n).toString(),
      debtRaw: (s.start.debt[0]?.amountRaw ?? 0n).toString(),
      healthFactorStartWad: s.start.healthFactorWad.toString(),
      predictedLiquidationFeedE8: s.predicted === null ? null : s.predicted.toString(),
      observedFirstLiquidationFeedE8: s.firstLiq === null ? null : s.firstLiq.toString(),
      minHealthFactorWad: s.minHf.toString(),
      healthFactorPathWad: s.hfPath.map(String),
      liquidations: s.liquidations,
      finalCollateralRaw: (end.collateral[0]?.amountRaw ?? 0n).toString(),
      finalDebtRaw: (end.debt[0]?.amountRaw ?? 0n).toString(),
    });
  }
  return {
    policies,
    points: pointRows,
    refusals: bot.refusals,
    positions: positionRows,
    liquidations: rows,
    totals: {
      ...liquidationTotals(rows, (s) => tokenDecimals(ctx, s as TokenSymbol)),
      positionsLiquidated: state.filter((s) => s.liquidations > 0).length,
    },
  };
}
