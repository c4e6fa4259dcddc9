import { expect } from "chai";
import { loadEmbeddedCurve, loadEmbeddedOrigin } from "../fixtures";
import { flashLiquidator, leverageLooper } from "../../src/chain/tools";

describe("our tools (deployed once per chain, on demand)", function () {
  it("gives each deployment on one chain its own looper and liquidator, bound to that deployment's Pool", async function () {
    // Both fixtures are embedded deployments on the one test chain; the second may be built on top of the first's
    // state, tools included. Each must still get tools that call its own protocols.
    const a = await loadEmbeddedOrigin();
    expect(await (await leverageLooper(a.ctx)).POOL()).to.equal(a.ctx.record.aave.pool);
    expect(await (await flashLiquidator(a.ctx, a.users[5])).POOL()).to.equal(a.ctx.record.aave.pool);
    const b = await loadEmbeddedCurve();
    expect(b.ctx.record.aave.pool).to.not.equal(a.ctx.record.aave.pool);
    expect(await (await leverageLooper(b.ctx)).POOL()).to.equal(b.ctx.record.aave.pool);
    expect(await (await flashLiquidator(b.ctx, b.users[5])).POOL()).to.equal(b.ctx.record.aave.pool);
  });
});
