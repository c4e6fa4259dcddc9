import type { ContractTransactionReceipt, ContractTransactionResponse } from "ethers";
import { scheduleNextBlock } from "./clock";
import { RevertError, decodeRevert, hasRevertData } from "./errors";
import type { RpcProvider } from "./rpc";

/**
 * The one way the harness sends a transaction: the block gets a deterministic timestamp, a revert is
 * decoded into a RevertError naming the action, and the receipt is returned only for a mined success.
 */
export async function sendTx(
  provider: RpcProvider,
  action: string,
  send: () => Promise<ContractTransactionResponse>,
): Promise<ContractTransactionReceipt> {
  await scheduleNextBlock(provider);
  let response: ContractTransactionResponse;
  try {
    response = await send();
  } catch (err) {
    // Hardhat throws here, with the revert data.
    throw new RevertError(action, decodeRevert(err));
  }
  let receipt: ContractTransactionReceipt | null;
  try {
    receipt = await response.wait();
  } catch (err) {
    throw new RevertError(
      action,
      hasRevertData(err) ? decodeRevert(err) : await replayedReason(provider, response, err),
    );
  }
  if (!receipt || receipt.status !== 1) throw new RevertError(action, await replayedReason(provider, response));
  return receipt;
}

/**
 * anvil mines a reverting transaction (status 0) and its receipt carries no revert data: the transaction is replayed
 * as a call on the latest state, which reverts with the same data, so the reason reads as on Hardhat. That is the state
 * it ran on: a reverted transaction changes nothing but its sender's nonce and gas money, and its block is the latest
 * (the harness mines one transaction per block). anvil keeps no past state to call on (src/chain/anvil.ts).
 */
async function replayedReason(
  provider: RpcProvider,
  response: ContractTransactionResponse,
  original?: unknown,
): Promise<string> {
  const mined = await provider.getTransactionReceipt(response.hash);
  if (!mined) return original === undefined ? "transaction failed" : decodeRevert(original);
  const { from, to, data, value, gasLimit } = response;
  try {
    await provider.call({ from, to, data, value, gasLimit, blockTag: "latest" });
  } catch (err) {
    return decodeRevert(err);
  }
  return original === undefined ? "transaction failed" : decodeRevert(original);
}
