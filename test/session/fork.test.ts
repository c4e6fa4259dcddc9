import { expect } from "chai";
import fs from "fs";
import http from "http";
import type { AddressInfo } from "net";
import os from "os";
import path from "path";
import { DepegReport } from "../../src/report/depeg-report";
import { NodeProcess, runHardhat, startHardhatNode, stopAllNodes } from "../node-process";

/**
 * Fork mode, offline: a local `hardhat node` serving the embedded deployment stands in for mainnet. The depeg task
 * forks it (in-process, through the upstream proxy) with the profile from its deployments file, moves oracles at
 * their existing addresses as the impersonated admin, and liquidates — the mainnet-style code path.
 */
describe("fork mode against a local upstream (depeg --fork-url)", function () {
  this.timeout(120_000);
  const SECRET = "SECRETKEY4242";
  let upstream: NodeProcess;
  let dir: string;

  before(async function () {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "loopstress-fork-"));
    upstream = await startHardhatNode();
    // The upstream runs Aave's origin line, as mainnet does (v3.3+ logic), so the fork path meets its ABI and rules;
    // and a Curve pool, whose coins the fork checks at start-up as it does mainnet's.
    const deploy = await runHardhat(
      [
        "embedded:deploy",
        "--network",
        "localhost",
        "--out",
        path.join(dir, "profile.json"),
        "--quiet",
        "--aave-release",
        "origin-v3.6",
        "--curve",
      ],
      { LOOPSTRESS_LOCALHOST_URL: upstream.url },
    );
    expect(deploy.status, deploy.output).to.equal(0);
    fs.writeFileSync(
      path.join(dir, "fork-test.yaml"),
      [
        "name: fork-test-depeg",
        "loops:",
        '  - { market: "aave-v3:USDe/USDC:emode-2", initialAmount: "100000", rounds: 5, targetLtv: "0.80" }',
        '  - { market: "morpho-blue:USDe/DAI-91.5", initialAmount: "50000", rounds: 4, targetLtv: "0.88" }',
        'path: { feed: USDe/USD, ramp: { from: "1.00", to: "0.65", blocks: 8, points: 8 } }',
        "policies:",
        "  - { aave: market, morpho: market }",
        "  - { aave: pegged-to-USDT, morpho: exchange-rate }",
      ].join("\n"),
    );
  });

  after(async function () {
    await stopAllNodes();
    fs.rmSync(path.join(process.cwd(), "reports", "fork-test-depeg"), { recursive: true, force: true });
  });

  it("runs the scenario on the fork, never shows the URL, and a second run is served from the fork cache", async function () {
    const args = [
      "depeg",
      path.join(dir, "fork-test.yaml"),
      "--brief",
      "--fork-url",
      `${upstream.url}/v2/${SECRET}?apikey=${SECRET}`,
      "--profile",
      path.join(dir, "profile.json"),
      "--fork-cache",
      path.join(dir, "cache"),
    ];
    const first = await runHardhat(args, {});
    expect(first.status, first.output).to.equal(0);
    expect(first.output).to.not.contain(SECRET);
    expect(first.output).to.match(/forking http:\/\/127\.0\.0\.1:\d+\/… at block \d+/);
    const upstreamRequests = Number(/fork: (\d+) upstream request\(s\)/.exec(first.output)?.[1]);
    expect(upstreamRequests).to.be.greaterThan(0);
    const report = JSON.parse(
      fs.readFileSync(path.join("reports", "fork-test-depeg", "report.json"), "utf8"),
    ) as DepegReport;
    // The upstream runs the origin line, so the amounts differ from the embedded v3.0 run's by interest and rounding.
    expect(report.runs[0].totals.liquidations).to.equal(8);
    expect(report.runs[0].totals.repaidUsdWad).to.equal("415584156880673356008723");
    expect(report.runs[1].totals.liquidations).to.equal(0);
    for (const f of fs.readdirSync(path.join("reports", "fork-test-depeg")))
      expect(fs.readFileSync(path.join("reports", "fork-test-depeg", f), "utf8")).to.not.contain(SECRET);

    const second = await runHardhat(args, {});
    expect(second.status, second.output).to.equal(0);
    expect(second.output).to.match(/fork: 0 upstream request\(s\)/);
    const again = JSON.parse(
      fs.readFileSync(path.join("reports", "fork-test-depeg", "report.json"), "utf8"),
    ) as DepegReport;
    expect(again).to.deep.equal(report);
  });

  it("sells on the upstream's Curve pool through the fork, its coins checked at start-up", async function () {
    const r = await runHardhat(
      [
        "swap",
        "--venue",
        "curve:USDe/USDC/USDT/DAI",
        "--sell",
        "USDe",
        "--buy",
        "USDC",
        "--amount",
        "250000",
        "--fork-url",
        upstream.url,
        "--profile",
        path.join(dir, "profile.json"),
        "--fork-cache",
        path.join(dir, "cache-swap"),
      ],
      {},
    );
    expect(r.status, r.output).to.equal(0);
    expect(r.output).to.match(/Sale of 250,000\.00 USDe for USDC on curve:USDe\/USDC\/USDT\/DAI/);
    expect(r.output).to.match(/\| 1\.000000 +\| 0\.99\d+ +\|/); // pool price before and after
  });

  it("finds the upstream's own borrowers from events on the fork and measures what the path does to them", async function () {
    // Someone borrows on the upstream chain (as real users did on mainnet) before the fork block.
    const open = await runHardhat(
      [
        "loop",
        "--network",
        "localhost",
        "--market",
        "aave-v3:USDe/USDC:emode-2",
        "--amount",
        "50000",
        "--rounds",
        "4",
        "--ltv",
        "0.85",
        "--profile",
        path.join(dir, "profile.json"),
      ],
      { LOOPSTRESS_LOCALHOST_URL: upstream.url },
    );
    expect(open.status, open.output).to.equal(0);
    // The loop report says which logic it measured: the upstream runs the origin line.
    expect(open.output).to.contain("Protocol: aave-v3 Pool revision 10.");
    const { JsonRpcProvider } = await import("ethers");
    const up = new JsonRpcProvider(upstream.url, undefined, { staticNetwork: true });
    const block = await up.getBlockNumber();
    up.destroy();
    fs.writeFileSync(
      path.join(dir, "existing.yaml"),
      [
        "name: fork-test-existing",
        'existing: { markets: ["aave-v3:USDe/USDC:emode-2"] }',
        'path: { feed: USDe/USD, ramp: { from: "1.00", to: "0.70", blocks: 6, points: 6 } }',
        "policies: [{ aave: market, morpho: market }]",
      ].join("\n"),
    );
    const r = await runHardhat(
      [
        "depeg",
        path.join(dir, "existing.yaml"),
        "--brief",
        "--fork-url",
        upstream.url,
        "--fork-block",
        String(block),
        "--profile",
        path.join(dir, "profile.json"),
        "--fork-cache",
        path.join(dir, "cache3"),
      ],
      {},
    );
    expect(r.status, r.output).to.equal(0);
    expect(r.output).to.match(/existing positions on aave-v3:USDe\/USDC:emode-2: 1 with debt/);
    const report = JSON.parse(
      fs.readFileSync(path.join("reports", "fork-test-existing", "report.json"), "utf8"),
    ) as DepegReport;
    fs.rmSync(path.join("reports", "fork-test-existing"), { recursive: true, force: true });
    expect(report.runs[0].positions).to.have.length(1);
    expect(report.runs[0].positions[0].loop).to.equal(null);
    expect(report.runs[0].positions[0].liquidations).to.equal(1);
  });

  it("refuses a profile whose contracts are not on the forked chain, naming the field", async function () {
    const bad = JSON.parse(fs.readFileSync(path.join(dir, "profile.json"), "utf8")) as { aave: { pool: string } };
    bad.aave.pool = "0x000000000000000000000000000000000000dEaD";
    fs.writeFileSync(path.join(dir, "bad.json"), JSON.stringify(bad));
    const r = await runHardhat(
      [
        "depeg",
        path.join(dir, "fork-test.yaml"),
        "--fork-url",
        upstream.url,
        "--profile",
        path.join(dir, "bad.json"),
        "--fork-cache",
        path.join(dir, "cache2"),
      ],
      {},
    );
    expect(r.status).to.equal(1);
    expect(r.output).to.match(
      /loopstress: profile embedded: aave\.pool: no contract at 0x000000000000000000000000000000000000dEaD on the fork/,
    );
  });
});

