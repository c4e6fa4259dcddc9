/**
 * Threshold verification, for auditors: the feed price at which a position becomes liquidatable, computed
 * analytically from on-chain state with the protocol's own formulas (LendingMarket.liquidationModel), then found
 * on chain with snapshots: the largest price at which a real liquidation succeeds against the smallest at which the
 * protocol refuses it with its own error. For Aave, the same for the 100% close factor: the largest price at which
 * one liquidation may repay more than half the debt (HF <= 0.95, or on the origin line a reserve under $2,000).
 *
 * The on-chain search starts from the predicted boundary and widens by doubling steps until it brackets the real
 * one, then bisects: it finds what a bisection over [1e-8, now] finds (the predicates are monotone in the price),
 * with two probes when the model is exact. Each probe repays whatever the protocol allows (MaxUint256), so that it
 * succeeds whenever the position is liquidatable, whatever the size of the position (origin line: the $2,000 close
 * factor rule and the $1,000 dust rule).
 *
 * Every probe is the same two transactions from the same snapshot (set the feed, liquidate), so their blocks have
 * the same timestamps and the model is evaluated at that timestamp.
 */
import { sameAddress } from "../domain/address";
import { MaxUint256, Signer } from "ethers";
import type { ChainContext } from "../chain/context";
import { SECONDS_PER_BLOCK, latestBlock } from "../chain/clock";
import { deal, revertTo, snapshot } from "../chain/cheats";
import { RevertError } from "../chain/errors";
import { InputError } from "../errors";
import { AAVE_CLOSE_FACTOR_HF_THRESHOLD } from "../constants";
import { feedAddress, getFeedPrice, setFeedPrice } from "../oracles/feeds";
import type { LendingMarket, LiquidationModel } from "../protocols/lending-market";
import { ensureAllowance } from "../chain/erc20";

export interface Boundary {
  /** Largest feed price (E8) at which the predicate holds. */
  largestTrueE8: string;
  /** Smallest feed price (E8) at which it does not. */
  smallestFalseE8: string;
}

/**
 * Where the 100% close factor starts, as the model places it:
 * - "none": the protocol has no close factor (Morpho: one liquidation may repay the whole debt); no boundary;
 * - "health-factor": at HF 0.95, below the liquidation price;
 * - "reserve-value": where the collateral reserve falls under $2,000 (origin line, MIN_BASE_MAX_CLOSE_FACTOR_THRESHOLD),
 *   between HF 0.95 and 1;
 * - "liquidation": at the liquidation boundary itself: the position is small enough (origin line: its collateral or
 *   debt reserve is under $2,000 there) that every liquidation may repay everything, so the two boundaries are one.
 */
export const FULL_CLOSE_FACTOR_FROM = ["none", "health-factor", "reserve-value", "liquidation"] as const;
export type FullCloseFactorFrom = (typeof FULL_CLOSE_FACTOR_FROM)[number];

export interface ThresholdReport {
  market: string;
  account: string;
  feed: string;
  model: string;
  protocolVersion: string;
  feedPriceNowE8: string;
  liquidation: {
    analytic: Boundary;
    onChain: Boundary & { probes: number; refusal: string };
    /** |analytic - on-chain| in oracle units (E8): 0 when the model reproduces the protocol exactly. */
    differenceE8: string;
  };
  /** What sets the close-factor boundary (see FULL_CLOSE_FACTOR_FROM); "none" exactly when `closeFactor` is absent. */
  fullCloseFactorFrom: FullCloseFactorFrom;
  /** Aave only: the largest price at which one liquidation may repay more than half the debt. */
  closeFactor?: {
    analytic: Boundary;
    onChain: Boundary & { probes: number };
    differenceE8: string;
  };
}

interface Found {
  lo: bigint;
  hi: bigint;
  probes: number;
}

/** Largest p in [lo, hi] with pred(p) true, given pred(lo) true and pred(hi) false (monotone); ends not evaluated. */
async function bisect(lo: bigint, hi: bigint, pred: (p: bigint) => Promise<boolean> | boolean): Promise<Found> {
  let probes = 0;
  while (hi - lo > 1n) {
    const mid = (lo + hi) / 2n;
    probes++;
    if (await pred(mid)) lo = mid;
    else hi = mid;
  }
  return { lo, hi, probes };
}

