/**
 * Where each backend spends its time, in two reads: a token balance (almost no execution: the round trip) and a
 * QuoterV2 quote of a sale ten times the pool's depth (a walk over every tick word to the end of the price range: the
 * execution). Runs on the node the scenario run would (BENCH_BACKEND; --network localhost: LOOPSTRESS_LOCALHOST_URL),
 * on the embedded chain, and writes the median of each read to BENCH_OUT. Never asserts anything.
 */
import fs from "fs";
import os from "os";
import path from "path";
import hre from "hardhat";
import { defaultEmbeddedParams } from "../src/embedded/params";
import { deployEmbeddedContext } from "../src/session/embedded";
import { splitSigners } from "../src/session";
import { UniswapV3Dex } from "../src/dex/uniswap-v3";
import { toBeHex, zeroPadValue } from "ethers";
import { IERC20Metadata__factory } from "../typechain-types";
import { tokenAddress, tokenDecimals } from "../src/chain/context";
import { bindContract } from "../src/chain/bind";
import { HTTP_NODE, IN_PROCESS_NETWORK } from "./labels";

/** Each read is timed this many times (each time on a different amount, so no cache answers it). */
const REPEATS = 7;
/** The drained sale: this many times the pool's whole USDC balance, in USDe. */
const DEPTH_MULTIPLE = 10n;

export interface QuoteFigures {
  backend: string;
  /** Median wall time of one balanceOf eth_call. */
  balanceReadMs: number;
  /** Median wall time of one QuoterV2 quote of a sale past the pool's liquidity (USDe → USDC). */
  drainedQuoteMs: number;
  /** The sale and what the quote answered (the same on every backend: same chain, same code). */
  saleUsdeRaw: string;
  quotedUsdcRaw: string;
}

async function medianMs(f: (i: number) => Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < REPEATS; i++) {
    const t = performance.now();
    await f(i);
    times.push(performance.now() - t);
  }
  times.sort((a, b) => a - b);
  return Math.round(times[Math.floor(times.length / 2)] * 10) / 10;
}

async function main(): Promise<void> {
  const out = process.env.BENCH_OUT ?? path.join(os.tmpdir(), "loopstress-bench-quote.json");
  const inProcess = hre.network.name === IN_PROCESS_NETWORK;
  const { openTaskChain } = await import("../tasks/session");
  const chain = await openTaskChain(hre, inProcess ? process.env.BENCH_BACKEND : undefined);
  try {
    const { deployer } = splitSigners(chain.signers);
    const ctx = await deployEmbeddedContext(chain.provider, deployer, defaultEmbeddedParams());
    const dex = new UniswapV3Dex(ctx);
    const { bRaw: poolUsdcRaw } = await dex.poolBalances("USDe", "USDC");
    const unit = 10n ** BigInt(tokenDecimals(ctx, "USDe") - tokenDecimals(ctx, "USDC"));
    const saleRaw = poolUsdcRaw * unit * DEPTH_MULTIPLE;
    const usdc = bindContract(IERC20Metadata__factory, tokenAddress(ctx, "USDC"), chain.provider);
    // A different account or amount each time: the harness's read cache answers only a repeated request.
    const balanceReadMs = await medianMs((i) => usdc.balanceOf(zeroPadValue(toBeHex(i + 1), 20)));
    let quoted = 0n;
    const drainedQuoteMs = await medianMs(async (i) => {
      quoted = await dex.quoteExactIn("USDe", "USDC", saleRaw + BigInt(i));
    });
    const figures: QuoteFigures = {
      backend: inProcess ? chain.backend : HTTP_NODE,
      balanceReadMs,
      drainedQuoteMs,
      saleUsdeRaw: String(saleRaw),
      quotedUsdcRaw: String(quoted),
    };
    fs.writeFileSync(out, JSON.stringify(figures, null, 2));
  } finally {
    await chain.close();
  }
}

main().catch((e: unknown) => {
  console.error(e);
  process.exitCode = 1;
});
