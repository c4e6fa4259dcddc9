import { expect } from "chai";
import { InputError } from "../src/errors";

describe("InputError", () => {
  it("keeps field, problem and fix, and formats the message as `field: problem — fix`", () => {
    const err = new InputError("targetLtv", "must be below 1", "e.g. 0.80");
    expect(err).to.be.instanceOf(Error);
    expect(err.name).to.equal("InputError");
    expect([err.field, err.problem, err.fix]).to.deep.equal(["targetLtv", "must be below 1", "e.g. 0.80"]);
    expect(err.message).to.equal("targetLtv: must be below 1 — e.g. 0.80");
  });

  it("has no dash when there is no fix", () => {
    const err = new InputError("path.csv", "cannot read x.csv: ENOENT");
    expect(err.fix).to.equal(undefined);
    expect(err.message).to.equal("path.csv: cannot read x.csv: ENOENT");
  });

  it("withField prefixes the field and keeps the problem and fix", () => {
    const inner = new InputError("targetLtv", "must be below 1", "e.g. 0.80");
    const outer = inner.withField("loops[0].");
    expect(outer).to.be.instanceOf(InputError);
    expect(outer).to.not.equal(inner);
    expect([outer.field, outer.problem, outer.fix]).to.deep.equal([
      "loops[0].targetLtv",
      "must be below 1",
      "e.g. 0.80",
    ]);
    expect(outer.message).to.equal("loops[0].targetLtv: must be below 1 — e.g. 0.80");
    expect(inner.message).to.equal("targetLtv: must be below 1 — e.g. 0.80");
    expect(inner.withField("a.").withField("b.").field).to.equal("b.a.targetLtv");
  });

  it("atField renames the field (e.g. to the command-line flag) and keeps the problem and fix", () => {
    const err = new InputError("targetLtv", "must be below 1").atField("--ltv");
    expect([err.field, err.problem, err.fix]).to.deep.equal(["--ltv", "must be below 1", undefined]);
    expect(err.message).to.equal("--ltv: must be below 1");
  });
});

describe("InputError, whatever the value it repeats", () => {
  it("is one line: control and line-break characters are escaped", () => {
    const err = new InputError("--token", 'unknown token "a\nb\u0000c\u2028"', "use USDe\r\nor sUSDe");
    expect(err.message).to.equal('--token: unknown token "a\\nb\\u0000c\\u2028" — use USDe\\u000d\\nor sUSDe');
  });

  it("is bounded: each part is cut at 500 characters", () => {
    const err = new InputError("x".repeat(600), "y".repeat(100_000), "z".repeat(501));
    expect(err.field).to.equal(`${"x".repeat(500)}…`);
    expect(err.message).to.equal(`${"x".repeat(500)}…: ${"y".repeat(500)}… — ${"z".repeat(500)}…`);
  });
});
