/**
 * Chain manipulations, one job each (like forge-std's cheats). All refuse to run unless the node is a local
 * development node (see safety.ts).
 */
import { AbiCoder, MaxUint256, Signer, keccak256, toBeHex, zeroPadValue } from "ethers";
import { IERC20Metadata__factory, IERC4626__factory } from "../../typechain-types";
import type { ChainContext } from "./context";
import { tokenAddress } from "./context";
import { rpc, RpcProvider, toQuantity } from "./rpc";
import { assertLocalDevNode } from "./safety";
import { sendTx } from "./tx";
import type { TokenSymbol } from "../domain/tokens";
import { bindContract } from "./bind";

/** Sets an account's ether balance. */
export async function setEthBalance(provider: RpcProvider, account: string, weiAmount: bigint): Promise<void> {
  await assertLocalDevNode(provider);
  await rpc(provider, "hardhat_setBalance", [account, toQuantity(weiAmount)]);
}

/** Lets the harness send transactions as `account` (and gives it gas money); returns its signer. */
export async function impersonate(
  provider: RpcProvider & { getSigner(address: string): Promise<Signer> },
  account: string,
  gasWei = 10n ** 21n,
): Promise<Signer> {
  await assertLocalDevNode(provider);
  await rpc(provider, "hardhat_impersonateAccount", [account]);
  await setEthBalance(provider, account, gasWei);
  return provider.getSigner(account);
}

/** Storage slot of `balances[holder]` for a Solidity mapping at `mappingSlot`. */
function mappingSlot(holder: string, mappingSlotIndex: bigint): string {
  return keccak256(AbiCoder.defaultAbiCoder().encode(["address", "uint256"], [holder, mappingSlotIndex]));
}

/**
 * Balance slots found per chain connection (a provider), by token address, with the runtime code they were found in:
 * another deployment on the same chain (a test fixture, a snapshot revert) can put a contract with another layout at
 * the same address. The code is compared as it is, not hashed: a keccak of a token's code in JavaScript at every deal
 * cost more than the deal's own requests.
 */
const balanceSlotsByChain = new WeakMap<RpcProvider, Map<string, { code: string; slot: bigint }>>();

function balanceSlotsOf(provider: RpcProvider): Map<string, { code: string; slot: bigint }> {
  let slots = balanceSlotsByChain.get(provider);
  if (slots === undefined) balanceSlotsByChain.set(provider, (slots = new Map()));
  return slots;
}

/**
 * Finds the storage slot of an ERC-20's balance mapping by probing: write a marker into candidate slots and see
 * which one balanceOf() reports (then restore). Cached per token; known layouts are tried first.
 */
export async function findBalanceSlot(provider: RpcProvider, token: string, maxSlot = 200n): Promise<bigint> {
  await assertLocalDevNode(provider);
  const key = token.toLowerCase();
  const code = await rpc<string>(provider, "eth_getCode", [token, "latest"]);
  const knownBalanceSlots = balanceSlotsOf(provider);
  const cached = knownBalanceSlots.get(key);
  if (cached !== undefined && cached.code === code) return cached.slot;
  const erc20 = bindContract(IERC20Metadata__factory, token, provider);
  const probe = "0x000000000000000000000000000000000000bEEF";
  const marker = 0x1337_1337_1337n;
  for (let i = 0n; i < maxSlot; i++) {
    const slot = mappingSlot(probe, i);
    const before = await rpc<string>(provider, "eth_getStorageAt", [token, slot, "latest"]);
    await rpc(provider, "hardhat_setStorageAt", [token, slot, zeroPadValue(toBeHex(marker), 32)]);
    const seen = await erc20.balanceOf(probe).catch(() => -1n);
    await rpc(provider, "hardhat_setStorageAt", [token, slot, before]);
    if (seen === marker) {
      knownBalanceSlots.set(key, { code, slot: i });
      return i;
    }
  }
  throw new Error(`deal: could not find the balance slot of token ${token} in slots 0..${maxSlot - 1n}`);
}

/** Sets `to`'s balance of an ERC-20 to exactly `amountRaw` by writing its balance slot (probe-and-verify). */
export async function dealErc20(provider: RpcProvider, token: string, to: string, amountRaw: bigint): Promise<void> {
  const slot = await findBalanceSlot(provider, token);
  await rpc(provider, "hardhat_setStorageAt", [token, mappingSlot(to, slot), zeroPadValue(toBeHex(amountRaw), 32)]);
  const got = await bindContract(IERC20Metadata__factory, token, provider).balanceOf(to);
  if (got !== amountRaw)
    throw new Error(`deal: wrote ${amountRaw} to ${token} balance of ${to} but balanceOf returns ${got}`);
}

/**
 * Gives `to` `amountRaw` more of a token. ERC-4626 shares (sUSDe) are minted the real way (deal the asset, deposit),
 * so the vault's books stay consistent; plain ERC-20s are dealt through storage (total supply is not adjusted).
 */
export async function deal(ctx: ChainContext, symbol: TokenSymbol, to: Signer, amountRaw: bigint): Promise<void> {
  const account = await to.getAddress();
  const token = tokenAddress(ctx, symbol);
  if (symbol === "sUSDe") {
    const vault = bindContract(IERC4626__factory, token, to);
    const assets = await vault.previewMint(amountRaw);
    await deal(ctx, "USDe", to, assets);
    const usde = bindContract(IERC20Metadata__factory, tokenAddress(ctx, "USDe"), to);
    await sendTx(ctx.provider, "approve USDe to sUSDe", () => usde.approve(token, MaxUint256));
    await sendTx(ctx.provider, "deposit USDe into sUSDe", () => vault.mint(amountRaw, account));
    return;
  }
  const current = await bindContract(IERC20Metadata__factory, token, ctx.provider).balanceOf(account);
  await dealErc20(ctx.provider, token, account, current + amountRaw);
}

/** Each node's snapshots taken through snapshot(): those still live, and those a revert used up. */
const snapshotsOf = new WeakMap<RpcProvider, { live: Set<string>; usedUp: Set<string> }>();

function snapshotBook(provider: RpcProvider): { live: Set<string>; usedUp: Set<string> } {
  const book = snapshotsOf.get(provider) ?? { live: new Set<string>(), usedUp: new Set<string>() };
  snapshotsOf.set(provider, book);
  return book;
}

/** Snapshot / revert: every manipulation inside a run is reversible. */
export async function snapshot(provider: RpcProvider): Promise<string> {
  await assertLocalDevNode(provider);
  const id = await rpc<string>(provider, "evm_snapshot", []);
  const book = snapshotBook(provider);
  // A node reset (a re-fork) counts its ids from the start again: an id the node gives out is live.
  book.usedUp.delete(id);
  book.live.add(id);
  return id;
}

/**
 * Reverts to a snapshot, which is then used up with every later one, as on Hardhat. anvil deletes the later ones only
 * when it does not run as a fork (a fork keeps them), and answers an unknown id with an error where Hardhat answers
 * false: the snapshots a revert used up are remembered here (ids only grow), so every node ends in the same error.
 */
export async function revertTo(provider: RpcProvider, id: string): Promise<void> {
  const book = snapshotBook(provider);
  const usedUp = new Error(`evm_revert(${id}) failed: snapshot unknown or already used`);
  if (book.usedUp.has(id)) throw usedUp;
  const ok = await rpc<boolean>(provider, "evm_revert", [id]).catch(() => false);
  if (!ok) throw usedUp;
  for (const later of [...book.live].filter((x) => BigInt(x) >= BigInt(id))) {
    book.live.delete(later);
    book.usedUp.add(later);
  }
  book.usedUp.add(id);
}
