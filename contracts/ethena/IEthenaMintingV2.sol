// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title IEthenaMintingV2
/// @notice The part of Ethena's EthenaMinting V2 (mainnet 0xe3490297a08d6fC8Da46Edb7B6142E4F461b62D3) the harness
/// drives on a fork, written from its published ABI (ethena-labs/ethena-minting-client). Errors are listed so that a
/// revert on the fork is decoded by name.
interface IEthenaMintingV2 {
    struct Order {
        string order_id;
        uint8 order_type;
        uint120 expiry;
        uint128 nonce;
        address benefactor;
        address beneficiary;
        address collateral_asset;
        uint128 collateral_amount;
        uint128 usde_amount;
    }

    struct Signature {
        uint8 signature_type;
        bytes signature_bytes;
    }

    event Redeem(
        address redeemer,
        string indexed order_id,
        address indexed benefactor,
        address indexed beneficiary,
        address collateral_asset,
        uint256 collateral_amount,
        uint256 usde_amount
    );

    error BenefactorNotWhitelisted();
    error BeneficiaryNotApproved();
    error DelegationNotInitiated();
    error GlobalMaxMintPerBlockExceeded();
    error GlobalMaxRedeemPerBlockExceeded();
    error InvalidAddress();
    error InvalidAmount();
    error InvalidEIP712Signature();
    error InvalidNonce();
    error InvalidOrder();
    error InvalidStablePrice();
    error MaxMintPerBlockExceeded();
    error MaxRedeemPerBlockExceeded();
    error SignatureExpired();
    error TransferFailed();
    error UnsupportedAsset();

    function owner() external view returns (address);

    function hasRole(bytes32 role, address account) external view returns (bool);

    function grantRole(bytes32 role, address account) external;

    function addWhitelistedBenefactor(address benefactor) external;

    function isWhitelistedBenefactor(address benefactor) external view returns (bool);

    function setApprovedBeneficiary(address beneficiary, bool status) external;

    function setDelegatedSigner(address delegateTo) external;

    function confirmDelegatedSigner(address delegatedBy) external;

    function setMaxRedeemPerBlock(uint128 maxRedeemPerBlock, address asset) external;

    function setGlobalMaxRedeemPerBlock(uint128 globalMaxRedeemPerBlock) external;

    function disableMintRedeem() external;

    function tokenConfig(
        address asset
    ) external view returns (uint8 tokenType, bool isActive, uint128 maxMintPerBlock, uint128 maxRedeemPerBlock);

    function globalConfig() external view returns (uint128 globalMaxMintPerBlock, uint128 globalMaxRedeemPerBlock);

    function totalPerBlock(uint256 blockNumber) external view returns (uint128 mintedPerBlock, uint128 redeemedPerBlock);

    function totalPerBlockPerAsset(
        uint256 blockNumber,
        address asset
    ) external view returns (uint128 mintedPerBlock, uint128 redeemedPerBlock);

    function hashOrder(Order calldata order) external view returns (bytes32);

    function verifyOrder(Order calldata order, Signature calldata signature) external view returns (bytes32);

    function redeem(Order calldata order, Signature calldata signature) external;
}
