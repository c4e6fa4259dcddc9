/**
 * Aave V3 origin line (npm @aave-dao/aave-v3-origin 3.6.0, Pool revision 10): compiled from the package's sources
 * with mainnet's compiler settings (hardhat.config.ts) and deployed as mainnet's market is: one interest-rate
 * strategy for all reserves, fixed in the Pool; E-mode with separate collateral and borrowable sets.
 */
import { AbiCoder, ZeroAddress } from "ethers";
import { sendTx } from "../../chain/tx";
import {
  OriginACLManager__factory,
  OriginATokenInstance__factory,
  OriginAaveOracle__factory,
  OriginAaveProtocolDataProvider__factory,
  OriginBorrowLogic__factory,
  OriginConfiguratorLogic__factory,
  OriginDefaultReserveInterestRateStrategyV2__factory,
  OriginFlashLoanLogic__factory,
  OriginLiquidationLogic__factory,
  OriginPoolAddressesProvider__factory,
  OriginPoolConfiguratorInstance__factory,
  OriginPoolConfigurator__factory,
  OriginPoolInstance__factory,
  OriginPoolLogic__factory,
  OriginSupplyLogic__factory,
  OriginVariableDebtTokenInstance__factory,
} from "../../protocols/aave-v3-types";
import { deployContract } from "../steps";
import {
  AaveDeployer,
  EMBEDDED_AAVE_TREASURY,
  EMBEDDED_MARKET_ID,
  ReleaseListing,
  aaveOracleArgs,
  appendReserves,
  configureReserves,
  grantAdminRoles,
  seedAndRecordReserves,
} from "./deployer";

/** Fully qualified library names, as the origin artifacts' link references spell them. */
const LIB = {
  BorrowLogic: "@aave-dao/aave-v3-origin/src/contracts/protocol/libraries/logic/BorrowLogic.sol:BorrowLogic",
  FlashLoanLogic: "@aave-dao/aave-v3-origin/src/contracts/protocol/libraries/logic/FlashLoanLogic.sol:FlashLoanLogic",
  SupplyLogic: "@aave-dao/aave-v3-origin/src/contracts/protocol/libraries/logic/SupplyLogic.sol:SupplyLogic",
  LiquidationLogic:
    "@aave-dao/aave-v3-origin/src/contracts/protocol/libraries/logic/LiquidationLogic.sol:LiquidationLogic",
  PoolLogic: "@aave-dao/aave-v3-origin/src/contracts/protocol/libraries/logic/PoolLogic.sol:PoolLogic",
  ConfiguratorLogic:
    "@aave-dao/aave-v3-origin/src/contracts/protocol/libraries/logic/ConfiguratorLogic.sol:ConfiguratorLogic",
} as const;

/** IDefaultInterestRateStrategyV2.InterestRateData: bps, packed as the configurator decodes it. */
const RATE_DATA_TYPE = [
  "tuple(uint16 optimalUsageRatio, uint32 baseVariableBorrowRate, uint32 variableRateSlope1, uint32 variableRateSlope2)",
];

