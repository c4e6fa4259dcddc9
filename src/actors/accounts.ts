/** Actor accounts: fresh addresses derived from the scenario name and a role, impersonated on the dev node. */
import { Signer, dataSlice, getAddress, keccak256, toUtf8Bytes } from "ethers";
import type { ChainContext } from "../chain/context";
import { impersonate } from "../chain/cheats";

export function actorAddress(scenario: string, role: string): string {
  return getAddress(dataSlice(keccak256(toUtf8Bytes(`loopstress:${scenario}:${role}`)), 12));
}

type SignerProvider = { getSigner(address: string): Promise<Signer> };

/**
 * An actor's gas money: 1,000 ETH. A liquidator sends two or three transactions a liquidation, and the node wants each
 * one's gas limit times its fee cap up front; with 1 ETH the redeemer ran dry at 3,000 positions (689 sends refused
 * for "insufficient funds for gas"). Gas is paid in ETH, which no report reads: what a transaction cost is read from
 * its receipt.
 */
const ACTOR_GAS_WEI = 10n ** 21n;

/** A signer for `address` (impersonated, with gas money). */
export async function actorSigner(ctx: ChainContext, address: string): Promise<Signer> {
  const p = ctx.provider as ChainContext["provider"] & Partial<SignerProvider>;
  if (typeof p.getSigner !== "function")
    throw new Error("actors: the provider cannot give signers for impersonated accounts");
  return impersonate(p as ChainContext["provider"] & SignerProvider, address, ACTOR_GAS_WEI);
}
