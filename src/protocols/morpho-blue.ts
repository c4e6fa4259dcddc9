/**
 * Morpho Blue adapter: one market of the chain profile. Positions are valued the way Morpho itself values them
 * (oracle price at 1e36 scale, borrow shares rounded up to assets, interest accrued as _accrueInterest would),
 * and liquidations are measured from the Liquidate event.
 */
import { MaxUint256, Signer, ZeroAddress } from "ethers";
import {
  AggregatorV3Interface__factory,
  EventsLib__factory,
  FeedMorphoOracle__factory,
  IERC4626__factory,
  IIrm__factory,
  IOracle__factory,
  Morpho__factory,
} from "../../typechain-types";
import { InputError } from "../errors";
import { ORACLE_PRICE_SCALE, WAD } from "../constants";
import type { ChainContext } from "../chain/context";
import { SECONDS_PER_BLOCK, latestBlock } from "../chain/clock";
import type { MorphoMarketRecord } from "../chain/deployments";
import { sendTx } from "../chain/tx";
import { inLensCalls, positionLens } from "../chain/tools";
import type { TokenSymbol } from "../domain/tokens";
import { mulDivDown } from "../math/fixed-point";
import {
  MarketParamsStruct,
  accruedBorrowAssets,
  healthFactorWad,
  isHealthy,
  liquidationIncentiveFactor,
  seizedForRepaidShares,
  toAssetsUp,
} from "../math/morpho-blue";
import type { OraclePolicy } from "../domain/oracle-policy";
import { assertLocalDevNode } from "../chain/safety";
import { OWN_FEED, morphoOracleConfigFor } from "../oracles/policy";
import { replaceMorphoOracle } from "../oracles/overrides";
import { sameAddress } from "../domain/address";
import { getFeedPrice } from "../oracles/feeds";
import { ensureAllowance } from "../chain/erc20";
import type { FlashLiquidator } from "../../typechain-types";
import { tokenAddress, tokenDecimals, tokenSymbolOf } from "../chain/context";
import { bindContract } from "../chain/bind";
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

/** The npm package the embedded chain compiles; Morpho Blue is immutable and has no on-chain version getter. */
const MORPHO_BLUE_VERSION = "morpho-blue 1.0.0";

export interface MorphoMarketState {
  totalBorrowAssets: bigint;
  totalBorrowShares: bigint;
  totalSupplyAssets: bigint;
  lastUpdate: bigint;
}

/** Morpho's events (from EventsLib), parsed once: createInterface() parses the ABI again at every call. */
let morphoEventsParsed: ReturnType<typeof EventsLib__factory.createInterface> | undefined;
function morphoEvents(): ReturnType<typeof EventsLib__factory.createInterface> {
  return (morphoEventsParsed ??= EventsLib__factory.createInterface());
}

export class MorphoBlueMarket implements LendingMarket {
  readonly protocol: ProtocolName = "morpho-blue";
  readonly key: string;
  readonly collateral: TokenSymbol;
  readonly debt: TokenSymbol;
  readonly spender: string;
  readonly record: MorphoMarketRecord;

  constructor(
    private readonly ctx: ChainContext,
    readonly marketKey: string,
  ) {
    const r = ctx.record.morpho.markets[marketKey];
    if (!r) throw new Error(`unknown Morpho market "${marketKey}" in chain profile "${ctx.record.profile}"`);
    this.record = r;
    this.key = `morpho-blue:${marketKey}`;
    this.collateral = tokenSymbolOf(ctx, r.collateralToken);
    this.debt = tokenSymbolOf(ctx, r.loanToken);
    this.spender = ctx.record.morpho.morpho;
  }

  get marketParams(): MarketParamsStruct {
    const r = this.record;
    return {
      loanToken: r.loanToken,
      collateralToken: r.collateralToken,
      oracle: r.oracle,
      irm: r.irm,
      lltv: BigInt(r.lltv),
    };
  }

  get id(): string {
    return this.record.id;
  }

