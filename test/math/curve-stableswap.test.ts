/**
 * Unit tests for src/math/curve-stableswap.ts against independently derived values.
 *
 * Exports covered (all of them):
 *   CURVE_FEE_DENOMINATOR, CURVE_PRECISION  (Stableswap.vy FEE_DENOMINATOR, PRECISION)
 *   curveRate, curveXp                      (Stableswap.vy _stored_rates, _xp)
 *   curveD                                  (Stableswap.vy get_D)
 *   curveY                                  (Stableswap.vy get_y)
 *   curveGetDy                              (Stableswap.vy get_dy)
 *
 * The source is Curve's early 4-coin StableSwap template that the embedded chain deploys,
 * node_modules/@setprotocol/set-protocol-v2/external/contracts/curve/Stableswap.vy (Ann = A * N_COINS, static fee,
 * PRECISION_MUL = [1, 1e12, 1e12, 1] for decimals 18/6/6/18, no lending rates). Expected values are small cases
 * traced by hand (every Newton step in the comments), literals from a separate Python transcription of that Vyper
 * code, the reference functions below (the same Vyper, transcribed again here), and the StableSwap invariant itself
 * checked with exact integer arithmetic.
 */
import { expect } from "chai";
import {
  CURVE_FEE_DENOMINATOR,
  CURVE_PRECISION,
  curveD,
  curveGetDy,
  curveRate,
  curveXp,
  curveY,
} from "../../src/math/curve-stableswap";
import { seededBigints } from "./helpers";

const E18 = 10n ** 18n;

// ---- Reference, transcribed from Stableswap.vy ------------------------------------------------------------------
function refGetD(xp: bigint[], A: bigint): bigint {
  const N = BigInt(xp.length);
  let S = 0n;
  for (const x of xp) S += x;
  if (S === 0n) return 0n;
  let D = S;
  const Ann = A * N;
  for (let it = 0; it < 255; it++) {
    let D_P = D;
    for (const x of xp) D_P = (D_P * D) / (x * N + 1n); // +1 is to prevent /0
    const Dprev = D;
    D = ((Ann * S + D_P * N) * D) / ((Ann - 1n) * D + (N + 1n) * D_P);
    if (D > Dprev ? D - Dprev <= 1n : Dprev - D <= 1n) break;
  }
  return D;
}
function refGetY(i: number, j: number, x: bigint, xp: bigint[], A: bigint): bigint {
  const N = BigInt(xp.length);
  const D = refGetD(xp, A);
  let c = D;
  let S_ = 0n;
  const Ann = A * N;
  for (let k = 0; k < xp.length; k++) {
    let _x: bigint;
    if (k === i) _x = x;
    else if (k !== j) _x = xp[k];
    else continue;
    S_ += _x;
    c = (c * D) / (_x * N);
  }
  c = (c * D) / (Ann * N);
  const b = S_ + D / Ann;
  let y = D;
  for (let it = 0; it < 255; it++) {
    const yPrev = y;
    y = (y * y + c) / (2n * y + b - D);
    if (y > yPrev ? y - yPrev <= 1n : yPrev - y <= 1n) break;
  }
  return y;
}
function refGetDy(i: number, j: number, dx: bigint, balances: bigint[], decimals: number[], A: bigint, fee: bigint) {
  // rates[k] = PRECISION_MUL[k] * LENDING_PRECISION, PRECISION_MUL[k] = 10 ** (18 - decimals[k])
  const rates = decimals.map((d) => 10n ** BigInt(18 - d) * E18);
  const xp = balances.map((b, k) => (rates[k] * b) / E18);
  const x = xp[i] + (dx * rates[i]) / E18;
  const y = refGetY(i, j, x, xp, A);
  const dy = ((xp[j] - y) * E18) / rates[j];
  return dy - (fee * dy) / 10n ** 10n;
}
/**
 * The template's invariant, Ann·S + D = Ann·D + D^(n+1) / (n^n·Πx), times n^n·Πx so it stays in integers:
 * g(D) = (Ann·S + D − Ann·D)·n^n·Πx − D^(n+1). g falls as D rises (and as any x falls, for fixed D).
 */
