/**
 * Curve stable-swap pools of the embedded chain: Curve's own Vyper bytecode (the early StableSwap template and its LP
 * token, compiled, from @setprotocol/set-protocol-v2), deployed as-is and seeded with equal depth in every coin.
 */
import { Contract, MaxUint256, Signer } from "ethers";
import { factoryFor, loadNpmArtifact } from "../chain/artifacts";
import type { CurvePoolRecord, TokenRecord } from "../chain/deployments";
import type { RpcProvider } from "../chain/rpc";
import { sendTx } from "../chain/tx";
import type { EmbeddedParams } from "./params";
import type { TokenSymbol } from "../domain/tokens";
import { deployContract, fund } from "./steps";

const POOL_ARTIFACT = "Stableswap.json";
const LP_ARTIFACT = "CurvePoolERC20.json";

export async function deployCurvePools(
  provider: RpcProvider,
  deployer: Signer,
  params: EmbeddedParams,
  tokens: Partial<Record<TokenSymbol, TokenRecord>>,
): Promise<Record<string, CurvePoolRecord>> {
  const pools: Record<string, CurvePoolRecord> = {};
  for (const p of params.curve.pools) {
    const at = `curve.pools[${p.key}]`;
    const lp = await deployContract(
      provider,
      `${at} LP token`,
      factoryFor(loadNpmArtifact("curve", LP_ARTIFACT), deployer),
      [`Curve.fi ${p.key}`, `crv${p.coins[0]}`, 18, 0],
    );
    const coins = p.coins.map((c) => tokens[c]!.address);
    // Lending is off for every coin in this template: the "underlying" coins are the coins themselves.
    const pool = await deployContract(
      provider,
      `${at} pool`,
      factoryFor(loadNpmArtifact("curve", POOL_ARTIFACT), deployer),
      [coins, coins, lp.address, p.amplification, p.feeE10],
    );
    await sendTx(provider, `${at}: LP set_minter`, () =>
      (lp as unknown as Contract).getFunction("set_minter")(pool.address),
    );
    const amounts = p.coins.map((c) => p.depthPerCoin * 10n ** BigInt(tokens[c]!.decimals));
    for (const [i, c] of p.coins.entries()) {
      await fund(provider, deployer, tokens, c, amounts[i]);
      const erc20 = new Contract(coins[i], ["function approve(address,uint256) returns (bool)"], deployer);
      await sendTx(provider, `${at}: approve ${c}`, () => erc20.getFunction("approve")(pool.address, MaxUint256));
    }
    await sendTx(provider, `${at}: add_liquidity`, () =>
      (pool as unknown as Contract).getFunction("add_liquidity")(amounts, 0n),
    );
    pools[p.key] = { address: pool.address, coins: [...p.coins] };
  }
  return pools;
}
