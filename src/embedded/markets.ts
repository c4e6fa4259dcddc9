/**
 * What a market key borrows on the embedded chain, and how much of it the deployment supplies, read from the
 * parameters alone: scenario checks run before anything is deployed. One entry per protocol of the registry.
 */
import { InputError } from "../errors";
import type { TokenSymbol } from "../domain/tokens";
import { parseAaveMarketKey } from "../protocols/aave-v3";
import type { ProtocolName } from "../protocols/lending-market";
import { PROTOCOL_NAMES } from "../protocols/registry";
import type { EmbeddedParams } from "./params";

export interface PlannedMarket {
  collateral: TokenSymbol;
  debt: TokenSymbol;
  /** Debt-token liquidity the embedded deployment supplies to the market, whole tokens. */
  liquidityWhole: bigint;
}

const wholeTokens = (params: EmbeddedParams, symbol: TokenSymbol, raw: bigint): bigint =>
  raw / 10n ** BigInt(params.tokens.find((t) => t.symbol === symbol)?.decimals ?? 18);

const rawUnits = (params: EmbeddedParams, symbol: TokenSymbol, whole: bigint): bigint =>
  whole * 10n ** BigInt(params.tokens.find((t) => t.symbol === symbol)?.decimals ?? 18);

const PLANNED: Record<ProtocolName, (params: EmbeddedParams, rest: string, field: string) => PlannedMarket> = {
  "aave-v3": (params, rest, field) => {
    const { collateral, debt } = parseAaveMarketKey(rest, field);
    for (const s of [collateral, debt]) {
      if (!params.aave.reserves.some((r) => r.asset === s)) {
        throw new InputError(field, `${s} is not an Aave reserve of the embedded chain`);
      }
    }
    return { collateral, debt, liquidityWhole: wholeTokens(params, debt, params.aave.seedSupplyRaw[debt] ?? 0n) };
  },
  "morpho-blue": (params, rest, field) => {
    const m = params.morpho.markets.find((x) => x.key === rest);
    if (!m) throw new InputError(field, `unknown market "morpho-blue:${rest}"`);
    return { collateral: m.collateral, debt: m.loan, liquidityWhole: wholeTokens(params, m.loan, m.supplyRaw) };
  },
};

/** Sets what the deployment supplies to lend, per protocol (Aave: the debt reserve's seed, shared by its markets). */
const SUPPLY: Record<
  ProtocolName,
  (params: EmbeddedParams, rest: string, market: PlannedMarket, whole: bigint) => void
> = {
  "aave-v3": (params, _rest, market, whole) => {
    params.aave.seedSupplyRaw[market.debt] = rawUnits(params, market.debt, whole);
  },
  "morpho-blue": (params, rest, market, whole) => {
    const m = params.morpho.markets.find((x) => x.key === rest);
    if (m) m.supplyRaw = rawUnits(params, market.debt, whole);
  },
};

function splitKey(key: string, field: string): { protocol: ProtocolName; rest: string } {
  const i = key.indexOf(":");
  const protocol = key.slice(0, i) as ProtocolName;
  if (i <= 0 || !PROTOCOL_NAMES.includes(protocol)) {
    throw new InputError(field, `unknown protocol in "${key}"`, `use one of ${PROTOCOL_NAMES.join(", ")}`);
  }
  return { protocol, rest: key.slice(i + 1) };
}

export function plannedMarket(params: EmbeddedParams, key: string, field: string): PlannedMarket {
  const { protocol, rest } = splitKey(key, field);
  return PLANNED[protocol](params, rest, field);
}

/** Makes the deployment supply `liquidityWhole` of the market's debt token to lend (e.g. the bench's largest copies). */
export function setPlannedLiquidity(params: EmbeddedParams, key: string, liquidityWhole: bigint, field: string): void {
  const { protocol, rest } = splitKey(key, field);
  SUPPLY[protocol](params, rest, PLANNED[protocol](params, rest, field), liquidityWhole);
}
