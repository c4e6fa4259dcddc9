/**
 * Parameters of the embedded chain. Risk parameters are mainnet's published values (Aave V3 Ethereum core
 * market, Morpho Blue mainnet markets); each carries its source. docs/mainnet-params.md has the full table.
 *
 * Units: bps are Aave basis points (1e4 = 100%), `Wad` values are 1e18-scaled, raw token amounts are in the
 * token's own decimals, prices `E8` are USD with 8 decimals.
 */
import { WAD } from "../constants";
import { DEFAULT_AAVE_RELEASE, type AaveRelease } from "../domain/aave-release";
import type { FeedName } from "../domain/feeds";
import type { OraclePolicy } from "../domain/oracle-policy";
import { TOKEN_DECIMALS, type TokenSymbol } from "../domain/tokens";

export interface TokenParams {
  symbol: TokenSymbol;
  name: string;
  decimals: number;
  /** "vault": the ERC-4626 sUSDe stand-in over USDe. */
  kind: "erc20" | "vault";
}

export interface RateStrategyParams {
  optimalUsageRatioBps: number;
  baseVariableBorrowRateBps: number;
  variableRateSlope1Bps: number;
  variableRateSlope2Bps: number;
}

export interface AaveReserveParams {
  asset: TokenSymbol;
  ltvBps: number;
  liquidationThresholdBps: number;
  /** 10000 + bonus, as Aave stores it (10450 = 4.5% bonus). */
  liquidationBonusBps: number;
  reserveFactorBps: number;
  liquidationProtocolFeeBps: number;
  /** Whole tokens, as Aave stores caps; 0 = no cap. */
  supplyCap: bigint;
  borrowCap: bigint;
  borrowingEnabled: boolean;
  flashLoanEnabled: boolean;
  rateStrategy: RateStrategyParams;
  source: string;
}

export interface AaveEModeParams {
  id: number;
  label: string;
  ltvBps: number;
  liquidationThresholdBps: number;
  liquidationBonusBps: number;
  /** Aave v3.0.x (the npm package's logic): a user in E-mode borrows and gets E-mode LT only on assets of the category. */
  assets: TokenSymbol[];
  /** Aave v3.2+ (origin line, "liquid E-mode"): the assets that count as collateral at the category's parameters. */
  collateral: TokenSymbol[];
  /** Aave v3.2+: the assets a user in the category may borrow. */
  borrowable: TokenSymbol[];
  source: string;
}

export interface MorphoMarketParams {
  /** e.g. "sUSDe/USDC-91.5" — collateral/loan-LLTV%. */
  key: string;
  collateral: TokenSymbol;
  loan: TokenSymbol;
  lltvWad: bigint;
  /** Loan-token liquidity supplied at deployment, raw units. */
  supplyRaw: bigint;
  source: string;
}

export type UniswapLiquidityLayer =
  | {
      /** Price of token A in token B, relative to the initial price, as decimal strings bounding the range. */
      lowerPrice: string;
      upperPrice: string;
      /** Share of the pool's depth in this range, bps. */
      shareBps: number;
    }
  | {
      /** The whole tick range (Uniswap's MIN_TICK..MAX_TICK): the pool always has a price to trade at. */
      fullRange: true;
      shareBps: number;
    };

export interface UniswapPoolParams {
  key: string;
  tokenA: TokenSymbol;
  tokenB: TokenSymbol;
  fee: number;
  /**
   * Initial price of A in B ("1" = peg; sUSDe/USDe pools use the vault rate when "vault-rate"; a WETH/stablecoin
   * pool starts at the ETH/USD feed's initial answer with "feed:ETH/USD", B counted at 1 USD).
   */
  initialPrice: string | "vault-rate" | `${typeof FEED_PRICE_PREFIX}${FeedName}`;
  /** Amount of token A (and the same value of token B) deposited across all layers, whole tokens. */
  depthPerSide: bigint;
  layers: UniswapLiquidityLayer[];
  /** Where the depth and shape come from (pools without one: docs/mainnet-params.md, "Uniswap V3"). */
  source?: string;
}

