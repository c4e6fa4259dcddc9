/**
 * Aave V3 adapter: one collateral → one debt pair, optionally in an E-mode category. Risk parameters, prices,
 * positions and liquidation amounts are read from the Pool, the data provider, the oracle and the events.
 * A fork of Aave V3 (Spark) would be a subclass naming its own key prefix.
 */
import { Contract, Interface, MaxUint256, Signer, ZeroAddress } from "ethers";
import { IERC20Metadata__factory, IERC4626__factory, VaultRateAggregator__factory } from "../../typechain-types";
import { AAVE_BASE_CURRENCY_UNIT, AAVE_CLOSE_FACTOR_HF_THRESHOLD, PERCENTAGE_FACTOR, WAD } from "../constants";
import { InputError } from "../errors";
import type { ChainContext } from "../chain/context";
import { tokenAddress, tokenDecimals } from "../chain/context";
import { sendTx } from "../chain/tx";
import { inLensCalls, positionLens } from "../chain/tools";
import type { OraclePolicy } from "../domain/oracle-policy";
import { TOKEN_SYMBOLS, TokenSymbol } from "../domain/tokens";
import { assertLocalDevNode } from "../chain/safety";
import { aaveSourcesFor } from "../oracles/policy";
import { ensureAllowance } from "../chain/erc20";
import type { FlashLiquidator } from "../../typechain-types";
import { closeFactorBps, healthFactor, normalizedDebt, normalizedIncome, rayMul, valueInBase } from "../math/aave-v3";
import {
  aTokenBalance,
  collateralValueBase,
  debtValueBase,
  fullCloseFactorOrigin,
  healthFactorOrigin,
  liquidationAmountsOrigin,
  normalizedDebtOrigin,
  normalizedIncomeOrigin,
  vTokenBalance,
} from "../math/aave-v3-origin";
import { percentMul } from "../math/fixed-point";
import type {
  FlashLiquidation,
  FlashLoopCall,
  LendingMarket,
  LendingProtocol,
  LiquidationModel,
  LiquidationRecord,
  PositionState,
  ProtocolName,
  RiskParams,
} from "./lending-market";
import { riskParamsOnce } from "./lending-market";
import {
  AToken__factory,
  AaveOracle__factory,
  AaveProtocolDataProvider__factory,
  Pool__factory,
  VariableDebtToken__factory,
} from "./aave-v3-types";
import { sameAddress } from "../domain/address";
import { type AaveRevisionRules, aaveRulesOf } from "./aave-v3-revisions";
import { bindContract } from "../chain/bind";

/** Origin-line events the v3.0 ABI does not have. */
const ORIGIN_EVENTS = new Interface([
  "event DeficitCreated(address indexed user, address indexed debtAsset, uint256 amountCreated)",
]);

export interface AaveMarketSpec {
  collateral: TokenSymbol;
  debt: TokenSymbol;
  /** 0: no E-mode. */
  eModeCategory: number;
}

/** Aave's variable interest rate mode. */
const VARIABLE_RATE = 2n;
/** Extra credit delegation for the origin line's rounding of minted debt (VariableDebtToken charges the minted balance). */
const DELEGATION_ROUNDING_MARGIN_RAW = 2n;
/**
 * Whether a chain's data provider has v3.0/3.1's getReserveEModeCategory (v3.2+ removed it), learnt from its first
 * answer: asking again would be a reverted call — and a Solidity stack trace on Hardhat — at every risk-parameter read.
 */
const legacyEModeGetter = new WeakMap<ChainContext, Map<string, boolean>>();

/** USD base-currency (8 decimals) → WAD. */
const BASE_TO_WAD = WAD / AAVE_BASE_CURRENCY_UNIT;

export class AaveV3Market implements LendingMarket {
  readonly protocol: ProtocolName = "aave-v3";
  readonly key: string;
  readonly collateral: TokenSymbol;
  readonly debt: TokenSymbol;
  readonly eModeCategory: number;
  readonly spender: string;

