// `npm start` / `npm run preview`: the README's quick start. Starts the local Alation tenant (the emulator, state in
// .alation-data/), points the root stack at it with a local state backend (.pulumi-state/), runs `pulumi up` (or
// `pulumi preview`) with the Pulumi CLI of `npm run pulumi-cli` (built on first use), verifies the connector and
// walks through Claude's connector wizard with its fields (the secret only with --show-secret).
import { spawn, SpawnOptions } from "node:child_process";
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { DEFAULT_TEST_USER, freeLoopbackPort, shellPath, startEmulator } from "../../emulator";
import { wizardWalk } from "../../provider/domain/claude-wizard";
import { formatReports, verifyConnector } from "../../provider/verify";
import { locatePulumiCli, PulumiCliError } from "../../tools/pulumi-cli/locate";

const repo = path.resolve(__dirname, "../..");
const dataDir = path.join(repo, ".alation-data");
const stateDir = path.join(repo, ".pulumi-state");
const stack = "quickstart";
const stackConfigFile = path.join(repo, `Pulumi.${stack}.yaml`);
const DEFAULT_PORT = 8765;
const mode = process.argv.includes("--preview") ? "preview" : "up";
const showSecret = process.argv.includes("--show-secret");

function fail(message: string): never {
  console.error(`quickstart: ${message}`);
  process.exit(1);
}

/** The port of the tenant an earlier `npm start` recorded in the stack's config, if any. */
function recordedPort(): number | undefined {
  if (!fs.existsSync(stackConfigFile)) return undefined;
  const baseUrl = /^\s+alation:baseUrl:\s*(\S+)\s*$/m.exec(fs.readFileSync(stackConfigFile, "utf8"))?.[1];
  return baseUrl ? Number(new URL(baseUrl).port) : undefined;
}

/**
 * The local tenant answers `/ai/mcp` directly, where the emulator's default is a 307: Claude calls the MCP URL without
 * its trailing slash (anthropics/claude-ai-mcp issues 234 and 1056), so on a redirecting tenant verify fails, as it
 * should, at mcp-url-without-slash. Whether a real tenant redirects is unknown (alation-api.md section 8): the quick
 * start shows a connector that works, and says that it assumed this.
 */
const QUICKSTART_TENANT = { mcpWithoutSlash: "answer" } as const;
const ASSUMED = "whether Alation does is unknown: `alation-connector verify` on a real tenant tells";

/** What the walk shows for the secret unless --show-secret. */
const QUICKSTART_SECRET_HIDDEN = "[secret] (npm start -- --show-secret)";

const START_AFRESH = `rm -rf .pulumi-state .alation-data Pulumi.${stack}.yaml`;

/**
 * The emulator's port: ALATION_EMULATOR_PORT, else the one this stack's tenant was brought up on, else 8765. The
 * stack records its tenant's URL, so another port is another tenant: that takes starting afresh.
 */
function chosenPort(): number {
  const recorded = recordedPort();
  const given = process.env.ALATION_EMULATOR_PORT;
  if (given === undefined || given === "") return recorded ?? DEFAULT_PORT;
  const port = Number(given);
  if (!Number.isInteger(port) || port < 1 || port > 65535) {
    fail(`ALATION_EMULATOR_PORT must be a port number from 1 to 65535 (got ${JSON.stringify(given)})`);
  }
  if (recorded !== undefined && recorded !== port) {
    fail(
      `ALATION_EMULATOR_PORT=${port}, but the stack ${stack} was brought up on port ${recorded}, and another port is ` +
        `another tenant to Pulumi. Run without ALATION_EMULATOR_PORT (or with ${recorded}), or start afresh on ` +
        `port ${port}: ${START_AFRESH}`,
    );
  }
  return port;
}

async function portTakenMessage(port: number): Promise<string> {
  const other = await freeLoopbackPort();
  const taken = `port ${port} is taken (another \`npm start\` or emulator, or another program, listens on it)`;
  if (recordedPort() === undefined) {
    return `${taken}: stop that program, or pick another port: ALATION_EMULATOR_PORT=${other} npm start`;
  }
  return (
    `${taken}, and the stack ${stack} was brought up on it: stop that program and run this again, or start afresh ` +
    `on another port: ${START_AFRESH} && ALATION_EMULATOR_PORT=${other} npm start`
  );
}

function adminToken(): string {
  const file = path.join(dataDir, "admin-token");
  if (!fs.existsSync(file)) {
    fs.mkdirSync(dataDir, { recursive: true });
    fs.writeFileSync(file, randomBytes(24).toString("base64url"), { mode: 0o600 });
  }
  return fs.readFileSync(file, "utf8").trim();
}

