/**
 * Deploys the embedded chain: real Aave V3 (npm artifacts, libraries linked), real Morpho Blue (compiled from
 * the npm sources), real Uniswap V3 (npm artifacts), plus our stand-in tokens and settable feeds, configured
 * with mainnet's published parameters (params.ts). One call, used by tests, tasks and scripts.
 */
import { Signer, ZeroAddress, MaxUint256 } from "ethers";
import {
  FeedMorphoOracle__factory,
  FixedRateIrm__factory,
  Morpho__factory,
  NonfungiblePositionManager__factory,
  SettableAggregator__factory,
  StakedUSDeStandIn__factory,
  StandInERC20__factory,
  UniswapV3Factory__factory,
} from "../../typechain-types";
import { WAD } from "../constants";
import { factoryFor, loadNpmArtifact } from "../chain/artifacts";
import { advanceTime } from "../chain/clock";
import type { DeploymentRecord, MorphoMarketRecord, TokenRecord, UniswapPoolRecord } from "../chain/deployments";
import type { RpcProvider } from "../chain/rpc";
import { sendTx } from "../chain/tx";
import { assertLocalDevNode } from "../chain/safety";
import { parseUnitsExact } from "../math/fixed-point";
import { MAX_TICK, MIN_TICK, TICK_SPACING, alignTick, sqrtPriceX96FromRatio, tickAtOrBelow } from "../math/uniswap-v3";
import { morphoMarketId } from "../math/morpho-blue";
import { morphoOracleConfigFor } from "../oracles/policy";
import { deployPolicyFeeds } from "../oracles/policy-feeds";
import {
  EmbeddedParams,
  FEED_PRICE_PREFIX,
  MorphoMarketParams,
  UniswapPoolParams,
  defaultEmbeddedParams,
} from "./params";
import type { FeedName } from "../domain/feeds";
import { TokenSymbol } from "../domain/tokens";
import { validateEmbeddedParams } from "./validate";
import { AAVE_DEPLOYERS } from "./aave";
import { deployCurvePools } from "./curve";
import { deployEthenaMinting } from "./ethena";
import { deployContract, fund } from "./steps";

export interface DeployOptions {
  params?: EmbeddedParams;
  /** Called with a line per step, for progress output. */
  log?: (line: string) => void;
}

export interface EmbeddedDeployment {
  record: DeploymentRecord;
  params: EmbeddedParams;
}

/**
 * The parameters without what `appended` names: what is deployed first. Appended tokens leave the token, reserve,
 * E-mode and seed lists; appended feeds, markets and pools leave theirs.
 */
export function withoutAppended(params: EmbeddedParams): EmbeddedParams {
  const a = params.appended;
  const keep = <T extends string>(list: readonly T[]): T[] => list.filter((x) => !(a.tokens as string[]).includes(x));
  return {
    ...params,
    tokens: params.tokens.filter((t) => !a.tokens.includes(t.symbol)),
    feedsE8: Object.fromEntries(
      Object.entries(params.feedsE8).filter(([name]) => !(a.feeds as string[]).includes(name)),
    ) as EmbeddedParams["feedsE8"],
    aave: {
      ...params.aave,
      reserves: params.aave.reserves.filter((r) => !a.tokens.includes(r.asset)),
      eModes: params.aave.eModes.map((e) => ({
        ...e,
        assets: keep(e.assets),
        collateral: keep(e.collateral),
        borrowable: keep(e.borrowable),
      })),
      seedSupplyRaw: Object.fromEntries(
        Object.entries(params.aave.seedSupplyRaw).filter(([sym]) => !(a.tokens as string[]).includes(sym)),
      ),
    },
    morpho: { ...params.morpho, markets: params.morpho.markets.filter((m) => !a.morphoMarkets.includes(m.key)) },
    uniswap: { pools: params.uniswap.pools.filter((p) => !a.uniswapPools.includes(p.key)) },
  };
}

