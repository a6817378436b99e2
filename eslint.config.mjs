// Lint config: typescript-eslint's recommended rules over the TypeScript sources, with the type-aware rules that
// matter in this async-heavy code (a promise nobody awaits, a promise where a callback is expected).
import js from "@eslint/js";
import globals from "globals";
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["dist/**", "node_modules/**", "**/node_modules/**", ".alation-data/**", "docs/api/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: {
      globals: { ...globals.node, ...globals.mocha },
      parserOptions: {
        projectService: { allowDefaultProject: ["*.mjs", "*.js"] },
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      "@typescript-eslint/no-require-imports": "off",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/no-misused-promises": "error",
      "max-len": ["error", { code: 120 }],
    },
  },
  {
    // Product code reads in one sitting: no file over 300 lines, no function over 60 (blank lines and comments not
    // counted in functions).
    files: [
      "provider/**/*.ts",
      "tools/**/*.ts",
      "scripts/**/*.ts",
      "examples/**/*.ts",
      "index.ts",
      "emulator/**/*.{ts,js}",
      "bench/**/*.{ts,js}",
    ],
    rules: {
      "max-lines": ["error", { max: 300 }],
      "max-lines-per-function": ["error", { max: 60, skipBlankLines: true, skipComments: true }],
    },
  },
  {
    // Plain JavaScript config files are not part of a TypeScript project: no type information for them.
    files: ["**/*.mjs", "**/*.js"],
    ...tseslint.configs.disableTypeChecked,
  },
);
