import {
  Contract,
  ErrorFragment,
  EventFragment,
  FunctionFragment,
  Interface,
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

/**
 * `factory.connect(address, runner)` with the factory's ABI parsed once per process: TypeChain's `connect` parses it
 * into a new ethers `Interface` at every call, which for the Pool's or the data provider's ABI costs more than the
 * read the binding is made for, and the harness binds contracts for every read. Each fragment's hashes are kept.
 */
export function bindContract<C>(factory: ContractFactory<C>, address: string, runner: ContractRunner | null): C {
  let iface = interfaces.get(factory);
  if (!iface) {
    iface = keepHashes(Interface.from(factory.abi));
    interfaces.set(factory, iface);
  }
  return new Contract(address, iface, runner) as unknown as C;
}
