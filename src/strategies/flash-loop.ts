/**
 * The flash-loan loop: the end position of an N-round loop at a target LTV, opened in one transaction through our
 * LeverageLooper (flash-borrow the debt token, swap to USDe, stake if sUSDe, supply, borrow to repay the flash
 * loan) — as leverage tools do. The debt aimed at is the ideal loop's debt; the collateral is whatever the swap
 * really yields, fees and slippage included.
 */
import type { Signer } from "ethers";
import { IERC4626__factory } from "../../typechain-types";
import { PERCENTAGE_FACTOR, WAD } from "../constants";
import type { ChainContext } from "../chain/context";
import { tokenAddress } from "../chain/context";
import { leverageLooper } from "../chain/tools";
import type { Dex } from "../dex/dex";
import { percentMul } from "../math/fixed-point";
import type { LendingMarket, PositionState } from "../protocols/lending-market";
import { idealLoop, LoopParams, validateLoopParams } from "./iterative-loop";
import { sameAddress } from "../domain/address";
import { bindContract } from "../chain/bind";

export interface FlashLoopResult {
  market: string;
  account: string;
  params: LoopParams;
  /** Debt of the ideal N-round loop at the oracle price (what the flash amount is sized for). */
  targetDebtRaw: bigint;
  flashAmountRaw: bigint;
  flashPremiumRaw: bigint;
  usdeFromSwapRaw: bigint;
  collateralSuppliedRaw: bigint;
  debtBorrowedRaw: bigint;
  gasUsed: bigint;
  txHash: string;
  block: number;
  final: PositionState;
}

/** Largest x with x + premium(x) <= debt, premium = percentMul(x, bps) as Aave charges it. */
export function flashAmountFor(targetDebtRaw: bigint, premiumBps: bigint): bigint {
  if (premiumBps === 0n) return targetDebtRaw;
  let x = (targetDebtRaw * PERCENTAGE_FACTOR) / (PERCENTAGE_FACTOR + premiumBps);
  while (x + 1n + percentMul(x + 1n, premiumBps) <= targetDebtRaw) x++;
  while (x > 0n && x + percentMul(x, premiumBps) > targetDebtRaw) x--;
  return x;
}

export async function runFlashLoop(
  ctx: ChainContext,
  market: LendingMarket,
  dex: Dex,
  user: Signer,
  p: LoopParams,
): Promise<FlashLoopResult> {
  await validateLoopParams(market, p);
  const account = await user.getAddress();
  // The initial collateral, as the protocol will hold it.
  let initialCollateral = p.initialRaw;
  if (p.initialSymbol === "USDe" && market.collateral === "sUSDe") {
    initialCollateral = await bindContract(IERC4626__factory, tokenAddress(ctx, "sUSDe"), ctx.provider).previewDeposit(
      p.initialRaw,
    );
  }
  const priceWad = await market.collateralPriceWad();
  const initialValueRaw = (initialCollateral * priceWad) / WAD;
  const targetDebtRaw = idealLoop(initialValueRaw, p.targetLtvWad, p.rounds).debtWad;
  const premiumBps = await market.flashLoanPremiumBps();
  const flashAmountRaw = flashAmountFor(targetDebtRaw, premiumBps);
  const slippageBps = BigInt(p.maxSlippageBps ?? 100);
  const quote = await dex.quoteExactIn(market.debt, "USDe", flashAmountRaw);
  const looper = await leverageLooper(ctx);
  const receipt = await market.flashLoop(user, {
    looper,
    initialToken: p.initialSymbol,
    initialRaw: p.initialRaw,
    flashAmountRaw,
    swapPath: (await dex.saleRoute(market.debt, "USDe", flashAmountRaw)).route,
    minUsdeOutRaw: (quote * (10_000n - slippageBps)) / 10_000n,
  });
  const looperAddress = await looper.getAddress();
  for (const log of receipt.logs) {
    if (!sameAddress(log.address, looperAddress)) continue;
    const parsed = looper.interface.parseLog(log);
    if (parsed?.name !== "Looped") continue;
    return {
      market: market.key,
      account,
      params: p,
      targetDebtRaw,
      flashAmountRaw,
      flashPremiumRaw: percentMul(flashAmountRaw, premiumBps),
      usdeFromSwapRaw: parsed.args.usdeFromSwap,
      collateralSuppliedRaw: parsed.args.collateralSupplied,
      debtBorrowedRaw: parsed.args.debtBorrowed,
      gasUsed: receipt.gasUsed,
      txHash: receipt.hash,
      block: receipt.blockNumber,
      final: await market.position(account),
    };
  }
  throw new Error(`${market.key}: LeverageLooper emitted no Looped event in ${receipt.hash}`);
}
