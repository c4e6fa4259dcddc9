import { expect } from "chai";
import fc from "fast-check";
import fs from "fs";
import os from "os";
import path from "path";
import YAML from "yaml";
import { InputError } from "../../src/errors";
import {
  MAX_GRID_POINTS,
  MAX_LOOP_ROUNDS,
  MAX_PATH_BLOCKS,
  MAX_PATH_POINTS,
  MAX_POPULATION,
  MAX_ROUNDS,
} from "../../src/domain/bounds";
import { amountFrom, forkBlockFrom, outputPathFrom } from "../../src/domain/flag-values";
import {
  CascadeScenario,
  exogenousPoints,
  parseCascadeScenario,
  readCascadeScenario,
  withAaveRelease,
} from "../../src/scenario/cascade-schema";
import { embeddedParamsFor } from "../../src/scenario/cascade-chain";
import { parseDepegScenario, readDepegScenario } from "../../src/scenario/depeg-schema";
import { checkCascadeFits, checkDepegFits } from "../../src/scenario/fits";
import { planPopulation } from "../../src/scenario/population";
import {
  GridSchema,
  gridPoints,
  parseShard,
  parseSweepCsv,
  mergeSweeps,
  scenarioAt,
  sweepCsv,
} from "../../src/scenario/sweep";
import { parseWithSchema } from "../../src/scenario/files";
import { embeddedParamsOf } from "../../src/session/embedded";
import { sessionMode } from "../../src/session/mode";
import {
  accountFrom,
  embeddedChoiceFrom,
  loopParamsFromFlags,
  policyChoiceFrom,
  tokenSymbolFrom,
} from "../../src/session/flags";
import { runHardhat } from "../node-process";

/**
 * Hostile input, property-based: valid scenario files, grids, CSVs and flags, mutated (types, signs, magnitudes,
 * unicode, path characters, missing and extra keys, huge strings), must each either be accepted within every bound, or
 * be refused with one InputError whose message is one line naming a field — never another error, a stack trace or a
 * hang. The parse-and-check functions run in-process (hundreds of cases in seconds); a handful of spawned tasks show
 * the same at the command line, and that no file is written outside reports/.
 *
 * Seeded: CI sees the same cases every run. To explore, run with LOOPSTRESS_FUZZ_SEED=<n> (and a larger
 * LOOPSTRESS_FUZZ_RUNS); a failure prints the seed and path that replay it.
 */
const SEED = Number(process.env.LOOPSTRESS_FUZZ_SEED ?? 20_261_129);
const RUNS = Number(process.env.LOOPSTRESS_FUZZ_RUNS ?? 150);
/** An error message longer than this is no sentence: InputError cuts its field, problem and fix at 500 characters each. */
const MAX_MESSAGE_CHARS = 1600;

const ROOT = path.join(__dirname, "..", "..");
const CASCADE_FILE = path.join(ROOT, "scenarios", "oct-10-2025.yaml");
const DEPEG_FILE = path.join(ROOT, "scenarios", "usde-depeg.yaml");

/** The message of a refusal, checked to be a sentence: an InputError, one line, opening with its non-empty field. */
function expectSentence(err: unknown, what: string): void {
  if (!(err instanceof InputError)) {
    const shown = err instanceof Error ? (err.stack ?? err.message) : String(err);
    expect.fail(`${what}: refused with something other than an InputError:\n${shown}`);
  }
  expect(err.field, what).to.not.equal("");
  expect(err.message, what).to.not.match(/[\r\n\u2028\u2029]/);
  expect(err.message.startsWith(`${err.field}: `), `${what}: ${err.message}`).to.equal(true);
  expect(err.message.length, `${what}: ${err.message.slice(0, 200)}`).to.be.at.most(MAX_MESSAGE_CHARS);
  expect(err.message, what).to.not.match(/\n\s+at |TypeError|ReferenceError|RangeError|SyntaxError/);
}

/** Runs `f`: its value when accepted, undefined when refused with a sentence; anything else fails the case. */
function accepted<T>(f: () => T, what: string): T | undefined {
  try {
    return f();
  } catch (err) {
    expectSentence(err, what);
    return undefined;
  }
}

