import { PERCENTAGE_FACTOR, WAD } from "../constants";
import { InputError } from "../errors";
import { parseUnitsExact } from "../math/fixed-point";
import { aaveReleaseFrom } from "../domain/aave-release";
import { CURVE_TEMPLATE_DECIMALS, EmbeddedParams, FEED_PRICE_PREFIX } from "./params";
import { FEED_NAMES } from "../domain/feeds";
import { ORACLE_POLICIES } from "../domain/oracle-policy";
import { TOKEN_SYMBOLS, TokenSymbol } from "../domain/tokens";

function bps(field: string, value: number, max = Number(PERCENTAGE_FACTOR)): void {
  if (!Number.isInteger(value) || value < 0 || value > max) {
    throw new InputError(field, `must be an integer number of basis points in [0, ${max}], got ${value}`);
  }
}

/**
 * Checks embedded-chain parameters before anything is deployed, with the protocols' own constraints
 * (Aave PoolConfigurator and Morpho createMarket would revert later with a bare code).
 */
export function validateEmbeddedParams(p: EmbeddedParams): void {
  const known = new Set<string>(p.tokens.map((t) => t.symbol));
  const token = (field: string, symbol: string): TokenSymbol => {
    if (!TOKEN_SYMBOLS.includes(symbol as TokenSymbol)) {
      throw new InputError(field, `unknown token "${symbol}"`, `use one of ${TOKEN_SYMBOLS.join(", ")}`);
    }
    if (!known.has(symbol)) throw new InputError(field, `token "${symbol}" is not in tokens[]`, "add it to tokens");
    return symbol as TokenSymbol;
  };
  const seen = new Set<string>();
  p.tokens.forEach((t, i) => {
    token(`tokens[${i}].symbol`, t.symbol);
    if (seen.has(t.symbol)) throw new InputError(`tokens[${i}].symbol`, `duplicate token ${t.symbol}`);
    seen.add(t.symbol);
    if (!Number.isInteger(t.decimals) || t.decimals < 0 || t.decimals > 36) {
      throw new InputError(`tokens[${t.symbol}].decimals`, `must be an integer in [0, 36], got ${t.decimals}`);
    }
  });
  for (const name of FEED_NAMES) {
    const v = p.feedsE8[name];
    if (v === undefined || v <= 0n) {
      throw new InputError(
        `feedsE8["${name}"]`,
        `must be a positive price (USD, 8 decimals), got ${String(v)}`,
        "protocols fall back or revert on prices <= 0",
      );
    }
  }
  if (p.susde.initialRateWad < WAD) {
    throw new InputError(
      "susde.initialRateWad",
      "the sUSDe rate cannot start below 1 USDe per share",
      "use a value >= 1e18",
    );
  }
  for (const [field, policy] of [
    ["aave.oraclePolicy", p.aave.oraclePolicy],
    ["morpho.oraclePolicy", p.morpho.oraclePolicy],
  ] as const) {
    if (!ORACLE_POLICIES.includes(policy)) {
      throw new InputError(field, `unknown oracle policy "${policy}"`, `use one of ${ORACLE_POLICIES.join(", ")}`);
    }
  }

  const reserveLt = new Map<string, number>();
  p.aave.reserves.forEach((r, i) => {
    const at = `aave.reserves[${i}:${r.asset}]`;
    token(`${at}.asset`, r.asset);
    bps(`${at}.ltvBps`, r.ltvBps);
    bps(`${at}.liquidationThresholdBps`, r.liquidationThresholdBps);
    bps(`${at}.reserveFactorBps`, r.reserveFactorBps);
    bps(`${at}.liquidationProtocolFeeBps`, r.liquidationProtocolFeeBps);
    if (r.liquidationThresholdBps < r.ltvBps) {
      throw new InputError(
        `${at}.liquidationThresholdBps`,
        `liquidation threshold ${r.liquidationThresholdBps} bps is below LTV ${r.ltvBps} bps`,
        "the threshold must be >= LTV (Aave PoolConfigurator rule)",
      );
    }
    if (r.liquidationThresholdBps > 0) {
      if (r.liquidationBonusBps <= Number(PERCENTAGE_FACTOR)) {
        throw new InputError(
          `${at}.liquidationBonusBps`,
          `must exceed 10000 (10000 + bonus), got ${r.liquidationBonusBps}`,
        );
      }
      if ((r.liquidationThresholdBps * r.liquidationBonusBps) / 10_000 > 10_000) {
        throw new InputError(
          `${at}.liquidationBonusBps`,
          "threshold x bonus exceeds 100%: liquidations could not be covered by collateral",
        );
      }
    }
    const rs = r.rateStrategy;
    bps(`${at}.rateStrategy.optimalUsageRatioBps`, rs.optimalUsageRatioBps);
    for (const k of ["baseVariableBorrowRateBps", "variableRateSlope1Bps", "variableRateSlope2Bps"] as const) {
      bps(`${at}.rateStrategy.${k}`, rs[k], 1_000_000);
    }
    if (r.supplyCap < 0n || r.borrowCap < 0n) throw new InputError(`${at}.supplyCap`, "caps cannot be negative");
    reserveLt.set(r.asset, r.liquidationThresholdBps);
  });
  aaveReleaseFrom(p.aave.release, "aave.release");
  p.aave.eModes.forEach((e, i) => {
    const at = `aave.eModes[${i}:${e.id}]`;
    if (!Number.isInteger(e.id) || e.id < 1 || e.id > 255)
      throw new InputError(`${at}.id`, "must be an integer in [1, 255]");
    bps(`${at}.ltvBps`, e.ltvBps);
    bps(`${at}.liquidationThresholdBps`, e.liquidationThresholdBps);
    if (e.liquidationThresholdBps < e.ltvBps) {
      throw new InputError(
        `${at}.liquidationThresholdBps`,
        `liquidation threshold ${e.liquidationThresholdBps} bps is below LTV ${e.ltvBps} bps`,
        "the threshold must be >= LTV",
      );
    }
    if (e.liquidationBonusBps <= 10_000 || (e.liquidationThresholdBps * e.liquidationBonusBps) / 10_000 > 10_000) {
      throw new InputError(
        `${at}.liquidationBonusBps`,
        `must be > 10000 with threshold x bonus <= 100%, got ${e.liquidationBonusBps}`,
      );
    }
    // v3.0 requires the E-mode threshold above every member's own; v3.2+ only above the collateral's.
    const ltChecked = p.aave.release === "v3.0" ? "assets" : "collateral";
    for (const list of ["assets", "collateral", "borrowable"] as const) {
      e[list].forEach((a, j) => {
        token(`${at}.${list}[${j}]`, a);
        const lt = reserveLt.get(a);
        if (lt === undefined)
          throw new InputError(`${at}.${list}[${j}]`, `${a} is not an Aave reserve`, "add it to aave.reserves");
        if (list === ltChecked && lt >= e.liquidationThresholdBps) {
          throw new InputError(
            `${at}.liquidationThresholdBps`,
            `must exceed ${a}'s own threshold ${lt} bps (Aave rule)`,
          );
        }
      });
    }
  });
  bps("aave.flashLoanPremiumTotalBps", p.aave.flashLoanPremiumTotalBps);
  bps("aave.flashLoanPremiumToProtocolBps", p.aave.flashLoanPremiumToProtocolBps);
  for (const [sym, amount] of Object.entries(p.aave.seedSupplyRaw)) {
    token(`aave.seedSupplyRaw.${sym}`, sym);
    if ((amount ?? 0n) < 0n) throw new InputError(`aave.seedSupplyRaw.${sym}`, "cannot be negative");
  }

  const marketKeys = new Set<string>();
  p.morpho.markets.forEach((m, i) => {
    const at = `morpho.markets[${i}:${m.key}]`;
    if (marketKeys.has(m.key)) throw new InputError(`${at}.key`, "duplicate market key");
    marketKeys.add(m.key);
    token(`${at}.collateral`, m.collateral);
    token(`${at}.loan`, m.loan);
    if (m.collateral === m.loan) throw new InputError(`${at}.loan`, "loan and collateral tokens must differ");
    if (m.lltvWad <= 0n || m.lltvWad >= WAD) {
      throw new InputError(
        `${at}.lltvWad`,
        `LLTV must be in (0, 1e18), got ${m.lltvWad}`,
        "e.g. 915000000000000000 for 91.5%",
      );
    }
    if (m.supplyRaw < 0n) throw new InputError(`${at}.supplyRaw`, "cannot be negative");
  });
  if (p.morpho.borrowRatePerSecondWad < 0n) throw new InputError("morpho.borrowRatePerSecondWad", "cannot be negative");

  p.uniswap.pools.forEach((pool, i) => {
    const at = `uniswap.pools[${i}:${pool.key}]`;
    token(`${at}.tokenA`, pool.tokenA);
    token(`${at}.tokenB`, pool.tokenB);
    if (pool.tokenA === pool.tokenB) throw new InputError(`${at}.tokenB`, "a pool needs two different tokens");
    if (![100, 500, 3000, 10000].includes(pool.fee)) {
      throw new InputError(
        `${at}.fee`,
        `unsupported fee tier ${pool.fee}`,
        "use 100, 500, 3000 or 10000 (hundredths of a bp)",
      );
    }
    if (pool.initialPrice.startsWith(FEED_PRICE_PREFIX)) {
      const feed = pool.initialPrice.slice(FEED_PRICE_PREFIX.length);
      if (!(feed in p.feedsE8))
        throw new InputError(
          `${at}.initialPrice`,
          `unknown feed "${feed}"`,
          `use one of ${Object.keys(p.feedsE8).join(", ")}`,
        );
    } else if (
      pool.initialPrice !== "vault-rate" &&
      parseUnitsExact(pool.initialPrice, 18, `${at}.initialPrice`) <= 0n
    ) {
      throw new InputError(`${at}.initialPrice`, "must be > 0");
    }
    if (pool.depthPerSide <= 0n) throw new InputError(`${at}.depthPerSide`, "must be > 0 whole tokens");
    let share = 0;
    pool.layers.forEach((l, j) => {
      bps(`${at}.layers[${j}].shareBps`, l.shareBps);
      share += l.shareBps;
      if ("fullRange" in l) return;
      const lo = parseUnitsExact(l.lowerPrice, 18, `${at}.layers[${j}].lowerPrice`);
      const hi = parseUnitsExact(l.upperPrice, 18, `${at}.layers[${j}].upperPrice`);
      if (lo <= 0n || hi <= lo) throw new InputError(`${at}.layers[${j}]`, "needs 0 < lowerPrice < upperPrice");
      if (lo > WAD || hi < WAD)
        throw new InputError(`${at}.layers[${j}]`, "each layer must contain the initial price (relative 1.0)");
    });
    if (share !== 10_000) throw new InputError(`${at}.layers`, `shares must add up to 10000 bps, got ${share}`);
  });
  const curveKeys = new Set<string>();
  p.curve.pools.forEach((pool, i) => {
    const at = `curve.pools[${i}:${pool.key}]`;
    if (curveKeys.has(pool.key)) throw new InputError(`${at}.key`, "duplicate pool key");
    curveKeys.add(pool.key);
    if (pool.coins.length !== CURVE_TEMPLATE_DECIMALS.length) {
      throw new InputError(
        `${at}.coins`,
        `Curve's npm pool template holds exactly ${CURVE_TEMPLATE_DECIMALS.length} coins, got ${pool.coins.length}`,
      );
    }
    pool.coins.forEach((c, j) => {
      token(`${at}.coins[${j}]`, c);
      const decimals = p.tokens.find((t) => t.symbol === c)!.decimals;
      if (decimals !== CURVE_TEMPLATE_DECIMALS[j]) {
        throw new InputError(
          `${at}.coins[${j}]`,
          `${c} has ${decimals} decimals; the template's coin ${j} must have ${CURVE_TEMPLATE_DECIMALS[j]}`,
          `order the coins by decimals ${CURVE_TEMPLATE_DECIMALS.join("/")}`,
        );
      }
    });
    if (new Set(pool.coins).size !== pool.coins.length) throw new InputError(`${at}.coins`, "coins must differ");
    if (!Number.isInteger(pool.amplification) || pool.amplification < 1 || pool.amplification > 1_000_000) {
      throw new InputError(`${at}.amplification`, `must be an integer in [1, 1000000], got ${pool.amplification}`);
    }
    // Curve's MAX_FEE is 50% (5e9 in 1e10 units).
    if (!Number.isInteger(pool.feeE10) || pool.feeE10 < 0 || pool.feeE10 > 5_000_000_000) {
      throw new InputError(`${at}.feeE10`, `must be an integer in [0, 5e9] (1e10 = 100%), got ${pool.feeE10}`);
    }
    if (pool.depthPerCoin <= 0n) throw new InputError(`${at}.depthPerCoin`, "must be > 0 whole tokens");
  });
  validateEthena(p, token);
  validateAppended(p);
}