/** `initialPrice: "feed:<feed>"`: the pool starts at that feed's initial answer (feedsE8). */
export const FEED_PRICE_PREFIX = "feed:";

/**
 * A Curve stable-swap pool of the embedded chain. The one Curve pool bytecode npm carries is Curve's early 4-coin
 * StableSwap (the sUSD pool template, Vyper, in @setprotocol/set-protocol-v2): its coin decimals are fixed by the
 * code at 18/6/6/18, so it holds exactly four coins with those decimals. Same invariant, get_dy and exchange as
 * mainnet's Stableswap-NG pools, without NG's dynamic fee and oracles.
 */
export interface CurvePoolParams {
  key: string;
  coins: [TokenSymbol, TokenSymbol, TokenSymbol, TokenSymbol];
  /** Amplification coefficient A. */
  amplification: number;
  /** Swap fee in Curve's 1e10 units (1_000_000 = 0.01%). */
  feeE10: number;
  /** Whole tokens of each coin deposited at deployment. */
  depthPerCoin: bigint;
  source: string;
}

/** Curve's early StableSwap fixes each coin's decimals (PRECISION_MUL). */
export const CURVE_TEMPLATE_DECIMALS = [18, 6, 6, 18] as const;

/**
 * A USDe/USDC/USDT/DAI Curve pool, on every cascade's chain (cascades sell on Uniswap V3 and on Curve); A and fee as
 * typical of Curve's USD stable pools (read from chain on mainnet).
 */
export const EMBEDDED_CURVE_USDE_POOL: CurvePoolParams = {
  key: "USDe/USDC/USDT/DAI",
  coins: ["USDe", "USDC", "USDT", "DAI"],
  amplification: 200,
  feeE10: 1_000_000,
  depthPerCoin: 5_000_000n,
  source:
    "shape of a Curve USD stable pool; not mainnet's USDe/USDC pool (Stableswap-NG, 2 coins), whose A and fee the adapter reads on a fork",
};

/** One stablecoin of the minting stand-in: its per-block limits and the reserve deposited at deployment. */
export interface EthenaAssetParams {
  asset: "USDC" | "USDT";
  /** USDe per block, whole tokens. */
  maxMintPerBlock: bigint;
  maxRedeemPerBlock: bigint;
  /** Whole tokens of the stablecoin held by the minting contract (what redemptions are paid from). */
  reserve: bigint;
}

/** Ethena's minting contract as the embedded chain's stand-in runs it (contracts/ethena/EthenaMintingStandIn.sol). */
export interface EthenaMintingParams {
  assets: EthenaAssetParams[];
  /** USDe per block across assets, whole tokens. */
  globalMaxMintPerBlock: bigint;
  globalMaxRedeemPerBlock: bigint;
  /** Fee on mint and redeem, bps: a harness knob, 0 by default (Ethena documents no protocol fee). */
  feeBps: number;
  /** Where each figure comes from. */
  source: { limits: string; reserve: string; fee: string };
}

/**
 * Redemptions on 10-11 Oct 2025: ~$1.2B "through the stress period" (Ethena Foundation, "USDe Analysis during the
 * Oct 10th-11th Volatility Event", gov.ethenafoundation.com/t/706) to ~$2B within 24 h (Guy Young, Ethena, reported
 * by ethnews.com). $2B over 7,200 twelve-second blocks is ~277,800 USDe per block: the capacity was at least that.
 * No 2025 value of EthenaMinting V2's maxRedeemPerBlock has been published.
 */
export const ETHENA_REDEEM_PER_BLOCK_USDE = 280_000n;

