import { keccak_256 } from "@noble/hashes/sha3";
import {
  Contract,
  ErrorFragment,
  EventFragment,
  FunctionFragment,
  Interface,
  keccak256,
  type ContractRunner,
  type InterfaceAbi,
} from "ethers";

/** A TypeChain factory: its ABI and its `connect`. */
interface ContractFactory<C> {
  readonly abi: InterfaceAbi;
  connect(address: string, runner?: ContractRunner | null): C;
}

const interfaces = new WeakMap<object, Interface>();

/**
 * Fixes each fragment's selector and topic hash as its own value. ethers computes them (a keccak of the signature) at
 * every read, and reads them for every call it encodes and, to find a log's event, for each event of the ABI it tries:
 * about 1.4 s of the canonical run's CPU. The values are the same ones, kept.
 */
function keepHashes(iface: Interface): Interface {
  for (const fragment of iface.fragments) {
    if (fragment instanceof FunctionFragment || fragment instanceof ErrorFragment)
      Object.defineProperty(fragment, "selector", { value: fragment.selector });
    else if (fragment instanceof EventFragment)
      Object.defineProperty(fragment, "topicHash", { value: fragment.topicHash });
  }
  return iface;
}

/** An address's 40 hex digits: what ethers hashes to checksum it. */
const ADDRESS_HEX_BYTES = 40;
/** A bound on the checksums kept (a run meets a few thousand addresses); past it, new ones are hashed each time. */
const MAX_KEPT_CHECKSUMS = 100_000;
let checksumsKept = false;

/**
 * Keeps the hash ethers checksums each address with. ethers checksums every address it encodes, decodes or resolves
 * (getAddress: a keccak of the 40 lowercase hex digits), the same few thousand addresses over and over: about 1.7 s
 * of the canonical run's CPU. Through keccak256's own hook (keccak256.register), a 40-byte input hashed before is
 * answered from memory; every input is hashed by the same keccak as ethers' own (@noble/hashes).
 */
function keepAddressChecksums(): void {
  if (checksumsKept) return;
  checksumsKept = true;
  const kept = new Map<string, Uint8Array>();
  keccak256.register((data: Uint8Array): Uint8Array => {
    if (data.length !== ADDRESS_HEX_BYTES) return keccak_256(data);
    const key = Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString("latin1");
    let hash = kept.get(key);
    if (hash === undefined) {
      hash = keccak_256(data);
      if (kept.size < MAX_KEPT_CHECKSUMS) kept.set(key, hash);
    }
    // ethers copies the hash into hex and never writes to it, but a caller of the hook could: each gets its own.
    return hash.slice();
  });
}

/**
 * `factory.connect(address, runner)` with the factory's ABI parsed once per process: TypeChain's `connect` parses it
 * into a new ethers `Interface` at every call, which for the Pool's or the data provider's ABI costs more than the
 * read the binding is made for, and the harness binds contracts for every read. Each fragment's hashes are kept.
 */
export function bindContract<C>(factory: ContractFactory<C>, address: string, runner: ContractRunner | null): C {
  keepAddressChecksums();
  let iface = interfaces.get(factory);
  if (!iface) {
    iface = keepHashes(Interface.from(factory.abi));
    interfaces.set(factory, iface);
  }
  return new Contract(address, iface, runner) as unknown as C;
}
