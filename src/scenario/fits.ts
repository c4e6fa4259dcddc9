/**
 * Checks, from the embedded chain's parameters alone, that a scenario names only what that chain will have: feeds,
 * markets, DEX venues and pools. Run before anything is deployed, so a typo costs no deployment.
 */
import type { DeploymentRecord } from "../chain/deployments";
import type { EmbeddedParams } from "../embedded/params";
import { parseAaveMarketKey } from "../protocols/aave-v3";
import type { ProtocolName } from "../protocols/lending-market";
import { PROTOCOL_NAMES } from "../protocols/registry";
import { plannedMarket } from "../embedded/markets";
import { FEED_NAMES } from "../domain/feeds";
import { CURVE_VENUE_PREFIX, UNISWAP_V3_VENUE } from "../dex/venue";
import { InputError } from "../errors";
import type { TokenSymbol } from "../domain/tokens";
import { UNISWAP_HUB } from "../dex/uniswap-v3";
import { ORACLE_FEEDS } from "../oracles/policy";
import type { CascadeScenario } from "./cascade-schema";
import type { DepegScenario } from "./depeg-schema";
import { checkPopulationFits, planPopulation } from "./population";

function checkFeed(feed: string, field: string): void {
  const known = [...FEED_NAMES, ...Object.values(ORACLE_FEEDS)] as string[];
  if (!known.includes(feed)) throw new InputError(field, `unknown feed "${feed}"`, `use one of ${known.join(", ")}`);
}

function checkVenue(params: EmbeddedParams, venue: string, field: string): void {
  if (venue === UNISWAP_V3_VENUE) return;
  const pools = params.curve.pools.map((p) => p.key);
  if (venue.startsWith(CURVE_VENUE_PREFIX) && pools.includes(venue.slice(CURVE_VENUE_PREFIX.length))) return;
  throw new InputError(
    field,
    `unknown venue "${venue}" on this embedded chain`,
    pools.length > 0
      ? `use ${UNISWAP_V3_VENUE} or one of ${pools.map((p) => CURVE_VENUE_PREFIX + p).join(", ")}`
      : `use ${UNISWAP_V3_VENUE}, or add --curve for ${CURVE_VENUE_PREFIX}USDe/USDC/USDT/DAI`,
  );
}

function checkUniswapPool(params: EmbeddedParams, key: string, field: string): void {
  const pools = params.uniswap.pools.map((p) => p.key);
  if (!pools.includes(key)) throw new InputError(field, `unknown pool "${key}"`, `use one of ${pools.join(", ")}`);
}

/** A depeg scenario against the embedded chain it will run on. */
export function checkDepegFits(s: DepegScenario, params: EmbeddedParams): void {
  checkFeed(s.path.feed, "path.feed");
  s.loops.forEach((l, i) => plannedMarket(params, l.market, `loops[${i}].market`));
  (s.existing?.markets ?? []).forEach((m, i) => plannedMarket(params, m, `existing.markets[${i}]`));
  checkVenue(params, s.liquidator.venue, "liquidator.venue");
}

/** The venues a scenario sells on: those it names, else every venue of the chain. */
function scenarioVenues(s: CascadeScenario, params: EmbeddedParams): string[] {
  return s.dex.venues ?? [UNISWAP_V3_VENUE, ...params.curve.pools.map((p) => CURVE_VENUE_PREFIX + p.key)];
}

/** Whether the venues can sell `tokenIn` for `tokenOut`: a Uniswap V3 pool (direct or through USDe) or a Curve pool. */
function hasRoute(params: EmbeddedParams, venues: string[], tokenIn: TokenSymbol, tokenOut: TokenSymbol): boolean {
  const uniPool = (a: TokenSymbol, b: TokenSymbol) =>
    params.uniswap.pools.some((p) => (p.tokenA === a && p.tokenB === b) || (p.tokenA === b && p.tokenB === a));
  const uniswap =
    venues.includes(UNISWAP_V3_VENUE) &&
    (uniPool(tokenIn, tokenOut) || (uniPool(tokenIn, UNISWAP_HUB) && uniPool(UNISWAP_HUB, tokenOut)));
  const curve = params.curve.pools.some(
    (p) => venues.includes(CURVE_VENUE_PREFIX + p.key) && p.coins.includes(tokenIn) && p.coins.includes(tokenOut),
  );
  return uniswap || curve;
}

function checkRoute(
  params: EmbeddedParams,
  venues: string[],
  collateral: TokenSymbol,
  debt: TokenSymbol,
  field: string,
): void {
  if (collateral === debt || hasRoute(params, venues, collateral, debt)) return;
  throw new InputError(
    field,
    `no route to sell ${collateral} for ${debt} on ${venues.join(", ")}: liquidators could not sell what they seize`,
    "add a venue with such a pool to dex.venues, or choose another market",
  );
}