/**
 * The same boundary as `bisect(min, max, pred)`, searched outward from `guess` with doubling steps, then bisected:
 * two probes when the guess (the model's boundary) is exact, ~2·log2(error) otherwise, instead of ~27 per boundary.
 * pred(min) is taken as true and pred(max) as false, as in `bisect`.
 */
async function searchFrom(
  guess: bigint,
  min: bigint,
  max: bigint,
  pred: (p: bigint) => Promise<boolean>,
): Promise<Found> {
  let probes = 0;
  const at = async (p: bigint): Promise<boolean> => {
    if (p <= min) return true;
    if (p >= max) return false;
    probes++;
    return pred(p);
  };
  const start = guess < min ? min : guess >= max ? max - 1n : guess;
  let lo: bigint;
  let hi: bigint;
  let step = 1n;
  if (await at(start)) {
    lo = start;
    for (hi = start + step; await at(hi); hi = start + step > max ? max : start + step) {
      lo = hi;
      step *= 2n;
    }
  } else {
    hi = start;
    for (lo = start - step; !(await at(lo)); lo = start - step < min ? min : start - step) {
      hi = lo;
      step *= 2n;
    }
  }
  const rest = await bisect(lo, hi, at);
  return { lo: rest.lo, hi: rest.hi, probes };
}

const abs = (x: bigint) => (x < 0n ? -x : x);
const boundaryOf = (f: Found): Boundary => ({ largestTrueE8: f.lo.toString(), smallestFalseE8: f.hi.toString() });

export interface ThresholdOptions {
  /**
   * How the on-chain boundaries are searched: "from-prediction" (default) widens from the model's boundary, two
   * probes when it is exact; "bisection" bisects [1e-8, now] without it (~27 probes per boundary), for an audit that
   * must not lean on the model even for its starting point.
   */
  search?: "from-prediction" | "bisection";
}

/** Share of the debt repaid when repaying everything the Pool allows would leave dust (origin line), bps. */
const DUST_FALLBACK_REPAY_BPS = 100n;

