import { InputError } from "../errors";

/**
 * Which Aave logic the embedded chain runs. "v3.0": npm @aave/core-v3 1.19.x (Pool revision 1). "origin-v3.6":
 * npm @aave-dao/aave-v3-origin 3.6.0 (Pool revision 10), the line mainnet has run since v3.3 (deficit accounting,
 * the v3.3 close-factor and dust rules, liquid E-mode, v3.5 rounding).
 */
export const AAVE_RELEASES = ["v3.0", "origin-v3.6"] as const;
export type AaveRelease = (typeof AAVE_RELEASES)[number];

/**
 * The release the embedded chain runs unless told otherwise: the origin line, the logic Ethereum's Aave has run
 * since v3.3 (Pool revision 9 at the pinned block 23,549,000). v3.0 stays a flag away, for comparison.
 */
export const DEFAULT_AAVE_RELEASE: AaveRelease = "origin-v3.6";

/** A release named by the user (a flag or a file field), checked by name. */
export function aaveReleaseFrom(value: string, field: string): AaveRelease {
  if (!(AAVE_RELEASES as readonly string[]).includes(value)) {
    throw new InputError(field, `unknown Aave release "${value}"`, `use one of: ${AAVE_RELEASES.join(", ")}`);
  }
  return value as AaveRelease;
}
