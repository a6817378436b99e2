// Finds, or builds, the Pulumi CLI this project runs: `pulumi`, `pulumi-language-nodejs`, `pulumi-language-yaml` and
// `pulumi-resource-pulumi-nodejs` in one folder. In this order (tools/pulumi-cli/README.md):
//   1. the user's own CLI on PATH, looked up outside any node_modules folder (npm puts node_modules/.bin first);
//   2. a cached build, outside the clone (so a second clone and CI on the same machine reuse it);
//   3. a build from Go modules (tools/pulumi-cli/go.mod), when `go` is installed and the caller allows it.
// The version built is the @pulumi/pulumi that package.json pins; a test checks that go.mod requires the same.
import { spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import * as sources from "./sources";
import { MODULE_DIR, sourcesHash, yamlHostVersion } from "./sources";

/** The engine gives stack config to a dynamic provider's `configure` only from this version on. */
export const MINIMUM_CLI_VERSION = "3.139.0";
/** What the folder holds: the CLI, the Node.js and YAML language hosts, and the dynamic providers' plugin. */
export const CLI_BINARIES = [
  "pulumi",
  "pulumi-language-nodejs",
  "pulumi-language-yaml",
  "pulumi-resource-pulumi-nodejs",
] as const;
export { MODULE_DIR, sourcesHash, yamlHostVersion };
const REPO_ROOT = path.resolve(MODULE_DIR, "..", "..");
const CLI_PACKAGE = "github.com/pulumi/pulumi/pkg/v3/cmd/pulumi";
/** The Go variable a build stamps with the version (`pulumi version`, the language host's GetPluginInfo). */
export const VERSION_VARIABLE = "github.com/pulumi/pulumi/sdk/v3/go/common/version.Version";
const LAUNCHER = "pulumi-resource-pulumi-nodejs";
const INSTALL_PULUMI = "https://www.pulumi.com/docs/iac/download-install/";

/** A folder holding working CLI binaries. */
export interface PulumiCli {
  /** Absolute path of the folder. */
  dir: string;
  /** As `pulumi version` prints it, without the leading `v`. */
  version: string;
  /** Where it came from. */
  source: "path" | "cache" | "build";
}

export interface LocateOptions {
  /** Build from Go modules when neither PATH nor the cache has a CLI. */
  build: boolean;
  /** PATH, HOME, XDG_CACHE_HOME and Go's settings come from here. Default: process.env. */
  env?: NodeJS.ProcessEnv;
  /** Receives the build's progress, one line per stage. Default: stderr. */
  log?: (line: string) => void;
}

/** A CLI that cannot be found, built, or used; the message says what to do. */
export class PulumiCliError extends Error {
  override name = "PulumiCliError";
}

/** The Pulumi version to build: the exact @pulumi/pulumi that package.json pins. */
export function pinnedVersion(): string {
  const manifest = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "package.json"), "utf8"));
  const pin: unknown = manifest.devDependencies?.["@pulumi/pulumi"];
  if (typeof pin !== "string" || !/^\d+\.\d+\.\d+$/.test(pin)) {
    throw new PulumiCliError(`package.json must pin an exact @pulumi/pulumi version in devDependencies (found ${pin})`);
  }
  return pin;
}

/** The Go version that tools/pulumi-cli/go.mod asks for (its `go` directive). */
export function requiredGoVersion(): string {
  const match = /^go (\S+)$/m.exec(fs.readFileSync(path.join(MODULE_DIR, "go.mod"), "utf8"));
  return match ? match[1] : "(see tools/pulumi-cli/go.mod)";
}

/** Where builds are cached: `${XDG_CACHE_HOME:-~/.cache}/pulumi-alation`. */
export function cacheRoot(env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_CACHE_HOME || path.join(env.HOME || os.homedir(), ".cache");
  return path.join(base, "pulumi-alation");
}

/** The cached build's folder: one per version and per content of the Go module's sources. */
export function cachedBuildDir(env: NodeJS.ProcessEnv = process.env): string {
  return path.join(cacheRoot(env), `${pinnedVersion()}-${sourcesHash()}`);
}

