/**
 * Which chain a session opens, decided from the command-line values alone (no chain touched), so every refusal is
 * made, and tested, before anything is deployed or forked.
 */
import { DEFAULT_AAVE_RELEASE, type AaveRelease } from "../domain/aave-release";
import { aaveReleaseFrom } from "../domain/aave-release";
import { InputError } from "../errors";
import { forkBlockFrom, outputPathFrom } from "../domain/flag-values";

/** `--profile mainnet`: the profile of Ethereum mainnet, built on chain at the fork block (src/chain/profiles/mainnet.ts). */
export const MAINNET_PROFILE = "mainnet";

/** The chain flags a task accepts, as typed (strings, unchecked). */
export interface SessionFlags {
  /** Fork mode: the archive RPC URL (secret; never printed). */
  forkUrl?: string;
  /** Fork mode: the pinned block, a decimal string. */
  forkBlock?: string;
  /** Fork mode: the chain profile; without a fork URL, a deployments file recording the chain on the node. */
  profile?: string;
  /** Fork mode: the fork cache directory. */
  forkCache?: string;
  /** Embedded chain only: which Aave logic to deploy (default: the origin line). */
  aaveRelease?: string;
  /** Embedded chain only: also deploy the Curve stable-swap pool (EMBEDDED_CURVE_USDE_POOL). */
  curve?: boolean;
}

/** The environment variables a session reads. */
export interface SessionEnv {
  /** Stands in for --fork-url once --profile says which chain it serves. */
  MAINNET_RPC_URL?: string;
}

export type SessionMode =
  | { kind: "fork"; forkUrl: string; forkBlock?: number; profile: string; cacheDir?: string }
  | { kind: "recorded"; profile: string }
  | { kind: "embedded"; aaveRelease: AaveRelease; curve: boolean };

/**
 * Fork mode when --fork-url (or MAINNET_RPC_URL with --profile) is given; else the deployment --profile records on
 * the node; else the embedded chain. The fork refuses the embedded chain's flags and needs a profile.
 */
export function sessionMode(flags: SessionFlags, env: SessionEnv = {}): SessionMode {
  const forkUrl = flags.forkUrl ?? (flags.profile ? env.MAINNET_RPC_URL : undefined);
  const release = flags.aaveRelease === undefined ? undefined : aaveReleaseFrom(flags.aaveRelease, "--aave-release");
  if (forkUrl) return forkMode(forkUrl, flags, release);
  // A recorded deployment runs whatever it records: --aave-release and --curve only shape a new embedded chain.
  if (flags.profile) return { kind: "recorded", profile: flags.profile };
  return { kind: "embedded", aaveRelease: release ?? DEFAULT_AAVE_RELEASE, curve: flags.curve === true };
}

function forkMode(forkUrl: string, flags: SessionFlags, release: AaveRelease | undefined): SessionMode {
  if (release !== undefined) {
    throw new InputError(
      "--aave-release",
      "applies to the embedded chain only: a fork runs whatever Aave the forked chain runs",
      "drop --aave-release in fork mode",
    );
  }
  if (flags.curve) {
    throw new InputError(
      "--curve",
      "applies to the embedded chain only: a fork has the Curve pools of its profile",
      "drop --curve in fork mode",
    );
  }
  if (!flags.profile) {
    throw new InputError(
      "--profile",
      "fork mode needs a chain profile",
      "--profile mainnet, or a deployments file such as deployments/embedded.json for a local upstream",
    );
  }
  const forkBlock = flags.forkBlock === undefined ? undefined : forkBlockFrom(flags.forkBlock);
  const cacheDir = flags.forkCache === undefined ? undefined : outputPathFrom(flags.forkCache, "--fork-cache");
  return { kind: "fork", forkUrl, forkBlock, profile: flags.profile, cacheDir };
}
