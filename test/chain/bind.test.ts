import { expect } from "chai";
import hre from "hardhat";
import { getAddress, id, keccak256, toUtf8Bytes, type Provider, type Signer } from "ethers";
import {
  IERC20Metadata__factory,
  SettableAggregator__factory,
  StandInERC20__factory,
  type IERC20Metadata,
} from "../../typechain-types";
import { bindContract } from "../../src/chain/bind";
import { interceptRequests, type RpcEndpoint } from "../../src/chain/read-cache";
import { openAnvilChain } from "../../src/session/backend";

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

describe("view functions read directly", function () {
  /** The eth_calls `endpoint` is sent while `read` runs, and what `read` returns (or the error it throws). */
  async function callsOf(endpoint: RpcEndpoint, read: () => Promise<unknown>): Promise<[unknown[], string]> {
    const seen: unknown[] = [];
    const restore = interceptRequests(endpoint, (method, params, call) => {
      if (method === "eth_call") seen.push(params);
      return call();
    });
    try {
      const got = await read().then(
        (v) => `returned ${String(v)}`,
        (err: Error) => `threw ${err.message}`,
      );
      return [seen, got];
    } finally {
      restore();
    }
  }

  /** Each read once through bindContract and once through TypeChain's own connect: the same requests, the same answers. */
  async function expectSameAsEthers(endpoint: RpcEndpoint, provider: Provider, signer: Signer): Promise<void> {
    const admin = await signer.getAddress();
    const token = await new StandInERC20__factory(signer).deploy("Token", "TKN", 6, admin);
    await token.waitForDeployment();
    const address = await token.getAddress();
    // Code without balanceOf (and no fallback): the call reverts.
    const feed = await new SettableAggregator__factory(signer).deploy(8, "feed", 1n, admin);
    await feed.waitForDeployment();
    const reverts = await feed.getAddress();
    const noCode = "0x00000000000000000000000000000000000000a2";
    let ethersCalls = 0;
    const ownCall = provider.call.bind(provider);
    provider.call = (tx) => {
      ethersCalls += 1;
      return ownCall(tx);
    };
    for (const runner of [provider, signer])
      for (const [at, read] of [
        [address, (t: IERC20Metadata) => t.balanceOf(admin)],
        [address, (t: IERC20Metadata) => t.decimals()],
        [address, (t: IERC20Metadata) => t.allowance(admin, noCode)],
        [noCode, (t: IERC20Metadata) => t.balanceOf(admin)],
        [reverts, (t: IERC20Metadata) => t.balanceOf(admin)],
      ] as const) {
        const direct = await callsOf(endpoint, () => read(bindContract(IERC20Metadata__factory, at, runner)));
        const directThroughEthers = ethersCalls;
        const viaEthers = await callsOf(endpoint, () => read(IERC20Metadata__factory.connect(at, runner)));
        expect(direct[1]).to.equal(viaEthers[1]);
        expect(new Set(direct[0].map((c) => JSON.stringify(c)))).to.deep.equal(
          new Set(viaEthers[0].map((c) => JSON.stringify(c))),
        );
        // Direct: not through the provider's own call(); the same read through ethers is. A call that fails is
        // asked again the ethers way, for ethers' own error.
        const fails = at === reverts ? 1 : 0;
        expect(direct[0]).to.have.length(1 + fails);
        expect([directThroughEthers, ethersCalls - directThroughEthers]).to.deep.equal([fails, 1]);
        ethersCalls = 0;
      }
    // The method's other faces are ethers' own.
    const bound = bindContract(IERC20Metadata__factory, address, provider);
    expect(await bound.decimals.staticCall()).to.equal(6n);
    expect(bound.decimals.fragment.format()).to.equal("decimals()");
    expect(await bound.balanceOf(admin, { blockTag: "latest" })).to.equal(0n);
    provider.call = ownCall;
  }

  it("answer a read asked again from its own answer: a new state, other arguments, a many-valued result", async function () {
    const [signer, other] = await hre.ethers.getSigners();
    const admin = await signer.getAddress();
    const token = await new StandInERC20__factory(signer).deploy("Token", "TKN", 6, admin);
    await token.waitForDeployment();
    const address = await token.getAddress();
    const bound = bindContract(StandInERC20__factory, address, hre.ethers.provider);
    const own = StandInERC20__factory.connect(address, hre.ethers.provider);
    const balances = async () => [await bound.balanceOf(admin), await bound.balanceOf(other.address)];
    expect(await balances()).to.deep.equal([0n, 0n]);
    await (await token.mint(admin, 5n)).wait();
    expect(await balances()).to.deep.equal([5n, 0n]);
    await (await token.mint(other.address, 7n)).wait();
    expect(await balances()).to.deep.equal([5n, 7n]);
    await (await token.approve(other.address, 3n)).wait();
    // The same two addresses in the other order are another read.
    expect([await bound.allowance(admin, other.address), await bound.allowance(other.address, admin)]).to.deep.equal([
      3n,
      0n,
    ]);
    const feed = await new SettableAggregator__factory(signer).deploy(8, "feed", 100n, admin);
    await feed.waitForDeployment();
    const boundFeed = bindContract(SettableAggregator__factory, await feed.getAddress(), hre.ethers.provider);
    const first = await boundFeed.latestRoundData();
    expect([...first]).to.deep.equal([...(await feed.latestRoundData())]);
    expect(first[1]).to.equal(100n);
    // Asked again: the same answer, frozen as ethers makes it; after a change, the new answer.
    expect([...(await boundFeed.latestRoundData())]).to.deep.equal([...first]);
    expect(Object.isFrozen(first)).to.equal(true);
    await (await feed.setAnswer(120n)).wait();
    const second = await boundFeed.latestRoundData();
    expect([second[0] - first[0], second[1]]).to.deep.equal([1n, 120n]);
    expect(await bound.symbol()).to.equal(await own.symbol());
  });

  it("send the eth_call ethers sends, and return or throw what it does, on Hardhat's network", async function () {
    const [signer] = await hre.ethers.getSigners();
    await expectSameAsEthers(hre.network.provider, hre.ethers.provider, signer);
  });

  it("send the eth_call ethers sends, and return or throw what it does, on anvil", async function () {
    this.timeout(60_000);
    const chain = await openAnvilChain();
    try {
      await expectSameAsEthers(chain.provider as RpcEndpoint, chain.provider, chain.signers[0]);
    } finally {
      await chain.close();
    }
  });
});
