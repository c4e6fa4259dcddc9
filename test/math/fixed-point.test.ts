/**
 * Unit tests for src/math/fixed-point.ts against independently derived values.
 *
 * Exported functions covered (all of them):
 *   mulDivDown, mulDivUp, wMulDown, wDivDown, wDivUp   (Morpho Blue MathLib.sol)
 *   percentMul, percentDiv                              (Aave v3 PercentageMath.sol)
 *   wadDivHalfUp, wadMulHalfUp                          (Aave v3 WadRayMath.sol wadDiv / wadMul)
 *   minBig, maxBig, sqrtBig, toNumber, parseUnitsExact  (plain helpers)
 *
 * Expected values are literals computed by hand (arithmetic in the comments) or by the small reference functions
 * below, transcribed from the protocols' published sources; none calls the function under test.
 */
import { expect } from "chai";
import { InputError } from "../../src/errors";
import {
  maxBig,
  minBig,
  mulDivDown,
  mulDivUp,
  parseUnitsExact,
  percentDiv,
  percentMul,
  sqrtBig,
  toNumber,
  wDivDown,
  wDivUp,
  wMulDown,
  wadDivHalfUp,
  wadMulHalfUp,
} from "../../src/math/fixed-point";
import { seededBigints } from "./helpers";

const WAD = 10n ** 18n;

// Morpho Blue MathLib.sol: mulDivDown = (x * y) / d; mulDivUp = (x * y + (d - 1)) / d.
const refMulDivDown = (x: bigint, y: bigint, d: bigint): bigint => (x * y) / d;
const refMulDivUp = (x: bigint, y: bigint, d: bigint): bigint => (x * y + (d - 1n)) / d;
// Aave v3 PercentageMath.sol: (value * percentage + HALF_PERCENTAGE_FACTOR) / PERCENTAGE_FACTOR, and
// (value * PERCENTAGE_FACTOR + percentage / 2) / percentage.
const refPercentMul = (v: bigint, p: bigint): bigint => (v * p + 5_000n) / 10_000n;
const refPercentDiv = (v: bigint, p: bigint): bigint => (v * 10_000n + p / 2n) / p;
// Aave v3 WadRayMath.sol: wadMul = (a * b + HALF_WAD) / WAD; wadDiv = (a * WAD + b / 2) / b.
const refWadMul = (a: bigint, b: bigint): bigint => (a * b + WAD / 2n) / WAD;
const refWadDiv = (a: bigint, b: bigint): bigint => (a * WAD + b / 2n) / b;

