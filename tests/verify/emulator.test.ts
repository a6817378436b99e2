// `alation-connector verify` against the emulator: a correct connector verifies end to end (library and CLI),
// the login comes back to the verifier's loopback listener (here through a stand-in browser that logs in by the
// emulator's HTTP Basic; tests/verify/browser-login.test.ts uses a real headless Chromium), and each
// misconfiguration fails at its own step with its own fix while nothing else fails.
import * as assert from "node:assert/strict";
import { execFile, spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import { createServer } from "node:net";
import * as path from "node:path";
import { promisify } from "node:util";
import {
  DEFAULT_TEST_USER as EMULATOR_TEST_USER,
  shellPath,
  startEmulator,
  type RunningEmulator,
} from "../../emulator";
import {
  CLAUDE_REDIRECT_URIS,
  formatReports,
  loopbackRedirectUri,
  reportsToJson,
  runCli,
  STEP_IDS,
  verifyConnector,
  type ConnectorInput,
  type FetchFn,
  type VerifyOptions,
} from "../../provider/verify";
import { CLIENTS_PATHS } from "../../provider/domain/application-fields";
import { basicAuthBrowser } from "../support/basic-auth-browser";
import { captureIo } from "../support/cli-io";
import { freePort } from "../support/ports";
import { JWT_FLAG, TEST_TENANT_DEFAULTS } from "../support/test-tenant";
import {
  browserCommand,
  expectStatuses,
  failsAt,
  loginArgs,
  LOGIN_SKIPPED,
  stepOf,
  WITHOUT_LOGIN,
  type ExpectedStatuses,
} from "./helpers";

const REPO = path.resolve(__dirname, "../..");
/** The bin as the package ships it (`alation-connector`), from the build the tests run on. */
const CLI = path.join(REPO, "dist", "provider", "verify", "cli.js");
const STAND_IN_BROWSER = browserCommand(path.join(__dirname, "stand-in-browser.js"));

/** In emulator mode the only expected warning is the loopback http URL. */
const ALL_PASS: ExpectedStatuses = { default: "pass", "mcp-url": "warn" };

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
      const body = (await response
        .clone()
        .json()
        .catch(() => undefined)) as Record<string, unknown> | undefined;
      for (const key of ["access_token", "refresh_token", "id_token"])
        if (typeof body?.[key] === "string") seen.add(body[key] as string);
    }
    return response;
  };
  return { fetch: fetchAndRecord, seen };
}

function assertNoSecret(output: string, secrets: Iterable<string>): void {
  for (const secret of secrets)
    assert.ok(!output.includes(secret), `a secret (${secret.length} characters) was printed`);
}

