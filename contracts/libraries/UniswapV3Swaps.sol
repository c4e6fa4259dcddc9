// SPDX-License-Identifier: MIT
pragma solidity 0.8.24;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {ISwapRouter} from "@uniswap/v3-periphery/contracts/interfaces/ISwapRouter.sol";

/// @title UniswapV3Swaps
/// @notice Checks Uniswap V3 multi-hop paths and sells an exact input through SwapRouter (v1, with deadline).
/// @dev Path encoding: tokenIn (20 bytes) ‖ fee (uint24, 3 bytes) ‖ token (20 bytes) ‖ fee ‖ ... ‖ tokenOut.
library UniswapV3Swaps {
    using SafeERC20 for IERC20;

    uint256 private constant ADDRESS_SIZE = 20;
    uint256 private constant HOP_SIZE = 23; // fee + next token

    /// @notice The path does not lead from `expectedIn` to `expectedOut` in whole hops.
    error InvalidSwapPath(address expectedIn, address expectedOut);

    /// @notice Reverts unless `path` has at least one hop, starts at `tokenIn` and ends at `tokenOut`.
    function checkPath(bytes calldata path, address tokenIn, address tokenOut) internal pure {
        uint256 len = path.length;
        if (
            len < ADDRESS_SIZE + HOP_SIZE || (len - ADDRESS_SIZE) % HOP_SIZE != 0
                || address(bytes20(path[:ADDRESS_SIZE])) != tokenIn || address(bytes20(path[len - ADDRESS_SIZE:])) != tokenOut
        ) revert InvalidSwapPath(tokenIn, tokenOut);
    }

    /// @notice Sells exactly `amountIn` of `tokenIn` along `path` to this contract; returns the output amount.
    /// @dev Approves the router for exactly `amountIn`, which the router pulls in full, so no allowance is left.
    /// No minimum is passed to the router: callers check the output themselves and revert with their own errors.
    function sellExactIn(ISwapRouter router, address tokenIn, bytes memory path, uint256 amountIn) internal returns (uint256 amountOut) {
        if (amountIn == 0) return 0;
        IERC20(tokenIn).forceApprove(address(router), amountIn);
        amountOut = router.exactInput(
            ISwapRouter.ExactInputParams({
                path: path,
                recipient: address(this),
                deadline: block.timestamp,
                amountIn: amountIn,
                amountOutMinimum: 0
            })
        );
    }
}
