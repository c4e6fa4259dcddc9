/** Actor accounts: fresh addresses derived from the scenario name and a role, impersonated on the dev node. */
import { Signer, dataSlice, getAddress, keccak256, toUtf8Bytes } from "ethers";
import { WAD } from "../constants";
import type { ChainContext } from "../chain/context";
import { impersonate } from "../chain/cheats";

export function actorAddress(scenario: string, role: string): string {
  return getAddress(dataSlice(keccak256(toUtf8Bytes(`loopstress:${scenario}:${role}`)), 12));
}

type SignerProvider = { getSigner(address: string): Promise<Signer> };

/** A signer for `address` (impersonated, with gas money). */
export async function actorSigner(ctx: ChainContext, address: string): Promise<Signer> {
  const p = ctx.provider as ChainContext["provider"] & Partial<SignerProvider>;
  if (typeof p.getSigner !== "function")
    throw new Error("actors: the provider cannot give signers for impersonated accounts");
  return impersonate(p as ChainContext["provider"] & SignerProvider, address, WAD);
}
