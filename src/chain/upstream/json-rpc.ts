/** JSON-RPC 2.0 as the proxy speaks it: message shapes, standard error codes, one upstream request's encoding. */

export type JsonRpcId = string | number | null;

export interface JsonRpcRequest {
  jsonrpc?: string;
  id?: JsonRpcId;
  method: string;
  params?: unknown;
}

export interface JsonRpcErrorObject {
  code: number;
  message: string;
  data?: unknown;
}

export interface JsonRpcResponse {
  jsonrpc: "2.0";
  id: JsonRpcId;
  result?: unknown;
  error?: JsonRpcErrorObject;
}

/** A call as it is forwarded: the client's id stays with the proxy, the upstream sees ids of ours. */
export interface Call {
  method: string;
  params?: unknown;
}

/** What the upstream said to one call: a result or a JSON-RPC error (its own, or ours when it could not answer). */
export type Outcome = { result: unknown } | { error: JsonRpcErrorObject };

/** Calls encoded as one upstream HTTP request body, with the ids the answers must carry. */
export interface EncodedCalls {
  payload: string;
  ids: number[];
  batch: boolean;
}

export const PARSE_ERROR_CODE = -32700;
export const INVALID_REQUEST_CODE = -32600;
export const INTERNAL_ERROR_CODE = -32603;

export const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === "object" && v !== null && !Array.isArray(v);

export function isJsonRpcResponse(v: unknown): v is JsonRpcResponse {
  if (!isObject(v) || !("id" in v)) return false;
  if ("error" in v) return isObject(v.error) && typeof v.error.code === "number";
  return "result" in v;
}

/** A request the proxy can answer: an object with a method name. */
export function isJsonRpcRequest(v: unknown): v is JsonRpcRequest & Record<string, unknown> {
  return isObject(v) && typeof v.method === "string";
}

/** The id to answer an invalid request with: its own when it has a usable one. */
export function idOfInvalidRequest(v: unknown): JsonRpcId {
  return isObject(v) && (typeof v.id === "string" || typeof v.id === "number") ? v.id : null;
}

export function errorResponse(id: JsonRpcId, code: number, message: string): JsonRpcResponse {
  return { jsonrpc: "2.0", id, error: { code, message } };
}

/** One body for all the calls: ids 1..n, and a batch only when there is more than one call. */
export function encodeCalls(calls: readonly Call[]): EncodedCalls {
  const batch = calls.length > 1;
  const ids = calls.map((_, i) => i + 1);
  const requests = calls.map((c, i) => ({ jsonrpc: "2.0", id: ids[i], method: c.method, params: c.params ?? [] }));
  return { payload: JSON.stringify(batch ? requests : requests[0]), ids, batch };
}

/** A single error object in answer to a batch ("batch too large"): an answer to every call of it. */
export function isWholeBatchError(body: unknown, batch: boolean): body is { error: Record<string, unknown> } {
  return batch && !Array.isArray(body) && isObject(body) && isObject(body.error);
}

/** The upstream's error with the upstream's secrets removed from its texts. */
export function redactRpcError(e: JsonRpcErrorObject, redact: (text: string) => string): JsonRpcErrorObject {
  const out: JsonRpcErrorObject = { ...e, message: redact(String(e.message)) };
  if (typeof e.data === "string") out.data = redact(e.data);
  return out;
}

/**
 * The outcome of each call, in the order of `ids`, from a body already checked to answer every id (or to be a
 * whole-batch error). When an id is answered twice, the first answer counts.
 */
export function decodeAnswers(
  body: unknown,
  ids: readonly number[],
  batch: boolean,
  redact: (text: string) => string,
): Outcome[] {
  if (isWholeBatchError(body, batch)) {
    const error = body.error as unknown as JsonRpcErrorObject;
    return ids.map(() => ({ error: redactRpcError(error, redact) }));
  }
  const byId = new Map<JsonRpcId, JsonRpcResponse>();
  for (const resp of (Array.isArray(body) ? body : [body]) as JsonRpcResponse[]) {
    if (!byId.has(resp.id)) byId.set(resp.id, resp);
  }
  return ids.map((id) => {
    const resp = byId.get(id)!;
    return resp.error ? { error: redactRpcError(resp.error, redact) } : { result: resp.result };
  });
}