describe("verify: against the emulator", function () {
  this.timeout(30_000);
  let emulator: RunningEmulator;
  let callbackPort: number;
  let registered = 0;

  before(async () => {
    emulator = await startEmulator({
      port: 0,
      adminToken: randomBytes(16).toString("hex"),
      ...TEST_TENANT_DEFAULTS,
    });
    callbackPort = await freePort();
  });
  after(async () => emulator?.stop());

  /** A login through `browser`, back to the loopback listener on the suite's port. */
  const options = (browser = basicAuthBrowser(), extra: VerifyOptions = {}): VerifyOptions => ({
    emulator: true,
    login: true,
    timeoutMs: 5000,
    browser: { callbackPort, open: browser.open, timeoutMs: 5000 },
    ...extra,
  });
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

  /**
   * Registers Claude's application as the guide does, plus the verifier's loopback redirect URI (what the
   * component's verifierLogin adds), each field overridable; gives the connector's fields.
   */
  async function registerConnector(overrides: Record<string, unknown> = {}): Promise<ConnectorInput> {
    const client = await admin("POST", "", {
      name: `alation-ai-hosted-mcp-server-${++registered}`,
      client_type: "confidential",
      redirect_uris: [`${emulator.url}/oauth/callback`, ...CLAUDE_REDIRECT_URIS, loopbackRedirectUri(callbackPort)],
      access_token_expiry: 86400,
      refresh_token_expiry: 15552000,
      pkce_required: true,
      jwt_required: true,
      is_active: true,
      internal_application: false,
      ...overrides,
    });
    return {
      connectorName: "Alation",
      remoteMcpServerUrl: mcpUrl(),
      clientId: client.client_id as string,
      clientSecret: client.client_secret as string,
    };
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

    it("verifies end to end, the browser coming back to the loopback listener, and prints no secret", async () => {
      const recording = recordingFetch();
      const browser = basicAuthBrowser();
      const report = await verifyConnector(connector, options(browser, { fetch: recording.fetch }));
      expectStatuses(report, ALL_PASS);
      assert.equal(report.ok, true);
      assert.equal(browser.opened.length, 1, "the browser opened once");
      const authorize = new URL(browser.opened[0]);
      assert.equal(authorize.searchParams.get("redirect_uri"), loopbackRedirectUri(callbackPort));
      assert.equal(authorize.searchParams.get("code_challenge_method"), "S256");
      assert.match(
        stepOf(report, "login").detail ?? "",
        new RegExp(`code returned to http://127\\.0\\.0\\.1:${callbackPort}/callback`),
      );
      assert.match(stepOf(report, "mcp-tools-list").detail ?? "", /alation_context/);
      assert.match(stepOf(report, "access-token-signature").detail ?? "", /jwks/);
      assert.match(
        stepOf(report, "access-token-lifetime").detail ?? "",
        /expires_in 86400 s, the JWT's exp - iat 86400 s; the default accessTokenExpiry is 86400 s/,
      );
      assert.ok(recording.seen.size >= 3, "the recording saw the tokens");
      const printed = formatReports([report]) + reportsToJson([report]);
      assertNoSecret(printed, [connector.clientSecret, EMULATOR_TEST_USER.password, ...recording.seen]);
    });

    it("exchanges and refreshes with client_secret_post only, as Claude does", async () => {
      const bodies: string[] = [];
      const basicAuths: string[] = [];
      const watching: FetchFn = async (url, init) => {
        if (new URL(String(url)).pathname === "/oauth/v1/token/") {
          bodies.push(String(init?.body ?? ""));
          if (/^Basic /.test(new Headers(init?.headers).get("authorization") ?? "")) basicAuths.push(String(url));
        }
        return fetch(url, init);
      };
      const report = await verifyConnector(connector, options(basicAuthBrowser(), { fetch: watching }));
      expectStatuses(report, ALL_PASS);
      const grants = bodies.map((body) => new URLSearchParams(body));
      assert.deepEqual(basicAuths, [], "no token request used HTTP Basic");
      for (const grant of grants) assert.equal(grant.get("client_id"), connector.clientId);
      for (const grant of grants) assert.ok(grant.get("client_secret"), "the secret is in the form body");
      const kinds = grants.map((grant) => grant.get("grant_type"));
      assert.deepEqual(kinds.slice(-2), ["authorization_code", "refresh_token"], "one exchange, then one refresh");
      assert.equal(grants.at(-2)?.get("redirect_uri"), loopbackRedirectUri(callbackPort));
    });

    it("the emulator's browserless login still verifies end to end, through one of Claude's callbacks", async () => {
      const report = await verifyConnector(connector, options(undefined, { login: EMULATOR_TEST_USER }));
      expectStatuses(report, { ...ALL_PASS, "redirect-uri-loopback": "skip" });
      assert.match(
        stepOf(report, "login").detail ?? "",
        /logged in without a browser; code returned to https:\/\/claude\.ai\/api\/mcp\/auth_callback/,
      );
    });

    it("without --login, warns that the JWT flag and the login were not checked", async () => {
      const report = await verifyConnector(connector, options(undefined, { login: false }));
      expectStatuses(report, { ...ALL_PASS, ...WITHOUT_LOGIN });
      assert.equal(report.ok, true);
      assert.match(formatReports([report]), /WARN {2}login .*\n {8}cause: not checked without --login: the JWT flag/);
    });

    it("takes one code: the listener is gone once the browser came back", async () => {
      let second: string | undefined;
      const browser = basicAuthBrowser({
        tamper: (callback) => {
          // After the real delivery, try again with the same URL: nothing listens any more.
          setTimeout(() => {
            fetch(callback, { signal: AbortSignal.timeout(2000) }).then(
              () => (second = "answered"),
              (error: Error) => (second = String((error.cause as { code?: string } | undefined)?.code ?? error)),
            );
          }, 200);
          return callback;
        },
      });
      const report = await verifyConnector(connector, options(browser));
      expectStatuses(report, ALL_PASS);
      await new Promise((resolve) => setTimeout(resolve, 500));
      assert.equal(second, "ECONNREFUSED");
    });

    it("refuses a callback whose state is not the request's", async () => {
      const browser = basicAuthBrowser({
        tamper: (callback) => {
          callback.searchParams.set("state", "forged");
          return callback;
        },
      });
      const report = await verifyConnector(connector, options(browser));
      expectStatuses(report, { ...ALL_PASS, ...LOGIN_SKIPPED, "redirect-uri-loopback": "pass", login: "fail" });
      assert.match(
        stepOf(report, "login").cause ?? "",
        /does not carry the request's state; Claude rejects such a redirect/,
      );
    });

    it("bounds the wait for the browser, and says so when it does not come back", async () => {
      const browser = basicAuthBrowser({
        credentials: { username: EMULATOR_TEST_USER.username, password: "CANARY-wrong-password" },
      });
      const started = Date.now();
      const report = await verifyConnector(connector, {
        ...options(browser),
        browser: { callbackPort, open: browser.open, timeoutMs: 300 },
      });
      assert.ok(Date.now() - started < 5000);
      expectStatuses(report, { ...ALL_PASS, ...LOGIN_SKIPPED, "redirect-uri-loopback": "pass", login: "fail" });
      assert.match(
        stepOf(report, "login").cause ?? "",
        new RegExp(`no login came back to http://127\\.0\\.0\\.1:${callbackPort}/callback within 300 ms`),
      );
      assert.match(stepOf(report, "login").fix ?? "", /--login-timeout-ms/);
      assertNoSecret(formatReports([report]), ["CANARY-wrong-password"]);
    });

    it("fails the browserless login with a wrong password, and says why", async () => {
      const report = await verifyConnector(
        connector,
        options(undefined, { login: { username: EMULATOR_TEST_USER.username, password: "CANARY-wrong-password" } }),
      );
      expectStatuses(report, { ...ALL_PASS, ...LOGIN_SKIPPED, login: "fail" });
      assert.match(stepOf(report, "login").fix ?? "", /check the emulator user's name and password/);
      assertNoSecret(formatReports([report]), ["CANARY-wrong-password"]);
    });

    it("runs as the CLI: --login opens $BROWSER, prints the URL on stderr, exit 0", async () => {
      const io = captureIo({
        env: { ALATION_CONNECTOR_CLIENT_SECRET: connector.clientSecret, BROWSER: STAND_IN_BROWSER },
      });
      const argv = [
        "verify",
        "--mcp-url",
        connector.remoteMcpServerUrl,
        "--client-id",
        connector.clientId,
        "--login",
        "--emulator",
        "--callback-port",
        String(callbackPort),
      ];
      const status = await runCli(argv, io);
      assert.equal(status, 0, io.out() + io.err());
      assert.equal(
        io
          .out()
          .split("\n")
          .filter((line) => /^ {2}PASS /.test(line)).length,
        STEP_IDS.length - 1,
      );
      assert.match(io.out(), /=> OK/);
      assert.match(
        io.err(),
        new RegExp(
          `log in with the browser that opens; if none does, open this URL:\\n  ${emulator.url}/oauth/v1/authorize/\\?`,
        ),
      );
      assertNoSecret(io.out() + io.err(), [connector.clientSecret]);
    });

    it("runs as the CLI: stack outputs on stdin, --json, --access-token-expiry, exit 0", async () => {
      const io = captureIo({
        stdin: JSON.stringify({ tenants: { acme: connector } }),
        env: { BROWSER: STAND_IN_BROWSER },
      });
      const status = await runCli(loginArgs(callbackPort, "--access-token-expiry", "86400"), io);
      assert.equal(status, 0, io.out() + io.err());
      const json = JSON.parse(io.out());
      assert.equal(json.ok, true);
      assert.equal(json.connectors[0].name, "tenants.acme");
      const lifetime = json.connectors[0].steps.find((step: { id: string }) => step.id === "access-token-lifetime");
      assert.match(lifetime.detail, /; accessTokenExpiry is 86400 s/);
      assertNoSecret(io.out(), [connector.clientSecret]);
    });

    it("is the executable bin: shebang, exit status and output of a real process", async () => {
      assert.match(fs.readFileSync(CLI, "utf8").split("\n")[0], /^#!\/usr\/bin\/env node$/);
      const pkg = JSON.parse(fs.readFileSync(path.join(REPO, "package.json"), "utf8"));
      assert.equal(pkg.bin["alation-connector"], "dist/provider/verify/cli.js");
      const run = await runProcess(loginArgs(callbackPort), JSON.stringify(connector), { BROWSER: STAND_IN_BROWSER });
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
      const report = await verifyConnector(connector, options(basicAuthBrowser(), { fetch: recording.fetch }));
      expectStatuses(report, {
        ...ALL_PASS,
        "access-token-jwt": "fail",
        "access-token-signature": "skip",
        "mcp-initialize": "skip",
        "mcp-tools-list": "skip",
      });
      assert.match(
        stepOf(report, "access-token-jwt").fix ?? "",
        /set alation\.feature_flags\.enable_jwt_in_v1_oauth_stack to True/,
      );
      assertNoSecret(formatReports([report]) + reportsToJson([report]), [connector.clientSecret, ...recording.seen]);
    });

    it("wrong secret: client-secret, no browser opens, and the fix says to re-add the connector", async () => {
      const connector = { ...(await registerConnector()), clientSecret: `CANARY-${randomBytes(12).toString("hex")}` };
      const browser = basicAuthBrowser();
      const report = await verifyConnector(connector, options(browser));
      expectStatuses(report, {
        ...ALL_PASS,
        ...LOGIN_SKIPPED,
        "redirect-uri-loopback": "pass",
        "client-secret": "fail",
        "client-secret-post": "skip",
      });
      assert.deepEqual(browser.opened, []);
      assert.match(stepOf(report, "client-secret").cause ?? "", /refused the client secret/);
      assert.match(
        stepOf(report, "client-secret").fix ?? "",
        /--show-secrets.*cannot be edited \(anthropics\/claude-ai-mcp issue 1000\): remove the connector .* add it/,
      );
      assertNoSecret(formatReports([report]) + reportsToJson([report]), [connector.clientSecret]);
    });

    it("no loopback redirect URI: redirect-uri-loopback, naming the component's option; no browser opens", async () => {
      const connector = await registerConnector({
        redirect_uris: [`${emulator.url}/oauth/callback`, ...CLAUDE_REDIRECT_URIS],
      });
      const browser = basicAuthBrowser();
      const report = await verifyConnector(connector, options(browser));
      expectStatuses(report, { ...ALL_PASS, ...LOGIN_SKIPPED, "redirect-uri-loopback": "fail" });
      assert.deepEqual(browser.opened, []);
      assert.match(
        stepOf(report, "redirect-uri-loopback").cause ?? "",
        new RegExp(
          `does not list http://127\\.0\\.0\\.1:${callbackPort}/callback, where verify --login receives the code`,
        ),
      );
      assert.match(stepOf(report, "redirect-uri-loopback").fix ?? "", /AlationClaudeConnector's verifierLogin: true/);
    });

    it("the callback port in use: redirect-uri-loopback, saying how to pick another", async () => {
      const connector = await registerConnector();
      const squatter = createServer();
      await new Promise<void>((resolve) => squatter.listen(callbackPort, "127.0.0.1", resolve));
      try {
        const report = await verifyConnector(connector, options());
        expectStatuses(report, { ...ALL_PASS, ...LOGIN_SKIPPED, "redirect-uri-loopback": "fail" });
        assert.match(
          stepOf(report, "redirect-uri-loopback").cause ?? "",
          new RegExp(`port ${callbackPort} of 127\\.0\\.0\\.1 is in use`),
        );
        assert.match(stepOf(report, "redirect-uri-loopback").fix ?? "", /--callback-port/);
      } finally {
        await new Promise((resolve) => squatter.close(resolve));
      }
    });

    it("a token lifetime other than accessTokenExpiry: access-token-lifetime warns, and passes once told", async () => {
      const connector = await registerConnector({ access_token_expiry: 7200 });
      const report = await verifyConnector(connector, options());
      expectStatuses(report, { ...ALL_PASS, "access-token-lifetime": "warn" });
      assert.match(
        stepOf(report, "access-token-lifetime").cause ?? "",
        /lives 7200 s \(expires_in\), not the 86400 s of the default accessTokenExpiry/,
      );
      expectStatuses(await verifyConnector({ ...connector, accessTokenExpiry: 7200 }, options()), ALL_PASS);
    });

    it("a missing Claude redirect URI: that URI's step only (the login uses the loopback one)", async () => {
      for (const [missing, step] of [
        [CLAUDE_REDIRECT_URIS[1], "redirect-uri-claude-com"],
        [CLAUDE_REDIRECT_URIS[0], "redirect-uri-claude-ai"],
      ] as const) {
        const connector = await registerConnector({
          redirect_uris: [
            `${emulator.url}/oauth/callback`,
            ...CLAUDE_REDIRECT_URIS.filter((uri) => uri !== missing),
            loopbackRedirectUri(callbackPort),
          ],
        });
        const report = await verifyConnector(connector, options());
        expectStatuses(report, { ...ALL_PASS, [step]: "fail" });
        assert.match(
          stepOf(report, step).fix ?? "",
          new RegExp(`add ${missing.replace(/\./g, "\\.")} to the application's redirect_uris`),
        );
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
        "client-secret-post": "skip",
      });
      assert.match(stepOf(report, "client-id-accepted").cause ?? "", /inactive/);
      const fix = stepOf(report, "client-id-accepted").fix ?? "";
      assert.match(fix, /"is_active": true/);
      // Either generation of the admin API: the verifier does not know which one the tenant serves.
      for (const collection of Object.values(CLIENTS_PATHS)) assert.ok(fix.includes(`${collection}{client_id}/`), fix);
    });

    it("an MCP URL without its trailing slash: mcp-url-trailing-slash (other steps use the fixed URL)", async () => {
      const connector = { ...(await registerConnector()), remoteMcpServerUrl: `${emulator.url}/ai/mcp` };
      const report = await verifyConnector(connector, options());
      expectStatuses(report, { ...ALL_PASS, "mcp-url-trailing-slash": "fail" });
      assert.match(stepOf(report, "mcp-url-trailing-slash").fix ?? "", new RegExp(`${emulator.url}/ai/mcp/$`));
    });

    it("an MCP URL on a wrong path: mcp-401-challenge", async () => {
      const connector = { ...(await registerConnector()), remoteMcpServerUrl: `${emulator.url}/mcp/` };
      const report = await verifyConnector(connector, options());
      // What Claude's wizard makes of a 404 is unknown: a warning.
      expectStatuses(report, failsAt("mcp-401-challenge", { "mcp-url": "warn", "wizard-authentication": "warn" }));
      assert.match(stepOf(report, "mcp-401-challenge").fix ?? "", /\/ai\/mcp\//);
    });

    it("an http MCP URL on a real host: mcp-url, without any network call", async () => {
      const connector = {
        ...(await registerConnector()),
        remoteMcpServerUrl: "http://acme.alationcloud.example/ai/mcp/",
      };
      const report = await verifyConnector(
        connector,
        options(undefined, { fetch: async () => assert.fail("no network call expected") }),
      );
      expectStatuses(report, failsAt("mcp-url"));
    });

    it("the emulator's loopback URL without --emulator: mcp-url, and the fix it suggests works", async () => {
      const connector = await registerConnector();
      const io = captureIo({ stdin: JSON.stringify(connector) });
      assert.equal(await runCli(["verify", "--json"], io), 1);
      const first = JSON.parse(io.out()).connectors[0].steps[0];
      assert.equal(first.status, "fail");
      assert.match(first.fix, /run again with --emulator/);
      const again = captureIo({ stdin: JSON.stringify(connector) });
      assert.equal(await runCli(["verify", "--json", "--emulator"], again), 0, again.out());
    });

    it("the CLI exits 1 on a failed step, and --json says which", async () => {
      const connector = { ...(await registerConnector()), clientSecret: "CANARY-wrong-secret-cli" };
      const io = captureIo({ stdin: JSON.stringify(connector) });
      assert.equal(await runCli(["verify", "--json", "--emulator"], io), 1);
      const failed = JSON.parse(io.out())
        .connectors[0].steps.filter((s: { status: string }) => s.status === "fail")
        .map((s: { id: string }) => s.id);
      assert.deepEqual(failed, ["client-secret"]);
      assertNoSecret(io.out(), [connector.clientSecret]);
    });
  });

  /** Runs the bin as its own process, input on stdin. */
  function runProcess(
    argv: string[],
    stdin: string,
    env: Record<string, string> = {},
  ): Promise<{ status: number | null; stdout: string; stderr: string }> {
    return new Promise((resolve, reject) => {
      const child = spawn(process.execPath, [CLI, ...argv], {
        cwd: REPO,
        env: { ...process.env, ...env },
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
