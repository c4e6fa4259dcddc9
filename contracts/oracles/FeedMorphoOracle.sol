// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {AggregatorV3Interface} from "@chainlink/contracts/src/v0.8/shared/interfaces/AggregatorV3Interface.sol";
import {IERC4626} from "@openzeppelin/contracts/interfaces/IERC4626.sol";

/// @notice Morpho Blue's oracle interface (IOracle in @morpho-org/morpho-blue), restated to keep our compiler.
interface IMorphoOracle {
    function price() external view returns (uint256);
}

/// @title FeedMorphoOracle
/// @notice A Morpho Blue oracle built like mainnet's feed-based oracles: collateral price =
/// (optional ERC-4626 rate) x (optional base feed) / (optional quote feed), scaled to Morpho's 1e36 convention.
/// With no vault and no feeds it is a fixed 1:1 oracle; with only the vault it is an exchange-rate oracle.
/// @dev The owner (the harness) can reconfigure it: that is how an oracle policy is applied to a market
/// whose oracle address is fixed in its MarketParams.
contract FeedMorphoOracle is IMorphoOracle {
    struct Config {
        IERC4626 baseVault; // address(0): no vault
        uint256 baseVaultConversionSample; // shares converted per read (1 when no vault)
        AggregatorV3Interface baseFeed; // address(0): base priced at 1
        AggregatorV3Interface quoteFeed; // address(0): quote priced at 1
    }

    uint8 public immutable collateralDecimals;
    uint8 public immutable loanDecimals;
    address public owner;
    Config public config;
    uint256 public scaleFactor;

    event Configured(address baseVault, address baseFeed, address quoteFeed, uint256 scaleFactor);

    error NotOwner(address caller);
    error NonPositiveAnswer(address feed, int256 answer);
    error BadScale();

    constructor(uint8 collateralDecimals_, uint8 loanDecimals_, Config memory config_, address owner_) {
        collateralDecimals = collateralDecimals_;
        loanDecimals = loanDecimals_;
        owner = owner_;
        _configure(config_);
    }

    function configure(Config calldata config_) external {
        if (msg.sender != owner) revert NotOwner(msg.sender);
        _configure(config_);
    }

    function transferOwnership(address newOwner) external {
        if (msg.sender != owner) revert NotOwner(msg.sender);
        owner = newOwner;
    }

    function price() external view returns (uint256) {
        Config memory c = config;
        uint256 assets = address(c.baseVault) == address(0) ? 1 : c.baseVault.convertToAssets(c.baseVaultConversionSample);
        return (scaleFactor * assets * _answer(c.baseFeed)) / (_answer(c.quoteFeed) * c.baseVaultConversionSample);
    }

    function _answer(AggregatorV3Interface feed) private view returns (uint256) {
        if (address(feed) == address(0)) return 1;
        (, int256 answer,,,) = feed.latestRoundData();
        if (answer <= 0) revert NonPositiveAnswer(address(feed), answer);
        return uint256(answer);
    }

    function _decimalsOf(AggregatorV3Interface feed) private view returns (uint256) {
        return address(feed) == address(0) ? 0 : feed.decimals();
    }

    function _configure(Config memory c) private {
        uint256 baseAssetDecimals = collateralDecimals;
        if (address(c.baseVault) != address(0)) {
            // The vault's shares are the collateral; its asset is what the base feed prices.
            baseAssetDecimals = IERC4626(c.baseVault.asset()).decimals();
            if (c.baseVaultConversionSample == 0) revert BadScale();
        } else {
            c.baseVaultConversionSample = 1;
        }
        uint256 up = 36 + uint256(loanDecimals) + _decimalsOf(c.quoteFeed);
        uint256 down = baseAssetDecimals + _decimalsOf(c.baseFeed);
        if (up < down) revert BadScale();
        config = c;
        scaleFactor = 10 ** (up - down);
        emit Configured(address(c.baseVault), address(c.baseFeed), address(c.quoteFeed), scaleFactor);
    }
}
