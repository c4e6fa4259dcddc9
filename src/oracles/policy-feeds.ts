/**
 * The feeds the oracle policies choose between that a chain does not have by itself: a fixed 1 USD feed, a frozen
 * sUSDe price, and sUSDe = ERC-4626 rate x (USDT/USD | USDe/USD | 1). Deployed by the embedded chain and, on a fork,
 * next to the real feeds.
 */
import type { BaseContract, ContractFactory, Signer } from "ethers";
import { IERC4626__factory, SettableAggregator__factory, VaultRateAggregator__factory } from "../../typechain-types";
import { WAD } from "../constants";
import { scheduleNextBlock } from "../chain/clock";
import type { RpcProvider } from "../chain/rpc";
import { ORACLE_FEEDS } from "./policy";
import { bindContract } from "../chain/bind";

async function deploy(provider: RpcProvider, factory: ContractFactory, args: unknown[]): Promise<string> {
  await scheduleNextBlock(provider);
  const c: BaseContract = await factory.deploy(...args);
  await c.waitForDeployment();
  return c.getAddress();
}

/** Deploys the policy feeds (owned by `deployer`) given the chain's USD feeds; returns them by name. */
export async function deployPolicyFeeds(
  provider: RpcProvider,
  deployer: Signer,
  susde: string | undefined,
  feeds: Record<string, string>,
): Promise<Record<string, string>> {
  const me = await deployer.getAddress();
  const out: Record<string, string> = {};
  out[ORACLE_FEEDS.fixedUsd] = await deploy(provider, new SettableAggregator__factory(deployer), [
    8,
    ORACLE_FEEDS.fixedUsd,
    100_000_000n,
    me,
  ]);
  if (susde) {
    const rateE8 = (await bindContract(IERC4626__factory, susde, provider).convertToAssets(WAD)) / 10n ** 10n;
    out[ORACLE_FEEDS.susdeFixed] = await deploy(provider, new SettableAggregator__factory(deployer), [
      8,
      ORACLE_FEEDS.susdeFixed,
      rateE8,
      me,
    ]);
    for (const [name, underlying] of [
      [ORACLE_FEEDS.susdeViaUsdt, feeds["USDT/USD"]],
      [ORACLE_FEEDS.susdeViaUsde, feeds["USDe/USD"]],
      [ORACLE_FEEDS.susdeRateOnly, out[ORACLE_FEEDS.fixedUsd]],
    ] as const) {
      out[name] = await deploy(provider, new VaultRateAggregator__factory(deployer), [susde, underlying]);
    }
  }
  return out;
}
