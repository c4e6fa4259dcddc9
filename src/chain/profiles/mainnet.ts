/**
 * The Ethereum mainnet chain profile, for fork mode. Aave addresses come from the Aave address book package;
 * everything else is a named constant with its source. Derived data (Morpho market params, Uniswap pool addresses)
 * is read from the fork and checked: a Morpho market id must equal the hash of the params the chain returns.
 */
import { AaveV3Ethereum } from "@bgd-labs/aave-address-book";
import { ZeroAddress } from "ethers";
import { IERC20Metadata__factory, Morpho__factory, UniswapV3Factory__factory } from "../../../typechain-types";
import type { TokenSymbol } from "../../domain/tokens";
import { InputError } from "../../errors";
import { morphoMarketId } from "../../math/morpho-blue";
import type { DeploymentRecord, MorphoMarketRecord, UniswapPoolRecord } from "../deployments";
import type { RpcProvider } from "../rpc";
import { bindContract } from "../bind";

export const MAINNET_CHAIN_ID = 1;

/** A block on 10 Oct 2025 before the crash (~23,549,000; its timestamp is logged when forking). */
export const MAINNET_DEFAULT_FORK_BLOCK = 23_549_000;

/**
 * Ethena (ethena.fi docs, "Key addresses"). The minting contract is EthenaMinting V2, live since 2024-07-08
 * (docs.ethena.fi/solution-design/minting-usde/mint-and-redeem-contract-v2; also in ethena-labs/ethena-minting-client).
 */
const ETHENA = {
  USDe: "0x4c9EDD5852cd905f086C759E8383e09bff1E68B3",
  sUSDe: "0x9D39A5DE30e57443BfF2A8307A4256c8797A3497",
  minting: "0xe3490297a08d6fC8Da46Edb7B6142E4F461b62D3",
} as const;

/** Morpho Blue core (docs.morpho.org, "Addresses"). */
const MORPHO_BLUE = "0xBBBBBbbBBb9cC5e90e3b3Af64bdAF62C37EEFFCb";

/**
 * Morpho Blue USDe / sUSDe markets by id (Morpho's market list, as published in karpatkey/defi-kit's generated
 * Ethereum market table); their params are read from the fork and the id re-derived from them.
 */
const MORPHO_MARKET_IDS: Record<string, string> = {
  "sUSDe/USDC-91.5": "0x85c7f4374f3a403b36d54cc284983b2b02bbd8581ee0f3c36494447b87d9fcab",
  "sUSDe/USDT-91.5": "0xdc5333039bcf15f1237133f74d5806675d83d9cf19cfd4cfdd9be674842651bf",
  "sUSDe/DAI-91.5": "0x1247f1c237eceae0602eab1470a5061a6dd8f734ba88c7cdc5d6109fb0026b28",
  "sUSDe/DAI-86": "0x39d11026eae1c6ec02aa4c0910778664089cdd97c3fd23f68f7cd05e2e95af48",
  "sUSDe/DAI-94.5": "0xe475337d11be1db07f7c5a156e511f05d1844308e66e17d2ba5da0839d3b34d9",
  "USDe/DAI-91.5": "0x8e6aeb10c401de3279ac79b4b2ea15fc94b7d9cfc098d6c2a1ff7b2b26d9d02c",
  "USDe/DAI-86": "0xc581c5f70bd1afa283eed57d1418c6432cbff1d862f94eaf58fdd4e46afbb67f",
  "USDe/DAI-94.5": "0xdb760246f6859780f6c1b272d47a8f64710777121118e56e0cdb4b8b744a3094",
  "USDe/USDT-91.5": "0xcec858380cba2d9ca710fce3ce864d74c3f620d53826f69d08508902e09be86f",
};

/** Chainlink USD feeds (data.chain.link, Ethereum mainnet). */
const CHAINLINK_USD_FEEDS: Record<string, string> = {
  "USDe/USD": "0xa569d910839Ae8865Da8F8e70FfFb0cBA869F961",
  "USDT/USD": "0x3E7d1eAB13ad0104d2750B8863b489D65364e32D",
  "USDC/USD": "0x8fFfFfd4AfB6115b954Bd326cbe7B4BA576818f6",
  "DAI/USD": "0xAed0c38402a5d19df6E4c03F4E2DceD6e29c1ee9",
  "ETH/USD": "0x5f4eC3Df9cbd43714FE2740f5E3616155c5b8419",
  // Aave's own USDS source is "Capped USDS <-> DAI / USD" (address book ASSETS.USDS.ORACLE); this is Chainlink's
  // USDS/USD (address book ChainlinkEthereum.USDS__USD).
  "USDS/USD": "0xfF30586cD0F29eD462364C7e81375FC0C71219b1",
};

/** Uniswap V3 deployment (docs.uniswap.org, "Ethereum deployments"). */
const UNISWAP_V3 = {
  factory: "0x1F98431c8aD98523631AE4a59f267346ea31F984",
  swapRouter: "0xE592427A0AEce92De3Edee1F18E0157C05861564",
  positionManager: "0xC36442b4a4522E871399CD717aBDD847Ab11FE88",
  quoterV2: "0x61fFE014bA17989E743c5F6cB21bF9697530B21e",
} as const;

/**
 * Curve USDe/USDC Stableswap-NG pool (Curve's registry; the reference), coins in pool order. The order is
 * checked on chain at start-up (checkCurvePool): a wrong guess fails there, naming the coin.
 */
