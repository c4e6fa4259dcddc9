import { HardhatUserConfig, subtask } from "hardhat/config";
import {
  TASK_COMPILE_GET_REMAPPINGS,
  TASK_COMPILE_SOLIDITY_GET_SOLC_BUILD,
  TASK_TEST_GET_TEST_FILES,
} from "hardhat/builtin-tasks/task-names";
import "@nomicfoundation/hardhat-toolbox";
import fs from "fs";
import path from "path";

import "./tasks";
import "./tasks/compile";
import {
  DEV_ACCOUNT_BALANCE_WEI,
  DEV_ACCOUNT_COUNT,
  DEV_BLOCK_GAS_LIMIT,
  DEV_CHAIN_ID,
  DEV_GENESIS_DATE,
  DEV_HARDFORK,
  DEV_TX_GAS_LIMIT,
} from "./src/chain/dev-node";

/**
 * Offline compilers: every version we compile with is an exact-pinned npm alias of `solc`
 * (see package.json). Hardhat would otherwise try to download its compiler list and fail (HH502).
 */
const NPM_SOLC: Record<string, string> = {
  "0.8.19": "solc-0.8.19", // Morpho Blue pins 0.8.19
  "0.8.27": "solc-0.8.27", // Aave V3 origin (aave-v3-origin foundry.toml)
  "0.8.28": "solc-0.8.28", // our own tools (the `transient` keyword needs 0.8.28)
};

subtask(TASK_COMPILE_SOLIDITY_GET_SOLC_BUILD, async (args: { solcVersion: string }, _hre, runSuper) => {
  const pkg = NPM_SOLC[args.solcVersion];
  if (pkg === undefined) {
    // Never fall back to a download: name the fix instead.
    throw new Error(
      `solc ${args.solcVersion} is not installed from npm. Add "solc-${args.solcVersion}": "npm:solc@${args.solcVersion}" ` +
        `to devDependencies and map it in hardhat.config.ts NPM_SOLC.`,
    );
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const solc = require(pkg) as { version(): string };
  const compilerPath = path.join(path.dirname(require.resolve(`${pkg}/package.json`)), "soljson.js");
  void runSuper;
  return { compilerPath, isSolcJs: true, version: args.solcVersion, longVersion: solc.version() };
});

/**
 * Aave V3 origin imports OpenZeppelin as a Foundry git submodule (`openzeppelin-contracts/contracts/...`). The same
 * files come from @openzeppelin/contracts (whose root is that `contracts/` folder), installed a second time under an
 * alias: one file may not have two source names in one Hardhat project, and our tools import the package by its name.
 */
subtask(TASK_COMPILE_GET_REMAPPINGS, async (_args, _hre, runSuper: () => Promise<Record<string, string>>) => ({
  ...(await runSuper()),
  "openzeppelin-contracts/contracts/": "openzeppelin-contracts-aave-origin/",
}));

/**
 * `npm test` (no files named) also runs the user-style tests of examples/ (the public API, src/index.ts), after the
 * suite: each starts its chain from genesis (`reset()`), which drops every fixture snapshot taken before it.
 */
subtask(
  TASK_TEST_GET_TEST_FILES,
  async (args: { testFiles: string[] }, hre, runSuper: (a: { testFiles: string[] }) => Promise<string[]>) => {
    const files = await runSuper(args);
    if (args.testFiles.length > 0) return files;
    const dir = path.join(hre.config.paths.root, "examples");
    const examples = fs.existsSync(dir) ? fs.readdirSync(dir).filter((f) => f.endsWith(".test.ts")) : [];
    return [...files, ...examples.sort().map((f) => path.join(dir, f))];
  },
);

const MORPHO_COMPILER = {
  version: "0.8.19",
  // Mainnet Morpho Blue was built with optimizer 999999 runs and via-IR (morpho-blue foundry.toml).
  settings: { optimizer: { enabled: true, runs: 999999 }, viaIR: true, evmVersion: "paris" },
};

// Mainnet's Aave V3 origin settings (aave-v3-origin foundry.toml): solc 0.8.27, 200 runs, shanghai, no metadata hash.
const AAVE_ORIGIN_COMPILER = {
  version: "0.8.27",
  settings: { optimizer: { enabled: true, runs: 200 }, evmVersion: "shanghai", metadata: { bytecodeHash: "none" } },
};
const AAVE_ORIGIN_PACKAGE = "@aave-dao/aave-v3-origin/src/contracts";

/** Every Aave origin source compiles with mainnet's settings, not with the newest compiler that accepts its pragma. */
function aaveOriginOverrides(): Record<string, typeof AAVE_ORIGIN_COMPILER> {
  const root = path.dirname(require.resolve("@aave-dao/aave-v3-origin/package.json"));
  const out: Record<string, typeof AAVE_ORIGIN_COMPILER> = { "contracts/aave/AaveV3Origin.sol": AAVE_ORIGIN_COMPILER };
  const walk = (dir: string): void => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else if (entry.name.endsWith(".sol"))
        out[
          `${AAVE_ORIGIN_PACKAGE}/${path.relative(path.join(root, "src/contracts"), full).split(path.sep).join("/")}`
        ] = AAVE_ORIGIN_COMPILER;
    }
  };
  walk(path.join(root, "src/contracts"));
  return out;
}

