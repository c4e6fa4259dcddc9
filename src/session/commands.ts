/**
 * The single-position commands on an open session (loop, thresholds, swap): each checks its inputs, acts on the
 * chain, writes its report and returns the markdown the task prints.
 */
import { tokenDecimals } from "../chain/context";
import { deal } from "../chain/cheats";
import type { LendingMarket } from "../protocols/lending-market";
import { openMarket, protocolNamed } from "../protocols/registry";
import { UniswapV3Dex } from "../dex/uniswap-v3";
import { openDex } from "../dex/venue";
import { InputError } from "../errors";
import { parseUnitsExact } from "../math/fixed-point";
import { verifyThresholds } from "../metrics/thresholds";
import { flashLoopMarkdown, loopMarkdown, writeLoopReport } from "../report/loop-report";
import { swapMarkdown } from "../report/swap-report";
import { thresholdMarkdown, writeThresholdReport } from "../report/threshold-report";
import { runFlashLoop } from "../strategies/flash-loop";
import { LoopParams, runIterativeLoop, validateLoopParams } from "../strategies/iterative-loop";
import type { ChainContext } from "../chain/context";
import type { TokenSymbol } from "../domain/tokens";
import type { PolicyChoice } from "./flags";
import { KEEP_POLICY } from "./flags";
import type { Session } from "./index";

/** What a command prints (stdout) and where it wrote its report, if it wrote one. */
export interface CommandOutput {
  markdown: string;
  reportDir?: string;
}

/** Opens one loop on `marketKey` for the session's first user: iterative, or in one flash-loan transaction. */
export async function loopCommand(
  s: Session,
  marketKey: string,
  params: LoopParams,
  flash: boolean,
): Promise<CommandOutput> {
  const market = openMarket(s.ctx, marketKey, "--market");
  await validateLoopParams(market, params);
  await deal(s.ctx, params.initialSymbol, s.users[0], params.initialRaw);
  const dex = new UniswapV3Dex(s.ctx);
  // Which logic the protocol runs (e.g. the Aave Pool revision), so the report says what it measured.
  const version = (await market.riskParams()).version;
  if (flash) {
    const result = await runFlashLoop(s.ctx, market, dex, s.users[0], params);
    return { reportDir: writeLoopReport(result, s.ctx, version), markdown: flashLoopMarkdown(result, s.ctx, version) };
  }
  const result = await runIterativeLoop(s.ctx, market, dex, s.users[0], params);
  return { reportDir: writeLoopReport(result, s.ctx, version), markdown: loopMarkdown(result, s.ctx, version) };
}

/** Points the market's oracle at `policy` through its protocol's own admin path ("keep": leaves it). */
async function applyPolicyChoice(ctx: ChainContext, market: LendingMarket, policy: PolicyChoice): Promise<void> {
  if (policy === KEEP_POLICY) return;
  await protocolNamed(market.protocol).applyPolicy(ctx, policy, [market]);
}

export interface ThresholdInputs {
  marketKey: string;
  feed: string;
  policy: PolicyChoice;
  /** An existing borrower; without one, a loop with `loop` is opened first by the session's first user. */
  account?: string;
  loop: LoopParams;
}

/** The feed prices at which a position becomes liquidatable (and Aave's close-factor boundary), on chain. */
export async function thresholdsCommand(s: Session, inputs: ThresholdInputs): Promise<CommandOutput> {
  const market = openMarket(s.ctx, inputs.marketKey, "--market");
  await applyPolicyChoice(s.ctx, market, inputs.policy);
  let account = inputs.account;
  if (account === undefined) {
    await validateLoopParams(market, inputs.loop);
    await deal(s.ctx, inputs.loop.initialSymbol, s.users[0], inputs.loop.initialRaw);
    account = (await runIterativeLoop(s.ctx, market, new UniswapV3Dex(s.ctx), s.users[0], inputs.loop)).account;
  }
  const report = await verifyThresholds(s.ctx, market, account, inputs.feed, s.liquidator);
  return { reportDir: writeThresholdReport(report), markdown: thresholdMarkdown(report) };
}

export interface SwapInputs {
  sell: TokenSymbol;
  buy: TokenSymbol;
  /** Whole tokens of `sell`, decimal string (--amount). */
  amount: string;
  /** uniswap-v3 or curve:<pool key> (--venue). */
  venue: string;
}

/** One sale by the session's first user: quote, output, price before/after and impact, all read from the pool. */
export async function swapCommand(s: Session, inputs: SwapInputs): Promise<CommandOutput> {
  const { sell, buy, venue } = inputs;
  const amountRaw = parseUnitsExact(inputs.amount, tokenDecimals(s.ctx, sell), "--amount");
  if (amountRaw <= 0n) throw new InputError("--amount", "must be > 0");
  const dex = openDex(s.ctx, venue, "--venue");
  // Uniswap routes through intermediate pools; a Curve venue must hold both coins in one pool.
  if (dex instanceof UniswapV3Dex ? !dex.hasRoute(sell, buy) : dex.poolFor(sell, buy) === undefined) {
    throw new InputError("--venue", `${venue} has no pool for ${sell}/${buy}`);
  }
  const impactBps = await dex.priceImpactBps(sell, buy, amountRaw);
  const quotedRaw = await dex.quoteExactIn(sell, buy, amountRaw);
  await deal(s.ctx, sell, s.users[0], amountRaw);
  const result = await dex.swapExactIn(s.users[0], sell, buy, amountRaw);
  return { markdown: swapMarkdown(s.ctx, venue, result, quotedRaw, impactBps) };
}
