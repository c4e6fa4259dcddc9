// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @notice Morpho Blue's market types and IRM interface (@morpho-org/morpho-blue IIrm/IMorpho), restated for our compiler.
struct MarketParams {
    address loanToken;
    address collateralToken;
    address oracle;
    address irm;
    uint256 lltv;
}

struct Market {
    uint128 totalSupplyAssets;
    uint128 totalSupplyShares;
    uint128 totalBorrowAssets;
    uint128 totalBorrowShares;
    uint128 lastUpdate;
    uint128 fee;
}

/// @title FixedRateIrm
/// @notice A Morpho Blue IRM returning a per-second borrow rate set by its owner (one default, per-market overrides).
/// @dev Stress runs last hours to days of chain time, where interest is second-order; a fixed, known rate keeps
/// accrued debt predictable for threshold verification. Mainnet uses AdaptiveCurveIrm (not on npm).
contract FixedRateIrm {
    address public owner;
    uint256 public defaultRatePerSecond;
    mapping(bytes32 => uint256) public ratePerSecondOf;
    mapping(bytes32 => bool) public hasOverride;

    error NotOwner(address caller);

    constructor(uint256 defaultRatePerSecond_, address owner_) {
        defaultRatePerSecond = defaultRatePerSecond_;
        owner = owner_;
    }

    function setRate(bytes32 marketId, uint256 ratePerSecond) external {
        if (msg.sender != owner) revert NotOwner(msg.sender);
        ratePerSecondOf[marketId] = ratePerSecond;
        hasOverride[marketId] = true;
    }

    function borrowRate(MarketParams memory marketParams, Market memory) external view returns (uint256) {
        return _rate(marketParams);
    }

    function borrowRateView(MarketParams memory marketParams, Market memory) external view returns (uint256) {
        return _rate(marketParams);
    }

    function _rate(MarketParams memory marketParams) private view returns (uint256) {
        bytes32 id = keccak256(abi.encode(marketParams));
        return hasOverride[id] ? ratePerSecondOf[id] : defaultRatePerSecond;
    }
}
