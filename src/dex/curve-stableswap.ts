/**
 * Curve stable-swap pools (the StableSwap invariant): mainnet's USDe/USDC Stableswap-NG pool on a fork, Curve's
 * early 4-coin template on the embedded chain. Both answer get_dy(int128,int128,uint256), exchange(int128,int128,
 * uint256,uint256), A() and fee(); the index type of coins()/balances() differs (NG: uint256, early: int128), so it
 * is probed once per pool.
 */
import { Contract, Signer, concat, toBeHex } from "ethers";
import { IERC20Metadata__factory } from "../../typechain-types";
import { WAD } from "../constants";
import type { ChainContext } from "../chain/context";
import { tokenAddress, tokenDecimals } from "../chain/context";
import type { CurvePoolRecord } from "../chain/deployments";
import { RevertError } from "../chain/errors";
import type { RpcProvider } from "../chain/rpc";
import { sendTx } from "../chain/tx";
import type { TokenSymbol } from "../domain/tokens";
import { InputError } from "../errors";
import { CURVE_FEE_DENOMINATOR } from "../math/curve-stableswap";
import { ensureAllowance } from "../chain/erc20";
import { SALE_VENUE } from "./dex";
import type { Dex, SaleRoute, SwapResult } from "./dex";
import { sameAddress } from "../domain/address";
import { bindContract } from "../chain/bind";

/** A Curve pool's venue name is this prefix and its key (venue.ts's CURVE_VENUE_PREFIX). */
export const CURVE_VENUE_NAME_PREFIX = "curve:";

const POOL_ABI = [
  "function get_dy(int128 i, int128 j, uint256 dx) view returns (uint256)",
  "function exchange(int128 i, int128 j, uint256 dx, uint256 min_dy)",
  "function A() view returns (uint256)",
  "function fee() view returns (uint256)",
  "function coins(uint256) view returns (address)",
  "function balances(uint256) view returns (uint256)",
];
/** The early template's getters take int128 indexes: other selectors. */
const EARLY_INDEX_ABI = [
  "function coins(int128) view returns (address)",
  "function balances(int128) view returns (uint256)",
];

/** A pool's getters, whichever index type it uses. */
async function indexGetters(provider: RpcProvider, address: string): Promise<Contract> {
  const ng = new Contract(address, POOL_ABI, provider);
  const ok = await ng
    .getFunction("coins")(0n)
    .then(
      () => true,
      () => false,
    );
  return ok ? ng : new Contract(address, EARLY_INDEX_ABI, provider);
}

/** The pool's coins on chain must be the record's, in the record's order: fails naming the field otherwise. */
export async function checkCurvePool(ctx: ChainContext, key: string, pool: CurvePoolRecord): Promise<void> {
  const field = `profile ${ctx.record.profile}: curve.pools["${key}"]`;
  if ((await ctx.provider.getCode(pool.address)) === "0x")
    throw new InputError(
      field,
      `no contract at ${pool.address}`,
      "check the block and that the RPC serves this network",
    );
  const getters = await indexGetters(ctx.provider, pool.address);
  for (const [i, symbol] of pool.coins.entries()) {
    const onChain = (await getters
      .getFunction("coins")(BigInt(i))
      .catch(() => undefined)) as string | undefined;
    if (onChain === undefined || !sameAddress(onChain, tokenAddress(ctx, symbol))) {
      throw new InputError(
        `${field}.coins[${i}]`,
        `the pool's coin ${i} is ${onChain ?? "missing"}, not ${symbol} (${tokenAddress(ctx, symbol)})`,
        "list the coins in the pool's order",
      );
    }
  }
}

export class CurveStableSwapDex implements Dex {
  readonly name = "curve-stableswap";
  /** The pool pulls tokenIn itself. */
  readonly spender: string;
  private readonly pool: CurvePoolRecord;
  private getters?: Contract;

  constructor(
    private readonly ctx: ChainContext,
    readonly key: string,
  ) {
    const pools = ctx.record.curve?.pools ?? {};
    const pool = pools[key];
    if (!pool) {
      const known = Object.keys(pools);
      throw new InputError(
        "venue",
        `no Curve pool "${key}" in chain profile "${ctx.record.profile}"`,
        known.length
          ? `use one of ${known.join(", ")}`
          : "this profile has no Curve pool (embedded chain: pass --curve, or add EMBEDDED_CURVE_USDE_POOL to params.curve.pools)",
      );
    }
    this.pool = pool;
    this.spender = pool.address;
  }

  private contract(runner?: Signer): Contract {
    return new Contract(this.pool.address, POOL_ABI, runner ?? this.ctx.provider);
  }

  private index(symbol: TokenSymbol, field: string): bigint {
    const i = this.pool.coins.indexOf(symbol);
    if (i < 0)
      throw new InputError(
        field,
        `${symbol} is not a coin of Curve pool ${this.key}`,
        `use one of ${this.pool.coins.join(", ")}`,
      );
    return BigInt(i);
  }

  poolFor(tokenA: TokenSymbol, tokenB: TokenSymbol): string | undefined {
    return tokenA !== tokenB && this.pool.coins.includes(tokenA) && this.pool.coins.includes(tokenB)
      ? this.pool.address
      : undefined;
  }

  hasRoute(tokenIn: TokenSymbol, tokenOut: TokenSymbol): boolean {
    return this.poolFor(tokenIn, tokenOut) !== undefined;
  }