/** Finds the CLI (PATH, then the cache), building it when allowed. Throws PulumiCliError. */
export function locatePulumiCli(options: LocateOptions): PulumiCli {
  const env = options.env ?? process.env;
  const notes: string[] = [];
  const fromPath = findOnPath(env, notes);
  if (fromPath) return fromPath;
  const version = pinnedVersion();
  const dir = cachedBuildDir(env);
  if (isWorkingFolder(dir, version, env)) return { dir, version, source: "cache" };
  if (!options.build) {
    throw new PulumiCliError(
      `no Pulumi CLI ${MINIMUM_CLI_VERSION.replace(/\.0$/, "")}+ on PATH and no cached build in ${dir}` +
        `${describeNotes(notes)}: \`npm run pulumi-cli\` builds one from Go modules (needs Go), or install Pulumi ` +
        `(${INSTALL_PULUMI})`,
    );
  }
  buildInto(dir, version, env, options.log ?? ((line) => process.stderr.write(`${line}\n`)), notes);
  return { dir, version, source: "build" };
}

/** Whether `version` (x.y.z, maybe with a suffix) is at least `minimum`. */
export function isAtLeast(version: string, minimum: string): boolean {
  const parts = (text: string) => (/^(\d+)\.(\d+)\.(\d+)/.exec(text) ?? []).slice(1).map(Number);
  const [a, b] = [parts(version), parts(minimum)];
  if (a.length !== 3) return false;
  for (let i = 0; i < 3; i++) if (a[i] !== b[i]) return a[i] > b[i];
  return true;
}

/** The user's CLI: the first `pulumi` on PATH outside node_modules whose folder also holds the other binaries. */
function findOnPath(env: NodeJS.ProcessEnv, notes: string[]): PulumiCli | undefined {
  for (const entry of (env.PATH ?? "").split(path.delimiter)) {
    if (!entry || path.resolve(entry).split(path.sep).includes("node_modules")) continue;
    const pulumi = path.join(entry, "pulumi");
    if (!isExecutableFile(pulumi)) continue;
    // An installed CLI keeps its plugins beside the real binary; PATH may hold a symlink to it.
    const dir = [...new Set([path.resolve(entry), path.dirname(fs.realpathSync(pulumi))])].find(holdsAllBinaries);
    if (!dir) {
      notes.push(`${pulumi} has no ${CLI_BINARIES.slice(1).join(" and ")} beside it`);
      continue;
    }
    const version = versionOf(path.join(dir, "pulumi"), env);
    if (!version) {
      notes.push(`\`${pulumi} version\` failed`);
      continue;
    }
    if (!isAtLeast(version, MINIMUM_CLI_VERSION)) {
      throw new PulumiCliError(
        `the Pulumi CLI on PATH (${pulumi}) is v${version}; pulumi-alation needs ${MINIMUM_CLI_VERSION} or later ` +
          `(older engines do not pass stack config to dynamic providers). Upgrade it (${INSTALL_PULUMI}), or take ` +
          `it off PATH so that \`npm run pulumi-cli\` uses a build of v${pinnedVersion()} from Go modules.`,
      );
    }
    return { dir, version, source: "path" };
  }
  return undefined;
}

function isWorkingFolder(dir: string, version: string, env: NodeJS.ProcessEnv): boolean {
  return holdsAllBinaries(dir) && versionOf(path.join(dir, "pulumi"), env) === version;
}

function holdsAllBinaries(dir: string): boolean {
  return CLI_BINARIES.every((name) => isExecutableFile(path.join(dir, name)));
}

function isExecutableFile(file: string): boolean {
  try {
    fs.accessSync(file, fs.constants.X_OK);
    return fs.statSync(file).isFile();
  } catch {
    return false;
  }
}

function versionOf(pulumi: string, env: NodeJS.ProcessEnv): string | undefined {
  const probe = spawnSync(pulumi, ["version"], {
    env: { ...env, PULUMI_SKIP_UPDATE_CHECK: "true" },
    encoding: "utf8",
    timeout: 60_000,
  });
  if (probe.status !== 0) return undefined;
  return /^v?(\d+\.\d+\.\d+\S*)/m.exec(probe.stdout.trim())?.[1];
}

function describeNotes(notes: string[]): string {
  return notes.length > 0 ? ` (${notes.join("; ")})` : "";
}

/**
 * Builds the four binaries into a fresh folder next to `dir`, then renames it to `dir`: an interrupted build
 * never leaves a half-filled cache, and of two builds racing, the first rename wins.
 */
