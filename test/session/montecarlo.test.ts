import { expect } from "chai";
import fs from "fs";
import os from "os";
import path from "path";
import hre from "hardhat";
import { loadCascadeChain } from "../fixtures";
import { parseMontecarloCsv } from "../../src/report/montecarlo-report";
import { montecarloCommand } from "../../src/session/montecarlo";

const SMALL = path.join(__dirname, "..", "..", "scenarios", "montecarlo-small.yaml");
const FILES = ["montecarlo.json", "report.html", "runs.csv", "summary.md"];

describe("montecarlo command", function () {
  it("writes runs.csv and the figures; run again, it runs nothing and writes the same files", async function () {
    // From the cascade fixture's state, so the deployment lands at the same addresses in every test order.
    await loadCascadeChain();
    const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "loopstress-mc-cmd-")), "mc");
    const signers = await hre.ethers.getSigners();
    const flags = { scenario: SMALL, runs: "4", out: dir };
    const first = await montecarloCommand(flags, hre.ethers.provider, signers);
    expect(first.ran).to.equal(4);
    expect(fs.readdirSync(dir).sort()).to.deep.equal(FILES);
    // The first 4 runs of test/scenario/montecarlo.test.ts, on a chain of their own.
    const rows = parseMontecarloCsv(fs.readFileSync(path.join(dir, "runs.csv"), "utf8"), "runs.csv");
    expect(rows.map((r) => [r.run, r.seed, r.usdeFloorUsd, r.liquidations, r.badDebtUsdWad])).to.deep.equal([
      ["0", "514916165", "0.823", "0", "0"],
      ["1", "3955052056", "0.7379", "9", "17094615237500048195484"],
      ["2", "2581067428", "0.7417", "6", "88997925228122501168729"],
      ["3", "2553533097", "0.7376", "5", "9394142684476676675069"],
    ]);
    expect(first.summary?.metrics[0].sumRaw).to.equal("115486683150099226039282");
    expect(first.markdown).to.contain(
      "| bad debt (USD)              | $28,871.67    | $9,394.14     | $88,997.92    |",
    );
    const files = FILES.map((f) => fs.readFileSync(path.join(dir, f), "utf8"));
    const second = await montecarloCommand(flags, hre.ethers.provider, signers);
    expect(second.ran).to.equal(0);
    expect(FILES.map((f) => fs.readFileSync(path.join(dir, f), "utf8"))).to.deep.equal(files);
    expect(second.summary).to.deep.equal(first.summary);
  });
});
