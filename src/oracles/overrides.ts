/**
 * Oracle overrides at existing addresses, for chains whose feeds are not ours (a fork): our override code is put AT
 * the feed's (or Morpho oracle's) address with hardhat_setCode, and its answer written into hashed storage slots with
 * hardhat_setStorageAt — no transaction, no admin, every reader of the address sees it. Snapshots undo both.
 */
import fs from "fs";
import path from "path";
import { ZeroAddress, keccak256, toUtf8Bytes, zeroPadValue, toBeHex } from "ethers";
import { FeedMorphoOracle__factory } from "../../typechain-types";
import { tokenDecimals } from "../chain/context";
import { scheduleNextBlock } from "../chain/clock";
import type { TokenSymbol } from "../domain/tokens";
import type { ChainContext } from "../chain/context";
import { latestBlock } from "../chain/clock";
import { rpc } from "../chain/rpc";
import { assertLocalDevNode } from "../chain/safety";
import { InputError } from "../errors";

const slot = (name: string) => keccak256(toUtf8Bytes(name));
const OVERRIDE_SLOTS = {
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
export async function overrideFeedAt(
  ctx: ChainContext,
  feedAddress: string,
  answer: bigint,
  decimals = 8,
): Promise<void> {
  if (answer <= 0n)
    throw new InputError("price", `must be > 0, got ${answer}`, "protocols fall back or revert on prices <= 0");
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

/**
 * Puts our configurable FeedMorphoOracle (owned by the context's admin) at `oracleAddress`: a fresh one is deployed
 * with the market's decimals, then its runtime code and its storage are copied to that address (real Morpho oracles
 * keep everything in immutables, so nothing of theirs is overwritten but the code). Configure it with
 * applyMorphoPolicy afterwards.
 */
export async function replaceMorphoOracle(
  ctx: ChainContext,
  oracleAddress: string,
  collateral: TokenSymbol,
  loan: TokenSymbol,
): Promise<void> {
  await assertLocalDevNode(ctx.provider);
  const none = { baseVault: ZeroAddress, baseVaultConversionSample: 1n, baseFeed: ZeroAddress, quoteFeed: ZeroAddress };
  await scheduleNextBlock(ctx.provider);
  const fresh = await new FeedMorphoOracle__factory(ctx.admin).deploy(
    tokenDecimals(ctx, collateral),
    tokenDecimals(ctx, loan),
    none,
    await ctx.admin.getAddress(),
  );
  await fresh.waitForDeployment();
  const from = await fresh.getAddress();
  await rpc(ctx.provider, "hardhat_setCode", [oracleAddress, await ctx.provider.getCode(from)]);
  // FeedMorphoOracle's storage: owner, the 4-word config, scaleFactor (slots 0..5).
  for (let i = 0n; i < 6n; i++) {
    const key = toBeHex(i, 32);
    await rpc(ctx.provider, "hardhat_setStorageAt", [oracleAddress, key, await ctx.provider.getStorage(from, i)]);
  }
}

/** The runtime code of our override contracts (no immutables: the compiled runtime is what runs at the address). */
function runtimeOf(name: "OverrideAggregator" | "OverrideMorphoOracle"): string {
  const file = path.join(__dirname, "..", "..", "artifacts", "contracts", "oracles", `${name}.sol`, `${name}.json`);
  return (JSON.parse(fs.readFileSync(file, "utf8")) as { deployedBytecode: string }).deployedBytecode;
}
