/**
 * Deployment steps shared by every protocol the embedded chain deploys: one contract per block (so chain time is
 * the same on every run), with reverts decoded; stand-in tokens minted to the deployer.
 */
import { BaseContract, ContractFactory, MaxUint256, Signer } from "ethers";
import { StakedUSDeStandIn__factory, StandInERC20__factory } from "../../typechain-types";
import { scheduleNextBlock } from "../chain/clock";
import type { TokenRecord } from "../chain/deployments";
import { RevertError, decodeRevert } from "../chain/errors";
import type { RpcProvider } from "../chain/rpc";
import { sendTx } from "../chain/tx";
import type { TokenSymbol } from "../domain/tokens";

export async function deployContract<T extends BaseContract>(
  provider: RpcProvider,
  label: string,
  factory: ContractFactory,
  args: unknown[],
): Promise<T & { address: string }> {
  await scheduleNextBlock(provider);
  let contract: BaseContract;
  try {
    contract = await factory.deploy(...args);
    await contract.waitForDeployment();
  } catch (err) {
    throw new RevertError(`deploy ${label}`, decodeRevert(err));
  }
  const address = await contract.getAddress();
  return Object.assign(contract as unknown as T, { address });
}

/** Mints `amount` of a stand-in token to the deployer (USDe first, deposited, for sUSDe). */
export async function fund(
  provider: RpcProvider,
  deployer: Signer,
  tokens: Partial<Record<TokenSymbol, TokenRecord>>,
  sym: TokenSymbol,
  amount: bigint,
): Promise<void> {
  const me = await deployer.getAddress();
  if (sym === "sUSDe") {
    const vault = StakedUSDeStandIn__factory.connect(tokens.sUSDe!.address, deployer);
    const assets = await vault.previewMint(amount);
    await sendTx(provider, "mint USDe for sUSDe", () =>
      StandInERC20__factory.connect(tokens.USDe!.address, deployer).mint(me, assets),
    );
    await sendTx(provider, "approve sUSDe", () =>
      StandInERC20__factory.connect(tokens.USDe!.address, deployer).approve(tokens.sUSDe!.address, MaxUint256),
    );
    await sendTx(provider, "mint sUSDe", () => vault.mint(amount, me));
    return;
  }
  await sendTx(provider, `mint ${sym}`, () =>
    StandInERC20__factory.connect(tokens[sym]!.address, deployer).mint(me, amount),
  );
}
