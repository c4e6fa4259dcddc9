/**
 * loopstress in your own tests: the public API. Deploy the embedded chain (or open a fork), open a loop, set an oracle
 * policy or a price, run the liquidation bot, read a position and the prices at which it becomes liquidatable.
 *
 * It takes the node as plain values (a provider and its signers: `ethers.provider`, `await ethers.getSigners()` under
 * Hardhat), so that no Hardhat type reaches the library. Wrap `deployEmbeddedChain` in a named fixture for
 * `loadFixture`; `examples/*.test.ts` are tests written this way. Amounts go in as decimal strings in token units
 * ("100000", "0.80") and come out as raw bigints, with the token in the field's name (`repaidRaw` in the debt token).
 */
import type { Signer } from "ethers";
import { deal } from "./chain/cheats";
import type { RpcProvider } from "./chain/rpc";
import { tokenDecimals } from "./chain/context";
import { openBestQuote } from "./dex/best-quote";
import { UniswapV3Dex } from "./dex/uniswap-v3";
import { DEFAULT_AAVE_RELEASE, aaveReleaseFrom, type AaveRelease } from "./domain/aave-release";
import { MAX_LOOP_ROUNDS } from "./domain/bounds";
import { amountFrom, decimalFrom, forkBlockFrom, shownValue } from "./domain/flag-values";
import { ORACLE_POLICIES, type OraclePolicy } from "./domain/oracle-policy";
import { InputError } from "./errors";
import { verifyThresholds, type ThresholdReport } from "./metrics/thresholds";
import { setFeedPrice } from "./oracles/feeds";
import { openEthenaMinting } from "./protocols/ethena-minting";
import type { LendingMarket, PositionState } from "./protocols/lending-market";
import { openMarket, protocolNamed } from "./protocols/registry";
import { runFlashLoop } from "./strategies/flash-loop";
import { runIterativeLoop, validateLoopParams, type LoopParams } from "./strategies/iterative-loop";
import {
  LIQUIDATOR_KINDS,
  LiquidationBot,
  type LiquidationOutcome,
  type LiquidatorKind,
  type Refusal,
} from "./strategies/liquidation-bot";
import { openSession, splitSigners, type Session, type SessionChain } from "./session";
import { deployEmbeddedContext, embeddedParamsOf } from "./session/embedded";
import { MAINNET_PROFILE } from "./session/mode";

export { InputError } from "./errors";
export type { AaveRelease } from "./domain/aave-release";
export type { OraclePolicy } from "./domain/oracle-policy";
export type { TokenSymbol } from "./domain/tokens";
export type { LendingMarket, LiquidationRecord, PositionState, RiskParams } from "./protocols/lending-market";
export type { LiquidationOutcome, LiquidatorKind, Refusal } from "./strategies/liquidation-bot";
export type { ThresholdReport } from "./metrics/thresholds";

/**
 * The harness on one chain: `ctx` (what every call takes), the users' accounts, the liquidator's, and `close()`
 * (fork mode: stops the upstream proxy; a no-op on the embedded chain). Account 0 of the node is the chain's admin.
 */
export type Chain<S extends Signer = Signer> = Session<S>;

/** A local development node: its provider (Hardhat: `ethers.provider`) and its unlocked accounts (at least 3). */
export interface Node<S extends Signer = Signer> {
  provider: RpcProvider;
  signers: S[];
}

/**
 * A node that can be re-forked: `resetForking(url, block)` (Hardhat: `hardhat_reset` with `forking`), and a provider
 * that impersonates (`getSigner`).
 */
export type ForkableNode<S extends Signer = Signer> = SessionChain<S>;

export interface EmbeddedChainOptions {
  /** Aave logic: "origin-v3.6" (default; mainnet's line since v3.3) or "v3.0". */
  aaveRelease?: AaveRelease;
  /** Also deploy Curve's USDe/USDC/USDT/DAI stable-swap pool (the liquidation bot then sells on the better venue). */
  curve?: boolean;
}

/**
 * Deploys the embedded chain — Aave V3, Morpho Blue, Uniswap V3 (and Curve) bytecode with mainnet's parameters — on
 * `node`, account 0 as its admin. Always a fresh deployment: start the node from genesis first (Hardhat:
 * `reset()` of hardhat-network-helpers) and every address and number is the same on every run.
 */
