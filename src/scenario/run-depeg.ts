/**
 * Runs a depeg scenario: open the loops (real transactions) and find the existing borrowers, then hand them to the
 * scenario engine (engine.ts) as a cascade with no actors but the liquidation bots: for each oracle-policy set, from
 * the same snapshot, walk the feed's price path and let the bots sweep once per point. Everything reported is read
 * from events and state.
 */
import { aaveLogicOnChain } from "../protocols/aave-v3";
import type { Signer } from "ethers";
import { InputError } from "../errors";
import { fmtWadPct } from "../domain/format";
import type { ChainContext } from "../chain/context";
import { deal } from "../chain/cheats";
import { parseUnitsExact } from "../math/fixed-point";
import { UniswapV3Dex } from "../dex/uniswap-v3";
import { openDex } from "../dex/venue";
import type { PathPoint } from "../oracles/paths";
import { openMarket } from "../protocols/registry";
import { runIterativeLoop, validateLoopParams } from "../strategies/iterative-loop";
import { LiquidationBots } from "../actors/liquidation-bots";
import type { DepegReport } from "../report/depeg-report";
import type { DepegScenario } from "./depeg-schema";
import { PathStep, TrackedPosition, reportRunOf, runPolicySets } from "./engine";

export interface RunDepegOptions {
  /** Signers for positions (one each) and the liquidator. */
  users: Signer[];
  liquidator: Signer;
  log?: (line: string) => void;
}

export async function runDepeg(
  ctx: ChainContext,
  scenario: DepegScenario,
  options: RunDepegOptions,
): Promise<DepegReport> {
  const log = options.log ?? (() => undefined);
  // Which Aave logic this chain runs (a read: no block is mined); an unmodelled Pool revision is refused here.
  const { revision: poolRevision, release, rules } = await aaveLogicOnChain(ctx);
  const aaveLogic = { poolRevision, release, rules };
  const points = scenario.points;
  const feed = scenario.path.feed;
  if (!ctx.record.feeds[feed])
    throw new InputError(
      "path.feed",
      `unknown feed "${feed}"`,
      `use one of ${Object.keys(ctx.record.feeds).join(", ")}`,
    );

  // Validate every loop against on-chain parameters before any transaction.
  const needed = scenario.loops.reduce((n, l) => n + l.count, 0);
  if (needed > options.users.length)
    throw new InputError("loops[].count", `needs ${needed} accounts, ${options.users.length} available`);
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
      throw err instanceof InputError ? err.withField(`loops[${s.index}].`) : err;
    });
  }

  const existingMarkets = (scenario.existing?.markets ?? []).map((k, i) =>
    openMarket(ctx, k, `existing.markets[${i}]`),
  );

  const dex = new UniswapV3Dex(ctx);
  const saleDex = openDex(ctx, scenario.liquidator.venue, "liquidator.venue");
  const positions: TrackedPosition[] = [];
  if (scenario.existing) {
    // Existing borrowers first, found before the harness opens anything of its own.
    const e = scenario.existing;
    const to = e.toBlock ?? (await ctx.provider.getBlockNumber());
    for (const market of existingMarkets) {
      const found = new Set(
        [...(await market.borrowersFromEvents(e.fromBlock, to)), ...(e.accounts ?? [])].map((a) => a.toLowerCase()),
      );
      let kept = 0;
      for (const a of [...found].sort()) {
        const pos = await market.position(a);
        if (pos.debt.every((d) => d.amountRaw === 0n) || pos.collateral.every((c) => c.amountRaw === 0n)) continue;
        positions.push({ market, account: pos.account, label: `existing ${pos.account}`, loop: null });
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
      const p = loop.params;
      const row = {
        initialToken: p.initialSymbol,
        initialRaw: p.initialRaw.toString(),
        rounds: p.rounds,
        targetLtvWad: p.targetLtvWad.toString(),
      };
      positions.push({ market: s.market, account: loop.account, label: `loop ${s.market.key} #${c + 1}`, loop: row });
    }
  }
  const bots = new LiquidationBots(ctx, saleDex, options.liquidator, scenario.liquidator, "as-listed");
  const { startBlock, runs } = await runPolicySets(
    // No actors and no oracle following the pool: the feed is the path; one sweep per point.
    {
      ctx,
      dex,
      feed,
      steps: points.map(depegStep(feed)),
      positions,
      actors: [],
      bots,
      rounds: { perPoint: 1, max: points.length },
      log,
    },
    scenario.policies,
  );
  return {
    schemaVersion: 1,
    scenario: scenario.name,
    description: scenario.description,
    chain: { profile: ctx.record.profile, chainId: ctx.record.chainId, startBlock, aave: aaveLogic },
    liquidatorVenue: scenario.liquidator.venue,
    path: { feed, points: points.length },
    runs: runs.map(reportRunOf),
  };
}

/** A path point as an engine step: chain time passes, then the feed is set to the point's price. */
const depegStep =
  (feed: string) =>
  (p: PathPoint): PathStep => ({
    blocks: p.afterBlocks,
    seconds: p.afterSeconds,
    feeds: [{ feed, priceE8: p.priceE8 }],
    exogenousE8: p.priceE8,
  });