export interface EmbeddedParams {
  tokens: TokenParams[];
  /** Initial feed answers, USD 8 decimals. */
  feedsE8: Record<FeedName, bigint>;
  susde: {
    cooldownSeconds: number;
    vestingSeconds: number;
    /** sUSDe → USDe rate at start, WAD (reached by vesting rewards into a seed deposit). */
    initialRateWad: bigint;
    seedDepositRaw: bigint;
  };
  aave: {
    release: AaveRelease;
    oraclePolicy: OraclePolicy;
    reserves: AaveReserveParams[];
    eModes: AaveEModeParams[];
    flashLoanPremiumTotalBps: number;
    flashLoanPremiumToProtocolBps: number;
    /** Liquidity supplied to Aave at deployment (raw units) so there is something to borrow. */
    seedSupplyRaw: Partial<Record<TokenSymbol, bigint>>;
  };
  morpho: {
    oraclePolicy: OraclePolicy;
    /** FixedRateIrm default rate, per second, WAD. */
    borrowRatePerSecondWad: bigint;
    markets: MorphoMarketParams[];
  };
  uniswap: {
    pools: UniswapPoolParams[];
  };
  /**
   * Deployed last, so no other address depends on them. None by default (the recorded embedded deployment, the loop,
   * swap and depeg tasks: `--curve` adds EMBEDDED_CURVE_USDE_POOL); every cascade's chain has EMBEDDED_CURVE_USDE_POOL.
   */
  curve: {
    pools: CurvePoolParams[];
  };
  /** The minting stand-in, deployed after the pools. */
  ethena: EthenaMintingParams;
  /**
   * What the deployment adds after everything else (Ethena's stand-in included), in this order: tokens, their feeds,
   * their Aave reserves (with their E-mode memberships and seed supply), Morpho markets and Uniswap pools. Every
   * address deployed before them stays where it was. Each name must be in the lists above.
   */
  appended: AppendedDeployments;
}

export interface AppendedDeployments {
  tokens: TokenSymbol[];
  feeds: FeedName[];
  /** Keys of `morpho.markets`. */
  morphoMarkets: string[];
  /** Keys of `uniswap.pools`. */
  uniswapPools: string[];
}

const units = (amount: bigint, decimals: number): bigint => amount * 10n ** BigInt(decimals);
const lltv = (pctTimes10: bigint): bigint => (pctTimes10 * WAD) / 1000n;

const AAVE_SRC = "Aave V3 Ethereum core market config (see docs/mainnet-params.md)";

