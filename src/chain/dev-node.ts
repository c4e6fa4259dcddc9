/**
 * The local development chain every backend runs: Hardhat's in-process network (hardhat.config.ts) and anvil
 * (anvil.ts) are started from these same values, so a scenario sees the same accounts, clock, gas rules and limits.
 * Imports nothing, so that hardhat.config.ts can read it before anything is compiled.
 */

export const DEV_CHAIN_ID = 31337;

/**
 * Genesis on the eve of the 10 Oct 2025 crash; the harness then spaces its blocks 12 s apart (clock.ts), so chain
 * time, interest and every report number are the same on every run.
 */
export const DEV_GENESIS_DATE = "2025-10-10T00:00:00Z";

/** Large populations and flash loops need room; each tx is still capped by the hardfork (2^24 gas since Osaka). */
export const DEV_BLOCK_GAS_LIMIT = 60_000_000;

/**
 * A fixed gas limit per transaction: no eth_estimateGas round trip (a binary search of executions) before every
 * transaction the harness sends; receipts still report the gas actually used.
 */
export const DEV_TX_GAS_LIMIT = 16_000_000;

/** Accounts of the default test mnemonic: [deployer, ...users, liquidator] (session/index.ts splitSigners). */
export const DEV_ACCOUNT_COUNT = 20;

/** Each account's ether: 1,000,000 ETH, enough gas money for any population. */
export const DEV_ACCOUNT_BALANCE_WEI = 10n ** 24n;

/**
 * The EVM rules: Hardhat 2.29's default hardfork. anvil is given it by name, so that gas costs (and with them the
 * liquidators' gas bills) are the same on both.
 */
export const DEV_HARDFORK = "osaka";

/**
 * EIP-2935's block-hash history contract (the address the EIP fixes; deployed on mainnet with Prague). anvil runs its
 * system call at every block, writing one storage slot per block up to 8,191, and anvil 1.7.1 (unforked) rehashes the
 * whole state at every block: after 8,000 blocks a transaction cost about twice what it did on a fresh node, and mining
 * 8,000 empty blocks took 35 s instead of 0.5 s (measured before the session's anvil became a fork, which rehashes
 * nothing: src/chain/anvil.ts). Hardhat's network keeps a placeholder there and writes nothing;
 * no contract the harness deploys or forks reads it (BLOCKHASH is the opcode's own), so anvil's chain has its code
 * removed when the session starts anvil (openAnvilChain, src/session/backend.ts), which makes the two chains write the
 * same state.
 */
export const HISTORY_STORAGE_ADDRESS = "0x0000F90827F1C53a10cb7A02335B175320002935";

/** Hardhat's and anvil's default test mnemonic (the well-known, public one): the same 20 addresses on both. */
export const DEV_MNEMONIC = "test test test test test test test test test test test junk";
