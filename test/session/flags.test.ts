import { expect } from "chai";
import { WAD } from "../../src/constants";
import {
  accountFrom,
  embeddedChoiceFrom,
  loopParamsFromFlags,
  policyChoiceFrom,
  tokenSymbolFrom,
} from "../../src/session/flags";

/** Task flags turned into library inputs: exact values, and errors naming the flag the user typed. */
describe("session flags", function () {
  const LOOP = { amount: "1000.5", token: "sUSDe", rounds: "3", ltv: "0.8" };

  it("reads loop parameters from --amount, --token, --rounds and --ltv", function () {
    expect(loopParamsFromFlags(LOOP)).to.deep.equal({
      initialSymbol: "sUSDe",
      initialRaw: 1000_500000000000000000n,
      rounds: 3,
      targetLtvWad: (8n * WAD) / 10n,
    });
  });

  it("names the loop flag at fault", function () {
    expect(() => loopParamsFromFlags({ ...LOOP, rounds: "2.5" })).to.throw('--rounds: "2.5" is not a whole number');
    expect(() => loopParamsFromFlags({ ...LOOP, token: "USDC" })).to.throw(
      '--token: unknown token "USDC" — use USDe or sUSDe',
    );
    expect(() => loopParamsFromFlags({ ...LOOP, amount: "1e3" })).to.throw(
      '--amount: "1e3" is not a decimal number — write e.g. 0.65',
    );
    expect(() => loopParamsFromFlags({ ...LOOP, ltv: "80%" })).to.throw(
      '--ltv: "80%" is not a decimal number — write e.g. 0.65',
    );
  });

  it("checks each loop flag's range: --rounds 0 to 50, --ltv between 0 and 1, --amount more than 0 up to 10^12", function () {
    expect(() => loopParamsFromFlags({ ...LOOP, rounds: "-1" })).to.throw(
      "--rounds: -1 is out of range — give 0 to 50",
    );
    expect(() => loopParamsFromFlags({ ...LOOP, rounds: "1000000000" })).to.throw(
      "--rounds: 1000000000 is out of range — give 0 to 50",
    );
    for (const ltv of ["0", "1", "1.5"]) {
      expect(() => loopParamsFromFlags({ ...LOOP, ltv }), ltv).to.throw(
        `--ltv: ${ltv} is not between 0 and 1 — give the fraction borrowed, e.g. 0.80`,
      );
    }
    expect(() => loopParamsFromFlags({ ...LOOP, amount: "0" })).to.throw("--amount: must be more than 0");
    expect(() => loopParamsFromFlags({ ...LOOP, amount: "1000000000001" })).to.throw(
      "--amount: 1000000000001 is over the bound of 1000000000000 tokens",
    );
  });

  it("checks --policy: an oracle policy or keep", function () {
    expect(policyChoiceFrom("pegged-to-USDT")).to.equal("pegged-to-USDT");
    expect(policyChoiceFrom("keep")).to.equal("keep");
    expect(() => policyChoiceFrom("chainlink")).to.throw(
      '--policy: unknown oracle policy "chainlink" — use one of pegged-to-USDT, market, exchange-rate, fixed or keep',
    );
  });

  it("checks --account, --sell / --buy and --aave-release", function () {
    expect(accountFrom(undefined)).to.equal(undefined);
    expect(accountFrom("0x70997970C51812dc3A010C7d01b50e0d17dc79C8")).to.equal(
      "0x70997970C51812dc3A010C7d01b50e0d17dc79C8",
    );
    expect(() => accountFrom("alice")).to.throw('--account: "alice" is not an address');
    expect(tokenSymbolFrom("DAI", "--buy")).to.equal("DAI");
    expect(() => tokenSymbolFrom("USDX", "--sell")).to.throw(
      '--sell: unknown token "USDX" — use one of USDe, sUSDe, USDC, USDT, DAI, WETH, USDS',
    );
    expect(embeddedChoiceFrom("origin-v3.6", true)).to.deep.equal({ aaveRelease: "origin-v3.6", curve: true });
    expect(() => embeddedChoiceFrom("v4", false)).to.throw(
      '--aave-release: unknown Aave release "v4" — use one of: v3.0, origin-v3.6',
    );
  });
});
