/**
 * Unwinding a leveraged position the way a user without a flash loan must: withdraw what the protocol allows,
 * sell it for the debt token on the DEX, repay, repeat. Every sale hits the pool — this is how a whale's forced
 * unwind depegs USDe where liquidity is thin.
 */
import { MaxUint256, Signer } from "ethers";
import { WAD } from "../constants";
import type { Dex } from "../dex/dex";
import type { LendingMarket } from "../protocols/lending-market";

export interface UnwindStep {
  withdrawnRaw: bigint;
  soldForRaw: bigint;
  repaidRaw: bigint;
  dexPriceAfterWad: bigint;
  /** Where the step's sale went (SwapResult.venue). */
  venue: string;
}

export interface UnwindResult {
  market: string;
  account: string;
  steps: UnwindStep[];
  /** Collateral sold in all, and debt token received. */
  soldRaw: bigint;
  receivedRaw: bigint;
  debtLeftRaw: bigint;
  /** Debt token left over after repaying everything (the user keeps it). */
  surplusRaw: bigint;
}

export interface UnwindOptions {
  /** Stay this far below the protocol's max LTV on every withdrawal, bps of it (default 200 = 2%). */
  marginBps?: bigint;
  maxSteps?: number;
}

export async function unwind(
  market: LendingMarket,
  dex: Dex,
  user: Signer,
  options: UnwindOptions = {},
): Promise<UnwindResult> {
  const account = await user.getAddress();
  const steps: UnwindStep[] = [];
  const risk = await market.riskParams();
  const safeLtvWad = (risk.maxLtvWad * (10_000n - (options.marginBps ?? 200n))) / 10_000n;
  let sold = 0n;
  let received = 0n;
  let surplus = 0n;
  for (let i = 0; i < (options.maxSteps ?? 80); i++) {
    const pos = await market.position(account);
    const collateral = pos.collateral[0].amountRaw;
    const debt = pos.debt[0].amountRaw;
    if (collateral === 0n) break;
    const priceWad = await market.collateralPriceWad();
    // Collateral that must stay to keep debt / value <= safe LTV.
    const keep = debt === 0n ? 0n : (debt * WAD * WAD) / (priceWad * safeLtvWad) + 1n;
    let withdraw = collateral > keep ? collateral - keep : 0n;
    if (debt === 0n) withdraw = collateral;
    if (withdraw === 0n) break; // stuck: nothing can be withdrawn without breaching the LTV
    await market.withdrawCollateral(user, withdraw);
    const swap = await dex.swapExactIn(user, market.collateral, market.debt, withdraw);
    sold += withdraw;
    received += swap.amountOutRaw;
    let repaid = 0n;
    if (debt > 0n) {
      // Interest accrues until the repay's block: repay "all" only with a margin in hand.
      const all = swap.amountOutRaw > debt + debt / 10_000n + 1n;
      repaid = all ? debt : swap.amountOutRaw;
      await market.repay(user, all ? MaxUint256 : repaid);
      if (all) surplus += swap.amountOutRaw - debt;
    } else {
      surplus += swap.amountOutRaw;
    }
    steps.push({
      withdrawnRaw: withdraw,
      soldForRaw: swap.amountOutRaw,
      repaidRaw: repaid,
      dexPriceAfterWad: swap.priceAfterWad,
      venue: swap.venue,
    });
  }
  const end = await market.position(account);
  return {
    market: market.key,
    account,
    steps,
    soldRaw: sold,
    receivedRaw: received,
    debtLeftRaw: end.debt[0].amountRaw,
    surplusRaw: surplus,
  };
}
