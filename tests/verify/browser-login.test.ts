// `alation-connector verify --login` through a real browser: the verifier launches `$BROWSER`, here headless
// Chromium driven by playwright-core (tests/verify/headless-chromium.ts), which logs in through the emulator's
// HTML login form; the code comes back to the verifier's loopback listener. Without /usr/bin/chromium these
// tests skip with one line saying how to get it, except in CI (CI=true), where they fail.
import * as assert from "node:assert/strict";
import { execFile } from "node:child_process";
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { promisify } from "node:util";
import { shellPath, startEmulator, type RunningEmulator } from "../../emulator";
import {
  CLAUDE_REDIRECT_URIS,
  loopbackRedirectUri,
  runCli,
  STEP_IDS,
  type ConnectorInput,
} from "../../provider/verify";
import { captureIo } from "../support/cli-io";
import { freePort } from "../support/ports";
import { JWT_FLAG, TEST_TENANT_DEFAULTS } from "../support/test-tenant";
import { CHROMIUM } from "./headless-chromium";
import { browserCommand, loginArgs } from "./helpers";

describe("verify --login through headless Chromium, launched by $BROWSER", function () {
  this.timeout(120_000);
  let emulator: RunningEmulator;
  let callbackPort: number;
  let logDir: string;
  let runs = 0;

  before(async function () {
    if (!fs.existsSync(CHROMIUM)) {
      if (process.env.CI === "true")
        throw new Error(`${CHROMIUM} is missing: .ci/run installs it (apt-get install -y chromium)`);
      console.log(`      skipped: no ${CHROMIUM} (apt-get install -y chromium)`);
      this.skip();
    }
    emulator = await startEmulator({
      port: 0,
      adminToken: randomBytes(16).toString("hex"),
      ...TEST_TENANT_DEFAULTS,
    });
    callbackPort = await freePort();
    logDir = fs.mkdtempSync(path.join(os.tmpdir(), "verify-browser-"));
  });
  after(async () => {
    await emulator?.stop();
    if (logDir) fs.rmSync(logDir, { recursive: true, force: true });
  });

  async function setJwtFlag(on: boolean): Promise<void> {
    await promisify(execFile)(path.join(shellPath(), "alation_conf"), [JWT_FLAG, "-s", on ? "True" : "False"], {
      env: { ...process.env, ALATION_EMULATOR_URL: emulator.url },
      timeout: 10_000,
    });
  }

  /** Claude's application with the verifier's loopback redirect URI (what the component's verifierLogin adds). */
  async function registerConnector(
    redirectUris = [...CLAUDE_REDIRECT_URIS, loopbackRedirectUri(callbackPort)],
  ): Promise<ConnectorInput> {
    const response = await fetch(`${emulator.url}/integration/core/v1/oauth/clients/`, {
      method: "POST",
      headers: { TOKEN: emulator.adminToken, "content-type": "application/json" },
      body: JSON.stringify({
        name: `claude-browser-${++runs}`,
        client_type: "confidential",
        redirect_uris: redirectUris,
        access_token_expiry: 86400,
        refresh_token_expiry: 15552000,
        pkce_required: true,
      }),
    });
    const client = (await response.json()) as Record<string, string>;
    return {
      remoteMcpServerUrl: `${emulator.url}/ai/mcp/`,
      clientId: client.client_id,
      clientSecret: client.client_secret,
    };
  }

  /** `verify --login` as the CLI, $BROWSER being Chromium; what it printed and what the browser saw (when it ran). */
  async function verifyThroughChromium(connector: ConnectorInput, browserRuns = true) {
    const log = path.join(logDir, `run-${runs}.json`);
    const io = captureIo({
      stdin: JSON.stringify(connector),
      env: { BROWSER: browserCommand(path.join(__dirname, "headless-chromium.ts"), "--log", log) },
    });
    const status = await runCli(loginArgs(callbackPort, "--login-timeout-ms", "90000"), io);
    const steps = JSON.parse(io.out()).connectors[0].steps as Array<{
      id: string;
      status: string;
      cause?: string;
      fix?: string;
    }>;
    // The browser writes what it saw once the callback page is shown: at most moments after the verifier is done.
    for (let waited = 0; browserRuns && !fs.existsSync(log) && waited < 20_000; waited += 100)
      await new Promise((resolve) => setTimeout(resolve, 100));
    const seen = fs.existsSync(log) ? (JSON.parse(fs.readFileSync(log, "utf8")) as Record<string, unknown>) : undefined;
    return { status, io, steps, seen, statusOf: (id: string) => steps.find((step) => step.id === id) };
  }

  it("passes end to end: Chromium logs in through the HTML form, the code comes back to the listener", async () => {
    await setJwtFlag(true);
    const connector = await registerConnector();
    const run = await verifyThroughChromium(connector);
    assert.equal(
      run.status,
      0,
      JSON.stringify(
        run.steps.filter((step) => step.status === "fail"),
        null,
        2,
      ) + JSON.stringify(run.seen),
    );
    assert.deepEqual(
      run.steps.map((step) => step.status),
      STEP_IDS.map((id) => (id === "mcp-url" ? "warn" : "pass")),
    );
    assert.deepEqual(
      run.seen?.formFields,
      ["csrfmiddlewaretoken", "next", "email", "password"],
      "Alation's own form fields",
    );
    assert.equal(run.seen?.landedOn, loopbackRedirectUri(callbackPort));
    assert.equal(run.seen?.heading, "Login answer received");
    assert.ok(!(run.io.out() + run.io.err()).includes(connector.clientSecret));
  });

  it("fails at access-token-jwt, naming the flag, when the flag is off", async () => {
    await setJwtFlag(false);
    try {
      const run = await verifyThroughChromium(await registerConnector());
      assert.equal(run.status, 1);
      assert.equal(run.seen?.landedOn, loopbackRedirectUri(callbackPort), "the login itself went through");
      assert.deepEqual(
        run.steps.filter((step) => step.status === "fail").map((step) => step.id),
        ["access-token-jwt"],
      );
      assert.match(
        run.statusOf("access-token-jwt")?.fix ?? "",
        /set alation\.feature_flags\.enable_jwt_in_v1_oauth_stack to True/,
      );
    } finally {
      await setJwtFlag(true);
    }
  });

  it("fails before Chromium starts when the secret is wrong or the loopback redirect is not registered", async () => {
    const wrongSecret = await verifyThroughChromium(
      { ...(await registerConnector()), clientSecret: "CANARY-wrong-secret" },
      false,
    );
    assert.deepEqual(
      wrongSecret.steps.filter((step) => step.status === "fail").map((step) => step.id),
      ["client-secret"],
    );
    assert.match(wrongSecret.statusOf("client-secret")?.fix ?? "", /remove the connector in Claude and add it again/);
    assert.equal(wrongSecret.seen, undefined, "no browser was launched");

    const unregistered = await verifyThroughChromium(await registerConnector([...CLAUDE_REDIRECT_URIS]), false);
    assert.deepEqual(
      unregistered.steps.filter((step) => step.status === "fail").map((step) => step.id),
      ["redirect-uri-loopback"],
    );
    assert.match(unregistered.statusOf("redirect-uri-loopback")?.fix ?? "", /verifierLogin: true/);
    assert.equal(unregistered.seen, undefined, "no browser was launched");
  });
});
