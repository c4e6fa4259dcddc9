import { expect } from "chai";
import hre from "hardhat";
import { IERC20Metadata__factory } from "../../typechain-types";
import { bindContract } from "../../src/chain/bind";

describe("contract bindings", function () {
  it("parse a factory's ABI once and bind like the factory's connect", async function () {
    const [signer] = await hre.ethers.getSigners();
    const address = "0x00000000000000000000000000000000000000a1";
    const a = bindContract(IERC20Metadata__factory, address, hre.ethers.provider);
    const b = bindContract(IERC20Metadata__factory, address, signer);
    expect(a.interface).to.equal(b.interface);
    expect(await a.getAddress()).to.equal(address);
    expect(b.runner).to.equal(signer);
    expect(a.interface.format()).to.deep.equal(
      IERC20Metadata__factory.connect(address, hre.ethers.provider).interface.format(),
    );
  });
});
