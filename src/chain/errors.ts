/**
 * Turns a revert into something a person can read: Aave's numeric error codes get their names (from the
 * package's own Errors.sol), Morpho's and Uniswap's reason strings are shown as-is, custom errors of every
 * contract we touch are decoded with their arguments, and panics get their meaning.
 */
import fs from "fs";
import { Interface, InterfaceAbi } from "ethers";
import * as factories from "../../typechain-types";

const ERROR_SELECTOR = "0x08c379a0";
const PANIC_SELECTOR = "0x4e487b71";

const PANICS: Record<number, string> = {
  0x01: "assertion failed",
  0x11: "arithmetic overflow/underflow",
  0x12: "division by zero",
  0x21: "invalid enum value",
  0x31: "pop on empty array",
  0x32: "array index out of bounds",
  0x41: "out of memory",
  0x51: "call to zero-initialized function",
};

/** Uniswap V3 core/periphery short reason strings (from their sources). */
const UNISWAP_REASONS: Record<string, string> = {
  STF: "safeTransferFrom failed (allowance or balance too low)",
  ST: "safeTransfer failed",
  SPL: "sqrt price limit out of range",
  AS: "amount specified is zero",
  LOK: "pool is locked (re-entrancy)",
  TLM: "tick lower must be below tick upper",
  TLU: "tick lower out of range",
  TUM: "tick upper out of range",
  "Too little received": "output below amountOutMinimum (slippage)",
  "Too much requested": "input above amountInMaximum (slippage)",
  "Price slippage check": "position amounts below minimums",
};

let aaveCodes: Record<string, string> | undefined;

/** Aave's Errors.sol maps names to numeric strings; read it from the installed package. */
export function aaveErrorCodes(): Record<string, string> {
  if (aaveCodes) return aaveCodes;
  const src = fs.readFileSync(require.resolve("@aave/core-v3/contracts/protocol/libraries/helpers/Errors.sol"), "utf8");
  aaveCodes = {};
  for (const m of src.matchAll(/string public constant (\w+) = '(\d+)';/g)) aaveCodes[m[2]] = m[1];
  return aaveCodes;
}

let errorInterfaces: Interface[] | undefined;

function interfaces(): Interface[] {
  if (errorInterfaces) return errorInterfaces;
  errorInterfaces = [];
  for (const value of Object.values(factories)) {
    const abi = (value as { abi?: InterfaceAbi }).abi;
    if (Array.isArray(abi) && abi.some((f) => (f as { type?: string }).type === "error")) {
      errorInterfaces.push(new Interface(abi));
    }
  }
  return errorInterfaces;
}

/** Names a revert reason string (Aave codes → names, Uniswap abbreviations → meanings). */
function describeReason(reason: string): string {
  const aave = aaveErrorCodes()[reason];
  if (aave) return `Aave error ${reason} (${aave})`;
  const uni = UNISWAP_REASONS[reason];
  if (uni) return `"${reason}" (${uni})`;
  return `"${reason}"`;
}

/** Decodes raw revert data (hex). */
function decodeRevertData(data: string): string {
  if (!data || data === "0x") return "reverted without data";
  const selector = data.slice(0, 10).toLowerCase();
  if (selector === ERROR_SELECTOR) {
    const [reason] = Interface.from(["function Error(string)"]).decodeFunctionData("Error", data);
    return describeReason(String(reason));
  }
  if (selector === PANIC_SELECTOR) {
    const [code] = Interface.from(["function Panic(uint256)"]).decodeFunctionData("Panic", data);
    const c = Number(code);
    return `panic 0x${c.toString(16)} (${PANICS[c] ?? "unknown panic"})`;
  }
  for (const iface of interfaces()) {
    try {
      const parsed = iface.parseError(data);
      if (parsed) {
        const args = parsed.fragment.inputs.map((input, i) => `${input.name || i}=${String(parsed.args[i])}`);
        return `${parsed.name}(${args.join(", ")})`;
      }
    } catch {
      // not this interface
    }
  }
  return `unknown custom error ${selector} (data ${data})`;
}

function findRevertData(err: unknown, depth = 0): string | undefined {
  if (depth > 6 || err === null || typeof err !== "object") return undefined;
  const o = err as Record<string, unknown>;
  const data = o.data;
  if (typeof data === "string" && /^0x[0-9a-fA-F]*$/.test(data) && data.length >= 10) return data;
  if (data && typeof data === "object") {
    const inner = (data as Record<string, unknown>).data;
    if (typeof inner === "string" && inner.startsWith("0x") && inner.length >= 10) return inner;
  }
  for (const key of ["error", "info", "cause", "revert"]) {
    const found = findRevertData(o[key], depth + 1);
    if (found) return found;
  }
  return undefined;
}

/** Does the error carry revert data (Hardhat's send, a reverted call), rather than only a failed receipt? */
export function hasRevertData(err: unknown): boolean {
  return findRevertData(err) !== undefined;
}

/** Best-effort decode of any error thrown by ethers / Hardhat for a reverted call or transaction. */
export function decodeRevert(err: unknown): string {
  const data = findRevertData(err);
  if (data) return decodeRevertData(data);
  const message = err instanceof Error ? err.message : String(err);
  const reason = /reverted with reason string '([^']*)'/.exec(message);
  if (reason) return describeReason(reason[1]);
  const custom = /reverted with custom error '([^']*)'/.exec(message);
  if (custom) return custom[1];
  const panic = /reverted with panic code (0x[0-9a-f]+)/.exec(message);
  if (panic) return `panic ${panic[1]} (${PANICS[Number(panic[1])] ?? "unknown panic"})`;
  return message.split("\n")[0];
}

/** A protocol refused an action; `reason` is decoded. */
export class RevertError extends Error {
  constructor(
    readonly action: string,
    readonly reason: string,
  ) {
    super(`${action} reverted: ${reason}`);
    this.name = "RevertError";
  }
}
