/**
 * The lending protocols loopstress drives, by name. A market key names the protocol and the pair:
 *   "aave-v3:USDe/USDC:emode-2"   (collateral/debt, optional E-mode category)
 *   "morpho-blue:sUSDe/USDC-91.5" (a market key of the chain profile)
 * Adding a protocol: one adapter file implementing `LendingMarket` and `LendingProtocol`, and one line in PROTOCOLS.
 */
import type { ChainContext } from "../chain/context";
import { ORACLE_POLICIES, type OraclePolicy, type PolicySet } from "../domain/oracle-policy";
import { InputError } from "../errors";
import { AAVE_V3 } from "./aave-v3";
import type { LendingMarket, LendingProtocol, ProtocolName } from "./lending-market";
import { MORPHO_BLUE } from "./morpho-blue";

const PROTOCOLS: readonly LendingProtocol[] = [AAVE_V3, MORPHO_BLUE];

export const PROTOCOL_NAMES: readonly ProtocolName[] = PROTOCOLS.map((p) => p.name);

/** The keys of a policy set, one per protocol, in registry order: ["aave", "morpho"]. */
export const POLICY_KEYS: readonly string[] = PROTOCOLS.map((p) => p.policyKey);

export function protocolNamed(name: ProtocolName): LendingProtocol {
  const p = PROTOCOLS.find((x) => x.name === name);
  if (!p) throw new Error(`protocol "${name}" is not in the registry`);
  return p;
}

export function openMarket(ctx: ChainContext, key: string, field = "market"): LendingMarket {
  const i = key.indexOf(":");
  const protocol = i > 0 ? PROTOCOLS.find((p) => p.name === key.slice(0, i)) : undefined;
  if (!protocol) {
    throw new InputError(
      field,
      `unknown protocol in "${key}"`,
      `use one of ${PROTOCOL_NAMES.join(", ")} (e.g. "aave-v3:USDe/USDC:emode-2")`,
    );
  }
  return protocol.openMarket(ctx, key.slice(i + 1), field);
}

/** The policy a market's oracle runs under in a policy set. */
export function policyOf(market: LendingMarket, policies: PolicySet): OraclePolicy {
  const key = protocolNamed(market.protocol).policyKey;
  const policy = policies[key];
  if (policy === undefined)
    throw new InputError(`policies.${key}`, "is missing", `give each of ${POLICY_KEYS.join(", ")} a policy`);
  return policy;
}

/** A policy set's short name, its policies in registry order: "market/exchange-rate" (CSV rows, sweep grids). */
export function policySetName(policies: Readonly<Record<string, string>>): string {
  return PROTOCOLS.map((p) => policies[p.policyKey]).join("/");
}

/** A policy set as a heading: "Aave market / Morpho exchange-rate". */
export function policySetLabel(policies: Readonly<Record<string, string>>): string {
  return PROTOCOLS.map((p) => `${p.label} ${policies[p.policyKey]}`).join(" / ");
}

/** The protocols' labels in registry order, e.g. for table headers: ["Aave", "Morpho"]. */
export const PROTOCOL_LABELS: readonly string[] = PROTOCOLS.map((p) => p.label);

/** The policy set a short name ("market/exchange-rate") stands for, or undefined if it names none. */
export function policySetFromName(name: string): PolicySet | undefined {
  const parts = name.split("/");
  if (parts.length !== PROTOCOLS.length) return undefined;
  if (!parts.every((p) => (ORACLE_POLICIES as readonly string[]).includes(p))) return undefined;
  return Object.fromEntries(PROTOCOLS.map((p, i) => [p.policyKey, parts[i] as OraclePolicy]));
}

/** Applies a policy set to the oracles of `markets`, each protocol through its own admin path, in registry order. */
export async function applyPolicies(
  ctx: ChainContext,
  policies: PolicySet,
  markets: readonly LendingMarket[],
): Promise<void> {
  for (const protocol of PROTOCOLS) {
    const policy = policies[protocol.policyKey];
    if (policy === undefined) continue;
    await protocol.applyPolicy(
      ctx,
      policy,
      markets.filter((m) => m.protocol === protocol.name),
    );
  }
}
