import { expect } from "chai";
import fs from "fs";
import os from "os";
import path from "path";
import {
  amountFrom,
  decimalFrom,
  forkBlockFrom,
  outputPathFrom,
  shownValue,
  wholeNumberFrom,
} from "../../src/domain/flag-values";
import { MAX_FORK_BLOCK, MAX_SHOWN_VALUE_CHARS } from "../../src/domain/bounds";

/** Command-line values: form and range, each bound named; output paths contained. */
describe("flag values", function () {
  it("--amount: whole tokens, more than 0, at most 10^12, no more decimals than the token has", function () {
    expect(amountFrom("100000", "--amount", 18)).to.equal(100_000n * 10n ** 18n);
    expect(amountFrom("0.5", "--amount", 6)).to.equal(500_000n);
    expect(amountFrom("1000000000000", "--amount", 6)).to.equal(10n ** 18n);
    expect(() => amountFrom("1000000000000.000001", "--amount", 6)).to.throw(
      "--amount: 1000000000000.000001 is over the bound of 1000000000000 tokens — no stablecoin has that many; give a smaller amount",
    );
    expect(() => amountFrom("0", "--amount", 18)).to.throw(
      "--amount: must be more than 0 — give the amount in whole tokens, e.g. 100000",
    );
    expect(() => amountFrom("-5", "--amount", 18)).to.throw('--amount: "-5" is not a decimal number — write e.g. 0.65');
    expect(() => amountFrom("1.0000001", "--amount", 6)).to.throw('--amount: "1.0000001" has more than 6 decimals');
    expect(() => amountFrom("9".repeat(100_000), "--amount", 18)).to.throw(
      `--amount: "${"9".repeat(MAX_SHOWN_VALUE_CHARS)}…" is not a decimal number — write e.g. 0.65`,
    );
  });

  it("decimals and whole numbers: form, then range", function () {
    expect(decimalFrom("0.8", "--ltv", 18)).to.equal(8n * 10n ** 17n);
    expect(() => decimalFrom("NaN", "--ltv", 18)).to.throw('--ltv: "NaN" is not a decimal number — write e.g. 0.65');
    expect(wholeNumberFrom("50", "--rounds", 0, 50)).to.equal(50);
    expect(() => wholeNumberFrom("51", "--rounds", 0, 50)).to.throw("--rounds: 51 is out of range — give 0 to 50");
    expect(() => wholeNumberFrom("-1", "--rounds", 0, 50)).to.throw("--rounds: -1 is out of range — give 0 to 50");
    expect(() => wholeNumberFrom("1e3", "--rounds", 0, 50)).to.throw('--rounds: "1e3" is not a whole number');
    expect(() => wholeNumberFrom("1".repeat(30), "--rounds", 0, 50)).to.throw(
      /^--rounds: "1{30}" is not a whole number$/,
    );
  });

  it("--fork-block: a block number up to 10^9", function () {
    expect(forkBlockFrom("23549000")).to.equal(23_549_000);
    expect(forkBlockFrom(String(MAX_FORK_BLOCK))).to.equal(MAX_FORK_BLOCK);
    expect(() => forkBlockFrom("1000000001")).to.throw(
      "--fork-block: 1000000001 is over the bound of 1000000000 — give a block the chain has mined",
    );
    expect(() => forkBlockFrom("18446744073709551616")).to.throw(
      /^--fork-block: 18446744073709551616 is over the bound/,
    );
  });

  it("values repeated in messages: one line, cut at 60 characters", function () {
    expect(shownValue("a\nb")).to.equal("a\\nb");
    expect(shownValue("x".repeat(61))).to.equal(`${"x".repeat(60)}…`);
  });

  it("--out: contained in the working directory, or an absolute path into a folder that exists", function () {
    const tmp = fs.mkdtempSync(path.join(os.tmpdir(), "loopstress-out-"));
    expect(outputPathFrom("reports/x/all.csv", "--out", ".csv")).to.equal(path.resolve("reports/x/all.csv"));
    expect(outputPathFrom(path.join(tmp, "p.json"), "--out", ".json")).to.equal(path.join(tmp, "p.json"));
    const refusals: [string, string][] = [
      ["../outside.csv", '--out: "../outside.csv" leaves the working directory'],
      ["reports/../../x.csv", '--out: "reports/../../x.csv" leaves the working directory'],
      [path.join(tmp, "missing", "x.csv"), "is in a folder that does not exist"],
      ["reports/x.json", '--out: "reports/x.json" does not end in .csv — name a .csv file'],
      ["reports/", '--out: "reports/" does not name a file'],
      ["..", '--out: ".." does not name a file'],
      ["", '--out: "" is not a path of 1 to 1024 characters'],
      ["a\u0000b.csv", '--out: "a\\u0000b.csv" holds control characters'],
      [`${"a".repeat(1100)}.csv`, "is not a path of 1 to 1024 characters"],
    ];
    for (const [value, message] of refusals)
      expect(() => outputPathFrom(value, "--out", ".csv"), value).to.throw(message);
    fs.mkdirSync(path.join(tmp, "d.csv"));
    expect(() => outputPathFrom(path.join(tmp, "d.csv"), "--out", ".csv")).to.throw(/is a folder — name a file$/);
    fs.rmSync(tmp, { recursive: true, force: true });
  });
});
