/**
 * Market makers pulling liquidity, as an actor: once the USDe/USDC pool price falls below a trigger, a share of every
 * liquidity position in the listed pools is withdrawn (once per run). The price impact of a reference sale is measured
 * just before and just after, so the report shows how much thinner the market became.
 */
import type { ChainContext } from "../chain/context";
import { tokenSymbolOf } from "../chain/context";
import type { UniswapV3Dex } from "../dex/uniswap-v3";
import { InputError } from "../errors";
import { parseUnitsExact } from "../math/fixed-point";
import type { Actor, Exposure, LiquidityWithdrawalEvent } from "./actor";

export interface LiquidityWithdrawalSpec {
  pools: string[];
  /** Share of their liquidity the market makers pull, e.g. "0.6". */
  share: string;
  /** Trigger: the USDe/USDC pool price falls below this. */
  whenDexPriceBelow: string;
  /** A sale (USDe) whose price impact is measured just before and just after the withdrawal. */
  measureSaleUsde: string;
}

const FIELD = "actors.liquidityWithdrawal";
/** The share is applied in basis points. */
const SHARE_DECIMALS = 4;

export class LiquidityWithdrawal implements Actor {
  readonly name = "liquidity-withdrawal";
  /** Burning liquidity leaves the price where it is; it only thins the pool. */
  readonly movesPrice = false;
  private withdrawn = false;

  constructor(
    private readonly ctx: ChainContext,
    private readonly dex: UniswapV3Dex,
    readonly spec: LiquidityWithdrawalSpec,
  ) {}

  /** Every pool named must exist in the chain profile (checked before any transaction). */
  validate(): void {
    for (const key of this.spec.pools) {
      if (!this.ctx.record.uniswap.pools[key]) {
        throw new InputError(
          `${FIELD}.pools`,
          `unknown pool "${key}"`,
          `use one of ${Object.keys(this.ctx.record.uniswap.pools).join(", ")}`,
        );
      }
    }
  }

  async begin(): Promise<void> {
    this.withdrawn = false;
  }

  /** Withdraws once per run, the first time the USDe/USDC price is below the trigger. */
  async react(): Promise<LiquidityWithdrawalEvent | undefined> {
    if (this.withdrawn) return undefined;
    const trigger = parseUnitsExact(this.spec.whenDexPriceBelow, 18, `${FIELD}.whenDexPriceBelow`);
    if ((await this.dex.price("USDe", "USDC")) >= trigger) return undefined;
    this.withdrawn = true;
    const sale = parseUnitsExact(this.spec.measureSaleUsde, 18, `${FIELD}.measureSaleUsde`);
    const before = await this.dex.priceImpactBps("USDe", "USDC", sale);
    const shareBps = parseUnitsExact(this.spec.share, SHARE_DECIMALS, `${FIELD}.share`);
    let pulled = 0;
    for (const key of this.spec.pools) {
      const p = this.ctx.record.uniswap.pools[key];
      const a = tokenSymbolOf(this.ctx, p.token0);
      const b = tokenSymbolOf(this.ctx, p.token1);
      pulled += (await this.dex.withdrawLiquidity(this.ctx.admin, a, b, shareBps)).positions;
    }
    const after = await this.dex.priceImpactBps("USDe", "USDC", sale);
    return {
      actor: "liquidity-withdrawal",
      pools: this.spec.pools,
      share: this.spec.share,
      positionsReduced: pulled,
      saleUsde: this.spec.measureSaleUsde,
      impactBeforeBps: before.toString(),
      impactAfterBps: after.toString(),
    };
  }

  /** The liquidity belongs to the deployer's positions, which borrow nothing. */
  candidates(): Exposure[] {
    return [];
  }
}
