/**
 * Ethena's minting contract on the embedded chain: our stand-in (contracts/ethena/EthenaMintingStandIn.sol), given
 * USDe's minter role and a stablecoin reserve to pay redemptions from. Deployed last, so no earlier address moves.
 */
import type { Signer } from "ethers";
import { EthenaMintingStandIn__factory, StandInERC20__factory } from "../../typechain-types";
import { WAD } from "../constants";
import type { EthenaRecord, TokenRecord } from "../chain/deployments";
import type { RpcProvider } from "../chain/rpc";
import { sendTx } from "../chain/tx";
import type { TokenSymbol } from "../domain/tokens";
import type { EmbeddedParams } from "./params";
import { deployContract } from "./steps";

/** EthenaMinting's TokenType.STABLE. */
const STABLE = 0;

export async function deployEthenaMinting(
  provider: RpcProvider,
  deployer: Signer,
  params: EmbeddedParams,
  tokens: Partial<Record<TokenSymbol, TokenRecord>>,
): Promise<EthenaRecord> {
  const p = params.ethena;
  const me = await deployer.getAddress();
  const usde = StandInERC20__factory.connect(tokens.USDe!.address, deployer);
  const minting = await deployContract(provider, "EthenaMintingStandIn", new EthenaMintingStandIn__factory(deployer), [
    tokens.USDe!.address,
    p.assets.map((a) => tokens[a.asset]!.address),
    p.assets.map((a) => ({
      tokenType: STABLE,
      isActive: true,
      maxMintPerBlock: a.maxMintPerBlock * WAD,
      maxRedeemPerBlock: a.maxRedeemPerBlock * WAD,
    })),
    { globalMaxMintPerBlock: p.globalMaxMintPerBlock * WAD, globalMaxRedeemPerBlock: p.globalMaxRedeemPerBlock * WAD },
    p.feeBps,
    me,
  ]);
  await sendTx(provider, "ethena: USDe MINTER_ROLE to the minting contract", async () =>
    usde.grantRole(await usde.MINTER_ROLE(), minting.address),
  );
  for (const a of p.assets) {
    const t = tokens[a.asset]!;
    await sendTx(provider, `ethena: ${a.asset} reserve`, () =>
      StandInERC20__factory.connect(t.address, deployer).mint(minting.address, a.reserve * 10n ** BigInt(t.decimals)),
    );
  }
  return { minting: minting.address };
}
