/**
 * The embedded chain a cascade scenario asks for: the defaults plus the Curve USDe pool (cascades sell on every
 * venue), with its DEX depth overrides (checked by name). A pool with an opening depth is deployed at it and thinned
 * to its run depth once the population is open (`thinPools`).
 */
import type { Signer } from "ethers";
import type { UniswapV3Dex } from "../dex/uniswap-v3";
import { CURVE_VENUE_PREFIX } from "../dex/venue";
import { EMBEDDED_CURVE_USDE_POOL, EmbeddedParams, defaultEmbeddedParams } from "../embedded/params";
import { InputError } from "../errors";
import type { CascadeScenario } from "./cascade-schema";

const BPS = 10_000n;

export function embeddedParamsFor(s: CascadeScenario): EmbeddedParams {
  const params = defaultEmbeddedParams();
  params.aave.release = s.chain.aaveRelease;
  const curve = { ...EMBEDDED_CURVE_USDE_POOL };
  params.curve.pools = [curve];
  const curveVenue = `${CURVE_VENUE_PREFIX}${curve.key}`;
  for (const [key, depth] of Object.entries(s.dex.depthPerSide)) {
    if (key === curveVenue) {
      curve.depthPerCoin = BigInt(depth);
      continue;
    }
    const pool = params.uniswap.pools.find((p) => p.key === key);
    if (!pool)
      throw new InputError(
        `dex.depthPerSide["${key}"]`,
        "unknown pool",
        `use one of ${[...params.uniswap.pools.map((p) => p.key), curveVenue].join(", ")}`,
      );
    pool.depthPerSide = BigInt(s.dex.openingDepthPerSide[key] ?? depth);
  }
  for (const [key, opening] of Object.entries(s.dex.openingDepthPerSide)) {
    const field = `dex.openingDepthPerSide["${key}"]`;
    const run = s.dex.depthPerSide[key];
    if (run === undefined || !params.uniswap.pools.some((p) => p.key === key))
      throw new InputError(
        field,
        "names no Uniswap pool of dex.depthPerSide",
        "give the pool's run depth under dex.depthPerSide",
      );
    if (opening < run)
      throw new InputError(
        field,
        `${opening} is below the run depth ${run}`,
        "the opening depth must be at least the run depth",
      );
  }
  return params;
}

/** What thinning did to one pool: its depth before and after, and the share of its liquidity withdrawn. */
export interface ThinnedPool {
  pool: string;
  openingDepthPerSide: number;
  depthPerSide: number;
  withdrawnBps: number;
}

/** Thins each pool with an opening depth to its run depth: its LPs (the deployer) withdraw the difference. */
export async function thinPools(dex: UniswapV3Dex, lp: Signer, s: CascadeScenario): Promise<ThinnedPool[]> {
  const params = defaultEmbeddedParams();
  const out: ThinnedPool[] = [];
  for (const [key, opening] of Object.entries(s.dex.openingDepthPerSide)) {
    const run = s.dex.depthPerSide[key];
    const pool = params.uniswap.pools.find((p) => p.key === key);
    if (run === undefined || !pool || run >= opening) continue;
    const withdrawnBps = BPS - (BigInt(run) * BPS) / BigInt(opening);
    await dex.withdrawLiquidity(lp, pool.tokenA, pool.tokenB, withdrawnBps);
    out.push({ pool: key, openingDepthPerSide: opening, depthPerSide: run, withdrawnBps: Number(withdrawnBps) });
  }
  return out;
}
