/**
 * Unit tests for src/math/uniswap-v3.ts against independently derived values.
 *
 * Exports covered (all of them):
 *   MIN_TICK, MAX_TICK       (v3-core TickMath.sol)
 *   TICK_SPACING             (v3-core UniswapV3Factory constructor: 500 -> 10, 3000 -> 60, 10000 -> 200;
 *                             100 -> 1 enabled later by governance with enableFeeAmount(100, 1))
 *   sqrtPriceX96FromRatio    (sqrtPriceX96 = sqrt(token1/token0) * 2^96, as v3-core's test util encodePriceSqrt)
 *   rawPriceWadFromSqrtX96   (price = sqrtPriceX96^2 / 2^192)
 *   tickAtOrBelow            (price(tick) = 1.0001^tick, TickMath)
 *   alignTick                (ticks must be multiples of the spacing within [MIN_TICK, MAX_TICK])
 *
 * Expected values: exact integer square roots from Python's math.isqrt(num * 2^192 // den), the squares checked
 * here with bigints, and ticks from 100-digit Decimal logarithms, ln(p) / ln(1.0001).
 */
import { expect } from "chai";
import {
  MAX_TICK,
  MIN_TICK,
  TICK_SPACING,
  alignTick,
  rawPriceWadFromSqrtX96,
  sqrtPriceX96FromRatio,
  tickAtOrBelow,
} from "../../src/math/uniswap-v3";

const Q96 = 2n ** 96n;
const Q192 = 2n ** 192n;
const WAD = 10n ** 18n;

