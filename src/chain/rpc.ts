import type { Provider } from "ethers";

/** Any ethers v6 provider that also speaks raw JSON-RPC (Hardhat's in-process provider, JsonRpcProvider). */
export type RpcProvider = Provider & { send(method: string, params: unknown[]): Promise<unknown> };

export async function rpc<T>(provider: RpcProvider, method: string, params: unknown[] = []): Promise<T> {
  return (await provider.send(method, params)) as T;
}

export function toQuantity(value: bigint | number): string {
  return `0x${BigInt(value).toString(16)}`;
}