/** Documented defaults. */
export function defaultEmbeddedParams(): EmbeddedParams {
  return {
    tokens: [
      { symbol: "USDe", name: "USDe (loopstress stand-in)", decimals: TOKEN_DECIMALS.USDe, kind: "erc20" },
      { symbol: "sUSDe", name: "Staked USDe (loopstress stand-in)", decimals: TOKEN_DECIMALS.sUSDe, kind: "vault" },
      { symbol: "USDC", name: "USD Coin (loopstress stand-in)", decimals: TOKEN_DECIMALS.USDC, kind: "erc20" },
      { symbol: "USDT", name: "Tether USD (loopstress stand-in)", decimals: TOKEN_DECIMALS.USDT, kind: "erc20" },
      { symbol: "DAI", name: "Dai Stablecoin (loopstress stand-in)", decimals: TOKEN_DECIMALS.DAI, kind: "erc20" },
      { symbol: "WETH", name: "Wrapped Ether (loopstress stand-in)", decimals: TOKEN_DECIMALS.WETH, kind: "erc20" },
      { symbol: "USDS", name: "USDS Stablecoin (loopstress stand-in)", decimals: TOKEN_DECIMALS.USDS, kind: "erc20" },
    ],
    feedsE8: {
      "USDe/USD": 100_000_000n,
      "USDT/USD": 100_000_000n,
      "USDC/USD": 100_000_000n,
      "DAI/USD": 100_000_000n,
      // ETH/USD close of 9 Oct 2025, the day before the crash (approximate, display of scale only).
      "ETH/USD": 435_000_000_000n,
      "USDS/USD": 100_000_000n,
    },
    susde: {
      cooldownSeconds: 7 * 24 * 3600, // Ethena sUSDe cooldownDuration (7 days)
      vestingSeconds: 8 * 3600, // Ethena StakedUSDeV2 VESTING_PERIOD (8 hours)
      initialRateWad: (119n * WAD) / 100n, // sUSDe/USDe ~1.19 in Oct 2025 (convertToAssets(1e18))
      seedDepositRaw: units(1_000_000n, 18),
    },
    aave: {
      release: DEFAULT_AAVE_RELEASE,
      oraclePolicy: "pegged-to-USDT",
      reserves: [
        {
          asset: "USDe",
          ltvBps: 7200,
          liquidationThresholdBps: 7500,
          liquidationBonusBps: 10850,
          reserveFactorBps: 2500,
          liquidationProtocolFeeBps: 1000,
          supplyCap: 2_000_000_000n,
          borrowCap: 0n,
          borrowingEnabled: true,
          flashLoanEnabled: true,
          // Rate curve: optimal 80%, slope 1 6.5%, slope 2 50% after AIP StablecoinsInterestRateCurveUpdate (2025-03-12,
          // bgd-labs/aave-proposals-v3 diff); optimal 85% by Chaos Labs' steward (2025-08-12); slope 1 at 6.5% on
          // 9 Oct (Chaos Labs, "Stablecoins Interest Rate Adjustment on Aave V3 - 25.10.25": lowered "from 6.50%").
          rateStrategy: {
            optimalUsageRatioBps: 8500,
            baseVariableBorrowRateBps: 0,
            variableRateSlope1Bps: 650,
            variableRateSlope2Bps: 5000,
          },
          source: AAVE_SRC,
        },
        {
          asset: "sUSDe",
          ltvBps: 7200,
          liquidationThresholdBps: 7500,
          liquidationBonusBps: 10850,
          reserveFactorBps: 2000,
          liquidationProtocolFeeBps: 1000,
          supplyCap: 2_000_000_000n,
          borrowCap: 0n,
          borrowingEnabled: false,
          flashLoanEnabled: false,
          rateStrategy: {
            optimalUsageRatioBps: 4500,
            baseVariableBorrowRateBps: 0,
            variableRateSlope1Bps: 0,
            variableRateSlope2Bps: 0,
          },
          source: AAVE_SRC,
        },
        {
          asset: "USDC",
          ltvBps: 7500,
          liquidationThresholdBps: 7800,
          liquidationBonusBps: 10450,
          reserveFactorBps: 1000,
          liquidationProtocolFeeBps: 1000,
          supplyCap: 3_500_000_000n,
          borrowCap: 3_200_000_000n,
          borrowingEnabled: true,
          flashLoanEnabled: true,
          // Rate curve 92% / 0 / 6.5% / 35%: AIP StablecoinsInterestRateCurveUpdate (2025-03-12, diff "after"); slope 1
          // back at 6.5% by 9 Oct (Chaos Labs steward posts of 14 Aug and 25 Oct 2025); no later slope-2 change found.
          rateStrategy: {
            optimalUsageRatioBps: 9200,
            baseVariableBorrowRateBps: 0,
            variableRateSlope1Bps: 650,
            variableRateSlope2Bps: 3500,
          },
          source: AAVE_SRC,
        },
        {
          asset: "USDT",
          ltvBps: 7500,
          liquidationThresholdBps: 7800,
          liquidationBonusBps: 10450,
          reserveFactorBps: 1000,
          liquidationProtocolFeeBps: 1000,
          supplyCap: 5_000_000_000n,
          borrowCap: 4_500_000_000n,
          borrowingEnabled: true,
          flashLoanEnabled: true,
          // Rate curve 92% / 0 / 6.5% / 35% after AIP StablecoinsInterestRateCurveUpdate (2025-03-12); slope 2 set to
          // 22.5% by Chaos Labs' steward ("Adjust USDT Interest Rate Curve on Aave V3", 2025: cut to 14%, then returned
          // to 22.5%); slope 1 6.5% on 9 Oct as for USDC. The slope-2 risk oracle was activated after the block.
          rateStrategy: {
            optimalUsageRatioBps: 9200,
            baseVariableBorrowRateBps: 0,
            variableRateSlope1Bps: 650,
            variableRateSlope2Bps: 2250,
          },
          source: AAVE_SRC,
        },
        {
          asset: "DAI",
          ltvBps: 6300,
          liquidationThresholdBps: 7700,
          liquidationBonusBps: 10500,
          reserveFactorBps: 2500,
          liquidationProtocolFeeBps: 1000,
          supplyCap: 0n,
          borrowCap: 0n,
          borrowingEnabled: true,
          flashLoanEnabled: true,
          rateStrategy: {
            optimalUsageRatioBps: 9000,
            baseVariableBorrowRateBps: 0,
            variableRateSlope1Bps: 650,
            variableRateSlope2Bps: 7500,
          },
          source: AAVE_SRC,
        },
        {
          asset: "WETH",
          ltvBps: 8050,
          liquidationThresholdBps: 8300,
          liquidationBonusBps: 10500,
          reserveFactorBps: 1500,
          liquidationProtocolFeeBps: 1000,
          supplyCap: 0n,
          borrowCap: 0n,
          borrowingEnabled: true,
          flashLoanEnabled: true,
          rateStrategy: {
            optimalUsageRatioBps: 9000,
            baseVariableBorrowRateBps: 0,
            variableRateSlope1Bps: 270,
            variableRateSlope2Bps: 8000,
          },
          source: AAVE_SRC,
        },
        // Appended (see `appended`): borrowable in E-modes 2 and 11 until 3 Dec 2025.
        {
          asset: "USDS",
          ltvBps: 7500,
          // EST: no payload diff changed USDS's LT or bonus after listing; LTV went 63% -> 75% through risk stewards,
          // taken with LT 78% as USDC's and USDT's (75/78). Unused as collateral by any market key here.
          liquidationThresholdBps: 7800,
          // Listing value (AIP OnboardUSDSAndSUSDS, 2024-09-14): 7.5%; no later payload diff changes it.
          liquidationBonusBps: 10750,
          reserveFactorBps: 1000,
          liquidationProtocolFeeBps: 1000,
          supplyCap: 800_000_000n,
          borrowCap: 360_000_000n,
          borrowingEnabled: true,
          flashLoanEnabled: true,
          // Last payload values: base 8.75% (AIP UpdateUSDSGHOBorrowRate, 2025-02-03), slope 1 0.75% (2024-10-22),
          // slope 2 35% (2024-12-23), optimal 92% (the 2025-02-03 diff's curve). Steward changes after Feb 2025 not read.
          rateStrategy: {
            optimalUsageRatioBps: 9200,
            baseVariableBorrowRateBps: 875,
            variableRateSlope1Bps: 75,
            variableRateSlope2Bps: 3500,
          },
          source:
            "Aave V3 Ethereum USDS at block 23,549,000: LTV 75%, reserve factor 10%, supply cap 800M, borrow cap 360M " +
            "from the 'before' column of AIP RemoveUSDSAsCollateralAndIncreaseRFAcrossAllAaveInstances (2025-12-03, " +
            "bgd-labs/aave-proposals-v3 diffs); LT 78% EST; bonus 7.5% at listing (2024-09-14); rate curve from the " +
            "2024-10 to 2025-02 USDS payloads (docs/mainnet-params.md)",
        },
      ],
      eModes: [
        {
          id: 2,
          label: "sUSDe Stablecoins",
          ltvBps: 9000,
          liquidationThresholdBps: 9200,
          liquidationBonusBps: 10400,
          // Mainnet (v3.2+ bitmaps): USDe, sUSDe collateral; USDC, USDT borrowable. The npm logic is v3.0.x, where an
          // asset has one category and borrowing in E-mode needs the borrowed asset in it: all four are members.
          assets: ["USDe", "sUSDe", "USDC", "USDT", "USDS"],
          collateral: ["USDe", "sUSDe"],
          borrowable: ["USDC", "USDT", "USDS"],
          source: "Aave V3 Ethereum E-mode category 2 (issue #2; docs/mainnet-params.md)",
        },
        {
          id: 11,
          label: "USDe Stablecoin",
          ltvBps: 9000,
          liquidationThresholdBps: 9300,
          liquidationBonusBps: 10200,
          // v3.0 gives an asset one category, and USDe is in category 2 there: category 11 exists without members.
          assets: [],
          collateral: ["USDe"],
          // USDS borrowable here until 3 Dec 2025 (AIP RemoveUSDSAsCollateralAndIncreaseRF..., "before" column).
          borrowable: ["USDC", "USDT", "USDS"],
          source:
            "Aave V3 Ethereum E-mode category 11, created by AIP RemoveUSDeDebtCeilingAndIntroduceUSDeStablecoinsEMode " +
            "(2025-05-05); unchanged at block 23,549,000 (docs/mainnet-params.md)",
        },
      ],
      flashLoanPremiumTotalBps: 5, // Aave V3 Ethereum FLASHLOAN_PREMIUM_TOTAL = 0.05%
      flashLoanPremiumToProtocolBps: 0,
      seedSupplyRaw: {
        USDC: units(500_000_000n, 6),
        USDT: units(500_000_000n, 6),
        DAI: units(100_000_000n, 18),
        WETH: units(100_000n, 18),
        USDe: units(50_000_000n, 18),
        // EST: mainnet's USDS supply at the block is not in the sources read; a fifth of the 800M supply cap, on the
        // scale of the DAI seed. Supplied after Ethena's stand-in (appended).
        USDS: units(160_000_000n, 18),
      },
    },
    morpho: {
      oraclePolicy: "exchange-rate",
      borrowRatePerSecondWad: 1_585_489_599n, // ~5% APR: 0.05e18 / 31,536,000 s
      markets: [
        {
          key: "sUSDe/USDC-91.5",
          collateral: "sUSDe",
          loan: "USDC",
          lltvWad: lltv(915n),
          supplyRaw: units(100_000_000n, 6),
          source: "Morpho Blue mainnet market sUSDe/USDC LLTV 91.5%",
        },
        {
          key: "sUSDe/DAI-91.5",
          collateral: "sUSDe",
          loan: "DAI",
          lltvWad: lltv(915n),
          supplyRaw: units(100_000_000n, 18),
          source: "Morpho Blue mainnet market sUSDe/DAI LLTV 91.5%",
        },
        {
          key: "sUSDe/DAI-86",
          collateral: "sUSDe",
          loan: "DAI",
          lltvWad: lltv(860n),
          supplyRaw: units(50_000_000n, 18),
          source: "Morpho Blue mainnet market sUSDe/DAI LLTV 86%",
        },
        {
          key: "sUSDe/DAI-94.5",
          collateral: "sUSDe",
          loan: "DAI",
          lltvWad: lltv(945n),
          supplyRaw: units(50_000_000n, 18),
          source: "Morpho Blue mainnet market sUSDe/DAI LLTV 94.5%",
        },
        {
          key: "USDe/DAI-91.5",
          collateral: "USDe",
          loan: "DAI",
          lltvWad: lltv(915n),
          supplyRaw: units(100_000_000n, 18),
          source: "Morpho Blue mainnet market USDe/DAI LLTV 91.5%",
        },
        {
          key: "USDe/DAI-86",
          collateral: "USDe",
          loan: "DAI",
          lltvWad: lltv(860n),
          supplyRaw: units(50_000_000n, 18),
          source: "Morpho Blue mainnet market USDe/DAI LLTV 86%",
        },
        {
          key: "USDe/DAI-94.5",
          collateral: "USDe",
          loan: "DAI",
          lltvWad: lltv(945n),
          supplyRaw: units(50_000_000n, 18),
          source: "Morpho Blue mainnet market USDe/DAI LLTV 94.5%",
        },
        // Appended (see `appended`). Ids and oracles in docs/mainnet-params.md; supplies EST (no public figure at the
        // block found): the size of sUSDe/USDC-91.5's.
        {
          key: "sUSDe/USDT-91.5",
          collateral: "sUSDe",
          loan: "USDT",
          lltvWad: lltv(915n),
          supplyRaw: units(100_000_000n, 6),
          source:
            "Morpho Blue mainnet market 0xdc5333039bcf15f1237133f74d5806675d83d9cf19cfd4cfdd9be674842651bf " +
            "(sUSDe/USDT LLTV 91.5%); supply EST",
        },
        {
          key: "USDe/USDT-91.5",
          collateral: "USDe",
          loan: "USDT",
          lltvWad: lltv(915n),
          supplyRaw: units(100_000_000n, 6),
          source:
            "Morpho Blue mainnet market 0xcec858380cba2d9ca710fce3ce864d74c3f620d53826f69d08508902e09be86f " +
            "(USDe/USDT LLTV 91.5%); supply EST",
        },
      ],
    },
    uniswap: {
      pools: [
        {
          key: "USDe/USDC-0.01%",
          tokenA: "USDe",
          tokenB: "USDC",
          fee: 100,
          initialPrice: "1",
          depthPerSide: 20_000_000n,
          layers: DEFAULT_LAYERS,
        },
        {
          key: "USDe/USDT-0.01%",
          tokenA: "USDe",
          tokenB: "USDT",
          fee: 100,
          initialPrice: "1",
          depthPerSide: 20_000_000n,
          layers: DEFAULT_LAYERS,
        },
        {
          key: "USDe/DAI-0.01%",
          tokenA: "USDe",
          tokenB: "DAI",
          fee: 100,
          initialPrice: "1",
          depthPerSide: 10_000_000n,
          layers: DEFAULT_LAYERS,
        },
        {
          key: "sUSDe/USDe-0.01%",
          tokenA: "sUSDe",
          tokenB: "USDe",
          fee: 100,
          initialPrice: "vault-rate",
          depthPerSide: 10_000_000n,
          layers: DEFAULT_LAYERS,
        },
        // WETH pools last: the addresses deployed before them do not move.
        ...WETH_POOLS,
        // Appended (see `appended`): liquidators of USDS debt sell USDe (or sUSDe through USDe) for USDS here.
        {
          key: "USDe/USDS-0.01%",
          tokenA: "USDe",
          tokenB: "USDS",
          fee: 100,
          initialPrice: "1",
          depthPerSide: 5_000_000n,
          layers: DEFAULT_LAYERS,
          source:
            "EST: no Uniswap V3 USDe/USDS pool of note on mainnet (USDS trades on Curve and Sky's 1:1 USDC swap); a " +
            "quarter of USDe/USDC-0.01% so that USDS liquidations have a route",
        },
      ],
    },
    curve: { pools: [] },
    ethena: {
      assets: [
        {
          asset: "USDC",
          maxMintPerBlock: ETHENA_REDEEM_PER_BLOCK_USDE,
          maxRedeemPerBlock: ETHENA_REDEEM_PER_BLOCK_USDE,
          reserve: 37_000_000n,
        },
        {
          asset: "USDT",
          maxMintPerBlock: ETHENA_REDEEM_PER_BLOCK_USDE,
          maxRedeemPerBlock: ETHENA_REDEEM_PER_BLOCK_USDE,
          reserve: 37_000_000n,
        },
      ],
      globalMaxMintPerBlock: ETHENA_REDEEM_PER_BLOCK_USDE,
      globalMaxRedeemPerBlock: ETHENA_REDEEM_PER_BLOCK_USDE,
      feeBps: 0,
      source: {
        limits:
          "redemption volume of 10-11 Oct 2025, ~$2B in 24 h (ethnews.com, Guy Young of Ethena; Ethena Foundation " +
          "post 706 says ~$1.2B): ~277,800 USDe per 12 s block, rounded to 280,000; no V2 limit value is published, " +
          "mint is given the same",
        reserve:
          "'about 0.50%' of backing held as stablecoins in the minting contract (ethena-labs.gitbook.io, peg " +
          "arbitrage mechanism) x USDe supply $14.8B on 10 Oct (CryptoSlate) = ~$74M, split USDC/USDT; mainnet " +
          "refills it from reserves, the embedded chain does not",
        fee: "no protocol mint/redeem fee is documented by Ethena (the RFQ quote carries the spread): 0",
      },
    },
    appended: {
      tokens: ["USDS"],
      feeds: ["USDS/USD"],
      morphoMarkets: ["sUSDe/USDT-91.5", "USDe/USDT-91.5"],
      uniswapPools: ["USDe/USDS-0.01%"],
    },
  };
}

