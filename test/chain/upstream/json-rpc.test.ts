import { expect } from "chai";
import {
  decodeAnswers,
  encodeCalls,
  errorResponse,
  idOfInvalidRequest,
  isJsonRpcRequest,
  isJsonRpcResponse,
  isWholeBatchError,
  redactRpcError,
} from "../../../src/chain/upstream/json-rpc";

const redact = (text: string) => text.split("SECRET").join("<redacted>");

describe("upstream JSON-RPC messages", function () {
  it("encodeCalls: one call as an object, several as a batch, ids 1..n, params [] by default", function () {
    expect(encodeCalls([{ method: "eth_chainId" }])).to.deep.equal({
      payload: '{"jsonrpc":"2.0","id":1,"method":"eth_chainId","params":[]}',
      ids: [1],
      batch: false,
    });
    const two = encodeCalls([{ method: "eth_chainId" }, { method: "eth_getCode", params: ["0x1", "0x5"] }]);
    expect(two.ids).to.deep.equal([1, 2]);
    expect(two.batch).to.equal(true);
    expect(JSON.parse(two.payload)).to.deep.equal([
      { jsonrpc: "2.0", id: 1, method: "eth_chainId", params: [] },
      { jsonrpc: "2.0", id: 2, method: "eth_getCode", params: ["0x1", "0x5"] },
    ]);
  });

  it("isJsonRpcResponse: an id, and a result or an error with a numeric code", function () {
    expect(isJsonRpcResponse({ id: 1, result: null })).to.equal(true);
    expect(isJsonRpcResponse({ id: null, error: { code: -32600, message: "x" } })).to.equal(true);
    expect(isJsonRpcResponse({ id: 1, error: { code: "bad" } })).to.equal(false);
    expect(isJsonRpcResponse({ id: 1, error: "bad" })).to.equal(false);
    expect(isJsonRpcResponse({ result: "0x1" })).to.equal(false);
    expect(isJsonRpcResponse({ id: 1 })).to.equal(false);
    expect(isJsonRpcResponse([{ id: 1, result: 1 }])).to.equal(false);
  });

  it("requests: valid with a method name; an invalid one is answered with its id when usable", function () {
    expect(isJsonRpcRequest({ method: "eth_chainId" })).to.equal(true);
    expect(isJsonRpcRequest({ method: 1 })).to.equal(false);
    expect(isJsonRpcRequest(["eth_chainId"])).to.equal(false);
    expect(idOfInvalidRequest({ id: "x" })).to.equal("x");
    expect(idOfInvalidRequest({ id: 4 })).to.equal(4);
    expect(idOfInvalidRequest({ id: { nested: 1 } })).to.equal(null);
    expect(idOfInvalidRequest(42)).to.equal(null);
    expect(errorResponse(3, -32600, "Invalid Request")).to.deep.equal({
      jsonrpc: "2.0",
      id: 3,
      error: { code: -32600, message: "Invalid Request" },
    });
  });

  it("isWholeBatchError: one error object answering a batch", function () {
    expect(isWholeBatchError({ id: null, error: { code: -32600 } }, true)).to.equal(true);
    expect(isWholeBatchError({ id: null, error: { code: -32600 } }, false)).to.equal(false);
    expect(isWholeBatchError([{ id: null, error: { code: -32600 } }], true)).to.equal(false);
    expect(isWholeBatchError({ id: 1, result: "0x" }, true)).to.equal(false);
  });

  it("redactRpcError: message and string data redacted, other fields kept", function () {
    expect(redactRpcError({ code: -32000, message: "bad key SECRET", data: "at /SECRET" }, redact)).to.deep.equal({
      code: -32000,
      message: "bad key <redacted>",
      data: "at /<redacted>",
    });
    expect(redactRpcError({ code: 3, message: "reverted", data: { raw: "SECRET" } }, redact)).to.deep.equal({
      code: 3,
      message: "reverted",
      data: { raw: "SECRET" },
    });
  });

  it("decodeAnswers: by id in the calls' order, the first answer to an id counting; whole-batch errors", function () {
    const body = [
      { jsonrpc: "2.0", id: 2, error: { code: -32000, message: "SECRET" } },
      { jsonrpc: "2.0", id: 1, result: "0x1" },
      { jsonrpc: "2.0", id: 1, result: "0xdup" },
    ];
    expect(decodeAnswers(body, [1, 2], true, redact)).to.deep.equal([
      { result: "0x1" },
      { error: { code: -32000, message: "<redacted>" } },
    ]);
    const single = { jsonrpc: "2.0", id: 1, result: null };
    expect(decodeAnswers(single, [1], false, redact)).to.deep.equal([{ result: null }]);
    const whole = { jsonrpc: "2.0", id: null, error: { code: -32005, message: "batch too large" } };
    const all = decodeAnswers(whole, [1, 2, 3], true, redact);
    expect(all).to.deep.equal([1, 2, 3].map(() => ({ error: { code: -32005, message: "batch too large" } })));
  });
});
