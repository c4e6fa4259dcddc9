/**
 * Shared set-up for the Solidity tool tests (LeverageLooper, FlashLiquidator): funding, Uniswap paths, opening looped
 * positions through the looper, and the oracle moves that make positions liquidatable on the embedded chain.
 */
import { expect } from "chai";
import {
  ZeroAddress,
  concat,
  solidityPacked,
  type ContractTransactionReceipt,
  type ContractTransactionResponse,
} from "ethers";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import {
  FeedMorphoOracle__factory,
  IERC20Metadata__factory,
  LeverageLooper,
  LeverageLooper__factory,
  Morpho__factory,
  SettableAggregator__factory,
  StakedUSDeStandIn__factory,
  StandInERC20__factory,
} from "../../typechain-types";
import type { LoopedEvent } from "../../typechain-types/artifacts/contracts/strategies/LeverageLooper";
import type { EmbeddedFixture } from "../fixtures";
import { TOKEN_SYMBOLS, type TokenSymbol } from "../../src/domain/tokens";
import { tokenAddress, tokenDecimals } from "../../src/chain/context";
import { percentMul } from "../../src/math/fixed-point";
import { WAD } from "../../src/constants";
import { SALE_VENUE } from "../../src/dex/dex";
import type { MarketParamsStruct } from "../../src/math/morpho-blue";
import { AaveOracle__factory, Pool__factory, VariableDebtToken__factory } from "../../src/protocols/aave-v3-types";

/** Fee tier of every embedded Uniswap pool (0.01%). */
const POOL_FEE = 100;
/** Aave E-mode category 2: USDe, sUSDe, USDC, USDT. */
const STABLE_EMODE = 2;

export const units = (whole: bigint, decimals: number): bigint => whole * 10n ** BigInt(decimals);

/** Uniswap V3 exactInput path: token ‖ fee ‖ token ‖ fee ‖ ... (all hops at the 0.01% tier). */
export function uniPath(f: EmbeddedFixture, symbols: TokenSymbol[]): string {
  const types: string[] = [];
  const values: (string | number)[] = [];
  symbols.forEach((s, i) => {
    if (i > 0) {
      types.push("uint24");
      values.push(POOL_FEE);
    }
    types.push("address");
    values.push(tokenAddress(f.ctx, s));
  });
  return solidityPacked(types, values);
}

/** The same path as a sale route of our contracts (contracts/libraries/Swaps.sol): the Uniswap V3 venue byte first. */
export function uniRoute(f: EmbeddedFixture, symbols: TokenSymbol[]): string {
  return concat([SALE_VENUE.uniswapV3, uniPath(f, symbols)]);
}

/** Sends and waits; returns the receipt of a mined success. */
export async function mined(tx: Promise<ContractTransactionResponse>): Promise<ContractTransactionReceipt> {
  const receipt = await (await tx).wait();
  if (!receipt || receipt.status !== 1) throw new Error("transaction failed");
  return receipt;
}

export function erc20(f: EmbeddedFixture, symbol: TokenSymbol, runner: HardhatEthersSigner = f.deployer) {
  return IERC20Metadata__factory.connect(tokenAddress(f.ctx, symbol), runner);
}

/** Mints a stand-in token to `to` (sUSDe: mints USDe to the deployer and deposits it for `to`). */
export async function fund(f: EmbeddedFixture, symbol: TokenSymbol, to: string, amount: bigint): Promise<void> {
  if (symbol === "sUSDe") {
    const vault = StakedUSDeStandIn__factory.connect(tokenAddress(f.ctx, "sUSDe"), f.deployer);
    const assets = await vault.previewMint(amount);
    await mined(
      StandInERC20__factory.connect(tokenAddress(f.ctx, "USDe"), f.deployer).mint(f.deployer.address, assets),
    );
    await mined(erc20(f, "USDe").approve(await vault.getAddress(), assets));
    await mined(vault.mint(amount, to));
    return;
  }
  await mined(StandInERC20__factory.connect(tokenAddress(f.ctx, symbol), f.deployer).mint(to, amount));
}

/** Every stand-in token balance of `holder`. */
export async function balancesOf(
  f: EmbeddedFixture,
  holder: string,
  blockTag?: number,
): Promise<Record<TokenSymbol, bigint>> {
  const out = {} as Record<TokenSymbol, bigint>;
  for (const s of TOKEN_SYMBOLS) out[s] = await erc20(f, s).balanceOf(holder, { blockTag });
  return out;
}

/** The tools keep nothing: every token balance of `holder` is zero. */
export async function expectHoldsNothing(f: EmbeddedFixture, holder: string): Promise<void> {
  const b = await balancesOf(f, holder);
  for (const s of TOKEN_SYMBOLS) expect(b[s], `${s} left in ${holder}`).to.equal(0n);
  expect(await f.ctx.provider.getBalance(holder), `ETH left in ${holder}`).to.equal(0n);
}