/**
 * Default liquidity shape: most depth within ±0.2% of the peg (market makers), a band to ±2%, a thin tail down
 * to 0.5 so large sales move the price far instead of running out of liquidity at once, and a sliver over the full
 * range (as passive full-range LPs provide on mainnet), so that a pool drained by a crash still has a price — a
 * swap never walks hundreds of thousands of empty ticks until it runs out of gas. Prices are relative to the pool's
 * initial price.
 */
const DEFAULT_LAYERS: UniswapLiquidityLayer[] = [
  { lowerPrice: "0.998", upperPrice: "1.002", shareBps: 6000 },
  { lowerPrice: "0.98", upperPrice: "1.02", shareBps: 2900 },
  { lowerPrice: "0.5", upperPrice: "1.5", shareBps: 1000 },
  { fullRange: true, shareBps: 100 },
];

/**
 * A volatile pair's shape: ETH moved 21% in a day on 10 Oct 2025 (4,395 → 3,460, Anthias Labs), so WETH LPs sit in
 * far wider ranges than stablecoin LPs — narrow (±5%), medium (about ±20–25%) and wide (50%+) ranges, as described
 * for ETH/USDT LPs (fensory.com/invest/concentrated-liquidity/uniswap-v3-weth-usdt-03pct-ethereum) — and a share over
 * the full range. With the stable DEFAULT_LAYERS (±0.2%, ±2%) a 20% fall would drain the pool's in-range liquidity
 * in the first 2% and leave liquidators a nearly empty tail.
 */