  private morpho(signer?: Signer) {
    return bindContract(Morpho__factory, this.ctx.record.morpho.morpho, signer ?? this.ctx.provider);
  }

  async prepare(user: Signer): Promise<void> {
    void user; // Morpho needs no per-account set-up; approvals are made on demand.
  }

  async supplyCollateral(user: Signer, amountRaw: bigint) {
    await ensureAllowance(this.ctx, user, this.collateral, this.spender, amountRaw);
    const onBehalf = await user.getAddress();
    return sendTx(this.ctx.provider, `${this.key}: supplyCollateral`, () =>
      this.morpho(user).supplyCollateral(this.marketParams, amountRaw, onBehalf, "0x"),
    );
  }

  async withdrawCollateral(user: Signer, amountRaw: bigint) {
    const me = await user.getAddress();
    return sendTx(this.ctx.provider, `${this.key}: withdrawCollateral`, () =>
      this.morpho(user).withdrawCollateral(this.marketParams, amountRaw, me, me),
    );
  }

  async borrow(user: Signer, amountRaw: bigint) {
    const me = await user.getAddress();
    return sendTx(this.ctx.provider, `${this.key}: borrow`, () =>
      this.morpho(user).borrow(this.marketParams, amountRaw, 0n, me, me),
    );
  }

  async repay(user: Signer, amountRaw: bigint) {
    const me = await user.getAddress();
    await ensureAllowance(this.ctx, user, this.debt, this.spender, MaxUint256 / 2n);
    if (amountRaw === MaxUint256) {
      // Repay by shares so no dust of debt is left.
      const { borrowShares } = await this.morpho().position(this.id, me);
      return sendTx(this.ctx.provider, `${this.key}: repay all`, () =>
        this.morpho(user).repay(this.marketParams, 0n, borrowShares, me, "0x"),
      );
    }
    return sendTx(this.ctx.provider, `${this.key}: repay`, () =>
      this.morpho(user).repay(this.marketParams, amountRaw, 0n, me, "0x"),
    );
  }

  riskParams(): Promise<RiskParams> {
    return riskParamsOnce(this.ctx, this.key, () => this.readRiskParams());
  }

  private async readRiskParams(): Promise<RiskParams> {
    const mp = await this.morpho().idToMarketParams(this.id);
    const incentive = liquidationIncentiveFactor(mp.lltv);
    return {
      protocol: this.protocol,
      market: this.key,
      collateral: this.collateral,
      debt: this.debt,
      maxLtvWad: mp.lltv,
      liquidationThresholdWad: mp.lltv,
      liquidationIncentiveWad: incentive,
      protocolFeeOfBonusWad: 0n,
      version: MORPHO_BLUE_VERSION,
      raw: {
        marketId: this.id,
        lltvWad: mp.lltv.toString(),
        incentiveWad: incentive.toString(),
        oracle: mp.oracle,
        irm: mp.irm,
      },
    };
  }

  /** Oracle price: loan raw units per collateral raw unit, scaled by 1e36. */
  async oraclePrice(): Promise<bigint> {
    return bindContract(IOracle__factory, this.record.oracle, this.ctx.provider).price();
  }

  async collateralPriceWad(): Promise<bigint> {
    // debt raw units per 1e18 raw collateral units
    return (await this.oraclePrice()) / (ORACLE_PRICE_SCALE / WAD);
  }

  /** Market totals as Morpho will see them at `timestamp` (after _accrueInterest with the IRM's view rate). */
  async marketStateAt(timestamp: bigint): Promise<MorphoMarketState> {
    const m = await this.morpho().market(this.id);
    const elapsed = timestamp - m.lastUpdate;
    let totalBorrowAssets = m.totalBorrowAssets;
    if (elapsed > 0n && m.totalBorrowAssets > 0n) {
      const rate = await bindContract(IIrm__factory, this.record.irm, this.ctx.provider).borrowRateView(
        this.marketParams,
        {
          totalSupplyAssets: m.totalSupplyAssets,
          totalSupplyShares: m.totalSupplyShares,
          totalBorrowAssets: m.totalBorrowAssets,
          totalBorrowShares: m.totalBorrowShares,
          lastUpdate: m.lastUpdate,
          fee: m.fee,
        },
      );
      totalBorrowAssets = accruedBorrowAssets(m.totalBorrowAssets, rate, elapsed);
    }
    return {
      totalBorrowAssets,
      totalBorrowShares: m.totalBorrowShares,
      totalSupplyAssets: m.totalSupplyAssets + (totalBorrowAssets - m.totalBorrowAssets),
      lastUpdate: m.lastUpdate,
    };
  }