  constructor(
    private readonly ctx: ChainContext,
    spec: AaveMarketSpec,
  ) {
    this.collateral = spec.collateral;
    this.debt = spec.debt;
    this.eModeCategory = spec.eModeCategory;
    this.key = `aave-v3:${spec.collateral}/${spec.debt}${spec.eModeCategory ? `:emode-${spec.eModeCategory}` : ""}`;
    this.spender = ctx.record.aave.pool;
  }

  get collateralAddress(): string {
    return tokenAddress(this.ctx, this.collateral);
  }

  get debtAddress(): string {
    return tokenAddress(this.ctx, this.debt);
  }

  private pool(signer?: Signer) {
    return bindContract(Pool__factory, this.ctx.record.aave.pool, signer ?? this.ctx.provider);
  }

  private reserve(symbol: TokenSymbol) {
    const r = this.ctx.record.aave.reserves[symbol];
    if (!r)
      throw new Error(`${this.key}: ${symbol} is not an Aave reserve in chain profile "${this.ctx.record.profile}"`);
    return r;
  }

  /** The variable debt token, on which a user gives credit delegation to a flash-loan contract. */
  get variableDebtToken(): string {
    return this.reserve(this.debt).variableDebtToken;
  }

  async prepare(user: Signer): Promise<void> {
    const account = await user.getAddress();
    if (this.eModeCategory !== 0 && (await this.pool().getUserEMode(account)) !== BigInt(this.eModeCategory)) {
      await sendTx(this.ctx.provider, `${this.key}: setUserEMode(${this.eModeCategory})`, () =>
        this.pool(user).setUserEMode(this.eModeCategory),
      );
    }
  }

  async supplyCollateral(user: Signer, amountRaw: bigint) {
    await ensureAllowance(this.ctx, user, this.collateral, this.spender, amountRaw);
    const onBehalfOf = await user.getAddress();
    return sendTx(this.ctx.provider, `${this.key}: supply ${this.collateral}`, () =>
      this.pool(user).supply(this.collateralAddress, amountRaw, onBehalfOf, 0),
    );
  }

  async withdrawCollateral(user: Signer, amountRaw: bigint) {
    const to = await user.getAddress();
    return sendTx(this.ctx.provider, `${this.key}: withdraw ${this.collateral}`, () =>
      this.pool(user).withdraw(this.collateralAddress, amountRaw, to),
    );
  }

  async borrow(user: Signer, amountRaw: bigint) {
    const onBehalfOf = await user.getAddress();
    return sendTx(this.ctx.provider, `${this.key}: borrow ${this.debt}`, () =>
      this.pool(user).borrow(this.debtAddress, amountRaw, VARIABLE_RATE, 0, onBehalfOf),
    );
  }

  async repay(user: Signer, amountRaw: bigint) {
    await ensureAllowance(this.ctx, user, this.debt, this.spender, amountRaw);
    const onBehalfOf = await user.getAddress();
    return sendTx(this.ctx.provider, `${this.key}: repay ${this.debt}`, () =>
      this.pool(user).repay(this.debtAddress, amountRaw, VARIABLE_RATE, onBehalfOf),
    );
  }

  riskParams(): Promise<RiskParams> {
    return riskParamsOnce(this.ctx, this.key, () => this.readRiskParams());
  }

