/**
 * Fork mode on anvil, offline: a second anvil holding the embedded deployment stands in for mainnet; the session forks
 * it through the upstream proxy (anvil_reset with forking: the session chain's resetForking) at the profile's block and runs a depeg scenario on it.
 */
import { expect } from "chai";
import fs from "fs";
import os from "os";
import path from "path";
import { smallDepegInput } from "../fixtures";
import { writeDeployment } from "../../src/chain/deployments";
import { deployEmbedded } from "../../src/embedded/deploy";
import { parseDepegScenario } from "../../src/scenario/depeg-schema";
import { runDepeg } from "../../src/scenario/run-depeg";
import { openFork } from "../../src/session/fork";
import { openAnvilChain } from "../../src/session/backend";
import { embeddedParamsOf } from "../../src/session/embedded";

describe("fork mode on anvil (a local anvil upstream)", function () {
  it("forks the upstream through the proxy at the profile's block and liquidates there", async function () {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "loopstress-anvil-fork-"));
    const upstream = await openAnvilChain();
    const fork = await openAnvilChain();
    try {
      const params = embeddedParamsOf({ aaveRelease: "origin-v3.6", curve: true });
      const { record } = await deployEmbedded(upstream.signers[0], upstream.provider, { params });
      const profile = path.join(dir, "profile.json");
      writeDeployment(record, profile);
      // No fork cache: the upstream is new on every run.
      const f = await openFork(fork.provider, fork.resetForking, {
        forkUrl: upstream.url ?? "",
        profile,
        cacheDir: false,
      });
      const [, ...users] = fork.signers;
      try {
        expect(await fork.provider.getBlockNumber()).to.equal(record.block + 1);
        const depeg = parseDepegScenario(smallDepegInput("test-anvil-fork"), dir, "test.yaml");
        const report = await runDepeg(f.ctx, depeg, { users: users.slice(0, 10), liquidator: users[10] });
        expect(report.runs.map((r) => r.totals.liquidations > 0)).to.deep.equal([true, false]);
      } finally {
        await f.close();
      }
    } finally {
      await fork.close();
      await upstream.close();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
