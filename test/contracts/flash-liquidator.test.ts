import { expect } from "chai";
import { MaxUint256 } from "ethers";
import { anyUint } from "@nomicfoundation/hardhat-chai-matchers/withArgs";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import {
  EventsLib__factory,
  FeedMorphoOracle__factory,
  FlashLiquidator,
  FlashLiquidator__factory,
  Morpho__factory,
  SwapRouter__factory,
  UniswapV3Pool__factory,
} from "../../typechain-types";
import type {
  AaveLiquidationEvent,
  MorphoLiquidationEvent,
} from "../../typechain-types/artifacts/contracts/liquidators/FlashLiquidator";
import { loadEmbedded, type EmbeddedFixture } from "../fixtures";
import { tokenAddress } from "../../src/chain/context";
import { percentDiv, percentMul } from "../../src/math/fixed-point";
import { isHealthy, seizedForRepaidShares, toAssetsUp } from "../../src/math/morpho-blue";
import {
  aaveFlashForDebt,
  aavePremium,
  aaveUsdeFollowsMarketFeed,
  deployLooper,
  erc20,
  expectHoldsNothing,
  fiveRoundDebt,
  fund,
  marketParams,
  mined,
  morphoOracleFollowsUsdeFeed,
  openAaveLoop,
  openMorphoLoop,
  setUsdeUsdE8,
  uniPath,
  uniRoute,
  units,
} from "./helpers";
import {
  AToken__factory,
  AaveOracle__factory,
  Pool__factory,
  VariableDebtToken__factory,
} from "../../src/protocols/aave-v3-types";

const INITIAL_USDE = units(100_000n, 18);
/** USDe/USD after the oracle move: low enough that both 80%-looped positions are liquidatable. */
const CRASHED_USDE_E8 = 78_000_000n;

function whole(raw: bigint, decimals: number): string {
  return (Number(raw) / 10 ** decimals).toLocaleString("en-US", { maximumFractionDigits: 4 });
}

async function deployLiquidator(f: EmbeddedFixture, owner: HardhatEthersSigner): Promise<FlashLiquidator> {
  const r = f.record;
  const c = await new FlashLiquidator__factory(f.deployer).deploy(
    r.aave.pool,
    r.morpho.morpho,
    r.uniswap.swapRouter,
    owner.address,
  );
  await c.waitForDeployment();
  return c;
}

/** A looped USDe/USDC Aave E-mode position (debt 268,928 USDC), made liquidatable by USDe/USD = 0.78 in Aave's oracle. */
async function liquidatableAavePosition(f: EmbeddedFixture, borrower: HardhatEthersSigner): Promise<void> {
  const looper = await deployLooper(f);
  await openAaveLoop(f, looper, borrower, {
    collateral: "USDe",
    initial: "USDe",
    initialAmount: INITIAL_USDE,
    debt: "USDC",
    flashAmount: await aaveFlashForDebt(f, fiveRoundDebt(100_000n, 6)),
  });
  await aaveUsdeFollowsMarketFeed(f);
  await setUsdeUsdE8(f, CRASHED_USDE_E8);
  const account = await Pool__factory.connect(f.record.aave.pool, f.deployer).getUserAccountData(borrower.address);
  expect(account.healthFactor).to.be.lessThan(10n ** 18n);
  expect(account.healthFactor).to.be.greaterThan(95n * 10n ** 16n); // close factor stays 50%
}

/** A looped sUSDe/USDC-91.5 Morpho position (debt 268,928 USDC), liquidatable once the oracle reads USDe/USD = 0.78. */
async function liquidatableMorphoPosition(f: EmbeddedFixture, borrower: HardhatEthersSigner): Promise<void> {
  const looper = await deployLooper(f);
  await openMorphoLoop(f, looper, borrower, {
    market: "sUSDe/USDC-91.5",
    initial: "USDe",
    initialAmount: INITIAL_USDE,
    flashAmount: fiveRoundDebt(100_000n, 6),
  });
  await morphoOracleFollowsUsdeFeed(f, "sUSDe/USDC-91.5");
  await setUsdeUsdE8(f, CRASHED_USDE_E8);
  const { position, market, price } = await morphoState(f, borrower.address);
  expect(
    isHealthy(
      position.collateral,
      position.borrowShares,
      market.totalBorrowAssets,
      market.totalBorrowShares,
      price,
      BigInt(f.record.morpho.markets["sUSDe/USDC-91.5"].lltv),
    ),
  ).to.equal(false);
}

