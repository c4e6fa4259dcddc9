/** Command-line values checked and turned into library inputs; every InputError names the flag the user typed. */
import { isAddress } from "ethers";
import type { AaveRelease } from "../domain/aave-release";
import { aaveReleaseFrom } from "../domain/aave-release";
import { ORACLE_POLICIES, OraclePolicy } from "../domain/oracle-policy";
import { TOKEN_SYMBOLS, TokenSymbol } from "../domain/tokens";
import { InputError } from "../errors";
import { MAX_LOOP_ROUNDS } from "../domain/bounds";
import { amountFrom, decimalFrom, shownValue, wholeNumberFrom } from "../domain/flag-values";
import type { LoopParams } from "../strategies/iterative-loop";

/** Loop flags as typed: --amount, --token, --rounds, --ltv. */
export interface LoopFlags {
  amount: string;
  token: string;
  rounds: string;
  ltv: string;
}

/** Loop amounts (--amount, --ltv) are whole-token decimal strings of an 18-decimal token (USDe, sUSDe) / a WAD. */
const LOOP_FLAG_DECIMALS = 18;

/** One WAD: an LTV of 1 borrows the collateral's whole value, which no market allows. */
const ONE_WAD = 10n ** BigInt(LOOP_FLAG_DECIMALS);

/** Each flag checked for form and range (bounds.ts) before anything is deployed. */
export function loopParamsFromFlags(flags: LoopFlags): LoopParams {
  const rounds = wholeNumberFrom(flags.rounds, "--rounds", 0, MAX_LOOP_ROUNDS);
  if (flags.token !== "USDe" && flags.token !== "sUSDe") {
    throw new InputError("--token", `unknown token "${shownValue(flags.token)}"`, "use USDe or sUSDe");
  }
  const targetLtvWad = decimalFrom(flags.ltv, "--ltv", LOOP_FLAG_DECIMALS);
  if (targetLtvWad <= 0n || targetLtvWad >= ONE_WAD) {
    throw new InputError("--ltv", `${flags.ltv} is not between 0 and 1`, "give the fraction borrowed, e.g. 0.80");
  }
  return {
    initialSymbol: flags.token,
    initialRaw: amountFrom(flags.amount, "--amount", LOOP_FLAG_DECIMALS),
    rounds,
    targetLtvWad,
  };
}

/** `--policy`: an oracle policy to apply to the market first, or "keep" to leave its oracle as it is. */
export const KEEP_POLICY = "keep";
export type PolicyChoice = OraclePolicy | typeof KEEP_POLICY;

export function policyChoiceFrom(value: string, field = "--policy"): PolicyChoice {
  if (value === KEEP_POLICY || (ORACLE_POLICIES as readonly string[]).includes(value)) return value as PolicyChoice;
  throw new InputError(
    field,
    `unknown oracle policy "${shownValue(value)}"`,
    `use one of ${ORACLE_POLICIES.join(", ")} or keep`,
  );
}

/** An optional account address (e.g. --account). */
export function accountFrom(value: string | undefined, field = "--account"): string | undefined {
  if (value !== undefined && !isAddress(value)) throw new InputError(field, `"${shownValue(value)}" is not an address`);
  return value;
}

/** A token symbol of the chain profiles (e.g. --sell, --buy). */
export function tokenSymbolFrom(value: string, field: string): TokenSymbol {
  if (!(TOKEN_SYMBOLS as readonly string[]).includes(value)) {
    throw new InputError(field, `unknown token "${shownValue(value)}"`, `use one of ${TOKEN_SYMBOLS.join(", ")}`);
  }
  return value as TokenSymbol;
}

/** `embedded:deploy --aave-release <r> [--curve]`: the release is checked by name. */
export function embeddedChoiceFrom(aaveRelease: string, curve: boolean): { aaveRelease: AaveRelease; curve: boolean } {
  return { aaveRelease: aaveReleaseFrom(aaveRelease, "--aave-release"), curve };
}
