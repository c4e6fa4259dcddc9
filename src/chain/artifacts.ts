/**
 * Loads the real protocol artifacts shipped in npm packages (Aave V3, Uniswap V3) and links library addresses
 * into their bytecode. Nothing here recompiles those protocols.
 */
import fs from "fs";
import path from "path";
import { ContractFactory, InterfaceAbi, Signer } from "ethers";

export interface LinkReference {
  start: number;
  length: number;
}

export interface NpmArtifact {
  contractName: string;
  sourceName: string;
  abi: InterfaceAbi;
  bytecode: string;
  deployedBytecode: string;
  linkReferences: Record<string, Record<string, LinkReference[]>>;
  deployedLinkReferences: Record<string, Record<string, LinkReference[]>>;
}

/** Where each protocol's artifacts live inside its npm package. */
export const ARTIFACT_ROOTS = {
  aave: "@aave/core-v3/artifacts/contracts",
  uniswapCore: "@uniswap/v3-core/artifacts/contracts",
  uniswapPeriphery: "@uniswap/v3-periphery/artifacts/contracts",
  // Curve's Vyper pool and LP token as Set Protocol ships them compiled (no Vyper compiler is reachable offline).
  curve: "@setprotocol/set-protocol-v2/external/abi/curve",
} as const;

const cache = new Map<string, NpmArtifact>();

/** e.g. loadNpmArtifact("aave", "protocol/pool/Pool.sol/Pool.json") */
export function loadNpmArtifact(root: keyof typeof ARTIFACT_ROOTS, relPath: string): NpmArtifact {
  const key = `${root}:${relPath}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const file = require.resolve(`${ARTIFACT_ROOTS[root]}/${relPath}`);
  const artifact = JSON.parse(fs.readFileSync(file, "utf8")) as NpmArtifact;
  cache.set(key, artifact);
  return artifact;
}

/** Library name → deployed address (names as they appear in linkReferences, e.g. "BorrowLogic"). */
export type Libraries = Record<string, string>;

/** Replaces library placeholders at the offsets the compiler recorded. Throws if a library is missing. */
function linkBytecode(
  bytecode: string,
  refs: Record<string, Record<string, LinkReference[]>>,
  libraries: Libraries,
  what: string,
): string {
  let code = bytecode.startsWith("0x") ? bytecode.slice(2) : bytecode;
  for (const [, libs] of Object.entries(refs)) {
    for (const [name, positions] of Object.entries(libs)) {
      const address = libraries[name];
      if (address === undefined) throw new Error(`${what}: library ${name} must be deployed and linked first`);
      const hex = address.toLowerCase().replace(/^0x/, "");
      for (const { start, length } of positions) {
        code = code.slice(0, start * 2) + hex.padStart(length * 2, "0") + code.slice((start + length) * 2);
      }
    }
  }
  return `0x${code}`;
}

export function factoryFor(artifact: NpmArtifact, signer: Signer, libraries: Libraries = {}): ContractFactory {
  const bytecode = linkBytecode(artifact.bytecode, artifact.linkReferences, libraries, artifact.contractName);
  return new ContractFactory(artifact.abi, bytecode, signer);
}

/** The linked runtime bytecode an npm artifact should have on chain (before immutables are filled in). */
export function linkedDeployedBytecode(artifact: NpmArtifact, libraries: Libraries): string {
  return linkBytecode(artifact.deployedBytecode, artifact.deployedLinkReferences, libraries, artifact.contractName);
}

interface BuildInfoContract {
  evm: { deployedBytecode: { immutableReferences?: Record<string, LinkReference[]> } };
}

/** Immutable slots of a contract from the package's build-info (Aave ships one), for exact bytecode checks. */
export function aaveImmutableReferences(sourceName: string, contractName: string): LinkReference[] {
  const dir = path.dirname(require.resolve(`${ARTIFACT_ROOTS.aave}/protocol/pool/Pool.sol/Pool.json`));
  const buildInfoDir = path.join(dir, "..", "..", "..", "..", "build-info");
  for (const f of fs.readdirSync(buildInfoDir)) {
    const info = JSON.parse(fs.readFileSync(path.join(buildInfoDir, f), "utf8")) as {
      output: { contracts: Record<string, Record<string, BuildInfoContract>> };
    };
    const c = info.output.contracts[sourceName]?.[contractName];
    if (c) return Object.values(c.evm.deployedBytecode.immutableReferences ?? {}).flat();
  }
  throw new Error(`no build-info for ${sourceName}:${contractName}`);
}
