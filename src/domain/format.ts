/** Display helpers: numbers here are for people; the reports keep the raw bigints. */
import { toNumber } from "../math/fixed-point";

/** Health factors above this (wad) mean "no debt": protocols report type(uint256).max there. */
export const HF_NO_DEBT_WAD = 10n ** 30n;

export function fmtUnits(amountRaw: bigint, decimals: number, digits = 2): string {
  return toNumber(amountRaw, decimals).toLocaleString("en-US", {
    minimumFractionDigits: digits,
    maximumFractionDigits: digits,
  });
}

/**
 * A raw integer of `decimals` decimals as an exact decimal string in token units: no rounding, no grouping, no
 * trailing zeros (1190000 with 6 decimals is "1.19"), so that a spreadsheet reads it as the number it is.
 */
export function exactUnits(amountRaw: bigint, decimals: number): string {
  const abs = amountRaw < 0n ? -amountRaw : amountRaw;
  const scale = 10n ** BigInt(decimals);
  const fraction = (abs % scale).toString().padStart(decimals, "0").replace(/0+$/, "");
  return `${amountRaw < 0n ? "-" : ""}${abs / scale}${fraction ? `.${fraction}` : ""}`;
}

export function fmtBps(bps: bigint | number): string {
  return `${(Number(bps) / 100).toFixed(2)}%`;
}

export function fmtWadPct(wad: bigint): string {
  return `${(toNumber(wad, 18) * 100).toFixed(2)}%`;
}

/** A Markdown table (also readable in a terminal). */
export function table(headers: string[], rows: (string | number)[][]): string {
  const cells = [headers, ...rows.map((r) => r.map(String))];
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? "").length)));
  const line = (r: string[]) => `| ${r.map((c, i) => c.padEnd(widths[i])).join(" | ")} |`;
  return [
    line(headers),
    `| ${widths.map((w) => "-".repeat(w)).join(" | ")} |`,
    ...rows.map((r) => line(r.map(String))),
  ].join("\n");
}

/**
 * A raw amount as an exact decimal string in token units, no thousands separators (for CSV cells): `digits` decimals,
 * rounded toward zero, or every significant decimal when `digits` is undefined ("0.8123", "1234.56").
 */
export function decimalOf(amountRaw: bigint, decimals: number, digits?: number): string {
  const sign = amountRaw < 0n ? "-" : "";
  const abs = amountRaw < 0n ? -amountRaw : amountRaw;
  const scale = 10n ** BigInt(decimals);
  const frac = (abs % scale).toString().padStart(decimals, "0");
  const shown = digits === undefined ? frac.replace(/0+$/, "") : frac.slice(0, digits).padEnd(digits, "0");
  return `${sign}${abs / scale}${shown === "" ? "" : `.${shown}`}`;
}