  private async readRiskParams(): Promise<RiskParams> {
    const dp = bindContract(AaveProtocolDataProvider__factory, this.ctx.record.aave.dataProvider, this.ctx.provider);
    const [cfg, feeBps, revision, eMode] = await Promise.all([
      dp.getReserveConfigurationData(this.collateralAddress),
      dp.getLiquidationProtocolFee(this.collateralAddress),
      this.pool().POOL_REVISION(),
      this.eModeCategory !== 0 &&
        this.isEModeCollateral(dp).then(async (inCategory) =>
          inCategory ? this.pool().getEModeCategoryData(this.eModeCategory) : undefined,
        ),
    ]);
    let ltv = cfg.ltv;
    let lt = cfg.liquidationThreshold;
    let bonus = cfg.liquidationBonus;
    let eModeApplies = false;
    if (eMode) {
      [ltv, lt, bonus] = [BigInt(eMode.ltv), BigInt(eMode.liquidationThreshold), BigInt(eMode.liquidationBonus)];
      eModeApplies = true;
    }
    const bpsToWad = (b: bigint) => (b * WAD) / PERCENTAGE_FACTOR;
    return {
      protocol: this.protocol,
      market: this.key,
      collateral: this.collateral,
      debt: this.debt,
      maxLtvWad: bpsToWad(ltv),
      liquidationThresholdWad: bpsToWad(lt),
      liquidationIncentiveWad: bpsToWad(bonus),
      protocolFeeOfBonusWad: bpsToWad(feeBps),
      version: `aave-v3 Pool revision ${revision}`,
      raw: {
        poolRevision: revision.toString(),
        ltvBps: ltv.toString(),
        liquidationThresholdBps: lt.toString(),
        liquidationBonusBps: bonus.toString(),
        liquidationProtocolFeeBps: feeBps.toString(),
        eModeCategory: String(eModeApplies ? this.eModeCategory : 0),
      },
    };
  }

  /**
   * Whether the collateral counts as collateral in this E-mode category. Aave v3.0/3.1 give each asset one category
   * (data provider getReserveEModeCategory); v3.2+ ("liquid E-mode") has a collateral bitmap per category instead.
   */
  private async isEModeCollateral(dp: ReturnType<typeof AaveProtocolDataProvider__factory.connect>): Promise<boolean> {
    const providers = legacyEModeGetter.get(this.ctx) ?? new Map<string, boolean>();
    legacyEModeGetter.set(this.ctx, providers);
    const dataProvider = this.ctx.record.aave.dataProvider.toLowerCase();
    if (providers.get(dataProvider) !== false) {
      const legacy = await dp.getReserveEModeCategory(this.collateralAddress).catch(() => undefined);
      providers.set(dataProvider, legacy !== undefined);
      if (legacy !== undefined) return legacy === BigInt(this.eModeCategory);
    }
    const pool = new Contract(
      this.ctx.record.aave.pool,
      ["function getEModeCategoryCollateralBitmap(uint8) view returns (uint128)"],
      this.ctx.provider,
    );
    const bitmap = (await pool.getEModeCategoryCollateralBitmap(this.eModeCategory)) as bigint;
    const { id } = await this.pool().getReserveData(this.collateralAddress);
    return ((bitmap >> id) & 1n) === 1n;
  }

  /** Oracle prices in the base currency (USD, 8 decimals). */
  async pricesBase(): Promise<{ collateral: bigint; debt: bigint }> {
    const oracle = bindContract(AaveOracle__factory, this.ctx.record.aave.oracle, this.ctx.provider);
    const [collateral, debt] = await oracle.getAssetsPrices([this.collateralAddress, this.debtAddress]);
    return { collateral, debt };
  }

  async collateralPriceWad(): Promise<bigint> {
    const p = await this.pricesBase();
    // debt raw units per 1e18 raw collateral units (collateral is 18 decimals for USDe/sUSDe)
    return (
      (p.collateral * 10n ** BigInt(tokenDecimals(this.ctx, this.debt)) * WAD) /
      (p.debt * 10n ** BigInt(tokenDecimals(this.ctx, this.collateral)))
    );
  }