  /** pool ‖ i ‖ j behind the venue byte: one pool, no hops. */
  saleRoute(tokenIn: TokenSymbol, tokenOut: TokenSymbol): Promise<SaleRoute> {
    const [i, j] = [this.index(tokenIn, "tokenIn"), this.index(tokenOut, "tokenOut")];
    return Promise.resolve({
      route: concat([SALE_VENUE.curve, this.pool.address, toBeHex(i, 1), toBeHex(j, 1)]),
      venue: this.venue,
    });
  }

  /** The pool's get_dy behind the venue byte. */
  lensRoutes(tokenIn: TokenSymbol, tokenOut: TokenSymbol): readonly string[] | undefined {
    if (!this.hasRoute(tokenIn, tokenOut)) return undefined;
    const [i, j] = [this.index(tokenIn, "tokenIn"), this.index(tokenOut, "tokenOut")];
    return [concat([SALE_VENUE.curve, this.pool.address, toBeHex(i, 1), toBeHex(j, 1)])];
  }

  /** "curve:<pool key>", as scenario files name it. */
  get venue(): string {
    return `${CURVE_VENUE_NAME_PREFIX}${this.key}`;
  }

  /** A() and fee() as the pool reports them (fee in 1e10 units). */
  async parameters(): Promise<{ amplification: bigint; feeE10: bigint }> {
    const c = this.contract();
    const [amplification, feeE10] = await Promise.all([
      c.getFunction("A")() as Promise<bigint>,
      c.getFunction("fee")() as Promise<bigint>,
    ]);
    return { amplification, feeE10 };
  }

  async quoteExactIn(tokenIn: TokenSymbol, tokenOut: TokenSymbol, amountInRaw: bigint): Promise<bigint> {
    const [i, j] = [this.index(tokenIn, "tokenIn"), this.index(tokenOut, "tokenOut")];
    return (await this.contract().getFunction("get_dy")(i, j, amountInRaw)) as bigint;
  }

  /**
   * Marginal price of whole `base` in `quote`, WAD, without the fee: get_dy of one whole token (its own price impact
   * is ~1e-7 in a pool of millions) grossed up by the pool's fee.
   */
  async price(base: TokenSymbol, quote: TokenSymbol): Promise<bigint> {
    const one = 10n ** BigInt(tokenDecimals(this.ctx, base));
    const [dy, { feeE10 }] = await Promise.all([this.quoteExactIn(base, quote, one), this.parameters()]);
    return (
      (dy * WAD * CURVE_FEE_DENOMINATOR) /
      ((CURVE_FEE_DENOMINATOR - feeE10) * 10n ** BigInt(tokenDecimals(this.ctx, quote)))
    );
  }

  /** 1 - (quoted output / output at the marginal price), bps; includes the fee. */
  async priceImpactBps(tokenIn: TokenSymbol, tokenOut: TokenSymbol, amountInRaw: bigint): Promise<bigint> {
    const spot = await this.price(tokenIn, tokenOut);
    const atSpot =
      (amountInRaw * spot * 10n ** BigInt(tokenDecimals(this.ctx, tokenOut))) /
      (WAD * 10n ** BigInt(tokenDecimals(this.ctx, tokenIn)));
    const out = await this.quoteExactIn(tokenIn, tokenOut, amountInRaw);
    return atSpot === 0n ? 0n : ((atSpot - out) * 10_000n) / atSpot;
  }

  async poolBalances(a: TokenSymbol, b: TokenSymbol): Promise<{ aRaw: bigint; bRaw: bigint }> {
    this.getters ??= await indexGetters(this.ctx.provider, this.pool.address);
    const balances = this.getters.getFunction("balances");
    const [aRaw, bRaw] = (await Promise.all([balances(this.index(a, "a")), balances(this.index(b, "b"))])) as [
      bigint,
      bigint,
    ];
    return { aRaw, bRaw };
  }

  async swapExactIn(
    user: Signer,
    tokenIn: TokenSymbol,
    tokenOut: TokenSymbol,
    amountInRaw: bigint,
    minOutRaw = 0n,
  ): Promise<SwapResult> {
    if (amountInRaw <= 0n) throw new InputError("swap.amountIn", "must be > 0");
    const [i, j] = [this.index(tokenIn, "tokenIn"), this.index(tokenOut, "tokenOut")];
    const action = `swap ${tokenIn} → ${tokenOut} on Curve ${this.key}`;
    // Curve's minimum-output check reverts without a reason: check the quote first and say what failed.
    const quoted = await this.quoteExactIn(tokenIn, tokenOut, amountInRaw);
    if (quoted < minOutRaw)
      throw new RevertError(action, `the pool would pay ${quoted} ${tokenOut} units, below minOutRaw ${minOutRaw}`);
    const recipient = await user.getAddress();
    await ensureAllowance(this.ctx, user, tokenIn, this.spender, amountInRaw);
    const out = bindContract(IERC20Metadata__factory, tokenAddress(this.ctx, tokenOut), this.ctx.provider);
    const before = await out.balanceOf(recipient);
    const priceBeforeWad = await this.price(tokenIn, tokenOut);
    const receipt = await sendTx(this.ctx.provider, action, () =>
      this.contract(user).getFunction("exchange")(i, j, amountInRaw, minOutRaw),
    );
    return {
      tokenIn,
      tokenOut,
      amountInRaw,
      amountOutRaw: (await out.balanceOf(recipient)) - before,
      priceBeforeWad,
      priceAfterWad: await this.price(tokenIn, tokenOut),
      pool: this.pool.address,
      venue: this.venue,
      receipt,
    };
  }
}
