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
