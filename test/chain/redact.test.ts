import { expect } from "chai";
import { redactError, redactSecrets, redactUrl, redactorFor, urlSecrets } from "../../src/chain/redact";

describe("redaction of RPC secrets", function () {
  it("redactUrl keeps scheme and host only", function () {
    expect(redactUrl("https://rpc.example.invalid/v2/SECRETKEY123")).to.equal("https://rpc.example.invalid/…");
    expect(redactUrl("https://node.example.invalid/v3/0123456789abcdef?x=1#frag")).to.equal(
      "https://node.example.invalid/…",
    );
    expect(redactUrl("http://127.0.0.1:8545/v2/SECRETKEY123?key=abc")).to.equal("http://127.0.0.1:8545/…");
    expect(redactUrl("https://user:pass@rpc.example.com")).to.equal("https://rpc.example.com/…");
    expect(redactUrl("https://rpc.example.com?apikey=SECRET")).to.equal("https://rpc.example.com/…");
    expect(redactUrl("https://rpc.example.com/")).to.equal("https://rpc.example.com");
    expect(redactUrl("not a url SECRETKEY123")).to.equal("<unparsable url>");
  });

  it("urlSecrets lists the path, its segments, query values and userinfo, not the host", function () {
    const s = urlSecrets("https://user:pa%20ss@rpc.example.com/eth/SECRETKEY123?key=abc&flag");
    expect(s).to.include.members([
      "/eth/SECRETKEY123?key=abc&flag",
      "SECRETKEY123",
      "eth",
      "abc",
      "flag",
      "user",
      "pa%20ss",
      "pa ss",
    ]);
    expect(s).to.not.include("rpc.example.com");
  });

  it("redactSecrets replaces plain, URL-encoded and JSON-escaped occurrences", function () {
    const secrets = ["SECRET/KEY 123"];
    const text = [
      "plain SECRET/KEY 123",
      `encoded ${encodeURIComponent("SECRET/KEY 123")}`,
      `lower-hex ${encodeURIComponent("SECRET/KEY 123").toLowerCase().replace("secret", "SECRET").replace("key", "KEY")}`,
      `uri ${encodeURI("SECRET/KEY 123")}`,
      `json ${JSON.stringify({ u: "SECRET/KEY 123" })}`,
    ].join("\n");
    const out = redactSecrets(text, secrets);
    expect(out).to.not.match(/SECRET|KEY/);
    expect(out.match(/<redacted>/g)).to.have.length(5);
  });

  it("short secrets are redacted only where they stand alone", function () {
    const out = redactSecrets("key=abc, abcdef, 0xabc123, eth_call, /eth/, abc", ["abc", "eth"]);
    expect(out).to.equal("key=<redacted>, abcdef, 0xabc123, eth_call, /<redacted>/, <redacted>");
  });

  it("redactorFor shows the URL redacted and removes every secret part from any text", function () {
    const url = "http://127.0.0.1:9999/v2/SECRETKEY123?key=abc";
    const redact = redactorFor(url);
    const out = redact(
      `fetch ${url} failed; body: {"error":"invalid key SECRETKEY123 (key=abc)"}; path /v2/SECRETKEY123?key=abc`,
    );
    expect(out).to.contain("http://127.0.0.1:9999/…");
    expect(out).to.not.contain("SECRETKEY123");
    expect(out).to.not.contain("abc");
    const err = Object.assign(new Error(`connect ECONNREFUSED for ${url}`), { code: "ECONNREFUSED" });
    expect(redactError(err, redact)).to.equal("connect ECONNREFUSED for http://127.0.0.1:9999/…");
    expect(redactError("SECRETKEY123", redact)).to.equal("<redacted>");
  });
});
