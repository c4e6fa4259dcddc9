// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {Ownable} from "@openzeppelin/contracts/access/Ownable.sol";
import {IPool} from "@aave/core-v3/contracts/interfaces/IPool.sol";
import {IPoolAddressesProvider} from "@aave/core-v3/contracts/interfaces/IPoolAddressesProvider.sol";
import {IFlashLoanSimpleReceiver} from "@aave/core-v3/contracts/flashloan/interfaces/IFlashLoanSimpleReceiver.sol";
import {Id, IMorpho, MarketParams} from "@morpho-org/morpho-blue/src/interfaces/IMorpho.sol";
import {IMorphoLiquidateCallback} from "@morpho-org/morpho-blue/src/interfaces/IMorphoCallbacks.sol";
import {MarketParamsLib} from "@morpho-org/morpho-blue/src/libraries/MarketParamsLib.sol";
import {ISwapRouter} from "@uniswap/v3-periphery/contracts/interfaces/ISwapRouter.sol";
import {OperationLock} from "../libraries/OperationLock.sol";
import {Swaps} from "../libraries/Swaps.sol";

/// @title FlashLiquidator
/// @notice Liquidates with borrowed money and sells the seized collateral on Uniswap V3 in the same transaction,
/// sending the profit to the owner. Aave: an Aave flash loan of the debt asset pays for liquidationCall. Morpho
/// Blue: the liquidate callback is the flash loan (Morpho sends the collateral first and pulls the repayment
/// after the callback).
/// @dev Reverts, with the amounts, when the sale does not cover what is owed or the profit is below the minimum,
/// so an unprofitable liquidation costs only gas. Holds nothing between calls.
contract FlashLiquidator is Ownable, IFlashLoanSimpleReceiver, IMorphoLiquidateCallback, OperationLock {
    using SafeERC20 for IERC20;
    using MarketParamsLib for MarketParams;

    /// @dev An Aave liquidation in the callback: its inputs (the first four travel in the flash loan's params) and results.
    struct AaveJob {
        address collateral;
        address borrower;
        bytes path;
        uint256 minProfit;
        address debt;
        uint256 flashAmount;
        uint256 premium;
        uint256 debtRepaid;
        uint256 seized;
        uint256 proceeds;
        uint256 profit;
    }

    uint256 private constant OP_AAVE_LIQUIDATION = 1;
    uint256 private constant OP_MORPHO_LIQUIDATION = 2;
    /// @dev Hands the sale proceeds from the Morpho callback back to liquidateMorpho (transient: never outlives the
    /// transaction).
    uint256 private transient _saleProceeds;

    IPool public immutable override POOL;
    IPoolAddressesProvider public immutable override ADDRESSES_PROVIDER;
    IMorpho public immutable MORPHO;
    ISwapRouter public immutable SWAP_ROUTER;

    /// @param debtRepaid Debt asset actually spent by liquidationCall (Aave may cap debtToCover).
    /// @param collateralSeized Collateral received (underlying, net of Aave's liquidation protocol fee).
    /// @param saleProceeds Debt asset received for all the seized collateral.
    /// @param flashPremium Aave flash-loan premium paid on the flash amount.
    /// @param profit Sent to the owner: saleProceeds - debtRepaid - flashPremium.
    event AaveLiquidation(
        address indexed borrower,
        address collateralAsset,
        address debtAsset,
        uint256 debtRepaid,
        uint256 collateralSeized,
        uint256 saleProceeds,
        uint256 flashPremium,
        uint256 profit
    );

    event MorphoLiquidation(
        address indexed borrower, bytes32 marketId, uint256 repaidAssets, uint256 seizedAssets, uint256 saleProceeds, uint256 profit
    );

    error ZeroAddress();
    error ZeroAmount();
    error SameAsset(address asset);
    /// @notice A callback arrived from an unexpected caller, or when this contract had not started that operation.
    error UnexpectedCallback(address caller);
    /// @notice An Aave flash loan to this contract was started by someone else.
    error UntrustedInitiator(address initiator);
    /// @notice Selling the seized collateral brought `proceeds`, less than the `owed` repayment (+ flash premium).
    error Unprofitable(uint256 proceeds, uint256 owed);
    error ProfitBelowMinimum(uint256 profit, uint256 minProfit);

    constructor(address aavePool, address morpho, address swapRouter, address owner_) Ownable(owner_) {
        if (aavePool == address(0) || morpho == address(0) || swapRouter == address(0)) revert ZeroAddress();
        POOL = IPool(aavePool);
        ADDRESSES_PROVIDER = IPool(aavePool).ADDRESSES_PROVIDER();
        MORPHO = IMorpho(morpho);
        SWAP_ROUTER = ISwapRouter(swapRouter);
    }

    // ---- Aave ---------------------------------------------------------------------------------------------

    /// @notice Flash-borrows `debtToCover` of `debtAsset`, liquidates `borrower`, sells all seized collateral
    /// along `swapPath` (a Swaps route, Uniswap V3 or Curve: collateral -> debt asset), repays the flash loan and sends the profit to the owner.
    function liquidateAave(
        address collateralAsset,
        address debtAsset,
        address borrower,
        uint256 debtToCover,
        bytes calldata swapPath,
        uint256 minProfit
    ) external onlyOwner {
        _beginOperation(OP_AAVE_LIQUIDATION);
        if (debtToCover == 0) revert ZeroAmount();
        if (collateralAsset == debtAsset) revert SameAsset(debtAsset);
        Swaps.checkPath(swapPath, collateralAsset, debtAsset);
        POOL.flashLoanSimple(address(this), debtAsset, debtToCover, abi.encode(collateralAsset, borrower, swapPath, minProfit), 0);
        _endOperation();
    }

    /// @inheritdoc IFlashLoanSimpleReceiver
    function executeOperation(address asset, uint256 amount, uint256 premium, address initiator, bytes calldata params)
        external
        override
        returns (bool)
    {
        if (msg.sender != address(POOL) || _currentOperation() != OP_AAVE_LIQUIDATION) revert UnexpectedCallback(msg.sender);
        if (initiator != address(this)) revert UntrustedInitiator(initiator);
        AaveJob memory job;
        (job.collateral, job.borrower, job.path, job.minProfit) = abi.decode(params, (address, address, bytes, uint256));
        job.debt = asset;
        job.flashAmount = amount;
        job.premium = premium;

        _aaveLiquidate(job);
        job.proceeds = Swaps.sellExactIn(SWAP_ROUTER, job.path, job.collateral, asset, job.seized);
        // We hold flashAmount - debtRepaid + proceeds and owe flashAmount + premium.
        job.profit = _profit(job.proceeds, job.debtRepaid + premium, job.minProfit);

        IERC20(asset).forceApprove(address(POOL), amount + premium); // the pool pulls it when we return
        if (job.profit > 0) IERC20(asset).safeTransfer(owner(), job.profit);
        emit AaveLiquidation(
            job.borrower, job.collateral, asset, job.debtRepaid, job.seized, job.proceeds, premium, job.profit
        );
        return true;
    }

    /// @dev liquidationCall, measuring what it actually took and gave by balance differences.
    function _aaveLiquidate(AaveJob memory job) private {
        IERC20 debt = IERC20(job.debt);
        IERC20 collateral = IERC20(job.collateral);
        uint256 debtBefore = debt.balanceOf(address(this));
        uint256 collateralBefore = collateral.balanceOf(address(this));
        debt.forceApprove(address(POOL), job.flashAmount);
        POOL.liquidationCall(job.collateral, job.debt, job.borrower, job.flashAmount, false);
        debt.forceApprove(address(POOL), 0); // Aave may have taken less than debtToCover
        job.debtRepaid = debtBefore - debt.balanceOf(address(this));
        job.seized = collateral.balanceOf(address(this)) - collateralBefore;
    }

    // ---- Morpho Blue --------------------------------------------------------------------------------------

    /// @notice Liquidates `borrower` in a Morpho Blue market (exactly one of seizedAssets / repaidShares non-zero,
    /// as Morpho requires), selling the seized collateral along `swapPath` (a Swaps route: collateral -> loan token) inside
    /// Morpho's liquidate callback to pay the repayment; the profit goes to the owner.
    function liquidateMorpho(
        MarketParams calldata market,
        address borrower,
        uint256 seizedAssets,
        uint256 repaidShares,
        bytes calldata swapPath,
        uint256 minProfit
    ) external onlyOwner {
        _beginOperation(OP_MORPHO_LIQUIDATION);
        if (market.collateralToken == market.loanToken) revert SameAsset(market.loanToken);
        Swaps.checkPath(swapPath, market.collateralToken, market.loanToken);
        uint256 collateralBefore = IERC20(market.collateralToken).balanceOf(address(this));
        // Non-empty data makes Morpho call onMorphoLiquidate.
        bytes memory data = abi.encode(market.collateralToken, market.loanToken, collateralBefore, swapPath, minProfit);
        (uint256 seized, uint256 repaid) = MORPHO.liquidate(market, borrower, seizedAssets, repaidShares, data);

        uint256 proceeds = _saleProceeds;
        _saleProceeds = 0;
        uint256 profit = proceeds - repaid; // checked >= minProfit in the callback
        if (profit > 0) IERC20(market.loanToken).safeTransfer(owner(), profit);
        emit MorphoLiquidation(borrower, Id.unwrap(market.id()), repaid, seized, proceeds, profit);
        _endOperation();
    }

    /// @inheritdoc IMorphoLiquidateCallback
    function onMorphoLiquidate(uint256 repaidAssets, bytes calldata data) external override {
        if (msg.sender != address(MORPHO) || _currentOperation() != OP_MORPHO_LIQUIDATION) revert UnexpectedCallback(msg.sender);
        (address collateral, address loan, uint256 collateralBefore, bytes memory path, uint256 minProfit) =
            abi.decode(data, (address, address, uint256, bytes, uint256));

        // Morpho has sent the seized collateral already.
        uint256 seized = IERC20(collateral).balanceOf(address(this)) - collateralBefore;
        uint256 proceeds = Swaps.sellExactIn(SWAP_ROUTER, path, collateral, loan, seized);
        _profit(proceeds, repaidAssets, minProfit);
        IERC20(loan).forceApprove(address(MORPHO), repaidAssets); // Morpho pulls it when we return
        _saleProceeds = proceeds;
    }

    // ---- internals ----------------------------------------------------------------------------------------

    function _profit(uint256 proceeds, uint256 owed, uint256 minProfit) private pure returns (uint256 profit) {
        if (proceeds < owed) revert Unprofitable(proceeds, owed);
        profit = proceeds - owed;
        if (profit < minProfit) revert ProfitBelowMinimum(profit, minProfit);
    }
}