  /** Timestamp of the block the harness's next transaction lands in. */
  private async nextTimestamp(): Promise<bigint> {
    return (await latestBlock(this.ctx.provider)).timestamp + BigInt(SECONDS_PER_BLOCK);
  }

  private async loanUsdWad(): Promise<bigint> {
    const feed = OWN_FEED[this.debt];
    return ((await getFeedPrice(this.ctx, feed)) * WAD) / 10n ** 8n;
  }

  async position(account: string): Promise<PositionState> {
    const [{ timestamp }, block] = await Promise.all([
      latestBlock(this.ctx.provider),
      this.ctx.provider.getBlockNumber(),
    ]);
    const [pos, state, price, loanUsd] = await Promise.all([
      this.morpho().position(this.id, account),
      this.marketStateAt(timestamp),
      this.oraclePrice(),
      this.loanUsdWad(),
    ]);
    const borrowed = toAssetsUp(pos.borrowShares, state.totalBorrowAssets, state.totalBorrowShares);
    const collateralInLoan = mulDivDown(pos.collateral, price, ORACLE_PRICE_SCALE);
    const debtDecimals = BigInt(tokenDecimals(this.ctx, this.debt));
    const loanToUsd = (raw: bigint) => (raw * loanUsd) / 10n ** debtDecimals;
    const lltv = BigInt(this.record.lltv);
    return {
      protocol: this.protocol,
      market: this.key,
      account,
      block,
      collateral: [{ symbol: this.collateral, amountRaw: pos.collateral, valueUsdWad: loanToUsd(collateralInLoan) }],
      debt: [{ symbol: this.debt, amountRaw: borrowed, valueUsdWad: loanToUsd(borrowed) }],
      collateralUsdWad: loanToUsd(collateralInLoan),
      debtUsdWad: loanToUsd(borrowed),
      healthFactorWad: healthFactorWad(pos.collateral, borrowed, price, lltv),
      ltvWad: collateralInLoan === 0n ? (borrowed === 0n ? 0n : MaxUint256) : (borrowed * WAD) / collateralInLoan,
      liquidatable:
        pos.borrowShares > 0n &&
        !isHealthy(pos.collateral, pos.borrowShares, state.totalBorrowAssets, state.totalBorrowShares, price, lltv),
    };
  }

  async healthFactors(accounts: string[]): Promise<bigint[]> {
    if (accounts.length === 0) return [];
    const { timestamp } = await latestBlock(this.ctx.provider);
    const [state, price, positions] = await Promise.all([
      this.marketStateAt(timestamp),
      this.oraclePrice(),
      positionLens(this.ctx).then((lens) =>
        inLensCalls(accounts, (chunk) => lens.morphoAccounts(this.ctx.record.morpho.morpho, this.id, chunk)),
      ),
    ]);
    const lltv = BigInt(this.record.lltv);
    return positions.map((p) =>
      healthFactorWad(
        p.collateral,
        toAssetsUp(p.borrowShares, state.totalBorrowAssets, state.totalBorrowShares),
        price,
        lltv,
      ),
    );
  }

