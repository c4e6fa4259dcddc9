/**
 * Reading many quotes in one call: our QuoteLens (contracts/lens/QuoteLens.sol) quotes the venues' sale routes on
 * chain, and runs the searches the harness would otherwise make one JSON-RPC round trip per quote for. It is never
 * deployed: each call runs its runtime code at a fixed address through an eth_call state override, so reading
 * through it sends no transaction and moves no block, nonce or address (a report is the same with or without it).
 *
 * Every answer is the one the direct quotes give: the lens runs the same code on the same state. What it does not
 * decide (a quote that failed or used much gas, or no gas left in the call) it says so, and the caller makes that
 * quote itself, as before. A node without state overrides gets no lens (`openQuoteLens` resolves to undefined).
 */
import { Interface, dataSlice, getAddress, id } from "ethers";
import { QuoteLens__factory } from "../../typechain-types";
import type { ChainContext } from "../chain/context";
import { rpc } from "../chain/rpc";
import type { RpcProvider } from "../chain/rpc";

/**
 * Where the lens's code is placed for a call: an address derived from its name, which no deployment can hold by
 * accident (an override replaces the code there for that one call only).
 */
export const QUOTE_LENS_ADDRESS = getAddress(dataSlice(id("loopstress.QuoteLens"), 12));

/**
 * Gas one quote may use in the lens and still be its answer. A direct quote has the node's whole call budget (16.7M
 * on Hardhat), and in the lens earlier quotes leave slots warm, so a quote near that budget might succeed here and
 * fail there: a quote above this much is left to the direct path. On the embedded pools a quote uses 0.1–0.3M gas,
 * and a sale past a pool's liquidity, which walks the empty ticks to the price limit, about 3–5M (one or two hops).
 */
const MAX_QUOTE_GAS = 6_000_000n;
/** Gas a step needs to be started (two best quotes of two venues, with room to spare); less, and the lens returns. */
const RESERVE_GAS = 4_000_000n;

const iface = new Interface(QuoteLens__factory.abi);
// Decoded arrays are copied into plain ones: an ethers Result throws on an index past its end, where callers read
// undefined for "not decided".

/** The runtime code of the lens, per chain connection: what its creation code returns. */
const runtimeCode = new WeakMap<RpcProvider, Promise<string | undefined>>();

/** Where the redemption arbitrageur's bisection stands: `lo` = 0 before its first step. */
export interface PurchaseSearch {
  lo: bigint;
  hi: bigint;
  done: boolean;
}

/** What one step of the purchase bisection compares (src/actors/redemption-arbitrageur.ts). */
export interface PurchaseTerms {
  /** One whole stablecoin, raw. */
  stepRaw: bigint;
  /** Scales the stablecoin's raw amounts to 18 decimals. */
  unit: bigint;
  thresholdWad: bigint;
  redeemableRaw: bigint;
}

export class QuoteLens {
  private constructor(
    private readonly provider: RpcProvider,
    private readonly quoter: string,
    private readonly code: string,
  ) {}

  /** The lens on this chain, or undefined when the node cannot run it (no state overrides, or no quoter). */
  static async open(ctx: ChainContext): Promise<QuoteLens | undefined> {
    let code = runtimeCode.get(ctx.provider);
    if (code === undefined) {
      code = probe(ctx.provider);
      runtimeCode.set(ctx.provider, code);
    }
    const c = await code;
    return c === undefined ? undefined : new QuoteLens(ctx.provider, ctx.record.uniswap.quoter, c);
  }

  private get budget() {
    return { quoter: this.quoter, maxQuoteGas: MAX_QUOTE_GAS, reserveGas: RESERVE_GAS };
  }

  private async call<F extends "quoteEach" | "bestQuotes" | "firstCovering" | "purchaseSearch">(
    fn: F,
    args: unknown[],
  ): Promise<ReturnType<Interface["decodeFunctionResult"]>> {
    const data = iface.encodeFunctionData(fn, [this.budget, ...args]);
    const raw = await rpc<string>(this.provider, "eth_call", [
      { to: QUOTE_LENS_ADDRESS, data },
      "latest",
      { [QUOTE_LENS_ADDRESS]: { code: this.code } },
    ]);
    return iface.decodeFunctionResult(fn, raw);
  }

  /** Each route's quote of its own amount (`routes[k]` sells `amountsInRaw[k]`); undefined where the caller must quote. */
  async quoteEach(routes: readonly string[], amountsInRaw: readonly bigint[]): Promise<(bigint | undefined)[]> {
    const [outs, decided] = (await this.call("quoteEach", [routes, amountsInRaw])) as unknown as [bigint[], boolean[]];
    return Array.from(outs, (out, k) => (decided[k] ? out : undefined));
  }

  /**
   * The best quote (the largest of `routes`') for each amount in turn, as far as the lens decided them: the answers
   * for a prefix of `amountsInRaw`.
   */
  async bestQuotes(routes: readonly string[], amountsInRaw: readonly bigint[]): Promise<bigint[]> {
    const [outs, count] = (await this.call("bestQuotes", [routes, amountsInRaw])) as unknown as [bigint[], bigint];
    return Array.from(outs).slice(0, Number(count));
  }

  /**
   * A seller's sizing: the best quotes of `amountsInRaw` in order, stopping at the first that reaches its `minOutsRaw`;
   * the quotes the lens decided (a prefix), and whether the last of them covered its minimum.
   */
  async firstCovering(
    routes: readonly string[],
    amountsInRaw: readonly bigint[],
    minOutsRaw: readonly bigint[],
  ): Promise<{ outsRaw: bigint[]; covered: boolean }> {
    const [outs, count, covered] = (await this.call("firstCovering", [
      routes,
      amountsInRaw,
      minOutsRaw,
    ])) as unknown as [bigint[], bigint, boolean];
    return { outsRaw: Array.from(outs).slice(0, Number(count)), covered };
  }

  /** The purchase bisection from `from`, as far as the lens could take it (`from` itself when it decided no step). */
  async purchaseSearch(routes: readonly string[], terms: PurchaseTerms, from: PurchaseSearch): Promise<PurchaseSearch> {
    const [s] = (await this.call("purchaseSearch", [
      routes,
      terms.stepRaw,
      terms.unit,
      terms.thresholdWad,
      terms.redeemableRaw,
      from,
    ])) as unknown as [{ lo: bigint; hi: bigint; done: boolean }];
    return { lo: s.lo, hi: s.hi, done: s.done };
  }
}

/** The lens's runtime code (its creation code run in a call), undefined when the node cannot override code. */
async function probe(provider: RpcProvider): Promise<string | undefined> {
  try {
    const code = await rpc<string>(provider, "eth_call", [{ data: QuoteLens__factory.bytecode }, "latest"]);
    // An empty search answers at once: the override works on this node.
    const raw = await rpc<string>(provider, "eth_call", [
      { to: QUOTE_LENS_ADDRESS, data: iface.encodeFunctionData("bestQuotes", [NO_BUDGET, [], []]) },
      "latest",
      { [QUOTE_LENS_ADDRESS]: { code } },
    ]);
    return raw.length > 2 ? code : undefined;
  } catch {
    return undefined;
  }
}

const NO_BUDGET = { quoter: QUOTE_LENS_ADDRESS, maxQuoteGas: 0n, reserveGas: 0n };
