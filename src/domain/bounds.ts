/**
 * Every size a user can give has a bound, named here with its reason, so that no input can make the node panic or
 * the process run out of memory. Schemas and readers check them before anything is deployed.
 */

/** Scenario, grid, CSV and deployment files: the canonical scenario is ~2 KB; a CSV path of 10,000 points ~200 KB. */
export const MAX_INPUT_FILE_BYTES = 1_048_576;

/**
 * Blocks mined at one path point: 1,000,000 blocks are ~139 days of 12-second blocks. The node mines them in one
 * call; 10^18 of them made Hardhat's engine panic.
 */
export const MAX_BLOCKS_PER_POINT = 1_000_000;

/** Blocks over a whole path (~3.8 years of 12-second blocks): interest accrual stays in the range anyone models. */
export const MAX_PATH_BLOCKS = 10_000_000;

/** Points of a price path (a step, a ramp, a CSV or a list): each point runs liquidation rounds, ~0.1–1 s each. */
export const MAX_PATH_POINTS = 10_000;

/** Liquidation rounds of a cascade run (and per path point). */
export const MAX_ROUNDS = 10_000;

/** Loop rounds of one position: at LTV 0.95, round 50 adds 0.95^50 ≈ 8% of the first borrow; each round is a tx. */
export const MAX_LOOP_ROUNDS = 50;

/**
 * Positions in a cascade population, and in a depeg scenario (its loops with their counts, plus the existing borrowers
 * it lists): the scale benchmark's largest case is 10,000.
 */
export const MAX_POPULATION = 10_000;

/** Points of a sweep grid: each point is a whole scenario run. */
export const MAX_GRID_POINTS = 10_000;

/** Length of a scenario name: it names a report folder. */
export const MAX_NAME_LENGTH = 100;

/**
 * A token amount given on the command line (--amount), in whole tokens: 10^12 is ~70 times the largest supply any
 * stablecoin here has had (USDe peaked near 15 billion), so no real question needs more, and 10^12 x 10^18 stays far
 * inside uint256 and the stand-in tokens' mint.
 */
export const MAX_FLAG_AMOUNT_TOKENS = 1_000_000_000_000n;

/**
 * A fork block (--fork-block): Ethereum mainnet is near 23.5 million; 10^9 blocks are ~380 years of 12-second blocks,
 * and the number stays exact in a JavaScript number and in the engine's 64-bit block numbers.
 */
export const MAX_FORK_BLOCK = 1_000_000_000;

/** Shards of a sweep (--shard i/n, sweep:merge's files): as many as grid points; more would run nothing. */
export const MAX_SHARDS = 10_000;

/**
 * Worker processes of one sweep (--workers): each holds a whole chain in its own memory (the canonical scenario peaks
 * at 6-7 GB), so no single machine has the memory for more than 64; beyond one machine, shard the grid (--shard).
 */
export const MAX_WORKERS = 64;

/** Policy sets (and counterfactual runs) of one scenario: each is a full run of the scenario from its snapshot. */
export const MAX_POLICY_SETS = 16;

/**
 * A path given on the command line (--out, --fork-cache, input files): Linux's PATH_MAX is 4,096 bytes and a character
 * takes up to 4 of them in UTF-8.
 */
export const MAX_PATH_CHARS = 1024;

/** How much of a value an error message repeats: enough to recognise it, never a whole pasted file on one line. */
export const MAX_SHOWN_VALUE_CHARS = 60;

/**
 * USDe per side of a Uniswap pool the embedded chain deploys (dex.depthPerSide): the same 10^12 tokens as a flag's
 * amount; the deployer mints it, and Uniswap's liquidity (uint128) holds it with room to spare.
 */
export const MAX_POOL_DEPTH_TOKENS = 1_000_000_000_000n;

/**
 * Spread of a lognormal size distribution: at sigma 10 two standard deviations already span ~17 orders of magnitude,
 * more than any real population of positions; beyond ~700 the draws overflow to Infinity.
 */
export const MAX_LOGNORMAL_SIGMA = 10;

/**
 * Digits on either side of the point of a decimal in a scenario file: uint256 has 78 digits and a token amount of 10^12
 * whole tokens 31 raw ones; more is a typo, or an attempt to make the arithmetic overflow to Infinity.
 */
export const MAX_DECIMAL_DIGITS = 40;

/**
 * Runs of a Monte Carlo (--runs, montecarlo.runs): each is a whole scenario run (a small scenario takes about a second,
 * the canonical one over a minute), and its row stays in memory with the others; 10,000 runs of a small scenario are
 * hours, and percentiles at 99% already rest on 100 tail runs.
 */
export const MAX_MONTECARLO_RUNS = 10_000;

/**
 * A Monte Carlo runs file (runs.csv, a shard's): MAX_MONTECARLO_RUNS rows of at most ~400 bytes each (a 100-character
 * scenario name included) are 4 MB; twice that leaves room and still reads in an instant.
 */
export const MAX_RUNS_FILE_BYTES = 8 * 1_048_576;
