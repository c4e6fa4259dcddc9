/**
 * Deploys the embedded chain: real Aave V3 (npm artifacts, libraries linked), real Morpho Blue (compiled from
 * the npm sources), real Uniswap V3 (npm artifacts), plus our stand-in tokens and settable feeds, configured
 * with mainnet's published parameters (params.ts). One call, used by tests, tasks and scripts.
 */
import { BaseContract, ContractFactory, Signer, ZeroAddress, getAddress, id, MaxUint256 } from "ethers";
import { FeedMorphoOracle__factory, FixedRateIrm__factory, Morpho__factory, NonfungiblePositionManager__factory, SettableAggregator__factory, StakedUSDeStandIn__factory, StandInERC20__factory, UniswapV3Factory__factory } from "../../typechain-types";
import type { ConfiguratorInputTypes } from "../../typechain-types/node_modules/@aave/core-v3/artifacts/contracts/protocol/pool/PoolConfigurator";
import { RAY, WAD } from "../constants";
import { factoryFor, loadNpmArtifact } from "../chain/artifacts";
import { advanceTime } from "../chain/clock";
import { scheduleNextBlock } from "../chain/clock";
import type { DeploymentRecord, MorphoMarketRecord, TokenRecord, UniswapPoolRecord } from "../chain/deployments";
import type { RpcProvider } from "../chain/rpc";
import { sendTx } from "../chain/tx";
import { RevertError, decodeRevert } from "../chain/errors";
import { assertLocalDevNode } from "../chain/safety";
import { parseUnitsExact } from "../math/fixed-point";
import { MAX_TICK, MIN_TICK, TICK_SPACING, alignTick, sqrtPriceX96FromRatio, tickAtOrBelow } from "../math/uniswap-v3";
import { morphoMarketId } from "../math/morpho-blue";
import { aaveSourcesFor, morphoOracleConfigFor } from "../oracles/policy";
import { deployPolicyFeeds } from "../oracles/policy-feeds";
import { EmbeddedParams, TokenSymbol, defaultEmbeddedParams } from "./params";
import { validateEmbeddedParams } from "./validate";
import { ACLManager__factory, PoolAddressesProvider__factory, PoolConfigurator__factory, Pool__factory } from "../protocols/aave-v3-types";

/** Aave market id string of the embedded profile's PoolAddressesProvider. */
export const EMBEDDED_MARKET_ID = "loopstress embedded Aave V3";
/** Receives Aave reserve factors and liquidation protocol fees: an address derived from a label, with no key. */
export const EMBEDDED_AAVE_TREASURY = getAddress(`0x${id("loopstress.embedded.aave.treasury").slice(26)}`);

const AAVE = {
  provider: "protocol/configuration/PoolAddressesProvider.sol/PoolAddressesProvider.json",
  acl: "protocol/configuration/ACLManager.sol/ACLManager.json",
  pool: "protocol/pool/Pool.sol/Pool.json",
  configurator: "protocol/pool/PoolConfigurator.sol/PoolConfigurator.json",
  oracle: "misc/AaveOracle.sol/AaveOracle.json",
  dataProvider: "misc/AaveProtocolDataProvider.sol/AaveProtocolDataProvider.json",
  strategy: "protocol/pool/DefaultReserveInterestRateStrategy.sol/DefaultReserveInterestRateStrategy.json",
  aToken: "protocol/tokenization/AToken.sol/AToken.json",
  variableDebt: "protocol/tokenization/VariableDebtToken.sol/VariableDebtToken.json",
  stableDebt: "protocol/tokenization/StableDebtToken.sol/StableDebtToken.json",
  lib: (name: string) => `protocol/libraries/logic/${name}.sol/${name}.json`,
} as const;

/** Pool's logic libraries in link order (FlashLoanLogic links BorrowLogic). */
export const AAVE_POOL_LIBRARIES = ["SupplyLogic", "BorrowLogic", "LiquidationLogic", "EModeLogic", "BridgeLogic", "FlashLoanLogic", "PoolLogic"] as const;