const CURVE_USDE_USDC = {
  address: "0x02950460E2b9529D0E00284A5fA2d7bDF3fA4d72",
  coins: ["USDe", "USDC"] as TokenSymbol[],
};

const TOKENS: Record<TokenSymbol, string> = {
  USDe: ETHENA.USDe,
  sUSDe: ETHENA.sUSDe,
  USDC: AaveV3Ethereum.ASSETS.USDC.UNDERLYING,
  USDT: AaveV3Ethereum.ASSETS.USDT.UNDERLYING,
  DAI: AaveV3Ethereum.ASSETS.DAI.UNDERLYING,
  WETH: AaveV3Ethereum.ASSETS.WETH.UNDERLYING,
  USDS: AaveV3Ethereum.ASSETS.USDS.UNDERLYING,
};

/** Builds the mainnet record on a fork, checking each token's symbol and decimals and each Morpho market's id. */
export async function buildMainnetProfile(
  provider: RpcProvider,
  block: number,
  admin: string,
): Promise<DeploymentRecord> {
  const tokens: DeploymentRecord["tokens"] = {};
  for (const [symbol, address] of Object.entries(TOKENS) as [TokenSymbol, string][]) {
    const t = bindContract(IERC20Metadata__factory, address, provider);
    const [onChainSymbol, decimals] = await Promise.all([t.symbol(), t.decimals()]).catch(() => {
      throw new InputError(
        `profile mainnet: tokens.${symbol}`,
        `no ERC-20 at ${address} on the fork`,
        "fork Ethereum mainnet (chain id 1)",
      );
    });
    if (onChainSymbol !== symbol)
      throw new InputError(
        `profile mainnet: tokens.${symbol}`,
        `the token at ${address} says its symbol is ${onChainSymbol}`,
      );
    tokens[symbol] = { address, symbol, decimals: Number(decimals) };
  }
  const reserves: DeploymentRecord["aave"]["reserves"] = {};
  for (const symbol of Object.keys(TOKENS) as TokenSymbol[]) {
    const a = AaveV3Ethereum.ASSETS[symbol];
    reserves[symbol] = {
      aToken: a.A_TOKEN,
      variableDebtToken: a.V_TOKEN,
      stableDebtToken: ZeroAddress,
      interestRateStrategy: a.INTEREST_RATE_STRATEGY,
    };
  }
  const morpho = bindContract(Morpho__factory, MORPHO_BLUE, provider);
  const markets: Record<string, MorphoMarketRecord> = {};
  for (const [key, id] of Object.entries(MORPHO_MARKET_IDS)) {
    const p = await morpho.idToMarketParams(id);
    const params = {
      loanToken: p.loanToken,
      collateralToken: p.collateralToken,
      oracle: p.oracle,
      irm: p.irm,
      lltv: p.lltv,
    };
    if (morphoMarketId(params) !== id)
      throw new InputError(
        `profile mainnet: morpho.markets["${key}"]`,
        `market ${id} does not exist at block ${block}`,
      );
    markets[key] = { id, ...params, lltv: p.lltv.toString() };
  }
  const factory = bindContract(UniswapV3Factory__factory, UNISWAP_V3.factory, provider);
  const pools: Record<string, UniswapPoolRecord> = {};
  for (const stable of ["USDC", "USDT", "DAI"] as const) {
    for (const fee of [100, 500]) {
      const address = await factory.getPool(TOKENS.USDe, TOKENS[stable], fee);
      if (address === ZeroAddress) continue;
      const [token0, token1] =
        BigInt(TOKENS.USDe) < BigInt(TOKENS[stable]) ? [TOKENS.USDe, TOKENS[stable]] : [TOKENS[stable], TOKENS.USDe];
      pools[`USDe/${stable}-${fee === 100 ? "0.01" : "0.05"}%`] = { address, token0, token1, fee };
      break;
    }
  }
  const feeds: Record<string, string> = { ...CHAINLINK_USD_FEEDS };
  for (const symbol of Object.keys(TOKENS) as TokenSymbol[])
    feeds[`Aave source ${symbol}`] = AaveV3Ethereum.ASSETS[symbol].ORACLE;
  return {
    profile: "mainnet",
    chainId: MAINNET_CHAIN_ID,
    deployer: admin,
    block,
    tokens,
    feeds,
    aave: {
      poolAddressesProvider: AaveV3Ethereum.POOL_ADDRESSES_PROVIDER,
      pool: AaveV3Ethereum.POOL,
      poolImpl: AaveV3Ethereum.POOL_IMPL,
      poolConfigurator: AaveV3Ethereum.POOL_CONFIGURATOR,
      aclManager: AaveV3Ethereum.ACL_MANAGER,
      oracle: AaveV3Ethereum.ORACLE,
      dataProvider: AaveV3Ethereum.AAVE_PROTOCOL_DATA_PROVIDER,
      treasury: AaveV3Ethereum.COLLECTOR,
      libraries: {},
      reserves,
    },
    morpho: { morpho: MORPHO_BLUE, irm: ZeroAddress, markets },
    ethena: { minting: ETHENA.minting },
    uniswap: {
      factory: UNISWAP_V3.factory,
      swapRouter: UNISWAP_V3.swapRouter,
      positionManager: UNISWAP_V3.positionManager,
      quoter: UNISWAP_V3.quoterV2,
      pools,
    },
    curve: { pools: { "USDe/USDC": CURVE_USDE_USDC } },
  };
}

/** The account the fork impersonates for manipulations: Aave's ACL admin (the governance executor, a pool admin). */
export const MAINNET_ADMIN = AaveV3Ethereum.ACL_ADMIN;