describe("math/uniswap-v3", function () {
  it("tick bounds are TickMath's MIN_TICK = -887272 and MAX_TICK = -MIN_TICK", function () {
    expect(MIN_TICK).to.equal(-887_272);
    expect(MAX_TICK).to.equal(887_272);
  });

  it("tick spacings are the factory's fee tiers", function () {
    expect(TICK_SPACING).to.deep.equal({ 100: 1, 500: 10, 3000: 60, 10000: 200 });
  });

  describe("sqrtPriceX96FromRatio", function () {
    it("is exact for square ratios: 1 -> 2^96, 4 -> 2^97, 1/4 -> 2^95", function () {
      expect(sqrtPriceX96FromRatio(1n, 1n)).to.equal(79_228_162_514_264_337_593_543_950_336n); // 2^96
      expect(sqrtPriceX96FromRatio(4n, 1n)).to.equal(2n ** 97n);
      expect(sqrtPriceX96FromRatio(1n, 4n)).to.equal(2n ** 95n);
      expect(sqrtPriceX96FromRatio(10n ** 12n, 1n)).to.equal(Q96 * 10n ** 6n);
      expect(sqrtPriceX96FromRatio(0n, 5n)).to.equal(0n);
    });

    it("floors irrational roots (math.isqrt values)", function () {
      // floor(sqrt(2) * 2^96)
      expect(sqrtPriceX96FromRatio(2n, 1n)).to.equal(112_045_541_949_572_279_837_463_876_454n);
      // USDe (18 dec) / USDC (6 dec) at parity: raw price 1e-12 -> floor(2^96 / 1e6)
      expect(sqrtPriceX96FromRatio(1n, 10n ** 12n)).to.equal(79_228_162_514_264_337_593_543n);
      expect(sqrtPriceX96FromRatio(3n, 7n)).to.equal(51_867_007_413_411_304_160_968_322_327n);
      expect(sqrtPriceX96FromRatio(1_001n, 1_000n)).to.equal(79_267_766_696_949_822_951_113_378_804n);
    });

    it("is the floor square root: s^2 <= num * 2^192 / den < (s + 1)^2", function () {
      const cases: [bigint, bigint][] = [
        [2n, 1n],
        [3n, 7n],
        [1n, 10n ** 12n],
        [999_999n, 1_000_000n],
        [10n ** 30n, 3n],
        [123_456_789n, 987_654_321_123n],
      ];
      for (const [num, den] of cases) {
        const s = sqrtPriceX96FromRatio(num, den);
        // compare s^2 * den with num * 2^192 to avoid any rounding: s^2 <= num*2^192/den iff s^2 * den <= num * 2^192
        expect(s * s * den <= num * Q192, `${num}/${den} lower`).to.equal(true);
        expect((s + 1n) * (s + 1n) * den > num * Q192, `${num}/${den} upper`).to.equal(true);
      }
    });

    it("throws on a zero denominator", function () {
      expect(() => sqrtPriceX96FromRatio(1n, 0n)).to.throw(RangeError, /zero/i);
    });
  });

  describe("rawPriceWadFromSqrtX96", function () {
    it("squares back to the price, in WAD, floored", function () {
      expect(rawPriceWadFromSqrtX96(Q96)).to.equal(WAD); // (2^96)^2 * 1e18 / 2^192
      expect(rawPriceWadFromSqrtX96(2n ** 97n)).to.equal(4n * WAD);
      expect(rawPriceWadFromSqrtX96(2n ** 95n)).to.equal(25n * 10n ** 16n);
      expect(rawPriceWadFromSqrtX96(0n)).to.equal(0n);
      // (2^96 - 1)^2 * 1e18 / 2^192 = 1e18 - 1e18 / 2^95 + tiny = 1e18 - 2.5e-11 -> floor 1e18 - 1 (ceil: 1e18)
      expect(rawPriceWadFromSqrtX96(Q96 - 1n)).to.equal(WAD - 1n);
    });

    it("loses at most the floored part on the way back: sqrt floored, then price floored", function () {
      // floor(sqrt(2) * 2^96)^2 * 1e18 / 2^192 = 1.999999999999999999.. e18 -> one unit under 2e18
      expect(rawPriceWadFromSqrtX96(112_045_541_949_572_279_837_463_876_454n)).to.equal(2n * WAD - 1n);
      // raw 1e-12: 1e6 in WAD, but the floored root gives 999999
      expect(rawPriceWadFromSqrtX96(79_228_162_514_264_337_593_543n)).to.equal(999_999n);
      expect(rawPriceWadFromSqrtX96(51_867_007_413_411_304_160_968_322_327n)).to.equal(428_571_428_571_428_571n); // 3/7
      expect(rawPriceWadFromSqrtX96(79_267_766_696_949_822_951_113_378_804n)).to.equal(1_000_999_999_999_999_999n);
    });

    it("TickMath's MIN_SQRT_RATIO prices to 0 in WAD; MAX_SQRT_RATIO to ~3.4e38", function () {
      expect(rawPriceWadFromSqrtX96(4_295_128_739n)).to.equal(0n);
      expect(rawPriceWadFromSqrtX96(1_461_446_703_485_210_103_287_273_052_203_988_822_378_723_970_342n)).to.equal(
        340_256_786_836_388_094_070_642_339_899_681_172_762_184_831_912_720_469_415n,
      );
    });
  });

  describe("tickAtOrBelow", function () {
    it("the largest tick whose 1.0001^tick is at or below the price (Decimal ln ratios)", function () {
      expect(tickAtOrBelow(1)).to.equal(0);
      expect(tickAtOrBelow(1.0001)).to.equal(1); // ln(1.0001) / ln(1.0001) = 1 exactly
      // ln(1e-12) / ln(1.0001) = -276324.0264 -> -276325 (USDe/USDC raw parity)
      expect(tickAtOrBelow(1e-12)).to.equal(-276_325);
      expect(tickAtOrBelow(1e12)).to.equal(276_324); // +276324.0264
      expect(tickAtOrBelow(0.5)).to.equal(-6_932); // -6931.818
      expect(tickAtOrBelow(2)).to.equal(6_931); // +6931.818
      expect(tickAtOrBelow(1.00005)).to.equal(0); // +0.50001
      expect(tickAtOrBelow(0.99995)).to.equal(-1); // -0.50004
    });
  });

  describe("alignTick", function () {
    it("rounds down to, or up to, a multiple of the spacing (negative ticks toward -inf / +inf)", function () {
      expect(alignTick(-276_325, 10, "down")).to.equal(-276_330);
      expect(alignTick(-276_325, 10, "up")).to.equal(-276_320);
      expect(alignTick(5, 60, "down")).to.equal(0);
      expect(alignTick(5, 60, "up")).to.equal(60);
      expect(alignTick(-5, 60, "down")).to.equal(-60);
      expect(alignTick(-5, 60, "up")).to.equal(0);
      expect(alignTick(120, 60, "down")).to.equal(120); // already aligned
      expect(alignTick(120, 60, "up")).to.equal(120);
    });

    it("clamps to the widest aligned ticks inside [MIN_TICK, MAX_TICK]", function () {
      // 887272 / 60 = 14787.87: up would be 887280 > MAX_TICK -> 14787 * 60 = 887220
      expect(alignTick(887_272, 60, "up")).to.equal(887_220);
      expect(alignTick(-887_272, 60, "down")).to.equal(-887_220);
      // spacing 200: ceil(-887272 / 200) * 200 = -4436 * 200 = -887200
      expect(alignTick(-887_272, 200, "down")).to.equal(-887_200);
      expect(alignTick(887_272, 200, "up")).to.equal(887_200);
      // spacing 1: the bounds themselves
      expect(alignTick(887_272, 1, "up")).to.equal(887_272);
      expect(alignTick(-887_272, 1, "down")).to.equal(-887_272);
    });
  });
});
