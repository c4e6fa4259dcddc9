// SPDX-License-Identifier: MIT
pragma solidity 0.8.24;

/// @title OperationLock
/// @notice A per-transaction "operation in progress" marker in transient storage (EIP-1153).
/// @dev A contract that starts a flash loan or a liquidation with a callback marks which operation it started;
/// its callbacks accept a call only while that operation is in progress. The marker doubles as a re-entrancy
/// guard for the entry points (a second operation cannot start while one runs) and is cleared on exit; a revert
/// clears it too, and transient storage is wiped at the end of every transaction whatever happens.
abstract contract OperationLock {
    /// @dev keccak256("loopstress.OperationLock.operation"); inline assembly only takes literal constants.
    uint256 private constant OPERATION_SLOT = 0x247675cda991b282444ebc5a6e252be0c4df7fbfcc12c1cd2e8371d3ff72cd57;

    /// @notice An entry point was called while an operation of this contract was already running.
    error OperationInProgress();

    function _beginOperation(uint256 operation) internal {
        if (_currentOperation() != 0) revert OperationInProgress();
        assembly ("memory-safe") {
            tstore(OPERATION_SLOT, operation)
        }
    }

    function _endOperation() internal {
        assembly ("memory-safe") {
            tstore(OPERATION_SLOT, 0)
        }
    }

    function _currentOperation() internal view returns (uint256 operation) {
        assembly ("memory-safe") {
            operation := tload(OPERATION_SLOT)
        }
    }
}
