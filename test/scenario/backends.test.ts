/**
 * The same cascade on both backends: Hardhat's in-process network (the shared fixture) and anvil started for the test.
 * The report's economics must be exactly equal, and two runs on anvil, each on a fresh node, identical.
 */
import { expect } from "chai";
import os from "os";
import { loadCascadeChain, smallDepegInput } from "../fixtures";
import { parseDepegScenario } from "../../src/scenario/depeg-schema";
import { runDepeg } from "../../src/scenario/run-depeg";
import { UniswapV3Dex } from "../../src/dex/uniswap-v3";
import type { CascadeReport } from "../../src/report/cascade-report";
import { CascadeScenario, parseCascadeScenario } from "../../src/scenario/cascade-schema";
import { runCascade } from "../../src/scenario/run-cascade";
import { openAnvilChain } from "../../src/session/backend";
import { chainContext } from "../../src/chain/context";
import { deployCurvePools } from "../../src/embedded/curve";
import { deployEmbedded } from "../../src/embedded/deploy";
import { EMBEDDED_CURVE_USDE_POOL, defaultEmbeddedParams } from "../../src/embedded/params";
import { splitSigners } from "../../src/session";
import { SMALL_CASCADE } from "./small-cascade";

/** run-cascade.test.ts's small cascade: 6 liquidations. */
const SCENARIO = { ...SMALL_CASCADE, name: "test-backends" };

/**
 * The report without the liquidation transactions' hashes: each node fills in the fee caps of an unsigned transaction
 * its own way (anvil: base fee + tip; Hardhat: a higher cap), so the signed bytes differ while the gas price paid,
 * the gas used and every amount are the same. Everything else is compared, gas bills included.
 */
function economics(report: CascadeReport): unknown {
  return JSON.parse(JSON.stringify(report), (key, value: unknown) => (key === "txHash" ? undefined : value));
}

/** The liquidator is the test fixture's account 19, the task's last account: the same address on both nodes. */
async function onHardhat(scenario: CascadeScenario): Promise<CascadeReport> {
  const { ctx, users } = await loadCascadeChain();
  return runCascade(ctx, new UniswapV3Dex(ctx), scenario, { liquidator: users[18] });
}

/**
 * A fresh anvil with the chain the Hardhat fixture builds (the default embedded chain, then the Curve pool: the same
 * addresses, so the same calldata and gas), and the run.
 */
async function onAnvil(scenario: CascadeScenario): Promise<CascadeReport> {
  const chain = await openAnvilChain();
  try {
    const { deployer, liquidator } = splitSigners(chain.signers);
    const base = await deployEmbedded(deployer, chain.provider, { params: defaultEmbeddedParams() });
    const params = { ...base.params, curve: { pools: [EMBEDDED_CURVE_USDE_POOL] } };
    const pools = await deployCurvePools(chain.provider, deployer, params, base.record.tokens);
    const ctx = chainContext(chain.provider, { ...base.record, curve: { pools } }, deployer);
    return await runCascade(ctx, new UniswapV3Dex(ctx), scenario, { liquidator });
  } finally {
    await chain.close();
  }
}

describe("backends: Hardhat's in-process network and anvil", function () {
  const scenario = parseCascadeScenario(SCENARIO, "test.yaml");
  let hardhat: CascadeReport;
  let anvil: CascadeReport;
  before(async function () {
    hardhat = await onHardhat(scenario);
    anvil = await onAnvil(scenario);
  });

  it("the report is the same on both: every liquidation, repayment, seizure, sale, bad debt and gas bill", function () {
    expect(anvil.runs[1].totals).to.deep.equal({
      liquidations: 6,
      repaidUsdWad: "4216772130538000000000000",
      seizedUsdWad: "4357375150620000000000000",
      badDebtUsdWad: "523678254769000000000000",
      liquidatorNetProfitUsdWad: "1747581550966918732345000",
      gasUsed: "3055175",
      positionsLiquidated: 5,
    });
    expect(economics(anvil)).to.deep.equal(economics(hardhat));
  });

  it("two runs on anvil, each on a fresh node, write the same report", async function () {
    expect(JSON.parse(JSON.stringify(await onAnvil(scenario)))).to.deep.equal(JSON.parse(JSON.stringify(anvil)));
  });

  it("a depeg scenario on anvil liquidates exactly as on Hardhat (run-depeg.test.ts's figures)", async function () {
    const depeg = parseDepegScenario(smallDepegInput("test-depeg-anvil"), os.tmpdir(), "test.yaml");
    const chain = await openAnvilChain();
    try {
      const [deployer, ...users] = chain.signers;
      const { record } = await deployEmbedded(deployer, chain.provider, { params: defaultEmbeddedParams() });
      const ctx = chainContext(chain.provider, record, deployer);
      // The Hardhat test's accounts: users 1..10, the liquidator account 11.
      const report = await runDepeg(ctx, depeg, { users: users.slice(0, 10), liquidator: users[10] });
      expect(report.runs[0].totals).to.deep.equal({
        liquidations: 8,
        repaidUsdWad: "415584170842447798177924",
        seizedUsdWad: "429102191436318930798069",
        badDebtUsdWad: "50633400000000000000",
        liquidatorNetProfitUsdWad: "144408319688958548933580",
        gasUsed: "3623283",
        positionsLiquidated: 2,
      });
      expect(report.runs[1].totals.liquidations).to.equal(0);
    } finally {
      await chain.close();
    }
  });
});