/** Values a user can write in YAML or JSON, chosen to break things. */
const HUGE_STRING = "9".repeat(200_000);
const hostileValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(
    0,
    -1,
    1,
    1.5,
    -0.5,
    2 ** 53 + 1,
    1e18,
    1e300,
    Infinity,
    -Infinity,
    NaN,
    MAX_ROUNDS + 1,
    MAX_POPULATION + 1,
    MAX_PATH_POINTS + 1,
    MAX_PATH_BLOCKS + 1,
  ),
  fc.integer(),
  fc.double(),
  fc.string({ maxLength: 20 }),
  fc.string({ unit: "grapheme", maxLength: 20 }),
  fc.string({ unit: "binary", maxLength: 20 }),
  fc.constantFrom(
    "",
    ".",
    "..",
    "../../../etc/passwd",
    "/etc/passwd",
    "a/b",
    "C:\\Windows",
    "\u0000",
    "名前",
    "💥",
    "NaN",
    "1e400",
    "-0",
    "0x10",
    " 1",
    "1,000",
    "0.000000000000000000000001",
    "1000000000",
    "99999999999999999999999999999999999999",
    HUGE_STRING,
    "__proto__",
    "constructor",
  ),
  fc.constantFrom(null, true, false, [], {}, [[]], { a: { b: {} } }),
  fc.array(fc.integer(), { maxLength: 4 }),
  fc.dictionary(fc.string({ maxLength: 8 }), fc.integer(), { maxKeys: 3 }),
);

/** A value as it would be typed: strings as they are, anything else as JSON. */
const typed = (v: unknown): string => (typeof v === "string" ? v : (JSON.stringify(v) ?? ""));
type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** Every path to a node of `v` (the root is []); repeated arrays are walked once (their copies are alike). */
function nodePaths(v: unknown, at: (string | number)[] = [], out: (string | number)[][] = []): (string | number)[][] {
  out.push(at);
  if (Array.isArray(v)) {
    for (let i = 0; i < Math.min(v.length, WALKED_ARRAY_ITEMS); i++) nodePaths(v[i], [...at, i], out);
  } else if (v !== null && typeof v === "object") {
    for (const [k, x] of Object.entries(v)) nodePaths(x, [...at, k], out);
  }
  return out;
}

/** Items of an array the mutations may pick inside: the first few (a repeated array's are copies of one another). */
const WALKED_ARRAY_ITEMS = 8;

type Mutation =
  | { op: "replace"; pick: number; value: unknown }
  | { op: "delete"; pick: number }
  | { op: "add-key"; pick: number; key: string; value: unknown }
  | { op: "repeat"; pick: number; times: number };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 5, arbitrary: fc.record({ op: fc.constant("replace" as const), pick: fc.nat(), value: hostileValue }) },
  { weight: 2, arbitrary: fc.record({ op: fc.constant("delete" as const), pick: fc.nat() }) },
  {
    weight: 2,
    arbitrary: fc.record({
      op: fc.constant("add-key" as const),
      pick: fc.nat(),
      key: fc.oneof(fc.string({ maxLength: 10 }), fc.constantFrom("__proto__", "extra", "name", "count")),
      value: hostileValue,
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      op: fc.constant("repeat" as const),
      pick: fc.nat(),
      times: fc.constantFrom(2, 100, MAX_GRID_POINTS + 1, 30_000),
    }),
  },
);

/** `base` with `m` applied (a deep copy: the base is never touched). */
function mutate(base: unknown, ms: Mutation[]): unknown {
  const root = { doc: structuredClone(base) as Json };
  for (const m of ms) {
    const paths = nodePaths(root.doc);
    const at = ["doc", ...paths[m.pick % paths.length]];
    const parent = at.slice(0, -1).reduce<Record<string | number, unknown>>((o, k) => o[k] as never, root as never);
    const key = at[at.length - 1];
    const node = parent[key];
    // Values are cloned: fast-check hands the same constant object to many cases.
    if (m.op === "replace") parent[key] = structuredClone(m.value);
    else if (m.op === "delete") {
      if (Array.isArray(parent)) parent.splice(key as number, 1);
      else delete parent[key];
    } else if (m.op === "add-key") {
      if (node !== null && typeof node === "object" && !Array.isArray(node)) {
        Object.defineProperty(node, m.key, {
          value: structuredClone(m.value),
          enumerable: true,
          writable: true,
          configurable: true,
        });
      } else parent[key] = { [m.key]: structuredClone(m.value) };
    } else if (Array.isArray(node)) {
      parent[key] = Array.from({ length: m.times }, () => structuredClone(node[0] ?? null));
    } else parent[key] = Array.from({ length: m.times }, () => node);
  }
  return root.doc;
}

