import { expect } from "chai";
import { loadEmbedded, aaveUsdeBorrower } from "../fixtures";
import { deal } from "../../src/chain/cheats";
import { WAD } from "../../src/constants";
import { UniswapV3Dex } from "../../src/dex/uniswap-v3";
import { applyMorphoPolicy } from "../../src/protocols/morpho-blue";
import { setFeedPrice } from "../../src/oracles/feeds";
import { openMarket } from "../../src/protocols/registry";
import { LiquidationBot } from "../../src/strategies/liquidation-bot";
import { openEthenaMinting, pauseEthenaMinting } from "../../src/protocols/ethena-minting";
import { openBestQuote } from "../../src/dex/best-quote";
import { CexDexArbitrageur } from "../../src/actors/cex-dex-arbitrageur";
import { liquidationRow } from "../../src/metrics/liquidations";
import { flashLiquidator } from "../../src/chain/tools";
import { IERC20Metadata__factory } from "../../typechain-types";
import type { EmbeddedFixture } from "../fixtures";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";

const aavePosition = (f: EmbeddedFixture, user: HardhatEthersSigner) =>
  aaveUsdeBorrower(f.ctx, user, 100_000n * WAD, 85_000n * 10n ** 6n);

const balance = (f: EmbeddedFixture, symbol: "USDC" | "USDe" | "DAI" | "sUSDe", who: string) =>
  IERC20Metadata__factory.connect(f.ctx.record.tokens[symbol]!.address, f.ctx.provider).balanceOf(who);

