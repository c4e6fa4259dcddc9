/**
 * JSON-RPC batches: calls known without the upstream are answered locally and the rest are forwarded as one upstream
 * batch (in chunks of `maxBatchSize`, sent at once); answers go back in the order of the client's batch, with the
 * client's ids.
 */
import { upstreamFailureOf } from "./failures";
import {
  Call,
  INVALID_REQUEST_CODE,
  JsonRpcRequest,
  JsonRpcResponse,
  Outcome,
  errorResponse,
  idOfInvalidRequest,
  isJsonRpcRequest,
} from "./json-rpc";
import { ProxyStats, countFailure } from "./stats";

export interface AnswerDeps {
  stats: ProxyStats;
  /** An answer known without the upstream, or undefined: the call is forwarded. */
  answerLocally: (req: JsonRpcRequest) => { result: unknown } | undefined;
  /** The outcomes of the forwarded calls, in their order. */
  forward: (calls: Call[]) => Promise<Outcome[]>;
  /** Told each result the upstream gave (to keep it). */
  onResult: (req: JsonRpcRequest, result: unknown) => void;
  log: (line: string) => void;
}

/** Answers a client's calls (a batch, or one call as a batch of one), in their order. */
export async function answerCalls(reqs: readonly unknown[], deps: AnswerDeps): Promise<JsonRpcResponse[]> {
  deps.stats.clientCalls += reqs.length;
  const out: JsonRpcResponse[] = new Array<JsonRpcResponse>(reqs.length);
  const misses: { index: number; req: JsonRpcRequest }[] = [];
  reqs.forEach((raw, index) => {
    if (!isJsonRpcRequest(raw)) {
      out[index] = errorResponse(idOfInvalidRequest(raw), INVALID_REQUEST_CODE, "Invalid Request");
      return;
    }
    const local = deps.answerLocally(raw);
    if (local) out[index] = { jsonrpc: "2.0", id: raw.id ?? null, result: local.result };
    else misses.push({ index, req: raw });
  });
  if (misses.length === 0) return out;
  const outcomes = await deps.forward(misses.map(({ req }) => ({ method: req.method, params: req.params })));
  const reported = new Set<Outcome>();
  misses.forEach(({ index, req }, i) => {
    const o = outcomes[i];
    const id = req.id ?? null;
    if ("error" in o) {
      out[index] = { jsonrpc: "2.0", id, error: o.error };
      // One failure of a forwarded chunk is one outcome shared by its calls: counted for all of them, reported once.
      if (!reported.has(o)) {
        reported.add(o);
        reportFailure(o, outcomes, deps);
      }
      return;
    }
    out[index] = { jsonrpc: "2.0", id, result: o.result };
    deps.onResult(req, o.result);
  });
  return out;
}

function reportFailure(o: Outcome, outcomes: readonly Outcome[], deps: AnswerDeps): void {
  const failure = upstreamFailureOf(o);
  if (failure === undefined) return;
  const calls = outcomes.filter((x) => x === o).length;
  countFailure(deps.stats, failure.kind, failure.message, calls);
  deps.log(`fork upstream: ${failure.message}`);
}

export interface ForwardDeps {
  /** Largest batch sent upstream. */
  maxBatchSize: number;
  /** Resolves when calls may be forwarded (the chain id is checked); its rejection fails every call. */
  ready: () => Promise<void>;
  /** Sends one chunk; rejects when the upstream could not answer it. */
  send: (chunk: Call[]) => Promise<Outcome[]>;
  /** The outcome of every call kept from the upstream by `err`. */
  toFailure: (err: unknown) => Outcome;
}

/** The outcome of each call, in order: sent in chunks of `maxBatchSize`, all chunks at once. */
export async function forwardCalls(calls: readonly Call[], deps: ForwardDeps): Promise<Outcome[]> {
  try {
    await deps.ready();
  } catch (err) {
    return sameOutcomeForAll(calls, deps.toFailure(err));
  }
  const answers = await Promise.all(
    chunk(calls, deps.maxBatchSize).map(async (c) => {
      try {
        return await deps.send(c);
      } catch (err) {
        return sameOutcomeForAll(c, deps.toFailure(err));
      }
    }),
  );
  return answers.flat();
}

export function sameOutcomeForAll(calls: readonly Call[], o: Outcome): Outcome[] {
  return calls.map(() => o);
}

/** `items` in consecutive pieces of at most `size` (taken as 1 when smaller). */
export function chunk<T>(items: readonly T[], size: number): T[][] {
  const step = Math.max(1, size);
  const pieces: T[][] = [];
  for (let i = 0; i < items.length; i += step) pieces.push(items.slice(i, i + step));
  return pieces;
}
