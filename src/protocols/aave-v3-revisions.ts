/**
 * Which liquidation rules an Aave V3 Pool runs, from its revision on chain (`POOL_REVISION()`). The model of
 * `aave-v3.ts` has two rule sets; a revision is modelled only where its sources were read against them
 * (docs/aave-revisions.md gives the release tag and line for each row). Any other revision is refused, naming it.
 */
import { InputError } from "../errors";

/** The rule sets the model implements: v3.0.x LiquidationLogic, and v3.3's rules with v3.5's rounding. */
export type AaveRules = "v3.0" | "v3.5";

interface RevisionRow {
  /** The release whose Pool reports this revision. */
  release: string;
  /** The rule set the model applies, or undefined where the release's rules are not modelled. */
  rules?: AaveRules;
  /** Why it is refused, when it is. */
  refusal?: string;
}

/** From aave/aave-v3-core (v3.0.x) and aave-dao/aave-v3-origin (v3.1+) release tags; see docs/aave-revisions.md. */
const POOL_REVISIONS: Readonly<Record<number, RevisionRow>> = {
  // v3.0.2's code (our @aave/core-v3 1.19.3) says 0x1; Ethereum deployed the same logic as revisions 2 and 3.
  1: { release: "v3.0.x", rules: "v3.0" },
  2: { release: "v3.0.2", rules: "v3.0" },
  3: { release: "v3.0.2 (aave-v3-factory build)", rules: "v3.0" },
  4: { release: "v3.1.0", refusal: "v3.1's virtual accounting is not modelled" },
  5: { release: "v3.2.0", refusal: "v3.2's liquid E-mode liquidation path is not modelled" },
  6: { release: "v3.2.1", refusal: "v3.2's liquid E-mode liquidation path is not modelled" },
  7: { release: "v3.3.0", refusal: "v3.3's rules are modelled with v3.5's rounding only; v3.3/v3.4 round differently" },
  8: { release: "v3.4.0", refusal: "v3.4's rules are modelled with v3.5's rounding only; v3.3/v3.4 round differently" },
  // Ethereum's Pool at the pinned block 23,549,000 (AIP 353, "Upgrade Aave instances to v3.5").
  9: { release: "v3.5.0", rules: "v3.5" },
  // v3.6 changes no liquidation amount for collateral with a non-zero reserve liquidation threshold.
  10: { release: "v3.6.0", rules: "v3.5" },
};

export interface AaveRevisionRules {
  revision: number;
  release: string;
  rules: AaveRules;
}

/** The rules of a Pool revision, or an error naming the revision and why the model refuses it. */
export function aaveRulesOf(revision: bigint): AaveRevisionRules {
  const row = POOL_REVISIONS[Number(revision)];
  if (row?.rules !== undefined) return { revision: Number(revision), release: row.release, rules: row.rules };
  const modelled = Object.entries(POOL_REVISIONS)
    .filter(([, r]) => r.rules !== undefined)
    .map(([k]) => k)
    .join(", ");
  throw new InputError(
    "Aave Pool revision",
    `revision ${revision}${row ? ` (${row.release})` : ""} is not modelled${row?.refusal ? `: ${row.refusal}` : ""}`,
    `the model covers revisions ${modelled}; run on a chain whose Pool runs one of them`,
  );
}
