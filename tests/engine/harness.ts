// The engine suite's toolbox: the real Pulumi CLI (found by tools/pulumi-cli/locate.ts, never built here unless
// the cache is there), projects in temporary folders, stacks on a local file backend with a passphrase, PULUMI_HOME
// in a temporary folder, emulated tenants on loopback. Nothing goes beyond loopback: the CLI's HTTP proxy is a dead
// loopback port and plugin downloads are off.
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { DEFAULT_TEST_USER as EMULATOR_TEST_USER, shellPath } from "../../emulator";
import { connectorsFromJson, formatReports, verifyConnectors as verifyAll } from "../../provider/verify";
import { locatePulumiCli, PulumiCliError, type PulumiCli } from "../../tools/pulumi-cli/locate";
import type { EmulatorOptions } from "../../emulator";
import { JWT_FLAG, startTestTenant, type Answer, type CallOptions, type TestTenant } from "../support/test-tenant";
import { installedPackageProject, linkRepoIntoItsNodeModules } from "../support/installed-package";

export const repoRoot = path.resolve(__dirname, "..", "..");
/** What the CLI and the emulator print as JSON, read by tests. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;
const PASSPHRASE = "engine-suite-passphrase";
/** Set by .ci/run: the suite must run, so a missing CLI fails instead of skipping. */
const REQUIRED = process.env.PULUMI_ALATION_ENGINE_TESTS === "required";

let located: { cli?: PulumiCli; reason?: string } | undefined;

/** The CLI, or why there is none. Looked up once per test process. */
export function engineCli(): { cli?: PulumiCli; reason?: string } {
  if (!located) {
    try {
      located = { cli: locatePulumiCli({ build: false }) };
    } catch (error) {
      if (!(error instanceof PulumiCliError)) throw error;
      located = { reason: error.message };
    }
  }
  return located;
}

let skipNoticePrinted = false;

/**
 * `describe`, when a CLI is found. Without one the suite prints one line saying why it was skipped and how to get
 * the CLI, and registers nothing (or, when .ci/run requires the suite, one failing test).
 */
export function describeEngine(title: string, body: (this: Mocha.Suite) => void): void {
  const { cli, reason } = engineCli();
  if (cli) {
    describe(`engine: ${title}`, function () {
      this.timeout(300_000);
      this.slow(30_000);
      body.call(this);
    });
    return;
  }
  if (REQUIRED) {
    describe(`engine: ${title}`, () =>
      it("runs through the Pulumi CLI", () =>
        Promise.reject(new Error(`PULUMI_ALATION_ENGINE_TESTS=required, but ${reason}`))));
    return;
  }
  if (skipNoticePrinted) return;
  skipNoticePrinted = true;
  console.log(`engine suite (tests/engine/) skipped: ${reason}`);
}

/** What a CLI command printed and how it ended. */
export interface CommandResult {
  code: number;
  stdout: string;
  stderr: string;
}

export class CommandError extends Error {
  constructor(
    readonly args: string[],
    readonly result: CommandResult,
  ) {
    super(`pulumi ${args.join(" ")} exited ${result.code}:\n${result.stdout}\n${result.stderr}`.slice(0, 20_000));
    this.name = "CommandError";
  }
}

let pulumiHome: string | undefined;

const temporaryFolders: string[] = [];
process.once("exit", () => temporaryFolders.forEach((dir) => fs.rmSync(dir, { recursive: true, force: true })));

/** A fresh folder, removed when the test process exits. */
export function temporaryFolder(prefix: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  temporaryFolders.push(dir);
  return dir;
}

/** The environment of every CLI command: the CLI and the emulator's shell commands first on PATH. */
export function cliEnvironment(cli: PulumiCli, backendDir: string, extra: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  pulumiHome ??= temporaryFolder("pulumi-home-");
  const env: NodeJS.ProcessEnv = {};
  // Not this test process's settings: ALATION_* would reach the provider, TS_NODE_* (.mocharc.js) would turn the
  // CLI's type checking off.
  for (const [key, value] of Object.entries(process.env)) if (!/^(ALATION|PULUMI|TS_NODE)_/.test(key)) env[key] = value;
  return {
    ...env,
    PATH: [cli.dir, shellPath(), process.env.PATH ?? ""].join(path.delimiter),
    PULUMI_HOME: pulumiHome,
    PULUMI_BACKEND_URL: `file://${backendDir}`,
    PULUMI_CONFIG_PASSPHRASE: PASSPHRASE,
    PULUMI_SKIP_UPDATE_CHECK: "true",
    PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION: "true",
    // TypeScript programs compile without type checking (2 to 4 s of CPU a run): the tests that prove the CLI
    // type-checks a user's program set "false" (program-kinds.test.ts; walkthrough and quickstart run the CLI as the
    // README says, with an environment of their own).
    PULUMI_NODEJS_TRANSPILE_ONLY: "true",
    // Nothing beyond loopback: any other HTTP(S) the CLI tried would go to a closed loopback port.
    HTTP_PROXY: "http://127.0.0.1:9",
    HTTPS_PROXY: "http://127.0.0.1:9",
    NO_PROXY: "127.0.0.1,localhost,::1",
    ...extra,
  };
}

