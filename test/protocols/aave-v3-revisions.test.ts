import { expect } from "chai";
import { aaveRulesOf } from "../../src/protocols/aave-v3-revisions";
import { InputError } from "../../src/errors";

describe("Aave Pool revisions → the model's rule set", function () {
  it("models v3.0 (revisions 1–3) and the v3.5 rules (revisions 9, mainnet's at the pinned block, and 10)", function () {
    expect([1n, 2n, 3n, 9n, 10n].map((r) => aaveRulesOf(r).rules)).to.deep.equal([
      "v3.0",
      "v3.0",
      "v3.0",
      "v3.5",
      "v3.5",
    ]);
    expect(aaveRulesOf(9n)).to.deep.equal({ revision: 9, release: "v3.5.0", rules: "v3.5" });
  });

  it("refuses every other revision, naming it, the release and why", function () {
    const refused = (r: bigint) => {
      try {
        aaveRulesOf(r);
      } catch (err) {
        if (err instanceof InputError) return err.message;
      }
      throw new Error(`revision ${r} was not refused`);
    };
    expect(refused(8n)).to.equal(
      "Aave Pool revision: revision 8 (v3.4.0) is not modelled: v3.4's rules are modelled with v3.5's rounding only; " +
        "v3.3/v3.4 round differently — the model covers revisions 1, 2, 3, 9, 10; run on a chain whose Pool runs one of them",
    );
    expect(refused(4n)).to.match(/^Aave Pool revision: revision 4 \(v3\.1\.0\) is not modelled: v3\.1's virtual/);
    expect(refused(11n)).to.match(/^Aave Pool revision: revision 11 is not modelled — the model covers revisions/);
  });
});