const VOLATILE_LAYERS: UniswapLiquidityLayer[] = [
  { lowerPrice: "0.95", upperPrice: "1.05", shareBps: 3500 },
  { lowerPrice: "0.8", upperPrice: "1.25", shareBps: 3500 },
  { lowerPrice: "0.5", upperPrice: "2", shareBps: 2500 },
  { fullRange: true, shareBps: 500 },
];

/**
 * WETH/USDC, WETH/USDT, WETH/DAI at mainnet's 0.05% tier, starting at the ETH/USD feed's initial price. Depth, WETH
 * per side (the same value of the stablecoin on the other side), from the nearest public figure found: mainnet's
 * USDC/WETH 0.05% pool held $100.6M of TVL (how2claude.com/claude-code/5i, read at block 24,959,248 — later than
 * 10 Oct 2025; no dated Oct 2025 figure for any WETH pool was found, see docs/mainnet-params.md), i.e. about $50M per
 * side, 11,500 WETH at 4,350 USD. WETH/USDT and WETH/DAI: no figure found; set at a fifth and a twenty-fifth of it
 * (EST: USDT and DAI pairs are shallower than USDC on Uniswap V3).
 */
const WETH_POOLS: UniswapPoolParams[] = [
  {
    key: "WETH/USDC-0.05%",
    tokenA: "WETH",
    tokenB: "USDC",
    fee: 500,
    initialPrice: "feed:ETH/USD",
    depthPerSide: 11_500n,
    layers: VOLATILE_LAYERS,
    source: "mainnet USDC/WETH 0.05% TVL $100.6M (how2claude.com/claude-code/5i, block 24,959,248), half per side",
  },
  {
    key: "WETH/USDT-0.05%",
    tokenA: "WETH",
    tokenB: "USDT",
    fee: 500,
    initialPrice: "feed:ETH/USD",
    depthPerSide: 2_300n,
    layers: VOLATILE_LAYERS,
    source: "EST: a fifth of WETH/USDC-0.05% (no public Oct 2025 figure found)",
  },
  {
    key: "WETH/DAI-0.05%",
    tokenA: "WETH",
    tokenB: "DAI",
    fee: 500,
    initialPrice: "feed:ETH/USD",
    depthPerSide: 460n,
    layers: VOLATILE_LAYERS,
    source: "EST: a twenty-fifth of WETH/USDC-0.05% (no public Oct 2025 figure found)",
  },
];
