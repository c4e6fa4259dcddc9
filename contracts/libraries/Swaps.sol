// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ISwapRouter} from "@uniswap/v3-periphery/contracts/interfaces/ISwapRouter.sol";

/// @notice The part of a Curve stable-swap pool we call: the same selector on Curve's early pools and Stableswap-NG.
/// @dev Declared without a return value: early pools return nothing (NG's uint256 is ignored); we measure balances.
interface ICurveStableSwapExchange {
    function exchange(int128 i, int128 j, uint256 dx, uint256 minDy) external;
}

/// @title Swaps
/// @notice Checks a sale route and sells an exact input along it, on Uniswap V3 or on a Curve stable-swap pool.
/// @dev Route encoding: a venue byte, then
///   UNISWAP_V3: a Uniswap V3 path: tokenIn (20 bytes) ‖ fee (uint24) ‖ token ‖ fee ‖ ... ‖ tokenOut;
///   CURVE:      pool (20 bytes) ‖ i (1 byte) ‖ j (1 byte), the pool's coin indexes of tokenIn and tokenOut.
library Swaps {
    using SafeERC20 for IERC20;

    uint8 internal constant UNISWAP_V3 = 0;
    uint8 internal constant CURVE = 1;

    uint256 private constant ADDRESS_SIZE = 20;
    uint256 private constant HOP_SIZE = 23; // fee + next token
    uint256 private constant CURVE_ROUTE_SIZE = 1 + 20 + 1 + 1;

    /// @notice The route does not lead from `expectedIn` to `expectedOut`.
    error InvalidSwapPath(address expectedIn, address expectedOut);

    /// @notice Reverts unless `route` sells `tokenIn` for `tokenOut`: a whole-hop Uniswap path between them, or a Curve
    /// pool whose coins i and j are them (read from the pool).
    function checkPath(bytes calldata route, address tokenIn, address tokenOut) internal view {
        if (route.length == 0) revert InvalidSwapPath(tokenIn, tokenOut);
        uint8 venue = uint8(route[0]);
        if (venue == UNISWAP_V3) {
            bytes calldata path = route[1:];
            uint256 len = path.length;
            if (
                len < ADDRESS_SIZE + HOP_SIZE || (len - ADDRESS_SIZE) % HOP_SIZE != 0
                    || address(bytes20(path[:ADDRESS_SIZE])) != tokenIn || address(bytes20(path[len - ADDRESS_SIZE:])) != tokenOut
            ) revert InvalidSwapPath(tokenIn, tokenOut);
        } else if (venue == CURVE) {
            if (route.length != CURVE_ROUTE_SIZE) revert InvalidSwapPath(tokenIn, tokenOut);
            address pool = address(bytes20(route[1:21]));
            uint8 i = uint8(route[21]);
            uint8 j = uint8(route[22]);
            if (i == j || _curveCoin(pool, i) != tokenIn || _curveCoin(pool, j) != tokenOut) revert InvalidSwapPath(tokenIn, tokenOut);
        } else {
            revert InvalidSwapPath(tokenIn, tokenOut);
        }
    }

    /// @notice Sells exactly `amountIn` of `tokenIn` along `route` to this contract; returns what arrived of `tokenOut`.
    /// @dev Approves exactly `amountIn`, which the venue pulls in full. No minimum is passed to the venue: callers
    /// check the output themselves and revert with their own errors.
    function sellExactIn(ISwapRouter router, bytes memory route, address tokenIn, address tokenOut, uint256 amountIn)
        internal
        returns (uint256 amountOut)
    {
        if (amountIn == 0) return 0;
        uint256 before = IERC20(tokenOut).balanceOf(address(this));
        if (uint8(route[0]) == CURVE) {
            address pool;
            uint256 i;
            uint256 j;
            assembly ("memory-safe") {
                let word := mload(add(route, 33)) // bytes 1..32 of the route: pool ‖ i ‖ j ‖ ...
                pool := shr(96, word)
                i := byte(20, word)
                j := byte(21, word)
            }
            IERC20(tokenIn).forceApprove(pool, amountIn);
            ICurveStableSwapExchange(pool).exchange(int128(int256(i)), int128(int256(j)), amountIn, 0);
        } else {
            bytes memory path = new bytes(route.length - 1);
            for (uint256 k; k < path.length; ++k) path[k] = route[k + 1];
            IERC20(tokenIn).forceApprove(address(router), amountIn);
            router.exactInput(
                ISwapRouter.ExactInputParams({path: path, recipient: address(this), deadline: block.timestamp, amountIn: amountIn, amountOutMinimum: 0})
            );
        }
        amountOut = IERC20(tokenOut).balanceOf(address(this)) - before;
    }

    /// @dev Coin `i` of a Curve pool: NG indexes coins() by uint256, early pools by int128.
    function _curveCoin(address pool, uint256 i) private view returns (address) {
        (bool ok, bytes memory ret) = pool.staticcall(abi.encodeWithSignature("coins(uint256)", i));
        if (!ok || ret.length < 32) (ok, ret) = pool.staticcall(abi.encodeWithSignature("coins(int128)", int128(int256(i))));
        return ok && ret.length >= 32 ? abi.decode(ret, (address)) : address(0);
    }
}
