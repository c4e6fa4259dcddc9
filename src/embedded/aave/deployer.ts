/**
 * What every Aave release's embedded deployer receives and returns, and the steps that are the same on every
 * release (ACL roles, per-reserve risk configuration, seed liquidity): their function signatures did not change
 * between v3.0 and the origin line, so they go through the v3.0 ABI.
 */
import { MaxUint256, Signer, ZeroAddress, getAddress, id } from "ethers";
import { StandInERC20__factory } from "../../../typechain-types";
import type { DeploymentRecord, TokenRecord } from "../../chain/deployments";
import type { RpcProvider } from "../../chain/rpc";
import { sendTx } from "../../chain/tx";
import { aaveSourcesFor } from "../../oracles/policy";
import {
  ACLManager__factory,
  AaveOracle__factory,
  PoolAddressesProvider__factory,
  PoolConfigurator__factory,
  Pool__factory,
} from "../../protocols/aave-v3-types";
import type { AaveRelease } from "../../domain/aave-release";
import type { AaveEModeParams, AaveReserveParams, EmbeddedParams } from "../params";
import type { TokenSymbol } from "../../domain/tokens";
import { fund } from "../steps";

/** Aave market id string of the embedded profile's PoolAddressesProvider. */
export const EMBEDDED_MARKET_ID = "loopstress embedded Aave V3";
/** Receives Aave reserve factors and liquidation protocol fees: an address derived from a label, with no key. */
export const EMBEDDED_AAVE_TREASURY = getAddress(`0x${id("loopstress.embedded.aave.treasury").slice(26)}`);

export interface AaveDeployInput {
  provider: RpcProvider;
  deployer: Signer;
  me: string;
  params: EmbeddedParams;
  tokens: Partial<Record<TokenSymbol, TokenRecord>>;
  feeds: Record<string, string>;
  log: (line: string) => void;
}

/** What a release's deployer hands back: the market's record, and how to list more reserves on it later. */
export interface DeployedAave {
  record: DeploymentRecord["aave"];
  /**
   * Lists the reserves of `assets` (from `input.params`) on the deployed market, with their risk parameters, oracle
   * sources, E-mode memberships and seed supply; returns their records.
   */
  appendReserves: (
    input: AaveDeployInput,
    assets: readonly TokenSymbol[],
  ) => Promise<DeploymentRecord["aave"]["reserves"]>;
}

export type AaveDeployer = (input: AaveDeployInput) => Promise<DeployedAave>;

/** The two steps of listing reserves that differ between releases. */
export interface ReleaseListing {
  /** initReserves (and, on v3.0, a rate strategy per reserve); returns each reserve's rate strategy. */
  init: (reserves: AaveReserveParams[]) => Promise<(asset: TokenSymbol) => string>;
  /** Makes `asset` a member of the category as the release defines membership. */
  joinEMode: (e: AaveEModeParams, asset: TokenSymbol) => Promise<void>;
}

/** Whether `asset` is in any of the category's sets. */
function inEMode(e: AaveEModeParams, asset: TokenSymbol): boolean {
  return e.assets.includes(asset) || e.collateral.includes(asset) || e.borrowable.includes(asset);
}

/** Lists reserves on a deployed market: the same steps as at deployment, on every release, for those assets only. */
export async function appendReserves(
  input: AaveDeployInput,
  market: DeploymentRecord["aave"],
  assets: readonly TokenSymbol[],
  listing: ReleaseListing,
): Promise<DeploymentRecord["aave"]["reserves"]> {
  const { provider, deployer, params, tokens, feeds } = input;
  const reserves = params.aave.reserves.filter((r) => assets.includes(r.asset));
  if (reserves.length === 0) return {};
  const strategyOf = await listing.init(reserves);
  await configureReserves(input, market.poolConfigurator, reserves);
  const sources = aaveSourcesFor(params.aave.oraclePolicy, feeds);
  await sendTx(provider, "AaveOracle.setAssetSources (appended reserves)", () =>
    AaveOracle__factory.connect(market.oracle, deployer).setAssetSources(
      reserves.map((r) => tokens[r.asset]!.address),
      reserves.map((r) => needSource(sources, r.asset)),
    ),
  );
  for (const e of params.aave.eModes) {
    for (const r of reserves) if (inEMode(e, r.asset)) await listing.joinEMode(e, r.asset);
  }
  return seedAndRecordReserves(input, market.pool, strategyOf, reserves);
}

function needSource(sources: Partial<Record<TokenSymbol, string>>, asset: TokenSymbol): string {
  const s = sources[asset];
  if (s === undefined) throw new Error(`aave.reserves[${asset}]: its price feed is not deployed`);
  return s;
}

