import type { ContractTransactionReceipt, ContractTransactionResponse } from "ethers";
import { scheduleNextBlock } from "./clock";
import { RevertError, decodeRevert } from "./errors";
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
    throw new RevertError(action, decodeRevert(err));
  }
  let receipt: ContractTransactionReceipt | null;
  try {
    receipt = await response.wait();
  } catch (err) {
    throw new RevertError(action, decodeRevert(err));
  }
  if (!receipt || receipt.status !== 1) throw new RevertError(action, "transaction failed");
  return receipt;
}