/** A copy of `doc` with the node at `keys` set to `value`. */
function setIn(doc: unknown, keys: (string | number)[], value: unknown): unknown {
  const copy = structuredClone(doc) as Record<string | number, unknown>;
  const parent = keys.slice(0, -1).reduce<Record<string | number, unknown>>((o, k) => o[k] as never, copy);
  parent[keys[keys.length - 1]] = value;
  return copy;
}

const mutations = fc.array(mutation, { minLength: 1, maxLength: 3 });

/** What an accepted cascade scenario may ask of the engine: every size within its bound. */
function expectCascadeBounded(s: CascadeScenario, what: string): void {
  const points = exogenousPoints(s);
  expect(points.length, what).to.be.within(1, MAX_PATH_POINTS);
  expect(
    points.reduce((n, p) => n + p.blocks, 0),
    what,
  ).to.be.at.most(MAX_PATH_BLOCKS);
  expect(s.stop.maxRounds, what).to.be.at.most(MAX_ROUNDS);
  // The plan is drawn before deployment too (checkCascadeFits), where a bad distribution is refused.
  const plan = accepted(() => planPopulation(s.population, s.name), what) ?? [];
  expect(plan.length, what).to.be.at.most(MAX_POPULATION);
  for (const p of plan) expect(p.rounds, what).to.be.within(0, MAX_LOOP_ROUNDS);
  expect(s.name, what).to.match(/^[A-Za-z0-9._-]+$/);
  expect(s.name, what).to.not.match(/^\.+$/);
}

