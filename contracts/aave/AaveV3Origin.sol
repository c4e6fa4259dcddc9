// SPDX-License-Identifier: MIT
// Aave V3 "origin" (v3.6, the line mainnet runs since v3.3: deficit accounting, liquid E-mode, v3.5 rounding),
// compiled from the npm sources @aave-dao/aave-v3-origin with mainnet's settings (solc 0.8.27, shanghai, 200 runs).
// Nothing here is ours: this file only makes Hardhat build the contracts an Aave market needs.
pragma solidity 0.8.27;

import {PoolAddressesProvider} from "@aave-dao/aave-v3-origin/src/contracts/protocol/configuration/PoolAddressesProvider.sol";
import {ACLManager} from "@aave-dao/aave-v3-origin/src/contracts/protocol/configuration/ACLManager.sol";
import {AaveOracle} from "@aave-dao/aave-v3-origin/src/contracts/misc/AaveOracle.sol";
import {AaveProtocolDataProvider} from "@aave-dao/aave-v3-origin/src/contracts/helpers/AaveProtocolDataProvider.sol";
import {DefaultReserveInterestRateStrategyV2} from "@aave-dao/aave-v3-origin/src/contracts/misc/DefaultReserveInterestRateStrategyV2.sol";
import {PoolInstance} from "@aave-dao/aave-v3-origin/src/contracts/instances/PoolInstance.sol";
import {PoolConfiguratorInstance} from "@aave-dao/aave-v3-origin/src/contracts/instances/PoolConfiguratorInstance.sol";
import {ATokenInstance} from "@aave-dao/aave-v3-origin/src/contracts/instances/ATokenInstance.sol";
import {VariableDebtTokenInstance} from "@aave-dao/aave-v3-origin/src/contracts/instances/VariableDebtTokenInstance.sol";
