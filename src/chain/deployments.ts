/** Recorded addresses per chain profile (deployments/<profile>.json), written atomically. */
import { InputError } from "../errors";
import { readInputFile } from "../domain/input-file";
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

/** Ethena's minting contract: EthenaMinting V2 on mainnet, our stand-in on the embedded chain. */
export interface EthenaRecord {
  minting: string;
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
  /** Absent in records written before Ethena's minting contract was modelled. */
  ethena?: EthenaRecord;
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

/**
 * Reads a deployments file; `field` names it in errors (the `--profile` flag by default). A file that is not JSON, or
 * not a deployment record, is one sentence naming the first missing or wrong field.
 */
export function readDeployment(profile: string, file = deploymentPath(profile), field = "--profile"): DeploymentRecord {
  if (!fs.existsSync(file)) {
    throw new InputError(
      field,
      `no ${path.relative(process.cwd(), file)}`,
      "run `npx hardhat embedded:deploy` to create it, or name a deployments file",
    );
  }
  let raw: unknown;
  try {
    raw = JSON.parse(readInputFile(file, field));
  } catch (err) {
    if (err instanceof InputError) throw err;
    throw new InputError(field, `${file} is not valid JSON: ${(err as Error).message}`, "name a deployments file");
  }
  const missing = missingRecordField(raw);
  if (missing !== undefined) {
    throw new InputError(field, `${file} is not a deployment record: ${missing}`, "name a deployments file");
  }
  return raw as DeploymentRecord;
}

/** The first field a deployment record must have and `raw` lacks (or has of the wrong kind), if any. */
function missingRecordField(raw: unknown): string | undefined {
  const isObject = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null;
  if (!isObject(raw)) return "not an object";
  const need: [string, (r: Record<string, unknown>) => unknown, string][] = [
    ["profile", (r) => r.profile, "string"],
    ["chainId", (r) => r.chainId, "number"],
    ["tokens", (r) => r.tokens, "object"],
    ["feeds", (r) => r.feeds, "object"],
    ["aave.pool", (r) => (isObject(r.aave) ? r.aave.pool : undefined), "string"],
    ["aave.oracle", (r) => (isObject(r.aave) ? r.aave.oracle : undefined), "string"],
    ["morpho.morpho", (r) => (isObject(r.morpho) ? r.morpho.morpho : undefined), "string"],
    ["morpho.markets", (r) => (isObject(r.morpho) ? r.morpho.markets : undefined), "object"],
    ["uniswap", (r) => r.uniswap, "object"],
  ];
  for (const [name, get, kind] of need) {
    const v = get(raw);
    if (typeof v !== kind || v === null) return `${name} is missing or not a ${kind}`;
  }
  return undefined;
}
