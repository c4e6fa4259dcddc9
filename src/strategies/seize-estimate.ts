/** What a liquidation is about to seize, estimated before it is sent: the amount a flash sale's route is chosen for. */
import { WAD } from "../constants";
import type { LendingMarket } from "../protocols/lending-market";

/** Collateral raw a liquidation of the whole debt would seize (bonus included), capped at what the position holds. */
export async function seizeEstimate(market: LendingMarket, borrower: string): Promise<bigint> {
  const [pos, priceWad, risk] = await Promise.all([
    market.position(borrower),
    market.collateralPriceWad(), // debt raw per 1e18 collateral raw
    market.riskParams(),
  ]);
  const collateralRaw = pos.collateral[0]?.amountRaw ?? 0n;
  const debtRaw = pos.debt[0]?.amountRaw ?? 0n;
  if (priceWad === 0n) return collateralRaw;
  const seizedRaw = (((debtRaw * WAD) / priceWad) * risk.liquidationIncentiveWad) / WAD;
  return seizedRaw < collateralRaw ? seizedRaw : collateralRaw;
}
