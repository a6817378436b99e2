// `npm start` / `npm run preview`: the README's quick start. Starts the local Alation tenant (the emulator, state in
// .alation-data/), points the root stack at it with a local state backend (.pulumi-state/), runs `pulumi up` (or
// `pulumi preview`), prints the connector's fields (the secret only with --show-secret) and verifies the connector.
import { spawnSync, SpawnSyncOptions } from "node:child_process";
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { shellPath, startEmulator } from "../../emulator";
import { EMULATOR_TEST_USER, formatReports, verifyConnector } from "../../provider/verify";

const repo = path.resolve(__dirname, "../..");
const dataDir = path.join(repo, ".alation-data");
const stateDir = path.join(repo, ".pulumi-state");
const stack = "quickstart";
const port = Number(process.env.ALATION_EMULATOR_PORT ?? 8765);
const mode = process.argv.includes("--preview") ? "preview" : "up";
const showSecret = process.argv.includes("--show-secret");

function fail(message: string): never {
  console.error(`quickstart: ${message}`);
  process.exit(1);
}

/** The Pulumi CLI: the `pulumi` npm package's (it downloads the binary on first use), else one on PATH. */
function findPulumi(): string {
  const fromPackage = path.join(repo, "node_modules", ".bin", "pulumi");
  const candidates = [fromPackage, "pulumi"];
  const problems: string[] = [];
  for (const candidate of candidates) {
    const probe = spawnSync(candidate, ["version"], { encoding: "utf8", timeout: 300_000 });
    if (probe.status === 0) return candidate;
    problems.push(`${candidate}: ${(probe.error?.message ?? probe.stderr ?? "").trim().split("\n").slice(-2).join(" ")}`);
  }
  fail(
    `the Pulumi CLI could not be found or downloaded:\n  ${problems.join("\n  ")}\n` +
      "Install it (https://www.pulumi.com/docs/iac/download-install/, e.g. `curl -fsSL https://get.pulumi.com | sh`), " +
      "put it on PATH and run this again.",
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

async function main(): Promise<void> {
  const pulumiCli = findPulumi();
  linkPackageIntoItsProject();
  const token = adminToken();
  const emulator = await startEmulator({ port, dataDir, adminToken: token });
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
      PATH: `${shellPath()}${path.delimiter}${process.env.PATH ?? ""}`,
    };
    const run = (args: string[], options: SpawnSyncOptions = {}) => {
      const result = spawnSync(pulumiCli, args, { cwd: repo, env, stdio: "inherit", ...options });
      if (result.status !== 0) fail(`pulumi ${args[0]} failed (exit ${result.status})`);
      return result;
    };
    run(["stack", "select", "--create", stack]);
    // The stack's settings: this tenant, and its shell (for the JWT flag). The token goes in encrypted, by stdin.
    run(["config", "set", "alation:baseUrl", emulator.url]);
    run(["config", "set", "alation:shell", JSON.stringify({ local: {} })]);
    run(["config", "set", "--secret", "alation:apiAccessToken"], { input: token, stdio: ["pipe", "inherit", "inherit"] });
    run(mode === "up" ? ["up", "--yes"] : ["preview"]);
    if (mode === "preview") return;

    const outputs = run(["stack", "output", "--json", "--show-secrets"], { stdio: ["ignore", "pipe", "inherit"] });
    const fields = JSON.parse(String(outputs.stdout)) as Record<string, string>;
    console.log("\nClaude > Settings > Connectors > Add custom connector:");
    console.log(`  Name:                  ${fields.connectorName}`);
    console.log(`  Remote MCP server URL: ${fields.remoteMcpServerUrl}`);
    console.log(`  Client ID:             ${fields.clientId}`);
    console.log(`  Client Secret:         ${showSecret ? fields.clientSecret : "[secret] (npm start -- --show-secret)"}`);

    // Walk the path Claude walks (the emulator's test user logs in, without a browser), before anyone clicks Connect.
    const report = await verifyConnector(
      { remoteMcpServerUrl: fields.remoteMcpServerUrl, clientId: fields.clientId, clientSecret: fields.clientSecret },
      { emulator: true, login: EMULATOR_TEST_USER },
    );
    console.log(`\n${formatReports([report])}`);
    if (!report.ok) fail("the connector did not verify");
  } finally {
    await emulator.stop();
  }
}

main().catch((error: unknown) => fail(error instanceof Error ? error.message : String(error)));
