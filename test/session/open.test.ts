import { expect } from "chai";
import fs from "fs";
import os from "os";
import path from "path";
import hre from "hardhat";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import { loadEmbedded } from "../fixtures";
import { writeDeployment } from "../../src/chain/deployments";
import { SessionChain, openSession, splitSigners } from "../../src/session";
import { recordMatches } from "../../src/session/embedded";

/** openSession on the in-process network: the embedded record reused, a recorded deployment, fork refusals. */
describe("openSession", function () {
  let dir: string;
  let resets: [string, number][];

  before(function () {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "loopstress-session-"));
  });

  after(function () {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  async function chain(): Promise<SessionChain<HardhatEthersSigner>> {
    resets = [];
    return {
      provider: hre.ethers.provider,
      signers: await hre.ethers.getSigners(),
      resetForking: async (url, block) => {
        resets.push([url, block]);
      },
    };
  }

  it("splits the node's accounts: account 0 administers, the last liquidates, the rest are users", async function () {
    const signers = await hre.ethers.getSigners();
    const { deployer, users, liquidator } = splitSigners(signers);
    expect(signers).to.have.length(20);
    expect(deployer.address).to.equal(signers[0].address);
    expect(users.map((u) => u.address)).to.deep.equal(signers.slice(1, 19).map((s) => s.address));
    expect(liquidator.address).to.equal(signers[19].address);
    expect(() => splitSigners(signers.slice(0, 2))).to.throw("a session needs at least 3 accounts, the node has 2");
  });

  it("reuses the recorded embedded deployment: Pool on the node, same release and Curve", async function () {
    const { record, deployer } = await loadEmbedded();
    const file = path.join(dir, "embedded.json");
    writeDeployment(record, file);
    const lines: string[] = [];
    const s = await openSession(await chain(), {}, { log: (l) => lines.push(l), embeddedRecordFile: file });
    expect(lines).to.deep.equal([]);
    expect(s.ctx.record).to.deep.equal(record);
    expect(await s.ctx.admin.getAddress()).to.equal(deployer.address);
    expect(s.users).to.have.length(18);
    await s.close();
  });

  it("deploys instead when the recorded release or Curve set-up differ", async function () {
    const { record } = await loadEmbedded();
    expect(recordMatches(record, { aaveRelease: "origin-v3.6", curve: false })).to.equal(true);
    expect(recordMatches(record, { aaveRelease: "v3.0", curve: false })).to.equal(false);
    expect(recordMatches(record, { aaveRelease: "origin-v3.6", curve: true })).to.equal(false);
  });

  it("opens a deployments file on the node with --profile, and refuses one whose Pool is not there", async function () {
    const { record } = await loadEmbedded();
    const file = path.join(dir, "local.json");
    writeDeployment(record, file);
    const s = await openSession(await chain(), { profile: file }, { env: {} });
    expect(s.ctx.record).to.deep.equal(record);
    const bad = path.join(dir, "bad.json");
    writeDeployment({ ...record, aave: { ...record.aave, pool: "0x000000000000000000000000000000000000dEaD" } }, bad);
    await expectRejection(
      openSession(await chain(), { profile: bad }, { env: {} }),
      "--profile: no Aave Pool at 0x000000000000000000000000000000000000dEaD on this network" +
        " — deploy it first (npx hardhat embedded:deploy --network <net> --out <file>) or drop --profile",
    );
  });

  it("refuses the fork's bad flags before forking", async function () {
    const url = "http://127.0.0.1:1";
    const c = await chain();
    await expectRejection(
      openSession(c, { forkUrl: url, profile: "mainnet", curve: true }),
      "--curve: applies to the embedded chain only: a fork has the Curve pools of its profile" +
        " — drop --curve in fork mode",
    );
    await expectRejection(
      openSession(c, { forkUrl: url, profile: "mainnet", forkBlock: "soon" }),
      '--fork-block: "soon" is not a block number',
    );
    await expectRejection(
      openSession(c, { forkUrl: "not a url", profile: "mainnet" }),
      "--fork-url: is not a URL — give an http(s) JSON-RPC URL",
    );
    await expectRejection(
      openSession(c, { profile: "mainnet" }, { env: { MAINNET_RPC_URL: "ftp://example.org" } }),
      "--fork-url: ftp://example.org is not http(s)",
    );
    expect(resets).to.deep.equal([]);
  });
});

async function expectRejection(p: Promise<unknown>, message: string): Promise<void> {
  let error: unknown;
  try {
    await p;
  } catch (err) {
    error = err;
  }
  expect(error, "expected a rejection").to.be.instanceOf(Error);
  expect((error as Error).message).to.equal(message);
}
