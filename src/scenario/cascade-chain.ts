/**
 * The embedded chain a cascade scenario asks for: the defaults plus the Curve USDe pool (cascades sell on every
 * venue), with its DEX depth overrides (checked by name).
 */
import { EMBEDDED_CURVE_USDE_POOL, EmbeddedParams, defaultEmbeddedParams } from "../embedded/params";
import { InputError } from "../errors";
import type { CascadeScenario } from "./cascade-schema";

export function embeddedParamsFor(s: CascadeScenario): EmbeddedParams {
  const params = defaultEmbeddedParams();
  params.aave.release = s.chain.aaveRelease;
  params.curve.pools = [EMBEDDED_CURVE_USDE_POOL];
  for (const [key, depth] of Object.entries(s.dex.depthPerSide)) {
    const pool = params.uniswap.pools.find((p) => p.key === key);
    if (!pool)
      throw new InputError(
        `dex.depthPerSide["${key}"]`,
        "unknown pool",
        `use one of ${params.uniswap.pools.map((p) => p.key).join(", ")}`,
      );
    pool.depthPerSide = BigInt(depth);
  }
  return params;
}
