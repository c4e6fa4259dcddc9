/**
 * The iterative loop: from an initial USDe (or sUSDe) amount, N rounds of borrow → swap to USDe → (stake) →
 * supply, each a real transaction, at a target LTV of the last amount supplied. Records the position the
 * protocol reports after every round.
 */
import { MAX_LOOP_ROUNDS } from "../domain/bounds";
import type { Signer } from "ethers";
import { WAD } from "../constants";
import { InputError } from "../errors";
import { fmtWadPct } from "../domain/format";
import type { ChainContext } from "../chain/context";
import type { Dex } from "../dex/dex";
import type { TokenSymbol } from "../domain/tokens";
import type { LendingMarket, PositionState } from "../protocols/lending-market";
import { depositUsdeToSusde, ensureAllowance } from "../chain/erc20";
import { LOOP_COLLATERALS } from "../domain/tokens";

export interface LoopParams {
  /** What the user starts with: USDe, or sUSDe when the market's collateral is sUSDe. */
  initialSymbol: TokenSymbol;
  initialRaw: bigint;
  rounds: number;
  /** Borrow this fraction of the value of the collateral supplied in the previous step, WAD. */
  targetLtvWad: bigint;
  /** Reject a swap whose output is below (1 - slippage) x oracle-implied value, bps. Default 100 (1%). */
  maxSlippageBps?: number;
}

export interface LoopRound {
  round: number;
  borrowedRaw: bigint;
  /** USDe received from the DEX for the borrowed stablecoin. */
  swapOutUsdeRaw: bigint;
  /** Collateral supplied this round (sUSDe shares when staking). */
  suppliedRaw: bigint;
  dexPriceAfterWad: bigint;
  position: PositionState;
  gasUsed: bigint;
}

export interface LoopResult {
  market: string;
  account: string;
  params: LoopParams;
  rounds: LoopRound[];
  final: PositionState;
  totalGasUsed: bigint;
}

/** Checks loop inputs against the market's on-chain parameters before any transaction. */
export async function validateLoopParams(market: LendingMarket, p: LoopParams): Promise<void> {
  if (!Number.isInteger(p.rounds) || p.rounds < 0 || p.rounds > MAX_LOOP_ROUNDS) {
    throw new InputError("rounds", `must be a whole number in [0, ${MAX_LOOP_ROUNDS}], got ${p.rounds}`);
  }
  if (p.initialRaw <= 0n) throw new InputError("initialAmount", "must be > 0");
  if (!LOOP_COLLATERALS.includes(market.collateral)) {
    throw new InputError("market", `loops take USDe or sUSDe collateral; ${market.key} takes ${market.collateral}`);
  }
  if (p.initialSymbol !== "USDe" && p.initialSymbol !== market.collateral) {
    const allowed = market.collateral === "USDe" ? "USDe" : `USDe or ${market.collateral}`;
    throw new InputError("initialToken", `must be ${allowed} on ${market.key}, got ${p.initialSymbol}`);
  }
  const risk = await market.riskParams();
  if (p.targetLtvWad <= 0n) throw new InputError("targetLtv", "must be > 0");
  if (p.targetLtvWad >= risk.liquidationThresholdWad) {
    throw new InputError(
      "targetLtv",
      `${fmtWadPct(p.targetLtvWad)} is at or above ${market.key}'s liquidation threshold ${fmtWadPct(risk.liquidationThresholdWad)}`,
      "choose a lower LTV",
    );
  }
  if (p.targetLtvWad > risk.maxLtvWad) {
    throw new InputError(
      "targetLtv",
      `${fmtWadPct(p.targetLtvWad)} is above ${market.key}'s max LTV ${fmtWadPct(risk.maxLtvWad)}: the protocol would refuse the borrow`,
      "choose a lower LTV",
    );
  }
  const s = p.maxSlippageBps ?? 100;
  if (!Number.isInteger(s) || s < 0 || s > 10_000)
    throw new InputError("maxSlippageBps", "must be an integer in [0, 10000]");
}

export async function runIterativeLoop(
  ctx: ChainContext,
  market: LendingMarket,
  dex: Dex,
  user: Signer,
  p: LoopParams,
): Promise<LoopResult> {
  await validateLoopParams(market, p);
  const account = await user.getAddress();
  await market.prepare(user);
  await ensureAllowance(ctx, user, market.collateral, market.spender, 2n ** 255n);

  let supplied = p.initialRaw;
  if (p.initialSymbol === "USDe" && market.collateral === "sUSDe")
    supplied = await depositUsdeToSusde(ctx, user, p.initialRaw);
  let gas = (await market.supplyCollateral(user, supplied)).gasUsed;

  const rounds: LoopRound[] = [];
  const slippageBps = BigInt(p.maxSlippageBps ?? 100);
  for (let round = 1; round <= p.rounds; round++) {
    // Borrow targetLtv x value of what was supplied last, at the protocol's own oracle price.
    const priceWad = await market.collateralPriceWad();
    const borrowRaw = (((supplied * priceWad) / WAD) * p.targetLtvWad) / WAD;
    if (borrowRaw === 0n) break;
    let roundGas = (await market.borrow(user, borrowRaw)).gasUsed;
    const quoteOut = await dex.quoteExactIn(market.debt, "USDe", borrowRaw);
    const swap = await dex.swapExactIn(
      user,
      market.debt,
      "USDe",
      borrowRaw,
      (quoteOut * (10_000n - slippageBps)) / 10_000n,
    );
    roundGas += swap.receipt.gasUsed;
    supplied =
      market.collateral === "sUSDe" ? await depositUsdeToSusde(ctx, user, swap.amountOutRaw) : swap.amountOutRaw;
    roundGas += (await market.supplyCollateral(user, supplied)).gasUsed;
    gas += roundGas;
    rounds.push({
      round,
      borrowedRaw: borrowRaw,
      swapOutUsdeRaw: swap.amountOutRaw,
      suppliedRaw: supplied,
      dexPriceAfterWad: swap.priceAfterWad,
      position: await market.position(account),
      gasUsed: roundGas,
    });
  }
  return { market: market.key, account, params: p, rounds, final: await market.position(account), totalGasUsed: gas };
}

/** The ideal loop with swaps at peg and no fees: collateral = x (1 + l + … + l^N), debt = x (l + … + l^N). */
export function idealLoop(
  initialWad: bigint,
  ltvWad: bigint,
  rounds: number,
): { collateralWad: bigint; debtWad: bigint } {
  let term = initialWad;
  let collateral = initialWad;
  let debt = 0n;
  for (let i = 0; i < rounds; i++) {
    term = (term * ltvWad) / WAD;
    collateral += term;
    debt += term;
  }
  return { collateralWad: collateral, debtWad: debt };
}