describe("hostile input (fuzz)", function () {
  this.timeout(120_000);
  let tmp: string;
  let cascadeBase: unknown;
  let depegBase: unknown;
  let cascade: CascadeScenario;

  before(function () {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), "loopstress-fuzz-"));
    cascadeBase = YAML.parse(fs.readFileSync(CASCADE_FILE, "utf8"));
    depegBase = YAML.parse(fs.readFileSync(DEPEG_FILE, "utf8"));
    cascade = readCascadeScenario(CASCADE_FILE);
    fs.writeFileSync(path.join(tmp, "prices.csv"), "block,price\n0,1.00\n5,0.80\n10,0.65\n");
  });
  after(function () {
    fs.rmSync(tmp, { recursive: true, force: true });
  });

  const params = { seed: SEED, numRuns: RUNS };

  it("cascade scenarios (the 10 Oct shape), mutated: accepted within every bound and fitting the chain, or one sentence", function () {
    fc.assert(
      fc.property(mutations, (ms) => {
        const what = JSON.stringify(ms).slice(0, 300);
        const raw = mutate(cascadeBase, ms);
        const s = accepted(() => parseCascadeScenario(raw, "fuzz.yaml"), what);
        if (s === undefined) return;
        expectCascadeBounded(s, what);
        accepted(() => checkCascadeFits(s, embeddedParamsFor(s)), what);
      }),
      params,
    );
  });

  it("depeg scenarios (step, ramp, CSV paths), mutated: accepted within every bound, or one sentence", function () {
    const paths = fc.constantFrom<unknown>(
      undefined,
      { feed: "USDe/USD", csv: "prices.csv" },
      { feed: "USDe/USD", step: { to: "0.65", afterBlocks: 3 } },
    );
    fc.assert(
      fc.property(paths, mutations, (p, ms) => {
        const base = p === undefined ? depegBase : { ...(depegBase as object), path: p };
        const what = JSON.stringify([p, ms]).slice(0, 300);
        const raw = mutate(base, ms);
        const s = accepted(() => parseDepegScenario(raw, tmp, "fuzz.yaml"), what);
        if (s === undefined) return;
        expect(s.points.length, what).to.be.within(1, MAX_PATH_POINTS);
        for (const l of s.loops) expect(l.rounds, what).to.be.within(0, MAX_LOOP_ROUNDS);
        const positions = s.loops.reduce((n, l) => n + l.count, 0) + (s.existing?.accounts?.length ?? 0);
        expect(positions, what).to.be.at.most(MAX_POPULATION);
        accepted(() => checkDepegFits(s, embeddedParamsOf({ aaveRelease: "origin-v3.6", curve: false })), what);
      }),
      params,
    );
  });

  it("price CSVs and scenario texts, cut and spliced: accepted or one sentence", function () {
    const csvText = fc.oneof(
      fc.string({ maxLength: 200 }),
      fc
        .array(fc.tuple(hostileValue, hostileValue), { maxLength: 6 })
        .map(
          (rows) =>
            `block,price\n${rows.map(([a, b]) => `${typed(a).slice(0, 50)},${typed(b).slice(0, 50)}`).join("\n")}`,
        ),
      fc.constantFrom(
        "",
        "block,price\n",
        "time,price\n0,1\n",
        "block,price\n0,1\n0,1\n",
        `block,price\n${"0,1\n".repeat(MAX_PATH_POINTS + 1)}`,
      ),
    );
    const yamlText = fs.readFileSync(CASCADE_FILE, "utf8");
    const splice = fc.record({
      at: fc.nat(yamlText.length),
      cut: fc.nat(200),
      insert: fc.string({ unit: "binary", maxLength: 30 }),
    });
    let n = 0;
    fc.assert(
      fc.property(csvText, splice, (csv, sp) => {
        const file = path.join(tmp, `case-${n++}.csv`);
        fs.writeFileSync(file, csv);
        const depeg = { ...(depegBase as object), path: { feed: "USDe/USD", csv: file } };
        accepted(() => parseDepegScenario(depeg, tmp, "fuzz.yaml"), JSON.stringify(csv.slice(0, 200)));
        const yamlFile = path.join(tmp, `case-${n}.yaml`);
        fs.writeFileSync(yamlFile, yamlText.slice(0, sp.at) + sp.insert + yamlText.slice(sp.at + sp.cut));
        const s = accepted(() => readCascadeScenario(yamlFile), JSON.stringify(sp));
        if (s !== undefined) expectCascadeBounded(s, JSON.stringify(sp));
        accepted(() => readDepegScenario(yamlFile), JSON.stringify(sp));
      }),
      params,
    );
  });

  it("sweep grids, shards and shard CSVs, mutated: every point accepted and fitting, or one sentence", function () {
    const gridBase = {
      floor: ["0.65", "0.80"],
      rounds: [3, 8],
      policy: ["market/market", "pegged-to-USDT/exchange-rate"],
    };
    const rows = [0, 1, 2].map((index) => ({
      ...Object.fromEntries(["floor", "rounds", "policy", "liquidations"].map((c) => [c, "1"])),
      index: String(index),
    }));
    const csvBase = sweepCsv(rows as never);
    fc.assert(
      fc.property(
        mutations,
        fc.string({ maxLength: 12 }),
        fc.nat(csvBase.length),
        fc.string({ maxLength: 12 }),
        (ms, shard, at, insert) => {
          const what = JSON.stringify([ms, shard]).slice(0, 300);
          const raw = mutate(gridBase, ms);
          const grid = accepted(() => parseWithSchema(GridSchema, raw, "grid.yaml"), what);
          if (grid !== undefined) {
            const points = accepted(() => gridPoints(grid, cascade), what);
            if (points !== undefined) {
              expect(points.length, what).to.be.within(1, MAX_GRID_POINTS);
              for (const p of points.slice(0, 4)) {
                const s = accepted(() => scenarioAt(cascade, p), what);
                if (s !== undefined) accepted(() => checkCascadeFits(s, embeddedParamsFor(s)), what);
              }
            }
          }
          accepted(() => parseShard(shard), shard);
          const csv = csvBase.slice(0, at) + insert + csvBase.slice(at);
          accepted(() => mergeSweeps([parseSweepCsv(csv, "a.csv")]), JSON.stringify(csv));
        },
      ),
      params,
    );
  });

  it("task flags (every task's values as typed): accepted within range, or one sentence naming the flag", function () {
    const flagValue = fc.oneof(
      hostileValue.map((v) => (typeof v === "string" ? v : (JSON.stringify(v) ?? ""))),
      fc.constantFrom("100000", "0.80", "5", "USDe", "market", "23549000", "0/4", "3/4", "reports/x.csv", "x.json"),
    );
    const sessionFlags = fc.record(
      {
        forkUrl: fc.oneof(flagValue, fc.constantFrom("http://127.0.0.1:8545/v2/KEY", "ftp://x", "https://")),
        forkBlock: flagValue,
        profile: fc.oneof(flagValue, fc.constant("mainnet")),
        forkCache: flagValue,
        aaveRelease: fc.oneof(flagValue, fc.constantFrom("v3.0", "origin-v3.6")),
        curve: fc.boolean(),
      },
      { requiredKeys: [] },
    );
    fc.assert(
      fc.property(fc.array(flagValue, { minLength: 8, maxLength: 8 }), sessionFlags, (v, flags) => {
        const what = JSON.stringify([v, flags]).slice(0, 300);
        const loop = accepted(() => loopParamsFromFlags({ amount: v[0], token: v[1], rounds: v[2], ltv: v[3] }), what);
        if (loop !== undefined) {
          expect(loop.rounds, what).to.be.within(0, MAX_LOOP_ROUNDS);
          expect(loop.initialRaw > 0n, what).to.equal(true);
        }
        const mode = accepted(() => sessionMode(flags, {}), what);
        if (mode?.kind === "fork" && mode.forkBlock !== undefined) expect(mode.forkBlock).to.be.at.most(1e9);
        accepted(() => amountFrom(v[4], "--amount", 6), what);
        accepted(() => forkBlockFrom(v[5]), what);
        accepted(() => parseShard(v[6]), what);
        accepted(() => policyChoiceFrom(v[7]), what);
        accepted(() => accountFrom(v[0]), what);
        accepted(() => tokenSymbolFrom(v[1], "--sell"), what);
        accepted(() => embeddedChoiceFrom(v[2], false), what);
        accepted(() => withAaveRelease(cascade, v[3]), what);
        for (const ext of [".csv", ".json", undefined]) {
          const out = accepted(() => outputPathFrom(v[4], "--out", ext), what);
          if (out === undefined) continue;
          // Accepted: inside the working directory, or in a folder that already exists; nothing was created.
          const inside = !path.relative(process.cwd(), out).startsWith("..");
          expect(inside || fs.existsSync(path.dirname(out)), what).to.equal(true);
        }
      }),
      params,
    );
  });

  it("regressions found while fuzzing: each refused before deployment with a sentence, none hangs or throws a raw error", function () {
    const cases: [string, (string | number)[], unknown, string][] = [
      [
        "a billion loop rounds drawn (the planning maths looped for ever)",
        ["population", "groups", 0, "rounds"],
        { dist: "fixed", value: "1000000000" },
        "population.groups[0].rounds: draws 1000000000 loop rounds, over the bound of 50",
      ],
      [
        "a lognormal sigma of 1e300 (RangeError: Infinity cannot be converted to a BigInt)",
        ["population", "groups", 0, "size"],
        { dist: "lognormal", median: "150000", sigma: 1e300 },
        "population.groups[0].size.sigma: must be from 0 to 10",
      ],
      [
        "choice weights whose sum is Infinity",
        ["population", "groups", 0, "rounds"],
        { dist: "choice", values: ["3", "5"], weights: [1e308, 1e308] },
        "population.groups[0].rounds.weights: their sum is too large to be a number — use smaller weights",
      ],
      [
        "a pool 1e300 USDe deep (the deployer's mint overflowed)",
        ["dex", "depthPerSide", "USDe/USDC-0.01%"],
        1e300,
        "fuzz.yaml: dex.depthPerSide.USDe/USDC-0.01%: at most 1000000000000 whole tokens per side",
      ],
      [
        "a whale of 10^13 WETH (over the bound every amount has, as --amount does)",
        ["actors", "whale", "wethCollateral"],
        "10000000000000",
        "fuzz.yaml: actors.whale.wethCollateral: at most 1000000000000 whole tokens",
      ],
      [
        "a position of 10^15 USDe",
        ["population", "groups", 0, "size"],
        { dist: "fixed", value: "1000000000000000" },
        "fuzz.yaml: population.groups[0].size.value: at most 1000000000000 whole tokens",
      ],
      [
        "a 60-digit whale",
        ["actors", "whale", "wethCollateral"],
        "9".repeat(60),
        "fuzz.yaml: actors.whale.wethCollateral: at most 40 digits on either side of the point",
      ],
    ];
    for (const [what, at, value, message] of cases) {
      const raw = setIn(cascadeBase, at, value);
      expect(() => {
        const s = parseCascadeScenario(raw, "fuzz.yaml");
        checkCascadeFits(s, embeddedParamsFor(s));
      }, what).to.throw(InputError, message);
    }
    const loop = { market: "aave-v3:USDe/USDC:emode-2", initialAmount: "1000", rounds: 3, targetLtv: "0.8", count: 18 };
    const depeg = setIn(depegBase, ["loops"], Array(600).fill(loop));
    expect(() => parseDepegScenario(depeg, tmp, "fuzz.yaml")).to.throw(
      InputError,
      "fuzz.yaml: loops: at most 10000 positions in all loops together (count included)",
    );
    const existing = { markets: ["aave-v3:USDe/USDC:emode-2"], accounts: Array(9_999).fill(`0x${"11".repeat(20)}`) };
    const accounts = setIn(depegBase, ["existing"], existing);
    expect(() => parseDepegScenario(accounts, tmp, "fuzz.yaml")).to.throw(
      InputError,
      "fuzz.yaml: existing.accounts: 10006 positions with the loops and the listed accounts, over the bound of 10000",
    );
  });

  describe("at the command line (a handful of spawned tasks)", function () {
    /** What an escape could write one level up: the report files, and the sweep's CSV. */
    const ESCAPED_NAMES = ["report.json", "summary.md", "report.html", "liquidations.csv", "escaped.csv"];

    /**
     * The project folder's entries, and those of the escaped names one level up: the parent may be a shared folder
     * (e.g. /tmp) where other programs write meanwhile.
     */
    function filesOutsideReports(): string[] {
      const parent = path.dirname(ROOT);
      return [
        ...fs.readdirSync(ROOT).map((f) => path.join(ROOT, f)),
        ...ESCAPED_NAMES.map((f) => path.join(parent, f)).filter((f) => fs.existsSync(f)),
      ];
    }

    it("bad scenarios and flags: exit 1, one line naming the field, no stack, nothing written outside reports/", async function () {
      const before = new Set(filesOutsideReports());
      const dotdot = path.join(tmp, "dotdot.yaml");
      fs.writeFileSync(dotdot, YAML.stringify({ ...(cascadeBase as object), name: ".." }));
      const truncated = path.join(tmp, "truncated.yaml");
      fs.writeFileSync(truncated, fs.readFileSync(DEPEG_FILE, "utf8").slice(0, 700));
      const shard = path.join(tmp, "shard.csv");
      fs.writeFileSync(shard, sweepCsv([]));
      const cases: [string[], RegExp][] = [
        [["scenario", dotdot], /^loopstress: dotdot\.yaml: name: /],
        [["depeg", truncated], /^loopstress: (truncated\.yaml|.*truncated\.yaml): /],
        [
          ["loop", "--market", "aave-v3:USDe/USDC:emode-2", "--amount", "1e999"],
          /^loopstress: --amount: "1e999" is not a decimal number/,
        ],
        [
          ["swap", "--sell", "USDe", "--buy", "USDC", "--amount", HUGE_STRING.slice(0, 5000)],
          /^loopstress: --amount: "9{60}…" is not a decimal number/,
        ],
        [
          ["sweep:merge", shard, "--out", "../../escaped.csv"],
          /^loopstress: --out: "\.\.\/\.\.\/escaped\.csv" leaves the working directory/,
        ],
      ];
      const runs = await Promise.all(cases.map(([args]) => runHardhat(args, {})));
      runs.forEach((r, i) => {
        const [args, expected] = cases[i];
        const lines = r.output.trim().split("\n");
        expect(r.status, `${args.join(" ")}\n${r.output}`).to.equal(1);
        expect(
          lines.filter((l) => l.startsWith("loopstress: ")),
          r.output,
        ).to.have.length(1);
        expect(lines[lines.length - 1], r.output).to.match(expected);
        expect(r.output, r.output).to.not.match(/\n\s+at |TypeError|SyntaxError|Error:/);
      });
      expect(filesOutsideReports().filter((f) => !before.has(f))).to.deep.equal([]);
      expect(fs.existsSync(path.join(path.dirname(path.dirname(ROOT)), "escaped.csv"))).to.equal(false);
    });
  });
});