export async function verifyThresholds(
  ctx: ChainContext,
  market: LendingMarket,
  account: string,
  feed: string,
  liquidator: Signer,
  options: ThresholdOptions = {},
): Promise<ThresholdReport> {
  const feedAddr = feedAddress(ctx, feed, "--feed");
  if (sameAddress(await liquidator.getAddress(), account)) {
    throw new InputError("liquidator", "must differ from the borrower (no self-liquidation)");
  }
  const pos = await market.position(account);
  if (pos.debt.every((d) => d.amountRaw === 0n))
    throw new InputError("account", `${account} has no debt on ${market.key}`, "open a position first");
  const risk = await market.riskParams();
  const priceNow = await getFeedPrice(ctx, feed);

  // The liquidator's inventory and approval come before the base snapshot, so probes do not repeat them. Twice the
  // debt: a probe may repay all of it, with interest.
  const debtRaw = pos.debt[0].amountRaw;
  await deal(ctx, market.debt, liquidator, debtRaw * 2n);
  await ensureAllowance(ctx, liquidator, market.debt, market.spender, MaxUint256);

  let base = await snapshot(ctx.provider);
  const { timestamp } = await latestBlock(ctx.provider);
  // Probe = set the feed (+1 block), liquidate (+1 block).
  const model: LiquidationModel = await market.liquidationModel(
    account,
    feedAddr,
    timestamp + 2n * BigInt(SECONDS_PER_BLOCK),
  );
  if (model.liquidatable(priceNow)) {
    await revertTo(ctx.provider, base);
    throw new InputError(
      "account",
      `${account} is already liquidatable at the current ${feed} price ${priceNow}`,
      "verify a healthy position",
    );
  }
  if (!model.liquidatable(1n)) {
    await revertTo(ctx.provider, base);
    throw new InputError(
      "feed",
      `${market.key} stays healthy even at a ${feed} price of 1e-8: the feed does not drive this position`,
    );
  }
  const analytic = await bisect(1n, priceNow, (p) => model.liquidatable(p));
  const search = (guess: bigint, min: bigint, max: bigint, pred: (p: bigint) => Promise<boolean>) =>
    options.search === "bisection" ? bisect(min, max, pred) : searchFrom(guess, min, max, pred);

  const refusals = new Map<bigint, string>();
  /** One liquidation attempt from the base snapshot; the debt repaid, or undefined when the protocol refused. */
  const probe = async (priceE8: bigint, repayRaw: bigint): Promise<bigint | undefined> => {
    await revertTo(ctx.provider, base);
    base = await snapshot(ctx.provider);
    await setFeedPrice(ctx, feed, priceE8);
    try {
      return (await market.liquidate(liquidator, account, repayRaw)).repaidRaw;
    } catch (err) {
      if (err instanceof RevertError) {
        refusals.set(priceE8, err.reason);
        return undefined;
      }
      throw err;
    }
  };
  // MaxUint256 lets the protocol cap the repayment at what it allows (close factor, collateral), which no rule
  // refuses on a liquidatable position: it repays everything, takes all the collateral, or (a 50% close factor,
  // so both reserves are over $2,000) leaves half the debt. The one exception, on the origin line, is a 50%
  // liquidation that would leave under $1,000 of collateral (MustNotLeaveDust): a smaller repayment leaves more of
  // both, and 1% of a debt over $2,000 leaves 99% of it, over $1,000: accepted whenever the position is liquidatable.
  const fallbackRepayRaw = (model.debtRaw * DUST_FALLBACK_REPAY_BPS) / 10_000n || 1n;
  const liquidates = async (p: bigint): Promise<boolean> => {
    if ((await probe(p, MaxUint256)) !== undefined) return true;
    if (!/MustNotLeaveDust/.test(refusals.get(p) ?? "")) return false;
    return (await probe(p, fallbackRepayRaw)) !== undefined;
  };
  try {
    const onChain = await search(analytic.lo, 1n, priceNow, liquidates);
    let probes = onChain.probes;
    // The refusal reported is the one at the boundary.
    if (!refusals.has(onChain.hi)) {
      await liquidates(onChain.hi);
      probes++;
    }
    const report: ThresholdReport = {
      market: market.key,
      account,
      feed,
      model: model.description,
      protocolVersion: risk.version,
      feedPriceNowE8: priceNow.toString(),
      liquidation: {
        analytic: boundaryOf(analytic),
        onChain: { ...boundaryOf(onChain), probes, refusal: refusals.get(onChain.hi) ?? "" },
        differenceE8: abs(analytic.lo - onChain.lo).toString(),
      },
      fullCloseFactorFrom: "none",
    };
    const full = model.fullCloseFactor;
    if (full) {
      // From a price where HF <= 0.90 (the 100% close factor holds under every rule) up to the first price that is
      // not liquidatable: the 100% close factor only counts where a liquidation is allowed at all.
      const lowHf = await bisect(1n, analytic.lo, (p) => model.healthFactorWad(p) <= 90n * 10n ** 16n);
      const cfAnalytic = await bisect(lowHf.lo, analytic.hi, (p) => model.liquidatable(p) && full(p));
      // Repaying everything allowed repays half the debt under the 50% close factor and, at HF >= 0.90, over 90% of
      // it under the 100% one (the collateral covers that much). Three quarters of the debt tells them apart: "more
      // than half" does not, as the Pool halves the debt accrued to the liquidation's block, which for a debt token
      // of 18 decimals (USDS) is more units than the modelled debt's half + 1.
      const threeQuarters = (model.debtRaw * 3n) / 4n;
      const cfOnChain = await search(
        cfAnalytic.lo,
        lowHf.lo,
        onChain.hi,
        async (p) => ((await probe(p, MaxUint256)) ?? 0n) > threeQuarters,
      );
      report.fullCloseFactorFrom =
        cfAnalytic.lo === analytic.lo
          ? "liquidation"
          : model.healthFactorWad(cfAnalytic.hi) > AAVE_CLOSE_FACTOR_HF_THRESHOLD &&
              model.healthFactorWad(cfAnalytic.lo) <= AAVE_CLOSE_FACTOR_HF_THRESHOLD
            ? "health-factor"
            : "reserve-value";
      report.closeFactor = {
        analytic: boundaryOf(cfAnalytic),
        onChain: { ...boundaryOf(cfOnChain), probes: cfOnChain.probes },
        differenceE8: abs(cfAnalytic.lo - cfOnChain.lo).toString(),
      };
    }
    return report;
  } finally {
    await revertTo(ctx.provider, base);
  }
}
