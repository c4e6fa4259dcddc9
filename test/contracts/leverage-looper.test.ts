import { expect } from "chai";
import { ZeroAddress } from "ethers";
import { EventsLib__factory, Morpho__factory, StakedUSDeStandIn__factory } from "../../typechain-types";
import { loadEmbedded, loadEmbeddedV30, type EmbeddedFixture } from "../fixtures";
import { tokenAddress } from "../../src/chain/context";
import { aaveErrorCodes } from "../../src/chain/errors";
import { toAssetsUp } from "../../src/math/morpho-blue";
import {
  aaveFlashForDebt,
  aavePremium,
  balancesOf,
  deployLooper,
  erc20,
  expectHoldsNothing,
  fiveRoundDebt,
  openAaveLoop,
  openMorphoLoop,
  prepareAaveLoop,
  prepareMorphoLoop,
  uniRoute,
  units,
} from "./helpers";
import { AToken__factory, Pool__factory, VariableDebtToken__factory } from "../../src/protocols/aave-v3-types";

const INITIAL_USDE = units(100_000n, 18);
/** A 5-round iterative loop at 80% ends with 268,928 of debt and ~368,9xx USDe of collateral. */
const LOOP_DEBT_USDC = fiveRoundDebt(100_000n, 6);
const LOOP_DEBT_DAI = fiveRoundDebt(100_000n, 18);
const LOOP_COLLATERAL_USDE = INITIAL_USDE + fiveRoundDebt(100_000n, 18);

/** |actual - expected| <= expected x bps / 10,000. */
function expectWithinBps(actual: bigint, expected: bigint, bps: bigint, what: string): void {
  const diff = actual > expected ? actual - expected : expected - actual;
  expect(diff * 10_000n <= expected * bps, `${what}: ${actual} is not within ${bps} bps of ${expected}`).to.equal(true);
}

function whole(raw: bigint, decimals: number): string {
  return (Number(raw) / 10 ** decimals).toLocaleString("en-US", { maximumFractionDigits: 4 });
}

async function aavePosition(
  f: EmbeddedFixture,
  user: string,
  collateral: "USDe" | "sUSDe",
  debt: "USDC",
  blockTag: number,
) {
  const aToken = AToken__factory.connect(f.record.aave.reserves[collateral]!.aToken, f.deployer);
  const vDebt = VariableDebtToken__factory.connect(f.record.aave.reserves[debt]!.variableDebtToken, f.deployer);
  return { collateral: await aToken.balanceOf(user, { blockTag }), debt: await vDebt.balanceOf(user, { blockTag }) };
}

