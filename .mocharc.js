// Tests run from the TypeScript sources (transpile only: `npm run typecheck` does the type checking).
// Tests that drive Pulumi's dynamic-provider server use the built package (dist/), made by `pretest`.
process.env.TS_NODE_TRANSPILE_ONLY = "true";
process.env.TS_NODE_PROJECT = "tsconfig.json";
module.exports = {
  require: ["ts-node/register"],
  spec: ["tests/**/*.test.ts"],
  extension: ["ts"],
  timeout: 60000,
  slow: 5000,
};