export interface DeployOptions {
  params?: EmbeddedParams;
  /** Called with a line per step, for progress output. */
  log?: (line: string) => void;
}

export interface EmbeddedDeployment {
  record: DeploymentRecord;
  params: EmbeddedParams;
}

async function deployContract<T extends BaseContract>(
  provider: RpcProvider,
  label: string,
  factory: ContractFactory,
  args: unknown[],
): Promise<T & { address: string }> {
  await scheduleNextBlock(provider);
  let contract: BaseContract;
  try {
    contract = await factory.deploy(...args);
    await contract.waitForDeployment();
  } catch (err) {
    throw new RevertError(`deploy ${label}`, decodeRevert(err));
  }
  const address = await contract.getAddress();
  return Object.assign(contract as unknown as T, { address });
}

export async function deployEmbedded(deployer: Signer, provider: RpcProvider, options: DeployOptions = {}): Promise<EmbeddedDeployment> {
  const params = options.params ?? defaultEmbeddedParams();
  validateEmbeddedParams(params);
  await assertLocalDevNode(provider);
  const log = options.log ?? (() => undefined);
  const me = await deployer.getAddress();
  const { chainId } = await provider.getNetwork();

  // ---- tokens ---------------------------------------------------------------------------------
  log("tokens");
  const tokens: Partial<Record<TokenSymbol, TokenRecord>> = {};
  const erc20 = (s: TokenSymbol) => StandInERC20__factory.connect(tokens[s]!.address, deployer);
  for (const t of params.tokens.filter((t) => t.kind === "erc20")) {
    const c = await deployContract(provider, t.symbol, new StandInERC20__factory(deployer), [t.name, t.symbol, t.decimals, me]);
    tokens[t.symbol] = { address: c.address, symbol: t.symbol, decimals: t.decimals };
  }
  const susdeParams = params.tokens.find((t) => t.kind === "vault");
  if (susdeParams) {
    if (!tokens.USDe) throw new Error("tokens: sUSDe needs USDe");
    const v = await deployContract(provider, "sUSDe", new StakedUSDeStandIn__factory(deployer), [
      tokens.USDe.address, me, params.susde.cooldownSeconds, params.susde.vestingSeconds,
    ]);
    tokens[susdeParams.symbol] = { address: v.address, symbol: susdeParams.symbol, decimals: 18 };
    // Bring the rate to its Oct 2025 level: seed deposit, then vest the difference as rewards.
    const vault = StakedUSDeStandIn__factory.connect(v.address, deployer);
    const seed = params.susde.seedDepositRaw;
    const rewards = (seed * params.susde.initialRateWad) / WAD - seed;
    await sendTx(provider, "mint USDe for sUSDe seed", () => erc20("USDe").mint(me, seed + rewards));
    await sendTx(provider, "approve sUSDe", () => erc20("USDe").approve(v.address, MaxUint256));
    await sendTx(provider, "seed sUSDe", () => vault.deposit(seed, me));
    if (rewards > 0n) {
      await sendTx(provider, "sUSDe rewards", () => vault.transferInRewards(rewards));
      await advanceTime(provider, params.susde.vestingSeconds + 1);
    }
  }

  // ---- price feeds ------------------------------------------------------------------------------
  log("price feeds");
  const feeds: Record<string, string> = {};
  for (const [name, answer] of Object.entries(params.feedsE8)) {
    const f = await deployContract(provider, name, new SettableAggregator__factory(deployer), [8, name, answer, me]);
    feeds[name] = f.address;
  }
  // A feed nobody moves (fixed policies), and the sUSDe price views each policy needs.
  Object.assign(feeds, await deployPolicyFeeds(provider, deployer, tokens.sUSDe?.address, feeds));

  // ---- Aave V3 ----------------------------------------------------------------------------------
  log("Aave V3: addresses provider, ACL, libraries, pool, configurator");
  const providerC = await deployContract(provider, "PoolAddressesProvider", factoryFor(loadNpmArtifact("aave", AAVE.provider), deployer), [EMBEDDED_MARKET_ID, me]);
  const addressesProvider = PoolAddressesProvider__factory.connect(providerC.address, deployer);
  await sendTx(provider, "setACLAdmin", () => addressesProvider.setACLAdmin(me));
  const aclC = await deployContract(provider, "ACLManager", factoryFor(loadNpmArtifact("aave", AAVE.acl), deployer), [providerC.address]);
  await sendTx(provider, "setACLManager", () => addressesProvider.setACLManager(aclC.address));
  const acl = ACLManager__factory.connect(aclC.address, deployer);
  await sendTx(provider, "addPoolAdmin", () => acl.addPoolAdmin(me));
  await sendTx(provider, "addRiskAdmin", () => acl.addRiskAdmin(me));
  await sendTx(provider, "addEmergencyAdmin", () => acl.addEmergencyAdmin(me));
  await sendTx(provider, "addAssetListingAdmin", () => acl.addAssetListingAdmin(me));

  const libraries: Record<string, string> = {};
  for (const name of AAVE_POOL_LIBRARIES) {
    const lib = await deployContract(provider, name, factoryFor(loadNpmArtifact("aave", AAVE.lib(name)), deployer, libraries), []);
    libraries[name] = lib.address;
  }
  const poolImpl = await deployContract(provider, "Pool", factoryFor(loadNpmArtifact("aave", AAVE.pool), deployer, libraries), [providerC.address]);
  await sendTx(provider, "Pool impl initialize", () => Pool__factory.connect(poolImpl.address, deployer).initialize(providerC.address));
  await sendTx(provider, "setPoolImpl", () => addressesProvider.setPoolImpl(poolImpl.address));
  const poolAddress = await addressesProvider.getPool();

  const configuratorLogic = await deployContract(provider, "ConfiguratorLogic", factoryFor(loadNpmArtifact("aave", AAVE.lib("ConfiguratorLogic")), deployer), []);
  libraries.ConfiguratorLogic = configuratorLogic.address;
  const configuratorImpl = await deployContract(provider, "PoolConfigurator", factoryFor(loadNpmArtifact("aave", AAVE.configurator), deployer, libraries), []);
  await sendTx(provider, "PoolConfigurator impl initialize", () => PoolConfigurator__factory.connect(configuratorImpl.address, deployer).initialize(providerC.address));
  await sendTx(provider, "setPoolConfiguratorImpl", () => addressesProvider.setPoolConfiguratorImpl(configuratorImpl.address));
  const configurator = PoolConfigurator__factory.connect(await addressesProvider.getPoolConfigurator(), deployer);

  log("Aave V3: oracle, data provider, reserves, E-mode");
  const reserveAssets = params.aave.reserves.map((r) => r.asset);
  const sources = aaveSourcesFor(params.aave.oraclePolicy, feeds);
  const oracleC = await deployContract(provider, "AaveOracle", factoryFor(loadNpmArtifact("aave", AAVE.oracle), deployer), [
    providerC.address,
    reserveAssets.map((a) => tokens[a]!.address),
    reserveAssets.map((a) => sources[a]),
    ZeroAddress, // no fallback oracle: a non-positive answer must revert, as on mainnet
    ZeroAddress, // base currency USD
    10n ** 8n, // BASE_CURRENCY_UNIT (USD, 8 decimals)
  ]);
  await sendTx(provider, "setPriceOracle", () => addressesProvider.setPriceOracle(oracleC.address));
  const dataProviderC = await deployContract(provider, "AaveProtocolDataProvider", factoryFor(loadNpmArtifact("aave", AAVE.dataProvider), deployer), [providerC.address]);
  await sendTx(provider, "setPoolDataProvider", () => addressesProvider.setPoolDataProvider(dataProviderC.address));

  const aTokenImpl = await deployContract(provider, "AToken impl", factoryFor(loadNpmArtifact("aave", AAVE.aToken), deployer), [poolAddress]);
  const vDebtImpl = await deployContract(provider, "VariableDebtToken impl", factoryFor(loadNpmArtifact("aave", AAVE.variableDebt), deployer), [poolAddress]);
  const sDebtImpl = await deployContract(provider, "StableDebtToken impl", factoryFor(loadNpmArtifact("aave", AAVE.stableDebt), deployer), [poolAddress]);

  const bpsToRay = (bps: number): bigint => (BigInt(bps) * RAY) / 10_000n;
  const inputs: ConfiguratorInputTypes.InitReserveInputStruct[] = [];
  const strategies: Partial<Record<TokenSymbol, string>> = {};
  for (const r of params.aave.reserves) {
    const rs = r.rateStrategy;
    const strategy = await deployContract(provider, `${r.asset} rate strategy`, factoryFor(loadNpmArtifact("aave", AAVE.strategy), deployer), [
      providerC.address,
      bpsToRay(rs.optimalUsageRatioBps),
      bpsToRay(rs.baseVariableBorrowRateBps),
      bpsToRay(rs.variableRateSlope1Bps),
      bpsToRay(rs.variableRateSlope2Bps),
      0n, 0n, 0n, 0n, // stable borrowing is off on mainnet: no stable slopes/offsets
      bpsToRay(2000), // optimalStableToTotalDebtRatio, unused with stable borrowing off
    ]);
    strategies[r.asset] = strategy.address;
    const t = tokens[r.asset]!;
    inputs.push({
      aTokenImpl: aTokenImpl.address,
      stableDebtTokenImpl: sDebtImpl.address,
      variableDebtTokenImpl: vDebtImpl.address,
      underlyingAssetDecimals: t.decimals,
      interestRateStrategyAddress: strategy.address,
      underlyingAsset: t.address,
      treasury: EMBEDDED_AAVE_TREASURY,
      incentivesController: ZeroAddress,
      aTokenName: `Aave Ethereum ${r.asset}`,
      aTokenSymbol: `aEth${r.asset}`,
      variableDebtTokenName: `Aave Ethereum Variable Debt ${r.asset}`,
      variableDebtTokenSymbol: `variableDebtEth${r.asset}`,
      stableDebtTokenName: `Aave Ethereum Stable Debt ${r.asset}`,
      stableDebtTokenSymbol: `stableDebtEth${r.asset}`,
      params: "0x10",
    });
  }
  await sendTx(provider, "initReserves", () => configurator.initReserves(inputs));
  for (const r of params.aave.reserves) {
    const a = tokens[r.asset]!.address;
    const at = `aave.reserves[${r.asset}]`;
    if (r.liquidationThresholdBps > 0) {
      await sendTx(provider, `${at}: configureReserveAsCollateral`, () => configurator.configureReserveAsCollateral(a, r.ltvBps, r.liquidationThresholdBps, r.liquidationBonusBps));
    }
    if (r.borrowingEnabled) await sendTx(provider, `${at}: setReserveBorrowing`, () => configurator.setReserveBorrowing(a, true));
    await sendTx(provider, `${at}: setReserveFlashLoaning`, () => configurator.setReserveFlashLoaning(a, r.flashLoanEnabled));
    await sendTx(provider, `${at}: setReserveFactor`, () => configurator.setReserveFactor(a, r.reserveFactorBps));
    await sendTx(provider, `${at}: setLiquidationProtocolFee`, () => configurator.setLiquidationProtocolFee(a, r.liquidationProtocolFeeBps));
    if (r.supplyCap > 0n) await sendTx(provider, `${at}: setSupplyCap`, () => configurator.setSupplyCap(a, r.supplyCap));
    if (r.borrowCap > 0n) await sendTx(provider, `${at}: setBorrowCap`, () => configurator.setBorrowCap(a, r.borrowCap));
  }
  for (const e of params.aave.eModes) {
    await sendTx(provider, `aave.eModes[${e.id}]: setEModeCategory`, () =>
      configurator.setEModeCategory(e.id, e.ltvBps, e.liquidationThresholdBps, e.liquidationBonusBps, ZeroAddress, e.label));
    for (const a of e.assets) {
      await sendTx(provider, `aave.eModes[${e.id}]: setAssetEModeCategory(${a})`, () => configurator.setAssetEModeCategory(tokens[a]!.address, e.id));
    }
  }
  await sendTx(provider, "updateFlashloanPremiumTotal", () => configurator.updateFlashloanPremiumTotal(params.aave.flashLoanPremiumTotalBps));
  await sendTx(provider, "updateFlashloanPremiumToProtocol", () => configurator.updateFlashloanPremiumToProtocol(params.aave.flashLoanPremiumToProtocolBps));

  // Seed liquidity so there is something to borrow.
  const pool = Pool__factory.connect(poolAddress, deployer);
  for (const [sym, amount] of Object.entries(params.aave.seedSupplyRaw) as [TokenSymbol, bigint][]) {
    if (amount <= 0n) continue;
    await fund(provider, deployer, tokens, sym, amount);
    const token = StandInERC20__factory.connect(tokens[sym]!.address, deployer);
    await sendTx(provider, `approve ${sym} to Aave`, () => token.approve(poolAddress, MaxUint256));
    await sendTx(provider, `seed Aave ${sym}`, () => pool.supply(tokens[sym]!.address, amount, me, 0));
  }
  const reserves: DeploymentRecord["aave"]["reserves"] = {};
  for (const r of params.aave.reserves) {
    const data = await pool.getReserveData(tokens[r.asset]!.address);
    reserves[r.asset] = {
      aToken: data.aTokenAddress,
      variableDebtToken: data.variableDebtTokenAddress,
      stableDebtToken: data.stableDebtTokenAddress,
      interestRateStrategy: strategies[r.asset]!,
    };
  }

  // ---- Morpho Blue ---------------------------------------------------------------------------------
  log("Morpho Blue: core, IRM, oracles, markets");
  const morphoC = await deployContract(provider, "Morpho", new Morpho__factory(deployer), [me]);
  const morpho = Morpho__factory.connect(morphoC.address, deployer);
  const irm = await deployContract(provider, "FixedRateIrm", new FixedRateIrm__factory(deployer), [params.morpho.borrowRatePerSecondWad, me]);
  await sendTx(provider, "enableIrm", () => morpho.enableIrm(irm.address));
  const markets: Record<string, MorphoMarketRecord> = {};
  const enabledLltvs = new Set<bigint>();
  for (const m of params.morpho.markets) {
    const at = `morpho.markets[${m.key}]`;
    if (!enabledLltvs.has(m.lltvWad)) {
      await sendTx(provider, `${at}: enableLltv`, () => morpho.enableLltv(m.lltvWad));
      enabledLltvs.add(m.lltvWad);
    }
    const coll = tokens[m.collateral]!;
    const loan = tokens[m.loan]!;
    const oracle = await deployContract(provider, `${m.key} oracle`, new FeedMorphoOracle__factory(deployer), [
      coll.decimals, loan.decimals, morphoOracleConfigFor(params.morpho.oraclePolicy, m.collateral, m.loan, tokens, feeds), me,
    ]);
    const marketParams = { loanToken: loan.address, collateralToken: coll.address, oracle: oracle.address, irm: irm.address, lltv: m.lltvWad };
    await sendTx(provider, `${at}: createMarket`, () => morpho.createMarket(marketParams));
    markets[m.key] = { id: morphoMarketId(marketParams), ...marketParams, lltv: m.lltvWad.toString() };
    if (m.supplyRaw > 0n) {
      await fund(provider, deployer, tokens, m.loan, m.supplyRaw);
      const token = StandInERC20__factory.connect(loan.address, deployer);
      await sendTx(provider, `approve ${m.loan} to Morpho`, () => token.approve(morphoC.address, MaxUint256));
      await sendTx(provider, `${at}: seed supply`, () => morpho.supply(marketParams, m.supplyRaw, 0n, me, "0x"));
    }
  }

  // ---- Uniswap V3 ---------------------------------------------------------------------------------
  log("Uniswap V3: factory, router, position manager, quoter, pools");
  const factoryC = await deployContract(provider, "UniswapV3Factory", factoryFor(loadNpmArtifact("uniswapCore", "UniswapV3Factory.sol/UniswapV3Factory.json"), deployer), []);
  const uniFactory = UniswapV3Factory__factory.connect(factoryC.address, deployer);
  // Mainnet enabled the 0.01% tier (tick spacing 1) by governance in Nov 2021.
  await sendTx(provider, "enableFeeAmount(100, 1)", () => uniFactory.enableFeeAmount(100, 1));
  const weth = tokens.WETH?.address ?? ZeroAddress;
  const router = await deployContract(provider, "SwapRouter", factoryFor(loadNpmArtifact("uniswapPeriphery", "SwapRouter.sol/SwapRouter.json"), deployer), [factoryC.address, weth]);
  const npmC = await deployContract(provider, "NonfungiblePositionManager", factoryFor(loadNpmArtifact("uniswapPeriphery", "NonfungiblePositionManager.sol/NonfungiblePositionManager.json"), deployer), [factoryC.address, weth, ZeroAddress]);
  const quoter = await deployContract(provider, "QuoterV2", factoryFor(loadNpmArtifact("uniswapPeriphery", "lens/QuoterV2.sol/QuoterV2.json"), deployer), [factoryC.address, weth]);
  const positionManager = NonfungiblePositionManager__factory.connect(npmC.address, deployer);
  const pools: Record<string, UniswapPoolRecord> = {};
  for (const p of params.uniswap.pools) {
    const at = `uniswap.pools[${p.key}]`;
    const a = tokens[p.tokenA]!;
    const b = tokens[p.tokenB]!;
    // Price of A in B, WAD.
    let priceWad: bigint;
    if (p.initialPrice === "vault-rate") {
      if (p.tokenA !== "sUSDe" || !tokens.sUSDe) throw new Error(`${at}.initialPrice: "vault-rate" needs tokenA = sUSDe`);
      priceWad = await StakedUSDeStandIn__factory.connect(tokens.sUSDe.address, deployer).convertToAssets(WAD);
    } else {
      priceWad = parseUnitsExact(p.initialPrice, 18, `${at}.initialPrice`);
    }
    const aIs0 = BigInt(a.address) < BigInt(b.address);
    const [t0, t1] = aIs0 ? [a, b] : [b, a];
    // raw price token1/token0 = num/den
    const rawNumDen = (pWad: bigint): [bigint, bigint] =>
      aIs0 ? [pWad * 10n ** BigInt(b.decimals), WAD * 10n ** BigInt(a.decimals)] : [WAD * 10n ** BigInt(a.decimals), pWad * 10n ** BigInt(b.decimals)];
    const [num, den] = rawNumDen(priceWad);
    await sendTx(provider, `${at}: createAndInitializePoolIfNecessary`, () =>
      positionManager.createAndInitializePoolIfNecessary(t0.address, t1.address, p.fee, sqrtPriceX96FromRatio(num, den)));
    const poolAddr = await uniFactory.getPool(t0.address, t1.address, p.fee);
    pools[p.key] = { address: poolAddr, token0: t0.address, token1: t1.address, fee: p.fee };

    const spacing = TICK_SPACING[p.fee];
    const depthA = p.depthPerSide * 10n ** BigInt(a.decimals);
    const depthB = (p.depthPerSide * priceWad * 10n ** BigInt(b.decimals)) / WAD;
    await fund(provider, deployer, tokens, p.tokenA, depthA);
    await fund(provider, deployer, tokens, p.tokenB, depthB);
    await sendTx(provider, `approve ${p.tokenA} to NPM`, () => StandInERC20__factory.connect(a.address, deployer).approve(npmC.address, MaxUint256));
    await sendTx(provider, `approve ${p.tokenB} to NPM`, () => StandInERC20__factory.connect(b.address, deployer).approve(npmC.address, MaxUint256));
    for (const [i, layer] of p.layers.entries()) {
      const rawOf = (pWad: bigint): number => {
        const [n, d] = rawNumDen(pWad);
        return Number((n * 10n ** 30n) / d) / 1e30;
      };
      let tickLower: number;
      let tickUpper: number;
      if ("fullRange" in layer) {
        [tickLower, tickUpper] = [alignTick(MIN_TICK, spacing, "up"), alignTick(MAX_TICK, spacing, "down")];
      } else {
        const lo = (priceWad * parseUnitsExact(layer.lowerPrice, 18, "lowerPrice")) / WAD;
        const hi = (priceWad * parseUnitsExact(layer.upperPrice, 18, "upperPrice")) / WAD;
        const t1s = [tickAtOrBelow(rawOf(lo)), tickAtOrBelow(rawOf(hi))].sort((x, y) => x - y);
        tickLower = alignTick(t1s[0], spacing, "down");
        tickUpper = alignTick(t1s[1] + 1, spacing, "up");
      }
      const amtA = (depthA * BigInt(layer.shareBps)) / 10_000n;
      const amtB = (depthB * BigInt(layer.shareBps)) / 10_000n;
      await sendTx(provider, `${at}: mint layer ${i}`, () =>
        positionManager.mint({
          token0: t0.address,
          token1: t1.address,
          fee: p.fee,
          tickLower,
          tickUpper,
          amount0Desired: aIs0 ? amtA : amtB,
          amount1Desired: aIs0 ? amtB : amtA,
          amount0Min: 0n,
          amount1Min: 0n,
          recipient: me,
          deadline: MaxUint256,
        }));
    }
  }

  const block = await provider.getBlockNumber();
  const record: DeploymentRecord = {
    profile: "embedded",
    chainId: Number(chainId),
    deployer: me,
    block,
    tokens,
    feeds,
    aave: {
      poolAddressesProvider: providerC.address,
      pool: poolAddress,
      poolImpl: poolImpl.address,
      poolConfigurator: await configurator.getAddress(),
      aclManager: aclC.address,
      oracle: oracleC.address,
      dataProvider: dataProviderC.address,
      treasury: EMBEDDED_AAVE_TREASURY,
      libraries,
      reserves,
    },
    morpho: { morpho: morphoC.address, irm: irm.address, markets },
    uniswap: { factory: factoryC.address, swapRouter: router.address, positionManager: npmC.address, quoter: quoter.address, pools },
  };
  return { record, params };
}

/** Mints `amount` of a stand-in token to the deployer (USDe first, deposited, for sUSDe). */
async function fund(provider: RpcProvider, deployer: Signer, tokens: Partial<Record<TokenSymbol, TokenRecord>>, sym: TokenSymbol, amount: bigint): Promise<void> {
  const me = await deployer.getAddress();
  if (sym === "sUSDe") {
    const vault = StakedUSDeStandIn__factory.connect(tokens.sUSDe!.address, deployer);
    const assets = await vault.previewMint(amount);
    await sendTx(provider, "mint USDe for sUSDe", () => StandInERC20__factory.connect(tokens.USDe!.address, deployer).mint(me, assets));
    await sendTx(provider, "approve sUSDe", () => StandInERC20__factory.connect(tokens.USDe!.address, deployer).approve(tokens.sUSDe!.address, MaxUint256));
    await sendTx(provider, "mint sUSDe", () => vault.mint(amount, me));
    return;
  }
  await sendTx(provider, `mint ${sym}`, () => StandInERC20__factory.connect(tokens[sym]!.address, deployer).mint(me, amount));
}
