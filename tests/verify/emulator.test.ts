// `alation-connector verify` against the emulator: a correct connector verifies end to end (library and CLI),
// and each misconfiguration fails at its own step with its own fix while nothing else fails.
import * as assert from "node:assert/strict";
import { execFile, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { promisify } from "node:util";
import { shellPath, startEmulator, type RunningEmulator } from "../../emulator";
import {
  CLAUDE_REDIRECT_URIS,
  EMULATOR_TEST_USER,
  formatReports,
  reportsToJson,
  runCli,
  verifyConnector,
  type ConnectorInput,
  type FetchFn,
  type VerifyOptions,
} from "../../provider/verify";
import { captureIo, expectStatuses, failsAt, stepOf, type ExpectedStatuses } from "./helpers";

const JWT_FLAG = "alation.feature_flags.enable_jwt_in_v1_oauth_stack";
const REPO = path.resolve(__dirname, "../..");
const CLI = path.join(REPO, "provider/verify/cli.ts");

/** In emulator mode the only expected warning is the loopback http URL. */
const ALL_PASS: ExpectedStatuses = { default: "pass", "mcp-url": "warn" };
/** What follows a login that cannot happen. */
const LOGIN_SKIPPED = {
  login: "skip",
  "token-exchange": "skip",
  "access-token-jwt": "skip",
  "access-token-signature": "skip",
  "mcp-initialize": "skip",
  "mcp-tools-list": "skip",
  "refresh-token": "skip",
} as const;

/** A fetch that notes every credential that crosses the wire (tokens, codes, Authorization headers). */
function recordingFetch(): { fetch: FetchFn; seen: Set<string> } {
  const seen = new Set<string>();
  const fetchAndRecord: FetchFn = async (url, init) => {
    const authorization = new Headers(init?.headers).get("authorization");
    if (authorization) seen.add(authorization.replace(/^\w+\s+/, ""));
    const response = await fetch(url, init);
    const code = new URL(response.headers.get("location") ?? "/", "http://x").searchParams.get("code");
    if (code) seen.add(code);
    if ((response.headers.get("content-type") ?? "").includes("application/json")) {
      const body = (await response.clone().json().catch(() => undefined)) as Record<string, unknown> | undefined;
      for (const key of ["access_token", "refresh_token", "id_token"]) if (typeof body?.[key] === "string") seen.add(body[key] as string);
    }
    return response;
  };
  return { fetch: fetchAndRecord, seen };
}

function assertNoSecret(output: string, secrets: Iterable<string>): void {
  for (const secret of secrets) assert.ok(!output.includes(secret), `a secret (${secret.length} characters) was printed`);
}

describe("verify: against the emulator", function () {
  this.timeout(30_000);
  let emulator: RunningEmulator;
  let registered = 0;

  before(async () => {
    emulator = await startEmulator({ port: 0, adminToken: randomBytes(16).toString("hex") });
  });
  after(async () => emulator?.stop());

  const options = (extra: VerifyOptions = {}): VerifyOptions => ({ emulator: true, login: true, timeoutMs: 5000, ...extra });
  const mcpUrl = () => `${emulator.url}/ai/mcp/`;

  async function admin(method: string, route: string, body: unknown): Promise<Record<string, unknown>> {
    const response = await fetch(`${emulator.url}/integration/core/v1/oauth/clients/${route}`, {
      method,
      headers: { TOKEN: emulator.adminToken, "content-type": "application/json" },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(5000),
    });
    assert.ok(response.ok, `${method} ${route}: HTTP ${response.status}`);
    return (await response.json()) as Record<string, unknown>;
  }

  /** Registers Claude's application as the guide does (each field overridable); gives the connector's fields. */
  async function registerConnector(overrides: Record<string, unknown> = {}): Promise<ConnectorInput> {
    const client = await admin("POST", "", {
      name: `alation-ai-hosted-mcp-server-${++registered}`,
      client_type: "confidential",
      redirect_uris: [`${emulator.url}/oauth/callback`, ...CLAUDE_REDIRECT_URIS],
      access_token_expiry: 86400,
      refresh_token_expiry: 15552000,
      pkce_required: true,
      jwt_required: true,
      is_active: true,
      internal_application: false,
      ...overrides,
    });
    return { connectorName: "Alation", remoteMcpServerUrl: mcpUrl(), clientId: client.client_id as string, clientSecret: client.client_secret as string };
  }

  /** Sets the JWT flag through the emulator's own `alation_conf`, as an administrator would in the tenant's shell. */
  async function setJwtFlag(on: boolean): Promise<void> {
    await promisify(execFile)(path.join(shellPath(), "alation_conf"), [JWT_FLAG, "-s", on ? "True" : "False"], {
      env: { ...process.env, ALATION_EMULATOR_URL: emulator.url },
      timeout: 10_000,
    });
  }

  describe("a correctly registered connector with the flag on", () => {
    let connector: ConnectorInput;
    before(async () => {
      await setJwtFlag(true);
      connector = await registerConnector();
    });

    it("verifies end to end with --login, and prints no secret or token", async () => {
      const recording = recordingFetch();
      const report = await verifyConnector(connector, options({ fetch: recording.fetch }));
      expectStatuses(report, ALL_PASS);
      assert.equal(report.ok, true);
      assert.match(stepOf(report, "mcp-tools-list").detail ?? "", /alation_context/);
      assert.match(stepOf(report, "access-token-signature").detail ?? "", /jwks/);
      assert.ok(recording.seen.size >= 4, "the recording saw the code and the tokens");
      const printed = formatReports([report]) + reportsToJson([report]);
      assertNoSecret(printed, [connector.clientSecret, EMULATOR_TEST_USER.password, ...recording.seen]);
    });

    it("verifies without --login, skipping only the login steps", async () => {
      const report = await verifyConnector(connector, options({ login: false }));
      expectStatuses(report, { ...ALL_PASS, ...LOGIN_SKIPPED });
      assert.equal(report.ok, true);
    });

    it("runs as the CLI: text with the secret from the environment, exit 0", async () => {
      const io = captureIo({ env: { ALATION_CONNECTOR_CLIENT_SECRET: connector.clientSecret } });
      const status = await runCli(["verify", "--mcp-url", connector.remoteMcpServerUrl, "--client-id", connector.clientId, "--login", "--emulator"], io);
      assert.equal(status, 0, io.out() + io.err());
      assert.equal(io.out().split("\n").filter((line) => /^ {2}PASS /.test(line)).length, 21);
      assert.match(io.out(), /=> OK/);
      assertNoSecret(io.out() + io.err(), [connector.clientSecret]);
    });

    it("runs as the CLI: stack outputs on stdin, --json, explicit credentials, exit 0", async () => {
      const io = captureIo({ stdin: JSON.stringify({ tenants: { acme: connector } }), env: { ALATION_CONNECTOR_LOGIN_PASSWORD: EMULATOR_TEST_USER.password } });
      const status = await runCli(["verify", "--json", "--emulator", "--login-username", EMULATOR_TEST_USER.username], io);
      assert.equal(status, 0, io.out() + io.err());
      const json = JSON.parse(io.out());
      assert.equal(json.ok, true);
      assert.equal(json.connectors[0].name, "tenants.acme");
      assertNoSecret(io.out(), [connector.clientSecret, EMULATOR_TEST_USER.password]);
    });

    it("fails the login with a wrong password, and says how to log in", async () => {
      const report = await verifyConnector(connector, options({ login: { username: EMULATOR_TEST_USER.username, password: "CANARY-wrong-password" } }));
      expectStatuses(report, { ...ALL_PASS, ...LOGIN_SKIPPED, login: "fail" });
      assert.match(stepOf(report, "login").fix ?? "", /--login-password/);
      assertNoSecret(formatReports([report]), ["CANARY-wrong-password"]);
    });

    it("is the executable bin: shebang, exit status and output of a real process", async () => {
      assert.match(fs.readFileSync(CLI, "utf8").split("\n")[0], /^#!\/usr\/bin\/env node$/);
      const pkg = JSON.parse(fs.readFileSync(path.join(REPO, "package.json"), "utf8"));
      assert.equal(pkg.bin["alation-connector"], "dist/provider/verify/cli.js");
      const run = await runProcess(["verify", "--json", "--emulator", "--login"], JSON.stringify(connector));
      assert.equal(run.status, 0, run.stderr);
      assert.equal(JSON.parse(run.stdout).ok, true);
      assertNoSecret(run.stdout + run.stderr, [connector.clientSecret]);
    });
  });

  describe("each misconfiguration fails at its own step, and nothing else fails", () => {
    beforeEach(() => setJwtFlag(true));

    it("flag off: access-token-jwt, with the flag's fix", async () => {
      const connector = await registerConnector();
      await setJwtFlag(false);
      const recording = recordingFetch();
      const report = await verifyConnector(connector, options({ fetch: recording.fetch }));
      expectStatuses(report, { ...ALL_PASS, "access-token-jwt": "fail", "access-token-signature": "skip", "mcp-initialize": "skip", "mcp-tools-list": "skip" });
      assert.match(stepOf(report, "access-token-jwt").fix ?? "", /set alation\.feature_flags\.enable_jwt_in_v1_oauth_stack to True/);
      assertNoSecret(formatReports([report]) + reportsToJson([report]), [connector.clientSecret, ...recording.seen]);
    });

    it("wrong secret: client-secret, and the login is not attempted", async () => {
      const connector = { ...(await registerConnector()), clientSecret: `CANARY-${randomBytes(12).toString("hex")}` };
      const report = await verifyConnector(connector, options());
      expectStatuses(report, { ...ALL_PASS, ...LOGIN_SKIPPED, "client-secret": "fail" });
      assert.match(stepOf(report, "client-secret").cause ?? "", /refused the client secret/);
      assert.match(stepOf(report, "client-secret").fix ?? "", /--show-secrets/);
      assertNoSecret(formatReports([report]) + reportsToJson([report]), [connector.clientSecret]);
    });

    it("a missing Claude redirect URI: that URI's step, and the login uses the other one", async () => {
      for (const [missing, step] of [[CLAUDE_REDIRECT_URIS[1], "redirect-uri-claude-com"], [CLAUDE_REDIRECT_URIS[0], "redirect-uri-claude-ai"]] as const) {
        const connector = await registerConnector({ redirect_uris: [`${emulator.url}/oauth/callback`, ...CLAUDE_REDIRECT_URIS.filter((uri) => uri !== missing)] });
        const report = await verifyConnector(connector, options());
        expectStatuses(report, { ...ALL_PASS, [step]: "fail" });
        assert.match(stepOf(report, step).fix ?? "", new RegExp(`add ${missing.replace(/\./g, "\\.")} to the application's redirect_uris`));
      }
    });

    it("an inactive application: client-id-accepted, with the fix to activate it", async () => {
      const connector = await registerConnector();
      await admin("PATCH", `${encodeURIComponent(connector.clientId)}/`, { is_active: false });
      const report = await verifyConnector(connector, options());
      expectStatuses(report, {
        ...ALL_PASS,
        ...LOGIN_SKIPPED,
        "client-id-accepted": "fail",
        "redirect-uri-claude-ai": "skip",
        "redirect-uri-claude-com": "skip",
        "client-secret": "skip",
      });
      assert.match(stepOf(report, "client-id-accepted").cause ?? "", /inactive/);
      assert.match(stepOf(report, "client-id-accepted").fix ?? "", /"is_active": true/);
    });

    it("an MCP URL without its trailing slash: mcp-url-trailing-slash (the other steps use the fixed URL)", async () => {
      const connector = { ...(await registerConnector()), remoteMcpServerUrl: `${emulator.url}/ai/mcp` };
      const report = await verifyConnector(connector, options());
      expectStatuses(report, { ...ALL_PASS, "mcp-url-trailing-slash": "fail" });
      assert.match(stepOf(report, "mcp-url-trailing-slash").fix ?? "", new RegExp(`${emulator.url}/ai/mcp/$`));
    });

    it("an MCP URL on a wrong path: mcp-401-challenge", async () => {
      const connector = { ...(await registerConnector()), remoteMcpServerUrl: `${emulator.url}/mcp/` };
      const report = await verifyConnector(connector, options());
      expectStatuses(report, failsAt("mcp-401-challenge", { "mcp-url": "warn" }));
      assert.match(stepOf(report, "mcp-401-challenge").fix ?? "", /\/ai\/mcp\//);
    });

    it("an http MCP URL on a real host: mcp-url, without any network call", async () => {
      const connector = { ...(await registerConnector()), remoteMcpServerUrl: "http://acme.alationcloud.example/ai/mcp/" };
      const report = await verifyConnector(connector, options({ fetch: async () => assert.fail("no network call expected") }));
      expectStatuses(report, failsAt("mcp-url"));
    });

    it("the CLI exits 1 on a failed step, and --json says which", async () => {
      const connector = { ...(await registerConnector()), clientSecret: "CANARY-wrong-secret-cli" };
      const io = captureIo({ stdin: JSON.stringify(connector) });
      assert.equal(await runCli(["verify", "--json", "--emulator"], io), 1);
      const failed = JSON.parse(io.out()).connectors[0].steps.filter((s: { status: string }) => s.status === "fail").map((s: { id: string }) => s.id);
      assert.deepEqual(failed, ["client-secret"]);
      assertNoSecret(io.out(), [connector.clientSecret]);
    });
  });

  /** Runs the CLI's source as its own process (as the bin would run), input on stdin. */
  function runProcess(argv: string[], stdin: string): Promise<{ status: number | null; stdout: string; stderr: string }> {
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, ["-r", "ts-node/register", CLI, ...argv], {
        cwd: REPO,
        env: { ...process.env, TS_NODE_TRANSPILE_ONLY: "true", TS_NODE_PROJECT: path.join(REPO, "tsconfig.json") },
        stdio: ["pipe", "pipe", "pipe"],
      });
      let stdout = "";
      let stderr = "";
      const timer = setTimeout(() => child.kill("SIGKILL"), 20_000);
      child.stdout.on("data", (chunk) => (stdout += chunk));
      child.stderr.on("data", (chunk) => (stderr += chunk));
      child.on("error", reject);
      child.on("close", (status) => {
        clearTimeout(timer);
        resolve({ status, stdout, stderr });
      });
      child.stdin.end(stdin);
    });
  }
});
