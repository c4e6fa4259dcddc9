// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {AggregatorV3Interface} from "@chainlink/contracts/src/v0.8/shared/interfaces/AggregatorV3Interface.sol";
import {IERC4626} from "@openzeppelin/contracts/interfaces/IERC4626.sol";
import {IERC20Metadata} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Metadata.sol";

/// @title VaultRateAggregator
/// @notice Prices an ERC-4626 share (sUSDe) as its exchange rate times a feed for the underlying, like Aave's
/// sUSDe adapter on mainnet (rate x USDT/USD). Which underlying feed it reads is the oracle policy.
contract VaultRateAggregator is AggregatorV3Interface {
    IERC4626 public immutable vault;
    AggregatorV3Interface public immutable underlyingFeed;
    uint256 private immutable _oneShare;
    uint256 private immutable _oneAsset;

    constructor(IERC4626 vault_, AggregatorV3Interface underlyingFeed_) {
        vault = vault_;
        underlyingFeed = underlyingFeed_;
        _oneShare = 10 ** vault_.decimals();
        _oneAsset = 10 ** IERC20Metadata(vault_.asset()).decimals();
    }

    function decimals() external view returns (uint8) {
        return underlyingFeed.decimals();
    }

    function description() external pure returns (string memory) {
        return "ERC4626 rate x underlying feed";
    }

    function version() external pure returns (uint256) {
        return 1;
    }

    function latestAnswer() external view returns (int256) {
        (, int256 answer,,,) = latestRoundData();
        return answer;
    }

    function getRoundData(uint80) external view returns (uint80, int256, uint256, uint256, uint80) {
        return latestRoundData();
    }

    function latestRoundData() public view returns (uint80 roundId, int256 answer, uint256 startedAt, uint256 updatedAt, uint80 answeredInRound) {
        (roundId, answer, startedAt, updatedAt, answeredInRound) = underlyingFeed.latestRoundData();
        answer = (answer * int256(vault.convertToAssets(_oneShare))) / int256(_oneAsset);
    }
}
