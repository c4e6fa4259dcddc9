/**
 * Ethena's mint/redeem arbitrage, as an actor: in calm markets anyone can mint or redeem USDe at 1 USD, so a pool
 * pushed off the peg by loopers' purchases is arbitraged back. Used between position openings, never during a crash.
 */
import type { Signer } from "ethers";
import { WAD } from "../constants";
import type { ChainContext } from "../chain/context";
import { deal } from "../chain/cheats";
import type { UniswapV3Dex } from "../dex/uniswap-v3";
import type { TokenSymbol } from "../domain/tokens";
import { actorAddress, actorSigner } from "./accounts";
import type { Actor, Exposure } from "./actor";

/** Stablecoins paired with USDe whose pools are kept at 1:1. */
const USDE_PAIRS: readonly TokenSymbol[] = ["USDC", "USDT", "DAI"];

/** A pool price within this many WAD of 1 counts as at peg (one basis point). */
export const PEG_TOLERANCE_WAD = WAD / 10_000n;

export class PegArbitrageur implements Actor {
  readonly name = "peg-arbitrageur";
  readonly movesPrice = true;
  private signer?: Signer;
  readonly account: string;

  constructor(
    private readonly ctx: ChainContext,
    private readonly dex: UniswapV3Dex,
    scenario: string,
  ) {
    this.account = actorAddress(scenario, "peg-arbitrageur");
  }

  /** Minting and redeeming stop being a safe arbitrage in a crash: it acts between openings only (`restore`). */
  async react(): Promise<undefined> {
    return undefined;
  }

  /** It holds no loans. */
  candidates(): Exposure[] {
    return [];
  }

  /** Brings every USDe/stablecoin pool back to 1.0000. */
  async restore(): Promise<void> {
    this.signer ??= await actorSigner(this.ctx, this.account);
    for (const stable of USDE_PAIRS) {
      if (!this.dex.poolFor("USDe", stable)) continue;
      const price = await this.dex.price("USDe", stable);
      // Within a basis point is at peg.
      if (price > WAD - PEG_TOLERANCE_WAD && price < WAD + PEG_TOLERANCE_WAD) continue;
      const budget = 1_000_000_000n;
      await deal(this.ctx, "USDe", this.signer, budget * WAD);
      await deal(this.ctx, stable, this.signer, budget * 10n ** BigInt(this.ctx.record.tokens[stable]!.decimals));
      await this.dex.moveToPrice(
        this.signer,
        "USDe",
        stable,
        WAD,
        price > WAD ? budget * WAD : budget * 10n ** BigInt(this.ctx.record.tokens[stable]!.decimals),
      );
    }
  }
}
