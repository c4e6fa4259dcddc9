/**
 * Checks, from the embedded chain's parameters alone, that a scenario names only what that chain will have: feeds,
 * markets, DEX venues and pools. Run before anything is deployed, so a typo costs no deployment.
 */
import type { EmbeddedParams } from "../embedded/params";
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
