/**
 * One interface for every lending protocol loopstress drives. An instance is one borrowable pair on a protocol
 * (collateral → debt, plus the E-mode for Aave), so a loop, a liquidation bot or a threshold check is written once.
 * Adding a protocol (e.g. Spark, an Aave V3 fork) means one new file implementing `LendingMarket` and
 * `LendingProtocol`, and one line in `registry.ts`.
 *
 * Every number returned comes from contract state or events; risk parameters are read from chain, never from
 * our own constants.
 */
import type { ContractTransactionReceipt, Signer } from "ethers";
import type { FlashLiquidator, LeverageLooper } from "../../typechain-types";
import type { ChainContext } from "../chain/context";
import type { OraclePolicy } from "../domain/oracle-policy";
import type { TokenSymbol } from "../domain/tokens";

/** The protocols of the registry, by the name market keys start with. */
export type ProtocolName = "aave-v3" | "morpho-blue";

export interface RiskParams {
  protocol: ProtocolName;
  market: string;
  collateral: TokenSymbol;
  debt: TokenSymbol;
  /** Max LTV for new borrows (Aave LTV, E-mode aware; Morpho: LLTV), WAD. */
  maxLtvWad: bigint;
  /** Liquidation threshold (Aave LT, E-mode aware; Morpho: LLTV), WAD. */
  liquidationThresholdWad: bigint;
  /** Collateral paid per unit of debt repaid (Aave: liquidation bonus, e.g. 1.04e18; Morpho: incentive factor), WAD. */
  liquidationIncentiveWad: bigint;
  /** Aave: share of the bonus taken by the protocol, WAD (0 on Morpho). */
  protocolFeeOfBonusWad: bigint;
  /** Protocol code version actually deployed, e.g. "aave-v3 pool revision 1", "morpho-blue 1.0". */
  version: string;
  /** Protocol-specific raw parameters for display (bps, ids, …). */
  raw: Record<string, string>;
}

export interface AssetAmount {
  symbol: TokenSymbol;
  amountRaw: bigint;
  /** Value in USD (Aave: oracle base currency; Morpho: loan token valued at its own USD feed), WAD. */
  valueUsdWad: bigint;
}

export interface PositionState {
  protocol: ProtocolName;
  market: string;
  account: string;
  block: number;
  collateral: AssetAmount[];
  debt: AssetAmount[];
  collateralUsdWad: bigint;
  debtUsdWad: bigint;
  /** Aave: getUserAccountData().healthFactor; Morpho: collateral x price x LLTV / borrowed. WAD; MaxUint256 with no debt. */
  healthFactorWad: bigint;
  /** Debt value / collateral value at the protocol's oracle, WAD. */
  ltvWad: bigint;
  liquidatable: boolean;
}

/** What one liquidation did, entirely from the protocol's event and state around the transaction. */
export interface LiquidationRecord {
  protocol: ProtocolName;
  market: string;
  borrower: string;
  liquidator: string;
  debtAsset: TokenSymbol;
  repaidRaw: bigint;
  collateralAsset: TokenSymbol;
  /** Collateral received by the liquidator (Aave: after the protocol fee). */
  seizedRaw: bigint;
  /** Aave liquidation protocol fee, collateral units (0 on Morpho). */
  protocolFeeRaw: bigint;
  /** Collateral value paid above the repaid debt at the oracle prices, debt units. */
  bonusRaw: bigint;
  /** Morpho badDebtAssets; Aave: debt left with zero collateral. Debt units. */
  badDebtRaw: bigint;
  /**
   * The oracle price used: raw debt-token units per 1e18 raw collateral units (per whole collateral token, all of
   * which have 18 decimals here). Not a WAD despite its name: 1.19 USDT per sUSDe is 1190000. Reports call it
   * `collateralPriceInDebtRaw`.
   */
  collateralPriceWad: bigint;
  healthFactorBeforeWad: bigint;
  healthFactorAfterWad: bigint;
  gasUsed: bigint;
  block: number;
  txHash: string;
}

/**
 * A position's health as a function of one price feed, computed from on-chain state and parameters with the
 * protocol's own formulas and rounding, as of a given future timestamp (interest accrued to it).
 */
export interface LiquidationModel {
  /** What the model reproduces, e.g. "Aave v3.0 GenericLogic/LiquidationLogic (Pool revision 1)". */
  description: string;
  /** Health factor (Aave) or max-borrow/borrowed (Morpho) at feed price `priceE8`, WAD. */
  healthFactorWad(priceE8: bigint): bigint;
  /** Would the protocol let anyone liquidate at this feed price? */
  liquidatable(priceE8: bigint): boolean;
  /** Aave only: does the 100% close factor apply at this feed price? */
  fullCloseFactor?(priceE8: bigint): boolean;
  /** The borrower's debt at the model's timestamp, raw. */
  debtRaw: bigint;
}

/** A loop opened in one transaction through our LeverageLooper. */
export interface FlashLoopCall {
  looper: LeverageLooper;
  /** USDe, or the collateral itself; pulled from the user. */
  initialToken: TokenSymbol;
  initialRaw: bigint;
  flashAmountRaw: bigint;
  /** Uniswap V3 path debt token → … → USDe. */
  swapPath: string;
  minUsdeOutRaw: bigint;
}