  async position(account: string): Promise<PositionState> {
    const [data, p, block, collateralRaw, debtRaw] = await Promise.all([
      this.pool().getUserAccountData(account),
      this.pricesBase(),
      this.ctx.provider.getBlockNumber(),
      bindContract(AToken__factory, this.reserve(this.collateral).aToken, this.ctx.provider).balanceOf(account),
      bindContract(VariableDebtToken__factory, this.reserve(this.debt).variableDebtToken, this.ctx.provider).balanceOf(
        account,
      ),
    ]);
    const usd = (raw: bigint, price: bigint, symbol: TokenSymbol) =>
      (raw * price * BASE_TO_WAD) / 10n ** BigInt(tokenDecimals(this.ctx, symbol));
    const hasDebt = data.totalDebtBase > 0n;
    return {
      protocol: this.protocol,
      market: this.key,
      account,
      block,
      collateral: [
        {
          symbol: this.collateral,
          amountRaw: collateralRaw,
          valueUsdWad: usd(collateralRaw, p.collateral, this.collateral),
        },
      ],
      debt: [{ symbol: this.debt, amountRaw: debtRaw, valueUsdWad: usd(debtRaw, p.debt, this.debt) }],
      collateralUsdWad: data.totalCollateralBase * BASE_TO_WAD,
      debtUsdWad: data.totalDebtBase * BASE_TO_WAD,
      healthFactorWad: hasDebt ? data.healthFactor : MaxUint256,
      ltvWad:
        data.totalCollateralBase === 0n
          ? hasDebt
            ? MaxUint256
            : 0n
          : (data.totalDebtBase * WAD) / data.totalCollateralBase,
      // With no collateral left the Pool refuses (error 46): the leftover debt is bad debt, not a liquidation.
      liquidatable: hasDebt && data.healthFactor < WAD && collateralRaw > 0n,
    };
  }

  async healthFactors(accounts: string[]): Promise<bigint[]> {
    if (accounts.length === 0) return [];
    const lens = await positionLens(this.ctx);
    const data = await inLensCalls(accounts, (chunk) => lens.aaveAccounts(this.ctx.record.aave.pool, chunk));
    return data.map((d) => (d.totalDebtBase > 0n ? d.healthFactor : MaxUint256));
  }

  async liquidatable(accounts: string[]): Promise<string[]> {
    if (accounts.length === 0) return [];
    const lens = await positionLens(this.ctx);
    const data = await inLensCalls(accounts, (chunk) => lens.aaveAccounts(this.ctx.record.aave.pool, chunk));
    return accounts.filter(
      (_, i) => data[i].totalDebtBase > 0n && data[i].healthFactor < WAD && data[i].totalCollateralBase > 0n,
    );
  }

  async borrowersFromEvents(fromBlock: number, toBlock: number): Promise<string[]> {
    const pool = this.pool();
    const logs = await pool.queryFilter(pool.filters.Borrow(this.debtAddress), fromBlock, toBlock);
    return [...new Set(logs.map((l) => l.args.onBehalfOf))];
  }

  async liquidate(liquidator: Signer, borrower: string, maxRepayRaw: bigint): Promise<LiquidationRecord> {
    const [before, prices, priceWad, liquidatorAddress] = await Promise.all([
      this.pool().getUserAccountData(borrower),
      this.pricesBase(),
      this.collateralPriceWad(),
      liquidator.getAddress(),
    ]);
    await ensureAllowance(
      this.ctx,
      liquidator,
      this.debt,
      this.spender,
      maxRepayRaw === MaxUint256 ? MaxUint256 : maxRepayRaw,
    );
    const receipt = await sendTx(this.ctx.provider, `${this.key}: liquidationCall(${borrower})`, () =>
      this.pool(liquidator).liquidationCall(this.collateralAddress, this.debtAddress, borrower, maxRepayRaw, false),
    );
    return this.recordFromReceipt(receipt, borrower, before.healthFactor, prices, priceWad, liquidatorAddress);
  }

