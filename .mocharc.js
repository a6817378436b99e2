// Tests run from the TypeScript sources (transpile only: `npm run typecheck` does the type checking, run by
// tests/structure/typecheck.test.ts in `npm test`).
// Tests that drive Pulumi's dynamic-provider server use the built package (dist/), made by `pretest`.
// `npx mocha tests/some/file.test.ts` runs just those files, in one process. Otherwise the suite is chosen by
// PULUMI_ALATION_SUITE (set by the package.json scripts), its files in three processes (`--parallel`, `JOBS` below):
//   unset: `npm test`, every test file but the quick bench, the engine suite's slowest files first;
//   "unit": `npm run test:unit`, the inner loop: not the engine suite (tests/engine/), the type check or the bench;
//   "bench": `npm run test:bench`, the quick bench (tests/bench/), CI's step after `npm test`.
// Each file runs in one process, so a suite's before/after hooks and its stacks stay together; engine files each have
// their own backends, PULUMI_HOME and emulators (docs/tests.md).
const fs = require("node:fs");
const path = require("node:path");

process.env.TS_NODE_TRANSPILE_ONLY = "true";
process.env.TS_NODE_PROJECT = "tsconfig.json";
// Python run by the tests (the emulator's shell commands, stand-in shells) writes no __pycache__ into the tree.
process.env.PYTHONDONTWRITEBYTECODE = "1";
preferPythonsOwnFolder();
const named = process.argv.slice(2).some((arg) => arg.startsWith("tests/") || arg.endsWith(".ts"));

/**
 * The tests start `python3` (the emulator's shell commands) thousands of times. Where `python3` on PATH is a version
 * manager's shim (pyenv's is a bash script: about 0.4 s of CPU a start, against 0.05 s for the interpreter), the
 * interpreter's own folder goes first on PATH, so that the same Python runs without the shim.
 */
function preferPythonsOwnFolder() {
  let executable;
  try {
    const printed = require("node:child_process").execFileSync("python3", ["-c", "import sys; print(sys.executable)"]);
    executable = printed.toString("utf8").trim();
  } catch {
    return; // No Python: the tests that need it say so.
  }
  if (!path.isAbsolute(executable)) return;
  process.env.PATH = [path.dirname(executable), process.env.PATH ?? ""].join(path.delimiter);
}

/**
 * Started first, in this order: the engine files, the longest first, so that the processes end together (a long file
 * started last would run alone), each followed by one of the files that spend half their time waiting (on servers,
 * child processes, Chromium), so that these run beside CPU-bound engine files rather than all together at the end,
 * where the cores would idle. A file missing here runs after these, in folder order; a name here that no longer exists
 * is passed over.
 */
const SLOWEST_FIRST = [
  "tests/engine/fleet.test.ts",
  "tests/engine/renames.test.ts",
  "tests/engine/mcp-clients.test.ts",
  "tests/emulator/cli.test.ts",
  "tests/engine/ownership.test.ts",
  "tests/oauth-application/connections.test.ts",
  "tests/engine/plugin.test.ts",
  "tests/reliability/lost-answers.test.ts",
  "tests/engine/stacks.test.ts",
  "tests/reliability/faults.test.ts",
  "tests/engine/quickstart.test.ts",
  "tests/verify/browser-login.test.ts",
  "tests/engine/root-stack.test.ts",
  "tests/package/optional-peers.test.ts",
  "tests/engine/fleet-interrupted.test.ts",
  "tests/modes/lifecycle.test.ts",
  "tests/engine/program-kinds.test.ts",
  "tests/shell/kubernetes.test.ts",
  "tests/engine/walkthrough.test.ts",
  "tests/reliability/interrupted.test.ts",
  "tests/engine/resource-options.test.ts",
  "tests/oauth-application/secrets.test.ts",
  "tests/engine/rotated-token.test.ts",
  // The type check (about 18 s of CPU), then the slowest of the other files.
  "tests/structure/typecheck.test.ts",
  "tests/reliability/hostile-input.test.ts",
  "tests/reliability/leaks.test.ts",
  "tests/shell/ssh.test.ts",
  "tests/package/check-package.test.ts",
  "tests/oauth-application/ownership.test.ts",
  "tests/verify/emulator.test.ts",
  "tests/component/examples.test.ts",
  "tests/oauth-application/recovery.test.ts",
];

/** The test files under `tests/`, in folder order, but those of the folders and files `skip` names. */
function testFiles(skip) {
  const files = [];
  const walk = (dir) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      const file = path.posix.join(dir, entry.name);
      if (entry.isDirectory()) walk(file);
      else if (file.endsWith(".test.ts") && !skip.some((folder) => file.startsWith(folder))) files.push(file);
    }
  };
  walk("tests");
  const first = SLOWEST_FIRST.filter((file) => files.includes(file));
  return [...first, ...files.filter((file) => !first.includes(file))];
}

/**
 * Files run side by side: one more than the two cores of the machines this project runs on. An engine test waits on
 * its commands (the CLI, the program, the provider take turns) and a unit test on its servers and child processes, so
 * that two files leave a core idle part of the time; a third fills it (the suite ran about 5% faster with three).
 */
const JOBS = 3;

const SUITES = {
  default: () => testFiles(["tests/bench/"]),
  unit: () => testFiles(["tests/bench/", "tests/engine/", "tests/structure/typecheck.test.ts"]),
  bench: () => testFiles([]).filter((file) => file.startsWith("tests/bench/")),
};
const suite = process.env.PULUMI_ALATION_SUITE || "default";
if (!named && !SUITES[suite]) {
  throw new Error(`PULUMI_ALATION_SUITE=${suite}: not one of ${Object.keys(SUITES).join(", ")}`);
}

const spec = named ? [] : SUITES[suite]();

module.exports = {
  // The root hooks: the cleanup after every test that all suites share (tests/support/root-hooks.ts).
  require: ["ts-node/register", "tests/support/root-hooks.ts"],
  ...(named ? {} : { spec, parallel: spec.length > 1, jobs: JOBS }),
  extension: ["ts"],
  timeout: 60000,
  // A test over 10 s is shown in red, over 5 s in yellow (docs/tests.md lists the slowest).
  slow: 10000,
};