/** A liquidation through our FlashLiquidator: flash-funded, the seized collateral sold in the same transaction. */
export interface FlashLiquidation {
  record: LiquidationRecord;
  /** Collateral sold and debt token received from the DEX, raw. */
  soldRaw: bigint;
  saleProceedsRaw: bigint;
  /** Aave flash-loan premium (0 on Morpho, whose liquidate callback is the flash loan). */
  flashPremiumRaw: bigint;
  /** Sent to the owner: proceeds - repaid - premium, debt units. */
  profitRaw: bigint;
}

export interface LendingMarket {
  readonly protocol: ProtocolName;
  /** e.g. "aave-v3:USDe/USDC:emode-2", "morpho-blue:sUSDe/USDC-91.5" */
  readonly key: string;
  readonly collateral: TokenSymbol;
  readonly debt: TokenSymbol;
  /** The contract that pulls tokens (for approvals) and that flash-loan contracts call. */
  readonly spender: string;

  /** One-time account set-up (Aave: enter the E-mode; approvals). */
  prepare(user: Signer): Promise<void>;
  supplyCollateral(user: Signer, amountRaw: bigint): Promise<ContractTransactionReceipt>;
  withdrawCollateral(user: Signer, amountRaw: bigint): Promise<ContractTransactionReceipt>;
  borrow(user: Signer, amountRaw: bigint): Promise<ContractTransactionReceipt>;
  /** amountRaw = MaxUint256 repays everything. */
  repay(user: Signer, amountRaw: bigint): Promise<ContractTransactionReceipt>;

  riskParams(): Promise<RiskParams>;
  position(account: string): Promise<PositionState>;
  /** The collateral price the protocol uses now, as `LiquidationRecord.collateralPriceWad`: raw debt-token units per 1e18 raw collateral units. */
  collateralPriceWad(): Promise<bigint>;
  /** Health factors of many accounts in a few batched reads (same values as position().healthFactorWad). */
  healthFactors(accounts: string[]): Promise<bigint[]>;
  /** Of `accounts`, those the protocol would let anyone liquidate now. */
  liquidatable(accounts: string[]): Promise<string[]>;
  /** Accounts that borrowed on this market between two blocks, from the protocol's events. */
  borrowersFromEvents(fromBlock: number, toBlock: number): Promise<string[]>;
  /**
   * Liquidates `borrower` directly (the liquidator holds the debt token), repaying at most `maxRepayRaw`
   * (MaxUint256: as much as the protocol allows). Returns the measured record.
   */
  liquidate(liquidator: Signer, borrower: string, maxRepayRaw: bigint): Promise<LiquidationRecord>;
  /**
   * The analytic model of `account` against the feed at `feedAddress` at `timestamp`. Throws an InputError if
   * the market's oracle does not read that feed (under its current oracle policy).
   */
  liquidationModel(account: string, feedAddress: string, timestamp: bigint): Promise<LiquidationModel>;
  /** Fee of the flash loan the looper uses on this protocol, bps (Aave FLASHLOAN_PREMIUM_TOTAL; Morpho 0). */
  flashLoanPremiumBps(): Promise<bigint>;
  /** Gives the looper what the protocol needs (E-mode, credit delegation or authorization, approval), then loops. */
  flashLoop(user: Signer, call: FlashLoopCall): Promise<ContractTransactionReceipt>;
  /** Liquidates `borrower` (repaying at most `maxRepayRaw`) through `liquidator`, selling along `swapPath`. */
  flashLiquidate(
    liquidator: FlashLiquidator,
    borrower: string,
    maxRepayRaw: bigint,
    swapPath: string,
  ): Promise<FlashLiquidation>;
}

/**
 * A lending protocol as the harness plugs it in: how its market keys read, and how it applies an oracle policy.
 * One adapter file implements it; `registry.ts` lists it.
 */
export interface LendingProtocol {
  readonly name: ProtocolName;
  /** The protocol's key in a policy set (scenario files, reports): e.g. "aave" in `{ aave: market, morpho: ... }`. */
  readonly policyKey: string;
  /** How reports name it: "Aave", "Morpho". */
  readonly label: string;
  /** The market of this protocol named by `rest`, the part of a market key after "<name>:". */
  openMarket(ctx: ChainContext, rest: string, field: string): LendingMarket;
  /** Points the oracles of `markets` (all of this protocol) at the feeds `policy` names, with the real admin paths. */
  applyPolicy(ctx: ChainContext, policy: OraclePolicy, markets: readonly LendingMarket[]): Promise<void>;
}

/** Each chain context's markets' risk parameters, by market key, once read. */
const keptRiskParams = new WeakMap<ChainContext, Map<string, RiskParams>>();

/**
 * A market's risk parameters, read once per chain context. They change only by governance (Aave's PoolConfigurator,
 * behind the pool and risk admins' roles; a Morpho market's are immutable), which the harness never sends once it has
 * deployed or forked a chain, and a new deployment or fork is a new context. A sweep asks for them before each
 * liquidation: about 3,200 reads at 200 positions (measured), each the same answer.
 */
export async function riskParamsOnce(
  ctx: ChainContext,
  key: string,
  read: () => Promise<RiskParams>,
): Promise<RiskParams> {
  const byKey = keptRiskParams.get(ctx) ?? new Map<string, RiskParams>();
  keptRiskParams.set(ctx, byKey);
  const kept = byKey.get(key) ?? (await read());
  byKey.set(key, kept);
  return { ...kept, raw: { ...kept.raw } };
}