function invariantGap(D: bigint, xp: bigint[], A: bigint): bigint {
  const n = BigInt(xp.length);
  const Ann = A * n;
  const S = xp.reduce((a, b) => a + b, 0n);
  const P = xp.reduce((a, b) => a * b, 1n);
  return (Ann * S + D - Ann * D) * n ** n * P - D ** (n + 1n);
}

/** The embedded chain's USDe/USDC/USDT/DAI pool shape, unbalanced: 1.2M USDe, 0.8M USDC, 1M USDT, 1M DAI. */
const BALANCES = [1_200_000n * E18, 800_000n * 10n ** 6n, 1_000_000n * 10n ** 6n, 1_000_000n * E18];
const DECIMALS = [18, 6, 6, 18];
const XP = [1_200_000n * E18, 800_000n * E18, 1_000_000n * E18, 1_000_000n * E18];

describe("math/curve-stableswap (early StableSwap template)", function () {
  it("constants are the template's FEE_DENOMINATOR (1e10) and PRECISION (1e18)", function () {
    expect(CURVE_FEE_DENOMINATOR).to.equal(10_000_000_000n);
    expect(CURVE_PRECISION).to.equal(1_000_000_000_000_000_000n);
  });

  describe("curveRate / curveXp (_stored_rates, _xp)", function () {
    it("rates are PRECISION_MUL x LENDING_PRECISION: 1e18 for 18 decimals, 1e12 x 1e18 for 6", function () {
      expect(curveRate(18)).to.equal(E18);
      expect(curveRate(6)).to.equal(10n ** 30n);
      expect(curveRate(8)).to.equal(10n ** 28n);
      expect(DECIMALS.map(curveRate)).to.deep.equal([E18, 10n ** 30n, 10n ** 30n, E18]);
    });

    it("xp normalises every balance to 18 decimals: rate x balance / PRECISION", function () {
      // 1e6 USDC * 1e30 / 1e18 = 1e18
      const rates = DECIMALS.map(curveRate);
      expect(curveXp([E18, 10n ** 6n, 2n * 10n ** 6n, 3n * E18], rates)).to.deep.equal([E18, E18, 2n * E18, 3n * E18]);
      expect(curveXp(BALANCES, rates)).to.deep.equal(XP);
      expect(curveXp([0n, 1n], [E18, 10n ** 30n])).to.deep.equal([0n, 10n ** 12n]);
    });
  });

  describe("curveD (get_D)", function () {
    it("is 0 for an empty pool", function () {
      expect(curveD([0n, 0n], 100n)).to.equal(0n);
    });

    it("[100, 100], A = 1: one Newton step, by hand", function () {
      // S = 200, Ann = 2, D = 200
      // D_P = 200 * 200 / (100*2 + 1) = 199; 199 * 200 / 201 = 198
      // D = (2*200 + 198*2) * 200 / ((2 - 1)*200 + 3*198) = 159200 / 794 = 200 -> |200 - 200| <= 1, stop
      expect(curveD([100n, 100n], 1n)).to.equal(200n);
    });

    it("[50, 150], A = 10: two Newton steps, by hand", function () {
      // S = 200, Ann = 20
      // step 1, D = 200: D_P = 200*200/101 = 396; 396*200/301 = 263
      //   D = (20*200 + 263*2) * 200 / (19*200 + 3*263) = 905200 / 4589 = 197
      // step 2, D = 197: D_P = 197*197/101 = 384; 384*197/301 = 251
      //   D = (4000 + 502) * 197 / (19*197 + 753) = 886894 / 4496 = 197 -> stop
      expect(curveD([50n, 150n], 10n)).to.equal(197n);
    });

    it("a balanced pool's D is the sum; an unbalanced one's falls below it, less so as A grows", function () {
      expect(curveD([10n ** 24n, 10n ** 24n, 10n ** 24n, 10n ** 24n], 200n)).to.equal(4n * 10n ** 24n);
      // from the Python transcription of get_D
      expect(curveD(XP, 1n)).to.equal(3_979_563_604_726_805_740_822_633n);
      expect(curveD(XP, 200n)).to.equal(3_999_792_756_712_904_918_008_713n);
      expect(curveD(XP, 2_000n)).to.equal(3_999_979_177_619_965_028_405_197n);
    });

    it("solves the StableSwap invariant (exact integer check) over 150 seeded pools", function () {
      const rnd = seededBigints(41);
      for (let k = 0; k < 150; k++) {
        const n = 2 + Number(rnd(3n));
        const A = [1n, 10n, 100n, 200n, 1_000n, 5_000n][Number(rnd(6n))];
        const xp = Array.from({ length: n }, () => rnd(10n ** 25n) + 10n ** 20n);
        const D = curveD(xp, A);
        // the root lies within D ± (D / 1e18 + 2): g > 0 below, g < 0 above
        const tol = D / E18 + 2n;
        expect(invariantGap(D - tol, xp, A) > 0n, `g(D - tol) > 0 for ${xp} A=${A}`).to.equal(true);
        expect(invariantGap(D + tol, xp, A) < 0n, `g(D + tol) < 0 for ${xp} A=${A}`).to.equal(true);
        expect(D).to.equal(refGetD(xp, A));
      }
    });
  });

  describe("curveY (get_y)", function () {
    it("[50, 150], A = 10, coin 0 to 60: three Newton steps, by hand", function () {
      // D = 197 (above); Ann = 20; c = D; S_ = 0
      // k = 0 (= i): _x = 60, S_ = 60, c = 197 * 197 / (60 * 2) = 38809 / 120 = 323
      // k = 1 (= j): skipped
      // c = 323 * 197 / (20 * 2) = 63631 / 40 = 1590; b = 60 + 197 / 20 = 69
      // y = 197:  (197^2 + 1590) / (2*197 + 69 - 197) = 40399 / 266 = 151
      // y = 151:  (151^2 + 1590) / (302 + 69 - 197)   = 24391 / 174 = 140
      // y = 140:  (140^2 + 1590) / (280 + 69 - 197)   = 21190 / 152 = 139 -> |139 - 140| <= 1, stop
      expect(curveY(0, 1, 60n, [50n, 150n], 10n)).to.equal(139n);
    });

    it("1000 USDe into the unbalanced pool: USDC's new balance", function () {
      // from the Python transcription of get_y
      expect(curveY(0, 1, XP[0] + 1_000n * E18, XP, 200n)).to.equal(799_002_161_815_467_932_177_980n);
    });

    it("keeps D: the invariant holds at the new balances, over 150 seeded swaps", function () {
      const rnd = seededBigints(42);
      for (let k = 0; k < 150; k++) {
        const n = 2 + Number(rnd(3n));
        const A = [1n, 10n, 100n, 200n, 1_000n, 5_000n][Number(rnd(6n))];
        const xp = Array.from({ length: n }, () => rnd(10n ** 25n) + 10n ** 20n);
        const i = Number(rnd(BigInt(n)));
        const j = (i + 1 + Number(rnd(BigInt(n - 1)))) % n;
        const x = xp[i] + rnd(xp[i]);
        const y = curveY(i, j, x, xp, A);
        expect(y).to.equal(refGetY(i, j, x, xp, A));
        // with D fixed, g falls as x_j falls: the root in x_j lies within y ± (y / 1e15 + 2)
        const D = curveD(xp, A);
        const at = (yj: bigint): bigint[] => xp.map((v, m) => (m === i ? x : m === j ? yj : v));
        const tol = y / 10n ** 15n + 2n;
        const below = invariantGap(D, at(y - tol), A);
        const above = invariantGap(D, at(y + tol), A);
        expect(below < 0n && above > 0n, `root of x_${j} near ${y}`).to.equal(true);
      }
    });
  });

  describe("curveGetDy (get_dy)", function () {
    it("[50, 150] (18 decimals), A = 10, sell 10 of coin 0: dy = 150 - 139 = 11; a 10% fee takes 1", function () {
      // x = 50 + 10 * 1e18 / 1e18 = 60 -> y = 139 (above); dy = (150 - 139) * 1e18 / 1e18 = 11
      expect(curveGetDy(0, 1, 10n, [50n, 150n], [18, 18], 10n, 0n)).to.equal(11n);
      // fee 1e9 / 1e10 = 10%: 11 - 1e9 * 11 / 1e10 = 11 - 1 = 10
      expect(curveGetDy(0, 1, 10n, [50n, 150n], [18, 18], 10n, 1_000_000_000n)).to.equal(10n);
      // fee 9.09e8: 9.09e8 * 11 / 1e10 = 0.99999 -> 0 taken
      expect(curveGetDy(0, 1, 10n, [50n, 150n], [18, 18], 10n, 909_090_909n)).to.equal(11n);
    });

    it("the embedded pool's shape, A = 200, fee 0.01%: values from the Python transcription", function () {
      const fee = 1_000_000n; // 0.01% in 1e10 units
      // 1000 USDe -> USDC: dy = 997838184, fee = 1e6 * 997838184 / 1e10 = 99783, out = 997738401
      expect(curveGetDy(0, 1, 1_000n * E18, BALANCES, DECIMALS, 200n, 0n)).to.equal(997_838_184n);
      expect(curveGetDy(0, 1, 1_000n * E18, BALANCES, DECIMALS, 200n, fee)).to.equal(997_738_401n);
      // 1000 USDC -> USDe: dy = 1002153903675158367626, fee 100215390367515836
      expect(curveGetDy(1, 0, 1_000n * 10n ** 6n, BALANCES, DECIMALS, 200n, fee)).to.equal(
        1_002_053_688_284_790_851_790n,
      );
      // 250,000 USDe -> DAI
      expect(curveGetDy(0, 3, 250_000n * E18, BALANCES, DECIMALS, 200n, fee)).to.equal(
        249_440_492_191_876_028_974_717n,
      );
      // 1 USDT -> USDC: dy = 998706, fee 99 (99.87 floored), out 998607
      expect(curveGetDy(2, 1, 10n ** 6n, BALANCES, DECIMALS, 200n, fee)).to.equal(998_607n);
      // nothing in, nothing out; one wei of USDe buys no USDC unit
      expect(curveGetDy(0, 1, 0n, BALANCES, DECIMALS, 200n, fee)).to.equal(0n);
      expect(curveGetDy(0, 1, 1n, BALANCES, DECIMALS, 200n, fee)).to.equal(0n);
    });

    it("matches get_dy over 200 seeded pools and trades", function () {
      const rnd = seededBigints(43);
      const decimalChoices = [6, 8, 18];
      for (let k = 0; k < 200; k++) {
        const n = 2 + Number(rnd(3n));
        const decimals = Array.from({ length: n }, () => decimalChoices[Number(rnd(3n))]);
        const balances = decimals.map((d) => rnd(10n ** BigInt(d + 7)) + 10n ** BigInt(d + 3));
        const A = rnd(2_000n) + 1n;
        const fee = rnd(50_000_000n);
        const i = Number(rnd(BigInt(n)));
        const j = (i + 1 + Number(rnd(BigInt(n - 1)))) % n;
        const dx = rnd(balances[i]);
        expect(curveGetDy(i, j, dx, balances, decimals, A, fee)).to.equal(
          refGetDy(i, j, dx, balances, decimals, A, fee),
        );
      }
    });

    // get_y asserts (i != j) and 0 <= i, j < N_COINS, so the pool reverts on get_dy(i, i, dx) and on a missing coin.
    it("refuses i == j and coins out of range, as the pool's get_y assert does", function () {
      expect(() => curveGetDy(0, 0, E18, BALANCES, DECIMALS, 200n, 1_000_000n)).to.throw(Error, /must differ/);
      expect(() => curveGetDy(0, 4, E18, BALANCES, DECIMALS, 200n, 1_000_000n)).to.throw(Error, /below 4/);
    });
  });
});
