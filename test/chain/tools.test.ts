import { expect } from "chai";
import { loadEmbeddedCurve, loadEmbeddedOrigin } from "../fixtures";
import { LENS_ACCOUNTS_PER_CALL, flashLiquidator, inLensCalls, leverageLooper } from "../../src/chain/tools";

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

describe("lens reads in calls of bounded size", function () {
  it("reads a long list in calls of at most LENS_ACCOUNTS_PER_CALL accounts, asked together, answers in order", async function () {
    const accounts = Array.from({ length: 2 * LENS_ACCOUNTS_PER_CALL + 345 }, (_, i) => `0x${i.toString(16)}`);
    const sizes: number[] = [];
    let inFlight = 0;
    let mostInFlight = 0;
    const answers = await inLensCalls(accounts, async (chunk) => {
      sizes.push(chunk.length);
      inFlight += 1;
      mostInFlight = Math.max(mostInFlight, inFlight);
      await new Promise((r) => setImmediate(r));
      inFlight -= 1;
      return chunk.map((a) => `answer ${a}`);
    });
    expect(sizes).to.deep.equal([LENS_ACCOUNTS_PER_CALL, LENS_ACCOUNTS_PER_CALL, 345]);
    expect(mostInFlight).to.equal(3);
    expect(answers).to.deep.equal(accounts.map((a) => `answer ${a}`));
    expect(await inLensCalls([], async () => ["never asked"])).to.deep.equal([]);
  });
});