  async liquidatable(accounts: string[]): Promise<string[]> {
    if (accounts.length === 0) return [];
    const { timestamp } = await latestBlock(this.ctx.provider);
    const [state, price, positions] = await Promise.all([
      this.marketStateAt(timestamp),
      this.oraclePrice(),
      positionLens(this.ctx).then((lens) =>
        inLensCalls(accounts, (chunk) => lens.morphoAccounts(this.ctx.record.morpho.morpho, this.id, chunk)),
      ),
    ]);
    const lltv = BigInt(this.record.lltv);
    return accounts.filter((_, i) => {
      const p = positions[i];
      return (
        p.borrowShares > 0n &&
        !isHealthy(p.collateral, p.borrowShares, state.totalBorrowAssets, state.totalBorrowShares, price, lltv)
      );
    });
  }

  async borrowersFromEvents(fromBlock: number, toBlock: number): Promise<string[]> {
    // Morpho 1.0 (solc 0.8.19) emits its events from EventsLib, so they are not in Morpho's own ABI.
    const events = bindContract(EventsLib__factory, this.ctx.record.morpho.morpho, this.ctx.provider);
    const logs = await events.queryFilter(events.filters.Borrow(this.id), fromBlock, toBlock);
    return [...new Set(logs.map((l) => l.args.onBehalf))];
  }

  /**
   * How a liquidator would call liquidate() to repay at most `maxRepayRaw` (MaxUint256: everything the collateral
   * covers): by shares when the collateral covers the whole debt plus incentive, else by seizing all collateral.
   */
  async liquidationArgs(
    borrower: string,
    maxRepayRaw: bigint,
  ): Promise<{ seizedAssets: bigint; repaidShares: bigint }> {
    const [pos, state, price] = await Promise.all([
      this.morpho().position(this.id, borrower),
      this.nextTimestamp().then((t) => this.marketStateAt(t)),
      this.oraclePrice(),
    ]);
    const lltv = BigInt(this.record.lltv);
    const incentive = liquidationIncentiveFactor(lltv);
    if (maxRepayRaw === MaxUint256) {
      const seizedAll = seizedForRepaidShares(
        pos.borrowShares,
        price,
        lltv,
        state.totalBorrowAssets,
        state.totalBorrowShares,
      );
      if (seizedAll <= pos.collateral) return { seizedAssets: 0n, repaidShares: pos.borrowShares };
      return { seizedAssets: pos.collateral, repaidShares: 0n };
    }
    // seized = repay x incentive / price, capped by the collateral
    const seized = mulDivDown((maxRepayRaw * incentive) / WAD, ORACLE_PRICE_SCALE, price);
    return { seizedAssets: seized < pos.collateral ? seized : pos.collateral, repaidShares: 0n };
  }

  async liquidate(liquidator: Signer, borrower: string, maxRepayRaw: bigint): Promise<LiquidationRecord> {
    const [before, args, priceWad] = await Promise.all([
      this.position(borrower),
      this.liquidationArgs(borrower, maxRepayRaw),
      this.collateralPriceWad(),
    ]);
    const hfBefore = before.healthFactorWad;
    await ensureAllowance(this.ctx, liquidator, this.debt, this.spender, MaxUint256 / 2n);
    const receipt = await sendTx(this.ctx.provider, `${this.key}: liquidate(${borrower})`, () =>
      this.morpho(liquidator).liquidate(this.marketParams, borrower, args.seizedAssets, args.repaidShares, "0x"),
    );
    return this.recordFromReceipt(receipt, borrower, hfBefore, priceWad);
  }

