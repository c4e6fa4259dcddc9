/** Fixed-point units shared by the protocols we drive (names follow the protocols' own sources). */
export const WAD = 10n ** 18n;
export const RAY = 10n ** 27n;
/** Aave's PercentageMath: 100.00% = 1e4 (basis points). */
export const PERCENTAGE_FACTOR = 10_000n;
/** Aave's base currency unit: USD with 8 decimals (AaveOracle BASE_CURRENCY_UNIT on mainnet). */
export const AAVE_BASE_CURRENCY_UNIT = 10n ** 8n;
/** Morpho Blue ConstantsLib.ORACLE_PRICE_SCALE. */
export const ORACLE_PRICE_SCALE = 10n ** 36n;
/** Morpho Blue ConstantsLib.LIQUIDATION_CURSOR. */
export const LIQUIDATION_CURSOR = 3n * 10n ** 17n;
/** Morpho Blue ConstantsLib.MAX_LIQUIDATION_INCENTIVE_FACTOR. */
export const MAX_LIQUIDATION_INCENTIVE_FACTOR = 115n * 10n ** 16n;
/** Morpho Blue SharesMathLib virtual shares/assets. */
export const VIRTUAL_SHARES = 10n ** 6n;
export const VIRTUAL_ASSETS = 1n;
/** Aave v3.0.x LiquidationLogic constants. */
export const AAVE_DEFAULT_LIQUIDATION_CLOSE_FACTOR = 5_000n;
export const AAVE_MAX_LIQUIDATION_CLOSE_FACTOR = 10_000n;
export const AAVE_CLOSE_FACTOR_HF_THRESHOLD = 95n * 10n ** 16n;
/** Uniswap V3 Q64.96 fixed point. */
export const Q96 = 2n ** 96n;
