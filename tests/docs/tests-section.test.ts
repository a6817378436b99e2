// docs/tests.md (the README links it) keeps up with the repository: every Debian package and command of .ci/run,
// and every folder of test files, is named in it.
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";

const repoRoot = path.resolve(__dirname, "..", "..");

/** docs/tests.md, the Tests page. */
function testsSection(): string {
  return fs.readFileSync(path.join(repoRoot, "docs", "tests.md"), "utf8");
}

describe("docs/tests.md: the Tests page", function () {
  const section = testsSection();
  const ciRun = fs.readFileSync(path.join(repoRoot, ".ci", "run"), "utf8");

  it("names every package .ci/run installs, and every command it runs", () => {
    const packages = [...ciRun.matchAll(/need\+=\(([^)]+)\)/g)].flatMap((match) => match[1].split(/\s+/));
    assert.ok(packages.length > 0, "the packages of .ci/run are found");
    // A command may follow environment settings or stand in `$(...)`: `cli=$(npm run --silent pulumi-cli)`.
    const commands = ciRun
      .split("\n")
      .filter((line) => !line.startsWith("#"))
      .flatMap((line) => [...(/(?:^|\$\(|\s)((?:npm|npx) [^)]+)/.exec(line)?.slice(1) ?? [])])
      .map((line) => line.replace(/^npx ts-node --transpile-only /, "").replace(/ --no-audit --no-fund$/, ""));
    assert.ok(commands.length > 0, "the commands of .ci/run are found");
    const missing = [...packages, ...commands].filter((name) => !section.includes(name));
    assert.deepEqual(missing, [], "named in .ci/run but not in docs/tests.md");
  });

  it("names every folder of test files", () => {
    const folders = fs
      .readdirSync(path.join(repoRoot, "tests"), { withFileTypes: true })
      .filter((entry) => entry.isDirectory())
      .filter((entry) =>
        fs.readdirSync(path.join(repoRoot, "tests", entry.name)).some((file) => file.endsWith(".test.ts")),
      )
      .map((entry) => `tests/${entry.name}/`);
    assert.ok(folders.length > 0);
    assert.deepEqual(
      folders.filter((folder) => !section.includes(`\`${folder}\``)),
      [],
      "test folders docs/tests.md does not name",
    );
  });
});