  /** Builds the liquidation record from a receipt containing the Pool's LiquidationCall event (ours or a contract's). */
  async recordFromReceipt(
    receipt: {
      logs: readonly { address: string; topics: readonly string[]; data: string }[];
      gasUsed: bigint;
      blockNumber: number;
      hash: string;
    },
    borrower: string,
    healthFactorBeforeWad: bigint,
    prices: { collateral: bigint; debt: bigint },
    collateralPriceWad: bigint,
    fallbackLiquidator: string,
  ): Promise<LiquidationRecord> {
    const pool = this.pool();
    const aTokenAddress = this.reserve(this.collateral).aToken;
    const aToken = bindContract(AToken__factory, aTokenAddress, this.ctx.provider);
    const treasury = await aToken.RESERVE_TREASURY_ADDRESS();
    let repaid = 0n;
    let seized = 0n;
    let liquidator = fallbackLiquidator;
    let fee = 0n;
    let found = false;
    let deficit: bigint | undefined;
    // Only the events read here are decoded (a liquidation also emits the reserves' updates, mints and burns).
    const wanted = new Set([
      ORIGIN_EVENTS.getEvent("DeficitCreated")?.topicHash,
      pool.interface.getEvent("LiquidationCall").topicHash,
      aToken.interface.getEvent("Transfer").topicHash,
    ]);
    for (const log of receipt.logs) {
      if (!wanted.has(log.topics[0])) continue;
      if (sameAddress(log.address, this.ctx.record.aave.pool)) {
        // v3.3+: debt left on an account with no collateral is burnt and booked as the reserve's deficit.
        const deficitLog = ORIGIN_EVENTS.parseLog(log);
        if (
          deficitLog?.name === "DeficitCreated" &&
          sameAddress(String(deficitLog.args.user), borrower) &&
          sameAddress(String(deficitLog.args.debtAsset), this.debtAddress)
        ) {
          deficit = (deficit ?? 0n) + (deficitLog.args.amountCreated as bigint);
          continue;
        }
        const parsed = pool.interface.parseLog(log);
        if (parsed?.name === "LiquidationCall" && sameAddress(String(parsed.args.user), borrower)) {
          repaid = parsed.args.debtToCover as bigint;
          seized = parsed.args.liquidatedCollateralAmount as bigint;
          liquidator = String(parsed.args.liquidator);
          found = true;
        }
      } else if (sameAddress(log.address, aTokenAddress)) {
        const parsed = aToken.interface.parseLog(log);
        // The protocol fee moves as aTokens from the borrower to the treasury (AToken.transferOnLiquidation).
        if (
          parsed?.name === "Transfer" &&
          sameAddress(String(parsed.args.from), borrower) &&
          sameAddress(String(parsed.args.to), treasury)
        ) {
          fee += parsed.args.value as bigint;
        }
      }
    }
    if (!found) throw new Error(`${this.key}: no LiquidationCall event for ${borrower} in tx ${receipt.hash}`);
    const [after, debtLeft] = await Promise.all([
      this.pool().getUserAccountData(borrower),
      bindContract(VariableDebtToken__factory, this.reserve(this.debt).variableDebtToken, this.ctx.provider).balanceOf(
        borrower,
      ),
    ]);
    const collDec = 10n ** BigInt(tokenDecimals(this.ctx, this.collateral));
    const debtDec = 10n ** BigInt(tokenDecimals(this.ctx, this.debt));
    const seizedValueInDebt = (seized * prices.collateral * debtDec) / (prices.debt * collDec);
    return {
      protocol: this.protocol,
      market: this.key,
      borrower,
      liquidator,
      debtAsset: this.debt,
      repaidRaw: repaid,
      collateralAsset: this.collateral,
      seizedRaw: seized,
      protocolFeeRaw: fee,
      bonusRaw: seizedValueInDebt - repaid,
      // v3.3+ books it as a deficit (event); v3.0 leaves it on the account, which has no collateral to take.
      badDebtRaw: deficit ?? (after.totalCollateralBase === 0n ? debtLeft : 0n),
      collateralPriceWad,
      healthFactorBeforeWad: healthFactorBeforeWad,
      healthFactorAfterWad: after.totalDebtBase === 0n ? MaxUint256 : after.healthFactor,
      gasUsed: receipt.gasUsed,
      block: receipt.blockNumber,
      txHash: receipt.hash,
    };
  }