export async function deployLooper(f: EmbeddedFixture): Promise<LeverageLooper> {
  const r = f.record;
  const looper = await new LeverageLooper__factory(f.deployer).deploy(
    r.aave.pool,
    r.morpho.morpho,
    r.uniswap.swapRouter,
  );
  await looper.waitForDeployment();
  return looper;
}

/** 100,000 x (0.8 + 0.8^2 + ... + 0.8^5) = 268,928: the debt of a 5-round iterative loop at 80% LTV, exact in bigints. */
export function fiveRoundDebt(initialWhole: bigint, decimals: number): bigint {
  let total = 0n;
  let step = units(initialWhole, decimals);
  for (let i = 0; i < 5; i++) {
    step = (step * 8n) / 10n;
    total += step;
  }
  return total;
}

/** Aave flash-loan premium on `amount` (FlashLoanLogic: amount.percentMul(FLASHLOAN_PREMIUM_TOTAL)). */
export async function aavePremium(f: EmbeddedFixture, amount: bigint): Promise<bigint> {
  const total = await Pool__factory.connect(f.record.aave.pool, f.deployer).FLASHLOAN_PREMIUM_TOTAL();
  return percentMul(amount, total);
}

/** The largest flash amount whose amount + premium does not exceed `debt`: an Aave loop ending with that debt. */
export async function aaveFlashForDebt(f: EmbeddedFixture, debt: bigint): Promise<bigint> {
  const bps = await Pool__factory.connect(f.record.aave.pool, f.deployer).FLASHLOAN_PREMIUM_TOTAL();
  let flash = (debt * 10_000n) / (10_000n + bps);
  while (flash + percentMul(flash, bps) > debt) flash -= 1n;
  while (flash + 1n + percentMul(flash + 1n, bps) <= debt) flash += 1n;
  return flash;
}

export interface LoopOpened {
  receipt: ContractTransactionReceipt;
  looped: LoopedEvent.OutputObject;
}

async function loopedIn(
  looper: LeverageLooper,
  receipt: ContractTransactionReceipt,
): Promise<LoopedEvent.OutputObject> {
  const events = await looper.queryFilter(looper.filters.Looped(), receipt.blockNumber, receipt.blockNumber);
  const mine = events.filter((e) => e.transactionHash === receipt.hash);
  expect(mine, "one Looped event").to.have.length(1);
  return mine[0].args;
}

export interface AaveLoopSpec {
  collateral: "USDe" | "sUSDe";
  initial: "USDe" | "sUSDe";
  initialAmount: bigint;
  debt: "USDC" | "USDT";
  flashAmount: bigint;
  /** Skip the user's preparations, to test what the protocol says without them. */
  delegate?: boolean;
  eMode?: boolean;
}

/** Funds `user`, prepares delegation / E-mode (unless told not to) and returns the loopAave call, unsent. */
export async function prepareAaveLoop(
  f: EmbeddedFixture,
  looper: LeverageLooper,
  user: HardhatEthersSigner,
  s: AaveLoopSpec,
) {
  const looperAddr = await looper.getAddress();
  await fund(f, s.initial, user.address, s.initialAmount);
  await mined(erc20(f, s.initial, user).approve(looperAddr, s.initialAmount));
  if (s.eMode !== false) await mined(Pool__factory.connect(f.record.aave.pool, user).setUserEMode(STABLE_EMODE));
  if (s.delegate !== false) {
    const vDebt = VariableDebtToken__factory.connect(f.record.aave.reserves[s.debt]!.variableDebtToken, user);
    await mined(vDebt.approveDelegation(looperAddr, s.flashAmount + (await aavePremium(f, s.flashAmount))));
  }
  const usdePerDebt = 10n ** BigInt(18 - tokenDecimals(f.ctx, s.debt));
  const params: LeverageLooper.AaveLoopParamsStruct = {
    initialToken: tokenAddress(f.ctx, s.initial),
    initialAmount: s.initialAmount,
    collateral: tokenAddress(f.ctx, s.collateral),
    debtAsset: tokenAddress(f.ctx, s.debt),
    flashAmount: s.flashAmount,
    swapPath: uniRoute(f, [s.debt, "USDe"]),
    minUsdeOut: (s.flashAmount * usdePerDebt * 995n) / 1000n, // at most 0.5% below 1:1
    vault: s.collateral === "sUSDe" ? tokenAddress(f.ctx, "sUSDe") : ZeroAddress,
  };
  return { params, send: () => looper.connect(user).loopAave(params) };
}