  /** Builds the liquidation record from a receipt holding Morpho's Liquidate event (ours or a contract's). */
  async recordFromReceipt(
    receipt: {
      logs: readonly { address: string; topics: readonly string[]; data: string }[];
      gasUsed: bigint;
      blockNumber: number;
      hash: string;
    },
    borrower: string,
    healthFactorBeforeWad: bigint,
    collateralPriceWad: bigint,
  ): Promise<LiquidationRecord> {
    const events = morphoEvents();
    // Only the Liquidate events are decoded (a liquidation also emits AccrueInterest and the tokens' transfers).
    const liquidateTopic = events.getEvent("Liquidate").topicHash;
    for (const log of receipt.logs) {
      if (log.topics[0] !== liquidateTopic || !sameAddress(log.address, this.ctx.record.morpho.morpho)) continue;
      const parsed = events.parseLog(log);
      if (parsed?.name !== "Liquidate" || !sameAddress(String(parsed.args.borrower), borrower)) continue;
      const repaid = parsed.args.repaidAssets as bigint;
      const seized = parsed.args.seizedAssets as bigint;
      const seizedValue = (seized * collateralPriceWad) / WAD;
      return {
        protocol: this.protocol,
        market: this.key,
        borrower,
        liquidator: String(parsed.args.caller),
        debtAsset: this.debt,
        repaidRaw: repaid,
        collateralAsset: this.collateral,
        seizedRaw: seized,
        protocolFeeRaw: 0n,
        bonusRaw: seizedValue - repaid,
        badDebtRaw: parsed.args.badDebtAssets as bigint,
        collateralPriceWad,
        healthFactorBeforeWad,
        healthFactorAfterWad: (await this.position(borrower)).healthFactorWad,
        gasUsed: receipt.gasUsed,
        block: receipt.blockNumber,
        txHash: receipt.hash,
      };
    }
    throw new Error(`${this.key}: no Liquidate event for ${borrower} in tx ${receipt.hash}`);
  }

  /**
   * The market oracle's price (1e36 scale) as a function of `feedAddress`, for oracles of ours (FeedMorphoOracle:
   * scale x vault rate x base feed / quote feed) whose base feed is that feed.
   */
  private async oraclePriceFn(feedAddress: string): Promise<(priceE8: bigint) => bigint> {
    const oracle = bindContract(FeedMorphoOracle__factory, this.record.oracle, this.ctx.provider);
    const config = await oracle.config().catch(() => undefined);
    if (!config || !sameAddress(config.baseFeed, feedAddress)) {
      throw new InputError(
        "feed",
        `${this.key}: the market oracle ${this.record.oracle} does not read feed ${feedAddress} as its base feed`,
        'apply the "market" oracle policy first, or pick the feed the oracle reads',
      );
    }
    const scale = await oracle.scaleFactor();
    const sample = config.baseVaultConversionSample;
    const assets =
      config.baseVault === ZeroAddress
        ? 1n
        : await bindContract(IERC4626__factory, config.baseVault, this.ctx.provider).convertToAssets(sample);
    let quote = 1n;
    if (config.quoteFeed !== ZeroAddress)
      [, quote] = await bindContract(
        AggregatorV3Interface__factory,
        config.quoteFeed,
        this.ctx.provider,
      ).latestRoundData();
    return (p) => (scale * assets * p) / (quote * sample);
  }

  async liquidationModel(account: string, feedAddress: string, timestamp: bigint): Promise<LiquidationModel> {
    const priceOf = await this.oraclePriceFn(feedAddress);
    const pos = await this.morpho().position(this.id, account);
    const state = await this.marketStateAt(timestamp);
    const borrowed = toAssetsUp(pos.borrowShares, state.totalBorrowAssets, state.totalBorrowShares);
    const lltv = BigInt(this.record.lltv);
    return {
      description: `Morpho Blue 1.0 _isHealthy (LLTV ${lltv}), interest accrued to t=${timestamp}`,
      healthFactorWad: (p) => healthFactorWad(pos.collateral, borrowed, priceOf(p), lltv),
      liquidatable: (p) =>
        pos.borrowShares > 0n &&
        !isHealthy(
          pos.collateral,
          pos.borrowShares,
          state.totalBorrowAssets,
          state.totalBorrowShares,
          priceOf(p),
          lltv,
        ),
      debtRaw: borrowed,
    };
  }

  async flashLoanPremiumBps(): Promise<bigint> {
    return 0n; // Morpho flash loans are free
  }

