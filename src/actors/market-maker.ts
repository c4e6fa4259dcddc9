/**
 * A cross-margined market maker: one Aave account holding several collaterals (a volatile one and USDe/sUSDe) against
 * stablecoin debt. When the volatile collateral crashes the whole account becomes liquidatable, and liquidators
 * choose which collateral to seize — typically the liquid one with the larger bonus, not the one that fell.
 */
import { sameAddress } from "../domain/address";
import type { Signer } from "ethers";

import { AAVE_BASE_CURRENCY_UNIT, WAD } from "../constants";
import type { ChainContext } from "../chain/context";
import { deal } from "../chain/cheats";
import type { TokenSymbol } from "../domain/tokens";
import { parseUnitsExact } from "../math/fixed-point";
import { openMarket } from "../protocols/registry";
import type { LendingMarket } from "../protocols/lending-market";
import { actorAddress, actorSigner } from "./accounts";
import { Pool__factory } from "../protocols/aave-v3-types";
import type { Actor, Exposure, MarketMakerEvent, RunEnd } from "./actor";
import { bindContract } from "../chain/bind";

export interface MarketMakerSpec {
  collateral: Partial<Record<"WETH" | "USDe" | "sUSDe", string>>;
  /** The stablecoin borrowed (default USDC). */
  debt?: "USDC" | "USDT";
  borrowShareOfLimit: string;
}

export class CrossMarginedMarketMaker implements Actor {
  readonly name = "market-maker";
  /** It only borrows: the liquidators are the ones who sell its collateral. */
  readonly movesPrice = false;
  readonly account: string;
  /** One adapter per collateral against USDC: the same account seen through each pair it can be liquidated on. */
  readonly markets: LendingMarket[];

  constructor(
    private readonly ctx: ChainContext,
    scenario: string,
    readonly spec: MarketMakerSpec,
  ) {
    this.account = actorAddress(scenario, "market-maker");
    this.markets = (Object.keys(spec.collateral) as TokenSymbol[]).map((c) =>
      openMarket(ctx, `aave-v3:${c}/${spec.debt ?? "USDC"}`, "actors.marketMaker.collateral"),
    );
  }

  async open(): Promise<void> {
    const user: Signer = await actorSigner(this.ctx, this.account);
    for (const m of this.markets) {
      const amount = parseUnitsExact(
        this.spec.collateral[m.collateral as "WETH" | "USDe" | "sUSDe"]!,
        18,
        `actors.marketMaker.collateral.${m.collateral}`,
      );
      await deal(this.ctx, m.collateral, user, amount);
      await m.supplyCollateral(user, amount);
    }
    const data = await bindContract(Pool__factory, this.ctx.record.aave.pool, this.ctx.provider).getUserAccountData(
      this.account,
    );
    const share = parseUnitsExact(this.spec.borrowShareOfLimit, 18, "actors.marketMaker.borrowShareOfLimit");
    // availableBorrowsBase is USD with 8 decimals; USDC and USDT have 6 (priced at $1 by their feeds at the start).
    const debtRaw = (((data.availableBorrowsBase * share) / WAD) * 10n ** 6n) / AAVE_BASE_CURRENCY_UNIT;
    await this.markets[0].borrow(user, debtRaw);
  }

  /** It does not trade during the crash; it is liquidated. */
  async react(): Promise<undefined> {
    return undefined;
  }

  candidates(): Exposure[] {
    return [{ account: this.account, label: "market maker", markets: this.markets }];
  }

  /** After the walk: what it has left of each collateral and what liquidators seized of each. */
  async end(run: RunEnd): Promise<MarketMakerEvent> {
    return {
      actor: "market-maker",
      account: this.account,
      collateralLeftRaw: await this.collateralLeft(),
      collateralSeizedRaw: seizedFrom(run.liquidations, this.account),
    };
  }

  /** What the account still holds of each collateral (aToken balances). */
  async collateralLeft(): Promise<Record<string, string>> {
    const out: Record<string, string> = {};
    for (const m of this.markets)
      out[m.collateral] = (await m.position(this.account)).collateral[0].amountRaw.toString();
    return out;
  }
}

/** Collateral seized from `account`, by asset, summed over the liquidation rows. */
export function seizedFrom(rows: RunEnd["liquidations"], account: string): Record<string, string> {
  const out: Record<string, bigint> = {};
  for (const r of rows) {
    if (sameAddress(r.borrower, account)) out[r.collateralAsset] = (out[r.collateralAsset] ?? 0n) + BigInt(r.seizedRaw);
  }
  return Object.fromEntries(Object.entries(out).map(([k, v]) => [k, v.toString()]));
}
