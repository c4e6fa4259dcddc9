import { expect } from "chai";
import { loadEmbedded } from "../fixtures";
import { deal } from "../../src/chain/cheats";
import { WAD } from "../../src/constants";
import { InputError } from "../../src/errors";
import { UniswapV3Dex } from "../../src/dex/uniswap-v3";
import { openMarket } from "../../src/protocols/registry";
import { idealLoop, runIterativeLoop, validateLoopParams } from "../../src/strategies/iterative-loop";
import { IERC4626__factory } from "../../typechain-types";
import { AToken__factory, VariableDebtToken__factory } from "../../src/protocols/aave-v3-types";

const ratio = (a: bigint, b: bigint) => Number((a * 10n ** 12n) / b) / 1e12;

describe("iterative loop", function () {
  it("100,000 USDe, LTV 80%, 5 rounds on Aave E-mode: ~368,900 USDe collateral against ~268,900 USDC debt", async function () {
    const { ctx, users } = await loadEmbedded();
    const [user] = users;
    const market = openMarket(ctx, "aave-v3:USDe/USDC:emode-2");
    await deal(ctx, "USDe", user, 100_000n * WAD);
    const r = await runIterativeLoop(ctx, market, new UniswapV3Dex(ctx), user, {
      initialSymbol: "USDe",
      initialRaw: 100_000n * WAD,
      rounds: 5,
      targetLtvWad: (80n * WAD) / 100n,
    });
    expect(r.rounds.map((x) => x.round)).to.deep.equal([1, 2, 3, 4, 5]);

    // Each round borrows 80% of what the previous step supplied, at the oracle price (USDe = USDT/USD = $1: 1 USDC per USDe).
    let previous = 100_000n * WAD;
    for (const round of r.rounds) {
      expect(round.borrowedRaw).to.equal((((previous * 10n ** 6n) / WAD) * 80n) / 100n);
      // The swap at peg loses the 0.01% fee and a little price impact, never more.
      const parity = round.borrowedRaw * 10n ** 12n;
      expect(ratio(round.swapOutUsdeRaw, parity)).to.be.within(0.9995, 0.99991);
      expect(round.suppliedRaw).to.equal(round.swapOutUsdeRaw);
      previous = round.suppliedRaw;
    }

    // The contracts' own balances.
    const account = await user.getAddress();
    const aUsde = await AToken__factory.connect(ctx.record.aave.reserves.USDe!.aToken, ctx.provider).balanceOf(account);
    const debt = await VariableDebtToken__factory.connect(
      ctx.record.aave.reserves.USDC!.variableDebtToken,
      ctx.provider,
    ).balanceOf(account);
    expect(r.final.collateral[0].amountRaw).to.equal(aUsde);
    expect(r.final.debt[0].amountRaw).to.equal(debt);
    const ideal = idealLoop(100_000n * WAD, (80n * WAD) / 100n, 5);
    expect(Number(ideal.collateralWad / WAD)).to.equal(368_928);
    expect(ratio(aUsde, ideal.collateralWad)).to.be.within(0.9997, 1.0);
    expect(ratio(debt * 10n ** 12n, ideal.debtWad)).to.be.within(0.9995, 1.0001);
    // Supplied amounts add up to the collateral the Pool holds for the user (supply interest is ~0 at this utilization).
    const supplied = 100_000n * WAD + r.rounds.reduce((s, x) => s + x.suppliedRaw, 0n);
    expect(ratio(aUsde, supplied)).to.be.within(1.0, 1.000001);
    expect(r.final.healthFactorWad).to.be.greaterThan(WAD);
  });

  it("sUSDe variant on Morpho: USDe is staked before every supply; collateral = the shares minted", async function () {
    const { ctx, users } = await loadEmbedded();
    const [user] = users;
    const market = openMarket(ctx, "morpho-blue:sUSDe/USDC-91.5");
    await deal(ctx, "USDe", user, 50_000n * WAD);
    const vault = IERC4626__factory.connect(ctx.record.tokens.sUSDe!.address, ctx.provider);
    const firstShares = await vault.previewDeposit(50_000n * WAD);
    const r = await runIterativeLoop(ctx, market, new UniswapV3Dex(ctx), user, {
      initialSymbol: "USDe",
      initialRaw: 50_000n * WAD,
      rounds: 3,
      targetLtvWad: (85n * WAD) / 100n,
    });
    const sharesSupplied = firstShares + r.rounds.reduce((s, x) => s + x.suppliedRaw, 0n);
    expect(r.final.collateral[0].symbol).to.equal("sUSDe");
    expect(r.final.collateral[0].amountRaw).to.equal(sharesSupplied);
    for (const round of r.rounds) expect(round.suppliedRaw).to.equal(await vault.convertToShares(round.swapOutUsdeRaw));
    const borrowed = r.rounds.reduce((s, x) => s + x.borrowedRaw, 0n);
    // Debt = borrowed + a few blocks of 5% APR interest.
    expect(ratio(r.final.debt[0].amountRaw, borrowed)).to.be.within(1.0, 1.00001);
    // Leverage in USDe terms: ~ 1 + 0.85 + 0.85^2 + 0.85^3.
    const collateralUsde = await vault.convertToAssets(r.final.collateral[0].amountRaw);
    expect(ratio(collateralUsde, 50_000n * WAD)).to.be.closeTo(1 + 0.85 + 0.85 ** 2 + 0.85 ** 3, 0.003);
  });

  it("refuses bad loop parameters before any transaction, naming the field", async function () {
    const { ctx } = await loadEmbedded();
    const aave = openMarket(ctx, "aave-v3:USDe/USDC:emode-2");
    const base = { initialSymbol: "USDe" as const, initialRaw: WAD, rounds: 1, targetLtvWad: (80n * WAD) / 100n };
    const cases: [object, string, RegExp][] = [
      [
        { targetLtvWad: (93n * WAD) / 100n },
        "targetLtv",
        /93\.00% is at or above aave-v3:USDe\/USDC:emode-2's liquidation threshold 92\.00%/,
      ],
      [{ targetLtvWad: (91n * WAD) / 100n }, "targetLtv", /above .* max LTV 90\.00%/],
      [{ rounds: -1 }, "rounds", /must be a whole number in \[0, 50\], got -1/],
      [{ rounds: 51 }, "rounds", /must be a whole number in \[0, 50\], got 51/],
      [{ initialRaw: 0n }, "initialAmount", /must be > 0/],
    ];
    const before = await ctx.provider.getBlockNumber();
    for (const [patch, field, message] of cases) {
      const err = await validateLoopParams(aave, { ...base, ...patch }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err, field).to.be.instanceOf(InputError);
      expect((err as InputError).field).to.equal(field);
      expect((err as Error).message).to.match(message);
    }
    expect(await ctx.provider.getBlockNumber()).to.equal(before);
  });
});