export async function deployEmbedded(
  deployer: Signer,
  provider: RpcProvider,
  options: DeployOptions = {},
): Promise<EmbeddedDeployment> {
  const all = options.params ?? defaultEmbeddedParams();
  validateEmbeddedParams(all);
  // Everything but the appended part first, so that appending never moves an address deployed before it.
  const params = withoutAppended(all);
  await assertLocalDevNode(provider);
  const log = options.log ?? (() => undefined);
  const me = await deployer.getAddress();
  const { chainId } = await provider.getNetwork();

  // ---- tokens ---------------------------------------------------------------------------------
  log("tokens");
  const tokens: Partial<Record<TokenSymbol, TokenRecord>> = {};
  const erc20 = (s: TokenSymbol) => StandInERC20__factory.connect(tokens[s]!.address, deployer);
  const deployTokens = async (list: EmbeddedParams["tokens"]): Promise<void> => {
    for (const t of list.filter((t) => t.kind === "erc20")) {
      const c = await deployContract(provider, t.symbol, new StandInERC20__factory(deployer), [
        t.name,
        t.symbol,
        t.decimals,
        me,
      ]);
      tokens[t.symbol] = { address: c.address, symbol: t.symbol, decimals: t.decimals };
    }
  };
  await deployTokens(params.tokens);
  const susdeParams = params.tokens.find((t) => t.kind === "vault");
  if (susdeParams) {
    if (!tokens.USDe) throw new Error("tokens: sUSDe needs USDe");
    const v = await deployContract(provider, "sUSDe", new StakedUSDeStandIn__factory(deployer), [
      tokens.USDe.address,
      me,
      params.susde.cooldownSeconds,
      params.susde.vestingSeconds,
    ]);
    tokens[susdeParams.symbol] = { address: v.address, symbol: susdeParams.symbol, decimals: 18 };
    // Bring the rate to its Oct 2025 level: seed deposit, then vest the difference as rewards.
    const vault = StakedUSDeStandIn__factory.connect(v.address, deployer);
    const seed = params.susde.seedDepositRaw;
    const rewards = (seed * params.susde.initialRateWad) / WAD - seed;
    await sendTx(provider, "mint USDe for sUSDe seed", () => erc20("USDe").mint(me, seed + rewards));
    await sendTx(provider, "approve sUSDe", () => erc20("USDe").approve(v.address, MaxUint256));
    await sendTx(provider, "seed sUSDe", () => vault.deposit(seed, me));
    if (rewards > 0n) {
      await sendTx(provider, "sUSDe rewards", () => vault.transferInRewards(rewards));
      await advanceTime(provider, params.susde.vestingSeconds + 1);
    }
  }

  // ---- price feeds ------------------------------------------------------------------------------
  log("price feeds");
  const feeds: Record<string, string> = {};
  const deployFeeds = async (answers: [string, bigint][]): Promise<void> => {
    for (const [name, answer] of answers) {
      const f = await deployContract(provider, name, new SettableAggregator__factory(deployer), [8, name, answer, me]);
      feeds[name] = f.address;
    }
  };
  await deployFeeds(Object.entries(params.feedsE8));
  // A feed nobody moves (fixed policies), and the sUSDe price views each policy needs.
  Object.assign(feeds, await deployPolicyFeeds(provider, deployer, tokens.sUSDe?.address, feeds));

  // ---- Aave V3 ----------------------------------------------------------------------------------
  const aaveDeployment = await AAVE_DEPLOYERS[params.aave.release]({
    provider,
    deployer,
    me,
    params,
    tokens,
    feeds,
    log,
  });
  const aave = aaveDeployment.record;

  // ---- Morpho Blue ---------------------------------------------------------------------------------
  log("Morpho Blue: core, IRM, oracles, markets");
  const morphoC = await deployContract(provider, "Morpho", new Morpho__factory(deployer), [me]);
  const morpho = Morpho__factory.connect(morphoC.address, deployer);
  const irm = await deployContract(provider, "FixedRateIrm", new FixedRateIrm__factory(deployer), [
    params.morpho.borrowRatePerSecondWad,
    me,
  ]);
  await sendTx(provider, "enableIrm", () => morpho.enableIrm(irm.address));
  const markets: Record<string, MorphoMarketRecord> = {};
  const enabledLltvs = new Set<bigint>();
  const createMarkets = async (list: MorphoMarketParams[]): Promise<void> => {
    for (const m of list) {
      const at = `morpho.markets[${m.key}]`;
      if (!enabledLltvs.has(m.lltvWad)) {
        await sendTx(provider, `${at}: enableLltv`, () => morpho.enableLltv(m.lltvWad));
        enabledLltvs.add(m.lltvWad);
      }
      const coll = tokens[m.collateral]!;
      const loan = tokens[m.loan]!;
      const oracle = await deployContract(provider, `${m.key} oracle`, new FeedMorphoOracle__factory(deployer), [
        coll.decimals,
        loan.decimals,
        morphoOracleConfigFor(params.morpho.oraclePolicy, m.collateral, m.loan, tokens, feeds),
        me,
      ]);
      const marketParams = {
        loanToken: loan.address,
        collateralToken: coll.address,
        oracle: oracle.address,
        irm: irm.address,
        lltv: m.lltvWad,
      };
      await sendTx(provider, `${at}: createMarket`, () => morpho.createMarket(marketParams));
      markets[m.key] = { id: morphoMarketId(marketParams), ...marketParams, lltv: m.lltvWad.toString() };
      if (m.supplyRaw > 0n) {
        await fund(provider, deployer, tokens, m.loan, m.supplyRaw);
        const token = StandInERC20__factory.connect(loan.address, deployer);
        await sendTx(provider, `approve ${m.loan} to Morpho`, () => token.approve(morphoC.address, MaxUint256));
        await sendTx(provider, `${at}: seed supply`, () => morpho.supply(marketParams, m.supplyRaw, 0n, me, "0x"));
      }
    }
  };
  await createMarkets(params.morpho.markets);

  // ---- Uniswap V3 ---------------------------------------------------------------------------------
  log("Uniswap V3: factory, router, position manager, quoter, pools");
  const factoryC = await deployContract(
    provider,
    "UniswapV3Factory",
    factoryFor(loadNpmArtifact("uniswapCore", "UniswapV3Factory.sol/UniswapV3Factory.json"), deployer),
    [],
  );
  const uniFactory = UniswapV3Factory__factory.connect(factoryC.address, deployer);
  // Mainnet enabled the 0.01% tier (tick spacing 1) by governance in Nov 2021.
  await sendTx(provider, "enableFeeAmount(100, 1)", () => uniFactory.enableFeeAmount(100, 1));
  const weth = tokens.WETH?.address ?? ZeroAddress;
  const router = await deployContract(
    provider,
    "SwapRouter",
    factoryFor(loadNpmArtifact("uniswapPeriphery", "SwapRouter.sol/SwapRouter.json"), deployer),
    [factoryC.address, weth],
  );
  const npmC = await deployContract(
    provider,
    "NonfungiblePositionManager",
    factoryFor(
      loadNpmArtifact("uniswapPeriphery", "NonfungiblePositionManager.sol/NonfungiblePositionManager.json"),
      deployer,
    ),
    [factoryC.address, weth, ZeroAddress],
  );
  const quoter = await deployContract(
    provider,
    "QuoterV2",
    factoryFor(loadNpmArtifact("uniswapPeriphery", "lens/QuoterV2.sol/QuoterV2.json"), deployer),
    [factoryC.address, weth],
  );
  const positionManager = NonfungiblePositionManager__factory.connect(npmC.address, deployer);
  const pools: Record<string, UniswapPoolRecord> = {};
  const createPools = async (list: UniswapPoolParams[]): Promise<void> => {
    for (const p of list) {
      const at = `uniswap.pools[${p.key}]`;
      const a = tokens[p.tokenA]!;
      const b = tokens[p.tokenB]!;
      // Price of A in B, WAD.
      let priceWad: bigint;
      if (p.initialPrice === "vault-rate") {
        if (p.tokenA !== "sUSDe" || !tokens.sUSDe)
          throw new Error(`${at}.initialPrice: "vault-rate" needs tokenA = sUSDe`);
        priceWad = await StakedUSDeStandIn__factory.connect(tokens.sUSDe.address, deployer).convertToAssets(WAD);
      } else if (p.initialPrice.startsWith(FEED_PRICE_PREFIX)) {
        // A stablecoin quote counts at 1 USD: the feed's answer (8 decimals) is the price of A in B.
        const feedE8 = params.feedsE8[p.initialPrice.slice(FEED_PRICE_PREFIX.length) as FeedName];
        priceWad = feedE8 * 10n ** 10n;
      } else {
        priceWad = parseUnitsExact(p.initialPrice, 18, `${at}.initialPrice`);
      }
      const aIs0 = BigInt(a.address) < BigInt(b.address);
      const [t0, t1] = aIs0 ? [a, b] : [b, a];
      // raw price token1/token0 = num/den
      const rawNumDen = (pWad: bigint): [bigint, bigint] =>
        aIs0
          ? [pWad * 10n ** BigInt(b.decimals), WAD * 10n ** BigInt(a.decimals)]
          : [WAD * 10n ** BigInt(a.decimals), pWad * 10n ** BigInt(b.decimals)];
      const [num, den] = rawNumDen(priceWad);
      await sendTx(provider, `${at}: createAndInitializePoolIfNecessary`, () =>
        positionManager.createAndInitializePoolIfNecessary(
          t0.address,
          t1.address,
          p.fee,
          sqrtPriceX96FromRatio(num, den),
        ),
      );
      const poolAddr = await uniFactory.getPool(t0.address, t1.address, p.fee);
      pools[p.key] = { address: poolAddr, token0: t0.address, token1: t1.address, fee: p.fee };

      const spacing = TICK_SPACING[p.fee];
      const depthA = p.depthPerSide * 10n ** BigInt(a.decimals);
      const depthB = (p.depthPerSide * priceWad * 10n ** BigInt(b.decimals)) / WAD;
      await fund(provider, deployer, tokens, p.tokenA, depthA);
      await fund(provider, deployer, tokens, p.tokenB, depthB);
      await sendTx(provider, `approve ${p.tokenA} to NPM`, () =>
        StandInERC20__factory.connect(a.address, deployer).approve(npmC.address, MaxUint256),
      );
      await sendTx(provider, `approve ${p.tokenB} to NPM`, () =>
        StandInERC20__factory.connect(b.address, deployer).approve(npmC.address, MaxUint256),
      );
      for (const [i, layer] of p.layers.entries()) {
        const rawOf = (pWad: bigint): number => {
          const [n, d] = rawNumDen(pWad);
          return Number((n * 10n ** 30n) / d) / 1e30;
        };
        let tickLower: number;
        let tickUpper: number;
        if ("fullRange" in layer) {
          [tickLower, tickUpper] = [alignTick(MIN_TICK, spacing, "up"), alignTick(MAX_TICK, spacing, "down")];
        } else {
          const lo = (priceWad * parseUnitsExact(layer.lowerPrice, 18, "lowerPrice")) / WAD;
          const hi = (priceWad * parseUnitsExact(layer.upperPrice, 18, "upperPrice")) / WAD;
          const t1s = [tickAtOrBelow(rawOf(lo)), tickAtOrBelow(rawOf(hi))].sort((x, y) => x - y);
          tickLower = alignTick(t1s[0], spacing, "down");
          tickUpper = alignTick(t1s[1] + 1, spacing, "up");
        }
        const amtA = (depthA * BigInt(layer.shareBps)) / 10_000n;
        const amtB = (depthB * BigInt(layer.shareBps)) / 10_000n;
        await sendTx(provider, `${at}: mint layer ${i}`, () =>
          positionManager.mint({
            token0: t0.address,
            token1: t1.address,
            fee: p.fee,
            tickLower,
            tickUpper,
            amount0Desired: aIs0 ? amtA : amtB,
            amount1Desired: aIs0 ? amtB : amtA,
            amount0Min: 0n,
            amount1Min: 0n,
            recipient: me,
            deadline: MaxUint256,
          }),
        );
      }
    }
  };
  await createPools(params.uniswap.pools);

  // ---- Curve (optional; deployed last so the other addresses do not depend on it) ------------------------
  if (params.curve.pools.length > 0) log("Curve: stable-swap pools");
  const curvePools = await deployCurvePools(provider, deployer, params, tokens);

  // ---- Ethena's minting stand-in (last: the addresses above stay where they were) ---------------------------
  log("Ethena: minting stand-in");
  const ethena = await deployEthenaMinting(provider, deployer, params, tokens);

  // ---- Appended: after everything above, so none of its addresses moves ------------------------------------
  const appended = all.appended;
  if (appended.tokens.length + appended.feeds.length + appended.morphoMarkets.length + appended.uniswapPools.length > 0)
    log(
      `appended: ${[...appended.tokens, ...appended.feeds, ...appended.morphoMarkets, ...appended.uniswapPools].join(", ")}`,
    );
  await deployTokens(all.tokens.filter((t) => appended.tokens.includes(t.symbol)));
  await deployFeeds(appended.feeds.map((name) => [name, all.feedsE8[name]]));
  Object.assign(
    aave.reserves,
    await aaveDeployment.appendReserves({ provider, deployer, me, params: all, tokens, feeds, log }, appended.tokens),
  );
  await createMarkets(all.morpho.markets.filter((m) => appended.morphoMarkets.includes(m.key)));
  await createPools(all.uniswap.pools.filter((p) => appended.uniswapPools.includes(p.key)));

  const block = await provider.getBlockNumber();
  const record: DeploymentRecord = {
    profile: "embedded",
    chainId: Number(chainId),
    deployer: me,
    block,
    tokens,
    feeds,
    aave,
    morpho: { morpho: morphoC.address, irm: irm.address, markets },
    ethena,
    uniswap: {
      factory: factoryC.address,
      swapRouter: router.address,
      positionManager: npmC.address,
      quoter: quoter.address,
      pools,
    },
    ...(params.curve.pools.length > 0 ? { curve: { pools: curvePools } } : {}),
  };
  return { record, params: all };
}