const config: HardhatUserConfig = {
  solidity: {
    compilers: [
      // Our own tools, and every file no override names: the newest compiler a pragma accepts is chosen.
      { version: "0.8.28", settings: { optimizer: { enabled: true, runs: 200 }, evmVersion: "cancun" } },
      MORPHO_COMPILER,
      AAVE_ORIGIN_COMPILER,
    ],
    overrides: {
      "contracts/morpho/MorphoBlue.sol": MORPHO_COMPILER,
      "@morpho-org/morpho-blue/src/Morpho.sol": MORPHO_COMPILER,
      ...aaveOriginOverrides(),
    },
  },
  networks: {
    // The chain of src/chain/dev-node.ts, which anvil (--backend anvil) runs too.
    hardhat: {
      chainId: DEV_CHAIN_ID,
      initialDate: DEV_GENESIS_DATE,
      blockGasLimit: DEV_BLOCK_GAS_LIMIT,
      gas: DEV_TX_GAS_LIMIT,
      hardfork: DEV_HARDFORK,
      accounts: { count: DEV_ACCOUNT_COUNT, accountsBalance: DEV_ACCOUNT_BALANCE_WEI.toString() },
    },
    // LOOPSTRESS_LOCALHOST_URL: another local node (tests start `hardhat node` on a free port).
    localhost: { url: process.env.LOOPSTRESS_LOCALHOST_URL ?? "http://127.0.0.1:8545", chainId: DEV_CHAIN_ID },
  },
  typechain: {
    outDir: "typechain-types",
    target: "ethers-v6",
    // Types for the real protocol artifacts shipped in npm packages (deployed as-is, never recompiled).
    externalArtifacts: [
      "node_modules/@aave/core-v3/artifacts/contracts/protocol/pool/Pool.sol/Pool.json",
      "node_modules/@aave/core-v3/artifacts/contracts/protocol/pool/PoolConfigurator.sol/PoolConfigurator.json",
      "node_modules/@aave/core-v3/artifacts/contracts/protocol/configuration/PoolAddressesProvider.sol/PoolAddressesProvider.json",
      "node_modules/@aave/core-v3/artifacts/contracts/protocol/configuration/ACLManager.sol/ACLManager.json",
      "node_modules/@aave/core-v3/artifacts/contracts/misc/AaveOracle.sol/AaveOracle.json",
      "node_modules/@aave/core-v3/artifacts/contracts/misc/AaveProtocolDataProvider.sol/AaveProtocolDataProvider.json",
      "node_modules/@aave/core-v3/artifacts/contracts/protocol/pool/DefaultReserveInterestRateStrategy.sol/DefaultReserveInterestRateStrategy.json",
      "node_modules/@aave/core-v3/artifacts/contracts/protocol/tokenization/AToken.sol/AToken.json",
      "node_modules/@aave/core-v3/artifacts/contracts/protocol/tokenization/VariableDebtToken.sol/VariableDebtToken.json",
      "node_modules/@aave/core-v3/artifacts/contracts/protocol/tokenization/StableDebtToken.sol/StableDebtToken.json",
      "node_modules/@uniswap/v3-core/artifacts/contracts/UniswapV3Factory.sol/UniswapV3Factory.json",
      "node_modules/@uniswap/v3-core/artifacts/contracts/UniswapV3Pool.sol/UniswapV3Pool.json",
      "node_modules/@uniswap/v3-periphery/artifacts/contracts/SwapRouter.sol/SwapRouter.json",
      "node_modules/@uniswap/v3-periphery/artifacts/contracts/NonfungiblePositionManager.sol/NonfungiblePositionManager.json",
      "node_modules/@uniswap/v3-periphery/artifacts/contracts/lens/QuoterV2.sol/QuoterV2.json",
    ],
  },
  mocha: { timeout: 600_000 },
};

export default config;
