// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title OverrideAggregator
/// @notice Runtime code the harness puts AT an existing price feed's address (hardhat_setCode) on a development
/// node, so that every contract reading that address — AaveOracle, a Chainlink proxy's consumers, a Morpho oracle —
/// sees the harness's answer. Its state lives at hashed slots, so it never collides with the storage the address
/// already has (e.g. a Chainlink proxy's aggregator and owner slots); the harness writes those slots directly.
/// @dev Answers both the AggregatorV3Interface and the legacy latestAnswer()/latestTimestamp() that AaveOracle reads.
contract OverrideAggregator {
    /// keccak256("loopstress.override.answer") etc.: written by the harness with hardhat_setStorageAt.
    bytes32 internal constant ANSWER_SLOT = keccak256("loopstress.override.answer");
    bytes32 internal constant UPDATED_AT_SLOT = keccak256("loopstress.override.updatedAt");
    bytes32 internal constant ROUND_SLOT = keccak256("loopstress.override.round");
    bytes32 internal constant DECIMALS_SLOT = keccak256("loopstress.override.decimals");

    function _load(bytes32 slot) private view returns (uint256 v) {
        assembly {
            v := sload(slot)
        }
    }

    function decimals() external view returns (uint8) {
        return uint8(_load(DECIMALS_SLOT));
    }

    function description() external pure returns (string memory) {
        return "loopstress override";
    }

    function version() external pure returns (uint256) {
        return 4;
    }

    function latestAnswer() external view returns (int256) {
        return int256(_load(ANSWER_SLOT));
    }

    function latestTimestamp() external view returns (uint256) {
        return _load(UPDATED_AT_SLOT);
    }

    function latestRound() external view returns (uint256) {
        return _load(ROUND_SLOT);
    }

    function latestRoundData() external view returns (uint80, int256, uint256, uint256, uint80) {
        return getRoundData(uint80(_load(ROUND_SLOT)));
    }

    /// @notice Every round id answers the current override (history is not kept).
    function getRoundData(uint80 roundId) public view returns (uint80, int256, uint256, uint256, uint80) {
        uint256 t = _load(UPDATED_AT_SLOT);
        return (roundId, int256(_load(ANSWER_SLOT)), t, t, roundId);
    }
}