  /**
   * How the collateral's AaveOracle source answers as a function of `feedAddress`: the feed itself, or an
   * ERC-4626 rate x feed adapter (VaultRateAggregator) reading it. Anything else does not read the feed.
   */
  private async collateralPriceFn(feedAddress: string): Promise<(priceE8: bigint) => bigint> {
    const oracle = bindContract(AaveOracle__factory, this.ctx.record.aave.oracle, this.ctx.provider);
    const source = await oracle.getSourceOfAsset(this.collateralAddress);
    if (sameAddress(source, feedAddress)) return (p) => p;
    const adapter = bindContract(VaultRateAggregator__factory, source, this.ctx.provider);
    const underlying = await adapter.underlyingFeed().catch(() => undefined);
    if (underlying && sameAddress(underlying, feedAddress)) {
      const vault = bindContract(IERC4626__factory, await adapter.vault(), this.ctx.provider);
      const assets = await vault.convertToAssets(10n ** (await vault.decimals()));
      const oneAsset =
        10n ** (await bindContract(IERC20Metadata__factory, await vault.asset(), this.ctx.provider).decimals());
      return (p) => (p * assets) / oneAsset;
    }
    throw new InputError(
      "feed",
      `${this.key}: the AaveOracle source of ${this.collateral} (${source}) does not read feed ${feedAddress}`,
      'apply the "market" oracle policy first, or pick the feed the source reads',
    );
  }

  async liquidationModel(account: string, feedAddress: string, timestamp: bigint): Promise<LiquidationModel> {
    const risk = await this.riskParams();
    const revision = BigInt(risk.raw.poolRevision);
    const { rules, release } = aaveRulesOf(revision);
    const priceOf = await this.collateralPriceFn(feedAddress);
    const pool = this.pool();
    const [collReserve, debtReserve] = await Promise.all([
      pool.getReserveData(this.collateralAddress),
      pool.getReserveData(this.debtAddress),
    ]);
    const scaledColl = await bindContract(
      AToken__factory,
      this.reserve(this.collateral).aToken,
      this.ctx.provider,
    ).scaledBalanceOf(account);
    const scaledDebt = await bindContract(
      VariableDebtToken__factory,
      this.reserve(this.debt).variableDebtToken,
      this.ctx.provider,
    ).scaledBalanceOf(account);
    const { debt: debtPrice } = await this.pricesBase();
    const lt = BigInt(risk.raw.liquidationThresholdBps);
    const collDecimals = tokenDecimals(this.ctx, this.collateral);
    const debtDecimals = tokenDecimals(this.ctx, this.debt);
    const at = `LT ${lt} bps, indexes at t=${timestamp}`;
    if (rules === "v3.0") {
      const collRaw = rayMul(scaledColl, normalizedIncome(collReserve, timestamp));
      const debtRaw = rayMul(scaledDebt, normalizedDebt(debtReserve, timestamp));
      const debtBase = valueInBase(debtRaw, debtPrice, debtDecimals);
      const hf = (p: bigint) => healthFactor(valueInBase(collRaw, priceOf(p), collDecimals), debtBase, lt);
      return {
        description: `Aave v3.0 GenericLogic health factor and LiquidationLogic close factor (Pool revision ${revision}, ${release}), ${at}`,
        healthFactorWad: hf,
        liquidatable: (p) => hf(p) < WAD,
        fullCloseFactor: (p) => hf(p) <= AAVE_CLOSE_FACTOR_HF_THRESHOLD,
        debtRaw,
      };
    }
    const collRaw = aTokenBalance(scaledColl, normalizedIncomeOrigin(collReserve, timestamp));
    const debtRaw = vTokenBalance(scaledDebt, normalizedDebtOrigin(debtReserve, timestamp));
    const debtBase = debtValueBase(debtRaw, debtPrice, debtDecimals);
    const collBase = (p: bigint) => collateralValueBase(collRaw, priceOf(p), collDecimals);
    const hf = (p: bigint) => healthFactorOrigin(collBase(p), debtBase, lt);
    return {
      description:
        `Aave origin-line GenericLogic health factor and LiquidationLogic close factor (v3.3 rules, v3.5 rounding; ` +
        `Pool revision ${revision}, ${release}), ${at}`,
      healthFactorWad: hf,
      liquidatable: (p) => hf(p) < WAD,
      fullCloseFactor: (p) => fullCloseFactorOrigin(hf(p), collBase(p), debtBase),
      debtRaw,
    };
  }

