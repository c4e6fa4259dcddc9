// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IQuoterV2} from "@uniswap/v3-periphery/contracts/interfaces/IQuoterV2.sol";

/// @notice The part of a Curve stable-swap pool we quote on (early pools and Stableswap-NG alike).
interface ICurveStableSwapQuote {
    function get_dy(int128 i, int128 j, uint256 dx) external view returns (uint256);
}

/// @title QuoteLens
/// @notice Many DEX quotes in one call: the quotes a search needs (a redemption arbitrageur's bisection, a liquidator's
/// sale sizing), made here instead of one JSON-RPC round trip each. It is never deployed: the harness runs its
/// runtime code in an eth_call through a state override, so reading through it sends no transaction and moves no
/// block, nonce or address.
/// @dev Routes use our sale-route encoding (contracts/libraries/Swaps.sol): a venue byte, then a Uniswap V3 path
/// (quoted with QuoterV2.quoteExactInput) or pool ‖ i ‖ j (Curve get_dy). A quote the harness would make directly
/// gets the same answer here, since it runs the same code on the same state. What could differ is gas: in one call
/// the quotes share a budget and find slots already warm. So a quote that fails, or that uses more than
/// `maxQuoteGas`, is not decided here: the lens stops and the harness makes that quote itself, as it did before.
contract QuoteLens {
    uint8 private constant UNISWAP_V3 = 0;
    uint8 private constant CURVE = 1;
    uint256 private constant CURVE_ROUTE_SIZE = 1 + 20 + 1 + 1;
    uint256 private constant WAD = 1e18;

    /// @notice Where a bisection stopped: `done`, or the first step it left to the harness (or ran out of gas for).
    struct Search {
        uint256 lo;
        uint256 hi;
        bool done;
    }

    /// @notice What every call needs: the Uniswap V3 quoter, the gas one quote may use, the gas left aside per step.
    struct Budget {
        IQuoterV2 quoter;
        uint256 maxQuoteGas;
        uint256 reserveGas;
    }

    /// @notice The best of the routes' quotes for `amountIn`, as BestQuoteDex.quoteExactIn picks it (the largest).
    /// `decided` is false when a quote failed or used more than the budget allows: the caller then quotes itself.
    function bestQuote(Budget calldata b, bytes[] calldata routes, uint256 amountIn)
        public
        returns (uint256 amountOut, bool decided)
    {
        for (uint256 r; r < routes.length; ++r) {
            (uint256 out, bool ok) = _quote(b, routes[r], amountIn);
            if (!ok) return (0, false);
            if (out > amountOut) amountOut = out;
        }
        return (amountOut, true);
    }

    /// @notice Each route's quote of its own amount (`routes[k]` sells `amountsIn[k]`), as the venues answer one by one;
    /// `decided[k]` is false where the caller must quote itself (the quote failed or used more than the budget allows).
    function quoteEach(Budget calldata b, bytes[] calldata routes, uint256[] calldata amountsIn)
        external
        returns (uint256[] memory amountsOut, bool[] memory decided)
    {
        amountsOut = new uint256[](routes.length);
        decided = new bool[](routes.length);
        for (uint256 k; k < routes.length; ++k) {
            if (gasleft() < b.reserveGas) break;
            (amountsOut[k], decided[k]) = _quote(b, routes[k], amountsIn[k]);
        }
    }

    /// @notice The best quote for each amount in turn, while quotes are decided and gas lasts; `count` is how many
    /// of `amountsIn` were quoted (the caller quotes the rest itself).
    function bestQuotes(Budget calldata b, bytes[] calldata routes, uint256[] calldata amountsIn)
        external
        returns (uint256[] memory amountsOut, uint256 count)
    {
        amountsOut = new uint256[](amountsIn.length);
        for (; count < amountsIn.length; ++count) {
            if (gasleft() < b.reserveGas) break;
            (uint256 out, bool decided) = bestQuote(b, routes, amountsIn[count]);
            if (!decided) break;
            amountsOut[count] = out;
        }
    }

    /// @notice A seller's sizing: the sale amounts in order (the whole seizure, half, ...), each with what it must
    /// fetch; stops at the first whose best quote covers it. `count` amounts were quoted; `covered` says whether the
    /// last of them covered its minimum.
    function firstCovering(
        Budget calldata b,
        bytes[] calldata routes,
        uint256[] calldata amountsIn,
        uint256[] calldata minOuts
    ) external returns (uint256[] memory amountsOut, uint256 count, bool covered) {
        amountsOut = new uint256[](amountsIn.length);
        for (; count < amountsIn.length; ++count) {
            if (gasleft() < b.reserveGas) break;
            (uint256 out, bool decided) = bestQuote(b, routes, amountsIn[count]);
            if (!decided) break;
            amountsOut[count] = out;
            if (out >= minOuts[count]) return (amountsOut, count + 1, true);
        }
    }

    /// @notice The redemption arbitrageur's purchase bisection (src/actors/redemption-arbitrageur.ts, purchaseSize),
    /// the same steps with the same integer rounding, resumed from `s` (lo = 0: not started). A step is: spending
    /// `spend` buys at most `redeemable` and the next whole token `step` buys USDe at or below `thresholdWad`
    /// (`unit` scales the stablecoin's raw amount to 18 decimals). Returns where it stopped: done, or at a step it
    /// could not decide (a quote failed or used too much gas) or had no gas left for.
    function purchaseSearch(
        Budget calldata b,
        bytes[] calldata routes,
        uint256 step,
        uint256 unit,
        uint256 thresholdWad,
        uint256 redeemable,
        Search memory s
    ) external returns (Search memory) {
        if (s.done) return s;
        if (s.lo == 0) {
            if (s.hi == 0) return Search(0, 0, true);
            if (gasleft() < b.reserveGas) return s;
            (bool ok, bool decided) = _purchaseOk(b, routes, step, step, unit, thresholdWad, redeemable);
            if (!decided) return s;
            if (!ok) return Search(0, 0, true);
            s.lo = 1;
        }
        while (s.lo < s.hi) {
            if (gasleft() < b.reserveGas) return s;
            uint256 mid = (s.lo + s.hi + 1) / 2;
            (bool ok, bool decided) = _purchaseOk(b, routes, mid * step, step, unit, thresholdWad, redeemable);
            if (!decided) return s;
            if (ok) s.lo = mid;
            else s.hi = mid - 1;
        }
        s.done = true;
        return s;
    }

    function _purchaseOk(
        Budget calldata b,
        bytes[] calldata routes,
        uint256 spend,
        uint256 step,
        uint256 unit,
        uint256 thresholdWad,
        uint256 redeemable
    ) private returns (bool ok, bool decided) {
        (uint256 out, bool d1) = bestQuote(b, routes, spend);
        if (!d1) return (false, false);
        if (out > redeemable) return (false, true);
        (uint256 next, bool d2) = bestQuote(b, routes, spend + step);
        if (!d2) return (false, false);
        // The price of the next whole token's USDe: `step` stablecoin (in USD WAD) per USDe bought.
        return (next > out && (step * unit * WAD) / (next - out) <= thresholdWad, true);
    }

    /// @dev One venue's quote; `ok` is false when it failed or used more than `maxQuoteGas`.
    function _quote(Budget calldata b, bytes calldata route, uint256 amountIn)
        private
        returns (uint256 amountOut, bool ok)
    {
        if (route.length == 0) return (0, false);
        uint256 gasBefore = gasleft();
        if (uint8(route[0]) == CURVE && route.length == CURVE_ROUTE_SIZE) {
            address pool = address(bytes20(route[1:21]));
            int128 i = int128(uint128(uint8(route[21])));
            int128 j = int128(uint128(uint8(route[22])));
            try ICurveStableSwapQuote(pool).get_dy(i, j, amountIn) returns (uint256 out) {
                (amountOut, ok) = (out, true);
            } catch {}
        } else if (uint8(route[0]) == UNISWAP_V3) {
            try b.quoter.quoteExactInput(route[1:], amountIn) returns (uint256 out, uint160[] memory, uint32[] memory, uint256) {
                (amountOut, ok) = (out, true);
            } catch {}
        }
        if (gasBefore - gasleft() > b.maxQuoteGas) ok = false;
    }
}