/**
 * What `appended` names exists, and nothing deployed first depends on it: an appended token is not the vault, not
 * Ethena's and not in a market or pool that is deployed first.
 */
function validateAppended(p: EmbeddedParams): void {
  const a = p.appended;
  const named = (field: string, list: readonly string[], known: readonly string[]): void => {
    list.forEach((x, i) => {
      if (!known.includes(x))
        throw new InputError(`appended.${field}[${i}]`, `"${x}" is not in ${field}`, `use one of ${known.join(", ")}`);
    });
  };
  named(
    "tokens",
    a.tokens,
    p.tokens.filter((t) => t.kind === "erc20").map((t) => t.symbol),
  );
  named("feeds", a.feeds, Object.keys(p.feedsE8));
  named(
    "morphoMarkets",
    a.morphoMarkets,
    p.morpho.markets.map((m) => m.key),
  );
  named(
    "uniswapPools",
    a.uniswapPools,
    p.uniswap.pools.map((x) => x.key),
  );
  const late = (s: TokenSymbol): boolean => a.tokens.includes(s);
  const early = (what: string, tokens: TokenSymbol[]): void => {
    const t = tokens.find(late);
    if (t)
      throw new InputError(
        `appended.tokens`,
        `${t} is appended but ${what} is deployed before it`,
        `append ${what} too`,
      );
  };
  early("USDe and sUSDe", ["USDe"]);
  p.ethena.assets.forEach((x) => early("Ethena's minting stand-in", [x.asset]));
  p.morpho.markets
    .filter((m) => !a.morphoMarkets.includes(m.key))
    .forEach((m) => early(`morpho.markets[${m.key}]`, [m.collateral, m.loan]));
  p.uniswap.pools
    .filter((x) => !a.uniswapPools.includes(x.key))
    .forEach((x) => early(`uniswap.pools[${x.key}]`, [x.tokenA, x.tokenB]));
  p.curve.pools.forEach((x) => early(`curve.pools[${x.key}]`, x.coins));
}

/** Ethena's minting stand-in: its stablecoins exist, limits and reserves are not negative, the fee is a bps share. */
function validateEthena(p: EmbeddedParams, token: (field: string, symbol: string) => TokenSymbol): void {
  const e = p.ethena;
  bps("ethena.feeBps", e.feeBps);
  token("ethena", "USDe");
  e.assets.forEach((a, i) => {
    const at = `ethena.assets[${i}:${a.asset}]`;
    token(`${at}.asset`, a.asset);
    for (const [k, v] of [
      ["maxMintPerBlock", a.maxMintPerBlock],
      ["maxRedeemPerBlock", a.maxRedeemPerBlock],
      ["reserve", a.reserve],
    ] as const) {
      if (v < 0n) throw new InputError(`${at}.${k}`, `must be >= 0 whole tokens, got ${v}`);
    }
  });
  if (e.globalMaxMintPerBlock < 0n || e.globalMaxRedeemPerBlock < 0n)
    throw new InputError("ethena.globalMaxRedeemPerBlock", "per-block limits must be >= 0 whole USDe");
}
