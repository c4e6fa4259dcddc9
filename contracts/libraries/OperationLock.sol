// SPDX-License-Identifier: MIT
pragma solidity 0.8.28;

/// @title OperationLock
/// @notice A per-transaction "operation in progress" marker in transient storage (EIP-1153).
/// @dev A contract that starts a flash loan or a liquidation with a callback marks which operation it started;
/// its callbacks accept a call only while that operation is in progress. The marker doubles as a re-entrancy
/// guard for the entry points (a second operation cannot start while one runs) and is cleared on exit; a revert
/// clears it too, and transient storage is wiped at the end of every transaction whatever happens.
abstract contract OperationLock {
    /// @dev The running operation (0: none). Transient: the compiler places it in transient storage, apart from storage.
    uint256 private transient _operation;

    /// @notice An entry point was called while an operation of this contract was already running.
    error OperationInProgress();

    function _beginOperation(uint256 operation) internal {
        if (_operation != 0) revert OperationInProgress();
        _operation = operation;
    }

    function _endOperation() internal {
        _operation = 0;
    }

    function _currentOperation() internal view returns (uint256) {
        return _operation;
    }
}
