/**
 * The real protocols on the embedded chain, exercised end to end: an Aave V3 liquidation in both close-factor
 * regimes, a Morpho Blue liquidation with and without bad debt, a Uniswap V3 swap, and the deployed Aave bytecode
 * against the npm artifacts.
 *
 * Expected values are computed here from configuration read back from chain (never from params.ts) with each
 * protocol's own formulas and rounding, then compared with the protocol's events exactly.
 */
import { expect } from "chai";
import hre from "hardhat";
import { Contract, MaxUint256, ZeroAddress, getAddress, zeroPadValue } from "ethers";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import {
  EventsLib__factory,
  FeedMorphoOracle__factory,
  FixedRateIrm__factory,
  IERC20Metadata__factory,
  Morpho__factory,
  SettableAggregator__factory,
  StandInERC20__factory,
  SwapRouter__factory,
  UniswapV3Pool__factory,
} from "../../typechain-types";
import { loadEmbeddedV30, EmbeddedFixture } from "../fixtures";
import { sendTx } from "../../src/chain/tx";
import { latestBlock } from "../../src/chain/clock";
import { rpc, toQuantity } from "../../src/chain/rpc";
import { aaveImmutableReferences, linkedDeployedBytecode, loadNpmArtifact } from "../../src/chain/artifacts";
import { maxBig, minBig, percentDiv, percentMul, mulDivDown, wDivDown, wMulDown } from "../../src/math/fixed-point";
import { liquidationIncentiveFactor, repaidForSeized, toAssetsUp } from "../../src/math/morpho-blue";
import {
  AAVE_DEFAULT_LIQUIDATION_CLOSE_FACTOR,
  MAX_LIQUIDATION_INCENTIVE_FACTOR,
  ORACLE_PRICE_SCALE,
  RAY,
  WAD,
} from "../../src/constants";
import {
  AToken__factory,
  AaveOracle__factory,
  AaveProtocolDataProvider__factory,
  Pool__factory,
} from "../../src/protocols/aave-v3-types";

const provider = hre.ethers.provider;

/** Aave WadRayMath, half up. */
const rayMul = (a: bigint, b: bigint): bigint => (a * b + RAY / 2n) / RAY;
const rayDiv = (a: bigint, b: bigint): bigint => (a * RAY + b / 2n) / b;

/** EIP-1967 implementation slot: bytes32(uint256(keccak256("eip1967.proxy.implementation")) - 1). */
const EIP1967_IMPLEMENTATION_SLOT = "0x360894a13ba1a3210667c828492db98dca3e2076cc3735a920a3ca505d382bbc";

async function mint(f: EmbeddedFixture, token: string, to: string, amount: bigint): Promise<void> {
  await sendTx(provider, "mint", () => StandInERC20__factory.connect(token, f.deployer).mint(to, amount));
}

async function setFeed(f: EmbeddedFixture, feed: string, answerE8: bigint): Promise<void> {
  await sendTx(provider, "setAnswer", () => SettableAggregator__factory.connect(feed, f.deployer).setAnswer(answerE8));
}

/** A uint256 getter of a contract we have no TypeChain type for (public constants of a deployed library). */
async function readUint(
  address: string,
  abi: ConstructorParameters<typeof Contract>[1],
  name: string,
): Promise<bigint> {
  const value: unknown = await new Contract(address, abi, provider).getFunction(name).staticCall();
  if (typeof value !== "bigint") throw new Error(`${name}: expected a uint256, got ${String(value)}`);
  return value;
}

/**
 * Reads state as it will be at the timestamp of the next block, without changing the chain: snapshot, mine one
 * empty block at latest + 12 s, read, revert. The next transaction (sendTx schedules latest + 12 s too) is then
 * mined at exactly that timestamp on exactly that state, so Aave's per-second interest (the debt index, the HF)
 * is identical in the reads and in the transaction: no tolerance needed for interest.
 */