/** A cascade scenario against the embedded chain it will run on: its population, and its actors' markets and pools. */
export function checkCascadeFits(s: CascadeScenario, params: EmbeddedParams): void {
  const venues = scenarioVenues(s, params);
  (s.dex.venues ?? []).forEach((v, i) => checkVenue(params, v, `dex.venues[${i}]`));
  // Collateral the bots will sell, with the field that put it there (liquidators that keep it need no route).
  const sales: { collateral: TokenSymbol; debt: TokenSymbol; field: string }[] = [];
  s.population.groups.forEach((g, i) => {
    const field = `population.groups[${i}].market`;
    sales.push({ ...plannedMarket(params, g.market, field), field });
  });
  if (s.actors.whale) {
    const field = "actors.whale.loop.market";
    sales.push({ ...plannedMarket(params, s.actors.whale.loop.market, field), field });
    sales.push({ collateral: "WETH", debt: "USDC", field: "actors.whale.wethCollateral" });
  }
  const mm = s.actors.marketMaker;
  for (const c of Object.keys(mm?.collateral ?? {}) as TokenSymbol[])
    sales.push({ collateral: c, debt: mm!.debt, field: `actors.marketMaker.collateral.${c}` });
  const { mode, sell } = s.actors.liquidators;
  if (mode === "flash" || sell) for (const x of sales) checkRoute(params, venues, x.collateral, x.debt, x.field);
  (s.actors.liquidityWithdrawal?.pools ?? []).forEach((p, i) =>
    checkUniswapPool(params, p, `actors.liquidityWithdrawal.pools[${i}]`),
  );
  checkPopulationFits(planPopulation(s.population, s.name), params);
}

/** What a market key names on a recorded chain: its Aave reserves, or its Morpho market, by the record's keys. */
const RECORDED: Record<ProtocolName, (record: DeploymentRecord, rest: string, field: string) => void> = {
  "aave-v3": (record, rest, field) => {
    const { collateral, debt } = parseAaveMarketKey(rest, field);
    for (const symbol of [collateral, debt]) {
      if (record.aave.reserves[symbol] === undefined) {
        throw new InputError(field, `${symbol} is not an Aave reserve of profile ${record.profile}`);
      }
    }
  },
  "morpho-blue": (record, rest, field) => {
    if (record.morpho.markets[rest] === undefined) {
      throw new InputError(
        field,
        `unknown market "morpho-blue:${rest}" in profile ${record.profile}`,
        `use one of ${Object.keys(record.morpho.markets)
          .map((k) => `morpho-blue:${k}`)
          .join(", ")}`,
      );
    }
  },
};

function recordedMarket(record: DeploymentRecord, key: string, field: string): void {
  const i = key.indexOf(":");
  const protocol = key.slice(0, i) as ProtocolName;
  if (i <= 0 || !PROTOCOL_NAMES.includes(protocol)) {
    throw new InputError(field, `unknown protocol in "${key}"`, `use one of ${PROTOCOL_NAMES.join(", ")}`);
  }
  RECORDED[protocol](record, key.slice(i + 1), field);
}

/**
 * A depeg scenario against the chain a deployments file records (a fork of it, or a node serving it), before that chain
 * is opened: its feed, markets and venue must be ones the record names, so a typo costs no fork.
 */
export function checkDepegFitsRecord(s: DepegScenario, record: DeploymentRecord): void {
  checkFeed(s.path.feed, "path.feed");
  s.loops.forEach((l, i) => recordedMarket(record, l.market, `loops[${i}].market`));
  (s.existing?.markets ?? []).forEach((m, i) => recordedMarket(record, m, `existing.markets[${i}]`));
  const venue = s.liquidator.venue;
  if (venue === UNISWAP_V3_VENUE) return;
  const pools = Object.keys(record.curve?.pools ?? {});
  if (venue.startsWith(CURVE_VENUE_PREFIX) && pools.includes(venue.slice(CURVE_VENUE_PREFIX.length))) return;
  throw new InputError(
    "liquidator.venue",
    `unknown venue "${venue}" in profile ${record.profile}`,
    `use ${[UNISWAP_V3_VENUE, ...pools.map((p) => CURVE_VENUE_PREFIX + p)].join(" or ")}`,
  );
}

/** A depeg scenario before a fork of mainnet opens: the profile is built on chain, so only its vocabulary is checked. */
export function checkDepegNames(s: DepegScenario): void {
  checkFeed(s.path.feed, "path.feed");
  const keys = [...s.loops.map((l) => l.market), ...(s.existing?.markets ?? [])];
  keys.forEach((key, i) => {
    const protocol = key.slice(0, Math.max(0, key.indexOf(":"))) as ProtocolName;
    if (!PROTOCOL_NAMES.includes(protocol)) {
      const field = i < s.loops.length ? `loops[${i}].market` : `existing.markets[${i - s.loops.length}]`;
      throw new InputError(field, `unknown protocol in "${key}"`, `use one of ${PROTOCOL_NAMES.join(", ")}`);
    }
  });
}
