/** A DEX of the chain profile named by the user: "uniswap-v3", or "curve:<pool key>". */
import type { ChainContext } from "../chain/context";
import { InputError } from "../errors";
import { CURVE_VENUE_NAME_PREFIX, CurveStableSwapDex } from "./curve-stableswap";
import type { Dex } from "./dex";
import { UNISWAP_V3_VENUE_NAME, UniswapV3Dex } from "./uniswap-v3";

export const UNISWAP_V3_VENUE = UNISWAP_V3_VENUE_NAME;
export const CURVE_VENUE_PREFIX = CURVE_VENUE_NAME_PREFIX;

export function openDex(ctx: ChainContext, venue: string, field = "venue"): Dex {
  if (venue === UNISWAP_V3_VENUE) return new UniswapV3Dex(ctx);
  if (venue.startsWith(CURVE_VENUE_PREFIX)) {
    try {
      return new CurveStableSwapDex(ctx, venue.slice(CURVE_VENUE_PREFIX.length));
    } catch (err) {
      if (err instanceof InputError) throw err.atField(field);
      throw err;
    }
  }
  throw new InputError(field, `unknown venue "${venue}"`, "use uniswap-v3 or curve:<pool key>");
}
