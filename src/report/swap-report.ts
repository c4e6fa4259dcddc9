/** One sale on a DEX, as the `swap` task prints it: every number read from the pool or the token balances. */
import type { ChainContext } from "../chain/context";
import { tokenDecimals } from "../chain/context";
import type { SwapResult } from "../dex/dex";
import { fmtBps, fmtUnits, table } from "../domain/format";

export function swapMarkdown(
  ctx: ChainContext,
  venue: string,
  r: SwapResult,
  quotedRaw: bigint,
  impactBps: bigint,
): string {
  const inDec = tokenDecimals(ctx, r.tokenIn);
  const outDec = tokenDecimals(ctx, r.tokenOut);
  const average = (r.amountOutRaw * 10n ** 18n * 10n ** BigInt(inDec)) / (r.amountInRaw * 10n ** BigInt(outDec));
  return [
    `# Sale of ${fmtUnits(r.amountInRaw, inDec)} ${r.tokenIn} for ${r.tokenOut} on ${venue} (pool ${r.pool}, block ${r.receipt.blockNumber})`,
    "",
    table(
      [
        "quoted",
        "received",
        "average price",
        "pool price before",
        "pool price after",
        "price impact (fee included)",
        "gas",
      ],
      [
        [
          `${fmtUnits(quotedRaw, outDec)} ${r.tokenOut}`,
          `${fmtUnits(r.amountOutRaw, outDec)} ${r.tokenOut}`,
          fmtUnits(average, 18, 6),
          fmtUnits(r.priceBeforeWad, 18, 6),
          fmtUnits(r.priceAfterWad, 18, 6),
          fmtBps(impactBps),
          r.receipt.gasUsed.toString(),
        ],
      ],
    ),
  ].join("\n");
}
