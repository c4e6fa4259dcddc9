import { expect } from "chai";
import hre from "hardhat";
import { getAddress, id, keccak256, toUtf8Bytes } from "ethers";
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

describe("address checksums kept", function () {
  it("checksum as EIP-55 says, the first time and from memory after, and leave other hashes as they were", function () {
    bindContract(IERC20Metadata__factory, "0x00000000000000000000000000000000000000a1", hre.ethers.provider);
    // EIP-55's own examples.
    const checksummed = [
      "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed",
      "0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359",
      "0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB",
      "0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb",
    ];
    for (let round = 0; round < 2; round++)
      expect(checksummed.map((a) => getAddress(a.toLowerCase()))).to.deep.equal(checksummed);
    // A 40-byte input twice: the same hash, each caller its own bytes; inputs of other lengths hashed as ever.
    const forty = toUtf8Bytes("5aaeb6053f3e94c9b9a09f33669435e7ef1beaed");
    expect(keccak256(forty)).to.equal(keccak256(forty));
    expect(keccak256(toUtf8Bytes(""))).to.equal("0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470");
    expect(id("transfer(address,uint256)").slice(0, 10)).to.equal("0xa9059cbb");
  });
});