export async function openAaveLoop(
  f: EmbeddedFixture,
  looper: LeverageLooper,
  user: HardhatEthersSigner,
  s: AaveLoopSpec,
): Promise<LoopOpened> {
  const { send } = await prepareAaveLoop(f, looper, user, s);
  const receipt = await mined(send());
  return { receipt, looped: await loopedIn(looper, receipt) };
}

export function marketParams(f: EmbeddedFixture, key: string): MarketParamsStruct {
  const m = f.record.morpho.markets[key];
  if (!m) throw new Error(`no Morpho market ${key}`);
  return {
    loanToken: m.loanToken,
    collateralToken: m.collateralToken,
    oracle: m.oracle,
    irm: m.irm,
    lltv: BigInt(m.lltv),
  };
}

export interface MorphoLoopSpec {
  market: "sUSDe/USDC-91.5" | "USDe/DAI-91.5" | "sUSDe/DAI-91.5";
  initial: "USDe" | "sUSDe";
  initialAmount: bigint;
  flashAmount: bigint;
  authorize?: boolean;
}

function loanSymbol(key: MorphoLoopSpec["market"]): "USDC" | "DAI" {
  return key.endsWith("USDC-91.5") ? "USDC" : "DAI";
}

export async function prepareMorphoLoop(
  f: EmbeddedFixture,
  looper: LeverageLooper,
  user: HardhatEthersSigner,
  s: MorphoLoopSpec,
) {
  const looperAddr = await looper.getAddress();
  await fund(f, s.initial, user.address, s.initialAmount);
  await mined(erc20(f, s.initial, user).approve(looperAddr, s.initialAmount));
  if (s.authorize !== false)
    await mined(Morpho__factory.connect(f.record.morpho.morpho, user).setAuthorization(looperAddr, true));
  const market = marketParams(f, s.market);
  const loan = loanSymbol(s.market);
  const usdePerLoan = 10n ** BigInt(18 - tokenDecimals(f.ctx, loan));
  const sUsdeCollateral = s.market.startsWith("sUSDe");
  const params: LeverageLooper.MorphoLoopParamsStruct = {
    market,
    initialToken: tokenAddress(f.ctx, s.initial),
    initialAmount: s.initialAmount,
    flashAmount: s.flashAmount,
    swapPath: uniRoute(f, [loan, "USDe"]),
    minUsdeOut: (s.flashAmount * usdePerLoan * 995n) / 1000n,
    vault: sUsdeCollateral ? tokenAddress(f.ctx, "sUSDe") : ZeroAddress,
  };
  return { params, send: () => looper.connect(user).loopMorpho(params) };
}

export async function openMorphoLoop(
  f: EmbeddedFixture,
  looper: LeverageLooper,
  user: HardhatEthersSigner,
  s: MorphoLoopSpec,
): Promise<LoopOpened> {
  const { send } = await prepareMorphoLoop(f, looper, user, s);
  const receipt = await mined(send());
  return { receipt, looped: await loopedIn(looper, receipt) };
}

// ---- oracle moves (deployer owns the feeds, the Morpho oracles, and is Aave's asset-listing admin) ----------------

/** Aave prices USDe with the USDT/USD feed by default; point it at the USDe/USD feed so that feed can move it. */
export async function aaveUsdeFollowsMarketFeed(f: EmbeddedFixture): Promise<void> {
  const oracle = AaveOracle__factory.connect(f.record.aave.oracle, f.deployer);
  await mined(oracle.setAssetSources([tokenAddress(f.ctx, "USDe")], [f.record.feeds["USDe/USD"]]));
}

/** Reconfigures a Morpho market's oracle as collateral = (sUSDe rate x) USDe/USD, quoted in the loan token's USD feed. */
export async function morphoOracleFollowsUsdeFeed(f: EmbeddedFixture, key: MorphoLoopSpec["market"]): Promise<void> {
  const oracle = FeedMorphoOracle__factory.connect(f.record.morpho.markets[key].oracle, f.deployer);
  const sUsde = key.startsWith("sUSDe");
  await mined(
    oracle.configure({
      baseVault: sUsde ? tokenAddress(f.ctx, "sUSDe") : ZeroAddress,
      baseVaultConversionSample: sUsde ? WAD : 1n,
      baseFeed: f.record.feeds["USDe/USD"],
      quoteFeed: f.record.feeds[`${loanSymbol(key)}/USD`],
    }),
  );
}

export async function setUsdeUsdE8(f: EmbeddedFixture, answerE8: bigint): Promise<void> {
  await mined(SettableAggregator__factory.connect(f.record.feeds["USDe/USD"], f.deployer).setAnswer(answerE8));
}
