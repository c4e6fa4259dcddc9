/** The Hardhat side of a session: the selected network's provider, accounts and fork reset, handed to src/session. */
import type { HardhatRuntimeEnvironment } from "hardhat/types";
import type { HardhatEthersSigner } from "@nomicfoundation/hardhat-ethers/signers";
import type { Session, SessionChain, SessionFlags } from "../src/session";
import type { BackendChain } from "../src/session/backend";
import { cacheReads } from "../src/chain/read-cache";

/** The selected network as plain values: no Hardhat type reaches the library. */
async function hardhatChain(hre: HardhatRuntimeEnvironment): Promise<SessionChain<HardhatEthersSigner>> {
  // Repeated reads between two writes are answered once (src/chain/read-cache.ts); installed once per network.
  cacheReads(hre.network.provider);
  return {
    provider: hre.ethers.provider,
    signers: await hre.ethers.getSigners(),
    resetForking: async (jsonRpcUrl, blockNumber) => {
      const params = [{ forking: { jsonRpcUrl, blockNumber } }];
      await hre.network.provider.request({ method: "hardhat_reset", params });
    },
  };
}

/**
 * The node a scenario or sweep runs on (--backend, else LOOPSTRESS_BACKEND, else anvil): anvil started for the
 * command, or Hardhat's in-process network. With --network, the selected network. The caller closes it.
 */
export async function openTaskChain(hre: HardhatRuntimeEnvironment, backendFlag?: string): Promise<BackendChain> {
  const { chooseBackend, openAnvilChain } = await import("../src/session/backend");
  const backend = chooseBackend(backendFlag, process.env, hre.network.name);
  if (backend === "anvil") return openAnvilChain();
  return { ...(await hardhatChain(hre)), backend, close: async () => undefined };
}

/** Opens the session the task's chain flags choose (embedded, a recorded deployment, or a fork). */
export async function openTaskSession(
  hre: HardhatRuntimeEnvironment,
  flags: SessionFlags,
): Promise<Session<HardhatEthersSigner>> {
  const { openSession } = await import("../src/session");
  return openSession(await hardhatChain(hre), flags);
}
