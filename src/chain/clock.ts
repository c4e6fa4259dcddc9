/**
 * A deterministic block clock: every transaction the harness sends is mined in its own block exactly
 * `secondsPerBlock` after the previous one, whatever the wall clock does. Interest accrual, and so every
 * amount in a report, then depends only on the scenario, not on how fast the machine runs.
 *
 * On Hardhat's network each transaction's block is pinned before it is sent (a head-block read and a timestamp
 * cheat); anvil spaces its blocks by itself once told the interval (spaceBlocksByNode), which saves both requests on
 * every transaction and gives the same timestamps, snapshot reverts included.
 */
import { RpcProvider, rpc, toQuantity } from "./rpc";

export const SECONDS_PER_BLOCK = 12;

/** Nodes told to stamp each block SECONDS_PER_BLOCK after the one before (anvil's block timestamp interval). */
const spacedByNode = new WeakSet<RpcProvider>();

/**
 * Tells anvil to stamp every block it mines SECONDS_PER_BLOCK after the one before; from then on no transaction's
 * block needs pinning. Again after anvil_reset, which forgets it.
 */
export async function spaceBlocksByNode(provider: RpcProvider): Promise<void> {
  await rpc(provider, "anvil_setBlockTimestampInterval", [SECONDS_PER_BLOCK]);
  spacedByNode.add(provider);
}

interface RawBlock {
  number: string;
  timestamp: string;
}

export async function latestBlock(provider: RpcProvider): Promise<{ number: bigint; timestamp: bigint }> {
  const b = await rpc<RawBlock>(provider, "eth_getBlockByNumber", ["latest", false]);
  return { number: BigInt(b.number), timestamp: BigInt(b.timestamp) };
}

/** Pins the timestamp of the next block to latest + `seconds` (nothing to do for a node that spaces its blocks so). */
export async function scheduleNextBlock(provider: RpcProvider, seconds: number = SECONDS_PER_BLOCK): Promise<void> {
  if (seconds === SECONDS_PER_BLOCK && spacedByNode.has(provider)) return;
  const { timestamp } = await latestBlock(provider);
  await rpc(provider, "evm_setNextBlockTimestamp", [toQuantity(timestamp + BigInt(seconds))]);
}

/** Mines `blocks` empty blocks, `secondsPerBlock` apart (one RPC call on Hardhat and anvil). */
async function mineBlocks(
  provider: RpcProvider,
  blocks: number,
  secondsPerBlock: number = SECONDS_PER_BLOCK,
): Promise<void> {
  if (blocks <= 0) return;
  // anvil's own interval would override hardhat_mine's for the empty blocks: it is lifted while they are mined.
  const spaced = spacedByNode.has(provider);
  if (spaced) await rpc(provider, "anvil_removeBlockTimestampInterval", []);
  await scheduleNextBlock(provider, secondsPerBlock);
  await rpc(provider, "hardhat_mine", [toQuantity(blocks), toQuantity(secondsPerBlock)]);
  if (spaced) await spaceBlocksByNode(provider);
}

/** Advances chain time by `seconds` in one block. */
export async function advanceTime(provider: RpcProvider, seconds: number): Promise<void> {
  await scheduleNextBlock(provider, seconds);
  await rpc(provider, "evm_mine", []);
}

/**
 * Advances by exactly `blocks` blocks and `seconds` seconds (the last block absorbs the remainder). The last block is
 * pinned to its time counted from the first, not from the empty blocks before it: anvil stamps the blocks of one
 * `hardhat_mine` from its own clock, which can land a second late when the wall clock ticks while it mines, and that
 * second would otherwise carry into every later block (and interest).
 */
export async function advance(provider: RpcProvider, blocks: number, seconds: number): Promise<void> {
  if (blocks <= 0) {
    if (seconds > 0) await advanceTime(provider, seconds);
    return;
  }
  const interval = Math.max(1, Math.floor(seconds / blocks));
  const emptySeconds = interval * (blocks - 1);
  const { timestamp: start } = await latestBlock(provider);
  await mineBlocks(provider, blocks - 1, interval);
  const last = start + BigInt(emptySeconds + Math.max(1, seconds - emptySeconds));
  const { timestamp: latest } = await latestBlock(provider);
  await rpc(provider, "evm_setNextBlockTimestamp", [toQuantity(last > latest ? last : latest + 1n)]);
  await rpc(provider, "evm_mine", []);
}
