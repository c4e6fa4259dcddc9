/**
 * What a block costs as the chain's state grows: on a fresh node of the backend (BENCH_BACKEND), the mean time of a
 * plain ether transfer (one transaction, one block), then again after SLOTS storage slots have been written into one
 * account. An unforked anvil 1.7.1 rebuilds its whole state trie at every block, so its blocks cost more the more state
 * the chain holds; the session's anvil is a fork keeping no past state (src/chain/anvil.ts), whose blocks should cost
 * the same on both. Writes its figures to BENCH_OUT; never asserts anything.
 */
import fs from "fs";
import os from "os";
import path from "path";
import hre from "hardhat";
import { toBeHex, zeroPadValue } from "ethers";
import { rpc, toQuantity } from "../src/chain/rpc";

/** Transfers timed at each state size (each mined in a block of its own). */
const TRANSFERS = 50;
/** Storage slots added between the two timings (a position on the protocols holds a few tens of them). */
const SLOTS = 20_000;
/** The account the slots are written into: no contract, no key; only its storage matters. */
const FILLED_ACCOUNT = "0x00000000000000000000000000000000000b10c5";

export interface BlockCostFigures {
  backend: string;
  transfers: number;
  freshTransferMs: number;
  slotsAdded: number;
  filledTransferMs: number;
}

async function main(): Promise<void> {
  const out = process.env.BENCH_OUT ?? path.join(os.tmpdir(), "loopstress-bench-block-cost.json");
  const { openTaskChain } = await import("../tasks/session");
  const chain = await openTaskChain(hre, process.env.BENCH_BACKEND);
  try {
    const [from, to] = chain.signers;
    const meanTransferMs = async (): Promise<number> => {
      const t0 = performance.now();
      for (let i = 0; i < TRANSFERS; i++)
        await (await from.sendTransaction({ to: await to.getAddress(), value: 1n })).wait();
      return Math.round(((performance.now() - t0) / TRANSFERS) * 100) / 100;
    };
    const freshTransferMs = await meanTransferMs();
    const one = zeroPadValue(toBeHex(1), 32);
    for (let i = 1; i <= SLOTS; i++)
      await rpc(chain.provider, "hardhat_setStorageAt", [FILLED_ACCOUNT, toQuantity(i), one]);
    const filledTransferMs = await meanTransferMs();
    const figures: BlockCostFigures = {
      backend: chain.backend,
      transfers: TRANSFERS,
      freshTransferMs,
      slotsAdded: SLOTS,
      filledTransferMs,
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
