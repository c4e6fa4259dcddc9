/**
 * A chain context: a provider, the recorded addresses of a chain profile, and the admin signer able to manipulate
 * it (the deployer on the embedded chain; an impersonated admin on a fork). Everything in the library takes one.
 */
import { sameAddress } from "../domain/address";
import type { Signer } from "ethers";
import type { DeploymentRecord } from "./deployments";
import type { RpcProvider } from "./rpc";
import type { TokenSymbol } from "../domain/tokens";

export interface ChainContext {
  provider: RpcProvider;
  record: DeploymentRecord;
  /** Holds minter roles, ACL pool/asset-listing admin, oracle ownership. */
  admin: Signer;
}

/** The one place a ChainContext is built: every session, task, bench and fixture goes through it. */
export function chainContext(provider: RpcProvider, record: DeploymentRecord, admin: Signer): ChainContext {
  return { provider, record, admin };
}

export function tokenAddress(ctx: ChainContext, symbol: TokenSymbol): string {
  const t = ctx.record.tokens[symbol];
  if (!t) throw new Error(`token "${symbol}" is not in chain profile "${ctx.record.profile}"`);
  return t.address;
}

export function tokenDecimals(ctx: ChainContext, symbol: TokenSymbol): number {
  const t = ctx.record.tokens[symbol];
  if (!t) throw new Error(`token "${symbol}" is not in chain profile "${ctx.record.profile}"`);
  return t.decimals;
}

/** Reverse lookup: the symbol of a token address in this profile. */
export function tokenSymbolOf(ctx: ChainContext, address: string): TokenSymbol {
  for (const [s, t] of Object.entries(ctx.record.tokens))
    if (t && sameAddress(t.address, address)) return s as TokenSymbol;
  throw new Error(`address ${address} is not a token of chain profile "${ctx.record.profile}"`);
}