export async function deployEmbeddedChain<S extends Signer>(
  node: Node<S>,
  options: EmbeddedChainOptions = {},
): Promise<Chain<S>> {
  const { deployer, users, liquidator } = splitSigners(node.signers);
  const params = embeddedParamsOf({
    aaveRelease: aaveReleaseFrom(options.aaveRelease ?? DEFAULT_AAVE_RELEASE, "aaveRelease"),
    curve: options.curve ?? false,
  });
  const ctx = await deployEmbeddedContext(node.provider, deployer, params);
  return { ctx, users, liquidator, close: async () => undefined };
}

export interface ForkOptions {
  /** An archive JSON-RPC URL (never printed). */
  url: string;
  /** The block to fork at (default: the profile's recorded block). */
  block?: number;
  /** The chain profile: "mainnet" (default) or a deployments file. */
  profile?: string;
  /** Where fork responses are cached (default .fork-cache). */
  cacheDir?: string;
  /** Progress lines (default: none). */
  log?: (line: string) => void;
}

/**
 * Forks `fork.url` at `fork.block` on `node` through loopstress's caching proxy (Hardhat's in-process network:
 * `resetForking` runs `hardhat_reset` with `forking`). Call `close()` when done.
 */
export async function openForkedChain<S extends Signer>(node: ForkableNode<S>, fork: ForkOptions): Promise<Chain<S>> {
  // Without a URL the session would open a recorded deployment instead: refuse it here.
  if (fork.url === "") throw new InputError("url", "is empty", "give an archive JSON-RPC URL");
  const flags = {
    forkUrl: fork.url,
    forkBlock: fork.block === undefined ? undefined : String(forkBlockFrom(String(fork.block), "block")),
    profile: fork.profile ?? MAINNET_PROFILE,
    forkCache: fork.cacheDir,
  };
  return openSession(node, flags, { log: fork.log ?? (() => undefined), env: {} });
}

/** The market a key names: "aave-v3:USDe/USDC:emode-2", "morpho-blue:sUSDe/USDC-91.5" (see the chain profile). */
export function market(chain: Chain, key: string): LendingMarket {
  return openMarket(chain.ctx, key);
}

/**
 * Points `market`'s oracle at `policy` through its protocol's own admin path: "pegged-to-USDT" (Aave mainnet),
 * "market" (USDe follows the USDe/USD feed), "exchange-rate" (sUSDe at its ERC-4626 rate, USDe at 1), "fixed".
 * On Aave the AaveOracle is shared: every Aave market follows.
 */
export async function setOraclePolicy(chain: Chain, market: LendingMarket, policy: OraclePolicy): Promise<void> {
  if (!(ORACLE_POLICIES as readonly string[]).includes(policy)) {
    throw new InputError(
      "policy",
      `unknown oracle policy "${shownValue(policy)}"`,
      `use ${ORACLE_POLICIES.join(", ")}`,
    );
  }
  await protocolNamed(market.protocol).applyPolicy(chain.ctx, policy, [market]);
}

/** Sets a price feed ("USDe/USD", "USDT/USD", "ETH/USD", …) to `usd`, a decimal string ("0.95"). Returns it in E8. */
export async function setPrice(chain: Chain, feed: string, usd: string): Promise<bigint> {
  const priceE8 = decimalFrom(usd, "price", 8);
  await setFeedPrice(chain.ctx, feed, priceE8);
  return priceE8;
}

export interface LoopSpec {
  /** The market key, e.g. "aave-v3:sUSDe/USDT:emode-2". */
  market: string;
  /** What the user starts with, whole tokens as a decimal string: "100000". It is minted to the user. */
  amount: string;
  /** USDe (default), or sUSDe on an sUSDe market. */
  token?: "USDe" | "sUSDe";
  /** Borrow → swap → supply rounds (0 to 50). */
  rounds: number;
  /** The share of the last supply's value borrowed each round, a decimal string: "0.80". */
  ltv: string;
  /** Open it in one flash-loan transaction (our LeverageLooper) instead of a transaction per step. */
  flash?: boolean;
}

export interface Loop {
  market: LendingMarket;
  /** The borrower: the user's address. */
  account: string;
  /** The position as the protocol reports it once the loop is open. */
  position: PositionState;
}

/**
 * Opens a leveraged loop for `user`: mints `spec.amount` of the starting token to it, then borrows the debt token,
 * swaps it to USDe on Uniswap V3 (staking to sUSDe on an sUSDe market) and supplies it, `spec.rounds` times. Every
 * input is checked against the market's own parameters (max LTV, threshold) before the first transaction.
 */
