/**
 * Market keys → adapters. A key names the protocol and the pair:
 *   "aave-v3:USDe/USDC:emode-2"   (collateral/debt, optional E-mode category)
 *   "morpho-blue:sUSDe/USDC-91.5" (a market key of the chain profile)
 * Adding a protocol: one adapter file and one entry in PROTOCOLS.
 */
import type { ChainContext } from "../chain/context";
import { InputError } from "../errors";
import { TOKEN_SYMBOLS, TokenSymbol } from "../embedded/params";
import { AaveV3Market } from "./aave-v3";
import type { LendingMarket, ProtocolName } from "./lending-market";
import { MorphoBlueMarket } from "./morpho-blue";

type Opener = (ctx: ChainContext, rest: string, field: string) => LendingMarket;

function symbol(s: string, field: string): TokenSymbol {
  if (!TOKEN_SYMBOLS.includes(s as TokenSymbol)) throw new InputError(field, `unknown token "${s}"`, `use one of ${TOKEN_SYMBOLS.join(", ")}`);
  return s as TokenSymbol;
}

const PROTOCOLS: Record<ProtocolName, Opener> = {
  "aave-v3": (ctx, rest, field) => {
    const m = /^([A-Za-z]+)\/([A-Za-z]+)(?::emode-(\d+))?$/.exec(rest);
    if (!m) throw new InputError(field, `"aave-v3:${rest}" is not an Aave market key`, 'write e.g. "aave-v3:USDe/USDC:emode-2"');
    const collateral = symbol(m[1], field);
    const debt = symbol(m[2], field);
    for (const s of [collateral, debt]) {
      if (!ctx.record.aave.reserves[s]) throw new InputError(field, `${s} is not an Aave reserve in chain profile "${ctx.record.profile}"`);
    }
    return new AaveV3Market(ctx, { collateral, debt, eModeCategory: m[3] ? Number(m[3]) : 0 });
  },
  "morpho-blue": (ctx, rest, field) => {
    if (!ctx.record.morpho.markets[rest]) {
      throw new InputError(field, `unknown Morpho market "${rest}"`, `use one of ${Object.keys(ctx.record.morpho.markets).join(", ")}`);
    }
    return new MorphoBlueMarket(ctx, rest);
  },
};

export const PROTOCOL_NAMES = Object.keys(PROTOCOLS) as ProtocolName[];

export function openMarket(ctx: ChainContext, key: string, field = "market"): LendingMarket {
  const i = key.indexOf(":");
  const protocol = key.slice(0, i) as ProtocolName;
  const opener = i > 0 ? PROTOCOLS[protocol] : undefined;
  if (!opener) throw new InputError(field, `unknown protocol in "${key}"`, `use one of ${PROTOCOL_NAMES.join(", ")} (e.g. "aave-v3:USDe/USDC:emode-2")`);
  return opener(ctx, key.slice(i + 1), field);
}
