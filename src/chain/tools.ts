/**
 * Our Solidity tools (LeverageLooper, FlashLiquidator) are not part of a chain profile: the harness deploys them on
 * whatever chain it runs (embedded or fork) when first needed, and again if a snapshot revert removed them.
 */
import type { Signer } from "ethers";
import {
  FlashLiquidator,
  FlashLiquidator__factory,
  LeverageLooper,
  LeverageLooper__factory,
  PositionLens,
  PositionLens__factory,
} from "../../typechain-types";
import type { ChainContext } from "./context";
import type { RpcProvider } from "./rpc";
import { scheduleNextBlock } from "./clock";
import { assertLocalDevNode } from "./safety";
import { bindContract } from "./bind";
import { chunk } from "./upstream/batching";

/**
 * Where each tool was deployed, and the runtime code it had there: per chain connection (a provider), never per
 * process, so that a second chain in one process (a fork after the embedded chain) starts with none.
 */
const deployedByChain = new WeakMap<RpcProvider, Map<string, { address: string; code: string }>>();

/**
 * Deploys a tool once per chain; again if a snapshot revert removed it — or if its address now holds something
 * else (after a revert, the same deployer nonce can put another contract at that address). The key names the
 * protocol addresses the tool is built for: two deployments on one chain (e.g. test fixtures) get a tool each.
 */
async function ensureTool(
  ctx: ChainContext,
  key: string,
  deploy: () => Promise<{ getAddress(): Promise<string>; waitForDeployment(): Promise<unknown> }>,
): Promise<string> {
  let deployed = deployedByChain.get(ctx.provider);
  if (deployed === undefined) deployedByChain.set(ctx.provider, (deployed = new Map()));
  const known = deployed.get(key);
  if (known !== undefined && (await ctx.provider.getCode(known.address)) === known.code) return known.address;
  await assertLocalDevNode(ctx.provider);
  await scheduleNextBlock(ctx.provider);
  const c = await deploy();
  await c.waitForDeployment();
  const address = await c.getAddress();
  deployed.set(key, { address, code: await ctx.provider.getCode(address) });
  return address;
}

/** The protocol addresses a looper or liquidator is constructed with. */
const bindings = (ctx: ChainContext): string =>
  [ctx.record.aave.pool, ctx.record.morpho.morpho, ctx.record.uniswap.swapRouter].join(":").toLowerCase();

/** The PositionLens of this chain (batched position reads). */
export async function positionLens(ctx: ChainContext): Promise<PositionLens> {
  const address = await ensureTool(ctx, `${ctx.record.profile}:lens`, () =>
    new PositionLens__factory(ctx.admin).deploy(),
  );
  return bindContract(PositionLens__factory, address, ctx.provider);
}

/**
 * Accounts per lens call. An eth_call may spend at most a block's gas (60M on the dev chain), and Aave's account data
 * for 2,637 accounts in one call ran out of it (reverted with no data, in a copy of the canonical scenario scaled to
 * 10,000 positions): longer lists are read in calls of this many, asked together.
 */
export const LENS_ACCOUNTS_PER_CALL = 1_000;

/** `read` over `accounts` in calls of at most LENS_ACCOUNTS_PER_CALL accounts; the answers in the accounts' order. */
export async function inLensCalls<T>(
  accounts: readonly string[],
  read: (chunk: string[]) => Promise<readonly T[]>,
): Promise<T[]> {
  const out: T[] = [];
  for (const answer of await Promise.all(chunk(accounts, LENS_ACCOUNTS_PER_CALL).map(read))) out.push(...answer);
  return out;
}

/** The LeverageLooper of this chain (one for all users: it only ever acts for msg.sender). */
export async function leverageLooper(ctx: ChainContext): Promise<LeverageLooper> {
  const { pool } = ctx.record.aave;
  const address = await ensureTool(ctx, `${ctx.record.profile}:looper:${bindings(ctx)}`, () =>
    new LeverageLooper__factory(ctx.admin).deploy(pool, ctx.record.morpho.morpho, ctx.record.uniswap.swapRouter),
  );
  return bindContract(LeverageLooper__factory, address, ctx.provider);
}

/** A FlashLiquidator owned by `owner` (profits go to it), connected as the owner. */
export async function flashLiquidator(ctx: ChainContext, owner: Signer): Promise<FlashLiquidator> {
  const me = await owner.getAddress();
  const address = await ensureTool(ctx, `${ctx.record.profile}:liquidator:${me.toLowerCase()}:${bindings(ctx)}`, () =>
    new FlashLiquidator__factory(owner).deploy(
      ctx.record.aave.pool,
      ctx.record.morpho.morpho,
      ctx.record.uniswap.swapRouter,
      me,
    ),
  );
  return bindContract(FlashLiquidator__factory, address, owner);
}