function buildInto(
  dir: string,
  version: string,
  env: NodeJS.ProcessEnv,
  log: (line: string) => void,
  notes: string[],
): void {
  const go = findExecutable("go", env);
  if (!go) {
    throw new PulumiCliError(
      `no Pulumi CLI found${describeNotes(notes)}, and Go is not installed to build one. Install either:\n` +
        `  - the Pulumi CLI ${MINIMUM_CLI_VERSION} or later, on PATH (${INSTALL_PULUMI}); or\n` +
        `  - Go ${requiredGoVersion()} or later (https://go.dev/doc/install): \`npm run pulumi-cli\` then builds ` +
        `Pulumi v${version} from Go modules into ${cacheRoot(env)} (a few minutes, once per machine).`,
    );
  }
  fs.mkdirSync(path.dirname(dir), { recursive: true });
  removeAbandonedBuilds(path.dirname(dir));
  const work = fs.mkdtempSync(path.join(path.dirname(dir), `.build-${process.pid}-`));
  const started = Date.now();
  log(`pulumi-cli: building Pulumi v${version} from Go modules into ${dir} (a few minutes, once per machine)`);
  try {
    const stages = buildStages(go, work, version, env);
    for (const [index, stage] of stages.entries()) {
      const stageStarted = Date.now();
      stage.run();
      const times = `${elapsed(stageStarted)}; ${elapsed(started)} in all`;
      log(`pulumi-cli: [${index + 1}/${stages.length}] ${stage.name} (${times})`);
    }
    fs.chmodSync(work, 0o755);
    try {
      fs.renameSync(work, dir);
    } catch (error) {
      // Another build finished first (the folder exists now): keep that one.
      if (!holdsAllBinaries(dir)) throw error;
    }
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
}

/** The stages of a build into `work`, in order: each builds or checks one binary. */
function buildStages(
  go: string,
  work: string,
  version: string,
  env: NodeJS.ProcessEnv,
): Array<{ name: string; run: () => void }> {
  const ldflags = `-X ${VERSION_VARIABLE}=v${version}`;
  return [
    {
      name: `pulumi v${version}`,
      run: () => goBuild(go, ["-ldflags", ldflags, "-o", path.join(work, "pulumi"), CLI_PACKAGE], env),
    },
    {
      name: "pulumi-language-nodejs",
      run: () =>
        goBuild(go, ["-ldflags", ldflags, "-o", path.join(work, "pulumi-language-nodejs"), "./language-nodejs"], env),
    },
    {
      name: `pulumi-language-yaml ${yamlHostVersion()}`,
      run: () => {
        const yamlFlags = `-X ${sources.YAML_VERSION_VARIABLE}=${yamlHostVersion()}`;
        const output = path.join(work, "pulumi-language-yaml");
        goBuild(go, ["-ldflags", yamlFlags, "-o", output, sources.YAML_HOST_PACKAGE], env, sources.YAML_MODULE_DIR);
      },
    },
    {
      name: `${LAUNCHER}, checked`,
      run: () => {
        fs.copyFileSync(path.join(MODULE_DIR, LAUNCHER), path.join(work, LAUNCHER));
        fs.chmodSync(path.join(work, LAUNCHER), 0o755);
        const built = versionOf(path.join(work, "pulumi"), env);
        if (built !== version) throw new PulumiCliError(`the built pulumi reports version ${built}, not ${version}`);
      },
    },
  ];
}

function goBuild(go: string, args: string[], env: NodeJS.ProcessEnv, cwd = MODULE_DIR): void {
  const result = spawnSync(go, ["build", ...args], {
    cwd,
    // GOWORK=off: a go.work in a parent folder must not change what is built.
    env: { ...env, GOWORK: "off" },
    encoding: "utf8",
    maxBuffer: 64 * 1024 * 1024,
  });
  if (result.status === 0) return;
  const output = `${result.stderr ?? ""}${result.stdout ?? ""}`.trim().split("\n").slice(-20).join("\n");
  throw new PulumiCliError(
    `\`go build ${args[args.length - 1]}\` in ${cwd} failed ` +
      `(${result.error?.message ?? `exit ${result.status}`}):\n${output}`,
  );
}

function findExecutable(name: string, env: NodeJS.ProcessEnv): string | undefined {
  return (env.PATH ?? "")
    .split(path.delimiter)
    .filter(Boolean)
    .map((entry) => path.join(entry, name))
    .find(isExecutableFile);
}

/** Removes the folders of builds whose process is gone (killed mid-build). */
function removeAbandonedBuilds(root: string): void {
  for (const name of fs.readdirSync(root)) {
    const pid = Number(/^\.build-(\d+)-/.exec(name)?.[1]);
    if (!pid || isRunning(pid)) continue;
    fs.rmSync(path.join(root, name), { recursive: true, force: true });
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

function elapsed(since: number): string {
  const seconds = Math.round((Date.now() - since) / 1000);
  return seconds >= 60 ? `${Math.floor(seconds / 60)}m ${seconds % 60}s` : `${seconds}s`;
}
