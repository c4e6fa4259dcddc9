import { Contract, Interface, type ContractRunner, type InterfaceAbi } from "ethers";

/** A TypeChain factory: its ABI and its `connect`. */
interface ContractFactory<C> {
  readonly abi: InterfaceAbi;
  connect(address: string, runner?: ContractRunner | null): C;
}

const interfaces = new WeakMap<object, Interface>();

/**
 * `factory.connect(address, runner)` with the factory's ABI parsed once per process: TypeChain's `connect` parses it
 * into a new ethers `Interface` at every call, which for the Pool's or the data provider's ABI costs more than the
 * read the binding is made for, and the harness binds contracts for every read.
 */
export function bindContract<C>(factory: ContractFactory<C>, address: string, runner: ContractRunner | null): C {
  let iface = interfaces.get(factory);
  if (!iface) {
    iface = Interface.from(factory.abi);
    interfaces.set(factory, iface);
  }
  return new Contract(address, iface, runner) as unknown as C;
}
