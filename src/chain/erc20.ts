/** ERC-20 and ERC-4626 plumbing: allowances, and USDe deposited into sUSDe. */
import { MaxUint256, Signer } from "ethers";
import { IERC20Metadata__factory, IERC4626__factory } from "../../typechain-types";
import type { ChainContext } from "./context";
import { tokenAddress } from "./context";
import { sendTx } from "./tx";
import type { TokenSymbol } from "../domain/tokens";
import { sameAddress } from "../domain/address";
import { bindContract } from "./bind";

/** Approves `spender` for `symbol` if the allowance is short. */
export async function ensureAllowance(
  ctx: ChainContext,
  user: Signer,
  symbol: TokenSymbol,
  spender: string,
  amountRaw: bigint,
): Promise<void> {
  const token = bindContract(IERC20Metadata__factory, tokenAddress(ctx, symbol), user);
  const owner = await user.getAddress();
  if ((await token.allowance(owner, spender)) >= amountRaw) return;
  await sendTx(ctx.provider, `approve ${symbol} to ${spender}`, () => token.approve(spender, MaxUint256));
}

/** Deposits USDe into sUSDe for `user`; returns the shares minted (from the Deposit event). */
export async function depositUsdeToSusde(ctx: ChainContext, user: Signer, usdeRaw: bigint): Promise<bigint> {
  const vaultAddress = tokenAddress(ctx, "sUSDe");
  await ensureAllowance(ctx, user, "USDe", vaultAddress, usdeRaw);
  const vault = bindContract(IERC4626__factory, vaultAddress, user);
  const receipt = await sendTx(ctx.provider, "deposit USDe into sUSDe", () =>
    vault.deposit(usdeRaw, user.getAddress()),
  );
  for (const log of receipt.logs) {
    if (!sameAddress(log.address, vaultAddress)) continue;
    const parsed = vault.interface.parseLog(log);
    if (parsed?.name === "Deposit") return parsed.args.shares as bigint;
  }
  throw new Error("sUSDe deposit emitted no Deposit event");
}
