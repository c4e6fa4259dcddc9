// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC4626} from "@openzeppelin/contracts/interfaces/IERC4626.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {IPool} from "@aave/core-v3/contracts/interfaces/IPool.sol";
import {IPoolAddressesProvider} from "@aave/core-v3/contracts/interfaces/IPoolAddressesProvider.sol";
import {IFlashLoanSimpleReceiver} from "@aave/core-v3/contracts/flashloan/interfaces/IFlashLoanSimpleReceiver.sol";
import {IMorpho, MarketParams} from "@morpho-org/morpho-blue/src/interfaces/IMorpho.sol";
import {IMorphoFlashLoanCallback} from "@morpho-org/morpho-blue/src/interfaces/IMorphoCallbacks.sol";
import {ISwapRouter} from "@uniswap/v3-periphery/contracts/interfaces/ISwapRouter.sol";
import {OperationLock} from "../libraries/OperationLock.sol";
import {Swaps} from "../libraries/Swaps.sol";

/// @title LeverageLooper
/// @notice Opens a leveraged USDe / sUSDe position in one transaction: flash-borrow the debt asset, swap it to
/// USDe on Uniswap V3, stake into sUSDe when the collateral is sUSDe, supply everything as collateral for the
/// caller, and borrow on the caller's behalf what repays the flash loan.
/// @dev The caller is always the user: positions are opened only for msg.sender, never for an address passed in.
/// Before calling, the user must
///  - approve this contract for `initialAmount` of `initialToken`;
///  - Aave: delegate credit on the debt asset's VariableDebtToken (`approveDelegation(looper, >= flash + premium)`)
///    and enter the E-mode category the loop needs (`setUserEMode`);
///  - Morpho: authorize this contract (`Morpho.setAuthorization(looper, true)`).
/// The contract keeps nothing between calls: every amount it receives is passed on within the transaction.
contract LeverageLooper is IFlashLoanSimpleReceiver, IMorphoFlashLoanCallback, OperationLock {
    using SafeERC20 for IERC20;

    struct AaveLoopParams {
        address initialToken; // USDe, or the collateral itself
        uint256 initialAmount; // pulled from the caller
        address collateral; // USDe or sUSDe
        address debtAsset; // flash-borrowed, then borrowed on the caller's behalf
        uint256 flashAmount; // debt-asset amount to flash-borrow
        bytes swapPath; // Swaps route debtAsset -> USDe (Uniswap V3 path or Curve pool)
        uint256 minUsdeOut; // minimum USDe from the swap
        address vault; // sUSDe when collateral is sUSDe, else address(0)
    }

    struct MorphoLoopParams {
        MarketParams market;
        address initialToken;
        uint256 initialAmount;
        uint256 flashAmount; // loan-token amount to flash-borrow
        bytes swapPath; // Swaps route loanToken -> USDe (Uniswap V3 path or Curve pool)
        uint256 minUsdeOut;
        address vault;
    }

    uint8 public constant PROTOCOL_AAVE = 0;
    uint8 public constant PROTOCOL_MORPHO = 1;

    uint256 private constant OP_AAVE_LOOP = 1;
    uint256 private constant OP_MORPHO_LOOP = 2;
    /// @dev Aave interest rate mode 2 = variable.
    uint256 private constant VARIABLE_RATE = 2;

    IPool public immutable override POOL;
    IPoolAddressesProvider public immutable override ADDRESSES_PROVIDER;
    IMorpho public immutable MORPHO;
    ISwapRouter public immutable SWAP_ROUTER;

    /// @param user The account whose position was opened (the caller).
    /// @param protocol 0 = Aave, 1 = Morpho.
    /// @param collateralSupplied Collateral supplied for the user, in collateral-token units (sUSDe shares or USDe).
    /// @param debtBorrowed Debt taken on the user's behalf (Aave: flash amount + premium; Morpho: flash amount).
    /// @param usdeFromSwap USDe received from the swap of the flash-borrowed amount.
    event Looped(address indexed user, uint8 protocol, uint256 collateralSupplied, uint256 debtBorrowed, uint256 usdeFromSwap);

    error ZeroAddress();
    error ZeroAmount();
    /// @notice A callback arrived from an unexpected caller, or when this contract had not started that operation.
    error UnexpectedCallback(address caller);
    /// @notice An Aave flash loan to this contract was started by someone else.
    error UntrustedInitiator(address initiator);
    /// @notice `vault` must be address(0) (collateral is what the swap buys) or equal to `collateral`.
    error VaultMismatch(address vault, address collateral);
    /// @notice The initial token must be what the swap buys (USDe) or the collateral.
    error InvalidInitialToken(address token);
    error InsufficientSwapOutput(uint256 received, uint256 minimum);

    constructor(address aavePool, address morpho, address swapRouter) {
        if (aavePool == address(0) || morpho == address(0) || swapRouter == address(0)) revert ZeroAddress();
        POOL = IPool(aavePool);
        ADDRESSES_PROVIDER = IPool(aavePool).ADDRESSES_PROVIDER();
        MORPHO = IMorpho(morpho);
        SWAP_ROUTER = ISwapRouter(swapRouter);
    }

    // ---- Aave ---------------------------------------------------------------------------------------------

    /// @notice Opens (or adds to) the caller's looped Aave position in one flash loan.
    function loopAave(AaveLoopParams calldata p) external {
        _beginOperation(OP_AAVE_LOOP);
        if (p.flashAmount == 0) revert ZeroAmount();
        _checkShape(p.initialToken, p.collateral, p.vault, p.debtAsset, p.swapPath);
        if (p.initialAmount > 0) IERC20(p.initialToken).safeTransferFrom(msg.sender, address(this), p.initialAmount);
        POOL.flashLoanSimple(address(this), p.debtAsset, p.flashAmount, abi.encode(msg.sender, p), 0);
        _endOperation();
    }

    /// @inheritdoc IFlashLoanSimpleReceiver
    function executeOperation(address asset, uint256 amount, uint256 premium, address initiator, bytes calldata params)
        external
        override
        returns (bool)
    {
        if (msg.sender != address(POOL) || _currentOperation() != OP_AAVE_LOOP) revert UnexpectedCallback(msg.sender);
        if (initiator != address(this)) revert UntrustedInitiator(initiator);
        (address user, AaveLoopParams memory p) = abi.decode(params, (address, AaveLoopParams));

        uint256 usdeOut = _swapToUsde(asset, _usde(p.collateral, p.vault), p.swapPath, amount, p.minUsdeOut);
        uint256 supplied = _toCollateral(p.initialToken, p.initialAmount, p.collateral, p.vault, usdeOut);
        IERC20(p.collateral).forceApprove(address(POOL), supplied);
        POOL.supply(p.collateral, supplied, user, 0);

        uint256 owed = amount + premium;
        // Needs the user's credit delegation to this contract and a borrowing power that covers it.
        POOL.borrow(asset, owed, VARIABLE_RATE, 0, user);
        IERC20(asset).forceApprove(address(POOL), owed); // the pool pulls it when we return
        emit Looped(user, PROTOCOL_AAVE, supplied, owed, usdeOut);
        return true;
    }

    // ---- Morpho Blue --------------------------------------------------------------------------------------

    /// @notice Opens (or adds to) the caller's looped position in a Morpho Blue market in one (free) flash loan.
    function loopMorpho(MorphoLoopParams calldata p) external {
        _beginOperation(OP_MORPHO_LOOP);
        if (p.flashAmount == 0) revert ZeroAmount();
        _checkShape(p.initialToken, p.market.collateralToken, p.vault, p.market.loanToken, p.swapPath);
        if (p.initialAmount > 0) IERC20(p.initialToken).safeTransferFrom(msg.sender, address(this), p.initialAmount);
        MORPHO.flashLoan(p.market.loanToken, p.flashAmount, abi.encode(msg.sender, p));
        _endOperation();
    }

    /// @inheritdoc IMorphoFlashLoanCallback
    function onMorphoFlashLoan(uint256 assets, bytes calldata data) external override {
        // Morpho calls back only the account that called flashLoan, so with the marker set that is us.
        if (msg.sender != address(MORPHO) || _currentOperation() != OP_MORPHO_LOOP) revert UnexpectedCallback(msg.sender);
        (address user, MorphoLoopParams memory p) = abi.decode(data, (address, MorphoLoopParams));

        uint256 usdeOut = _swapToUsde(p.market.loanToken, _usde(p.market.collateralToken, p.vault), p.swapPath, assets, p.minUsdeOut);
        uint256 supplied = _toCollateral(p.initialToken, p.initialAmount, p.market.collateralToken, p.vault, usdeOut);
        IERC20(p.market.collateralToken).forceApprove(address(MORPHO), supplied);
        MORPHO.supplyCollateral(p.market, supplied, user, "");
        // Needs Morpho.setAuthorization(this, true) from the user; the borrowed assets come here.
        MORPHO.borrow(p.market, assets, 0, user, address(this));
        IERC20(p.market.loanToken).forceApprove(address(MORPHO), assets); // Morpho pulls it when we return
        emit Looped(user, PROTOCOL_MORPHO, supplied, assets, usdeOut);
    }

    // ---- internals ----------------------------------------------------------------------------------------

    /// @dev Validates the token route before anything moves: initial token, vault, swap path.
    function _checkShape(address initialToken, address collateral, address vault, address debtAsset, bytes calldata path)
        private
        view
    {
        if (vault != address(0) && vault != collateral) revert VaultMismatch(vault, collateral);
        address usde = _usde(collateral, vault);
        if (initialToken != usde && initialToken != collateral) revert InvalidInitialToken(initialToken);
        Swaps.checkPath(path, debtAsset, usde);
    }

    /// @dev The USDe a loop buys: the collateral itself, or the asset of the sUSDe vault (checked in _checkShape).
    function _usde(address collateral, address vault) private view returns (address) {
        return vault == address(0) ? collateral : IERC4626(vault).asset();
    }

    function _swapToUsde(address tokenIn, address usde, bytes memory path, uint256 amountIn, uint256 minOut) private returns (uint256 out) {
        out = Swaps.sellExactIn(SWAP_ROUTER, path, tokenIn, usde, amountIn);
        if (out < minOut) revert InsufficientSwapOutput(out, minOut);
    }

    /// @dev Turns the swapped USDe (and the initial amount) into collateral; returns the collateral amount held.
    function _toCollateral(address initialToken, uint256 initialAmount, address collateral, address vault, uint256 usdeOut)
        private
        returns (uint256)
    {
        if (vault == address(0)) return usdeOut + initialAmount; // collateral is USDe, and so is the initial token
        uint256 toStake = initialToken == collateral ? usdeOut : usdeOut + initialAmount;
        address usde = IERC4626(vault).asset();
        IERC20(usde).forceApprove(vault, toStake);
        uint256 shares = IERC4626(vault).deposit(toStake, address(this));
        return initialToken == collateral ? shares + initialAmount : shares;
    }
}
