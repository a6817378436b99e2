// scripts/check-package.ts (run by .ci/run on the real package) fails on each packaging point that regresses: shown
// on small packages made here, each clean but for one fault, packed by the real `npm pack`.
import { strict as assert } from "node:assert";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { checkPackage } from "../../scripts/check-package";

const repoRoot = path.resolve(__dirname, "..", "..");

/** A clean package in a fresh folder: LICENSE, README, main, a Python file; `change` then breaks one thing. */
function fixture(change: (dir: string) => void = () => undefined): string[] {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "check-package-"));
  try {
    const write = (file: string, text: string) => {
      fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      fs.writeFileSync(path.join(dir, file), text);
    };
    const manifest = {
      name: "fixture",
      version: "1.0.0",
      license: "Apache-2.0",
      main: "lib/index.js",
      files: ["lib", "!**/__pycache__"],
    };
    write("package.json", JSON.stringify(manifest));
    fs.copyFileSync(path.join(repoRoot, "LICENSE"), path.join(dir, "LICENSE"));
    write("README.md", "# fixture\n\nSee [the code](lib/index.js), `./lib/tool.py` and <https://example.com/>.\n");
    write("lib/index.js", "module.exports = 1;\n");
    write("lib/tool.py", "print(1)\n");
    change(dir);
    return checkPackage(dir);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

describe("scripts/check-package", function () {
  this.timeout(60000);

  it("passes a clean package", () => {
    assert.deepEqual(fixture(), []);
  });

  it("fails without a LICENSE, or with one that is not the standard Apache-2.0 text", () => {
    assert.deepEqual(
      fixture((dir) => fs.rmSync(path.join(dir, "LICENSE"))),
      ["LICENSE is not in the package (package.json says Apache-2.0)"],
    );
    const [problem] = fixture((dir) => fs.writeFileSync(path.join(dir, "LICENSE"), "All rights reserved.\n"));
    assert.match(problem, /^LICENSE is not the standard Apache-2.0 text/);
  });

  it("fails on Python bytecode in the tarball, in git, or left on disk next to the shipped Python", () => {
    const shipped = fixture((dir) => {
      const manifest = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8"));
      fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ ...manifest, files: ["lib"] }));
      fs.writeFileSync(path.join(dir, "lib", "tool.pyc"), "");
    });
    assert.deepEqual(shipped, ["Python bytecode in the package: lib/tool.pyc"]);

    const leftOnDisk = fixture((dir) => {
      fs.mkdirSync(path.join(dir, "lib", "__pycache__"));
      fs.writeFileSync(path.join(dir, "lib", "__pycache__", "tool.cpython-311.pyc"), "");
    });
    assert.deepEqual(leftOnDisk, [
      "Python bytecode on disk: lib/__pycache__ (run python with -B or PYTHONDONTWRITEBYTECODE=1)",
    ]);

    const tracked = fixture((dir) => {
      fs.writeFileSync(path.join(dir, "old.pyc"), "");
      execFileSync("git", ["init", "-q"], { cwd: dir });
      execFileSync("git", ["add", "old.pyc"], { cwd: dir });
    });
    assert.deepEqual(tracked, ["Python bytecode tracked by git: old.pyc"]);
  });

  it("fails on a source map whose sources are neither shipped nor inlined", () => {
    const map = (extra: Record<string, unknown>) =>
      JSON.stringify({ version: 3, sources: ["../src/index.ts"], mappings: "", ...extra });
    const withoutSources = fixture((dir) => fs.writeFileSync(path.join(dir, "lib", "index.js.map"), map({})));
    assert.deepEqual(withoutSources, [
      "source map lib/index.js.map points at sources not in the package: ../src/index.ts",
    ]);
    const inlined = fixture((dir) =>
      fs.writeFileSync(path.join(dir, "lib", "index.js.map"), map({ sourcesContent: ["export = 1;"] })),
    );
    assert.deepEqual(inlined, []);
  });

  it("fails on a shipped README that links to a file outside the package", () => {
    const problems = fixture((dir) => {
      fs.appendFileSync(
        path.join(dir, "README.md"),
        "Details in [the notes](docs/notes.md) and `../shared/api.md`.\n[ref]: ./CHANGES.md\n",
      );
    });
    assert.deepEqual(problems, [
      "README.md links to docs/notes.md, which is not in the package",
      "README.md links to ./CHANGES.md, which is not in the package",
      "README.md links to ../shared/api.md, which is not in the package",
    ]);
  });

  it("fails when main, exports or bin name a file the tarball lacks", () => {
    const problems = fixture((dir) => {
      const manifest = JSON.parse(fs.readFileSync(path.join(dir, "package.json"), "utf8"));
      fs.writeFileSync(path.join(dir, "package.json"), JSON.stringify({ ...manifest, bin: { tool: "bin/tool.js" } }));
    });
    assert.deepEqual(problems, ["package.json names bin/tool.js, which is not in the package"]);
  });
});
