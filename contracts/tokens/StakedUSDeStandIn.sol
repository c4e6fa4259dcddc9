// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

import {ERC20} from "@openzeppelin/contracts/token/ERC20/ERC20.sol";
import {IERC20} from "@openzeppelin/contracts/token/ERC20/IERC20.sol";
import {ERC4626} from "@openzeppelin/contracts/token/ERC20/extensions/ERC4626.sol";
import {SafeERC20} from "@openzeppelin/contracts/token/ERC20/utils/SafeERC20.sol";
import {AccessControl} from "@openzeppelin/contracts/access/AccessControl.sol";

/// @title StakedUSDeStandIn
/// @notice Stands in for sUSDe on the embedded chain: an ERC-4626 vault over USDe whose rate grows when rewards
/// are transferred in (vested linearly, as on mainnet), with a cooldown before unstaked USDe can be claimed.
/// @dev While the cooldown duration is non-zero, ERC-4626 withdraw/redeem are disabled and users go through
/// cooldownAssets/cooldownShares then unstake, as on mainnet sUSDe. Assets in cooldown leave totalAssets().
contract StakedUSDeStandIn is ERC4626, AccessControl {
    using SafeERC20 for IERC20;

    bytes32 public constant REWARDER_ROLE = keccak256("REWARDER_ROLE");
    uint24 public constant MAX_COOLDOWN_DURATION = 90 days;

    struct UserCooldown {
        uint104 cooldownEnd;
        uint152 underlyingAmount;
    }

    uint256 public immutable vestingPeriod;
    uint24 public cooldownDuration;
    uint256 public vestingAmount;
    uint256 public lastDistributionTimestamp;
    /// @notice USDe held for users in cooldown; not part of the vault's assets.
    uint256 public siloAssets;
    mapping(address => UserCooldown) public cooldowns;

    event RewardsReceived(uint256 amount);
    event CooldownDurationUpdated(uint24 previousDuration, uint24 newDuration);

    error OperationNotAllowed();
    error InvalidCooldown();
    error StillVesting();

    constructor(IERC20 usde, address admin, uint24 cooldownDuration_, uint256 vestingPeriod_)
        ERC20("Staked USDe", "sUSDe")
        ERC4626(usde)
    {
        if (cooldownDuration_ > MAX_COOLDOWN_DURATION) revert InvalidCooldown();
        _grantRole(DEFAULT_ADMIN_ROLE, admin);
        _grantRole(REWARDER_ROLE, admin);
        cooldownDuration = cooldownDuration_;
        vestingPeriod = vestingPeriod_;
    }

    /// @notice Adds USDe rewards, vested linearly over `vestingPeriod`: this is what makes the rate grow.
    function transferInRewards(uint256 amount) external onlyRole(REWARDER_ROLE) {
        if (getUnvestedAmount() > 0) revert StillVesting();
        vestingAmount = amount;
        lastDistributionTimestamp = block.timestamp;
        IERC20(asset()).safeTransferFrom(msg.sender, address(this), amount);
        emit RewardsReceived(amount);
    }

    function setCooldownDuration(uint24 duration) external onlyRole(DEFAULT_ADMIN_ROLE) {
        if (duration > MAX_COOLDOWN_DURATION) revert InvalidCooldown();
        emit CooldownDurationUpdated(cooldownDuration, duration);
        cooldownDuration = duration;
    }

    function getUnvestedAmount() public view returns (uint256) {
        uint256 elapsed = block.timestamp - lastDistributionTimestamp;
        if (elapsed >= vestingPeriod) return 0;
        return ((vestingPeriod - elapsed) * vestingAmount) / vestingPeriod;
    }

    function totalAssets() public view override returns (uint256) {
        return IERC20(asset()).balanceOf(address(this)) - siloAssets - getUnvestedAmount();
    }

    function withdraw(uint256 assets, address receiver, address owner_) public override returns (uint256) {
        if (cooldownDuration != 0) revert OperationNotAllowed();
        return super.withdraw(assets, receiver, owner_);
    }

    function redeem(uint256 shares, address receiver, address owner_) public override returns (uint256) {
        if (cooldownDuration != 0) revert OperationNotAllowed();
        return super.redeem(shares, receiver, owner_);
    }

    function cooldownAssets(uint256 assets) external returns (uint256 shares) {
        if (cooldownDuration == 0) revert OperationNotAllowed();
        shares = previewWithdraw(assets);
        _startCooldown(assets, shares);
    }

    function cooldownShares(uint256 shares) external returns (uint256 assets) {
        if (cooldownDuration == 0) revert OperationNotAllowed();
        assets = previewRedeem(shares);
        _startCooldown(assets, shares);
    }

    function unstake(address receiver) external {
        UserCooldown memory c = cooldowns[msg.sender];
        if (block.timestamp < c.cooldownEnd && cooldownDuration != 0) revert InvalidCooldown();
        delete cooldowns[msg.sender];
        siloAssets -= c.underlyingAmount;
        IERC20(asset()).safeTransfer(receiver, c.underlyingAmount);
    }

    function _startCooldown(uint256 assets, uint256 shares) private {
        cooldowns[msg.sender].cooldownEnd = uint104(block.timestamp + cooldownDuration);
        cooldowns[msg.sender].underlyingAmount += uint152(assets);
        _burn(msg.sender, shares);
        siloAssets += assets;
        emit Withdraw(msg.sender, address(this), msg.sender, assets, shares);
    }
}