  /**
   * The most debt one liquidationCall may repay now: the close factor of the Pool's own logic, plus room for a
   * block of interest (the Pool takes no more than it allows).
   */
  async maxLiquidatableDebtRaw(pos: PositionState): Promise<bigint> {
    const debtRaw = pos.debt[0].amountRaw;
    const margin = debtRaw / 10_000n + 1n;
    const revision = await this.pool().POOL_REVISION();
    if (aaveRulesOf(revision).rules === "v3.0")
      return percentMul(debtRaw, closeFactorBps(pos.healthFactorWad)) + margin;
    const [risk, prices] = await Promise.all([this.riskParams(), this.pricesBase()]);
    const amounts = liquidationAmountsOrigin({
      userDebtRaw: debtRaw,
      userCollateralRaw: pos.collateral[0].amountRaw,
      debtToCoverRequested: MaxUint256,
      healthFactorWad: pos.healthFactorWad,
      totalDebtBase: pos.debtUsdWad / BASE_TO_WAD,
      collateralPriceBase: prices.collateral,
      debtPriceBase: prices.debt,
      collateralDecimals: tokenDecimals(this.ctx, this.collateral),
      debtDecimals: tokenDecimals(this.ctx, this.debt),
      liquidationBonusBps: BigInt(risk.raw.liquidationBonusBps),
      liquidationProtocolFeeBps: BigInt(risk.raw.liquidationProtocolFeeBps),
    });
    return amounts.maxLiquidatableDebtRaw + margin;
  }

  async flashLoanPremiumBps(): Promise<bigint> {
    return this.pool().FLASHLOAN_PREMIUM_TOTAL();
  }

  async flashLoop(user: Signer, call: FlashLoopCall) {
    const looper = await call.looper.getAddress();
    const premium = percentMul(call.flashAmountRaw, await this.flashLoanPremiumBps());
    await this.prepare(user);
    const account = await user.getAddress();
    const debtToken = bindContract(VariableDebtToken__factory, this.variableDebtToken, user);
    // v3.5+ charges the delegation with the debt actually minted, which rounding up can make a unit more than asked.
    const delegation = call.flashAmountRaw + premium + DELEGATION_ROUNDING_MARGIN_RAW;
    if ((await debtToken.borrowAllowance(account, looper)) < delegation) {
      await sendTx(this.ctx.provider, `${this.key}: approveDelegation to LeverageLooper`, () =>
        debtToken.approveDelegation(looper, delegation),
      );
    }
    await ensureAllowance(this.ctx, user, call.initialToken, looper, call.initialRaw);
    const vault = this.collateral === "sUSDe" ? this.collateralAddress : ZeroAddress;
    return sendTx(this.ctx.provider, `${this.key}: LeverageLooper.loopAave`, () =>
      call.looper.connect(user).loopAave({
        initialToken: tokenAddress(this.ctx, call.initialToken),
        initialAmount: call.initialRaw,
        collateral: this.collateralAddress,
        debtAsset: this.debtAddress,
        flashAmount: call.flashAmountRaw,
        swapPath: call.swapPath,
        minUsdeOut: call.minUsdeOutRaw,
        vault,
      }),
    );
  }

  async flashLiquidate(
    liquidator: FlashLiquidator,
    borrower: string,
    maxRepayRaw: bigint,
    swapPath: string,
  ): Promise<FlashLiquidation> {
    const pos = await this.position(borrower);
    // Flash-borrow what the close factor lets us repay; Aave takes no more.
    const allowed = await this.maxLiquidatableDebtRaw(pos);
    const amount = maxRepayRaw < allowed ? maxRepayRaw : allowed;
    const prices = await this.pricesBase();
    const priceWad = await this.collateralPriceWad();
    const receipt = await sendTx(this.ctx.provider, `${this.key}: FlashLiquidator.liquidateAave(${borrower})`, () =>
      liquidator.liquidateAave(this.collateralAddress, this.debtAddress, borrower, amount, swapPath, 0n),
    );
    const record = await this.recordFromReceipt(
      receipt,
      borrower,
      pos.healthFactorWad,
      prices,
      priceWad,
      await liquidator.getAddress(),
    );
    for (const log of receipt.logs) {
      if (!sameAddress(log.address, await liquidator.getAddress())) continue;
      const parsed = liquidator.interface.parseLog(log);
      if (parsed?.name === "AaveLiquidation") {
        return {
          record,
          soldRaw: parsed.args.collateralSeized,
          saleProceedsRaw: parsed.args.saleProceeds,
          flashPremiumRaw: parsed.args.flashPremium,
          profitRaw: parsed.args.profit,
        };
      }
    }
    throw new Error(`${this.key}: no AaveLiquidation event in ${receipt.hash}`);
  }
}

