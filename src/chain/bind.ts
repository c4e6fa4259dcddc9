import { keccak_256 } from "@noble/hashes/sha3";
import { rpc, type RpcProvider } from "./rpc";
import {
  Contract,
  ErrorFragment,
  type Result,
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
  return readsDirect(new Contract(address, iface, runner), iface) as unknown as C;
}

/** Whether a runner (or its provider) speaks raw JSON-RPC, as every provider the harness uses does. */
function hasSend(x: unknown): x is RpcProvider {
  return typeof (x as { send?: unknown } | null)?.send === "function";
}

type ContractMethod = (...args: unknown[]) => Promise<unknown>;

/** The view and pure functions of an ABI, by every name a caller can use for them (bare when not overloaded). */
const viewsByInterface = new WeakMap<Interface, Map<string, FunctionFragment>>();

function viewsOf(iface: Interface): Map<string, FunctionFragment> {
  let views = viewsByInterface.get(iface);
  if (views) return views;
  views = new Map();
  const functions = iface.fragments.filter((f): f is FunctionFragment => f instanceof FunctionFragment);
  for (const f of functions) {
    if (!f.constant) continue;
    views.set(f.format("sighash"), f);
    if (functions.filter((g) => g.name === f.name).length === 1) views.set(f.name, f);
  }
  viewsByInterface.set(iface, views);
  return views;
}

/**
 * Encodings of direct reads and decodings of their answers, kept: the harness asks the same few thousand reads (a
 * balance, a feed, a market's state, an account's health) over and over, and ethers builds its coders again for each
 * encoding and decoding, then checksums every address in it: about a seventh of a scaled run's CPU. A decoded answer
 * can be handed out again because ethers freezes it (a Result, nested Results and primitives). At most
 * MAX_KEPT_CODINGS are kept, the oldest dropped first, and no answer longer than MAX_KEPT_ANSWER_CHARS (a lens's answer
 * for many accounts is asked once).
 */
const MAX_KEPT_CODINGS = 50_000;
const MAX_KEPT_ANSWER_CHARS = 1_024;
const codings = new Map<string, unknown>();
const fragmentIds = new WeakMap<FunctionFragment, number>();
let fragmentsSeen = 0;

/** A number per function fragment, for the keys of the kept codings (two ABIs may share a selector). */
function fragmentId(fragment: FunctionFragment): number {
  const known = fragmentIds.get(fragment);
  if (known !== undefined) return known;
  fragmentsSeen += 1;
  fragmentIds.set(fragment, fragmentsSeen);
  return fragmentsSeen;
}

function keptCoding<V>(key: string, code: () => V): V {
  if (codings.has(key)) return codings.get(key) as V;
  const value = code();
  if (codings.size >= MAX_KEPT_CODINGS) codings.delete(codings.keys().next().value as string);
  codings.set(key, value);
  return value;
}

/** An unambiguous key for arguments made of strings, bigints, numbers, booleans and arrays of them; else undefined. */
function argumentsKey(args: readonly unknown[]): string | undefined {
  let key = "";
  for (const arg of args) {
    if (typeof arg === "string") key += `s${arg.length}:${arg}`;
    else if (typeof arg === "bigint") key += `n${arg};`;
    else if (typeof arg === "number") key += `d${arg};`;
    else if (typeof arg === "boolean") key += arg ? "T" : "F";
    else if (Array.isArray(arg)) {
      const inner = argumentsKey(arg);
      if (inner === undefined) return undefined;
      key += `[${inner.length}:${inner}]`;
    } else return undefined;
  }
  return key;
}

/** `iface.encodeFunctionData(fragment, args)`, answered from memory for arguments encoded before. */
function encodeCall(iface: Interface, fragment: FunctionFragment, args: readonly unknown[]): string {
  const key = argumentsKey(args);
  const encode = () => iface.encodeFunctionData(fragment, args);
  return key === undefined ? encode() : keptCoding(`e${fragmentId(fragment)}|${key}`, encode);
}

/** A direct read's answer as ethers' contract returns it (the one value itself, else the Result), kept. */
function decodeAnswer(iface: Interface, fragment: FunctionFragment, returned: string): unknown {
  const decode = (): unknown => {
    const result: Result = iface.decodeFunctionResult(fragment, returned);
    return result.length === 1 ? result[0] : result;
  };
  return returned.length > MAX_KEPT_ANSWER_CHARS
    ? decode()
    : keptCoding(`d${fragmentId(fragment)}|${returned}`, decode);
}

/**
 * The same eth_call ethers sends for a view function, sent directly: `{ from, to, data }` (from when the runner is a
 * signer; lowercase, in ethers' order, so the read cache sees one request) at "latest", decoded the same way. ethers'
 * own path resolves every argument and address through promises, copies and re-checks the request twice and wraps
 * it for the provider: about a fifth of a scaled run's CPU. Anything this does not handle as ethers would (call
 * overrides, arguments to resolve, no provider, a failed call, whose error ethers decorates) goes the ethers way.
 */
function readsDirect(contract: Contract, iface: Interface): Contract {
  const views = viewsOf(iface);
  const to = String(contract.target).toLowerCase();
  return new Proxy(contract, {
    get(target, name, receiver) {
      const fragment = typeof name === "string" ? views.get(name) : undefined;
      if (fragment === undefined) return Reflect.get(target, name, receiver);
      const viaEthers = (): ContractMethod => Reflect.get(target, name, receiver) as ContractMethod;
      const direct = async (...args: unknown[]): Promise<unknown> => {
        const runner = target.runner;
        const provider = hasSend(runner) ? runner : runner?.provider;
        if (args.length !== fragment.inputs.length || !hasSend(provider)) return viaEthers()(...args);
        let data: string;
        try {
          data = encodeCall(iface, fragment, args);
        } catch {
          return viaEthers()(...args);
        }
        const from =
          runner !== null && "getAddress" in runner && typeof runner.getAddress === "function"
            ? String(await (runner.getAddress as () => Promise<string>)()).toLowerCase()
            : undefined;
        let returned: unknown;
        try {
          returned = await rpc(provider, "eth_call", [
            from === undefined ? { to, data } : { from, to, data },
            "latest",
          ]);
        } catch {
          return viaEthers()(...args);
        }
        return decodeAnswer(iface, fragment, String(returned));
      };
      // The method's other faces (staticCall, send, estimateGas, fragment, ...) are ethers' own.
      return new Proxy(direct, { get: (_, key) => Reflect.get(viaEthers(), key) });
    },
  });
}