export async function openLoop(chain: Chain, user: Signer, spec: LoopSpec): Promise<Loop> {
  if (!Number.isInteger(spec.rounds) || spec.rounds < 0 || spec.rounds > MAX_LOOP_ROUNDS) {
    throw new InputError(
      "rounds",
      `${spec.rounds} is out of range`,
      `give a whole number from 0 to ${MAX_LOOP_ROUNDS}`,
    );
  }
  const token = spec.token ?? "USDe";
  if (token !== "USDe" && token !== "sUSDe") {
    throw new InputError("token", `unknown starting token "${shownValue(token)}"`, "use USDe or sUSDe");
  }
  const params: LoopParams = {
    initialSymbol: token,
    initialRaw: amountFrom(spec.amount, "amount", tokenDecimals(chain.ctx, token)),
    rounds: spec.rounds,
    targetLtvWad: decimalFrom(spec.ltv, "ltv", 18),
  };
  const m = openMarket(chain.ctx, spec.market);
  try {
    await validateLoopParams(m, params);
  } catch (err) {
    // The library names the loop's own fields; name the ones of LoopSpec.
    if (err instanceof InputError && Object.hasOwn(SPEC_FIELDS, err.field)) throw err.atField(SPEC_FIELDS[err.field]);
    throw err;
  }
  await deal(chain.ctx, params.initialSymbol, user, params.initialRaw);
  const dex = new UniswapV3Dex(chain.ctx);
  const loop = await (spec.flash ? runFlashLoop : runIterativeLoop)(chain.ctx, m, dex, user, params);
  return { market: m, account: loop.account, position: loop.final };
}

/** LoopParams' fields (validateLoopParams names them) as LoopSpec calls them. */
const SPEC_FIELDS: Record<string, keyof LoopSpec> = {
  initialAmount: "amount",
  initialToken: "token",
  targetLtv: "ltv",
  rounds: "rounds",
  market: "market",
};

/** A position as its protocol reports it now: collateral, debt, health factor, LTV, liquidatable or not. */
export function readPosition(market: LendingMarket, account: string): Promise<PositionState> {
  return market.position(account);
}

/**
 * Where a position becomes liquidatable, as a price of `feed` (E8 strings): the model's prediction
 * (`liquidation.analytic`) and the boundary found on chain by real liquidation attempts from a snapshot
 * (`liquidation.onChain`: `largestTrueE8` is the highest price at which a liquidation succeeds); for Aave, the same
 * for the 100% close factor (`closeFactor`). The chain is left as it was.
 */
export function liquidationThresholds(
  chain: Chain,
  market: LendingMarket,
  account: string,
  feed = "USDe/USD",
): Promise<ThresholdReport> {
  return verifyThresholds(chain.ctx, market, account, feed, chain.liquidator);
}

export interface BotSpec {
  /**
   * "seller" (default: flash-funded, sells the seized collateral in the same transaction, never at a loss),
   * "inventory" (repays from its own stablecoins, may hold the collateral) or "redeemer" (redeems seized USDe with
   * Ethena).
   */
  kind?: LiquidatorKind;
}

export interface BotResult {
  /** One per liquidation: the protocol's record (repaid, seized, bad debt, raw) and what the bot did with it. */
  liquidations: LiquidationOutcome[];
  /** Liquidations a protocol refused (its decoded error) or the bot declined (its reason). */
  refusals: Refusal[];
}

/**
 * One sweep of the liquidation bot, as the chain's liquidator, over `borrowers` on `market`: each liquidatable
 * position is liquidated as many times as the protocol allows, the seized collateral sold on the chain's best venue.
 */
export async function runLiquidationBot(
  chain: Chain,
  market: LendingMarket,
  borrowers: string[],
  spec: BotSpec = {},
): Promise<BotResult> {
  const kind = spec.kind ?? "seller";
  if (!LIQUIDATOR_KINDS.includes(kind)) {
    throw new InputError("kind", `unknown liquidator kind "${shownValue(kind)}"`, `use ${LIQUIDATOR_KINDS.join(", ")}`);
  }
  const minting = kind === "redeemer" ? openEthenaMinting(chain.ctx) : undefined;
  await minting?.whitelist(await chain.liquidator.getAddress());
  const bot = new LiquidationBot(chain.ctx, openBestQuote(chain.ctx), chain.liquidator, { kind, minting });
  const liquidations = await bot.sweep(market, borrowers);
  return { liquidations, refusals: [...bot.refusals] };
}
