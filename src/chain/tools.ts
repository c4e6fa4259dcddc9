/**
 * Our Solidity tools (LeverageLooper, FlashLiquidator) are not part of a chain profile: the harness deploys them on
 * whatever chain it runs (embedded or fork) when first needed, and again if a snapshot revert removed them.
 */
import type { Signer } from "ethers";
import { FlashLiquidator, FlashLiquidator__factory, LeverageLooper, LeverageLooper__factory, PositionLens, PositionLens__factory } from "../../typechain-types";
import type { ChainContext } from "./context";
import { scheduleNextBlock } from "./clock";
import { assertLocalDevNode } from "./safety";

const deployed = new Map<string, string>();

async function hasCode(ctx: ChainContext, address: string | undefined): Promise<boolean> {
  return address !== undefined && (await ctx.provider.getCode(address)) !== "0x";
}

/** The PositionLens of this chain (batched position reads). */
export async function positionLens(ctx: ChainContext): Promise<PositionLens> {
  const key = `${ctx.record.profile}:lens`;
  let address = deployed.get(key);
  if (!(await hasCode(ctx, address))) {
    await assertLocalDevNode(ctx.provider);
    await scheduleNextBlock(ctx.provider);
    const c = await new PositionLens__factory(ctx.admin).deploy();
    await c.waitForDeployment();
    address = await c.getAddress();
    deployed.set(key, address);
  }
  return PositionLens__factory.connect(address!, ctx.provider);
}

/** The LeverageLooper of this chain (one for all users: it only ever acts for msg.sender). */
export async function leverageLooper(ctx: ChainContext): Promise<LeverageLooper> {
  const key = `${ctx.record.profile}:looper`;
  let address = deployed.get(key);
  if (!(await hasCode(ctx, address))) {
    await assertLocalDevNode(ctx.provider);
    await scheduleNextBlock(ctx.provider);
    const c = await new LeverageLooper__factory(ctx.admin).deploy(ctx.record.aave.pool, ctx.record.morpho.morpho, ctx.record.uniswap.swapRouter);
    await c.waitForDeployment();
    address = await c.getAddress();
    deployed.set(key, address);
  }
  return LeverageLooper__factory.connect(address!, ctx.provider);
}

/** A FlashLiquidator owned by `owner` (profits go to it), connected as the owner. */
export async function flashLiquidator(ctx: ChainContext, owner: Signer): Promise<FlashLiquidator> {
  const me = await owner.getAddress();
  const key = `${ctx.record.profile}:liquidator:${me.toLowerCase()}`;
  let address = deployed.get(key);
  if (!(await hasCode(ctx, address))) {
    await assertLocalDevNode(ctx.provider);
    await scheduleNextBlock(ctx.provider);
    const c = await new FlashLiquidator__factory(owner).deploy(ctx.record.aave.pool, ctx.record.morpho.morpho, ctx.record.uniswap.swapRouter, me);
    await c.waitForDeployment();
    address = await c.getAddress();
    deployed.set(key, address);
  }
  return FlashLiquidator__factory.connect(address!, owner);
}
