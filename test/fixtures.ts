/** Shared fixtures: the embedded chain is deployed once per run and restored by snapshot (loadFixture). */
import hre from "hardhat";
import { loadFixture } from "@nomicfoundation/hardhat-network-helpers";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import { deployEmbedded, EmbeddedDeployment } from "../src/embedded/deploy";
import { deployCurvePools } from "../src/embedded/curve";
import type { Signer } from "ethers";
import { ChainContext, chainContext } from "../src/chain/context";
import { deal } from "../src/chain/cheats";
import { applyAavePolicy } from "../src/protocols/aave-v3";
import type { AaveV3Market } from "../src/protocols/aave-v3";
import { openMarket } from "../src/protocols/registry";
import { EMBEDDED_CURVE_USDE_POOL, EmbeddedParams, defaultEmbeddedParams } from "../src/embedded/params";

export interface EmbeddedFixture extends EmbeddedDeployment {
  ctx: ChainContext;
  deployer: HardhatEthersSigner;
  /** Accounts 1..19, free for tests (users, liquidators). */
  users: HardhatEthersSigner[];
}

/** The embedded chain deployed with the default parameters, changed by `configure` first. */
async function embeddedChainWith(configure: (p: EmbeddedParams) => void): Promise<EmbeddedFixture> {
  const [deployer, ...users] = await hre.ethers.getSigners();
  const params = defaultEmbeddedParams();
  configure(params);
  const deployment = await deployEmbedded(deployer, hre.ethers.provider, { params });
  return { ...deployment, ctx: chainContext(hre.ethers.provider, deployment.record, deployer), deployer, users };
}

// loadFixture keys its snapshots by function: one named function per chain.
const embeddedChain = () => embeddedChainWith(() => undefined);
const embeddedOriginChain = () => embeddedChainWith((p) => (p.aave.release = "origin-v3.6"));
const embeddedV30Chain = () => embeddedChainWith((p) => (p.aave.release = "v3.0"));
const embeddedCurveChain = () => embeddedChainWith((p) => (p.curve.pools = [EMBEDDED_CURVE_USDE_POOL]));

/** The embedded chain with the default parameters (Aave's origin line, mainnet's logic). */
export function loadEmbedded(): Promise<EmbeddedFixture> {
  return loadFixture(embeddedChain);
}

/** The chain with Aave's origin line (v3.6, Pool revision 10), named as such: what mainnet runs since v3.3. */
export function loadEmbeddedOrigin(): Promise<EmbeddedFixture> {
  return loadFixture(embeddedOriginChain);
}

/** The same chain with Aave v3.0 (@aave/core-v3, Pool revision 1), for comparison with the origin line. */
export function loadEmbeddedV30(): Promise<EmbeddedFixture> {
  return loadFixture(embeddedV30Chain);
}

/** The embedded chain plus a Curve stable-swap pool (Curve's own Vyper bytecode): USDe/USDC/USDT/DAI. */
export function loadEmbeddedCurve(): Promise<EmbeddedFixture> {
  return loadFixture(embeddedCurveChain);
}

/**
 * A cascade's chain: the default chain plus the Curve USDe pool deployed on top of it, as `embeddedParamsFor` deploys
 * it (Curve last). Built from loadEmbedded()'s snapshot, so its addresses do not depend on which fixtures ran before.
 */
async function cascadeChain(): Promise<EmbeddedFixture> {
  const base = await loadEmbedded();
  const params: EmbeddedParams = { ...base.params, curve: { pools: [EMBEDDED_CURVE_USDE_POOL] } };
  const pools = await deployCurvePools(hre.ethers.provider, base.deployer, params, base.record.tokens);
  const record = { ...base.record, curve: { pools } };
  return { ...base, params, record, ctx: chainContext(hre.ethers.provider, record, base.deployer) };
}

/** The chain cascades run on (the default chain and the Curve pool), at the same addresses in every test order. */
export function loadCascadeChain(): Promise<EmbeddedFixture> {
  return loadFixture(cascadeChain);
}

/** The small depeg scenario the scenario and report tests run: an Aave and a Morpho loop, a ramp to 0.65, two policy sets. */
export function smallDepegInput(name: string, patch: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name,
    loops: [
      { market: "aave-v3:USDe/USDC:emode-2", initialAmount: "100000", rounds: 5, targetLtv: "0.80" },
      { market: "morpho-blue:USDe/DAI-91.5", initialAmount: "50000", rounds: 4, targetLtv: "0.88" },
    ],
    path: { feed: "USDe/USD", ramp: { from: "1.00", to: "0.65", blocks: 16, points: 8 } },
    policies: [
      { aave: "market", morpho: "market" },
      { aave: "pegged-to-USDT", morpho: "exchange-rate" },
    ],
    ...patch,
  };
}

/** A one-group cascade scenario (parsing tests only: it is never run): `market` loops of 1,000 USDe, one path point. */
export function smallCascadeInput(
  name: string,
  market: string,
  patch: Record<string, unknown> = {},
): Record<string, unknown> {
  return {
    name,
    population: {
      seed: 1,
      groups: [
        {
          market,
          count: 1,
          size: { dist: "fixed", value: "1000" },
          ltv: { dist: "fixed", value: "0.8" },
          rounds: { dist: "fixed", value: "2" },
        },
      ],
    },
    path: { points: [{ blocks: 1, usde: "0.9" }] },
    policies: [{ aave: "market", morpho: "market" }],
    ...patch,
  };
}

/**
 * A borrower on Aave E-mode USDe/USDC with the USDe oracle on the market feed (policy "market"): `collateralWad`
 * USDe supplied, `debtRaw` USDC borrowed.
 */
export async function aaveUsdeBorrower(
  ctx: ChainContext,
  user: Signer,
  collateralWad: bigint,
  debtRaw: bigint,
): Promise<AaveV3Market> {
  await applyAavePolicy(ctx, "market");
  const market = openMarket(ctx, "aave-v3:USDe/USDC:emode-2") as AaveV3Market;
  await deal(ctx, "USDe", user, collateralWad);
  await market.prepare(user);
  await market.supplyCollateral(user, collateralWad);
  await market.borrow(user, debtRaw);
  return market;
}
