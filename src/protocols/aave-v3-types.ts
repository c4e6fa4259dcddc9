/**
 * Aave typings by release. TypeChain puts every contract in one index by name, and both Aave releases we deploy
 * (v3.0 from @aave/core-v3, the origin line from @aave-dao/aave-v3-origin) have a Pool, an AToken, ...: the index
 * keeps one of each. This module names both explicitly: the v3.0 ones under their own names (their ABI is the
 * common ground the adapter reads every release through), the origin ones prefixed `Origin`.
 */
export { ACLManager__factory } from "../../typechain-types/factories/node_modules/@aave/core-v3/artifacts/contracts/protocol/configuration/ACLManager__factory";
export { AToken__factory } from "../../typechain-types/factories/node_modules/@aave/core-v3/artifacts/contracts/protocol/tokenization/AToken__factory";
export { AaveOracle__factory } from "../../typechain-types/factories/node_modules/@aave/core-v3/artifacts/contracts/misc/AaveOracle__factory";
export { AaveProtocolDataProvider__factory } from "../../typechain-types/factories/node_modules/@aave/core-v3/artifacts/contracts/misc/AaveProtocolDataProvider__factory";
export { Pool__factory } from "../../typechain-types/factories/node_modules/@aave/core-v3/artifacts/contracts/protocol/pool/Pool__factory";
export { PoolAddressesProvider__factory } from "../../typechain-types/factories/node_modules/@aave/core-v3/artifacts/contracts/protocol/configuration/PoolAddressesProvider__factory";
export { PoolConfigurator__factory } from "../../typechain-types/factories/node_modules/@aave/core-v3/artifacts/contracts/protocol/pool/PoolConfigurator__factory";
export { VariableDebtToken__factory } from "../../typechain-types/factories/node_modules/@aave/core-v3/artifacts/contracts/protocol/tokenization/VariableDebtToken__factory";
export { Pool__factory as OriginPool__factory } from "../../typechain-types/factories/artifacts/@aave-dao/aave-v3-origin/src/contracts/protocol/pool/Pool__factory";
export { PoolConfigurator__factory as OriginPoolConfigurator__factory } from "../../typechain-types/factories/artifacts/@aave-dao/aave-v3-origin/src/contracts/protocol/pool/PoolConfigurator__factory";
export { AaveProtocolDataProvider__factory as OriginAaveProtocolDataProvider__factory } from "../../typechain-types/factories/artifacts/@aave-dao/aave-v3-origin/src/contracts/helpers/AaveProtocolDataProvider__factory";
export { PoolAddressesProvider__factory as OriginPoolAddressesProvider__factory } from "../../typechain-types/factories/artifacts/@aave-dao/aave-v3-origin/src/contracts/protocol/configuration/PoolAddressesProvider__factory";
export { ACLManager__factory as OriginACLManager__factory } from "../../typechain-types/factories/artifacts/@aave-dao/aave-v3-origin/src/contracts/protocol/configuration/ACLManager__factory";
export { AaveOracle__factory as OriginAaveOracle__factory } from "../../typechain-types/factories/artifacts/@aave-dao/aave-v3-origin/src/contracts/misc/AaveOracle__factory";
export { BorrowLogic__factory as OriginBorrowLogic__factory } from "../../typechain-types/factories/artifacts/@aave-dao/aave-v3-origin/src/contracts/protocol/libraries/logic/BorrowLogic__factory";
export { FlashLoanLogic__factory as OriginFlashLoanLogic__factory } from "../../typechain-types/factories/artifacts/@aave-dao/aave-v3-origin/src/contracts/protocol/libraries/logic/FlashLoanLogic__factory";
export { SupplyLogic__factory as OriginSupplyLogic__factory } from "../../typechain-types/factories/artifacts/@aave-dao/aave-v3-origin/src/contracts/protocol/libraries/logic/SupplyLogic__factory";
export { LiquidationLogic__factory as OriginLiquidationLogic__factory } from "../../typechain-types/factories/artifacts/@aave-dao/aave-v3-origin/src/contracts/protocol/libraries/logic/LiquidationLogic__factory";
export { PoolLogic__factory as OriginPoolLogic__factory } from "../../typechain-types/factories/artifacts/@aave-dao/aave-v3-origin/src/contracts/protocol/libraries/logic/PoolLogic__factory";
export { ConfiguratorLogic__factory as OriginConfiguratorLogic__factory } from "../../typechain-types/factories/artifacts/@aave-dao/aave-v3-origin/src/contracts/protocol/libraries/logic/ConfiguratorLogic__factory";
export { PoolInstance__factory as OriginPoolInstance__factory } from "../../typechain-types/factories/artifacts/@aave-dao/aave-v3-origin/src/contracts/instances/PoolInstance__factory";
export { PoolConfiguratorInstance__factory as OriginPoolConfiguratorInstance__factory } from "../../typechain-types/factories/artifacts/@aave-dao/aave-v3-origin/src/contracts/instances/PoolConfiguratorInstance__factory";
export { ATokenInstance__factory as OriginATokenInstance__factory } from "../../typechain-types/factories/artifacts/@aave-dao/aave-v3-origin/src/contracts/instances/ATokenInstance__factory";
export { VariableDebtTokenInstance__factory as OriginVariableDebtTokenInstance__factory } from "../../typechain-types/factories/artifacts/@aave-dao/aave-v3-origin/src/contracts/instances/VariableDebtTokenInstance__factory";
export { DefaultReserveInterestRateStrategyV2__factory as OriginDefaultReserveInterestRateStrategyV2__factory } from "../../typechain-types/factories/artifacts/@aave-dao/aave-v3-origin/src/contracts/misc/DefaultReserveInterestRateStrategyV2__factory";