/** The assets whose AaveOracle source an oracle policy changes (every other asset keeps its own feed). */
const POLICY_ASSETS: readonly TokenSymbol[] = ["USDe", "sUSDe"];

/** Points Aave's USDe and sUSDe sources at the feeds the policy names (AaveOracle.setAssetSources, as the admin). */
export async function applyAavePolicy(ctx: ChainContext, policy: OraclePolicy): Promise<void> {
  const sources = aaveSourcesFor(policy, ctx.record.feeds);
  const assets = POLICY_ASSETS.filter((a) => ctx.record.aave.reserves[a]);
  await assertLocalDevNode(ctx.provider);
  const oracle = bindContract(AaveOracle__factory, ctx.record.aave.oracle, ctx.admin);
  await sendTx(ctx.provider, `AaveOracle.setAssetSources (policy ${policy})`, () =>
    oracle.setAssetSources(
      assets.map((a) => tokenAddress(ctx, a)),
      assets.map((a) => sources[a]!),
    ),
  );
}

function tokenSymbolFrom(s: string, field: string): TokenSymbol {
  if (!TOKEN_SYMBOLS.includes(s as TokenSymbol)) {
    throw new InputError(field, `unknown token "${s}"`, `use one of ${TOKEN_SYMBOLS.join(", ")}`);
  }
  return s as TokenSymbol;
}

/** The pair an Aave market key names (the part after "aave-v3:"), checked against the token vocabulary only. */
export function parseAaveMarketKey(
  rest: string,
  field: string,
): { collateral: TokenSymbol; debt: TokenSymbol; eModeCategory: number } {
  const m = /^([A-Za-z]+)\/([A-Za-z]+)(?::emode-(\d+))?$/.exec(rest);
  if (!m) {
    throw new InputError(
      field,
      `"aave-v3:${rest}" is not an Aave market key`,
      'write e.g. "aave-v3:USDe/USDC:emode-2"',
    );
  }
  return {
    collateral: tokenSymbolFrom(m[1], field),
    debt: tokenSymbolFrom(m[2], field),
    eModeCategory: m[3] ? Number(m[3]) : 0,
  };
}

/** Aave V3: market keys "aave-v3:<collateral>/<debt>[:emode-<id>]"; one AaveOracle for every market. */
export const AAVE_V3: LendingProtocol = {
  name: "aave-v3",
  policyKey: "aave",
  label: "Aave",
  openMarket(ctx, rest, field) {
    const pair = parseAaveMarketKey(rest, field);
    for (const s of [pair.collateral, pair.debt]) {
      if (!ctx.record.aave.reserves[s])
        throw new InputError(field, `${s} is not an Aave reserve in chain profile "${ctx.record.profile}"`);
    }
    return new AaveV3Market(ctx, pair);
  },
  applyPolicy: (ctx, policy) => applyAavePolicy(ctx, policy),
};

/**
 * The Aave logic a chain runs, read from its Pool: the revision, its release and the rule set the model applies.
 * Refuses (InputError naming the revision) a Pool whose revision is not modelled, before anything is run on it.
 */
export async function aaveLogicOnChain(ctx: ChainContext): Promise<AaveRevisionRules> {
  return aaveRulesOf(await bindContract(Pool__factory, ctx.record.aave.pool, ctx.provider).POOL_REVISION());
}
