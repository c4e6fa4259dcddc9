/**
 * The harness never sends a transaction to a live network: before changing state it asks the node whether it is
 * a local development node (Hardhat answers hardhat_metadata, anvil answers anvil_nodeInfo). A node that answers
 * neither is refused, and nothing is sent.
 */
import type { RpcProvider } from "./rpc";

export type DevNodeKind = "hardhat" | "anvil";

export class UnsafeNodeError extends Error {
  constructor(detail: string) {
    super(
      `refusing to change state: the node is not a local development node (${detail}). loopstress only manipulates in-process Hardhat, a local fork, or anvil.`,
    );
    this.name = "UnsafeNodeError";
  }
}

const verified = new WeakMap<object, DevNodeKind>();

async function detectDevNode(provider: RpcProvider): Promise<DevNodeKind | undefined> {
  try {
    await provider.send("hardhat_metadata", []);
    return "hardhat";
  } catch {
    // not Hardhat
  }
  try {
    await provider.send("anvil_nodeInfo", []);
    return "anvil";
  } catch {
    return undefined;
  }
}

export async function assertLocalDevNode(provider: RpcProvider): Promise<DevNodeKind> {
  const hit = verified.get(provider);
  if (hit) return hit;
  const kind = await detectDevNode(provider);
  if (!kind) {
    const { chainId } = await provider.getNetwork().catch(() => ({ chainId: -1n }));
    throw new UnsafeNodeError(`chain id ${chainId} answers neither hardhat_metadata nor anvil_nodeInfo`);
  }
  verified.set(provider, kind);
  return kind;
}