  async flashLoop(user: Signer, call: FlashLoopCall) {
    const looper = await call.looper.getAddress();
    const account = await user.getAddress();
    if (!(await this.morpho().isAuthorized(account, looper))) {
      await sendTx(this.ctx.provider, `${this.key}: setAuthorization(LeverageLooper)`, () =>
        this.morpho(user).setAuthorization(looper, true),
      );
    }
    await ensureAllowance(this.ctx, user, call.initialToken, looper, call.initialRaw);
    const vault = this.collateral === "sUSDe" ? this.record.collateralToken : ZeroAddress;
    return sendTx(this.ctx.provider, `${this.key}: LeverageLooper.loopMorpho`, () =>
      call.looper.connect(user).loopMorpho({
        market: this.marketParams,
        initialToken: tokenAddress(this.ctx, call.initialToken),
        initialAmount: call.initialRaw,
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
    const [before, args, priceWad] = await Promise.all([
      this.position(borrower),
      this.liquidationArgs(borrower, maxRepayRaw),
      this.collateralPriceWad(),
    ]);
    const hfBefore = before.healthFactorWad;
    const receipt = await sendTx(this.ctx.provider, `${this.key}: FlashLiquidator.liquidateMorpho(${borrower})`, () =>
      liquidator.liquidateMorpho(this.marketParams, borrower, args.seizedAssets, args.repaidShares, swapPath, 0n),
    );
    const record = await this.recordFromReceipt(receipt, borrower, hfBefore, priceWad);
    const self = await liquidator.getAddress();
    for (const log of receipt.logs) {
      if (!sameAddress(log.address, self)) continue;
      const parsed = liquidator.interface.parseLog(log);
      if (parsed?.name === "MorphoLiquidation") {
        return {
          record,
          soldRaw: parsed.args.seizedAssets,
          saleProceedsRaw: parsed.args.saleProceeds,
          flashPremiumRaw: 0n,
          profitRaw: parsed.args.profit,
        };
      }
    }
    throw new Error(`${this.key}: no MorphoLiquidation event in ${receipt.hash}`);
  }
}

/** Reconfigures a Morpho market's oracle (its address is fixed in the market's params) to the policy. */
export async function applyMorphoPolicy(ctx: ChainContext, marketKey: string, policy: OraclePolicy): Promise<void> {
  const m = ctx.record.morpho.markets[marketKey];
  if (!m)
    throw new InputError(
      "market",
      `unknown Morpho market "${marketKey}"`,
      `use one of ${Object.keys(ctx.record.morpho.markets).join(", ")}`,
    );
  const collateral = tokenSymbolOf(ctx, m.collateralToken);
  const loan = tokenSymbolOf(ctx, m.loanToken);
  const config = morphoOracleConfigFor(policy, collateral, loan, ctx.record.tokens, ctx.record.feeds);
  await assertLocalDevNode(ctx.provider);
  const oracle = bindContract(FeedMorphoOracle__factory, m.oracle, ctx.admin);
  const owner = await oracle.owner().catch(() => undefined);
  if (owner === undefined || !sameAddress(owner, await ctx.admin.getAddress())) {
    // A market oracle that is not ours (a fork's real one): our configurable oracle takes over its address.
    await replaceMorphoOracle(ctx, m.oracle, collateral, loan);
  }
  await sendTx(ctx.provider, `Morpho oracle of ${marketKey}: configure (policy ${policy})`, () =>
    oracle.configure(config),
  );
}

/** Morpho Blue: market keys "morpho-blue:<market key of the chain profile>"; one oracle per market. */
export const MORPHO_BLUE: LendingProtocol = {
  name: "morpho-blue",
  policyKey: "morpho",
  label: "Morpho",
  openMarket(ctx, rest, field) {
    if (!ctx.record.morpho.markets[rest]) {
      throw new InputError(
        field,
        `unknown Morpho market "${rest}"`,
        `use one of ${Object.keys(ctx.record.morpho.markets).join(", ")}`,
      );
    }
    return new MorphoBlueMarket(ctx, rest);
  },
  async applyPolicy(ctx, policy, markets) {
    const keys = new Set(markets.filter((m) => m instanceof MorphoBlueMarket).map((m) => m.marketKey));
    for (const key of keys) await applyMorphoPolicy(ctx, key, policy);
  },
};