/** A Pulumi project: a folder with Pulumi.yaml, whose program may live elsewhere (`main`). */
export class EngineProject {
  private stacks = 0;

  private constructor(
    readonly dir: string,
    readonly name: string,
  ) {}

  /**
   * A project in a fresh folder of the test's user project (where `pulumi-alation` is installed from its packed
   * tarball, with typescript and @types/node as a user's TypeScript project has them), with the given files.
   */
  static inUserProject(label: string, files: Record<string, string>): EngineProject {
    const userProject = installedPackageProject();
    for (const dependency of ["typescript", "@types/node"]) {
      const link = path.join(userProject, "node_modules", dependency);
      if (!fs.existsSync(link)) {
        fs.mkdirSync(path.dirname(link), { recursive: true });
        fs.symlinkSync(path.join(repoRoot, "node_modules", dependency), link, "dir");
      }
    }
    const dir = fs.mkdtempSync(path.join(userProject, `${label}-`));
    for (const [file, text] of Object.entries(files)) {
      fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
      fs.writeFileSync(path.join(dir, file), text);
    }
    return new EngineProject(dir, projectName(files["Pulumi.yaml"]));
  }

  /** An example as it is in the repo (Pulumi.yaml, index.ts and any stack files), in the user project. */
  static example(name: string): EngineProject {
    const source = path.join(repoRoot, "examples", name);
    const files: Record<string, string> = {};
    for (const file of fs.readdirSync(source)) {
      if (/^Pulumi.*\.yaml$|\.ts$/.test(file)) files[file] = fs.readFileSync(path.join(source, file), "utf8");
    }
    return EngineProject.inUserProject(`example-${name}`, files);
  }

  /**
   * A project whose program is a folder's program where it is (its Pulumi.yaml with `main` pointing there): stack
   * files stay in a temporary folder, and the provider process starts in the program's folder, as for the user.
   */
  static at(programDir: string): EngineProject {
    if (programDir === repoRoot) linkRepoIntoItsNodeModules();
    const manifest = fs.readFileSync(path.join(programDir, "Pulumi.yaml"), "utf8");
    const main = /^main:\s*(\S+)\s*$/m.exec(manifest)?.[1] ?? ".";
    const dir = temporaryFolder("engine-project-");
    const pointed = /^main:/m.test(manifest)
      ? manifest.replace(/^main:.*$/m, `main: ${path.resolve(programDir, main)}`)
      : `${manifest.trimEnd()}\nmain: ${programDir}\n`;
    fs.writeFileSync(path.join(dir, "Pulumi.yaml"), pointed);
    return new EngineProject(dir, projectName(manifest));
  }

  /** Writes a file of the project (a program's new version, say). */
  write(file: string, text: string): void {
    fs.writeFileSync(path.join(this.dir, file), text);
  }

  /** A new stack of this project (named `s1`, `s2`... unless named), on a backend of its own. */
  async stack(
    config: StackConfig = {},
    options: { env?: NodeJS.ProcessEnv; name?: string } = {},
  ): Promise<EngineStack> {
    const { cli } = engineCli();
    if (!cli) throw new Error("no Pulumi CLI");
    const name = options.name ?? `s${++this.stacks}`;
    const stack = new EngineStack(this, name, cli, temporaryFolder("pulumi-backend-"), options.env ?? {});
    await stack.pulumi(["stack", "init"]);
    await stack.setConfig(config, { newStack: true });
    return stack;
  }
}

/** A config key with its namespace: `project:key` for a bare `key`. */
function qualified(key: string, project: string): string {
  return key.includes(":") ? key : `${project}:${key}`;
}

function projectName(manifest: string | undefined): string {
  const name = /^name:\s*(\S+)\s*$/m.exec(manifest ?? "")?.[1];
  if (!name) throw new Error("Pulumi.yaml has no name");
  return name;
}

/** Config values: plain strings (objects as JSON), `{ secret }` for a secret. */
export type StackConfig = Record<string, string | { secret: string }>;

