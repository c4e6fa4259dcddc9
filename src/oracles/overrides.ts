/**
 * Oracle overrides at existing addresses, for chains whose feeds are not ours (a fork): our override code is put AT
 * the feed's (or Morpho oracle's) address with hardhat_setCode, and its answer written into hashed storage slots with
 * hardhat_setStorageAt — no transaction, no admin, every reader of the address sees it. Snapshots undo both.
 */
import fs from "fs";
import path from "path";
import { keccak256, toUtf8Bytes, zeroPadValue, toBeHex } from "ethers";
import type { ChainContext } from "../chain/context";
import { latestBlock } from "../chain/clock";
import { rpc } from "../chain/rpc";
import { assertLocalDevNode } from "../chain/safety";
import { InputError } from "../errors";

const slot = (name: string) => keccak256(toUtf8Bytes(name));
export const OVERRIDE_SLOTS = {
  answer: slot("loopstress.override.answer"),
  updatedAt: slot("loopstress.override.updatedAt"),
  round: slot("loopstress.override.round"),
  decimals: slot("loopstress.override.decimals"),
  morphoPrice: slot("loopstress.override.morphoPrice"),
} as const;

const word = (v: bigint) => zeroPadValue(toBeHex(v), 32);

async function setWord(ctx: ChainContext, address: string, key: string, value: bigint): Promise<void> {
  await rpc(ctx.provider, "hardhat_setStorageAt", [address, key, word(value)]);
}

async function putCode(ctx: ChainContext, address: string, runtime: string): Promise<void> {
  if ((await ctx.provider.getCode(address)) !== runtime) await rpc(ctx.provider, "hardhat_setCode", [address, runtime]);
}

/**
 * Makes the feed at `feedAddress` answer `answer` (in `decimals`, 8 for USD feeds) from now on: the address keeps
 * working for every consumer, with a fresh round and timestamp at each call.
 */
export async function overrideFeedAt(ctx: ChainContext, feedAddress: string, answer: bigint, decimals = 8): Promise<void> {
  if (answer <= 0n) throw new InputError("price", `must be > 0, got ${answer}`, "protocols fall back or revert on prices <= 0");
  await assertLocalDevNode(ctx.provider);
  await putCode(ctx, feedAddress, runtimeOf("OverrideAggregator"));
  const round = BigInt(await ctx.provider.getStorage(feedAddress, OVERRIDE_SLOTS.round)) + 1n;
  await setWord(ctx, feedAddress, OVERRIDE_SLOTS.decimals, BigInt(decimals));
  await setWord(ctx, feedAddress, OVERRIDE_SLOTS.answer, answer);
  await setWord(ctx, feedAddress, OVERRIDE_SLOTS.updatedAt, (await latestBlock(ctx.provider)).timestamp);
  await setWord(ctx, feedAddress, OVERRIDE_SLOTS.round, round);
}

/** Makes the Morpho oracle at `oracleAddress` return `price` (Morpho's 1e36 scale: loan raw per collateral raw). */
export async function overrideMorphoOracleAt(ctx: ChainContext, oracleAddress: string, price: bigint): Promise<void> {
  if (price <= 0n) throw new InputError("price", `must be > 0, got ${price}`);
  await assertLocalDevNode(ctx.provider);
  await putCode(ctx, oracleAddress, runtimeOf("OverrideMorphoOracle"));
  await setWord(ctx, oracleAddress, OVERRIDE_SLOTS.morphoPrice, price);
}

/** The runtime code of our override contracts (no immutables: the compiled runtime is what runs at the address). */
function runtimeOf(name: "OverrideAggregator" | "OverrideMorphoOracle"): string {
  const file = path.join(__dirname, "..", "..", "artifacts", "contracts", "oracles", `${name}.sol`, `${name}.json`);
  return (JSON.parse(fs.readFileSync(file, "utf8")) as { deployedBytecode: string }).deployedBytecode;
}