describe("math/fixed-point", function () {
  describe("mulDivDown / mulDivUp (Morpho MathLib)", function () {
    it("round a non-integer quotient down and up by exactly one unit", function () {
      // 7 * 3 / 2 = 10.5: down 10, up 11
      expect(mulDivDown(7n, 3n, 2n)).to.equal(10n);
      expect(mulDivUp(7n, 3n, 2n)).to.equal(11n);
      // 10 * 1 / 3 = 3.33: down 3, up 4 (up is not half-up: 0.33 still rounds up)
      expect(mulDivDown(10n, 1n, 3n)).to.equal(3n);
      expect(mulDivUp(10n, 1n, 3n)).to.equal(4n);
      // 2 * 1 / 3 = 0.67: down 0, up 1
      expect(mulDivDown(2n, 1n, 3n)).to.equal(0n);
      expect(mulDivUp(2n, 1n, 3n)).to.equal(1n);
    });

    it("agree when the quotient is exact, and give zero for a zero numerator", function () {
      // 6 * 4 / 3 = 8 exactly
      expect(mulDivDown(6n, 4n, 3n)).to.equal(8n);
      expect(mulDivUp(6n, 4n, 3n)).to.equal(8n);
      // (0 * 5 + 6) / 7 = 0: the "+ (d - 1)" never lifts zero
      expect(mulDivDown(0n, 5n, 7n)).to.equal(0n);
      expect(mulDivUp(0n, 5n, 7n)).to.equal(0n);
      // d = 1: no rounding
      expect(mulDivUp(123n, 456n, 1n)).to.equal(56_088n);
    });

    it("keep full precision on products beyond 2^256 (no intermediate overflow in bigints)", function () {
      // (2^200 * 2^100) / 2^250 = 2^50 exactly; + 1 in the numerator: down 2^50, up 2^50 + 1
      expect(mulDivDown(2n ** 200n, 2n ** 100n, 2n ** 250n)).to.equal(2n ** 50n);
      expect(mulDivUp(2n ** 200n + 1n, 2n ** 100n, 2n ** 250n)).to.equal(2n ** 50n + 1n);
    });

    it("throw on a zero divisor (the Solidity division reverts)", function () {
      expect(() => mulDivDown(1n, 1n, 0n)).to.throw(RangeError, /zero/i);
      expect(() => mulDivUp(1n, 1n, 0n)).to.throw(RangeError, /zero/i);
    });

    it("match MathLib's formulas over 500 seeded inputs", function () {
      const rnd = seededBigints(1);
      for (let k = 0; k < 500; k++) {
        const x = rnd(10n ** 40n);
        const y = rnd(10n ** 40n);
        const d = rnd(10n ** 30n) + 1n;
        expect(mulDivDown(x, y, d)).to.equal(refMulDivDown(x, y, d));
        expect(mulDivUp(x, y, d)).to.equal(refMulDivUp(x, y, d));
      }
    });
  });

  describe("wMulDown / wDivDown / wDivUp (Morpho MathLib)", function () {
    it("wMulDown: exact products and truncated ones", function () {
      // 1.5e18 * 2e18 / 1e18 = 3e18
      expect(wMulDown(15n * 10n ** 17n, 2n * WAD)).to.equal(3n * WAD);
      // 1 * 1 / 1e18 = 1e-18: down to 0
      expect(wMulDown(1n, 1n)).to.equal(0n);
      // (1e18 - 1)^2 / 1e18 = 1e18 - 2 + 1e-18: down to 1e18 - 2
      expect(wMulDown(WAD - 1n, WAD - 1n)).to.equal(WAD - 2n);
      // 5e17 * 1 / 1e18 = 0.5: down (not half-up) to 0
      expect(wMulDown(5n * 10n ** 17n, 1n)).to.equal(0n);
    });

    it("wDivDown / wDivUp differ by one unit on a repeating quotient, agree on an exact one", function () {
      // 1e18 * 1e18 / 3e18 = 333333333333333333.33: down ...333, up ...334
      expect(wDivDown(WAD, 3n * WAD)).to.equal(333_333_333_333_333_333n);
      expect(wDivUp(WAD, 3n * WAD)).to.equal(333_333_333_333_333_334n);
      // 2e18 * 1e18 / 4e18 = 5e17 exactly
      expect(wDivDown(2n * WAD, 4n * WAD)).to.equal(5n * 10n ** 17n);
      expect(wDivUp(2n * WAD, 4n * WAD)).to.equal(5n * 10n ** 17n);
      // 0 / anything = 0 both ways
      expect(wDivDown(0n, 7n)).to.equal(0n);
      expect(wDivUp(0n, 7n)).to.equal(0n);
      // 1 * 1e18 / (2e18 + 1) = 0.4999...: down 0, up 1
      expect(wDivDown(1n, 2n * WAD + 1n)).to.equal(0n);
      expect(wDivUp(1n, 2n * WAD + 1n)).to.equal(1n);
    });

    it("wDivDown / wDivUp throw on a zero divisor", function () {
      expect(() => wDivDown(1n, 0n)).to.throw(RangeError, /zero/i);
      expect(() => wDivUp(1n, 0n)).to.throw(RangeError, /zero/i);
    });
  });

  describe("percentMul / percentDiv (Aave PercentageMath, half-up)", function () {
    it("percentMul rounds an exact half up and anything below it down", function () {
      // 1 * 5000 = 5000 -> (5000 + 5000) / 10000 = 1 (0.5 rounds up)
      expect(percentMul(1n, 5_000n)).to.equal(1n);
      // 1 * 4999 = 4999 -> (4999 + 5000) / 10000 = 0 (0.4999 rounds down)
      expect(percentMul(1n, 4_999n)).to.equal(0n);
      // 3 * 5000 = 15000 -> (15000 + 5000) / 10000 = 2 (1.5 rounds up)
      expect(percentMul(3n, 5_000n)).to.equal(2n);
      // 1e18 * 85% = 8.5e17 exactly
      expect(percentMul(WAD, 8_500n)).to.equal(85n * 10n ** 16n);
      // 0% of anything, anything of 0
      expect(percentMul(123n, 0n)).to.equal(0n);
      expect(percentMul(0n, 10_000n)).to.equal(0n);
      // 9_000e6 * 50% = 4.5e9 (+ 0.5 -> floor 4_500_000_000)
      expect(percentMul(9_000_000_000n, 5_000n)).to.equal(4_500_000_000n);
    });

    it("percentDiv rounds an exact half up and anything below it down", function () {
      // 1 / 200% = 0.5 -> (10000 + 10000) / 20000 = 1
      expect(percentDiv(1n, 20_000n)).to.equal(1n);
      // 1 / 200.01% = 0.49997 -> (10000 + 10000) / 20001 = 0
      expect(percentDiv(1n, 20_001n)).to.equal(0n);
      // 105 / 105% = 100 exactly
      expect(percentDiv(105n, 10_500n)).to.equal(100n);
      // 1e9 / 105% = 952380952.38 -> (1e13 + 5250) / 10500 = 952380952 (down; a ceil would give ...953)
      expect(percentDiv(1_000_000_000n, 10_500n)).to.equal(952_380_952n);
      // odd percentage: 1 / 0.03% = 3333.33 -> (10000 + 1) / 3 = 3333
      expect(percentDiv(1n, 3n)).to.equal(3_333n);
    });

    it("percentDiv throws on a zero percentage (PercentageMath reverts)", function () {
      expect(() => percentDiv(1n, 0n)).to.throw(RangeError, /zero/i);
    });

    it("match PercentageMath's formulas over 500 seeded inputs", function () {
      const rnd = seededBigints(2);
      for (let k = 0; k < 500; k++) {
        const v = rnd(10n ** 30n);
        const p = rnd(20_000n) + 1n;
        expect(percentMul(v, p)).to.equal(refPercentMul(v, p));
        expect(percentDiv(v, p)).to.equal(refPercentDiv(v, p));
      }
    });
  });

  describe("wadDivHalfUp / wadMulHalfUp (Aave WadRayMath wadDiv / wadMul)", function () {
    it("wadDivHalfUp rounds to the nearest unit, halves up", function () {
      // 1 * 1e18 / 2e18 = 0.5 -> (1e18 + 1e18) / 2e18 = 1
      expect(wadDivHalfUp(1n, 2n * WAD)).to.equal(1n);
      // 1 * 1e18 / (2e18 + 1) = 0.49999 -> (1e18 + 1e18) / (2e18 + 1) = 0
      expect(wadDivHalfUp(1n, 2n * WAD + 1n)).to.equal(0n);
      // 200e18 / 3 = 66666666666666666666.67 -> (200e18 + 1) / 3 = 66666666666666666667 (floor would be ...666)
      expect(wadDivHalfUp(200n, 3n)).to.equal(66_666_666_666_666_666_667n);
      // 100e18 / 3 = 33333333333333333333.33 -> (100e18 + 1) / 3 = 33333333333333333333
      expect(wadDivHalfUp(100n, 3n)).to.equal(33_333_333_333_333_333_333n);
      // 920_700_000_000 / 900_000_000_000 = 1.023 exactly
      expect(wadDivHalfUp(920_700_000_000n, 900_000_000_000n)).to.equal(1_023_000_000_000_000_000n);
    });

    it("wadMulHalfUp rounds to the nearest unit, halves up", function () {
      // 5e17 * 1 / 1e18 = 0.5 -> (5e17 + 5e17) / 1e18 = 1
      expect(wadMulHalfUp(5n * 10n ** 17n, 1n)).to.equal(1n);
      // (5e17 - 1) * 1 / 1e18 = 0.4999 -> 0
      expect(wadMulHalfUp(5n * 10n ** 17n - 1n, 1n)).to.equal(0n);
      // 1.5e18 * 2e18 / 1e18 = 3e18, half-up adds nothing
      expect(wadMulHalfUp(15n * 10n ** 17n, 2n * WAD)).to.equal(3n * WAD);
      // (1e18 - 1)^2 / 1e18 = 1e18 - 2 + 1e-18 -> 1e18 - 2
      expect(wadMulHalfUp(WAD - 1n, WAD - 1n)).to.equal(WAD - 2n);
      expect(wadMulHalfUp(0n, WAD)).to.equal(0n);
    });

    it("wadDivHalfUp throws on a zero divisor (WadRayMath reverts)", function () {
      expect(() => wadDivHalfUp(1n, 0n)).to.throw(RangeError, /zero/i);
    });

    it("match WadRayMath's formulas over 500 seeded inputs", function () {
      const rnd = seededBigints(3);
      for (let k = 0; k < 500; k++) {
        const a = rnd(10n ** 36n);
        const b = rnd(10n ** 36n) + 1n;
        expect(wadMulHalfUp(a, b)).to.equal(refWadMul(a, b));
        expect(wadDivHalfUp(a, b)).to.equal(refWadDiv(a, b));
      }
    });
  });

  describe("minBig / maxBig", function () {
    it("pick the smaller / larger of two bigints, either order, negatives and ties", function () {
      expect(minBig(1n, 2n)).to.equal(1n);
      expect(minBig(2n, 1n)).to.equal(1n);
      expect(maxBig(1n, 2n)).to.equal(2n);
      expect(maxBig(2n, 1n)).to.equal(2n);
      expect(minBig(-5n, 3n)).to.equal(-5n);
      expect(maxBig(-5n, -3n)).to.equal(-3n);
      expect(minBig(7n, 7n)).to.equal(7n);
      expect(maxBig(7n, 7n)).to.equal(7n);
      expect(maxBig(2n ** 255n, 2n ** 255n - 1n)).to.equal(2n ** 255n);
    });
  });

  describe("sqrtBig (floor integer square root)", function () {
    it("is exact on perfect squares and floors just below and above them", function () {
      expect(sqrtBig(0n)).to.equal(0n);
      expect(sqrtBig(1n)).to.equal(1n);
      expect(sqrtBig(3n)).to.equal(1n); // 1.73
      expect(sqrtBig(4n)).to.equal(2n);
      expect(sqrtBig(8n)).to.equal(2n); // 2.83
      expect(sqrtBig(9n)).to.equal(3n);
      expect(sqrtBig(15n)).to.equal(3n); // 3.87
      expect(sqrtBig(16n)).to.equal(4n);
      expect(sqrtBig(17n)).to.equal(4n); // 4.12
      expect(sqrtBig(10n ** 36n)).to.equal(10n ** 18n);
      // (1e18 - 1)^2 = 1e36 - 2e18 + 1 < 1e36 - 1 < 1e36
      expect(sqrtBig(10n ** 36n - 1n)).to.equal(10n ** 18n - 1n);
      expect(sqrtBig(2n ** 192n)).to.equal(2n ** 96n);
      // floor(sqrt(2) * 2^96), as Python's math.isqrt(2 << 192) gives it
      expect(sqrtBig(2n ** 193n)).to.equal(112_045_541_949_572_279_837_463_876_454n);
    });

    it("satisfies r^2 <= n < (r + 1)^2 for n = 0, 1 and 3..1000, and seeded large n", function () {
      const check = (n: bigint): void => {
        const r = sqrtBig(n);
        expect(r * r <= n && n < (r + 1n) * (r + 1n), `sqrtBig(${n}) = ${r}`).to.equal(true);
      };
      check(0n);
      check(1n);
      for (let n = 3n; n <= 1_000n; n++) check(n);
      const rnd = seededBigints(4);
      for (let k = 0; k < 100; k++) check(rnd(2n ** 256n));
    });

    // Regression: the Babylonian loop once started from value / 2 + 1, which for value = 2 is value itself, so it
    // never ran and returned 2.
    it("sqrtBig(2) = 1 (floor of 1.414)", function () {
      expect(sqrtBig(2n)).to.equal(1n);
    });

    it("throws on a negative input, naming the function", function () {
      expect(() => sqrtBig(-1n)).to.throw(Error, /^sqrtBig: negative input$/);
    });
  });

  describe("toNumber (display only)", function () {
    it("scales a raw amount by its decimals into a JS number", function () {
      // 1_500_000 / 1e6 = 1.5
      expect(toNumber(1_500_000n, 6)).to.equal(1.5);
      // 250000000000000000 / 1e18 = 0.25
      expect(toNumber(25n * 10n ** 16n, 18)).to.equal(0.25);
      expect(toNumber(0n, 18)).to.equal(0);
      expect(toNumber(123n, 0)).to.equal(123);
      expect(toNumber(1n, 18)).to.equal(1e-18);
      // negative: whole -1, remainder -500000 -> -1 + -0.5
      expect(toNumber(-1_500_000n, 6)).to.equal(-1.5);
      // 12345.678901 USDC
      expect(toNumber(12_345_678_901n, 6)).to.be.closeTo(12_345.678901, 1e-9);
      // a raw amount far beyond 2^53: whole 1e12 and fraction 5e17 / 1e18 = 0.5 are each exact doubles
      expect(toNumber(10n ** 30n + 5n * 10n ** 17n, 18)).to.equal(1_000_000_000_000.5);
    });
  });

  describe("parseUnitsExact", function () {
    it("parses decimal strings exactly, padding to the decimals", function () {
      // "0.65" with 18 decimals: 65 followed by 16 zeros
      expect(parseUnitsExact("0.65", 18, "f")).to.equal(650_000_000_000_000_000n);
      expect(parseUnitsExact("1", 6, "f")).to.equal(1_000_000n);
      expect(parseUnitsExact("2.5", 6, "f")).to.equal(2_500_000n);
      expect(parseUnitsExact(" 2.5 ", 6, "f")).to.equal(2_500_000n); // trimmed
      expect(parseUnitsExact("-0.5", 6, "f")).to.equal(-500_000n);
      expect(parseUnitsExact("0.000001", 6, "f")).to.equal(1n); // exactly the max decimals
      expect(parseUnitsExact("007", 0, "f")).to.equal(7n);
      expect(parseUnitsExact("0", 18, "f")).to.equal(0n);
      expect(parseUnitsExact("-0", 18, "f")).to.equal(0n);
      // more digits than a double holds, still exact
      expect(parseUnitsExact("123456789012345678.123456789012345678", 18, "f")).to.equal(
        123_456_789_012_345_678_123_456_789_012_345_678n,
      );
    });

    it("rejects what is not a plain decimal number with an InputError naming the field", function () {
      for (const bad of ["1e3", ".5", "1.", "", "abc", "1,5", "+1", "0x10", "1.2.3", "- 1"]) {
        let err: unknown;
        try {
          parseUnitsExact(bad, 18, "scenario.shock.price");
        } catch (e) {
          err = e;
        }
        expect(err, `"${bad}"`).to.be.instanceOf(InputError);
        const ie = err as InputError;
        expect(ie.field).to.equal("scenario.shock.price");
        expect(ie.message).to.equal(`scenario.shock.price: "${bad}" is not a decimal number — write e.g. 0.65`);
      }
    });

    it("rejects more decimals than the token has, naming the field", function () {
      expect(() => parseUnitsExact("0.0000001", 6, "debt.amount")).to.throw(
        InputError,
        /^debt\.amount: "0\.0000001" has more than 6 decimals$/,
      );
      // "5.0" with 0 decimals is refused too: one fractional digit > 0 decimals
      expect(() => parseUnitsExact("5.0", 0, "shares")).to.throw(
        InputError,
        /^shares: "5\.0" has more than 0 decimals$/,
      );
    });
  });
});
