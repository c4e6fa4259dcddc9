/**
 * The public API (src/index.ts): what examples/ do not show — every refusal names the field of the call, before any
 * transaction — and the README's "Use it in your tests" section kept to what the examples really run.
 */
import { expect } from "chai";
import fs from "fs";
import path from "path";
import { ethers } from "hardhat";
import * as api from "../src";
import type { Chain, LoopSpec } from "../src";
import { latestBlock } from "../src/chain/clock";
import { EmbeddedFixture, loadEmbedded } from "./fixtures";

const ROOT = path.resolve(__dirname, "..");

/** The fixture chain in the API's shape (account 0 admin, the last the liquidator). */
function chainOf(f: EmbeddedFixture): Chain {
  return { ctx: f.ctx, users: f.users.slice(0, -1), liquidator: f.users[f.users.length - 1], close: async () => {} };
}

/** The InputError `call` rejects with, and that it sent nothing (the block number did not move). */
async function refusal(f: EmbeddedFixture, call: () => Promise<unknown>): Promise<string> {
  const before = (await latestBlock(f.ctx.provider)).number;
  const err = await call().then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).to.be.instanceOf(api.InputError);
  expect((await latestBlock(f.ctx.provider)).number).to.equal(before);
  return (err as api.InputError).message;
}

