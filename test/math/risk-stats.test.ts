import { expect } from "chai";
import { exceedance, expectedShortfall, histogram, mean, percentile, sum } from "../../src/math/risk-stats";

// Ten losses, deliberately out of order: sorted they are 0, 0, 1, 2, 3, 5, 8, 13, 21, 34.
const LOSSES = [13n, 0n, 34n, 2n, 8n, 0n, 21n, 1n, 5n, 3n];

describe("risk statistics (exact, on small inputs)", function () {
  it("sum and mean, the mean rounded down (toward minus infinity for negatives)", function () {
    expect(sum(LOSSES)).to.equal(87n);
    expect(mean(LOSSES)).to.equal(8n); // 8.7
    expect(mean([1n, 2n])).to.equal(1n); // 1.5
    expect(mean([-1n, -2n])).to.equal(-2n); // -1.5
    expect(mean([7n])).to.equal(7n);
    expect(() => mean([])).to.throw(RangeError, /no values/);
  });

  it("nearest-rank percentiles: the ceil(p·n)-th smallest", function () {
    expect(percentile(LOSSES, 5000)).to.equal(3n); // rank 5
    expect(percentile(LOSSES, 9000)).to.equal(21n); // rank 9
    expect(percentile(LOSSES, 9500)).to.equal(34n); // rank ceil(9.5) = 10
    expect(percentile(LOSSES, 9900)).to.equal(34n);
    expect(percentile(LOSSES, 10_000)).to.equal(34n);
    expect(percentile(LOSSES, 1)).to.equal(0n); // rank 1
    expect(percentile(LOSSES, 1000)).to.equal(0n); // rank 1
    expect(percentile(LOSSES, 1001)).to.equal(0n); // rank 2
    expect(percentile(LOSSES, 2001)).to.equal(1n); // rank 3
    // 200 values 1..200: VaR 95% is the 190th, VaR 99% the 198th.
    const ramp = Array.from({ length: 200 }, (_, i) => BigInt(200 - i));
    expect(percentile(ramp, 9500)).to.equal(190n);
    expect(percentile(ramp, 9900)).to.equal(198n);
    expect(() => percentile(LOSSES, 0)).to.throw(RangeError);
    expect(() => percentile(LOSSES, 10_001)).to.throw(RangeError);
    expect(() => percentile(LOSSES, 95.5)).to.throw(RangeError);
  });

  it("expected shortfall: the mean of the worst n - floor(p·n) values, never below VaR", function () {
    expect(expectedShortfall(LOSSES, 5000)).to.equal(16n); // (5+8+13+21+34)/5 = 16.2
    expect(expectedShortfall(LOSSES, 8000)).to.equal(27n); // (21+34)/2 = 27.5
    expect(expectedShortfall(LOSSES, 9500)).to.equal(34n); // floor(9.5) = 9: the worst one
    expect(expectedShortfall(LOSSES, 10_000)).to.equal(34n); // at least the worst one
    const ramp = Array.from({ length: 200 }, (_, i) => BigInt(i + 1));
    expect(expectedShortfall(ramp, 9500)).to.equal(195n); // mean of 191..200 = 195.5
    expect(expectedShortfall(ramp, 9900)).to.equal(199n); // mean of 199, 200 = 199.5
    for (const level of [5000, 9000, 9500, 9900])
      expect(expectedShortfall(ramp, level) >= percentile(ramp, level)).to.equal(true);
  });

  it("histogram: equal bins from the smallest to the largest value, the last one closed", function () {
    expect(histogram(LOSSES, 4)).to.deep.equal([
      { fromRaw: 0n, toRaw: 9n, runs: 7 },
      { fromRaw: 9n, toRaw: 18n, runs: 1 },
      { fromRaw: 18n, toRaw: 27n, runs: 1 },
      { fromRaw: 27n, toRaw: 36n, runs: 1 },
    ]);
    expect(histogram([0n, 10n], 2)).to.deep.equal([
      { fromRaw: 0n, toRaw: 5n, runs: 1 },
      { fromRaw: 5n, toRaw: 10n, runs: 1 },
    ]);
    expect(histogram([5n, 5n, 5n], 3)).to.deep.equal([{ fromRaw: 5n, toRaw: 5n, runs: 3 }]);
    expect(() => histogram(LOSSES, 0)).to.throw(RangeError);
  });

  it("exceedance: for each distinct value, the runs that reached at least it", function () {
    expect(exceedance([3n, 0n, 3n, 7n, 0n])).to.deep.equal([
      { valueRaw: 0n, runsAtOrAbove: 5 },
      { valueRaw: 3n, runsAtOrAbove: 3 },
      { valueRaw: 7n, runsAtOrAbove: 1 },
    ]);
    expect(exceedance([2n])).to.deep.equal([{ valueRaw: 2n, runsAtOrAbove: 1 }]);
  });
});
