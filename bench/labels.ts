/**
 * Names the bench scripts share. A module of its own, without side effects: importing a bench script would run it (each
 * script starts its work when loaded, as `hardhat run` expects).
 */

/** The figures' name for a run through --network localhost (a `hardhat node` over HTTP). */
export const HTTP_NODE = "hardhat node (HTTP)";

/** Hardhat's in-process network; any other --network is a node over HTTP. */
export const IN_PROCESS_NETWORK = "hardhat";
