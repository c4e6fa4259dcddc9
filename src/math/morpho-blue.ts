/** Morpho Blue math, mirroring MathLib / SharesMathLib / the liquidate() formulas and their rounding. */
import { AbiCoder, keccak256 } from "ethers";
import {
  LIQUIDATION_CURSOR,
  MAX_LIQUIDATION_INCENTIVE_FACTOR,
  ORACLE_PRICE_SCALE,
  VIRTUAL_ASSETS,
  VIRTUAL_SHARES,
  WAD,
} from "../constants";
import { minBig, mulDivDown, mulDivUp, wDivDown, wDivUp, wMulDown } from "./fixed-point";

export interface MarketParamsStruct {
  loanToken: string;
  collateralToken: string;
  oracle: string;
  irm: string;
  lltv: bigint;
}

/** MarketParamsLib.id: keccak256 of the abi-encoded struct. */
export function morphoMarketId(p: MarketParamsStruct): string {
  return keccak256(
    AbiCoder.defaultAbiCoder().encode(
      ["address", "address", "address", "address", "uint256"],
      [p.loanToken, p.collateralToken, p.oracle, p.irm, p.lltv],
    ),
  );
}

export const toAssetsDown = (shares: bigint, totalAssets: bigint, totalShares: bigint): bigint =>
  mulDivDown(shares, totalAssets + VIRTUAL_ASSETS, totalShares + VIRTUAL_SHARES);
export const toAssetsUp = (shares: bigint, totalAssets: bigint, totalShares: bigint): bigint =>
  mulDivUp(shares, totalAssets + VIRTUAL_ASSETS, totalShares + VIRTUAL_SHARES);
export const toSharesDown = (assets: bigint, totalAssets: bigint, totalShares: bigint): bigint =>
  mulDivDown(assets, totalShares + VIRTUAL_SHARES, totalAssets + VIRTUAL_ASSETS);
export const toSharesUp = (assets: bigint, totalAssets: bigint, totalShares: bigint): bigint =>
  mulDivUp(assets, totalShares + VIRTUAL_SHARES, totalAssets + VIRTUAL_ASSETS);

/** Morpho's liquidation incentive factor for an LLTV: min(1.15, 1 / (1 - 0.3 (1 - LLTV))). */
export function liquidationIncentiveFactor(lltv: bigint): bigint {
  return minBig(MAX_LIQUIDATION_INCENTIVE_FACTOR, wDivDown(WAD, WAD - wMulDown(LIQUIDATION_CURSOR, WAD - lltv)));
}

/** Morpho._isHealthy: collateral value x LLTV >= borrowed (rounded up). */
export function isHealthy(
  collateral: bigint,
  borrowShares: bigint,
  totalBorrowAssets: bigint,
  totalBorrowShares: bigint,
  price: bigint,
  lltv: bigint,
): boolean {
  const borrowed = toAssetsUp(borrowShares, totalBorrowAssets, totalBorrowShares);
  const maxBorrow = wMulDown(mulDivDown(collateral, price, ORACLE_PRICE_SCALE), lltv);
  return maxBorrow >= borrowed;
}

/** liquidate() given seizedAssets: repaid assets and shares, as the contract computes them. */
export function repaidForSeized(
  seizedAssets: bigint,
  price: bigint,
  lltv: bigint,
  totalBorrowAssets: bigint,
  totalBorrowShares: bigint,
): { repaidShares: bigint; repaidAssets: bigint } {
  const incentive = liquidationIncentiveFactor(lltv);
  const repaidShares = toSharesUp(
    wDivUp(mulDivUp(seizedAssets, price, ORACLE_PRICE_SCALE), incentive),
    totalBorrowAssets,
    totalBorrowShares,
  );
  const repaidAssets = toAssetsUp(repaidShares, totalBorrowAssets, totalBorrowShares);
  return { repaidShares, repaidAssets };
}

/** liquidate() given repaidShares: seized collateral, as the contract computes it. */
export function seizedForRepaidShares(
  repaidShares: bigint,
  price: bigint,
  lltv: bigint,
  totalBorrowAssets: bigint,
  totalBorrowShares: bigint,
): bigint {
  const incentive = liquidationIncentiveFactor(lltv);
  return mulDivDown(
    wMulDown(toAssetsDown(repaidShares, totalBorrowAssets, totalBorrowShares), incentive),
    ORACLE_PRICE_SCALE,
    price,
  );
}

/**
 * The largest oracle price (1e36 scale) at which a position is unhealthy, i.e. liquidatable:
 * unhealthy iff floor(floor(c*p/1e36)*lltv/1e18) < borrowed. Found exactly by integer search on the formula.
 */
export function liquidationPrice(collateral: bigint, borrowed: bigint, lltv: bigint): bigint {
  if (collateral === 0n) return 2n ** 256n - 1n;
  // healthy(p) is monotone in p; find the smallest healthy p, answer is that minus one.
  let lo = 0n;
  let hi = mulDivUp(mulDivUp(borrowed + 1n, WAD, lltv) + 1n, ORACLE_PRICE_SCALE, collateral) + 1n;
  const healthy = (p: bigint) => wMulDown(mulDivDown(collateral, p, ORACLE_PRICE_SCALE), lltv) >= borrowed;
  while (lo < hi) {
    const mid = (lo + hi) / 2n;
    if (healthy(mid)) hi = mid;
    else lo = mid + 1n;
  }
  return lo - 1n;
}

/** MathLib.wTaylorCompounded: e^(x n) - 1 by a three-term Taylor expansion. */
export function wTaylorCompounded(x: bigint, n: bigint): bigint {
  const firstTerm = x * n;
  const secondTerm = mulDivDown(firstTerm, firstTerm, 2n * WAD);
  const thirdTerm = mulDivDown(secondTerm, firstTerm, 3n * WAD);
  return firstTerm + secondTerm + thirdTerm;
}

/** Borrow-side totals after _accrueInterest at `elapsed` seconds with a per-second rate (supply side not needed). */
export function accruedBorrowAssets(totalBorrowAssets: bigint, ratePerSecondWad: bigint, elapsed: bigint): bigint {
  if (elapsed <= 0n) return totalBorrowAssets;
  return totalBorrowAssets + wMulDown(totalBorrowAssets, wTaylorCompounded(ratePerSecondWad, elapsed));
}

/** Health factor as the protocol sees it: max borrow (collateral x price x LLTV) over borrowed assets, WAD. */
export function healthFactorWad(collateral: bigint, borrowed: bigint, price: bigint, lltv: bigint): bigint {
  if (borrowed === 0n) return 2n ** 256n - 1n;
  return wDivDown(wMulDown(mulDivDown(collateral, price, ORACLE_PRICE_SCALE), lltv), borrowed);
}