/** AaveOracle's constructor arguments: each reserve's source under the oracle policy, no fallback, USD base (8 decimals). */
export function aaveOracleArgs(input: AaveDeployInput, addressesProvider: string): unknown[] {
  const reserveAssets = input.params.aave.reserves.map((r) => r.asset);
  const sources = aaveSourcesFor(input.params.aave.oraclePolicy, input.feeds);
  return [
    addressesProvider,
    reserveAssets.map((a) => input.tokens[a]!.address),
    reserveAssets.map((a) => needSource(sources, a)),
    ZeroAddress, // no fallback oracle: a non-positive answer must revert, as on mainnet
    ZeroAddress, // base currency USD
    10n ** 8n, // BASE_CURRENCY_UNIT (USD, 8 decimals)
  ];
}

/** The deployer as ACL admin and every admin role, so the harness can configure the market it just deployed. */
export async function grantAdminRoles(
  provider: RpcProvider,
  deployer: Signer,
  addressesProvider: string,
  aclManager: string,
): Promise<void> {
  const me = await deployer.getAddress();
  await sendTx(provider, "setACLManager", () =>
    PoolAddressesProvider__factory.connect(addressesProvider, deployer).setACLManager(aclManager),
  );
  const acl = ACLManager__factory.connect(aclManager, deployer);
  await sendTx(provider, "addPoolAdmin", () => acl.addPoolAdmin(me));
  await sendTx(provider, "addRiskAdmin", () => acl.addRiskAdmin(me));
  await sendTx(provider, "addEmergencyAdmin", () => acl.addEmergencyAdmin(me));
  await sendTx(provider, "addAssetListingAdmin", () => acl.addAssetListingAdmin(me));
}

/** Collateral parameters, borrowing, flash loans, reserve factor, protocol fee and caps of each reserve. */
export async function configureReserves(
  input: AaveDeployInput,
  configuratorAddress: string,
  reserves: readonly AaveReserveParams[] = input.params.aave.reserves,
): Promise<void> {
  const { provider, deployer, tokens } = input;
  const configurator = PoolConfigurator__factory.connect(configuratorAddress, deployer);
  for (const r of reserves) {
    const a = tokens[r.asset]!.address;
    const at = `aave.reserves[${r.asset}]`;
    if (r.liquidationThresholdBps > 0) {
      await sendTx(provider, `${at}: configureReserveAsCollateral`, () =>
        configurator.configureReserveAsCollateral(a, r.ltvBps, r.liquidationThresholdBps, r.liquidationBonusBps),
      );
    }
    if (r.borrowingEnabled)
      await sendTx(provider, `${at}: setReserveBorrowing`, () => configurator.setReserveBorrowing(a, true));
    await sendTx(provider, `${at}: setReserveFlashLoaning`, () =>
      configurator.setReserveFlashLoaning(a, r.flashLoanEnabled),
    );
    await sendTx(provider, `${at}: setReserveFactor`, () => configurator.setReserveFactor(a, r.reserveFactorBps));
    await sendTx(provider, `${at}: setLiquidationProtocolFee`, () =>
      configurator.setLiquidationProtocolFee(a, r.liquidationProtocolFeeBps),
    );
    if (r.supplyCap > 0n)
      await sendTx(provider, `${at}: setSupplyCap`, () => configurator.setSupplyCap(a, r.supplyCap));
    if (r.borrowCap > 0n)
      await sendTx(provider, `${at}: setBorrowCap`, () => configurator.setBorrowCap(a, r.borrowCap));
  }
}

/** Liquidity supplied at deployment so there is something to borrow; then each reserve's token addresses. */
export async function seedAndRecordReserves(
  input: AaveDeployInput,
  poolAddress: string,
  interestRateStrategy: (asset: TokenSymbol) => string,
  reserves: readonly AaveReserveParams[] = input.params.aave.reserves,
): Promise<DeploymentRecord["aave"]["reserves"]> {
  const { provider, deployer, me, params, tokens } = input;
  const pool = Pool__factory.connect(poolAddress, deployer);
  for (const [sym, amount] of Object.entries(params.aave.seedSupplyRaw) as [TokenSymbol, bigint][]) {
    if (amount <= 0n || !reserves.some((r) => r.asset === sym)) continue;
    await fund(provider, deployer, tokens, sym, amount);
    const token = StandInERC20__factory.connect(tokens[sym]!.address, deployer);
    await sendTx(provider, `approve ${sym} to Aave`, () => token.approve(poolAddress, MaxUint256));
    await sendTx(provider, `seed Aave ${sym}`, () => pool.supply(tokens[sym]!.address, amount, me, 0));
  }
  const records: DeploymentRecord["aave"]["reserves"] = {};
  for (const r of reserves) {
    const data = await pool.getReserveData(tokens[r.asset]!.address);
    records[r.asset] = {
      aToken: data.aTokenAddress,
      variableDebtToken: data.variableDebtTokenAddress,
      stableDebtToken: data.stableDebtTokenAddress,
      interestRateStrategy: interestRateStrategy(r.asset),
    };
  }
  return records;
}

/** Which release a deployment record's market runs (records written before releases existed are v3.0). */
export function aaveReleaseOf(record: DeploymentRecord): AaveRelease {
  return record.aave.release ?? "v3.0";
}
