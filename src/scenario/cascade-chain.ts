/** The embedded chain a cascade scenario asks for: the defaults with its DEX depth overrides (checked by name). */
import { EmbeddedParams, defaultEmbeddedParams } from "../embedded/params";
import { InputError } from "../errors";
import { MAX_POOL_DEPTH_TOKENS } from "../domain/bounds";
import type { CascadeScenario } from "./cascade-schema";

export function embeddedParamsFor(s: CascadeScenario): EmbeddedParams {
  const params = defaultEmbeddedParams();
  params.aave.release = s.chain.aaveRelease;
  for (const [key, depth] of Object.entries(s.dex.depthPerSide)) {
    const pool = params.uniswap.pools.find((p) => p.key === key);
    if (!pool)
      throw new InputError(
        `dex.depthPerSide["${key}"]`,
        "unknown pool",
        `use one of ${params.uniswap.pools.map((p) => p.key).join(", ")}`,
      );
    if (BigInt(depth) > MAX_POOL_DEPTH_TOKENS) {
      throw new InputError(
        `dex.depthPerSide["${key}"]`,
        `${depth} USDe per side is over the bound of ${MAX_POOL_DEPTH_TOKENS}`,
        "give a depth in whole tokens, e.g. 20000000",
      );
    }
    pool.depthPerSide = BigInt(depth);
  }
  return params;
}