async function readAtNextBlock<T>(read: () => Promise<T>): Promise<{ value: T; timestamp: bigint }> {
  const timestamp = (await latestBlock(provider)).timestamp + 12n;
  const snapshot = await rpc<string>(provider, "evm_snapshot");
  try {
    await rpc(provider, "evm_setNextBlockTimestamp", [toQuantity(timestamp)]);
    await rpc(provider, "evm_mine");
    return { value: await read(), timestamp };
  } finally {
    await rpc(provider, "evm_revert", [snapshot]);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Aave V3 liquidation
// ---------------------------------------------------------------------------------------------------------------

interface AaveExpectation {
  closeFactor: bigint;
  debtToCover: bigint;
  /** liquidatedCollateralAmount in the event: what the liquidator gets, protocol fee excluded. */
  collateralToLiquidator: bigint;
  protocolFee: bigint;
  /** The position had less collateral than debt x bonus: all collateral goes, debt covered is derived from it. */
  cappedByCollateral: boolean;
}

/** LiquidationLogic (v3.0.x) _calculateDebt + _calculateAvailableCollateralToLiquidate + the fee clamp, verbatim. */
function expectedAaveLiquidation(i: {
  healthFactor: bigint;
  closeFactorHfThreshold: bigint;
  maxCloseFactor: bigint;
  totalDebt: bigint;
  requested: bigint;
  collateralBalance: bigint;
  collateralScaled: bigint;
  liquidityIndex: bigint;
  collateralPrice: bigint;
  debtPrice: bigint;
  collateralDecimals: bigint;
  debtDecimals: bigint;
  bonusBps: bigint;
  protocolFeeBps: bigint;
}): AaveExpectation {
  const closeFactor =
    i.healthFactor > i.closeFactorHfThreshold ? AAVE_DEFAULT_LIQUIDATION_CLOSE_FACTOR : i.maxCloseFactor;
  const maxLiquidatable = percentMul(i.totalDebt, closeFactor);
  const debtToCoverWanted = i.requested > maxLiquidatable ? maxLiquidatable : i.requested;
  const collUnit = 10n ** i.collateralDecimals;
  const debtUnit = 10n ** i.debtDecimals;
  const baseCollateral = (i.debtPrice * debtToCoverWanted * collUnit) / (i.collateralPrice * debtUnit);
  const maxCollateral = percentMul(baseCollateral, i.bonusBps);
  let collateralAmount: bigint;
  let debtToCover: bigint;
  const cappedByCollateral = maxCollateral > i.collateralBalance;
  if (cappedByCollateral) {
    collateralAmount = i.collateralBalance;
    debtToCover = percentDiv((i.collateralPrice * collateralAmount * debtUnit) / (i.debtPrice * collUnit), i.bonusBps);
  } else {
    collateralAmount = maxCollateral;
    debtToCover = debtToCoverWanted;
  }
  let protocolFee = 0n;
  if (i.protocolFeeBps !== 0n) {
    const bonusCollateral = collateralAmount - percentDiv(collateralAmount, i.bonusBps);
    protocolFee = percentMul(bonusCollateral, i.protocolFeeBps);
  }
  const collateralToLiquidator = collateralAmount - protocolFee;
  // executeLiquidationCall: the fee is clamped to the user's scaled aToken balance left after the burn.
  const scaledLeft = i.collateralScaled - rayDiv(collateralToLiquidator, i.liquidityIndex);
  if (protocolFee !== 0n && rayDiv(protocolFee, i.liquidityIndex) > scaledLeft)
    protocolFee = rayMul(scaledLeft, i.liquidityIndex);
  return { closeFactor, debtToCover, collateralToLiquidator, protocolFee, cappedByCollateral };
}

interface AaveLiquidationResult {
  healthFactorBefore: bigint;
  expected: AaveExpectation;
  event: { debtToCover: bigint; liquidatedCollateralAmount: bigint };
}

/**
 * users[0] supplies USDe, enters E-mode 2, borrows USDC at 89% of its collateral value; USDe/USD (which Aave is
 * switched to) drops to `usdeE8`; users[1] liquidates with debtToCover = MaxUint256. Asserts event, balances, fee.
 */
async function runAaveLiquidation(f: EmbeddedFixture, usdeE8: bigint): Promise<AaveLiquidationResult> {
  const { record, deployer } = f;
  const [user, liquidator] = f.users;
  const usde = record.tokens.USDe!.address;
  const usdc = record.tokens.USDC!.address;
  const pool = Pool__factory.connect(record.aave.pool, provider);
  const oracle = AaveOracle__factory.connect(record.aave.oracle, deployer);
  const dp = AaveProtocolDataProvider__factory.connect(record.aave.dataProvider, provider);
  const aUsde = AToken__factory.connect(record.aave.reserves.USDe!.aToken, provider);
  const usdcVariableDebt = IERC20Metadata__factory.connect(record.aave.reserves.USDC!.variableDebtToken, provider);
  const usdcStableDebt = IERC20Metadata__factory.connect(record.aave.reserves.USDC!.stableDebtToken, provider);
  const usdeToken = IERC20Metadata__factory.connect(usde, provider);
  const usdcToken = IERC20Metadata__factory.connect(usdc, provider);
  const EMODE = 2n;

  // Aave prices USDe with USDT/USD on the embedded chain (pegged-to-USDT); make it follow USDe/USD.
  await sendTx(provider, "setAssetSources", () => oracle.setAssetSources([usde], [record.feeds["USDe/USD"]]));
  expect(await oracle.getSourceOfAsset(usde)).to.equal(record.feeds["USDe/USD"]);

  const supplied = 1_000_000n * 10n ** 18n;
  await mint(f, usde, user.address, supplied);
  await sendTx(provider, "approve", () =>
    StandInERC20__factory.connect(usde, user).approve(record.aave.pool, MaxUint256),
  );
  await sendTx(provider, "supply", () => pool.connect(user).supply(usde, supplied, user.address, 0));
  await sendTx(provider, "setUserEMode", () => pool.connect(user).setUserEMode(EMODE));

  const usdcDecimals = (await dp.getReserveConfigurationData(usdc)).decimals;
  const usdcPrice = await oracle.getAssetPrice(usdc);
  const { totalCollateralBase } = await pool.getUserAccountData(user.address);
  const borrow = (totalCollateralBase * 89n * 10n ** usdcDecimals) / (100n * usdcPrice);
  await sendTx(provider, "borrow", () => pool.connect(user).borrow(usdc, borrow, 2, 0, user.address));
  expect((await pool.getUserAccountData(user.address)).healthFactor).to.be.gt(WAD);

  await setFeed(f, record.feeds["USDe/USD"], usdeE8);

  // Configuration the liquidation will use, read from chain.
  const eMode = await pool.getEModeCategoryData(EMODE);
  expect(await dp.getReserveEModeCategory(usde)).to.equal(EMODE); // so the E-mode bonus applies to USDe collateral
  expect(await pool.getUserEMode(user.address)).to.equal(EMODE);
  const collateralPriceSource = eMode.priceSource === ZeroAddress ? usde : eMode.priceSource;
  const debtPriceSource = eMode.priceSource === ZeroAddress ? usdc : eMode.priceSource;
  const liquidationLogic = record.aave.libraries.LiquidationLogic;
  const llAbi = loadNpmArtifact("aave", "protocol/libraries/logic/LiquidationLogic.sol/LiquidationLogic.json").abi;
  const closeFactorHfThreshold = await readUint(liquidationLogic, llAbi, "CLOSE_FACTOR_HF_THRESHOLD");
  const maxCloseFactor = await readUint(liquidationLogic, llAbi, "MAX_LIQUIDATION_CLOSE_FACTOR");
  const protocolFeeBps = await dp.getLiquidationProtocolFee(usde);
  const collateralDecimals = (await dp.getReserveConfigurationData(usde)).decimals;
  const treasury = await aUsde.RESERVE_TREASURY_ADDRESS();
  expect(treasury).to.equal(record.aave.treasury);

  await mint(f, usdc, liquidator.address, borrow * 2n);
  await sendTx(provider, "approve", () =>
    StandInERC20__factory.connect(usdc, liquidator).approve(record.aave.pool, MaxUint256),
  );

  // Everything that depends on time, read at the liquidation block's own timestamp.
  const { value: at, timestamp } = await readAtNextBlock(async () => ({
    healthFactor: (await pool.getUserAccountData(user.address)).healthFactor,
    variableDebt: await usdcVariableDebt.balanceOf(user.address),
    stableDebt: await usdcStableDebt.balanceOf(user.address),
    collateralBalance: await aUsde.balanceOf(user.address),
    collateralScaled: await aUsde.scaledBalanceOf(user.address),
    liquidityIndex: await pool.getReserveNormalizedIncome(usde),
    collateralPrice: await oracle.getAssetPrice(collateralPriceSource),
    debtPrice: await oracle.getAssetPrice(debtPriceSource),
    treasuryScaled: await aUsde.scaledBalanceOf(treasury),
    liquidatorUsde: await usdeToken.balanceOf(liquidator.address),
    liquidatorUsdc: await usdcToken.balanceOf(liquidator.address),
  }));
  expect(at.collateralPrice).to.equal(usdeE8); // the E8 answer of the feed we moved (base currency USD, 8 decimals)
  expect(at.healthFactor).to.be.lt(WAD);

  const expected = expectedAaveLiquidation({
    healthFactor: at.healthFactor,
    closeFactorHfThreshold,
    maxCloseFactor,
    totalDebt: at.variableDebt + at.stableDebt,
    requested: MaxUint256,
    collateralBalance: at.collateralBalance,
    collateralScaled: at.collateralScaled,
    liquidityIndex: at.liquidityIndex,
    collateralPrice: at.collateralPrice,
    debtPrice: at.debtPrice,
    collateralDecimals,
    debtDecimals: usdcDecimals,
    bonusBps: eMode.liquidationBonus,
    protocolFeeBps,
  });

  const receipt = await sendTx(provider, "liquidationCall", () =>
    pool.connect(liquidator).liquidationCall(usde, usdc, user.address, MaxUint256, false),
  );
  const block = await provider.getBlock(receipt.blockNumber);
  expect(BigInt(block!.timestamp)).to.equal(timestamp); // the reads above were taken at this very timestamp

  const events = (
    await pool.queryFilter(pool.filters.LiquidationCall(), receipt.blockNumber, receipt.blockNumber)
  ).filter((e) => e.transactionHash === receipt.hash);
  expect(events).to.have.length(1);
  const ev = events[0].args;
  expect([ev.collateralAsset, ev.debtAsset, ev.user, ev.liquidator, ev.receiveAToken]).to.deep.equal([
    usde,
    usdc,
    user.address,
    liquidator.address,
    false,
  ]);
  expect(ev.debtToCover).to.equal(expected.debtToCover);
  expect(ev.liquidatedCollateralAmount).to.equal(expected.collateralToLiquidator);

  // The liquidator got exactly the event's collateral in USDe and paid exactly the event's debt in USDC.
  expect((await usdeToken.balanceOf(liquidator.address)) - at.liquidatorUsde).to.equal(ev.liquidatedCollateralAmount);
  expect(at.liquidatorUsdc - (await usdcToken.balanceOf(liquidator.address))).to.equal(ev.debtToCover);
  // The treasury got the protocol fee in aUSDe: scaled by the liquidity index, as AToken._transfer moves it.
  expect(await aUsde.scaledBalanceOf(treasury)).to.equal(
    at.treasuryScaled + rayDiv(expected.protocolFee, at.liquidityIndex),
  );
  expect(await aUsde.balanceOf(treasury)).to.equal(
    rayMul(at.treasuryScaled + rayDiv(expected.protocolFee, at.liquidityIndex), at.liquidityIndex),
  );
  expect(expected.protocolFee).to.be.gt(0n);
  // The user's debt fell by debtToCover. Within 1 wei: VariableDebtToken burns rayDiv(amount, index) scaled units
  // and balanceOf re-multiplies by the index, each rounding half up.
  const debtAfter = await usdcVariableDebt.balanceOf(user.address);
  expect(debtAfter).to.be.closeTo(at.variableDebt - ev.debtToCover, 1n);

  return {
    healthFactorBefore: at.healthFactor,
    expected,
    event: { debtToCover: ev.debtToCover, liquidatedCollateralAmount: ev.liquidatedCollateralAmount },
  };
}

// ---------------------------------------------------------------------------------------------------------------
// Morpho Blue
// ---------------------------------------------------------------------------------------------------------------

interface MorphoSetup {
  id: string;
  marketParams: { loanToken: string; collateralToken: string; oracle: string; irm: string; lltv: bigint };
  borrower: HardhatEthersSigner;
  liquidator: HardhatEthersSigner;
  collateral: bigint;
}

/** USDe/DAI-91.5: rate 0, oracle on USDe/USD ÷ DAI/USD; users[0] posts 1M USDe and borrows 98.4% of its max (900,360 DAI). */
async function openMorphoPosition(f: EmbeddedFixture): Promise<MorphoSetup> {
  const { record, deployer } = f;
  const [borrower, liquidator] = f.users;
  const morpho = Morpho__factory.connect(record.morpho.morpho, provider);
  const id = record.morpho.markets["USDe/DAI-91.5"].id;
  const mp = await morpho.idToMarketParams(id);
  const marketParams = {
    loanToken: mp.loanToken,
    collateralToken: mp.collateralToken,
    oracle: mp.oracle,
    irm: mp.irm,
    lltv: mp.lltv,
  };
  expect(mp.collateralToken).to.equal(record.tokens.USDe!.address);

  // Interest off for this market: FixedRateIrm answers 0 for it, so every accrual (whatever time has passed) adds
  // nothing and the totals read before a liquidation are the totals liquidate() computes with.
  await sendTx(provider, "setRate", () => FixedRateIrm__factory.connect(marketParams.irm, deployer).setRate(id, 0n));
  expect((await morpho.market(id)).fee).to.equal(0n);
  await sendTx(provider, "configure oracle", () =>
    FeedMorphoOracle__factory.connect(marketParams.oracle, deployer).configure({
      baseVault: ZeroAddress,
      baseVaultConversionSample: 1n,
      baseFeed: record.feeds["USDe/USD"],
      quoteFeed: record.feeds["DAI/USD"],
    }),
  );

  const collateral = 1_000_000n * 10n ** 18n;
  await mint(f, marketParams.collateralToken, borrower.address, collateral);
  await sendTx(provider, "approve", () =>
    StandInERC20__factory.connect(marketParams.collateralToken, borrower).approve(record.morpho.morpho, MaxUint256),
  );
  await sendTx(provider, "supplyCollateral", () =>
    morpho.connect(borrower).supplyCollateral(marketParams, collateral, borrower.address, "0x"),
  );
  const price = await FeedMorphoOracle__factory.connect(marketParams.oracle, provider).price();
  const maxBorrow = wMulDown(mulDivDown(collateral, price, ORACLE_PRICE_SCALE), marketParams.lltv);
  const borrow = (maxBorrow * 984n) / 1000n;
  await sendTx(provider, "borrow", () =>
    morpho.connect(borrower).borrow(marketParams, borrow, 0n, borrower.address, borrower.address),
  );

  await mint(f, marketParams.loanToken, liquidator.address, borrow * 2n);
  await sendTx(provider, "approve", () =>
    StandInERC20__factory.connect(marketParams.loanToken, liquidator).approve(record.morpho.morpho, MaxUint256),
  );
  return { id, marketParams, borrower, liquidator, collateral };
}

interface MorphoLiquidation {
  price: bigint;
  totals: { totalBorrowAssets: bigint; totalBorrowShares: bigint };
  sharesBefore: bigint;
  event: {
    repaidAssets: bigint;
    repaidShares: bigint;
    seizedAssets: bigint;
    badDebtAssets: bigint;
    badDebtShares: bigint;
  };
  liquidatorUsdeGain: bigint;
  liquidatorDaiPaid: bigint;
}

async function morphoLiquidate(
  f: EmbeddedFixture,
  s: MorphoSetup,
  usdeE8: bigint,
  seized: (collateral: bigint) => bigint,
): Promise<MorphoLiquidation> {
  const morpho = Morpho__factory.connect(f.record.morpho.morpho, provider);
  await setFeed(f, f.record.feeds["USDe/USD"], usdeE8);
  const price = await FeedMorphoOracle__factory.connect(s.marketParams.oracle, provider).price();
  const m = await morpho.market(s.id);
  const pos = await morpho.position(s.id, s.borrower.address);
  const borrowed = toAssetsUp(pos.borrowShares, m.totalBorrowAssets, m.totalBorrowShares);
  expect(wMulDown(mulDivDown(pos.collateral, price, ORACLE_PRICE_SCALE), s.marketParams.lltv)).to.be.lt(borrowed); // unhealthy
  const usde = IERC20Metadata__factory.connect(s.marketParams.collateralToken, provider);
  const dai = IERC20Metadata__factory.connect(s.marketParams.loanToken, provider);
  const usdeBefore = await usde.balanceOf(s.liquidator.address);
  const daiBefore = await dai.balanceOf(s.liquidator.address);

  const receipt = await sendTx(provider, "liquidate", () =>
    morpho.connect(s.liquidator).liquidate(s.marketParams, s.borrower.address, seized(pos.collateral), 0n, "0x"),
  );
  // Morpho's events live in EventsLib (not in Morpho's 0.8.19 ABI): read them through EventsLib's interface.
  const events = EventsLib__factory.connect(f.record.morpho.morpho, provider);
  const logs = (
    await events.queryFilter(
      events.filters.Liquidate(s.id, s.liquidator.address, s.borrower.address),
      receipt.blockNumber,
      receipt.blockNumber,
    )
  ).filter((e) => e.transactionHash === receipt.hash);
  expect(logs).to.have.length(1);
  const a = logs[0].args;
  // Interest really is off: the liquidation's own accrual added nothing, so the totals after are the totals read
  // before minus what the liquidation took out (repaid assets floored at zero, then bad debt).
  const mAfter = await morpho.market(s.id);
  expect(mAfter.totalBorrowAssets).to.equal(maxBig(m.totalBorrowAssets - a.repaidAssets, 0n) - a.badDebtAssets);
  expect(mAfter.totalBorrowShares).to.equal(m.totalBorrowShares - a.repaidShares - a.badDebtShares);
  return {
    price,
    totals: { totalBorrowAssets: m.totalBorrowAssets, totalBorrowShares: m.totalBorrowShares },
    sharesBefore: pos.borrowShares,
    event: {
      repaidAssets: a.repaidAssets,
      repaidShares: a.repaidShares,
      seizedAssets: a.seizedAssets,
      badDebtAssets: a.badDebtAssets,
      badDebtShares: a.badDebtShares,
    },
    liquidatorUsdeGain: (await usde.balanceOf(s.liquidator.address)) - usdeBefore,
    liquidatorDaiPaid: daiBefore - (await dai.balanceOf(s.liquidator.address)),
  };
}

// ---------------------------------------------------------------------------------------------------------------

describe("real protocols on the embedded chain (Aave v3.0 logic; the origin line: test/protocols/aave-v3.test.ts)", function () {
  describe("Aave V3 liquidation (E-mode 2, USDe collateral, USDC debt)", function () {
    it("0.95 < HF < 1: close factor 50%, E-mode bonus, protocol fee to the treasury", async function () {
      const f = await loadEmbeddedV30();
      // 1M USDe at 0.93 against 890k USDC: HF = 0.93 x 0.92 / 0.89 ~ 0.961
      const r = await runAaveLiquidation(f, 93_000_000n);
      expect(r.healthFactorBefore)
        .to.be.gt(95n * 10n ** 16n)
        .and.lt(WAD);
      expect(r.expected.closeFactor).to.equal(5_000n);
      expect(r.expected.cappedByCollateral).to.equal(false);
    });

    it("HF < 0.95: close factor 100%, capped by the collateral the user has", async function () {
      const f = await loadEmbeddedV30();
      // 1M USDe at 0.90 against 890k USDC: HF ~ 0.930. In E-mode a position this far gone holds less collateral than
      // debt x 1.04, so Aave seizes all of it and covers only the debt that buys (the rest stays as unbacked debt).
      const r = await runAaveLiquidation(f, 90_000_000n);
      expect(r.healthFactorBefore).to.be.lt(95n * 10n ** 16n);
      expect(r.expected.closeFactor).to.equal(10_000n);
      expect(r.expected.cappedByCollateral).to.equal(true);
      const aUsde = AToken__factory.connect(f.record.aave.reserves.USDe!.aToken, provider);
      expect(await aUsde.balanceOf(f.users[0].address)).to.equal(0n);
    });
  });

  describe("Morpho Blue liquidation (USDe/DAI-91.5, oracle on USDe/USD)", function () {
    it("partial: repaid assets and shares follow the LLTV-derived incentive", async function () {
      const f = await loadEmbeddedV30();
      const s = await openMorphoPosition(f);
      // USDe 0.98: max borrow 1M x 0.98 x 0.915 = 896.7k < 900.4k borrowed.
      const r = await morphoLiquidate(f, s, 98_000_000n, (c) => c / 2n);

      // The oracle follows the feeds: 1e36 x USDe/USD ÷ DAI/USD (both 8 decimals, both tokens 18 decimals).
      const dai = await SettableAggregator__factory.connect(f.record.feeds["DAI/USD"], provider).latestAnswer();
      expect(r.price).to.equal((ORACLE_PRICE_SCALE * 98_000_000n) / dai);

      const lltv = s.marketParams.lltv;
      // The incentive, from the on-chain LLTV: min(1.15, 1 / (1 - 0.3 (1 - LLTV))) with Morpho's rounding.
      const incentive = liquidationIncentiveFactor(lltv);
      expect(incentive).to.equal(
        minBig(MAX_LIQUIDATION_INCENTIVE_FACTOR, wDivDown(WAD, WAD - wMulDown(3n * 10n ** 17n, WAD - lltv))),
      );
      const want = repaidForSeized(
        s.collateral / 2n,
        r.price,
        lltv,
        r.totals.totalBorrowAssets,
        r.totals.totalBorrowShares,
      );
      expect(r.event.seizedAssets).to.equal(s.collateral / 2n);
      expect(r.event.repaidShares).to.equal(want.repaidShares);
      expect(r.event.repaidAssets).to.equal(want.repaidAssets);
      expect([r.event.badDebtAssets, r.event.badDebtShares]).to.deep.equal([0n, 0n]);
      // Discriminating: without the incentive (an LLTV of 100% gives a factor of exactly 1) the repayment differs.
      expect(liquidationIncentiveFactor(WAD)).to.equal(WAD);
      expect(
        repaidForSeized(s.collateral / 2n, r.price, WAD, r.totals.totalBorrowAssets, r.totals.totalBorrowShares)
          .repaidAssets,
      ).to.be.gt(want.repaidAssets);
      // Seized value / repaid = the incentive, up to Morpho's rounding (a few wei on 1e24 amounts).
      const seizedValue = mulDivDown(r.event.seizedAssets, r.price, ORACLE_PRICE_SCALE);
      expect((seizedValue * WAD) / r.event.repaidAssets).to.be.closeTo(incentive, 10n ** 6n);

      expect(r.liquidatorUsdeGain).to.equal(r.event.seizedAssets);
      expect(r.liquidatorDaiPaid).to.equal(r.event.repaidAssets);
      const pos = await Morpho__factory.connect(f.record.morpho.morpho, provider).position(s.id, s.borrower.address);
      expect(pos.borrowShares).to.equal(r.sharesBefore - r.event.repaidShares);
      expect(pos.collateral).to.equal(s.collateral - s.collateral / 2n);
    });

    it("all collateral of an underwater position: the rest of the debt is realized as bad debt", async function () {
      const f = await loadEmbeddedV30();
      const s = await openMorphoPosition(f);
      const morpho = Morpho__factory.connect(f.record.morpho.morpho, provider);
      const supplyBefore = (await morpho.market(s.id)).totalSupplyAssets;
      // USDe 0.50: 1M USDe is worth 500k DAI against ~900k borrowed.
      const r = await morphoLiquidate(f, s, 50_000_000n, (c) => c);
      const { totalBorrowAssets: tba, totalBorrowShares: tbs } = r.totals;
      expect(mulDivDown(s.collateral, r.price, ORACLE_PRICE_SCALE)).to.be.lt(toAssetsUp(r.sharesBefore, tba, tbs));

      const want = repaidForSeized(s.collateral, r.price, s.marketParams.lltv, tba, tbs);
      expect(r.event.seizedAssets).to.equal(s.collateral);
      expect(r.event.repaidShares).to.equal(want.repaidShares);
      expect(r.event.repaidAssets).to.equal(want.repaidAssets);
      // The borrower's remaining debt: its shares before minus those repaid, in assets (rounded up) at the totals left
      // after the repayment — what Morpho writes off (capped by total borrow assets).
      const sharesLeft = r.sharesBefore - want.repaidShares;
      const tbaAfterRepay = maxBig(tba - want.repaidAssets, 0n);
      const tbsAfterRepay = tbs - want.repaidShares;
      const remainingDebt = toAssetsUp(sharesLeft, tbaAfterRepay, tbsAfterRepay);
      expect(r.event.badDebtShares).to.equal(sharesLeft);
      expect(r.event.badDebtAssets).to.equal(minBig(tbaAfterRepay, remainingDebt));
      // And it is what the borrower owed minus what the liquidator repaid, to the wei (up-rounding on both sides).
      expect(r.event.repaidAssets + r.event.badDebtAssets).to.be.closeTo(toAssetsUp(r.sharesBefore, tba, tbs), 1n);

      const pos = await morpho.position(s.id, s.borrower.address);
      expect([pos.borrowShares, pos.collateral]).to.deep.equal([0n, 0n]);
      // Suppliers absorb the bad debt.
      expect((await morpho.market(s.id)).totalSupplyAssets).to.equal(supplyBefore - r.event.badDebtAssets);
      expect(r.liquidatorUsdeGain).to.equal(s.collateral);
      expect(r.liquidatorDaiPaid).to.equal(r.event.repaidAssets);
    });
  });

  it("Uniswap V3: selling 1M USDe for USDC on the 0.01% pool moves the price against USDe", async function () {
    const f = await loadEmbeddedV30();
    const { record } = f;
    const user = f.users[2];
    const p = record.uniswap.pools["USDe/USDC-0.01%"];
    const pool = UniswapV3Pool__factory.connect(p.address, provider);
    const usde = record.tokens.USDe!.address;
    const usdc = record.tokens.USDC!.address;
    const [token0, token1, fee] = [await pool.token0(), await pool.token1(), await pool.fee()];
    expect(new Set([token0, token1])).to.deep.equal(new Set([usde, usdc]));
    const usdeIs0 = token0 === usde;
    const usdeDecimals = await IERC20Metadata__factory.connect(usde, provider).decimals();
    const usdcDecimals = await IERC20Metadata__factory.connect(usdc, provider).decimals();

    const amountIn = 1_000_000n * 10n ** usdeDecimals;
    await mint(f, usde, user.address, amountIn);
    await sendTx(provider, "approve", () =>
      StandInERC20__factory.connect(usde, user).approve(record.uniswap.swapRouter, MaxUint256),
    );
    const usdeT = IERC20Metadata__factory.connect(usde, provider);
    const usdcT = IERC20Metadata__factory.connect(usdc, provider);
    const before = {
      sqrt: (await pool.slot0()).sqrtPriceX96,
      userUsde: await usdeT.balanceOf(user.address),
      userUsdc: await usdcT.balanceOf(user.address),
      poolUsde: await usdeT.balanceOf(p.address),
      poolUsdc: await usdcT.balanceOf(p.address),
    };
    const router = SwapRouter__factory.connect(record.uniswap.swapRouter, user);
    const receipt = await sendTx(provider, "exactInputSingle", () =>
      router.exactInputSingle({
        tokenIn: usde,
        tokenOut: usdc,
        fee,
        recipient: user.address,
        deadline: MaxUint256,
        amountIn,
        amountOutMinimum: 0n,
        sqrtPriceLimitX96: 0n,
      }),
    );
    const after = {
      sqrt: (await pool.slot0()).sqrtPriceX96,
      userUsde: await usdeT.balanceOf(user.address),
      userUsdc: await usdcT.balanceOf(user.address),
      poolUsde: await usdeT.balanceOf(p.address),
      poolUsdc: await usdcT.balanceOf(p.address),
    };

    // sqrtPriceX96 = sqrt(token1 / token0): USDe cheaper means it falls if USDe is token0, rises if it is token1.
    if (usdeIs0) expect(after.sqrt).to.be.lt(before.sqrt);
    else expect(after.sqrt).to.be.gt(before.sqrt);

    const swaps = (await pool.queryFilter(pool.filters.Swap(), receipt.blockNumber, receipt.blockNumber)).filter(
      (e) => e.transactionHash === receipt.hash,
    );
    expect(swaps).to.have.length(1);
    const ev = swaps[0].args;
    const [usdeDelta, usdcDelta] = usdeIs0 ? [ev.amount0, ev.amount1] : [ev.amount1, ev.amount0];
    // Pool-signed amounts: positive into the pool.
    expect(usdeDelta).to.equal(amountIn);
    expect(usdcDelta).to.be.lt(0n);
    expect(before.userUsde - after.userUsde).to.equal(usdeDelta);
    expect(after.userUsdc - before.userUsdc).to.equal(-usdcDelta);
    expect(after.poolUsde - before.poolUsde).to.equal(usdeDelta);
    expect(after.poolUsdc - before.poolUsdc).to.equal(usdcDelta);
    expect([ev.sender, ev.recipient, ev.sqrtPriceX96]).to.deep.equal([
      record.uniswap.swapRouter,
      user.address,
      after.sqrt,
    ]);

    // Received less than paid (fee + price impact), but not more than 1% less, compared in 18 decimals.
    const received18 = (after.userUsdc - before.userUsdc) * 10n ** (usdeDecimals - usdcDecimals);
    expect(received18).to.be.lt(amountIn);
    expect(received18 * 100n).to.be.gt(amountIn * 99n);
  });

  it("Aave Pool and PoolConfigurator run the npm artifacts' bytecode behind EIP-1967 proxies", async function () {
    const { record } = await loadEmbeddedV30();
    const slotAddress = async (proxy: string): Promise<string> =>
      getAddress(`0x${(await provider.getStorage(proxy, EIP1967_IMPLEMENTATION_SLOT)).slice(26)}`);

    // Pool: identical to the linked npm runtime code except at the immutable ADDRESSES_PROVIDER, which holds the provider.
    expect(await slotAddress(record.aave.pool)).to.equal(record.aave.poolImpl);
    const onChain = (await provider.getCode(record.aave.poolImpl)).toLowerCase();
    const poolArtifact = loadNpmArtifact("aave", "protocol/pool/Pool.sol/Pool.json");
    const expected = linkedDeployedBytecode(poolArtifact, record.aave.libraries).toLowerCase();
    expect(onChain.length).to.equal(expected.length);
    const refs = aaveImmutableReferences(poolArtifact.sourceName, poolArtifact.contractName);
    expect(poolArtifact.sourceName).to.equal("contracts/protocol/pool/Pool.sol");
    expect(refs.length).to.be.gt(0);
    const providerWord = zeroPadValue(record.aave.poolAddressesProvider, 32).slice(2).toLowerCase();
    let masked = onChain.slice(2);
    for (const { start, length } of refs) {
      const at = [start * 2, (start + length) * 2] as const;
      expect(length).to.equal(32);
      expect(masked.slice(...at)).to.equal(providerWord);
      expect(expected.slice(2).slice(...at)).to.equal("0".repeat(64));
      masked = masked.slice(0, at[0]) + "0".repeat(length * 2) + masked.slice(at[1]);
    }
    expect(`0x${masked}`).to.equal(expected);
    expect(await Pool__factory.connect(record.aave.poolImpl, provider).ADDRESSES_PROVIDER()).to.equal(
      record.aave.poolAddressesProvider,
    );

    // PoolConfigurator: no immutables, so the code equals the linked artifact outright.
    const configuratorImpl = await slotAddress(record.aave.poolConfigurator);
    const confArtifact = loadNpmArtifact("aave", "protocol/pool/PoolConfigurator.sol/PoolConfigurator.json");
    expect(aaveImmutableReferences(confArtifact.sourceName, confArtifact.contractName)).to.deep.equal([]);
    expect((await provider.getCode(configuratorImpl)).toLowerCase()).to.equal(
      linkedDeployedBytecode(confArtifact, record.aave.libraries).toLowerCase(),
    );
  });
});