export const deployAaveOrigin: AaveDeployer = async (input) => {
  const { provider, deployer, me, params, tokens, log } = input;
  log("Aave V3 origin 3.6: addresses provider, ACL, rate strategy, libraries, pool, configurator");
  const addressesProvider = await deployContract(
    provider,
    "PoolAddressesProvider",
    new OriginPoolAddressesProvider__factory(deployer),
    [EMBEDDED_MARKET_ID, me],
  );
  const ap = OriginPoolAddressesProvider__factory.connect(addressesProvider.address, deployer);
  await sendTx(provider, "setACLAdmin", () => ap.setACLAdmin(me));
  const aclC = await deployContract(provider, "ACLManager", new OriginACLManager__factory(deployer), [
    addressesProvider.address,
  ]);
  await grantAdminRoles(provider, deployer, addressesProvider.address, aclC.address);
  const strategy = await deployContract(
    provider,
    "DefaultReserveInterestRateStrategyV2",
    new OriginDefaultReserveInterestRateStrategyV2__factory(deployer),
    [addressesProvider.address],
  );

  const borrowLogic = await deployContract(provider, "BorrowLogic", new OriginBorrowLogic__factory(deployer), []);
  const libraries: Record<string, string> = { BorrowLogic: borrowLogic.address };
  libraries.SupplyLogic = (
    await deployContract(provider, "SupplyLogic", new OriginSupplyLogic__factory(deployer), [])
  ).address;
  libraries.LiquidationLogic = (
    await deployContract(provider, "LiquidationLogic", new OriginLiquidationLogic__factory(deployer), [])
  ).address;
  libraries.PoolLogic = (
    await deployContract(provider, "PoolLogic", new OriginPoolLogic__factory(deployer), [])
  ).address;
  libraries.FlashLoanLogic = (
    await deployContract(
      provider,
      "FlashLoanLogic",
      new OriginFlashLoanLogic__factory({ [LIB.BorrowLogic]: borrowLogic.address }, deployer),
      [],
    )
  ).address;
  const poolFactory = new OriginPoolInstance__factory(
    {
      [LIB.BorrowLogic]: libraries.BorrowLogic,
      [LIB.FlashLoanLogic]: libraries.FlashLoanLogic,
      [LIB.SupplyLogic]: libraries.SupplyLogic,
      [LIB.LiquidationLogic]: libraries.LiquidationLogic,
      [LIB.PoolLogic]: libraries.PoolLogic,
    },
    deployer,
  );
  const poolImpl = await deployContract(provider, "Pool", poolFactory, [addressesProvider.address, strategy.address]);
  // No initialize on the implementations: origin's VersionedInitializable marks them initialized in the constructor.
  await sendTx(provider, "setPoolImpl", () => ap.setPoolImpl(poolImpl.address));
  const poolAddress = await ap.getPool();

  libraries.ConfiguratorLogic = (
    await deployContract(provider, "ConfiguratorLogic", new OriginConfiguratorLogic__factory(deployer), [])
  ).address;
  const configuratorImpl = await deployContract(
    provider,
    "PoolConfigurator",
    new OriginPoolConfiguratorInstance__factory({ [LIB.ConfiguratorLogic]: libraries.ConfiguratorLogic }, deployer),
    [],
  );
  await sendTx(provider, "setPoolConfiguratorImpl", () => ap.setPoolConfiguratorImpl(configuratorImpl.address));
  const configuratorAddress = await ap.getPoolConfigurator();
  const configurator = OriginPoolConfigurator__factory.connect(configuratorAddress, deployer);

  log("Aave V3 origin 3.6: oracle, data provider, reserves, E-mode");
  const oracleC = await deployContract(
    provider,
    "AaveOracle",
    new OriginAaveOracle__factory(deployer),
    aaveOracleArgs(input, addressesProvider.address),
  );
  await sendTx(provider, "setPriceOracle", () => ap.setPriceOracle(oracleC.address));
  const dataProviderC = await deployContract(
    provider,
    "AaveProtocolDataProvider",
    new OriginAaveProtocolDataProvider__factory(deployer),
    [addressesProvider.address],
  );
  await sendTx(provider, "setPoolDataProvider", () => ap.setPoolDataProvider(dataProviderC.address));

  const aTokenImpl = await deployContract(provider, "AToken impl", new OriginATokenInstance__factory(deployer), [
    poolAddress,
    ZeroAddress,
    EMBEDDED_AAVE_TREASURY,
  ]);
  const vDebtImpl = await deployContract(
    provider,
    "VariableDebtToken impl",
    new OriginVariableDebtTokenInstance__factory(deployer),
    [poolAddress, ZeroAddress],
  );
  const coder = AbiCoder.defaultAbiCoder();
  const init: ReleaseListing["init"] = async (reserves) => {
    await sendTx(provider, "initReserves", () =>
      configurator.initReserves(
        reserves.map((r) => ({
          aTokenImpl: aTokenImpl.address,
          variableDebtTokenImpl: vDebtImpl.address,
          underlyingAsset: tokens[r.asset]!.address,
          aTokenName: `Aave Ethereum ${r.asset}`,
          aTokenSymbol: `aEth${r.asset}`,
          variableDebtTokenName: `Aave Ethereum Variable Debt ${r.asset}`,
          variableDebtTokenSymbol: `variableDebtEth${r.asset}`,
          params: "0x10",
          interestRateData: coder.encode(RATE_DATA_TYPE, [
            [
              r.rateStrategy.optimalUsageRatioBps,
              r.rateStrategy.baseVariableBorrowRateBps,
              r.rateStrategy.variableRateSlope1Bps,
              r.rateStrategy.variableRateSlope2Bps,
            ],
          ]),
        })),
      ),
    );
    return () => strategy.address;
  };
  await init(params.aave.reserves);
  await configureReserves(input, configuratorAddress);
  for (const e of params.aave.eModes) {
    await sendTx(provider, `aave.eModes[${e.id}]: setEModeCategory`, () =>
      configurator.setEModeCategory(e.id, e.ltvBps, e.liquidationThresholdBps, e.liquidationBonusBps, e.label),
    );
    for (const a of e.collateral) {
      await sendTx(provider, `aave.eModes[${e.id}]: setAssetCollateralInEMode(${a})`, () =>
        configurator.setAssetCollateralInEMode(tokens[a]!.address, e.id, true),
      );
    }
    for (const a of e.borrowable) {
      await sendTx(provider, `aave.eModes[${e.id}]: setAssetBorrowableInEMode(${a})`, () =>
        configurator.setAssetBorrowableInEMode(tokens[a]!.address, e.id, true),
      );
    }
  }
  // The origin line has one flash-loan premium (all of it to the protocol since v3.4).
  await sendTx(provider, "updateFlashloanPremium", () =>
    configurator.updateFlashloanPremium(params.aave.flashLoanPremiumTotalBps),
  );

  const joinEMode: ReleaseListing["joinEMode"] = async (e, a) => {
    if (e.collateral.includes(a))
      await sendTx(provider, `aave.eModes[${e.id}]: setAssetCollateralInEMode(${a})`, () =>
        configurator.setAssetCollateralInEMode(tokens[a]!.address, e.id, true),
      );
    if (e.borrowable.includes(a))
      await sendTx(provider, `aave.eModes[${e.id}]: setAssetBorrowableInEMode(${a})`, () =>
        configurator.setAssetBorrowableInEMode(tokens[a]!.address, e.id, true),
      );
  };
  const reserves = await seedAndRecordReserves(input, poolAddress, () => strategy.address);
  const record = {
    release: "origin-v3.6" as const,
    poolAddressesProvider: addressesProvider.address,
    pool: poolAddress,
    poolImpl: poolImpl.address,
    poolConfigurator: configuratorAddress,
    aclManager: aclC.address,
    oracle: oracleC.address,
    dataProvider: dataProviderC.address,
    treasury: EMBEDDED_AAVE_TREASURY,
    libraries,
    reserves,
  };
  return {
    record,
    appendReserves: async (later, assets) => appendReserves(later, record, assets, { init, joinEMode }),
  };
};