async function morphoState(f: EmbeddedFixture, borrower: string, blockTag?: number) {
  const m = f.record.morpho.markets["sUSDe/USDC-91.5"];
  const morpho = Morpho__factory.connect(f.record.morpho.morpho, f.deployer);
  return {
    position: await morpho.position(m.id, borrower, { blockTag }),
    market: await morpho.market(m.id, { blockTag }),
    price: await FeedMorphoOracle__factory.connect(m.oracle, f.deployer).price({ blockTag }),
  };
}

/** Sells `usdeWhole` USDe into the USDe/USDC pool, far below the oracle; returns the pool's USDe price in USDC afterwards. */
async function crashDexUsdePrice(f: EmbeddedFixture, whale: HardhatEthersSigner, usdeWhole: bigint): Promise<number> {
  const amount = units(usdeWhole, 18);
  await fund(f, "USDe", whale.address, amount);
  await mined(erc20(f, "USDe", whale).approve(f.record.uniswap.swapRouter, amount));
  const router = SwapRouter__factory.connect(f.record.uniswap.swapRouter, whale);
  await mined(
    router.exactInput({
      path: uniPath(f, ["USDe", "USDC"]),
      recipient: whale.address,
      deadline: MaxUint256,
      amountIn: amount,
      amountOutMinimum: 0n,
    }),
  );
  const p = f.record.uniswap.pools["USDe/USDC-0.01%"];
  const { sqrtPriceX96 } = await UniswapV3Pool__factory.connect(p.address, f.deployer).slot0();
  const raw = (Number(sqrtPriceX96) / 2 ** 96) ** 2; // token1 per token0, raw units
  const usdeIs0 = p.token0 === tokenAddress(f.ctx, "USDe");
  return usdeIs0 ? raw * 1e12 : 1e12 / raw; // USDC per USDe, whole units
}

async function oneEvent<T>(events: { transactionHash: string; args: T }[], hash: string, what: string): Promise<T> {
  const mine = events.filter((e) => e.transactionHash === hash);
  expect(mine, what).to.have.length(1);
  return mine[0].args;
}

