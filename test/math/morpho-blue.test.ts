/**
 * Unit tests for src/math/morpho-blue.ts against independently derived values.
 *
 * Exported functions covered (all of them):
 *   morphoMarketId                                     (MarketParamsLib.sol id)
 *   toAssetsDown, toAssetsUp, toSharesDown, toSharesUp (SharesMathLib.sol)
 *   liquidationIncentiveFactor                         (Morpho.sol liquidate: min(1.15, 1 / (1 - 0.3 (1 - LLTV))))
 *   isHealthy                                          (Morpho.sol _isHealthy)
 *   repaidForSeized, seizedForRepaidShares             (Morpho.sol liquidate, both input modes)
 *   liquidationPrice                                   (search on _isHealthy's formula)
 *   wTaylorCompounded                                  (MathLib.sol)
 *   accruedBorrowAssets                                (Morpho.sol _accrueInterest, borrow side)
 *   healthFactorWad                                    (max borrow over borrowed, wDivDown)
 * (MarketParamsStruct is a type only.)
 *
 * Expected values are literals worked by hand (arithmetic in the comments) or come from the reference functions
 * below, transcribed from node_modules/@morpho-org/morpho-blue/src (Morpho.sol, libraries/MathLib.sol,
 * libraries/SharesMathLib.sol, libraries/ConstantsLib.sol).
 */
import { expect } from "chai";
import { keccak256 } from "ethers";
import {
  MarketParamsStruct,
  accruedBorrowAssets,
  healthFactorWad,
  isHealthy,
  liquidationIncentiveFactor,
  liquidationPrice,
  morphoMarketId,
  repaidForSeized,
  seizedForRepaidShares,
  toAssetsDown,
  toAssetsUp,
  toSharesDown,
  toSharesUp,
  wTaylorCompounded,
} from "../../src/math/morpho-blue";
import { UINT256_MAX, seededBigints } from "./helpers";

const WAD = 10n ** 18n;
const ORACLE_PRICE_SCALE = 10n ** 36n; // ConstantsLib.sol
const LLTV_915 = 915n * 10n ** 15n;

// ---- References, transcribed from Morpho Blue -------------------------------------------------------------------
// MathLib.sol
const mulDivDown = (x: bigint, y: bigint, d: bigint): bigint => (x * y) / d;
const mulDivUp = (x: bigint, y: bigint, d: bigint): bigint => (x * y + (d - 1n)) / d;
const wMulDown = (x: bigint, y: bigint): bigint => mulDivDown(x, y, WAD);
const wDivDown = (x: bigint, y: bigint): bigint => mulDivDown(x, WAD, y);
const wDivUp = (x: bigint, y: bigint): bigint => mulDivUp(x, WAD, y);
function refTaylor(x: bigint, n: bigint): bigint {
  const firstTerm = x * n;
  const secondTerm = mulDivDown(firstTerm, firstTerm, 2n * WAD);
  const thirdTerm = mulDivDown(secondTerm, firstTerm, 3n * WAD);
  return firstTerm + secondTerm + thirdTerm;
}
// SharesMathLib.sol: VIRTUAL_SHARES = 1e6, VIRTUAL_ASSETS = 1.
const refToSharesDown = (a: bigint, ta: bigint, ts: bigint): bigint => mulDivDown(a, ts + 10n ** 6n, ta + 1n);
const refToSharesUp = (a: bigint, ta: bigint, ts: bigint): bigint => mulDivUp(a, ts + 10n ** 6n, ta + 1n);
const refToAssetsDown = (s: bigint, ta: bigint, ts: bigint): bigint => mulDivDown(s, ta + 1n, ts + 10n ** 6n);
const refToAssetsUp = (s: bigint, ta: bigint, ts: bigint): bigint => mulDivUp(s, ta + 1n, ts + 10n ** 6n);
// Morpho.sol liquidate:
//   min(MAX_LIQUIDATION_INCENTIVE_FACTOR, WAD.wDivDown(WAD - LIQUIDATION_CURSOR.wMulDown(WAD - lltv)))
const refIncentive = (lltv: bigint): bigint => {
  const f = wDivDown(WAD, WAD - wMulDown(3n * 10n ** 17n, WAD - lltv));
  return f < 115n * 10n ** 16n ? f : 115n * 10n ** 16n;
};
// Morpho.sol _isHealthy
const refHealthy = (coll: bigint, shares: bigint, ta: bigint, ts: bigint, price: bigint, lltv: bigint): boolean =>
  wMulDown(mulDivDown(coll, price, ORACLE_PRICE_SCALE), lltv) >= refToAssetsUp(shares, ta, ts);