/** One stack, driven through the CLI. */
export class EngineStack {
  /** Every command run and what it printed, to look for secrets in. */
  readonly transcript: Array<{ args: string[] } & CommandResult> = [];
  /**
   * What the read-only commands of `outputs` and `exportText` printed since the last other command: the stack's state
   * changes only through a command (a CLI run costs about 0.4 s of CPU, and tests read the same state several times).
   */
  private readonly reads = new Map<string, Promise<CommandResult>>();

  constructor(
    readonly project: EngineProject,
    readonly name: string,
    private readonly cli: PulumiCli,
    readonly backendDir: string,
    /** Environment added to every command (ALATION_EMULATOR_URL for a local shell, say). */
    public env: NodeJS.ProcessEnv,
  ) {}

  /** Runs `pulumi ARGS --stack NAME` in the project folder; rejects with CommandError unless it exits 0. */
  async pulumi(
    args: string[],
    options: { input?: string; env?: NodeJS.ProcessEnv; allowFailure?: boolean } = {},
  ): Promise<CommandResult> {
    // The harness's flags go before a `--` (after which everything is an argument, such as an id beginning with "-").
    const own = ["--stack", this.name, "--non-interactive", "--color", "never"];
    const separator = args.indexOf("--");
    const fullArgs =
      separator < 0 ? [...args, ...own] : [...args.slice(0, separator), ...own, ...args.slice(separator)];
    this.reads.clear();
    const result = await run(path.join(this.cli.dir, "pulumi"), fullArgs, {
      cwd: this.project.dir,
      env: cliEnvironment(this.cli, this.backendDir, { ...this.env, ...options.env }),
      input: options.input,
    });
    this.transcript.push({ args: fullArgs, ...result });
    if (result.code !== 0 && !options.allowFailure) throw new CommandError(fullArgs, result);
    return result;
  }

  /**
   * Plain values in one `config set-all` (a CLI run costs about 0.4 s of CPU), or, on a `newStack` (whose settings file
   * `stack init` just wrote, with its encryption salt alone), written into that file as a user may write them; each
   * secret through the CLI, on stdin, never in argv.
   */
  async setConfig(config: StackConfig, options: { newStack?: boolean } = {}): Promise<void> {
    const entries = Object.entries(config);
    const plain = entries.filter((entry): entry is [string, string] => typeof entry[1] === "string");
    const settingsFile = path.join(this.project.dir, `Pulumi.${this.name}.yaml`);
    // A stack file that came with the project (an example's) may have config already: then the CLI merges.
    const fileHasNoConfig = () =>
      fs.existsSync(settingsFile) && !/^config:/m.test(fs.readFileSync(settingsFile, "utf8"));
    if (plain.length > 0 && options.newStack && fileHasNoConfig()) {
      // JSON strings are YAML's double-quoted scalars; a key without a namespace is the project's, as for the CLI.
      const lines = plain.map(
        ([key, value]) => `  ${JSON.stringify(qualified(key, this.project.name))}: ${JSON.stringify(value)}`,
      );
      fs.appendFileSync(settingsFile, `config:\n${lines.join("\n")}\n`);
    } else if (plain.length > 0) {
      await this.pulumi(["config", "set-all", ...plain.flatMap(([key, value]) => ["--plaintext", `${key}=${value}`])]);
    }
    for (const [key, value] of entries) {
      if (typeof value !== "string") await this.pulumi(["config", "set", "--secret", key], { input: value.secret });
    }
  }

  up(args: string[] = [], options: { env?: NodeJS.ProcessEnv; allowFailure?: boolean } = {}): Promise<CommandResult> {
    return this.pulumi(["up", "--yes", "--skip-preview", ...args], options);
  }

  preview(args: string[] = []): Promise<CommandResult> {
    return this.pulumi(["preview", ...args]);
  }

  refresh(
    args: string[] = [],
    options: { env?: NodeJS.ProcessEnv; allowFailure?: boolean } = {},
  ): Promise<CommandResult> {
    return this.pulumi(["refresh", "--yes", "--skip-preview", ...args], options);
  }

  destroy(
    args: string[] = [],
    options: { env?: NodeJS.ProcessEnv; allowFailure?: boolean } = {},
  ): Promise<CommandResult> {
    return this.pulumi(["destroy", "--yes", "--skip-preview", ...args], options);
  }

  /** `pulumi stack output --json` (with `--show-secrets` when asked), parsed. */
  async outputs(showSecrets = false): Promise<Record<string, Json>> {
    const result = await this.read(["stack", "output", "--json", ...(showSecrets ? ["--show-secrets"] : [])]);
    return JSON.parse(result.stdout);
  }

  /** `pulumi stack export` as text. */
  async exportText(): Promise<string> {
    return (await this.read(["stack", "export"])).stdout;
  }

