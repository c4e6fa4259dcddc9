/**
 * The two-layer whale of 10 Oct 2025: a volatile collateral (WETH) on Aave → borrow USDC → a leveraged USDe/sUSDe
 * loop on Morpho. When the volatile asset falls and its Aave health factor nears 1, it unwinds the loop by selling
 * its (s)USDe for USDC on the DEX — the sales that depeg USDe where liquidity is thin.
 */
import type { Signer } from "ethers";
import { MaxUint256 } from "ethers";
import { WAD } from "../constants";
import { IERC20Metadata__factory } from "../../typechain-types";
import { tokenAddress } from "../chain/context";
import type { ChainContext } from "../chain/context";
import { deal } from "../chain/cheats";
import type { UniswapV3Dex } from "../dex/uniswap-v3";
import type { Dex } from "../dex/dex";
import { parseUnitsExact } from "../math/fixed-point";
import { openMarket } from "../protocols/registry";
import type { LendingMarket } from "../protocols/lending-market";
import { runFlashLoop } from "../strategies/flash-loop";
import { unwind } from "../strategies/unwind";
import { actorAddress, actorSigner } from "./accounts";
import type { Actor, Exposure, WhaleUnwindEvent } from "./actor";
import { bindContract } from "../chain/bind";

export type { WhaleUnwindEvent } from "./actor";

export interface WhaleSpec {
  wethCollateral: string;
  aaveLtv: string;
  loop: { market: string; rounds: number; ltv: string };
  unwindBelowHealthFactor: string;
}

export class TwoLayerWhale implements Actor {
  readonly name = "whale";
  /** Its unwind sells (s)USDe on the DEX. */
  readonly movesPrice = true;
  readonly account: string;
  readonly aave: LendingMarket;
  readonly loop: LendingMarket;
  private signer?: Signer;
  unwound = false;

  constructor(
    private readonly ctx: ChainContext,
    private readonly dex: UniswapV3Dex,
    scenario: string,
    readonly spec: WhaleSpec,
    /** Where the unwind sells (default the USDe pools it opened on). */
    private readonly saleDex: Dex = dex,
  ) {
    this.account = actorAddress(scenario, "whale");
    this.aave = openMarket(ctx, "aave-v3:WETH/USDC", "actors.whale");
    this.loop = openMarket(ctx, spec.loop.market, "actors.whale.loop.market");
  }

  private async user(): Promise<Signer> {
    this.signer ??= await actorSigner(this.ctx, this.account);
    return this.signer;
  }

  /** Layer 1: WETH on Aave, borrow USDC. Layer 2: USDC → USDe → a flash-loan loop on Morpho. */
  async open(afterSwap: () => Promise<void> = async () => undefined): Promise<void> {
    const user = await this.user();
    const weth = parseUnitsExact(this.spec.wethCollateral, 18, "actors.whale.wethCollateral");
    await deal(this.ctx, "WETH", user, weth);
    await this.aave.supplyCollateral(user, weth);
    const value = ((await this.aave.collateralPriceWad()) * weth) / WAD; // USDC raw
    const borrow = (value * parseUnitsExact(this.spec.aaveLtv, 18, "actors.whale.aaveLtv")) / WAD;
    await this.aave.borrow(user, borrow);
    const usde = await this.dex.swapExactIn(user, "USDC", "USDe", borrow);
    await afterSwap();
    await runFlashLoop(this.ctx, this.loop, this.dex, user, {
      initialSymbol: "USDe",
      initialRaw: usde.amountOutRaw,
      rounds: this.spec.loop.rounds,
      targetLtvWad: parseUnitsExact(this.spec.loop.ltv, 18, "actors.whale.loop.ltv"),
    });
  }

  /** A new policy run starts from the snapshot, before any unwind. */
  async begin(): Promise<void> {
    this.unwound = false;
  }

  /** Unwinds (once per run) when the Aave health factor is below the trigger. */
  react(): Promise<WhaleUnwindEvent | undefined> {
    return this.maybeUnwind();
  }

  /** Liquidatable on Aave (the WETH layer) and on the loop's market. */
  candidates(): Exposure[] {
    return [
      { account: this.account, label: "whale (Aave)", markets: [this.aave] },
      { account: this.account, label: "whale (Morpho loop)", markets: [this.loop] },
    ];
  }

  /** Unwinds the Morpho loop (and repays Aave with what it raised) once the Aave health factor is below the trigger. */
  async maybeUnwind(): Promise<WhaleUnwindEvent | undefined> {
    if (this.unwound) return undefined;
    const hf = (await this.aave.position(this.account)).healthFactorWad;
    if (hf >= parseUnitsExact(this.spec.unwindBelowHealthFactor, 18, "actors.whale.unwindBelowHealthFactor"))
      return undefined;
    this.unwound = true;
    const user = await this.user();
    const before = await this.dex.price("USDe", "USDC");
    const r = await unwind(this.loop, this.saleDex, user);
    // What the unwind raised repays Aave; any other loan token is sold for USDC first.
    if (this.loop.debt !== "USDC" && r.surplusRaw > 0n)
      await this.saleDex.swapExactIn(user, this.loop.debt, "USDC", r.surplusRaw);
    const usdc = await bindContract(
      IERC20Metadata__factory,
      tokenAddress(this.ctx, "USDC"),
      this.ctx.provider,
    ).balanceOf(this.account);
    const aaveDebt = (await this.aave.position(this.account)).debt[0].amountRaw;
    let repaid = 0n;
    if (usdc > 0n) {
      // Interest accrues until the repay's block: repay "all" only with a margin in hand.
      const all = usdc > aaveDebt + aaveDebt / 10_000n + 1n;
      repaid = all ? aaveDebt : usdc;
      await this.aave.repay(user, all ? MaxUint256 : usdc);
    }
    return {
      actor: "whale",
      account: this.account,
      aaveHealthFactorWad: hf.toString(),
      soldRaw: r.soldRaw.toString(),
      saleVenues: [...new Set(r.steps.map((s) => s.venue))],
      receivedRaw: r.receivedRaw.toString(),
      dexPriceBeforeWad: before.toString(),
      dexPriceAfterWad: (await this.dex.price("USDe", "USDC")).toString(),
      morphoDebtLeftRaw: r.debtLeftRaw.toString(),
      aaveDebtRepaidRaw: repaid.toString(),
    };
  }
}
