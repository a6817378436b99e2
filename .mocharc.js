// Tests run from the TypeScript sources (transpile only: `npm run typecheck` does the type checking).
// Tests that drive Pulumi's dynamic-provider server use the built package (dist/), made by `pretest`.
// `npx mocha tests/some/file.test.ts` runs just those files; plain `mocha` runs the whole suite.
process.env.TS_NODE_TRANSPILE_ONLY = "true";
process.env.TS_NODE_PROJECT = "tsconfig.json";
// Python run by the tests (the emulator's shell commands, stand-in shells) writes no __pycache__ into the tree.
process.env.PYTHONDONTWRITEBYTECODE = "1";
const named = process.argv.slice(2).some((arg) => arg.startsWith("tests/") || arg.endsWith(".ts"));
module.exports = {
  // The root hooks: the cleanup after every test that all suites share (tests/support/root-hooks.ts).
  require: ["ts-node/register", "tests/support/root-hooks.ts"],
  ...(named ? {} : { spec: ["tests/**/*.test.ts"] }),
  extension: ["ts"],
  timeout: 60000,
  slow: 5000,
};
