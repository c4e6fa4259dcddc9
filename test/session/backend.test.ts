import { expect } from "chai";
import { InputError } from "../../src/errors";
import { chooseBackend } from "../../src/session/backend";

describe("session: choosing the backend", function () {
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
