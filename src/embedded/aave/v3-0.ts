/**
 * Aave V3.0.x (npm @aave/core-v3 1.19.x, Pool revision 1): deployed from the package's own artifacts with their
 * libraries linked; nothing recompiled.
 */
import { ZeroAddress } from "ethers";
import type { ConfiguratorInputTypes } from "../../../typechain-types/node_modules/@aave/core-v3/artifacts/contracts/protocol/pool/PoolConfigurator";
import { RAY } from "../../constants";
import { factoryFor, loadNpmArtifact } from "../../chain/artifacts";
import { sendTx } from "../../chain/tx";
import {
  PoolAddressesProvider__factory,
  PoolConfigurator__factory,
  Pool__factory,
} from "../../protocols/aave-v3-types";
import type { TokenSymbol } from "../../domain/tokens";
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

const ARTIFACT = {
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
const AAVE_V30_POOL_LIBRARIES = [
  "SupplyLogic",
  "BorrowLogic",
  "LiquidationLogic",
  "EModeLogic",
  "BridgeLogic",
  "FlashLoanLogic",
  "PoolLogic",
] as const;

export const deployAaveV30: AaveDeployer = async (input) => {
  const { provider, deployer, me, params, tokens, log } = input;
  log("Aave V3.0: addresses provider, ACL, libraries, pool, configurator");
  const providerC = await deployContract(
    provider,
    "PoolAddressesProvider",
    factoryFor(loadNpmArtifact("aave", ARTIFACT.provider), deployer),
    [EMBEDDED_MARKET_ID, me],
  );
  const addressesProvider = PoolAddressesProvider__factory.connect(providerC.address, deployer);
  await sendTx(provider, "setACLAdmin", () => addressesProvider.setACLAdmin(me));
  const aclC = await deployContract(
    provider,
    "ACLManager",
    factoryFor(loadNpmArtifact("aave", ARTIFACT.acl), deployer),
    [providerC.address],
  );
  await grantAdminRoles(provider, deployer, providerC.address, aclC.address);

  const libraries: Record<string, string> = {};
  for (const name of AAVE_V30_POOL_LIBRARIES) {
    const lib = await deployContract(
      provider,
      name,
      factoryFor(loadNpmArtifact("aave", ARTIFACT.lib(name)), deployer, libraries),
      [],
    );
    libraries[name] = lib.address;
  }
  const poolImpl = await deployContract(
    provider,
    "Pool",
    factoryFor(loadNpmArtifact("aave", ARTIFACT.pool), deployer, libraries),
    [providerC.address],
  );
  await sendTx(provider, "Pool impl initialize", () =>
    Pool__factory.connect(poolImpl.address, deployer).initialize(providerC.address),
  );
  await sendTx(provider, "setPoolImpl", () => addressesProvider.setPoolImpl(poolImpl.address));
  const poolAddress = await addressesProvider.getPool();

  const configuratorLogic = await deployContract(
    provider,
    "ConfiguratorLogic",
    factoryFor(loadNpmArtifact("aave", ARTIFACT.lib("ConfiguratorLogic")), deployer),
    [],
  );
  libraries.ConfiguratorLogic = configuratorLogic.address;
  const configuratorImpl = await deployContract(
    provider,
    "PoolConfigurator",
    factoryFor(loadNpmArtifact("aave", ARTIFACT.configurator), deployer, libraries),
    [],
  );
  await sendTx(provider, "PoolConfigurator impl initialize", () =>
    PoolConfigurator__factory.connect(configuratorImpl.address, deployer).initialize(providerC.address),
  );
  await sendTx(provider, "setPoolConfiguratorImpl", () =>
    addressesProvider.setPoolConfiguratorImpl(configuratorImpl.address),
  );
  const configurator = PoolConfigurator__factory.connect(await addressesProvider.getPoolConfigurator(), deployer);

  log("Aave V3.0: oracle, data provider, reserves, E-mode");
  const oracleC = await deployContract(
    provider,
    "AaveOracle",
    factoryFor(loadNpmArtifact("aave", ARTIFACT.oracle), deployer),
    aaveOracleArgs(input, providerC.address),
  );
  await sendTx(provider, "setPriceOracle", () => addressesProvider.setPriceOracle(oracleC.address));
  const dataProviderC = await deployContract(
    provider,
    "AaveProtocolDataProvider",
    factoryFor(loadNpmArtifact("aave", ARTIFACT.dataProvider), deployer),
    [providerC.address],
  );
  await sendTx(provider, "setPoolDataProvider", () => addressesProvider.setPoolDataProvider(dataProviderC.address));

  const aTokenImpl = await deployContract(
    provider,
    "AToken impl",
    factoryFor(loadNpmArtifact("aave", ARTIFACT.aToken), deployer),
    [poolAddress],
  );
  const vDebtImpl = await deployContract(
    provider,
    "VariableDebtToken impl",
    factoryFor(loadNpmArtifact("aave", ARTIFACT.variableDebt), deployer),
    [poolAddress],
  );
  const sDebtImpl = await deployContract(
    provider,
    "StableDebtToken impl",
    factoryFor(loadNpmArtifact("aave", ARTIFACT.stableDebt), deployer),
    [poolAddress],
  );

  const bpsToRay = (bps: number): bigint => (BigInt(bps) * RAY) / 10_000n;
  const strategies: Partial<Record<TokenSymbol, string>> = {};
  const init: ReleaseListing["init"] = async (reserves) => {
    const inputs: ConfiguratorInputTypes.InitReserveInputStruct[] = [];
    for (const r of reserves) {
      const rs = r.rateStrategy;
      const strategy = await deployContract(
        provider,
        `${r.asset} rate strategy`,
        factoryFor(loadNpmArtifact("aave", ARTIFACT.strategy), deployer),
        [
          providerC.address,
          bpsToRay(rs.optimalUsageRatioBps),
          bpsToRay(rs.baseVariableBorrowRateBps),
          bpsToRay(rs.variableRateSlope1Bps),
          bpsToRay(rs.variableRateSlope2Bps),
          0n,
          0n,
          0n,
          0n, // stable borrowing is off on mainnet: no stable slopes/offsets
          bpsToRay(2000), // optimalStableToTotalDebtRatio, unused with stable borrowing off
        ],
      );
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
    return (a) => strategies[a]!;
  };
  await init(params.aave.reserves);
  await configureReserves(input, await configurator.getAddress());
  for (const e of params.aave.eModes) {
    await sendTx(provider, `aave.eModes[${e.id}]: setEModeCategory`, () =>
      configurator.setEModeCategory(
        e.id,
        e.ltvBps,
        e.liquidationThresholdBps,
        e.liquidationBonusBps,
        ZeroAddress,
        e.label,
      ),
    );
    // v3.0: an asset belongs to one category, and borrowing in E-mode needs the borrowed asset in it too.
    for (const a of e.assets) {
      await sendTx(provider, `aave.eModes[${e.id}]: setAssetEModeCategory(${a})`, () =>
        configurator.setAssetEModeCategory(tokens[a]!.address, e.id),
      );
    }
  }
  await sendTx(provider, "updateFlashloanPremiumTotal", () =>
    configurator.updateFlashloanPremiumTotal(params.aave.flashLoanPremiumTotalBps),
  );
  await sendTx(provider, "updateFlashloanPremiumToProtocol", () =>
    configurator.updateFlashloanPremiumToProtocol(params.aave.flashLoanPremiumToProtocolBps),
  );

  // v3.0: an asset belongs to one category, and borrowing in E-mode needs the borrowed asset in it too.
  const joinEMode: ReleaseListing["joinEMode"] = async (e, a) => {
    if (!e.assets.includes(a)) return;
    await sendTx(provider, `aave.eModes[${e.id}]: setAssetEModeCategory(${a})`, () =>
      configurator.setAssetEModeCategory(tokens[a]!.address, e.id),
    );
  };
  const reserves = await seedAndRecordReserves(input, poolAddress, (a) => strategies[a]!);
  const record = {
    release: "v3.0" as const,
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
  };
  return {
    record,
    appendReserves: async (later, assets) => appendReserves(later, record, assets, { init, joinEMode }),
  };
};
