// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {IERC20Metadata} from "@openzeppelin/contracts/token/ERC20/extensions/IERC20Metadata.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";

/// @notice The USDe stand-in's minting surface (contracts/tokens/StandInERC20.sol).
interface IMintableBurnableUSDe is IERC20 {
    function mint(address to, uint256 amount) external;

    function burn(uint256 amount) external;
}

/// @title EthenaMintingStandIn
/// @notice Stands in for Ethena's EthenaMinting V2 (mainnet 0xe3490297a08d6fC8Da46Edb7B6142E4F461b62D3) on the
/// embedded chain, for what a stress run needs of it: whitelisted benefactors redeem USDe for a stablecoin 1:1 (or
/// mint the reverse) within per-block limits per asset and across assets, counted per block number as the real
/// contract does; a gatekeeper can disable mint and redeem; redemptions are paid from the stablecoins the contract
/// holds (Ethena keeps a buffer there) and the USDe taken is burnt.
/// @dev Simplifications, each deliberate: the benefactor submits its own order (on mainnet Ethena's server submits an
/// EIP-712 order the benefactor signed, after an RFQ); minted collateral stays here instead of going to custodians;
/// `feeBps` is a harness knob — Ethena documents no protocol mint or redeem fee (its RFQ quote carries the market
/// maker's spread), so the default is 0; the real gatekeeper zeroes the per-block limits, this one sets a flag with
/// the same effect and its own error.
contract EthenaMintingStandIn is AccessControl {
    using SafeERC20 for IERC20;

    bytes32 public constant GATEKEEPER_ROLE = keccak256("GATEKEEPER_ROLE");
    uint256 private constant BPS = 10_000;
    uint8 private constant USDE_DECIMALS = 18;

    /// @notice As in EthenaMinting V2: stablecoins are STABLE, other collateral ASSET (only STABLE is used here).
    enum TokenType {
        STABLE,
        ASSET
    }

    struct TokenConfig {
        TokenType tokenType;
        bool isActive;
        /// @notice USDe that may be minted against this asset in one block.
        uint128 maxMintPerBlock;
        /// @notice USDe that may be redeemed for this asset in one block.
        uint128 maxRedeemPerBlock;
    }

    struct GlobalConfig {
        uint128 globalMaxMintPerBlock;
        uint128 globalMaxRedeemPerBlock;
    }

    /// @notice USDe minted and redeemed in one block (across assets, or for one asset).
    struct BlockTotals {
        uint128 mintedPerBlock;
        uint128 redeemedPerBlock;
    }

    IMintableBurnableUSDe public immutable usde;
    GlobalConfig public globalConfig;
    mapping(address asset => TokenConfig) public tokenConfig;
    mapping(uint256 blockNumber => BlockTotals) public totalPerBlock;
    mapping(uint256 blockNumber => mapping(address asset => BlockTotals)) public totalPerBlockPerAsset;
    /// @notice 10 ** (18 - asset decimals): USDe units per collateral unit at 1:1.
    mapping(address asset => uint256) public usdePerCollateralUnit;
    mapping(address benefactor => bool) public isWhitelistedBenefactor;
    /// @notice Fee taken from what a redeemer receives (or a minter is minted), bps. A harness knob, see above.
    uint16 public feeBps;
    bool public mintRedeemDisabled;

    event Redeem(
        address indexed benefactor,
        address indexed asset,
        uint256 usdeAmount,
        uint256 collateralAmount,
        uint256 feeAmount
    );
    event Mint(
        address indexed benefactor,
        address indexed asset,
        uint256 collateralAmount,
        uint256 usdeAmount,
        uint256 feeAmount
    );
    event BenefactorAdded(address indexed benefactor);
    event BenefactorRemoved(address indexed benefactor);
    event MintRedeemDisabledSet(bool disabled);
    event FeeBpsSet(uint16 feeBps);
    event TokenConfigSet(address indexed asset, bool isActive, uint128 maxMintPerBlock, uint128 maxRedeemPerBlock);
    event GlobalConfigSet(uint128 globalMaxMintPerBlock, uint128 globalMaxRedeemPerBlock);

    error BenefactorNotWhitelisted(address benefactor);
    error MintRedeemDisabled();
    error UnsupportedAsset(address asset);
    error InvalidAmount();
    error AssetDecimalsAboveUSDe(address asset, uint8 decimals);
    error FeeAboveOneHundredPercent(uint16 feeBps);
    error MaxRedeemPerBlockExceeded(address asset, uint256 requested, uint256 remaining);
    error GlobalMaxRedeemPerBlockExceeded(uint256 requested, uint256 remaining);
    error MaxMintPerBlockExceeded(address asset, uint256 requested, uint256 remaining);
    error GlobalMaxMintPerBlockExceeded(uint256 requested, uint256 remaining);
    error InsufficientReserve(address asset, uint256 needed, uint256 held);

    constructor(
        IMintableBurnableUSDe usde_,
        address[] memory assets,
        TokenConfig[] memory configs,
        GlobalConfig memory global,
        uint16 feeBps_,
        address admin
    ) {
        usde = usde_;
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        _grantRole(GATEKEEPER_ROLE, admin);
        for (uint256 i = 0; i < assets.length; i++) {
            uint8 d = IERC20Metadata(assets[i]).decimals();
            if (d > USDE_DECIMALS) revert AssetDecimalsAboveUSDe(assets[i], d);
            usdePerCollateralUnit[assets[i]] = 10 ** (USDE_DECIMALS - d);
            _setTokenConfig(assets[i], configs[i]);
        }
        _setGlobalConfig(global);
        _setFeeBps(feeBps_);
    }

    // ---- benefactors and configuration ---------------------------------------------------------------------

    function addWhitelistedBenefactor(address benefactor) external onlyRole(DEFAULT_ADMIN_ROLE) {
        isWhitelistedBenefactor[benefactor] = true;
        emit BenefactorAdded(benefactor);
    }

    function removeWhitelistedBenefactor(address benefactor) external onlyRole(DEFAULT_ADMIN_ROLE) {
        isWhitelistedBenefactor[benefactor] = false;
        emit BenefactorRemoved(benefactor);
    }

    function setMaxRedeemPerBlock(address asset, uint128 usdeAmount) external onlyRole(DEFAULT_ADMIN_ROLE) {
        TokenConfig memory c = _supported(asset);
        c.maxRedeemPerBlock = usdeAmount;
        _setTokenConfig(asset, c);
    }

    function setMaxMintPerBlock(address asset, uint128 usdeAmount) external onlyRole(DEFAULT_ADMIN_ROLE) {
        TokenConfig memory c = _supported(asset);
        c.maxMintPerBlock = usdeAmount;
        _setTokenConfig(asset, c);
    }

    function setGlobalMaxRedeemPerBlock(uint128 usdeAmount) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _setGlobalConfig(GlobalConfig(globalConfig.globalMaxMintPerBlock, usdeAmount));
    }

    function setGlobalMaxMintPerBlock(uint128 usdeAmount) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _setGlobalConfig(GlobalConfig(usdeAmount, globalConfig.globalMaxRedeemPerBlock));
    }

    function setFeeBps(uint16 feeBps_) external onlyRole(DEFAULT_ADMIN_ROLE) {
        _setFeeBps(feeBps_);
    }

    /// @notice The gatekeeper's brake: no mint and no redeem until the admin enables them again.
    function disableMintRedeem() external onlyRole(GATEKEEPER_ROLE) {
        mintRedeemDisabled = true;
        emit MintRedeemDisabledSet(true);
    }

    function enableMintRedeem() external onlyRole(DEFAULT_ADMIN_ROLE) {
        mintRedeemDisabled = false;
        emit MintRedeemDisabledSet(false);
    }

    // ---- redeem and mint -------------------------------------------------------------------------------------

    /// @notice Burns `usdeAmount` of the caller's USDe (approve this contract first) and pays `asset` 1:1 less the
    /// fee, from the reserve this contract holds.
    function redeem(
        address asset,
        uint256 usdeAmount
    ) external returns (uint256 collateralAmount, uint256 feeAmount) {
        _checkOrder(asset, usdeAmount);
        _countRedeem(asset, usdeAmount);
        (collateralAmount, feeAmount) = _redeemQuote(asset, usdeAmount);
        uint256 held = IERC20(asset).balanceOf(address(this));
        if (collateralAmount > held) revert InsufficientReserve(asset, collateralAmount, held);
        IERC20(address(usde)).safeTransferFrom(msg.sender, address(this), usdeAmount);
        usde.burn(usdeAmount);
        IERC20(asset).safeTransfer(msg.sender, collateralAmount);
        emit Redeem(msg.sender, asset, usdeAmount, collateralAmount, feeAmount);
    }

    /// @notice Takes `collateralAmount` of `asset` from the caller and mints USDe 1:1 less the fee.
    function mint(address asset, uint256 collateralAmount) external returns (uint256 usdeAmount, uint256 feeAmount) {
        uint256 gross = collateralAmount * usdePerCollateralUnit[asset];
        _checkOrder(asset, gross);
        _countMint(asset, gross);
        feeAmount = _fee(gross);
        usdeAmount = gross - feeAmount;
        IERC20(asset).safeTransferFrom(msg.sender, address(this), collateralAmount);
        usde.mint(msg.sender, usdeAmount);
        emit Mint(msg.sender, asset, collateralAmount, usdeAmount, feeAmount);
    }

    // ---- views -----------------------------------------------------------------------------------------------

    /// @notice What redeeming `usdeAmount` for `asset` pays and the fee kept, in `asset` units.
    function redeemQuote(
        address asset,
        uint256 usdeAmount
    ) external view returns (uint256 collateralAmount, uint256 feeAmount) {
        _supported(asset);
        return _redeemQuote(asset, usdeAmount);
    }

    /// @notice USDe that can still be redeemed for `asset` in block `blockNumber`: the smaller of the asset's and the
    /// global per-block room and what the reserve can pay; 0 while disabled or for an inactive asset.
    function redeemableInBlock(address asset, uint256 blockNumber) external view returns (uint256) {
        TokenConfig memory c = tokenConfig[asset];
        if (mintRedeemDisabled || !c.isActive || usdePerCollateralUnit[asset] == 0) return 0;
        uint256 room = _room(c.maxRedeemPerBlock, totalPerBlockPerAsset[blockNumber][asset].redeemedPerBlock);
        uint256 globalRoom = _room(globalConfig.globalMaxRedeemPerBlock, totalPerBlock[blockNumber].redeemedPerBlock);
        if (globalRoom < room) room = globalRoom;
        uint256 reserve = _reserveInUsde(asset);
        return reserve < room ? reserve : room;
    }

    // ---- internals -------------------------------------------------------------------------------------------

    function _checkOrder(address asset, uint256 usdeAmount) private view {
        if (!isWhitelistedBenefactor[msg.sender]) revert BenefactorNotWhitelisted(msg.sender);
        if (mintRedeemDisabled) revert MintRedeemDisabled();
        if (!tokenConfig[asset].isActive || usdePerCollateralUnit[asset] == 0) revert UnsupportedAsset(asset);
        if (usdeAmount == 0) revert InvalidAmount();
    }

    function _countRedeem(address asset, uint256 usdeAmount) private {
        BlockTotals storage perAsset = totalPerBlockPerAsset[block.number][asset];
        BlockTotals storage all = totalPerBlock[block.number];
        uint256 room = _room(tokenConfig[asset].maxRedeemPerBlock, perAsset.redeemedPerBlock);
        if (usdeAmount > room) revert MaxRedeemPerBlockExceeded(asset, usdeAmount, room);
        uint256 globalRoom = _room(globalConfig.globalMaxRedeemPerBlock, all.redeemedPerBlock);
        if (usdeAmount > globalRoom) revert GlobalMaxRedeemPerBlockExceeded(usdeAmount, globalRoom);
        perAsset.redeemedPerBlock += uint128(usdeAmount);
        all.redeemedPerBlock += uint128(usdeAmount);
    }

    function _countMint(address asset, uint256 usdeAmount) private {
        BlockTotals storage perAsset = totalPerBlockPerAsset[block.number][asset];
        BlockTotals storage all = totalPerBlock[block.number];
        uint256 room = _room(tokenConfig[asset].maxMintPerBlock, perAsset.mintedPerBlock);
        if (usdeAmount > room) revert MaxMintPerBlockExceeded(asset, usdeAmount, room);
        uint256 globalRoom = _room(globalConfig.globalMaxMintPerBlock, all.mintedPerBlock);
        if (usdeAmount > globalRoom) revert GlobalMaxMintPerBlockExceeded(usdeAmount, globalRoom);
        perAsset.mintedPerBlock += uint128(usdeAmount);
        all.mintedPerBlock += uint128(usdeAmount);
    }

    /// @dev USDe below 10 ** (18 - decimals) buys no collateral unit: the gross is rounded down, the fee up.
    function _redeemQuote(address asset, uint256 usdeAmount) private view returns (uint256 net, uint256 fee) {
        uint256 gross = usdeAmount / usdePerCollateralUnit[asset];
        fee = _fee(gross);
        net = gross - fee;
    }

    /// @dev The most USDe whose net payout the reserve covers: gross * (1 - fee) <= held, so gross <= held / (1 - fee).
    function _reserveInUsde(address asset) private view returns (uint256) {
        if (feeBps == BPS) return type(uint256).max;
        uint256 held = IERC20(asset).balanceOf(address(this));
        return ((held * BPS) / (BPS - feeBps)) * usdePerCollateralUnit[asset];
    }

    function _fee(uint256 amount) private view returns (uint256) {
        return (amount * feeBps + BPS - 1) / BPS;
    }

    function _room(uint256 limit, uint256 used) private pure returns (uint256) {
        return used >= limit ? 0 : limit - used;
    }

    function _supported(address asset) private view returns (TokenConfig memory c) {
        if (usdePerCollateralUnit[asset] == 0) revert UnsupportedAsset(asset);
        return tokenConfig[asset];
    }

    function _setTokenConfig(address asset, TokenConfig memory c) private {
        tokenConfig[asset] = c;
        emit TokenConfigSet(asset, c.isActive, c.maxMintPerBlock, c.maxRedeemPerBlock);
    }

    function _setGlobalConfig(GlobalConfig memory g) private {
        globalConfig = g;
        emit GlobalConfigSet(g.globalMaxMintPerBlock, g.globalMaxRedeemPerBlock);
    }

    function _setFeeBps(uint16 feeBps_) private {
        if (feeBps_ > BPS) revert FeeAboveOneHundredPercent(feeBps_);
        feeBps = feeBps_;
        emit FeeBpsSet(feeBps_);
    }
}
