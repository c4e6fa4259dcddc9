// The layer rule: a file may import only from its own layer or lower ones. THE one list of layers (bottom to top);
// docs/architecture.md quotes it. An entry is a layer; an array of layers is one level of siblings that never import
// each other. Paths are from the repo root; a file not under any path (test/, typechain-types/) is outside the rule.
import path from "node:path";
import { fileURLToPath } from "node:url";

export const LAYERS = [
  { name: "errors+constants", paths: ["src/errors.ts", "src/constants.ts"] },
  { name: "math", paths: ["src/math"] },
  { name: "domain", paths: ["src/domain"] },
  { name: "chain", paths: ["src/chain"] },
  [
    { name: "oracles", paths: ["src/oracles"] },
    { name: "dex", paths: ["src/dex"] },
  ],
  { name: "protocols", paths: ["src/protocols"] },
  { name: "embedded", paths: ["src/embedded"] },
  { name: "strategies", paths: ["src/strategies"] },
  { name: "actors", paths: ["src/actors"] },
  { name: "metrics", paths: ["src/metrics"] },
  { name: "report", paths: ["src/report"] },
  { name: "scenario", paths: ["src/scenario"] },
  { name: "session", paths: ["src/session"] },
  // The library's public entry (what examples/ and users import): over every src/ layer, imported by none of them.
  { name: "public API", paths: ["src/index.ts"] },
  { name: "entry points", paths: ["tasks", "scripts", "bench", "hardhat.config.ts"] },
];

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const strip = (p) => p.replace(/\.(d\.ts|ts|mts|cts|js|mjs|cjs|json)$/, "").replace(/\/index$/, "");
const FLAT = LAYERS.flatMap((level, i) =>
  (Array.isArray(level) ? level : [level]).map((l) => ({ ...l, level: i + 1 })),
);

/** A layer path holds itself and, for a folder, what is under it; a file (src/index.ts: "src" once stripped) only itself. */
const holds = (entry, p) => p === strip(entry) || (!/\.[cm]?ts$/.test(entry) && p.startsWith(`${strip(entry)}/`));

/** The layer of a repo-relative path (extension optional), or undefined when no layer holds it. */
export function layerOf(rel) {
  const p = strip(rel.split(path.sep).join("/"));
  return FLAT.find((l) => l.paths.some((e) => holds(e, p)));
}

const label = (l) => `layer ${l.level} "${l.name}"`;

export const layersRule = {
  meta: {
    type: "problem",
    docs: { description: "A file imports only from its own layer or lower ones (tools/eslint-layers.mjs LAYERS)." },
    schema: [],
    messages: {
      upward:
        "{{file}} ({{from}}) imports {{target}} ({{to}}), a higher layer: import only from the same or lower layers",
      sibling: "{{file}} ({{from}}) imports {{target}} ({{to}}): sibling layers of one level never import each other",
      unplaced: "{{file}} is in src/ but in no layer: add its folder to LAYERS in tools/eslint-layers.mjs",
    },
  },
  create(context) {
    const filename = context.filename ?? context.getFilename();
    const file = path.relative(ROOT, filename).split(path.sep).join("/");
    const from = layerOf(file);
    if (!from) {
      if (file.startsWith("src/"))
        context.report({ loc: { line: 1, column: 0 }, messageId: "unplaced", data: { file } });
      return {};
    }
    const check = (node, spec) => {
      if (typeof spec !== "string" || !spec.startsWith(".")) return;
      const target = path
        .relative(ROOT, path.resolve(path.dirname(filename), spec))
        .split(path.sep)
        .join("/");
      const to = layerOf(target);
      if (!to || to === from || to.level < from.level) return;
      const messageId = to.level === from.level ? "sibling" : "upward";
      context.report({ node, messageId, data: { file, from: label(from), target, to: label(to) } });
    };
    const source = (node) => node.source && check(node.source, node.source.value);
    return {
      ImportDeclaration: source,
      ExportNamedDeclaration: source,
      ExportAllDeclaration: source,
      ImportExpression: (node) => node.source.type === "Literal" && check(node.source, node.source.value),
      TSImportType: (node) => {
        const lit = node.argument?.literal ?? node.argument; // typescript-eslint 8: TSLiteralType { literal }
        if (lit?.type === "Literal") check(lit, lit.value);
      },
      TSExternalModuleReference: (node) => node.expression.type === "Literal" && check(node, node.expression.value),
      CallExpression: (node) => {
        const [arg] = node.arguments;
        if (node.callee.type === "Identifier" && node.callee.name === "require" && arg?.type === "Literal")
          check(arg, arg.value);
      },
    };
  },
};

export default { meta: { name: "loopstress-layers" }, rules: { layers: layersRule } };
