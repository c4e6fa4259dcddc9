/**
 * Threshold verification, for auditors: the feed price at which a position becomes liquidatable, computed
 * analytically from on-chain state with the protocol's own formulas (LendingMarket.liquidationModel), then found
 * on chain by bisection with snapshots: the largest price at which a real liquidation succeeds against the
 * smallest at which the protocol refuses it with its own error. For Aave, the same for the health factor at which
 * the close factor becomes 100%.
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
import { feedAddress, getFeedPrice, setFeedPrice } from "../oracles/feeds";
import type { LendingMarket, LiquidationModel } from "../protocols/lending-market";
import { ensureAllowance } from "../chain/erc20";

export interface Boundary {
  /** Largest feed price (E8) at which the predicate holds. */
  largestTrueE8: string;
  /** Smallest feed price (E8) at which it does not. */
  smallestFalseE8: string;
}

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
  /** Aave only. */
  closeFactor?: {
    analytic: Boundary;
    onChain: Boundary & { probes: number };
    differenceE8: string;
  };
}

/** Largest p in [lo, hi] with pred(p) true, given pred(lo) true and pred(hi) false (monotone). */
async function bisect(
  lo: bigint,
  hi: bigint,
  pred: (p: bigint) => Promise<boolean> | boolean,
): Promise<{ lo: bigint; hi: bigint; probes: number }> {
  let probes = 0;
  while (hi - lo > 1n) {
    const mid = (lo + hi) / 2n;
    probes++;
    if (await pred(mid)) lo = mid;
    else hi = mid;
  }
  return { lo, hi, probes };
}

const abs = (x: bigint) => (x < 0n ? -x : x);

export interface ThresholdOptions {
  /** Share of the debt each liquidation probe repays, bps (default 100 = 1%). */
  probeRepayBps?: bigint;
}

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

  // The liquidator's inventory and approval come before the base snapshot, so probes do not repeat them.
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

  let lastRefusal = "";
  const repayBps = options.probeRepayBps ?? 100n;
  const probe = async (priceE8: bigint, repayRaw: bigint): Promise<bigint | undefined> => {
    await revertTo(ctx.provider, base);
    base = await snapshot(ctx.provider);
    await setFeedPrice(ctx, feed, priceE8);
    try {
      return (await market.liquidate(liquidator, account, repayRaw)).repaidRaw;
    } catch (err) {
      if (err instanceof RevertError) {
        lastRefusal = err.reason;
        return undefined;
      }
      throw err;
    }
  };
  const smallRepay = (model.debtRaw * repayBps) / 10_000n || 1n;
  try {
    const onChain = await bisect(1n, priceNow, async (p) => (await probe(p, smallRepay)) !== undefined);
    // Make sure the refusal recorded is the one at the boundary.
    await probe(onChain.hi, smallRepay);
    const report: ThresholdReport = {
      market: market.key,
      account,
      feed,
      model: model.description,
      protocolVersion: risk.version,
      feedPriceNowE8: priceNow.toString(),
      liquidation: {
        analytic: { largestTrueE8: analytic.lo.toString(), smallestFalseE8: analytic.hi.toString() },
        onChain: {
          largestTrueE8: onChain.lo.toString(),
          smallestFalseE8: onChain.hi.toString(),
          probes: onChain.probes + 1,
          refusal: lastRefusal,
        },
        differenceE8: abs(analytic.lo - onChain.lo).toString(),
      },
    };
    const full = model.fullCloseFactor;
    if (full) {
      // Between a price where HF is well below 0.95 (collateral still covering 75% of the debt) and the liquidation price.
      const lowHf = await bisect(1n, analytic.lo, (p) => model.healthFactorWad(p) <= 90n * 10n ** 16n);
      const cfAnalytic = await bisect(lowHf.lo, analytic.lo, (p) => full(p));
      // Asking for 75% of the debt gets 75% under the 100% close factor and 50% under the default one.
      const ask = (model.debtRaw * 3n) / 4n;
      const cfOnChain = await bisect(
        lowHf.lo,
        onChain.lo,
        async (p) => ((await probe(p, ask)) ?? 0n) > model.debtRaw / 2n + 1n,
      );
      report.closeFactor = {
        analytic: { largestTrueE8: cfAnalytic.lo.toString(), smallestFalseE8: cfAnalytic.hi.toString() },
        onChain: {
          largestTrueE8: cfOnChain.lo.toString(),
          smallestFalseE8: cfOnChain.hi.toString(),
          probes: cfOnChain.probes,
        },
        differenceE8: abs(cfAnalytic.lo - cfOnChain.lo).toString(),
      };
    }
    return report;
  } finally {
    await revertTo(ctx.provider, base);
  }
}
