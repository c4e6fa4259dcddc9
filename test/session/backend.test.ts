import { expect } from "chai";
import { InputError } from "../../src/errors";
import { ANVIL_DEFAULT_MAX_POSITIONS, chooseBackend } from "../../src/session/backend";

describe("session: choosing the backend", function () {
  it("by default anvil up to 1,000 positions, Hardhat's in-process network above (where it is faster)", function () {
    expect(ANVIL_DEFAULT_MAX_POSITIONS).to.equal(1_000);
    expect([0, 110, 1_000, 1_001, 10_000].map((n) => chooseBackend(undefined, {}, "hardhat", n))).to.deep.equal([
      "anvil",
      "anvil",
      "anvil",
      "hardhat",
      "hardhat",
    ]);
    expect(chooseBackend("anvil", {}, "hardhat", 10_000)).to.equal("anvil");
    expect(chooseBackend(undefined, { LOOPSTRESS_BACKEND: "anvil" }, "hardhat", 10_000)).to.equal("anvil");
  });

  it("--backend, else LOOPSTRESS_BACKEND, else anvil", function () {
    expect(chooseBackend(undefined, {})).to.equal("anvil");
    expect(chooseBackend(undefined, { LOOPSTRESS_BACKEND: "" })).to.equal("anvil");
    expect(chooseBackend(undefined, { LOOPSTRESS_BACKEND: "hardhat" })).to.equal("hardhat");
    expect(chooseBackend("anvil", { LOOPSTRESS_BACKEND: "hardhat" })).to.equal("anvil");
    expect(chooseBackend("hardhat", {})).to.equal("hardhat");
  });

  it("a wrong name is refused with the flag or variable it came from", function () {
    expect(() => chooseBackend("geth", {})).to.throw(
      InputError,
      '--backend: unknown backend "geth" — use anvil or hardhat',
    );
    expect(() => chooseBackend(undefined, { LOOPSTRESS_BACKEND: "Anvil" })).to.throw(
      InputError,
      'LOOPSTRESS_BACKEND: unknown backend "Anvil" — use anvil or hardhat',
    );
  });

  it("with another --network, the command runs on it; an explicit --backend is refused, not ignored", function () {
    expect(chooseBackend(undefined, { LOOPSTRESS_BACKEND: "anvil" }, "localhost")).to.equal("hardhat");
    expect(() => chooseBackend("anvil", {}, "localhost")).to.throw(
      InputError,
      "--backend: does not apply with --network localhost — drop one of the two",
    );
  });
});