/**
 * Pulumi's provider process loads `pulumi-alation/runtime` from the project's node_modules (the serialized
 * provider resolves it from there, as in a user's project): link this repo in as that package.
 */
function linkPackageIntoItsProject(): void {
  const link = path.join(repo, "node_modules", "pulumi-alation");
  if (!fs.existsSync(link)) fs.symlinkSync(repo, link, "dir");
}

/** Runs the CLI without blocking this process, which serves the emulator the CLI's providers call. */
function runPulumi(pulumi: string, args: string[], options: SpawnOptions & { input?: string } = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(pulumi, args, { cwd: repo, stdio: ["pipe", "inherit", "inherit"], ...options });
    let stdout = "";
    child.stdout?.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.on("error", reject);
    child.on("close", (code) =>
      code === 0 ? resolve(stdout) : reject(new Error(`pulumi ${args[0]} failed (exit ${code})`)),
    );
    child.stdin?.end(options.input ?? "");
  });
}

async function main(): Promise<void> {
  const port = chosenPort();
  let cli;
  try {
    cli = locatePulumiCli({ build: true });
  } catch (error) {
    if (error instanceof PulumiCliError) fail(error.message);
    throw error;
  }
  const origin = cli.source === "path" ? "on PATH" : "built from Go modules";
  console.log(`quickstart: Pulumi CLI v${cli.version} in ${cli.dir} (${origin})`);
  linkPackageIntoItsProject();
  const token = adminToken();
  let emulator;
  try {
    emulator = await startEmulator({ port, dataDir, adminToken: token, ...QUICKSTART_TENANT });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === "EADDRINUSE") fail(await portTakenMessage(port));
    throw error;
  }
  console.log(`quickstart: local Alation tenant at ${emulator.url} (state in ${path.relative(repo, dataDir)}/)`);
  try {
    fs.mkdirSync(stateDir, { recursive: true });
    const env = {
      ...process.env,
      PULUMI_BACKEND_URL: `file://${stateDir}`,
      PULUMI_CONFIG_PASSPHRASE: process.env.PULUMI_CONFIG_PASSPHRASE ?? "quickstart",
      PULUMI_SKIP_UPDATE_CHECK: "true",
      // The stack's `local` shell runs the emulator's alation_conf on this machine.
      ALATION_EMULATOR_URL: emulator.url,
      // The CLI first: it finds its language host and the dynamic providers' plugin on PATH.
      PATH: [cli.dir, shellPath(), process.env.PATH ?? ""].join(path.delimiter),
    };
    const pulumi = (args: string[], options: SpawnOptions & { input?: string } = {}) =>
      runPulumi(path.join(cli.dir, "pulumi"), args, { env, ...options });
    await pulumi(["stack", "select", "--create", stack]);
    // The stack's settings: this tenant, and its shell (for the JWT flag), in one CLI run; the token goes in
    // encrypted, by stdin.
    const settings = Object.entries({
      "alation:baseUrl": emulator.url,
      "alation:shell": JSON.stringify({ local: {} }),
    });
    await pulumi(["config", "set-all", ...settings.flatMap(([key, value]) => ["--plaintext", `${key}=${value}`])]);
    await pulumi(["config", "set", "--secret", "alation:apiAccessToken"], { input: token });
    // `up` runs the program once, without a preview first: the plan is `npm run preview`'s.
    await pulumi(mode === "up" ? ["up", "--yes", "--skip-preview"] : ["preview"]);
    if (mode === "preview") return;

    const outputs = await pulumi(["stack", "output", "--json", "--show-secrets"], {
      stdio: ["pipe", "pipe", "inherit"],
    });
    const fields = JSON.parse(outputs) as Record<string, string>;

    // Walk the path Claude walks (the emulator's test user logs in, without a browser), before anyone clicks Connect.
    const report = await verifyConnector(
      { remoteMcpServerUrl: fields.remoteMcpServerUrl, clientId: fields.clientId, clientSecret: fields.clientSecret },
      { emulator: true, login: DEFAULT_TEST_USER },
    );
    console.log(`\n${formatReports([report], { wizard: false })}`);
    if (!report.ok) fail("the connector did not verify");
    console.log(`quickstart: the local tenant answers /ai/mcp directly (${ASSUMED})\n`);
    const clientSecret = showSecret ? fields.clientSecret : QUICKSTART_SECRET_HIDDEN;
    const { connectorName, remoteMcpServerUrl, clientId } = fields;
    console.log(wizardWalk({ connectorName, remoteMcpServerUrl, clientId, clientSecret }).join("\n"));
  } finally {
    await emulator.stop();
  }
}

main().catch((error: unknown) => fail(error instanceof Error ? error.message : String(error)));
