// ESLint 9 flat config. Not type-checked on purpose (fast); `tsc --noEmit` does the type checking.
import { defineConfig } from "eslint/config";
import tseslint from "typescript-eslint";
import layers from "./tools/eslint-layers.mjs";

export default defineConfig(
  {
    ignores: [
      "node_modules/",
      "artifacts/",
      "cache/",
      "typechain-types/",
      "coverage/",
      "reports/",
      ".fork-cache/",
      "dist/",
      "deployments/",
    ],
  },
  tseslint.configs.recommended,
  {
    plugins: { local: layers },
    rules: {
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "local/layers": "error",
    },
  },
  {
    // Users' tests: what they show must be the public API (src/index.ts), nothing deeper.
    files: ["examples/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        { patterns: [{ group: ["../src/*", "../test/*"], message: 'examples use the public API only: "../src"' }] },
      ],
    },
  },
);
