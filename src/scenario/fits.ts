/**
 * Checks, from the embedded chain's parameters alone, that a scenario names only what that chain will have: feeds,
 * markets, DEX venues and pools. Run before anything is deployed, so a typo costs no deployment.
 */
import type { EmbeddedParams } from "../embedded/params";
import { plannedMarket } from "../embedded/markets";
import { FEED_NAMES } from "../domain/feeds";
import { CURVE_VENUE_PREFIX, UNISWAP_V3_VENUE } from "../dex/venue";
import { InputError } from "../errors";
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

/** A cascade scenario against the embedded chain it will run on: its population, and its actors' markets and pools. */
export function checkCascadeFits(s: CascadeScenario, params: EmbeddedParams): void {
  s.population.groups.forEach((g, i) => plannedMarket(params, g.market, `population.groups[${i}].market`));
  if (s.actors.whale) plannedMarket(params, s.actors.whale.loop.market, "actors.whale.loop.market");
  (s.actors.liquidityWithdrawal?.pools ?? []).forEach((p, i) =>
    checkUniswapPool(params, p, `actors.liquidityWithdrawal.pools[${i}]`),
  );
  checkPopulationFits(planPopulation(s.population, s.name), params);
}
