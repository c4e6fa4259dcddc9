// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @notice Test-only ERC-20 whose balance mapping is not at slot 0 (as in many real tokens, e.g. USDC's proxy),
/// to check that deal() finds a balance slot by probing rather than assuming one.
contract OddLayoutToken {
    uint256[7] private _padding;
    mapping(address => uint256) private _balances;

    function balanceOf(address account) external view returns (uint256) {
        return _balances[account];
    }

    function decimals() external pure returns (uint8) {
        return 6;
    }
}
