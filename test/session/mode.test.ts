import { expect } from "chai";
import { sessionMode } from "../../src/session";

/** The session chooser decides from the flags alone: these refusals come before any chain is touched. */
describe("session chooser (sessionMode)", function () {
  const URL = "http://127.0.0.1:8545";

  it("opens the embedded chain by default: Aave v3.0, no Curve pool", function () {
    expect(sessionMode({})).to.deep.equal({ kind: "embedded", aaveRelease: "origin-v3.6", curve: false });
    expect(sessionMode({ aaveRelease: "origin-v3.6", curve: true })).to.deep.equal({
      kind: "embedded",
      aaveRelease: "origin-v3.6",
      curve: true,
    });
  });

  it("checks --aave-release by name", function () {
    expect(() => sessionMode({ aaveRelease: "v3.9" })).to.throw(
      '--aave-release: unknown Aave release "v3.9" — use one of: v3.0, origin-v3.6',
    );
  });

  it("opens the deployment --profile records when there is no fork URL", function () {
    expect(sessionMode({ profile: "deployments/local.json" })).to.deep.equal({
      kind: "recorded",
      profile: "deployments/local.json",
    });
  });

  it("forks --fork-url at --fork-block with the --profile and --fork-cache given", function () {
    const flags = { forkUrl: URL, forkBlock: "23000000", profile: "mainnet", forkCache: "/tmp/cache" };
    expect(sessionMode(flags)).to.deep.equal({
      kind: "fork",
      forkUrl: URL,
      forkBlock: 23_000_000,
      profile: "mainnet",
      cacheDir: "/tmp/cache",
    });
    expect(sessionMode({ forkUrl: URL, profile: "mainnet" })).to.deep.equal({
      kind: "fork",
      forkUrl: URL,
      forkBlock: undefined,
      profile: "mainnet",
      cacheDir: undefined,
    });
  });

  it("takes MAINNET_RPC_URL as the fork URL only once --profile names the chain", function () {
    const env = { MAINNET_RPC_URL: URL };
    expect(sessionMode({}, env)).to.deep.equal({ kind: "embedded", aaveRelease: "origin-v3.6", curve: false });
    expect(sessionMode({ profile: "mainnet" }, env)).to.deep.equal({
      kind: "fork",
      forkUrl: URL,
      forkBlock: undefined,
      profile: "mainnet",
      cacheDir: undefined,
    });
  });

  it("refuses --aave-release and --curve in fork mode", function () {
    expect(() => sessionMode({ forkUrl: URL, profile: "mainnet", aaveRelease: "origin-v3.6" })).to.throw(
      "--aave-release: applies to the embedded chain only: a fork runs whatever Aave the forked chain runs" +
        " — drop --aave-release in fork mode",
    );
    expect(() => sessionMode({ forkUrl: URL, profile: "mainnet", curve: true })).to.throw(
      "--curve: applies to the embedded chain only: a fork has the Curve pools of its profile" +
        " — drop --curve in fork mode",
    );
  });

  it("needs --profile in fork mode", function () {
    expect(() => sessionMode({ forkUrl: URL })).to.throw(
      "--profile: fork mode needs a chain profile" +
        " — --profile mainnet, or a deployments file such as deployments/embedded.json for a local upstream",
    );
  });

  it("checks --fork-block is a block number", function () {
    for (const bad of ["latest", "-1", "1.5", "0x10", ""]) {
      expect(() => sessionMode({ forkUrl: URL, profile: "mainnet", forkBlock: bad }), bad).to.throw(
        `--fork-block: "${bad}" is not a block number`,
      );
    }
  });

  it("checks --fork-block's range and contains --fork-cache", function () {
    expect(() => sessionMode({ forkUrl: URL, profile: "mainnet", forkBlock: "99999999999" })).to.throw(
      "--fork-block: 99999999999 is over the bound of 1000000000 — give a block the chain has mined",
    );
    expect(() => sessionMode({ forkUrl: URL, profile: "mainnet", forkCache: "../elsewhere" })).to.throw(
      '--fork-cache: "../elsewhere" leaves the working directory',
    );
  });

  it("refuses in a fixed order: --aave-release, --curve, --profile, --fork-block", function () {
    const all = { forkUrl: URL, aaveRelease: "v3.0", curve: true, forkBlock: "x" };
    expect(() => sessionMode(all)).to.throw(/^--aave-release: /);
    expect(() => sessionMode({ ...all, aaveRelease: undefined })).to.throw(/^--curve: /);
    expect(() => sessionMode({ ...all, aaveRelease: undefined, curve: false })).to.throw(/^--profile: /);
  });
});
