// `npm run pulumi-cli` (tools/pulumi-cli/locate.ts) with stand-in CLIs and a stand-in `go`: the order it looks in
// (PATH outside node_modules, the cache, a build), what it refuses, the build's stages and its atomic cache. Needs no
// real CLI. The version it builds is one fact: the @pulumi/pulumi that package.json pins, which go.mod must require.
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as path from "node:path";
import {
  cachedBuildDir,
  CLI_BINARIES,
  locatePulumiCli,
  MINIMUM_CLI_VERSION,
  MODULE_DIR,
  pinnedVersion,
  PulumiCliError,
} from "../../tools/pulumi-cli/locate";
import { repoRoot, run, temporaryFolder } from "./harness";
import { docsQuote } from "../support/docs";

/** A folder of stand-in binaries; `pulumi version` prints `version`. */
function fakeCliFolder(dir: string, version: string, binaries: readonly string[] = CLI_BINARIES): string {
  fs.mkdirSync(dir, { recursive: true });
  for (const name of binaries) {
    const body = name === "pulumi" ? `[ "$1" = version ] && echo v${version}` : "exit 0";
    fs.writeFileSync(path.join(dir, name), `#!/bin/sh\n${body}\n`, { mode: 0o755 });
  }
  return dir;
}

// A stand-in `go`: logs its arguments, writes a stand-in binary at `-o`, or fails the build named in FAIL_BUILD.
const FAKE_GO = `#!/bin/sh
echo "$*" >> "$GO_LOG"
out=""; last=""
while [ $# -gt 0 ]; do
  if [ "$1" = "-o" ]; then out="$2"; shift; fi
  last="$1"; shift
done
if [ "$last" = "$FAIL_BUILD" ]; then echo "go: cannot build $last: something broke" >&2; exit 1; fi
printf '#!/bin/sh\\n[ "$1" = version ] && echo v%s\\n' "$FAKE_VERSION" > "$out"
chmod 755 "$out"
`;