describe("FlashLiquidator (flash-funded liquidations that sell the collateral on Uniswap V3)", function () {
  it("Aave: liquidates a looped USDe/USDC position, Aave's LiquidationCall matches, profit goes to the owner", async function () {
    const f = await loadEmbedded();
    const [borrower, owner, stranger] = [f.users[0], f.users[10], f.users[11]];
    await liquidatableAavePosition(f, borrower);
    const liquidator = await deployLiquidator(f, owner);
    const usde = tokenAddress(f.ctx, "USDe");
    const usdc = tokenAddress(f.ctx, "USDC");
    const debtToCover = units(100_000n, 6);
    const path = uniRoute(f, ["USDe", "USDC"]);

    await expect(liquidator.connect(stranger).liquidateAave(usde, usdc, borrower.address, debtToCover, path, 0n))
      .to.be.revertedWithCustomError(liquidator, "OwnableUnauthorizedAccount")
      .withArgs(stranger.address);
    await expect(liquidator.connect(owner).liquidateAave(usde, usdc, borrower.address, debtToCover, path, debtToCover))
      .to.be.revertedWithCustomError(liquidator, "ProfitBelowMinimum")
      .withArgs(anyUint, debtToCover);

    const ownerBefore = await erc20(f, "USDC").balanceOf(owner.address);
    const receipt = await mined(
      liquidator.connect(owner).liquidateAave(usde, usdc, borrower.address, debtToCover, path, 0n),
    );
    const ownerGain = (await erc20(f, "USDC").balanceOf(owner.address)) - ownerBefore;

    const pool = Pool__factory.connect(f.record.aave.pool, f.deployer);
    const lc = await oneEvent(
      await pool.queryFilter(pool.filters.LiquidationCall(), receipt.blockNumber, receipt.blockNumber),
      receipt.hash,
      "LiquidationCall",
    );
    const ours: AaveLiquidationEvent.OutputObject = await oneEvent(
      await liquidator.queryFilter(liquidator.filters.AaveLiquidation(), receipt.blockNumber, receipt.blockNumber),
      receipt.hash,
      "AaveLiquidation",
    );

    expect([lc.collateralAsset, lc.debtAsset, lc.user, lc.liquidator, lc.receiveAToken]).to.deep.equal([
      usde,
      usdc,
      borrower.address,
      await liquidator.getAddress(),
      false,
    ]);
    expect([ours.borrower, ours.collateralAsset, ours.debtAsset]).to.deep.equal([borrower.address, usde, usdc]);
    expect(ours.debtRepaid).to.equal(lc.debtToCover);
    expect(ours.collateralSeized).to.equal(lc.liquidatedCollateralAmount);
    expect(ours.debtRepaid).to.equal(debtToCover); // within the 50% close factor, nothing capped
    expect(ours.flashPremium).to.equal(await aavePremium(f, debtToCover));
    expect(ours.profit).to.equal(ours.saleProceeds - ours.debtRepaid - ours.flashPremium);
    expect(ours.profit).to.be.greaterThan(0n);
    expect(ownerGain).to.equal(ours.profit);

    // Aave v3.0.x LiquidationLogic, independently: base = debt x P_debt / P_coll, x E-mode bonus 104%,
    // minus the 10% protocol fee on the bonus part (it goes to the treasury, not to us).
    const prices = await AaveOracle__factory.connect(f.record.aave.oracle, f.deployer).getAssetsPrices([usdc, usde], {
      blockTag: receipt.blockNumber,
    });
    expect(prices[1]).to.equal(CRASHED_USDE_E8);
    const base = (prices[0] * debtToCover * 10n ** 18n) / (prices[1] * 10n ** 6n);
    const withBonus = percentMul(base, 10_400n);
    const protocolFee = percentMul(withBonus - percentDiv(withBonus, 10_400n), 1_000n);
    expect(ours.collateralSeized).to.equal(withBonus - protocolFee);

    await expectHoldsNothing(f, await liquidator.getAddress());
    console.log(
      `      liquidateAave: repaid ${whole(ours.debtRepaid, 6)} USDC, seized ${whole(ours.collateralSeized, 18)} USDe (oracle 0.78), ` +
        `sold for ${whole(ours.saleProceeds, 6)} USDC, premium ${whole(ours.flashPremium, 6)}, profit ${whole(ours.profit, 6)} USDC; gas ${receipt.gasUsed}`,
    );
  });

  it("Morpho: liquidates a looped sUSDe/USDC-91.5 position in full, Morpho's Liquidate matches, profit goes to the owner", async function () {
    const f = await loadEmbedded();
    const [borrower, owner, stranger] = [f.users[1], f.users[10], f.users[11]];
    await liquidatableMorphoPosition(f, borrower);
    const liquidator = await deployLiquidator(f, owner);
    const market = marketParams(f, "sUSDe/USDC-91.5");
    const before = await morphoState(f, borrower.address);
    const path = uniRoute(f, ["sUSDe", "USDe", "USDC"]);

    await expect(
      liquidator
        .connect(stranger)
        .liquidateMorpho(market, borrower.address, 0n, before.position.borrowShares, path, 0n),
    )
      .to.be.revertedWithCustomError(liquidator, "OwnableUnauthorizedAccount")
      .withArgs(stranger.address);

    const ownerBefore = await erc20(f, "USDC").balanceOf(owner.address);
    const receipt = await mined(
      liquidator.connect(owner).liquidateMorpho(market, borrower.address, 0n, before.position.borrowShares, path, 0n),
    );
    const ownerGain = (await erc20(f, "USDC").balanceOf(owner.address)) - ownerBefore;

    const id = f.record.morpho.markets["sUSDe/USDC-91.5"].id;
    const morphoEvents = EventsLib__factory.connect(f.record.morpho.morpho, f.deployer); // Morpho emits through EventsLib
    const liq = await oneEvent(
      await morphoEvents.queryFilter(morphoEvents.filters.Liquidate(id), receipt.blockNumber, receipt.blockNumber),
      receipt.hash,
      "Liquidate",
    );
    const ours: MorphoLiquidationEvent.OutputObject = await oneEvent(
      await liquidator.queryFilter(liquidator.filters.MorphoLiquidation(), receipt.blockNumber, receipt.blockNumber),
      receipt.hash,
      "MorphoLiquidation",
    );

    expect([liq.caller, liq.borrower, liq.repaidShares]).to.deep.equal([
      await liquidator.getAddress(),
      borrower.address,
      before.position.borrowShares,
    ]);
    expect([ours.borrower, ours.marketId]).to.deep.equal([borrower.address, id]);
    expect(ours.repaidAssets).to.equal(liq.repaidAssets);
    expect(ours.seizedAssets).to.equal(liq.seizedAssets);
    expect(liq.badDebtAssets).to.equal(0n);
    expect(ours.profit).to.equal(ours.saleProceeds - ours.repaidAssets);
    expect(ours.profit).to.be.greaterThan(0n);
    expect(ownerGain).to.equal(ours.profit);

    // Morpho's liquidate() formulas, independently, on the market state it used (interest accrued in this block).
    const after = await morphoState(f, borrower.address, receipt.blockNumber);
    const totalAssetsBefore = after.market.totalBorrowAssets + liq.repaidAssets;
    const totalSharesBefore = after.market.totalBorrowShares + liq.repaidShares;
    expect(liq.repaidAssets).to.equal(toAssetsUp(liq.repaidShares, totalAssetsBefore, totalSharesBefore));
    expect(liq.seizedAssets).to.equal(
      seizedForRepaidShares(liq.repaidShares, before.price, market.lltv, totalAssetsBefore, totalSharesBefore),
    );
    expect(after.position.borrowShares).to.equal(0n);
    expect(after.position.collateral).to.equal(before.position.collateral - liq.seizedAssets);

    await expectHoldsNothing(f, await liquidator.getAddress());
    console.log(
      `      liquidateMorpho: repaid ${whole(ours.repaidAssets, 6)} USDC (all), seized ${whole(ours.seizedAssets, 18)} sUSDe of ${whole(before.position.collateral, 18)}, ` +
        `sold via sUSDe->USDe->USDC for ${whole(ours.saleProceeds, 6)} USDC, profit ${whole(ours.profit, 6)} USDC; gas ${receipt.gasUsed}`,
    );
  });

  describe("DEX price far below the oracle: the sale cannot cover the repayment", function () {
    it("Aave: reverts Unprofitable(proceeds, repaid + premium) and changes nothing", async function () {
      const f = await loadEmbedded();
      const [borrower, owner, whale] = [f.users[2], f.users[10], f.users[12]];
      await liquidatableAavePosition(f, borrower);
      const dexPrice = await crashDexUsdePrice(f, whale, 20_000_000n);
      expect(dexPrice).to.be.lessThan(0.7); // oracle says 0.78
      const liquidator = await deployLiquidator(f, owner);
      const debtToCover = units(100_000n, 6);
      const usde = tokenAddress(f.ctx, "USDe");
      const usdc = tokenAddress(f.ctx, "USDC");
      const owed = debtToCover + (await aavePremium(f, debtToCover));
      // "Changes nothing" is about the borrower's books: its scaled balances (a health factor read a block later
      // moves with interest alone).
      const scaledBooks = async () =>
        Promise.all([
          AToken__factory.connect(f.record.aave.reserves.USDe!.aToken, f.deployer).scaledBalanceOf(borrower.address),
          VariableDebtToken__factory.connect(
            f.record.aave.reserves.USDC!.variableDebtToken,
            f.deployer,
          ).scaledBalanceOf(borrower.address),
        ]);
      const booksBefore = await scaledBooks();

      await expect(
        liquidator
          .connect(owner)
          .liquidateAave(usde, usdc, borrower.address, debtToCover, uniRoute(f, ["USDe", "USDC"]), 0n),
      )
        .to.be.revertedWithCustomError(liquidator, "Unprofitable")
        .withArgs(anyUint, owed);
      // What the sale would have brought, for the record: a static call returns the same revert data.
      const data = await liquidator
        .connect(owner)
        .liquidateAave.staticCall(usde, usdc, borrower.address, debtToCover, uniRoute(f, ["USDe", "USDC"]), 0n)
        .then(
          () => "0x",
          (e: { data?: string }) => e.data ?? "0x",
        );
      const decoded = liquidator.interface.parseError(data);
      expect(decoded?.name).to.equal("Unprofitable");
      const proceeds = decoded!.args[0] as bigint;
      expect(proceeds).to.be.lessThan(owed);
      expect(await scaledBooks()).to.deep.equal(booksBefore);
      console.log(
        `      DEX USDe at ${dexPrice.toFixed(4)} USDC vs oracle 0.78: the seized USDe would sell for ${whole(proceeds, 6)} USDC, owed ${whole(owed, 6)}`,
      );
    });

    it("Morpho: reverts Unprofitable(proceeds, repaidAssets)", async function () {
      const f = await loadEmbedded();
      const [borrower, owner, whale] = [f.users[3], f.users[10], f.users[12]];
      await liquidatableMorphoPosition(f, borrower);
      expect(await crashDexUsdePrice(f, whale, 20_000_000n)).to.be.lessThan(0.7);
      const liquidator = await deployLiquidator(f, owner);
      const { position } = await morphoState(f, borrower.address);
      await expect(
        liquidator
          .connect(owner)
          .liquidateMorpho(
            marketParams(f, "sUSDe/USDC-91.5"),
            borrower.address,
            0n,
            position.borrowShares,
            uniRoute(f, ["sUSDe", "USDe", "USDC"]),
            0n,
          ),
      ).to.be.revertedWithCustomError(liquidator, "Unprofitable");
      expect((await morphoState(f, borrower.address)).position.borrowShares).to.equal(position.borrowShares);
    });
  });

  it("accepts callbacks only inside an operation it started, and checks the sale route", async function () {
    const f = await loadEmbedded();
    const [owner, attacker] = [f.users[10], f.users[13]];
    const liquidator = await deployLiquidator(f, owner);
    const usdc = tokenAddress(f.ctx, "USDC");
    const usde = tokenAddress(f.ctx, "USDe");
    await expect(liquidator.connect(attacker).executeOperation(usdc, 1n, 0n, await liquidator.getAddress(), "0x"))
      .to.be.revertedWithCustomError(liquidator, "UnexpectedCallback")
      .withArgs(attacker.address);
    await expect(liquidator.connect(attacker).onMorphoLiquidate(1n, "0x"))
      .to.be.revertedWithCustomError(liquidator, "UnexpectedCallback")
      .withArgs(attacker.address);
    await expect(
      Pool__factory.connect(f.record.aave.pool, attacker).flashLoanSimple(
        await liquidator.getAddress(),
        usdc,
        units(1_000n, 6),
        "0x",
        0,
      ),
    )
      .to.be.revertedWithCustomError(liquidator, "UnexpectedCallback")
      .withArgs(f.record.aave.pool);
    await expect(
      liquidator.connect(owner).liquidateAave(usde, usdc, attacker.address, 1n, uniRoute(f, ["USDe", "USDT"]), 0n),
    )
      .to.be.revertedWithCustomError(liquidator, "InvalidSwapPath")
      .withArgs(usde, usdc);
  });
});
