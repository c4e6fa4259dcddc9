// PLACEHOLDER until branch issue11-a merges (replaced by its implementation).
import type { Signer } from "ethers";
export interface EthenaMinting {
  readonly address: string;
  whitelist(account: string): Promise<void>;
  redeemableNowRaw(asset: "USDC" | "USDT"): Promise<bigint>;
  feeBps(): Promise<bigint>;
  redeem(
    redeemer: Signer,
    asset: "USDC" | "USDT",
    usdeRaw: bigint,
  ): Promise<{ usdeRaw: bigint; receivedRaw: bigint; feeRaw: bigint; txHash: string; gasCostWei: bigint }>;
}
import type { ChainContext } from "../chain/context";
export function openEthenaMinting(ctx: ChainContext): EthenaMinting {
  throw new Error(`placeholder ${ctx.record.profile}`);
}