/**
 * A fork that fails, from the command line: a tiny JSON-RPC server on 127.0.0.1 answers badly (or nothing listens),
 * and the task says in one line what happened and what to do — exit 1, no engine text, no secret.
 */
describe("fork failures from the command line", function () {
  this.timeout(120_000);
  const SECRET = "SECRETKEY5151";
  let dir: string;
  const servers: http.Server[] = [];

  before(function () {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "loopstress-fork-fail-"));
  });
  after(async function () {
    for (const s of servers) {
      s.closeAllConnections();
      await new Promise<void>((resolve) => s.close(() => resolve()));
    }
    fs.rmSync(dir, { recursive: true, force: true });
  });

  /** A JSON-RPC server of chain 31337 at head 16 whose answers `mode` spoils. */
  async function badUpstream(mode: "rate-limited" | "no-block"): Promise<string> {
    const server = http.createServer((req, res) => {
      let body = "";
      req.on("data", (c: Buffer) => (body += c.toString("utf8")));
      req.on("end", () => {
        if (mode === "rate-limited") {
          res.writeHead(429, { "content-type": "text/plain" });
          res.end(`slow down, ${SECRET}`);
          return;
        }
        const parsed = JSON.parse(body) as { id: number; method: string } | { id: number; method: string }[];
        const one = (c: { id: number; method: string }) => ({
          jsonrpc: "2.0",
          id: c.id,
          result: c.method === "eth_chainId" ? "0x7a69" : c.method === "eth_blockNumber" ? "0x10" : null,
        });
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify(Array.isArray(parsed) ? parsed.map(one) : one(parsed)));
      });
    });
    servers.push(server);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return `http://127.0.0.1:${(server.address() as AddressInfo).port}/v2/${SECRET}`;
  }

  /** A URL at which nothing listens: a port that was free a moment ago. */
  async function deadUrl(): Promise<string> {
    const s = http.createServer();
    await new Promise<void>((resolve) => s.listen(0, "127.0.0.1", resolve));
    const port = (s.address() as AddressInfo).port;
    await new Promise<void>((resolve) => s.close(() => resolve()));
    return `http://127.0.0.1:${port}/v2/${SECRET}`;
  }

  async function swapOnFork(url: string, cache: string) {
    const args = ["swap", "--sell", "USDe", "--buy", "USDC", "--amount", "1", "--fork-url", url];
    const fork = ["--profile", path.join("deployments", "embedded.json"), "--fork-block", "5"];
    return runHardhat([...args, ...fork, "--fork-cache", path.join(dir, cache)], {});
  }

  /** The last line the task printed: the sentence. */
  const lastLine = (output: string) => output.trim().split("\n").pop()!;

  it("an RPC that is down, rate-limits, or lacks the block: one sentence each, exit 1, nothing cached", async function () {
    const cases: [string, string, RegExp][] = [
      [
        await deadUrl(),
        "down",
        /^loopstress: --fork-url: upstream http:\/\/127\.0\.0\.1:\d+\/… refused the connection \(connect ECONNREFUSED 127\.0\.0\.1:\d+\) after 6 attempts \(eth_chainId and block 5, checking whom the fork cache asks\) — check the host and port in --fork-url, and that this machine can reach it$/,
      ],
      [
        await badUpstream("rate-limited"),
        "limited",
        /^loopstress: --fork-url: upstream http:\/\/127\.0\.0\.1:\d+\/… rate-limited \(HTTP 429\) after 6 attempts \(eth_chainId and block 5, checking whom the fork cache asks\) — wait a minute and run again \(answers already fetched are cached\), or use an RPC plan with a higher rate limit$/,
      ],
      [
        await badUpstream("no-block"),
        "no-block",
        /^loopstress: --fork-block: upstream http:\/\/127\.0\.0\.1:\d+\/… has no block 5 \(its latest block is 16\) — give a block the RPC has \(at most its latest\), or an archive RPC for an old block$/,
      ],
    ];
    const runs = await Promise.all(cases.map(([url, cache]) => swapOnFork(url, cache)));
    runs.forEach((r, i) => {
      const [, cache, expected] = cases[i];
      expect(r.status, r.output).to.equal(1);
      expect(lastLine(r.output)).to.match(expected);
      expect(r.output).to.not.contain(SECRET);
      expect(r.output).to.not.match(/optional data|Error:|\n\s+at /);
      expect(fs.existsSync(path.join(dir, cache)) ? fs.readdirSync(path.join(dir, cache)) : []).to.deep.equal([]);
    });
  });
});