describe("liquidation bot", function () {
  it("flash mode: liquidates within Aave's 50% close factor, sells the seized USDe in the same tx, profit = balance change", async function () {
    const f = await loadEmbedded();
    const [user, liq] = f.users;
    const market = await aavePosition(f, user);
    await setFeedPrice(f.ctx, "USDe/USD", 90_000_000n); // HF 0.974
    const dex = new UniswapV3Dex(f.ctx);
    const bot = new LiquidationBot(f.ctx, dex, liq, { maxCallsPerPosition: 1 });
    const before = await balance(f, "USDC", liq.address);
    const debtBefore = (await market.position(user.address)).debt[0].amountRaw;
    const [o, ...rest] = await bot.sweep(market, [user.address]);
    expect(rest).to.deep.equal([]);
    expect(o.mode).to.equal("flash");
    expect(o.record.repaidRaw).to.be.lessThanOrEqual(debtBefore / 2n + 1n);
    expect(o.record.repaidRaw).to.be.greaterThan((debtBefore * 49n) / 100n);
    expect(o.sale!.soldRaw).to.equal(o.record.seizedRaw);
    expect(o.sale!.txHash).to.equal(o.record.txHash);
    expect(o.sale!.priceAfterWad).to.be.lessThan(o.sale!.priceBeforeWad);
    expect(o.profitRaw).to.equal(o.sale!.receivedRaw - o.record.repaidRaw - o.flashPremiumRaw);
    expect((await balance(f, "USDC", liq.address)) - before).to.equal(o.profitRaw);
    const contract = await (await flashLiquidator(f.ctx, liq)).getAddress();
    expect(await balance(f, "USDC", contract)).to.equal(0n);
    expect(await balance(f, "USDe", contract)).to.equal(0n);
    expect(o.netProfitUsdWad).to.be.lessThan(o.profitRaw * 10n ** 12n);
    expect(bot.refusals).to.deep.equal([]);
  });

  it("flash mode: an unprofitable liquidation is refused with the decoded Unprofitable error", async function () {
    const f = await loadEmbedded();
    const [user, liq, whale] = f.users;
    const market = await aavePosition(f, user);
    await setFeedPrice(f.ctx, "USDe/USD", 90_000_000n);
    const dex = new UniswapV3Dex(f.ctx);
    // Someone dumps 19.5M USDe: the pool price falls far below the oracle's 0.90.
    await deal(f.ctx, "USDe", whale, 19_500_000n * WAD);
    await dex.swapExactIn(whale, "USDe", "USDC", 19_500_000n * WAD);
    expect(await dex.price("USDe", "USDC")).to.be.lessThan((85n * WAD) / 100n);
    const bot = new LiquidationBot(f.ctx, dex, liq);
    expect(await bot.sweep(market, [user.address])).to.deep.equal([]);
    expect(bot.refusals).to.have.length(1);
    expect(bot.refusals[0].reason).to.match(/^Unprofitable\(proceeds=\d+, owed=\d+\)$/);
    expect((await market.position(user.address)).liquidatable).to.equal(true);
  });

  it("a WETH liquidation is sold on the WETH pool, moved to the ETH price first; the row names the venue", async function () {
    const f = await loadEmbedded();
    const [user, liq] = f.users;
    const market = openMarket(f.ctx, "aave-v3:WETH/USDT");
    await deal(f.ctx, "WETH", user, 100n * WAD);
    await market.prepare(user);
    await market.supplyCollateral(user, 100n * WAD);
    await market.borrow(user, 340_000n * 10n ** 6n); // HF 1.06 at 4,350 USD
    const ethE8 = 4_000n * 10n ** 8n;
    await setFeedPrice(f.ctx, "ETH/USD", ethE8); // HF 0.98
    const arbitrageur = new CexDexArbitrageur(f.ctx, new UniswapV3Dex(f.ctx), "bot-test");
    await arbitrageur.begin();
    await arbitrageur.react();
    const router = openBestQuote(f.ctx);
    expect(await router.price("WETH", "USDT")).to.equal(4_000n * WAD);
    const bot = new LiquidationBot(f.ctx, router, liq, { maxCallsPerPosition: 1 });
    const [o] = await bot.sweep(market, [user.address]);
    expect(bot.refusals).to.deep.equal([]);
    const row = liquidationRow(o, ethE8);
    // Measured, then pinned: half the debt repaid, 44.41 WETH seized and sold for 176,783 USDT on WETH/USDT.
    expect([row.repaidRaw, row.seizedRaw, row.saleSoldRaw, row.saleReceivedRaw, row.profitRaw]).to.deep.equal([
      "170000000025",
      "44412500006531250000",
      "44412500006531250000",
      "176783165860",
      "6698148834",
    ]);
    expect(row.saleVenue).to.equal("uniswap-v3:WETH/USDT-0.05%");
    expect(row.dexPriceAfterSaleWad).to.equal("3965023674248354822898");
  });

  it("never liquidates its own account", async function () {
    const f = await loadEmbedded();
    const [user] = f.users;
    const market = await aavePosition(f, user);
    await setFeedPrice(f.ctx, "USDe/USD", 80_000_000n);
    const bot = new LiquidationBot(f.ctx, new UniswapV3Dex(f.ctx), user);
    expect(await bot.sweep(market, [user.address])).to.deep.equal([]);
  });

  it("inventory mode on Morpho: repays from its own DAI, sells in a second tx; sUSDe sold through the USDe hub", async function () {
    const f = await loadEmbedded();
    const [user, liq] = f.users;
    await applyMorphoPolicy(f.ctx, "sUSDe/DAI-91.5", "market");
    const market = openMarket(f.ctx, "morpho-blue:sUSDe/DAI-91.5");
    await deal(f.ctx, "sUSDe", user, 50_000n * WAD);
    await market.supplyCollateral(user, 50_000n * WAD);
    const value = ((await market.collateralPriceWad()) * 50_000n * WAD) / WAD;
    await market.borrow(user, (value * 90n) / 100n);
    await setFeedPrice(f.ctx, "USDe/USD", 97_000_000n);
    const bot = new LiquidationBot(f.ctx, new UniswapV3Dex(f.ctx), liq, { mode: "inventory" });
    const outcomes = await bot.sweep(market, [user.address]);
    expect(outcomes).to.have.length(1);
    const [o] = outcomes;
    expect(o.mode).to.equal("inventory");
    expect(o.sale!.txHash).to.not.equal(o.record.txHash);
    expect(o.sale!.soldRaw).to.equal(o.record.seizedRaw);
    expect(o.profitRaw).to.equal(o.sale!.receivedRaw - o.record.repaidRaw);
    expect(await balance(f, "sUSDe", liq.address)).to.equal(0n);
    expect((await market.position(user.address)).debt[0].amountRaw).to.equal(0n);
  });

  it("inventory kind: liquidates where a seller refused (drained pool), holds the USDe, values it at the oracle less its markdown", async function () {
    const f = await loadEmbedded();
    const [user, seller, whale, holder] = f.users;
    const market = await aavePosition(f, user);
    await setFeedPrice(f.ctx, "USDe/USD", 90_000_000n);
    const dex = new UniswapV3Dex(f.ctx);
    await deal(f.ctx, "USDe", whale, 19_500_000n * WAD);
    await dex.swapExactIn(whale, "USDe", "USDC", 19_500_000n * WAD);
    const sellers = new LiquidationBot(f.ctx, dex, seller);
    expect(await sellers.sweep(market, [user.address])).to.deep.equal([]);
    expect(sellers.refusals.map((r) => r.liquidator)).to.deep.equal(["seller"]);

    const bot = new LiquidationBot(f.ctx, dex, holder, { kind: "inventory", maxCallsPerPosition: 1 });
    const [o, ...rest] = await bot.sweep(market, [user.address]);
    expect(rest).to.deep.equal([]);
    expect(bot.refusals).to.deep.equal([]);
    expect([o.kind, o.mode, o.sale]).to.deep.equal(["inventory", "inventory", undefined]);
    const held = o.held!;
    expect(held.collateralRaw).to.equal(o.record.seizedRaw);
    expect(await balance(f, "USDe", holder.address)).to.equal(held.collateralRaw);
    expect(held.oracleValueRaw).to.equal((o.record.seizedRaw * o.record.collateralPriceWad) / WAD);
    // Selling would have lost money; holding is worth the oracle value less the expected 1%.
    expect(held.dexQuoteRaw < o.record.repaidRaw).to.equal(true);
    expect(o.profitRaw).to.equal((held.oracleValueRaw * 9_900n) / 10_000n - o.record.repaidRaw);
    expect([o.record.repaidRaw, o.record.seizedRaw, held.dexQuoteRaw]).to.deep.equal(PINNED_HOLD);
  });

  it("inventory kind: declines, once, where the bonus does not cover the markdown it expects", async function () {
    const f = await loadEmbedded();
    const [user, holder] = f.users;
    const market = await aavePosition(f, user);
    await setFeedPrice(f.ctx, "USDe/USD", 90_000_000n);
    const bot = new LiquidationBot(f.ctx, new UniswapV3Dex(f.ctx), holder, {
      kind: "inventory",
      expectedMarkdownBps: 500n,
    });
    expect(await bot.sweep(market, [user.address])).to.deep.equal([]);
    expect(await bot.sweep(market, [user.address])).to.deep.equal([]);
    expect(bot.refusals).to.deep.equal([
      {
        market: market.key,
        borrower: user.address,
        reason: "BonusBelowMarkdown(incentiveBps=10360, expectedMarkdownBps=500)",
        liquidator: "inventory",
      },
    ]);
  });

  it("redeemer kind: liquidates a USDe loop in a drained pool and redeems the seized USDe with Ethena 1:1", async function () {
    const f = await loadEmbedded();
    const [user, whale, redeemer] = f.users;
    const market = await aavePosition(f, user);
    await setFeedPrice(f.ctx, "USDe/USD", 90_000_000n);
    const dex = new UniswapV3Dex(f.ctx);
    await deal(f.ctx, "USDe", whale, 19_500_000n * WAD);
    await dex.swapExactIn(whale, "USDe", "USDC", 19_500_000n * WAD);
    const minting = openEthenaMinting(f.ctx);
    await minting.whitelist(redeemer.address);
    const bot = new LiquidationBot(f.ctx, dex, redeemer, { kind: "redeemer", minting, maxCallsPerPosition: 1 });
    const [o, ...rest] = await bot.sweep(market, [user.address]);
    expect(rest).to.deep.equal([]);
    expect(bot.refusals).to.deep.equal([]);
    expect([o.kind, o.sale, o.held]).to.deep.equal(["redeemer", undefined, undefined]);
    const r = o.redemption!;
    expect(r.asset).to.equal("USDC");
    expect(r.usdeRaw).to.equal(o.record.seizedRaw);
    expect(await balance(f, "USDe", redeemer.address)).to.equal(0n);
    // No protocol fee: 1 USDC per USDe, rounded down to USDC's 6 decimals.
    expect(r.receivedRaw).to.equal(o.record.seizedRaw / 10n ** 12n);
    expect(o.profitRaw).to.equal(r.receivedRaw - o.record.repaidRaw);
    expect([o.record.repaidRaw, r.receivedRaw]).to.deep.equal([42_500_000_001n, 48_922_222_223n]);
  });

  it("redeemer kind: leaves sUSDe (a cooldown, no instant redemption) and declines when redemptions are paused", async function () {
    const f = await loadEmbedded();
    const [user, redeemer] = f.users;
    const market = await aavePosition(f, user);
    await setFeedPrice(f.ctx, "USDe/USD", 90_000_000n);
    const minting = openEthenaMinting(f.ctx);
    await minting.whitelist(redeemer.address);
    await pauseEthenaMinting(f.ctx);
    const bot = new LiquidationBot(f.ctx, new UniswapV3Dex(f.ctx), redeemer, { kind: "redeemer", minting });
    expect(await bot.sweep(openMarket(f.ctx, "aave-v3:sUSDe/USDC:emode-2"), [user.address])).to.deep.equal([]);
    expect(await bot.sweep(market, [user.address])).to.deep.equal([]);
    expect(bot.refusals.map((r) => r.reason)).to.deep.equal(["RedemptionUnavailable(asset=USDC)"]);
  });
});

/** Repaid USDC (50% close factor at HF 0.974), USDe seized (repaid / 0.90 x 1.036 net bonus), what the pool would pay. */
const PINNED_HOLD = [42_500_000_001n, 48_922_222_223_373_333_333_333n, 32_079_044_626n];