describe("LeverageLooper (one-transaction flash loops on real Aave V3 / Morpho Blue / Uniswap V3)", function () {
  describe("Aave V3, E-mode 2, USDC debt", function () {
    it("USDe collateral: 100,000 USDe to the end position of a 5-round 80% loop", async function () {
      const f = await loadEmbedded();
      const looper = await deployLooper(f);
      const user = f.users[0];
      const flash = await aaveFlashForDebt(f, LOOP_DEBT_USDC);
      const premium = await aavePremium(f, flash);
      const { receipt, looped } = await openAaveLoop(f, looper, user, {
        collateral: "USDe",
        initial: "USDe",
        initialAmount: INITIAL_USDE,
        debt: "USDC",
        flashAmount: flash,
      });

      expect(looped.user).to.equal(user.address);
      expect(looped.protocol).to.equal(0n);
      expect(looped.debtBorrowed).to.equal(flash + premium);
      expect(looped.collateralSupplied).to.equal(INITIAL_USDE + looped.usdeFromSwap);
      // The swap paid the 0.01% fee and some price impact: less than 1:1, more than the 0.5% floor.
      expect(looped.usdeFromSwap).to.be.lessThan(flash * 10n ** 12n);
      expect(looped.usdeFromSwap).to.be.greaterThanOrEqual((flash * 10n ** 12n * 995n) / 1000n);

      // What Aave books for the user, read at the loop's block, is what the event says.
      const pos = await aavePosition(f, user.address, "USDe", "USDC", receipt.blockNumber);
      expect(pos.collateral).to.equal(looped.collateralSupplied);
      expect(pos.debt).to.equal(looped.debtBorrowed);
      // ... and matches the 5-round loop: same debt (to the unit), collateral within 0.5% and below 1:1.
      expect(LOOP_DEBT_USDC - pos.debt).to.be.within(0n, 1n);
      expectWithinBps(pos.collateral, LOOP_COLLATERAL_USDE, 50n, "collateral");
      expect(pos.collateral).to.be.lessThan(LOOP_COLLATERAL_USDE);

      const account = await Pool__factory.connect(f.record.aave.pool, f.deployer).getUserAccountData(user.address, {
        blockTag: receipt.blockNumber,
      });
      expect(account.healthFactor).to.be.greaterThan(10n ** 18n);
      expect((await balancesOf(f, user.address)).USDe).to.equal(0n);
      await expectHoldsNothing(f, await looper.getAddress());
      for (const s of ["USDC", "USDe"] as const)
        expect(await erc20(f, s).allowance(await looper.getAddress(), f.record.aave.pool)).to.equal(0n);
      console.log(
        `      loopAave USDe/USDC: flash ${whole(flash, 6)} + premium ${whole(premium, 6)} USDC -> ${whole(looped.usdeFromSwap, 18)} USDe; ` +
          `collateral ${whole(pos.collateral, 18)} USDe, debt ${whole(pos.debt, 6)} USDC, HF ${whole(account.healthFactor, 18)}; gas ${receipt.gasUsed}`,
      );
    });

    it("sUSDe collateral: the initial USDe and the swapped USDe are staked, then supplied", async function () {
      const f = await loadEmbedded();
      const looper = await deployLooper(f);
      const user = f.users[1];
      const flash = await aaveFlashForDebt(f, LOOP_DEBT_USDC);
      const { receipt, looped } = await openAaveLoop(f, looper, user, {
        collateral: "sUSDe",
        initial: "USDe",
        initialAmount: INITIAL_USDE,
        debt: "USDC",
        flashAmount: flash,
      });
      expect(looped.debtBorrowed).to.equal(flash + (await aavePremium(f, flash)));

      // The vault minted exactly the supplied shares for initial + swapped USDe, in this transaction.
      const vault = StakedUSDeStandIn__factory.connect(tokenAddress(f.ctx, "sUSDe"), f.deployer);
      const deposits = (
        await vault.queryFilter(vault.filters.Deposit(), receipt.blockNumber, receipt.blockNumber)
      ).filter((e) => e.transactionHash === receipt.hash);
      expect(deposits).to.have.length(1);
      expect(deposits[0].args.assets).to.equal(INITIAL_USDE + looped.usdeFromSwap);
      expect(deposits[0].args.shares).to.equal(looped.collateralSupplied);

      const pos = await aavePosition(f, user.address, "sUSDe", "USDC", receipt.blockNumber);
      expect(pos.collateral).to.equal(looped.collateralSupplied);
      expect(pos.debt).to.equal(looped.debtBorrowed);
      expect(LOOP_DEBT_USDC - pos.debt).to.be.within(0n, 1n);
      const collateralUsde = await vault.convertToAssets(pos.collateral, { blockTag: receipt.blockNumber });
      expectWithinBps(collateralUsde, LOOP_COLLATERAL_USDE, 50n, "collateral in USDe");
      expect(collateralUsde).to.be.lessThan(LOOP_COLLATERAL_USDE);
      await expectHoldsNothing(f, await looper.getAddress());
      console.log(
        `      loopAave sUSDe/USDC: ${whole(pos.collateral, 18)} sUSDe (= ${whole(collateralUsde, 18)} USDe), debt ${whole(pos.debt, 6)} USDC; gas ${receipt.gasUsed}`,
      );
    });

    it("v3.0: without credit delegation Aave's VariableDebtToken underflows (Panic 0x11, no allowance error)", async function () {
      const f = await loadEmbeddedV30();
      const looper = await deployLooper(f);
      const { send } = await prepareAaveLoop(f, looper, f.users[2], {
        collateral: "USDe",
        initial: "USDe",
        initialAmount: INITIAL_USDE,
        debt: "USDC",
        flashAmount: await aaveFlashForDebt(f, LOOP_DEBT_USDC),
        delegate: false,
      });
      await expect(send()).to.be.revertedWithPanic(0x11);
      // Control: the same call goes through once the delegation covers flash + premium.
      const flash = await aaveFlashForDebt(f, LOOP_DEBT_USDC);
      const vDebt = VariableDebtToken__factory.connect(f.record.aave.reserves.USDC!.variableDebtToken, f.users[2]);
      await (await vDebt.approveDelegation(await looper.getAddress(), flash + (await aavePremium(f, flash)))).wait();
      await expect(send()).to.emit(looper, "Looped");
    });

    it("v3.0: without E-mode the USDe LTV (72%) cannot cover the borrow: Aave error 36", async function () {
      const f = await loadEmbeddedV30();
      const looper = await deployLooper(f);
      const { send } = await prepareAaveLoop(f, looper, f.users[3], {
        collateral: "USDe",
        initial: "USDe",
        initialAmount: INITIAL_USDE,
        debt: "USDC",
        flashAmount: await aaveFlashForDebt(f, LOOP_DEBT_USDC),
        eMode: false,
      });
      const code = Object.entries(aaveErrorCodes()).find(
        ([, name]) => name === "COLLATERAL_CANNOT_COVER_NEW_BORROW",
      )?.[0];
      expect(code).to.equal("36");
      await expect(send()).to.be.revertedWith(code!);
      await (await Pool__factory.connect(f.record.aave.pool, f.users[3]).setUserEMode(2)).wait();
      await expect(send()).to.emit(looper, "Looped");
    });
  });

  describe("Morpho Blue (free flash loan)", function () {
    for (const spec of [
      { market: "sUSDe/USDC-91.5" as const, loan: "USDC" as const, debt: LOOP_DEBT_USDC, decimals: 6 },
      { market: "USDe/DAI-91.5" as const, loan: "DAI" as const, debt: LOOP_DEBT_DAI, decimals: 18 },
    ]) {
      it(`${spec.market}: 100,000 USDe to a 5-round 80% loop's position`, async function () {
        const f = await loadEmbedded();
        const looper = await deployLooper(f);
        const user = f.users[4];
        const { receipt, looped } = await openMorphoLoop(f, looper, user, {
          market: spec.market,
          initial: "USDe",
          initialAmount: INITIAL_USDE,
          flashAmount: spec.debt,
        });

        expect(looped.user).to.equal(user.address);
        expect(looped.protocol).to.equal(1n);
        expect(looped.debtBorrowed).to.equal(spec.debt);

        const morpho = Morpho__factory.connect(f.record.morpho.morpho, f.deployer);
        const id = f.record.morpho.markets[spec.market].id;
        const position = await morpho.position(id, user.address, { blockTag: receipt.blockNumber });
        const market = await morpho.market(id, { blockTag: receipt.blockNumber });
        const debt = toAssetsUp(position.borrowShares, market.totalBorrowAssets, market.totalBorrowShares);
        expect(position.collateral).to.equal(looped.collateralSupplied);
        expect(debt).to.equal(looped.debtBorrowed); // no premium, and the share rounding gives it back exactly

        const sUsde = spec.market.startsWith("sUSDe");
        const vault = StakedUSDeStandIn__factory.connect(tokenAddress(f.ctx, "sUSDe"), f.deployer);
        const collateralUsde = sUsde
          ? await vault.convertToAssets(position.collateral, { blockTag: receipt.blockNumber })
          : position.collateral;
        if (!sUsde) expect(looped.collateralSupplied).to.equal(INITIAL_USDE + looped.usdeFromSwap);
        expectWithinBps(collateralUsde, LOOP_COLLATERAL_USDE, 50n, "collateral in USDe");
        expect(collateralUsde).to.be.lessThan(LOOP_COLLATERAL_USDE);
        // Morpho's own Borrow event names the looper as the receiver of exactly the flash amount.
        const morphoEvents = EventsLib__factory.connect(f.record.morpho.morpho, f.deployer); // Morpho emits through EventsLib
        const borrows = (
          await morphoEvents.queryFilter(morphoEvents.filters.Borrow(id), receipt.blockNumber, receipt.blockNumber)
        ).filter((e) => e.transactionHash === receipt.hash);
        expect(borrows).to.have.length(1);
        expect([borrows[0].args.onBehalf, borrows[0].args.receiver, borrows[0].args.assets]).to.deep.equal([
          user.address,
          await looper.getAddress(),
          spec.debt,
        ]);
        await expectHoldsNothing(f, await looper.getAddress());
        expect(await erc20(f, spec.loan).allowance(await looper.getAddress(), f.record.morpho.morpho)).to.equal(0n);
        console.log(
          `      loopMorpho ${spec.market}: ${whole(spec.debt, spec.decimals)} ${spec.loan} -> ${whole(looped.usdeFromSwap, 18)} USDe; ` +
            `collateral ${whole(position.collateral, 18)} ${sUsde ? "sUSDe" : "USDe"} (= ${whole(collateralUsde, 18)} USDe), debt ${whole(debt, spec.decimals)}; gas ${receipt.gasUsed}`,
        );
      });
    }

    it('without Morpho.setAuthorization the borrow reverts with Morpho\'s "unauthorized"', async function () {
      const f = await loadEmbedded();
      const looper = await deployLooper(f);
      const { send } = await prepareMorphoLoop(f, looper, f.users[5], {
        market: "sUSDe/USDC-91.5",
        initial: "USDe",
        initialAmount: INITIAL_USDE,
        flashAmount: LOOP_DEBT_USDC,
        authorize: false,
      });
      await expect(send()).to.be.revertedWith("unauthorized");
      await (
        await Morpho__factory.connect(f.record.morpho.morpho, f.users[5]).setAuthorization(
          await looper.getAddress(),
          true,
        )
      ).wait();
      await expect(send()).to.emit(looper, "Looped");
    });
  });

  describe("abuse", function () {
    it("accepts callbacks only inside an operation it started", async function () {
      const f = await loadEmbedded();
      const looper = await deployLooper(f);
      const attacker = f.users[6];
      const pool = Pool__factory.connect(f.record.aave.pool, attacker);
      const usdc = tokenAddress(f.ctx, "USDC");
      // Called directly.
      await expect(looper.connect(attacker).executeOperation(usdc, 1n, 0n, await looper.getAddress(), "0x"))
        .to.be.revertedWithCustomError(looper, "UnexpectedCallback")
        .withArgs(attacker.address);
      await expect(looper.connect(attacker).onMorphoFlashLoan(1n, "0x"))
        .to.be.revertedWithCustomError(looper, "UnexpectedCallback")
        .withArgs(attacker.address);
      // Through a real Aave flash loan someone else started with the looper as receiver.
      await expect(pool.flashLoanSimple(await looper.getAddress(), usdc, units(1_000n, 6), "0x", 0))
        .to.be.revertedWithCustomError(looper, "UnexpectedCallback")
        .withArgs(f.record.aave.pool);
    });

    it("checks the swap route, the vault and the swap output before or during the loop", async function () {
      const f = await loadEmbedded();
      const looper = await deployLooper(f);
      const user = f.users[7];
      const flash = await aaveFlashForDebt(f, LOOP_DEBT_USDC);
      const spec = {
        collateral: "USDe" as const,
        initial: "USDe" as const,
        initialAmount: INITIAL_USDE,
        debt: "USDC" as const,
        flashAmount: flash,
      };
      const { params } = await prepareAaveLoop(f, looper, user, spec);
      const usde = tokenAddress(f.ctx, "USDe");
      await expect(looper.connect(user).loopAave({ ...params, swapPath: uniRoute(f, ["USDC", "USDe", "USDT"]) }))
        .to.be.revertedWithCustomError(looper, "InvalidSwapPath")
        .withArgs(tokenAddress(f.ctx, "USDC"), usde);
      await expect(looper.connect(user).loopAave({ ...params, vault: tokenAddress(f.ctx, "sUSDe") }))
        .to.be.revertedWithCustomError(looper, "VaultMismatch")
        .withArgs(tokenAddress(f.ctx, "sUSDe"), usde);
      await expect(looper.connect(user).loopAave({ ...params, initialToken: tokenAddress(f.ctx, "DAI") }))
        .to.be.revertedWithCustomError(looper, "InvalidInitialToken")
        .withArgs(tokenAddress(f.ctx, "DAI"));
      // More USDe than 1:1 is impossible through a 0.01% pool.
      await expect(
        looper.connect(user).loopAave({ ...params, minUsdeOut: flash * 10n ** 12n }),
      ).to.be.revertedWithCustomError(looper, "InsufficientSwapOutput");
      expect(params.vault).to.equal(ZeroAddress);
      // The same parameters go through once they are right.
      await expect(looper.connect(user).loopAave(params)).to.emit(looper, "Looped");
    });
  });
});
