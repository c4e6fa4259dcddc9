import { expect } from "chai";
import fs from "fs";
import os from "os";
import path from "path";
import { loadEmbedded } from "../fixtures";
import { latestBlock } from "../../src/chain/clock";
import { InputError } from "../../src/errors";
import { getFeedPrice } from "../../src/oracles/feeds";
import { rampPath, readPriceCsv, stepPath, walkPath } from "../../src/oracles/paths";

function csv(text: string): string {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "loopstress-csv-")), "path.csv");
  fs.writeFileSync(file, text);
  return file;
}

describe("price paths", function () {
  it("builds a step and a linear ramp in oracle units", function () {
    expect(stepPath("0.65", 3)).to.deep.equal([{ afterBlocks: 3, afterSeconds: 36, priceE8: 65_000_000n }]);
    const ramp = rampPath("1.00", "0.65", 10, 5);
    expect(ramp.map((p) => p.priceE8)).to.deep.equal([93_000_000n, 86_000_000n, 79_000_000n, 72_000_000n, 65_000_000n]);
    expect(ramp.reduce((s, p) => s + p.afterBlocks, 0)).to.equal(10);
  });

  it("reads (block, price) and (time, price) CSVs", function () {
    expect(
      readPriceCsv(csv("block,price\n0,1.0\n5,0.9\n5,0.8\n12,0.65\n")).map((p) => [p.afterBlocks, p.priceE8]),
    ).to.deep.equal([
      [0, 100_000_000n],
      [5, 90_000_000n],
      [0, 80_000_000n],
      [7, 65_000_000n],
    ]);
    const byTime = readPriceCsv(csv("# 10 Oct 2025, minutes after 21:00 UTC\ntime,price\n60,0.99\n90,0.8\n"));
    expect(byTime.map((p) => [p.afterBlocks, p.afterSeconds])).to.deep.equal([
      [5, 60],
      [3, 30],
    ]);
  });

  it("walks a path: each point's blocks and seconds pass on chain, then the feed is set", async function () {
    const { ctx } = await loadEmbedded();
    const start = await latestBlock(ctx.provider);
    const seen: [bigint, bigint, bigint][] = [];
    await walkPath(ctx, "USDe/USD", readPriceCsv(csv("time,price\n100,0.97\n700,0.7\n")), async () => {
      const b = await latestBlock(ctx.provider);
      seen.push([b.number - start.number, b.timestamp - start.timestamp, await getFeedPrice(ctx, "USDe/USD")]);
    });
    // 100 s over 9 blocks, then the feed's own block (+12 s); then 600 s over 50 blocks, then +12 s.
    expect(seen).to.deep.equal([
      [10n, 112n, 97_000_000n],
      [61n, 724n, 70_000_000n],
    ]);
  });

  describe("bad input names the field", function () {
    const cases: [string, () => unknown, string, RegExp][] = [
      ["price 0", () => stepPath("0"), "path.step.to", /price must be > 0/],
      ["negative price", () => rampPath("1", "-0.2", 5, 5), "path.ramp.to", /price must be > 0/],
      ["not a number", () => stepPath("abc"), "path.step.to", /is not a decimal number/],
      ["no points", () => readPriceCsv(csv("block,price\n")), "path", /has no points/],
      ["empty file", () => readPriceCsv(csv("")), "path.csv", /is empty/],
      [
        "bad header",
        () => readPriceCsv(csv("when,usd\n1,1\n")),
        "path.csv",
        /header must be "block,price" or "time,price"/,
      ],
      [
        "unsorted",
        () => readPriceCsv(csv("block,price\n5,1\n3,0.9\n")),
        "path.csv line 3",
        /before the previous row's 5/,
      ],
      ["zero in CSV", () => readPriceCsv(csv("block,price\n1,0.0\n")), "path.csv line 2", /price must be > 0/],
      [
        "unreadable",
        () => readPriceCsv("/nonexistent/path.csv"),
        "path.csv",
        /cannot read \/nonexistent\/path\.csv: ENOENT/,
      ],
      [
        "ramp with fewer blocks than points",
        () => rampPath("1", "0.5", 2, 5),
        "path.ramp.blocks",
        /must be a whole number >= points/,
      ],
    ];
    for (const [name, f, field, message] of cases) {
      it(name, function () {
        let err: unknown;
        try {
          f();
        } catch (e) {
          err = e;
        }
        expect(err).to.be.instanceOf(InputError);
        expect((err as InputError).field).to.equal(field);
        expect((err as Error).message).to.match(message);
      });
    }
  });
});
