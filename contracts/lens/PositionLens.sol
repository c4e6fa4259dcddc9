// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IPool} from "@aave/core-v3/contracts/interfaces/IPool.sol";
import {IMorpho, Id, Position} from "@morpho-org/morpho-blue/src/interfaces/IMorpho.sol";

/// @title PositionLens
/// @notice Reads many positions in one call, so a cascade round can scan a population of hundreds of accounts
/// without hundreds of RPC round trips. Pure views over the protocols' own getters: nothing is computed here.
contract PositionLens {
    struct AaveAccount {
        uint256 totalCollateralBase;
        uint256 totalDebtBase;
        uint256 healthFactor;
    }

    struct MorphoAccount {
        uint256 collateral;
        uint256 borrowShares;
    }

    /// @notice Pool.getUserAccountData for each account (base currency, 8 decimals; health factor, 1e18).
    function aaveAccounts(IPool pool, address[] calldata accounts) external view returns (AaveAccount[] memory out) {
        out = new AaveAccount[](accounts.length);
        for (uint256 i; i < accounts.length; ++i) {
            (uint256 collateral, uint256 debt,,,, uint256 hf) = pool.getUserAccountData(accounts[i]);
            out[i] = AaveAccount(collateral, debt, hf);
        }
    }

    /// @notice Morpho.position(id, account) collateral and borrow shares for each account.
    function morphoAccounts(IMorpho morpho, Id id, address[] calldata accounts) external view returns (MorphoAccount[] memory out) {
        out = new MorphoAccount[](accounts.length);
        for (uint256 i; i < accounts.length; ++i) {
            Position memory p = morpho.position(id, accounts[i]);
            out[i] = MorphoAccount(p.collateral, p.borrowShares);
        }
    }
}
