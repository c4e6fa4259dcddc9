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
);
