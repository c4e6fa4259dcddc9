/**
 * Threshold verification for many positions, in a process of its own: the embedded chain with mainnet's defaults,
 * every oracle on the market feed, BENCH_POSITIONS borrowers (default 100) spread over Aave's and Morpho's USDe and
 * sUSDe markets at several sizes and LTVs, then each one's liquidation (and, on Aave, close-factor) boundary predicted
 * and found on chain (src/metrics/thresholds.ts): BENCH_SEARCH chooses the search, from the prediction (the default)
 * or bisection over [1e-8, now] without it. Writes its figures as JSON to BENCH_OUT (bench/run.ts gathers them);
 * never asserts anything.
 */
import fs from "fs";
import os from "os";
import path from "path";
import hre from "hardhat";
import { tokenDecimals, type ChainContext } from "../src/chain/context";
import { deal } from "../src/chain/cheats";
import { actorAddress, actorSigner } from "../src/actors/accounts";
import { defaultEmbeddedParams } from "../src/embedded/params";
import { verifyThresholds, type ThresholdOptions } from "../src/metrics/thresholds";
import { applyAavePolicy } from "../src/protocols/aave-v3";
import { applyMorphoPolicy } from "../src/protocols/morpho-blue";
import { openMarket } from "../src/protocols/registry";
import { deployEmbeddedContext } from "../src/session/embedded";
import { splitSigners } from "../src/session";
import { chooseBackend } from "../src/session/backend";
import { PERCENTAGE_FACTOR } from "../src/constants";

const DEFAULT_POSITIONS = 100;
/** A bound on what BENCH_POSITIONS may ask (each position is a few transactions and ~4 probes). */
const MAX_POSITIONS = 2_000;
const AAVE_MARKETS = ["aave-v3:USDe/USDC:emode-2", "aave-v3:sUSDe/USDT:emode-2", "aave-v3:USDe/USDT:emode-2"];
const MORPHO_MARKETS = ["morpho-blue:sUSDe/USDC-91.5", "morpho-blue:USDe/DAI-91.5", "morpho-blue:USDe/USDT-91.5"];
const MARKETS = [...AAVE_MARKETS, ...MORPHO_MARKETS];
/** Whole debt tokens per position: both sides of Aave's $2,000 close-factor rule, up to a large loop. */
const DEBTS_WHOLE = [1_500n, 4_000n, 25_000n, 250_000n];
/** Debt over collateral value at a price of 1 (bps): each under the markets' LTV (Aave E-mode 90%, Morpho 91.5%). */
const LTVS_BPS = [7_000n, 8_000n, 8_800n];
const FEED = "USDe/USD";
const SEARCHES = ["from-prediction", "bisection"] as const;
type ThresholdSearch = NonNullable<ThresholdOptions["search"]>;

export interface ThresholdRunFigures {
  positions: number;
  search: ThresholdSearch;
  markets: string[];
  backend: string;
  /** Deployment, and the borrowers opened (before any search). */
  deployMs: number;
  openMs: number;
  /** Every position's boundaries, predicted and found on chain. */
  searchMs: number;
  msPerPosition: number;
  /** On-chain probes in all (each one a snapshot, a feed write and a liquidation attempt). */
  probes: number;
  /** Positions whose on-chain boundary differs from the prediction (liquidation or close factor). */
  differing: number;
  maxDifferenceE8: string;
  peakRssBytes: number;
}

async function openPositions(ctx: ChainContext, count: number): Promise<{ market: string; account: string }[]> {
  await applyAavePolicy(ctx, "market");
  for (const key of MORPHO_MARKETS) await applyMorphoPolicy(ctx, key.slice("morpho-blue:".length), "market");
  const out: { market: string; account: string }[] = [];
  for (let i = 0; i < count; i++) {
    const key = MARKETS[i % MARKETS.length];
    const market = openMarket(ctx, key);
    const debtWhole = DEBTS_WHOLE[Math.floor(i / MARKETS.length) % DEBTS_WHOLE.length];
    const ltvBps = LTVS_BPS[Math.floor(i / (MARKETS.length * DEBTS_WHOLE.length)) % LTVS_BPS.length];
    const account = actorAddress("bench-thresholds", `position:${i}`);
    const user = await actorSigner(ctx, account);
    const collateralRaw =
      ((debtWhole * PERCENTAGE_FACTOR) / ltvBps) * 10n ** BigInt(tokenDecimals(ctx, market.collateral));
    await deal(ctx, market.collateral, user, collateralRaw);
    await market.prepare(user);
    await market.supplyCollateral(user, collateralRaw);
    await market.borrow(user, debtWhole * 10n ** BigInt(tokenDecimals(ctx, market.debt)));
    out.push({ market: key, account });
  }
  return out;
}

async function main(): Promise<void> {
  const out = process.env.BENCH_OUT ?? path.join(os.tmpdir(), "loopstress-bench-thresholds.json");
  const positions = Number(process.env.BENCH_POSITIONS ?? DEFAULT_POSITIONS);
  if (!Number.isInteger(positions) || positions < 1 || positions > MAX_POSITIONS) {
    throw new Error(`BENCH_POSITIONS: ${process.env.BENCH_POSITIONS} is not a whole number in 1..${MAX_POSITIONS}`);
  }
  const search = (process.env.BENCH_SEARCH ?? "from-prediction") as ThresholdSearch;
  if (!SEARCHES.includes(search)) throw new Error(`BENCH_SEARCH: ${search} is not one of ${SEARCHES.join(", ")}`);
  const backend = chooseBackend(process.env.BENCH_BACKEND, process.env);
  const { openTaskChain } = await import("../tasks/session");
  const chain = await openTaskChain(hre, backend);
  const t0 = performance.now();
  const { deployer, liquidator } = splitSigners(chain.signers);
  const ctx = await deployEmbeddedContext(chain.provider, deployer, defaultEmbeddedParams());
  const t1 = performance.now();
  const opened = await openPositions(ctx, positions);
  const t2 = performance.now();
  let probes = 0;
  let differing = 0;
  let maxDifferenceE8 = 0n;
  for (const p of opened) {
    const r = await verifyThresholds(ctx, openMarket(ctx, p.market), p.account, FEED, liquidator, { search });
    probes += r.liquidation.onChain.probes + (r.closeFactor?.onChain.probes ?? 0);
    const diffs = [BigInt(r.liquidation.differenceE8), BigInt(r.closeFactor?.differenceE8 ?? 0)];
    if (diffs.some((d) => d !== 0n)) differing++;
    for (const d of diffs) if (d > maxDifferenceE8) maxDifferenceE8 = d;
  }
  const t3 = performance.now();
  await chain.close();
  const figures: ThresholdRunFigures = {
    positions,
    search,
    markets: MARKETS,
    backend,
    deployMs: Math.round(t1 - t0),
    openMs: Math.round(t2 - t1),
    searchMs: Math.round(t3 - t2),
    msPerPosition: Math.round(((t3 - t2) / positions) * 10) / 10,
    probes,
    differing,
    maxDifferenceE8: maxDifferenceE8.toString(),
    // ru_maxrss is in kilobytes on Linux.
    peakRssBytes: process.resourceUsage().maxRSS * 1024,
  };
  fs.writeFileSync(out, JSON.stringify(figures, null, 2));
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
