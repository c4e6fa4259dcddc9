// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title OverrideMorphoOracle
/// @notice Runtime code the harness puts AT a Morpho Blue market's oracle address (its address is fixed in the
/// market's params) on a development node: price() returns what the harness wrote at a hashed storage slot.
contract OverrideMorphoOracle {
    bytes32 internal constant PRICE_SLOT = keccak256("loopstress.override.morphoPrice");

    function price() external view returns (uint256 p) {
        bytes32 slot = PRICE_SLOT;
        assembly {
            p := sload(slot)
        }
    }
}
