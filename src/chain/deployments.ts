/** Recorded addresses per chain profile (deployments/<profile>.json), written atomically. */
import fs from "fs";
import path from "path";
import type { AaveRelease } from "../domain/aave-release";
import type { TokenSymbol } from "../domain/tokens";

export interface TokenRecord {
  address: string;
  symbol: string;
  decimals: number;
}

export interface AaveReserveRecord {
  aToken: string;
  variableDebtToken: string;
  stableDebtToken: string;
  interestRateStrategy: string;
}

export interface MorphoMarketRecord {
  id: string;
  loanToken: string;
  collateralToken: string;
  oracle: string;
  irm: string;
  lltv: string;
}

export interface UniswapPoolRecord {
  address: string;
  token0: string;
  token1: string;
  fee: number;
}

/** A Curve stable-swap pool and its coins in pool order (index i of exchange/get_dy is coins[i]). */
export interface CurvePoolRecord {
  address: string;
  coins: TokenSymbol[];
}

export interface DeploymentRecord {
  profile: string;
  chainId: number;
  deployer: string;
  /** Block number after deployment; fork mode pins to it. */
  block: number;
  tokens: Partial<Record<TokenSymbol, TokenRecord>>;
  /** Price feeds by name, e.g. "USDe/USD". */
  feeds: Record<string, string>;
  aave: {
    /** Which Aave logic the embedded chain runs (absent in records of foreign chains: read the Pool's revision). */
    release?: AaveRelease;
    poolAddressesProvider: string;
    pool: string;
    poolImpl: string;
    poolConfigurator: string;
    aclManager: string;
    oracle: string;
    dataProvider: string;
    treasury: string;
    libraries: Record<string, string>;
    reserves: Partial<Record<TokenSymbol, AaveReserveRecord>>;
  };
  morpho: {
    morpho: string;
    irm: string;
    markets: Record<string, MorphoMarketRecord>;
  };
  /** Curve stable-swap pools by key (absent in records written before Curve was supported). */
  curve?: { pools: Record<string, CurvePoolRecord> };
  uniswap: {
    factory: string;
    swapRouter: string;
    positionManager: string;
    quoter: string;
    pools: Record<string, UniswapPoolRecord>;
  };
}

const DEPLOYMENTS_DIR = path.join(__dirname, "..", "..", "deployments");

export function deploymentPath(profile: string): string {
  return path.join(DEPLOYMENTS_DIR, `${profile}.json`);
}

/** Writes to a temporary file then renames it, so a crash never leaves half a file. */
export function writeFileAtomic(file: string, contents: string): void {
  fs.mkdirSync(path.dirname(file), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, contents);
  fs.renameSync(tmp, file);
}

export function writeDeployment(record: DeploymentRecord, file = deploymentPath(record.profile)): void {
  writeFileAtomic(file, `${JSON.stringify(record, null, 2)}\n`);
}

export function readDeployment(profile: string, file = deploymentPath(profile)): DeploymentRecord {
  if (!fs.existsSync(file)) {
    throw new Error(
      `deployments: no ${path.relative(process.cwd(), file)}; run \`npx hardhat embedded:deploy\` to create it`,
    );
  }
  return JSON.parse(fs.readFileSync(file, "utf8")) as DeploymentRecord;
}