/** A USDC market (6 decimals) with sUSDe (18) collateral at 1.1 USDC: price = 1.1 * 1e36 * 1e6 / 1e18. */
const PRICE = 11n * 10n ** 23n;
const TBA = 1_000_000_123_456n; // 1,000,000.123456 USDC borrowed
const TBS = 999_999_999_992_108_989n; // 1e18 - 7,891,011 shares

describe("math/morpho-blue", function () {
  describe("morphoMarketId (MarketParamsLib.id)", function () {
    const params: MarketParamsStruct = {
      loanToken: "0xe7f1725E7734CE288F8367e1Bb143E90bb3F0512",
      collateralToken: "0x5FC8d32690cc91D4c39d9d3abcBD16989F875707",
      oracle: "0x3155755b79aA083bd953911C92705B7aA82a18F9",
      irm: "0xfaAddC93baf78e89DCf37bA67943E1bE8F37Bb8c",
      lltv: LLTV_915,
    };

    it("is keccak256 over the five 32-byte words of the struct", function () {
      // abi.encode of (address, address, address, address, uint256): each left-padded to 32 bytes, 160 bytes
      const word = (hex: string): string => hex.toLowerCase().replace(/^0x/, "").padStart(64, "0");
      const words = [params.loanToken, params.collateralToken, params.oracle, params.irm, params.lltv.toString(16)];
      const encoded = "0x" + words.map(word).join("");
      expect(encoded.length).to.equal(2 + 5 * 64);
      expect(morphoMarketId(params)).to.equal(keccak256(encoded));
      // the same digest from @noble/hashes keccak_256 over those 160 bytes, pinned:
      expect(morphoMarketId(params)).to.equal("0x3aca48e468b146c2f4e5fd8543b1bd6a9ce1242f75638fc9a89c15b20eb8820b");
    });

    it("ignores address case, and all-zero params hash 160 zero bytes", function () {
      const lower = { ...params, loanToken: params.loanToken.toLowerCase(), irm: params.irm.toLowerCase() };
      expect(morphoMarketId(lower)).to.equal(morphoMarketId(params));
      const zero = "0x0000000000000000000000000000000000000000";
      // keccak256 of 160 zero bytes
      expect(morphoMarketId({ loanToken: zero, collateralToken: zero, oracle: zero, irm: zero, lltv: 0n })).to.equal(
        "0xdfded4ed5ac76ba7379cfe7b3b0f53e768dca8d45a34854e649cfc3c18cbd9cd",
      );
      // one wei of LLTV changes the id
      expect(morphoMarketId({ ...params, lltv: LLTV_915 + 1n })).to.not.equal(morphoMarketId(params));
    });
  });

  describe("toShares / toAssets (SharesMathLib, virtual shares 1e6 and virtual assets 1)", function () {
    it("an empty market: one asset is 1e6 shares", function () {
      // 1 * (0 + 1e6) / (0 + 1) = 1e6
      expect(toSharesDown(1n, 0n, 0n)).to.equal(10n ** 6n);
      expect(toSharesUp(1n, 0n, 0n)).to.equal(10n ** 6n);
      // 1e6 * (0 + 1) / (0 + 1e6) = 1
      expect(toAssetsDown(10n ** 6n, 0n, 0n)).to.equal(1n);
      // 999999 shares = 0.999999 assets: down 0, up 1
      expect(toAssetsDown(999_999n, 0n, 0n)).to.equal(0n);
      expect(toAssetsUp(999_999n, 0n, 0n)).to.equal(1n);
      expect(toAssetsUp(1n, 0n, 0n)).to.equal(1n);
    });

    it("down and up differ by one where the quotient is not whole", function () {
      // 1 * (1e12 + 1e6) / (1.5e6 + 1) = 1000001000000 / 1500001 = 666666.44: down 666666, up 666667
      expect(toSharesDown(1n, 1_500_000n, 10n ** 12n)).to.equal(666_666n);
      expect(toSharesUp(1n, 1_500_000n, 10n ** 12n)).to.equal(666_667n);
      // 1e6 * (1.5e6 + 1) / (1e12 + 1e6) = 1.4999995: down 1, up 2
      expect(toAssetsDown(10n ** 6n, 1_500_000n, 10n ** 12n)).to.equal(1n);
      expect(toAssetsUp(10n ** 6n, 1_500_000n, 10n ** 12n)).to.equal(2n);
      // exact: 1 * (1e12 + 1e6) / (1e6 + 1) = 1e6
      expect(toSharesDown(1n, 10n ** 6n, 10n ** 12n)).to.equal(10n ** 6n);
      expect(toSharesUp(1n, 10n ** 6n, 10n ** 12n)).to.equal(10n ** 6n);
      // zero in, zero out
      expect(toSharesUp(0n, 5n, 7n)).to.equal(0n);
      expect(toAssetsUp(0n, 5n, 7n)).to.equal(0n);
    });

    it("match SharesMathLib over 400 seeded markets", function () {
      const rnd = seededBigints(31);
      for (let k = 0; k < 400; k++) {
        const ta = rnd(10n ** 30n);
        const ts = rnd(10n ** 36n);
        const x = rnd(10n ** 30n);
        expect(toSharesDown(x, ta, ts)).to.equal(refToSharesDown(x, ta, ts));
        expect(toSharesUp(x, ta, ts)).to.equal(refToSharesUp(x, ta, ts));
        expect(toAssetsDown(x, ta, ts)).to.equal(refToAssetsDown(x, ta, ts));
        expect(toAssetsUp(x, ta, ts)).to.equal(refToAssetsUp(x, ta, ts));
      }
    });
  });

  describe("liquidationIncentiveFactor", function () {
    it("by hand for the usual LLTVs (Morpho docs: 91.5% -> 1.0262, 86% -> 1.0438, 94.5% -> 1.0168)", function () {
      // 91.5%: wMulDown(0.3e18, 0.085e18) = 0.0255e18; 1e36 / 0.9745e18 = 1026167265264238070.80 -> floor
      expect(liquidationIncentiveFactor(LLTV_915)).to.equal(1_026_167_265_264_238_070n);
      // 86%: 1 - 0.3 * 0.14 = 0.958; 1e36 / 0.958e18 = 1043841336116910229.6 -> floor
      expect(liquidationIncentiveFactor(860n * 10n ** 15n)).to.equal(1_043_841_336_116_910_229n);
      // 94.5%: 1 - 0.3 * 0.055 = 0.9835; 1e36 / 0.9835e18 = 1016776817488561260.8 -> floor
      expect(liquidationIncentiveFactor(945n * 10n ** 15n)).to.equal(1_016_776_817_488_561_260n);
      // 60%: 1 / 0.88 = 1.136363... -> 1136363636363636363 (under the cap)
      expect(liquidationIncentiveFactor(6n * 10n ** 17n)).to.equal(1_136_363_636_363_636_363n);
    });

    it("is capped at 1.15 for low LLTVs and is exactly 1 at LLTV 100%", function () {
      // 50%: 1 / 0.85 = 1.176 -> 1.15
      expect(liquidationIncentiveFactor(5n * 10n ** 17n)).to.equal(115n * 10n ** 16n);
      // 0%: 1 / 0.7 = 1.43 -> 1.15
      expect(liquidationIncentiveFactor(0n)).to.equal(115n * 10n ** 16n);
      expect(liquidationIncentiveFactor(WAD)).to.equal(WAD);
    });

    it("matches Morpho.sol's expression over 200 seeded LLTVs", function () {
      const rnd = seededBigints(32);
      for (let k = 0; k < 200; k++) {
        const lltv = rnd(WAD + 1n);
        expect(liquidationIncentiveFactor(lltv)).to.equal(refIncentive(lltv));
      }
    });
  });

  describe("isHealthy (Morpho._isHealthy)", function () {
    // 1000 sUSDe at 1.1 USDC: collateral value = 1000e18 * 1.1e24 / 1e36 = 1.1e9;
    // max borrow = 1.1e9 * 0.915 = 1006500000
    const coll = 1_000n * WAD;

    it("max borrow equal to the borrowed assets is healthy (>=)", function () {
      // market of 1006500000 assets and 1006500000e6 shares, all the borrower's:
      //   toAssetsUp = ceil(1006500000e6 * 1006500001 / 1006500001e6) = 1006500000 = max borrow
      const shares = 1_006_500_000n * 10n ** 6n;
      expect(isHealthy(coll, shares, 1_006_500_000n, shares, PRICE, LLTV_915)).to.equal(true);
    });

    it("borrowed is rounded up: 1006500000.999999999 assets is one unit too many", function () {
      // totalBorrowAssets one higher: 1006500000e6 * 1006500002 / 1006500001e6 = 1006500000.999999999 -> up 1006500001
      const shares = 1_006_500_000n * 10n ** 6n;
      expect(isHealthy(coll, shares, 1_006_500_001n, shares, PRICE, LLTV_915)).to.equal(false);
    });

    it("no debt is healthy; no collateral with debt is not", function () {
      expect(isHealthy(0n, 0n, TBA, TBS, PRICE, LLTV_915)).to.equal(true);
      expect(isHealthy(0n, 1n, TBA, TBS, PRICE, LLTV_915)).to.equal(false);
    });

    it("matches _isHealthy over 400 seeded positions", function () {
      const rnd = seededBigints(33);
      let healthy = 0;
      for (let k = 0; k < 400; k++) {
        const coll2 = rnd(10n ** 24n);
        const ta = rnd(10n ** 14n) + 1n;
        const ts = ta * 10n ** 6n + rnd(10n ** 18n);
        const shares = rnd(ts / 100n + 1n);
        const price = rnd(2n * 10n ** 24n);
        const lltv = rnd(WAD);
        const expected = refHealthy(coll2, shares, ta, ts, price, lltv);
        expect(isHealthy(coll2, shares, ta, ts, price, lltv)).to.equal(expected);
        if (expected) healthy++;
      }
      expect(healthy).to.be.within(40, 360);
    });
  });

  describe("repaidForSeized / seizedForRepaidShares (Morpho.liquidate)", function () {
    it("seizedAssets given: quoted up, divided by the incentive up, shares up, assets up", function () {
      // incentive(91.5%) = 1026167265264238070
      // seizedAssetsQuoted = mulDivUp(1000e18, 1.1e24, 1e36) = 1100000000 (exact)
      // wDivUp(1100000000, incentive) = ceil(1.1e27 / 1026167265264238070) = ceil(1071950000.84) = 1071950001
      // repaidShares = toSharesUp(1071950001, TBA, TBS)
      //   = ceil(1071950001 * 999999999993108989 / 1000000123457) = ceil(1071949868652898.25) = 1071949868652899
      // repaidAssets = toAssetsUp(1071949868652899, TBA, TBS)
      //   = ceil(1071949868652899 * 1000000123457 / 999999999993108989) = ceil(1071950001.75) = 1071950002
      expect(repaidForSeized(1_000n * WAD, PRICE, LLTV_915, TBA, TBS)).to.deep.equal({
        repaidShares: 1_071_949_868_652_899n,
        repaidAssets: 1_071_950_002n,
      });
    });

    it("repaidShares given: assets down, times the incentive down, into collateral down", function () {
      // toAssetsDown(5e14, TBA, TBS) = 5e14 * 1000000123457 / 999999999993108989 = 500000061.73 -> 500000061
      // wMulDown(500000061, 1026167265264238070) = 513083695.23 -> 513083695
      // mulDivDown(513083695, 1e36, 1.1e24) = 466439722727272727272.7 -> 466439722727272727272
      expect(seizedForRepaidShares(5n * 10n ** 14n, PRICE, LLTV_915, TBA, TBS)).to.equal(466_439_722_727_272_727_272n);
    });

    it("nothing seized, nothing repaid", function () {
      expect(repaidForSeized(0n, PRICE, LLTV_915, TBA, TBS)).to.deep.equal({ repaidShares: 0n, repaidAssets: 0n });
      expect(seizedForRepaidShares(0n, PRICE, LLTV_915, TBA, TBS)).to.equal(0n);
    });

    it("match Morpho.liquidate's formulas over 300 seeded liquidations", function () {
      const rnd = seededBigints(34);
      for (let k = 0; k < 300; k++) {
        const ta = rnd(10n ** 18n) + 1n;
        const ts = ta * 10n ** 6n + rnd(10n ** 20n);
        const price = rnd(10n ** 37n) + 1n;
        const lltv = rnd(WAD) + 1n;
        const seized = rnd(10n ** 24n);
        const inc = refIncentive(lltv);
        const shares = refToSharesUp(wDivUp(mulDivUp(seized, price, ORACLE_PRICE_SCALE), inc), ta, ts);
        expect(repaidForSeized(seized, price, lltv, ta, ts)).to.deep.equal({
          repaidShares: shares,
          repaidAssets: refToAssetsUp(shares, ta, ts),
        });
        const repaidShares = rnd(ts);
        expect(seizedForRepaidShares(repaidShares, price, lltv, ta, ts)).to.equal(
          mulDivDown(wMulDown(refToAssetsDown(repaidShares, ta, ts), inc), ORACLE_PRICE_SCALE, price),
        );
      }
    });
  });

  describe("liquidationPrice", function () {
    it("by hand: the largest price at which the position is still unhealthy", function () {
      // 1000e18 collateral, 915e18 borrowed, LLTV 91.5%: healthy iff floor(1000e18 * p / 1e36) * 0.915 >= 915e18
      //   iff floor(1000e18 * p / 1e36) >= 1000e18 iff p >= 1e36 -> answer 1e36 - 1
      expect(liquidationPrice(1_000n * WAD, 915n * WAD, LLTV_915)).to.equal(ORACLE_PRICE_SCALE - 1n);
      // 1000 sUSDe against 900 USDC: floor(x * 0.915) >= 900e6 iff x >= 983606558 (983606557.4 rounded up)
      //   x = floor(1000e18 * p / 1e36) >= 983606558 iff p >= 983606558e15 -> answer 983606557999999999999999
      expect(liquidationPrice(1_000n * WAD, 900_000_000n, LLTV_915)).to.equal(983_606_557_999_999_999_999_999n);
      // 3 units against 1 at 50%: floor(floor(3p / 1e36) / 2) >= 1 iff 3p >= 2e36 iff p >= ceil(2e36 / 3)
      expect(liquidationPrice(3n, 1n, 5n * 10n ** 17n)).to.equal(666_666_666_666_666_666_666_666_666_666_666_666n);
    });

    it("no collateral: unhealthy at any price (uint256 max); no debt: healthy at any price (-1)", function () {
      expect(liquidationPrice(0n, 1n, LLTV_915)).to.equal(UINT256_MAX);
      // no price is unhealthy: the smallest healthy price is 0, and the function answers 0 - 1
      expect(liquidationPrice(1_000n * WAD, 0n, LLTV_915)).to.equal(-1n);
    });

    it("is unhealthy at the answer and healthy one unit above, over 200 seeded positions", function () {
      const rnd = seededBigints(35);
      for (let k = 0; k < 200; k++) {
        const c = rnd(10n ** 27n) + 1n;
        const b = rnd(10n ** 27n) + 1n;
        const lltv = rnd(WAD) + 1n;
        const p = liquidationPrice(c, b, lltv);
        const healthyAt = (price: bigint): boolean => wMulDown(mulDivDown(c, price, ORACLE_PRICE_SCALE), lltv) >= b;
        expect(healthyAt(p), `unhealthy at ${p}`).to.equal(false);
        expect(healthyAt(p + 1n), `healthy at ${p + 1n}`).to.equal(true);
      }
    });
  });

  describe("wTaylorCompounded (MathLib)", function () {
    it("by hand", function () {
      // x = 1e18, n = 1: first 1e18; second 1e36 / 2e18 = 5e17; third 5e17 * 1e18 / 3e18 = 166666666666666666
      expect(wTaylorCompounded(WAD, 1n)).to.equal(1_666_666_666_666_666_666n);
      // 10% a year per second: x = 1e17 / 31536000 = 3170979198, n = 31536000
      //   first  = 3170979198 * 31536000 = 99999999988128000
      //   second = first^2 / 2e18 = 4999999998812800.0007 -> 4999999998812800
      //   third  = second * first / 3e18 = 166666666607306.3 -> 166666666607306
      expect(wTaylorCompounded(3_170_979_198n, 31_536_000n)).to.equal(105_166_666_653_548_106n);
      expect(wTaylorCompounded(0n, 1_000n)).to.equal(0n);
      expect(wTaylorCompounded(3_170_979_198n, 0n)).to.equal(0n);
    });

    it("matches MathLib over 200 seeded inputs", function () {
      const rnd = seededBigints(36);
      for (let k = 0; k < 200; k++) {
        const x = rnd(10n ** 11n);
        const n = rnd(10n ** 8n);
        expect(wTaylorCompounded(x, n)).to.equal(refTaylor(x, n));
      }
    });
  });

  describe("accruedBorrowAssets (Morpho._accrueInterest)", function () {
    it("adds wMulDown(total, wTaylorCompounded(rate, elapsed)); nothing at zero or negative elapsed", function () {
      // 1,000,000 USDC at 10% a year for a year: interest = 1e12 * 105166666653548106 / 1e18 = 105166666653.5 -> ...653
      expect(accruedBorrowAssets(10n ** 12n, 3_170_979_198n, 31_536_000n)).to.equal(1_105_166_666_653n);
      expect(accruedBorrowAssets(10n ** 12n, 3_170_979_198n, 0n)).to.equal(10n ** 12n);
      expect(accruedBorrowAssets(10n ** 12n, 3_170_979_198n, -5n)).to.equal(10n ** 12n);
      // one second on 1 USDC: 1e6 * 3170979198 / 1e18 -> 0
      expect(accruedBorrowAssets(10n ** 6n, 3_170_979_198n, 1n)).to.equal(10n ** 6n);
    });

    it("matches _accrueInterest's borrow side over 200 seeded markets", function () {
      const rnd = seededBigints(37);
      for (let k = 0; k < 200; k++) {
        const total = rnd(10n ** 30n);
        const rate = rnd(10n ** 11n); // up to 1e-7 per second, ~315% a year
        const elapsed = rnd(10n ** 8n);
        expect(accruedBorrowAssets(total, rate, elapsed)).to.equal(total + wMulDown(total, refTaylor(rate, elapsed)));
      }
    });
  });

  describe("healthFactorWad", function () {
    it("max borrow over borrowed, rounded down; uint256 max without debt", function () {
      // wMulDown(1000e18 * 1e36 / 1e36, 0.915e18) = 915e18; 915e18 * 1e18 / 900e18 = 1.01666... -> floor
      expect(healthFactorWad(1_000n * WAD, 900n * WAD, ORACLE_PRICE_SCALE, LLTV_915)).to.equal(
        1_016_666_666_666_666_666n,
      );
      // at the boundary of isHealthy above: 1006500000 / 1006500000 = 1e18
      expect(healthFactorWad(1_000n * WAD, 1_006_500_000n, PRICE, LLTV_915)).to.equal(WAD);
      expect(healthFactorWad(1_000n * WAD, 1_006_500_001n, PRICE, LLTV_915)).to.equal(999_999_999_006_458_023n);
      expect(healthFactorWad(1n, 0n, PRICE, LLTV_915)).to.equal(UINT256_MAX);
      expect(healthFactorWad(0n, 1n, PRICE, LLTV_915)).to.equal(0n);
    });
  });
});
