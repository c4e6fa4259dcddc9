/**
 * What a `market`-policy oracle reports for USDe in a cascade: the exogenous price (`path`), the USDe/USDC pool's spot
 * price (`dex`), its time-weighted average (`twap`), or the lower of path and pool (`min`). Following sets the USDe/USD
 * feed to that target when it differs (a transaction only then).
 */
import { sameAddress } from "../domain/address";
import { UniswapV3Pool__factory } from "../../typechain-types";
import type { ChainContext } from "../chain/context";
import { SECONDS_PER_BLOCK } from "../chain/clock";
import type { UniswapV3Dex } from "../dex/uniswap-v3";
import type { TokenSymbol } from "../domain/tokens";
import { getFeedPrice, setFeedPrice } from "../oracles/feeds";
import { bindContract } from "../chain/bind";

export type OracleSource = "path" | "dex" | "twap" | "min";

export const USDE_FEED = "USDe/USD";
export const DEX_PAIR: [TokenSymbol, TokenSymbol] = ["USDe", "USDC"];
/** WAD → 1e-8 USD. */
const WAD_PER_E8 = 10n ** 10n;
/** Halvings of the TWAP window tried before falling back to the spot price. */
const TWAP_ATTEMPTS = 8;

/** USDe in USDC from the pool's TWAP over `seconds` (falls back to the longest window the pool has recorded). */
async function twapWad(ctx: ChainContext, dex: UniswapV3Dex, seconds: number): Promise<bigint> {
  const poolAddress = dex.poolFor(...DEX_PAIR)!;
  const pool = bindContract(UniswapV3Pool__factory, poolAddress, ctx.provider);
  let window = seconds;
  for (let i = 0; i < TWAP_ATTEMPTS; i++) {
    try {
      const [ticks] = await pool.observe([window, 0]);
      const avgTick = Number((ticks[1] - ticks[0]) / BigInt(window));
      const usdeIs0 = sameAddress(await pool.token0(), ctx.record.tokens.USDe!.address);
      const raw1per0 = Math.pow(1.0001, avgTick);
      // Display-grade float math is enough for an oracle answer with 8 decimals.
      const usdcPerUsde = usdeIs0 ? raw1per0 * 1e12 : 1e12 / raw1per0;
      return BigInt(Math.round(usdcPerUsde * 1e8)) * WAD_PER_E8;
    } catch {
      window = Math.floor(window / 2);
      if (window < SECONDS_PER_BLOCK) break;
    }
  }
  return dex.price(...DEX_PAIR);
}

export interface OracleFollower {
  /** Sets the USDe/USD feed to what the oracle source says now, given the exogenous price `exoE8`. */
  follow(exoE8: bigint): Promise<void>;
}

export function oracleFollower(
  ctx: ChainContext,
  dex: UniswapV3Dex,
  source: OracleSource,
  twapSeconds: number,
): OracleFollower {
  const target = async (exoE8: bigint): Promise<bigint> => {
    const dexE8 = (await dex.price(...DEX_PAIR)) / WAD_PER_E8;
    switch (source) {
      case "path":
        return exoE8;
      case "dex":
        return dexE8;
      case "twap":
        return (await twapWad(ctx, dex, twapSeconds)) / WAD_PER_E8;
      case "min":
        return exoE8 < dexE8 ? exoE8 : dexE8;
    }
  };
  return {
    async follow(exoE8: bigint): Promise<void> {
      const t = await target(exoE8);
      if (t > 0n && t !== (await getFeedPrice(ctx, USDE_FEED))) await setFeedPrice(ctx, USDE_FEED, t);
    },
  };
}