describe("npm run pulumi-cli: finding or building the Pulumi CLI", function () {
  this.timeout(30_000);
  const version = pinnedVersion();
  const escaped = version.replace(/\./g, "\\.");
  let dir: string;
  let env: NodeJS.ProcessEnv;

  beforeEach(function () {
    dir = temporaryFolder("pulumi-cli-test-");
    // No real CLI or Go: only the system's tools, and each test's own folders.
    env = { HOME: path.join(dir, "home"), XDG_CACHE_HOME: path.join(dir, "cache"), PATH: "/usr/bin:/bin" };
  });

  it("builds the version package.json pins, which tools/pulumi-cli/go.mod requires", function () {
    const goMod = fs.readFileSync(path.join(MODULE_DIR, "go.mod"), "utf8");
    for (const module of ["github.com/pulumi/pulumi/pkg/v3", "github.com/pulumi/pulumi/sdk/v3"]) {
      assert.match(goMod, new RegExp(`^\\s+${module.replace(/\//g, "\\/")} v${escaped}( |$)`, "m"), module);
    }
    assert.match(goMod, /^tool github\.com\/pulumi\/pulumi\/pkg\/v3\/cmd\/pulumi$/m);
  });

  it("builds pulumi-language-yaml v1.25.0 in a Go module of its own, with the pkg/sdk it asks for", function () {
    // In one module with the CLI's pkg/sdk it does not compile (their APIs moved): its own module keeps its 3.206.0.
    const goMod = fs.readFileSync(path.join(MODULE_DIR, "language-yaml", "go.mod"), "utf8");
    assert.match(goMod, /^\s+github\.com\/pulumi\/pulumi-yaml v1\.25\.0( |$)/m);
    assert.match(goMod, /^\s+github\.com\/pulumi\/pulumi\/sdk\/v3 v3\.206\.0( |$)/m);
    assert.match(goMod, /^tool github\.com\/pulumi\/pulumi-yaml\/cmd\/pulumi-language-yaml$/m);
  });

  it("has no pulumi npm package, whose downloader in node_modules/.bin would shadow the user's CLI", function () {
    const manifest = JSON.parse(fs.readFileSync(path.join(repoRoot, "package.json"), "utf8"));
    assert.equal({ ...manifest.dependencies, ...manifest.devDependencies }.pulumi, undefined);
  });

  it("takes the user's CLI on PATH, passing over node_modules folders and folders without the plugins", function () {
    const shadow = fakeCliFolder(path.join(dir, "project", "node_modules", ".bin"), version);
    const bare = fakeCliFolder(path.join(dir, "bare"), version, ["pulumi"]);
    const users = fakeCliFolder(path.join(dir, "user-bin"), "3.200.1");
    env.PATH = [shadow, bare, users, env.PATH].join(path.delimiter);
    assert.deepEqual(locatePulumiCli({ build: false, env }), { dir: users, version: "3.200.1", source: "path" });
  });

  it("follows a symlink on PATH to the folder where the CLI keeps its plugins", function () {
    const installed = fakeCliFolder(path.join(dir, "pulumi-install", "bin"), "3.139.0");
    const linkDir = path.join(dir, "local-bin");
    fs.mkdirSync(linkDir);
    fs.symlinkSync(path.join(installed, "pulumi"), path.join(linkDir, "pulumi"));
    env.PATH = `${linkDir}${path.delimiter}${env.PATH}`;
    assert.equal(locatePulumiCli({ build: false, env }).dir, installed);
  });

  it(`refuses a CLI older than ${MINIMUM_CLI_VERSION}, saying why and what to do (as the README says)`, function () {
    const refusal =
      `is v3.138.2; pulumi-alation needs ${MINIMUM_CLI_VERSION} or later ` +
      "(older engines do not pass stack config to dynamic providers)";
    env.PATH = `${fakeCliFolder(path.join(dir, "old"), "3.138.2")}${path.delimiter}${env.PATH}`;
    assert.throws(
      () => locatePulumiCli({ build: true, env }),
      (error: Error) => error instanceof PulumiCliError && error.message.includes(refusal) && docsQuote(refusal),
    );
  });

  it("takes a cached build of this version and these sources, and no other", function () {
    const other = fakeCliFolder(path.join(dir, "cache", "pulumi-alation", `${version}-000000000000`), version);
    assert.throws(() => locatePulumiCli({ build: false, env }), PulumiCliError);
    const cached = fakeCliFolder(cachedBuildDir(env), version);
    assert.notEqual(cached, other);
    assert.deepEqual(locatePulumiCli({ build: false, env }), { dir: cached, version, source: "cache" });
  });

  it("without a CLI or Go, says what to install", function () {
    assert.throws(
      () => locatePulumiCli({ build: true, env }),
      (error: Error) =>
        /no Pulumi CLI found, and Go is not installed to build one/.test(error.message) &&
        error.message.includes(`the Pulumi CLI ${MINIMUM_CLI_VERSION} or later, on PATH`) &&
        /Go \d+\.\d+(\.\d+)? or later \(https:\/\/go\.dev\/doc\/install\)/.test(error.message),
    );
  });

  describe("a build from Go modules (a stand-in go)", function () {
    let goLog: string;
    const lines: string[] = [];
    const log = (line: string) => lines.push(line);

    beforeEach(function () {
      lines.length = 0;
      goLog = path.join(dir, "go.log");
      const goDir = path.join(dir, "go-bin");
      fs.mkdirSync(goDir);
      fs.writeFileSync(path.join(goDir, "go"), FAKE_GO, { mode: 0o755 });
      Object.assign(env, { PATH: `${goDir}${path.delimiter}${env.PATH}`, GO_LOG: goLog, FAKE_VERSION: version });
    });

    it("prints one line per stage with its time, caches the result, and reuses it without building", function () {
      const built = locatePulumiCli({ build: true, env, log });
      assert.deepEqual(built, { dir: cachedBuildDir(env), version, source: "build" });
      assert.equal(lines.length, 5, lines.join("\n"));
      assert.match(lines[0], new RegExp(`^pulumi-cli: building Pulumi v${escaped} from Go modules into `));
      for (const [index, line] of lines.slice(1).entries())
        assert.match(line, new RegExp(`^pulumi-cli: \\[${index + 1}/4\\] .+ \\(\\d+s; \\d+s in all\\)$`));
      const builds = fs.readFileSync(goLog, "utf8").trim().split("\n");
      assert.equal(builds.length, 3);
      assert.match(
        builds[0],
        new RegExp(`-ldflags -X github\\.com/pulumi/pulumi/sdk/v3/go/common/version\\.Version=v${escaped} `),
      );
      assert.match(builds[0], /github\.com\/pulumi\/pulumi\/pkg\/v3\/cmd\/pulumi$/);
      assert.match(builds[1], /\.\/language-nodejs$/);
      // Pulumi's YAML host, from its own module (tools/pulumi-cli/language-yaml/go.mod), stamped with its version.
      assert.match(builds[2], /-X github\.com\/pulumi\/pulumi-yaml\/pkg\/version\.Version=v1\.25\.0 /);
      assert.match(builds[2], /github\.com\/pulumi\/pulumi-yaml\/cmd\/pulumi-language-yaml$/);
      assert.deepEqual(fs.readdirSync(built.dir).sort(), [...CLI_BINARIES].sort());
      assert.deepEqual(
        fs.readdirSync(path.dirname(built.dir)),
        [path.basename(built.dir)],
        "no half-built folder left",
      );

      assert.deepEqual(locatePulumiCli({ build: true, env, log }), { ...built, source: "cache" });
      assert.equal(fs.readFileSync(goLog, "utf8").trim().split("\n").length, 3, "not built again");
    });

    it("a failed build leaves no cache, says what go said; a build cleans up after a killed one", function () {
      const root = path.dirname(cachedBuildDir(env));
      fs.mkdirSync(path.join(root, ".build-999999999-abandoned"), { recursive: true });
      env.FAIL_BUILD = "./language-nodejs";
      assert.throws(
        () => locatePulumiCli({ build: true, env, log }),
        (error: Error) =>
          error instanceof PulumiCliError &&
          /go build \.\/language-nodejs.+failed/.test(error.message) &&
          /something broke/.test(error.message),
      );
      assert.deepEqual(fs.readdirSync(root), [], "no cache, no half-built folder, the abandoned one removed");
    });
  });

  it("the pulumi-cli script prints the folder alone on stdout; without a CLI, exits 1 saying why", async function () {
    const cached = fakeCliFolder(cachedBuildDir(env), version);
    const script = path.join(MODULE_DIR, "cli.ts");
    const ts = [path.join(repoRoot, "node_modules", "ts-node", "dist", "bin.js"), "--transpile-only", script];
    const found = await run(process.execPath, [...ts, "--no-build"], {
      cwd: repoRoot,
      env: { ...env, PATH: `${path.dirname(process.execPath)}:${env.PATH}` },
    });
    assert.deepEqual([found.code, found.stdout], [0, `${cached}\n`], found.stderr);
    fs.rmSync(cached, { recursive: true });
    const missing = await run(process.execPath, [...ts, "--no-build"], {
      cwd: repoRoot,
      env: { ...env, PATH: `${path.dirname(process.execPath)}:${env.PATH}` },
    });
    assert.equal(missing.code, 1);
    assert.equal(missing.stdout, "");
    assert.match(
      missing.stderr,
      /^pulumi-cli: no Pulumi CLI 3\.139\+ on PATH and no cached build in .+: `npm run pulumi-cli` builds one/,
    );
  });
});