describe("public API (src/index.ts)", function () {
  it("openLoop names the LoopSpec field at fault, before any transaction", async function () {
    const f = await loadEmbedded();
    const chain = chainOf(f);
    const good: LoopSpec = { market: "aave-v3:USDe/USDC:emode-2", amount: "1000", rounds: 2, ltv: "0.80" };
    const cases: [Partial<LoopSpec>, string][] = [
      [{ amount: "0" }, "amount: must be more than 0 — give the amount in whole tokens, e.g. 100000"],
      [{ amount: "1e5" }, 'amount: "1e5" is not a decimal number — write e.g. 0.65'],
      [{ rounds: 51 }, "rounds: 51 is out of range — give a whole number from 0 to 50"],
      [{ rounds: 1.5 }, "rounds: 1.5 is out of range — give a whole number from 0 to 50"],
      [{ token: "DAI" as "USDe" }, 'token: unknown starting token "DAI" — use USDe or sUSDe'],
      [{ token: "sUSDe" }, "token: must be USDe on aave-v3:USDe/USDC:emode-2, got sUSDe"],
      [
        { ltv: "0.95" },
        "ltv: 95.00% is at or above aave-v3:USDe/USDC:emode-2's liquidation threshold 92.00% — choose a lower LTV",
      ],
      [
        { market: "spark:USDe/USDC" },
        'market: unknown protocol in "spark:USDe/USDC" — use one of aave-v3, morpho-blue (e.g. "aave-v3:USDe/USDC:emode-2")',
      ],
    ];
    for (const [patch, message] of cases) {
      expect(await refusal(f, () => api.openLoop(chain, chain.users[0], { ...good, ...patch }))).to.equal(message);
    }
  });

  it("setPrice, setOraclePolicy, runLiquidationBot and market name theirs", async function () {
    const f = await loadEmbedded();
    const chain = chainOf(f);
    const usdeUsdc = api.market(chain, "aave-v3:USDe/USDC:emode-2");
    expect(await refusal(f, () => api.setPrice(chain, "USDe/USD", "-0.5"))).to.equal(
      'price: "-0.5" is not a decimal number — write e.g. 0.65',
    );
    expect(await refusal(f, () => api.setPrice(chain, "USDe/USD", "0"))).to.equal(
      "price: USDe/USD price must be > 0, got 0 — protocols fall back or revert on prices <= 0",
    );
    expect(await refusal(f, () => api.setPrice(chain, "USDX/USD", "1"))).to.match(/^feed: unknown feed "USDX\/USD"/);
    const policy = "sometimes" as api.OraclePolicy;
    expect(await refusal(f, () => api.setOraclePolicy(chain, usdeUsdc, policy))).to.equal(
      'policy: unknown oracle policy "sometimes" — use pegged-to-USDT, market, exchange-rate, fixed',
    );
    const kind = "pirate" as api.LiquidatorKind;
    expect(await refusal(f, () => api.runLiquidationBot(chain, usdeUsdc, [], { kind }))).to.equal(
      'kind: unknown liquidator kind "pirate" — use seller, inventory, redeemer',
    );
    expect(() => api.market(chain, "spark:USDe/USDC")).to.throw(api.InputError, /^market: unknown protocol/);
  });

  it("deployEmbeddedChain needs three accounts and a known Aave release; openForkedChain a URL and a block number, checked before the node", async function () {
    const f = await loadEmbedded();
    const node = { provider: f.ctx.provider, signers: [f.deployer, f.users[0]] };
    const before = (await latestBlock(f.ctx.provider)).number;
    await api.deployEmbeddedChain(node).then(
      () => expect.fail("deployed with two accounts"),
      (e: Error) => expect(e.message).to.equal("a session needs at least 3 accounts, the node has 2"),
    );
    const release = "v3.9" as api.AaveRelease;
    expect(
      await refusal(f, () => api.deployEmbeddedChain({ ...node, signers: f.users }, { aaveRelease: release })),
    ).to.equal('aaveRelease: unknown Aave release "v3.9" — use one of: v3.0, origin-v3.6');
    expect((await latestBlock(f.ctx.provider)).number).to.equal(before);
    const forkNode = {
      provider: ethers.provider,
      signers: node.signers,
      resetForking: () => Promise.reject(new Error("the node must not be re-forked on bad input")),
    };
    expect(await refusal(f, () => api.openForkedChain(forkNode, { url: "" }))).to.equal(
      "url: is empty — give an archive JSON-RPC URL",
    );
    expect(await refusal(f, () => api.openForkedChain(forkNode, { url: "http://127.0.0.1:1", block: -1 }))).to.equal(
      'block: "-1" is not a block number',
    );
  });

  it("runLiquidationBot's redeemer is whitelisted with Ethena and redeems every USDe it seizes", async function () {
    const f = await loadEmbedded();
    const chain = chainOf(f);
    const spec: LoopSpec = { market: "aave-v3:USDe/USDC:emode-2", amount: "100000", rounds: 20, ltv: "0.89" };
    const loop = await api.openLoop(chain, chain.users[0], { ...spec, flash: true });
    await api.setOraclePolicy(chain, loop.market, "market");
    await api.setPrice(chain, "USDe/USD", "0.95");
    const { liquidations, refusals } = await api.runLiquidationBot(chain, loop.market, [loop.account], {
      kind: "redeemer",
    });
    expect(refusals).to.deep.equal([]);
    expect(liquidations.map((o) => [o.kind, o.mode, o.sale, o.held])).to.deep.equal([
      ["redeemer", "inventory", undefined, undefined],
    ]);
    const [{ record, redemption }] = liquidations;
    expect(redemption?.usdeRaw).to.equal(record.seizedRaw);
    // Ethena pays 1 USDC per USDe (18 → 6 decimals), its fee deducted.
    expect(redemption!.receivedRaw + redemption!.feeRaw).to.equal(record.seizedRaw / 10n ** 12n);
  });

  it("the README's 'Use it in your tests' shows examples/usde-drop-liquidates.test.ts verbatim, and only the API's functions", function () {
    const readme = fs.readFileSync(path.join(ROOT, "README.md"), "utf8");
    const section = readme.split("\n## Use it in your tests\n")[1].split("\n## ")[0];
    const code = section.split("```ts\n")[1].split("```")[0];
    expect(code).to.equal(fs.readFileSync(path.join(ROOT, "examples/usde-drop-liquidates.test.ts"), "utf8"));
    // `reset()` is hardhat-network-helpers'; every other call the section names is the API's.
    const named = [...section.split("```")[2].matchAll(/`(\w+)\(/g)].map((m) => m[1]).filter((n) => n !== "reset");
    expect(named).to.have.length.greaterThan(0);
    for (const name of named) expect(typeof (api as Record<string, unknown>)[name], name).to.equal("function");
  });
});