  /** A read-only command's result: run once, then remembered until another command runs. */
  private read(args: string[]): Promise<CommandResult> {
    const key = args.join(" ");
    const remembered = this.reads.get(key);
    if (remembered) return remembered;
    const result = this.pulumi(args);
    this.reads.set(key, result);
    result.catch(() => this.reads.delete(key));
    return result;
  }

  /** The resources of the exported state. */
  async resources(): Promise<Array<{ urn: string; type: string; id?: string; outputs?: Record<string, Json> }>> {
    return JSON.parse(await this.exportText()).deployment.resources ?? [];
  }

  /** The URN of this stack's resource of `type` named `name`. */
  async urnOf(type: string, name: string): Promise<string> {
    const found = (await this.resources()).find(
      (resource) => resource.type === type && resource.urn.endsWith(`::${name}`),
    );
    if (!found) throw new Error(`no ${type} named ${name} in the stack`);
    return found.urn;
  }
}

/**
 * Runs a command without blocking this process (it serves the emulators the command's providers call). With
 * `timeoutMs`, a command that runs longer is killed (SIGTERM), so that it cannot outlive its test.
 */
export function run(
  command: string,
  args: string[],
  options: { cwd: string; env: NodeJS.ProcessEnv; input?: string; timeoutMs?: number },
): Promise<CommandResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, {
      cwd: options.cwd,
      env: options.env,
      stdio: ["pipe", "pipe", "pipe"],
      timeout: options.timeoutMs,
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code: code ?? 1, stdout, stderr }));
    child.stdin.end(options.input ?? "");
  });
}

/**
 * Verifies a stack's connectors. Without `login`: `alation-connector verify --emulator --no-login` (the built CLI)
 * on the stack's outputs. With it (the default): the same verifier as a library, logging in as the emulator's test user
 * without a browser (the CLI's `--login` goes through a real browser and the verifier's loopback redirect, which
 * tests/verify/browser-login.test.ts covers).
 */
export async function verifyConnectors(stack: EngineStack, options: { login?: boolean } = {}): Promise<CommandResult> {
  const outputs = JSON.stringify(await stack.outputs(true));
  if (options.login === false) {
    const cli = path.join(repoRoot, "dist", "provider", "verify", "cli.js");
    const argv = [cli, "verify", "--emulator", "--no-login"];
    return run(process.execPath, argv, { cwd: repoRoot, env: process.env, input: outputs });
  }
  const inputs = connectorsFromJson(outputs);
  const reports = await verifyAll(inputs, { emulator: true, login: EMULATOR_TEST_USER });
  return { code: reports.every((report) => report.ok) ? 0 : 1, stdout: formatReports(reports), stderr: "" };
}

/** An emulated tenant that records which requests it answered, to count them and the writes among them. */
export class RecordingTenant {
  private constructor(
    readonly tenant: TestTenant,
    readonly adminToken: string,
    private readonly lines: string[],
  ) {}

  static async start(adminToken: string, options: Partial<EmulatorOptions> = {}): Promise<RecordingTenant> {
    const lines: string[] = [];
    const tenant = await startTestTenant({ ...options, adminToken, log: (line) => lines.push(line) });
    return new RecordingTenant(tenant, adminToken, lines);
  }

  /** A call as a Server Admin of this tenant. */
  call(method: string, urlPath: string, options: CallOptions = {}): Promise<Answer> {
    return this.tenant.call(method, urlPath, { token: this.adminToken, ...options });
  }

  get url(): string {
    return this.tenant.url;
  }

  /** Forgets what was recorded so far. */
  reset(): void {
    this.lines.length = 0;
  }

  /** Requests to the tenant's own API (the admin API, OAuth, MCP), test hooks excluded. */
  requests(): string[] {
    return this.answered().filter((line) => !line.includes(" /__emulator/"));
  }

  /** Requests that change the tenant: admin API writes and the shell commands' writes (alation_conf -s, Django). */
  writes(): string[] {
    return this.answered().filter((line) => {
      const [method, urlPath] = line.split(" ");
      if (urlPath.startsWith("/__emulator/shell/")) return method !== "GET";
      return !urlPath.startsWith("/__emulator/") && urlPath.startsWith("/integration/") && method !== "GET";
    });
  }

  async clients(): Promise<Array<Record<string, Json>>> {
    return (await this.call("GET", "/__emulator/state")).json.clients;
  }

  async jwtFlag(): Promise<string | undefined> {
    return (await this.call("GET", "/__emulator/state")).json.conf[JWT_FLAG];
  }

  stop(): Promise<void> {
    return this.tenant.stop();
  }

  // The emulator logs "METHOD /path STATUS Nms" for each answered request.
  private answered(): string[] {
    return this.lines.filter((line) => /^[A-Z]+ \/\S* \d{3} \d+ms$/.test(line));
  }
}
