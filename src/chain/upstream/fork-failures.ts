/**
 * A fork that fails, told as one sentence: what happened, and what the user can do. The failure reaches us in one of
 * two forms: an UpstreamFailure thrown by the proxy itself (at start), or the text Hardhat's engine (EDR) wraps
 * around a JSON-RPC error it got from the proxy ("The response reported error `-32099`: `…`. (optional data:
 * Some(Object {…})). Request: {…}"). Neither holds the RPC URL's secret: the engine only ever sees the proxy's URL,
 * and the proxy redacts everything it says about the upstream; `redact` is applied once more all the same.
 */
import { InputError } from "../../errors";
import { FailureKind, UPSTREAM_FAILURE_CODE, UpstreamFailure } from "./failures";

/** What each kind of upstream failure asks of the user, and which flag it is about. */
const WHAT_TO_DO: Record<FailureKind, { field: string; fix: string }> = {
  "rate-limited": {
    field: "--fork-url",
    fix: "wait a minute and run again (answers already fetched are cached), or use an RPC plan with a higher rate limit",
  },
  "http-error": { field: "--fork-url", fix: "the RPC is failing: run again later, or use another RPC" },
  rejected: { field: "--fork-url", fix: "check the URL and the API key it carries" },
  timeout: { field: "--fork-url", fix: "the RPC is slow or down: run again later, or use another RPC" },
  connection: { field: "--fork-url", fix: "check the host and port in --fork-url, and that this machine can reach it" },
  "bad-response": { field: "--fork-url", fix: "check that --fork-url is an Ethereum JSON-RPC endpoint" },
  "wrong-chain": {
    field: "--fork-url",
    fix: "give an RPC of the chain --profile describes, or another --fork-cache folder",
  },
  "no-block": {
    field: "--fork-block",
    fix: "give a block the RPC has (at most its latest), or an archive RPC for an old block",
  },
  closed: { field: "--fork-url", fix: "the run was stopped while the RPC was being asked: run again" },
};

/** What a node without the state of an old block says (geth, erigon, nethermind, reth, providers' wordings). */
const PRUNED_STATE =
  /missing trie node|state (?:\S+ )?(?:is )?not available|header not found|pruned|historical state|archive node|state histories/i;

const ENGINE_ERROR =
  /The response reported error `(-?\d+)`: `([\s\S]*?)`\. \(optional data: ([\s\S]*?)\)\. Request: ([\s\S]*)$/;

const oneLine = (text: string): string => text.replace(/\s+/g, " ").trim();

/** The proxy's prefix on failures at start; the sentence says the same without it. */
const START_PREFIX = "fork upstream: cannot start: ";

/**
 * The fork failure `err` stands for, as an InputError naming the flag to change, or undefined when `err` is no fork
 * failure (it is then reported as it is). `forkBlock` names the pinned block in the pruned-state sentence.
 */
export function forkFailure(
  err: unknown,
  redact: (text: string) => string = (t) => t,
  forkBlock?: number,
): InputError | undefined {
  if (err instanceof UpstreamFailure) return fromKind(err.kind, err.message, redact);
  const message = err instanceof Error ? err.message : typeof err === "string" ? err : undefined;
  if (message === undefined) return undefined;
  const m = ENGINE_ERROR.exec(message);
  if (!m) return undefined;
  const [, code, said, data, request] = m;
  if (Number(code) === UPSTREAM_FAILURE_CODE) {
    const kind = /"kind": String\("([a-z-]+)"\)/.exec(data)?.[1] as FailureKind | undefined;
    return fromKind(kind !== undefined && kind in WHAT_TO_DO ? kind : "bad-response", said, redact);
  }
  const method = /"method":"([A-Za-z0-9_]+)"/.exec(request)?.[1] ?? "a call";
  const at = forkBlock === undefined ? "the fork block" : `block ${forkBlock}`;
  if (PRUNED_STATE.test(said)) {
    return new InputError(
      "--fork-block",
      oneLine(redact(`the RPC has no state at ${at} (it answered ${method} with "${said}")`)),
      "use an archive RPC, or a recent --fork-block that a full node still holds",
    );
  }
  return new InputError(
    "--fork-url",
    oneLine(redact(`the RPC answered ${method} with error ${code}: ${said}`)),
    "check that --fork-url serves the chain --profile describes, at --fork-block",
  );
}

function fromKind(kind: FailureKind, message: string, redact: (text: string) => string): InputError {
  const said = message.startsWith(START_PREFIX) ? message.slice(START_PREFIX.length) : message;
  const { field, fix } = WHAT_TO_DO[kind];
  return new InputError(field, oneLine(redact(said)), fix);
}
