// The steps of what Claude's connector wizard does (late 2026), against each mode of the emulator that stands for
// what Alation leaves undocumented: `/ai/mcp` redirected (the emulator's default) or answered, a request without a
// token challenged (default) or answered, CIMD and DCR advertised or not (default). Each step ends as it should,
// naming the cause and the fix; and `verify --emulator` runs the login steps from the command line, without a browser.
import * as assert from "node:assert/strict";
import { CUSTOM_MCP_SERVER_ID, DEFAULT_TEST_USER, type EmulatorOptions } from "../../emulator";
import {
  CLAUDE_WIZARD_STEP_IDS,
  EMULATOR_TEST_USER,
  runCli,
  stepIdsFor,
  verifyConnector,
  type ConnectorInput,
  type StepStatus,
} from "../../provider/verify";
import { captureIo } from "../support/cli-io";
import { startTestTenant } from "../support/test-tenant";
import { expectStatuses, stepOf, type ExpectedStatuses } from "./helpers";

/** Every step fine on the emulator, its test user logged in without a browser (so no loopback listener). */
const ALL_PASS: ExpectedStatuses = { default: "pass", "mcp-url": "warn", "redirect-uri-loopback": "skip" };

/** A tenant in the given mode, the JWT flag on, with Claude's application registered as the guide does. */
async function connectorOn(options: Partial<EmulatorOptions>, path = "/ai/mcp/"): Promise<ConnectorInput> {
  const tenant = await startTestTenant(options);
  await tenant.setJwtFlag(true);
  const made = await tenant.createClient({ name: "alation-ai-hosted-mcp-server" });
  return { remoteMcpServerUrl: tenant.url + path, clientId: made.client_id, clientSecret: made.client_secret };
}

const verify = (connector: ConnectorInput) =>
  verifyConnector(connector, { emulator: true, login: EMULATOR_TEST_USER, timeoutMs: 5000 });

describe("verify: Claude's wizard, against each mode of the emulator", function () {
  this.timeout(60_000);

  describe("mcp-url-without-slash: the MCP URL as Claude calls it", () => {
    it("fails a 307 from /ai/mcp (the emulator's default), citing Claude's issues, fixed by the tenant", async () => {
      const report = await verify(await connectorOn({ mcpWithoutSlash: "redirect" }));
      expectStatuses(report, { ...ALL_PASS, "mcp-url-without-slash": "fail" });
      assert.equal(report.ok, false);
      const step = stepOf(report, "mcp-url-without-slash");
      assert.match(
        step.cause ?? "",
        new RegExp(
          "^HTTP 307 redirect from http://127\\.0\\.0\\.1:\\d+/ai/mcp to http://127\\.0\\.0\\.1:\\d+/ai/mcp/: Claude " +
            "strips the trailing slash and calls .*/ai/mcp \\(anthropics/claude-ai-mcp issues 234 and 1056\\) and " +
            "does not follow the redirect \\(yukiharada1228/videoq pull request 772\\), so adding the connector " +
            'fails \\("Couldn\'t reach \\.\\.\\."\\)$',
        ),
      );
      assert.match(
        step.fix ?? "",
        /^the fix is on the tenant's side .*: ask Alation to answer \/ai\/mcp as it answers/,
      );
    });

    it("passes when the tenant answers /ai/mcp directly", async () => {
      const report = await verify(await connectorOn({ mcpWithoutSlash: "answer" }));
      expectStatuses(report, ALL_PASS);
      assert.equal(report.ok, true);
      assert.match(
        stepOf(report, "mcp-url-without-slash").detail ?? "",
        /^HTTP 401 from .*\/ai\/mcp, as from \/ai\/mcp\/$/,
      );
    });

    it("checks a custom MCP server's URL the same way", async () => {
      const path = `/ai/mcp/${CUSTOM_MCP_SERVER_ID}/`;
      for (const [mode, status] of [
        ["redirect", "fail"],
        ["answer", "pass"],
      ] as const) {
        const report = await verify(await connectorOn({ mcpWithoutSlash: mode }, path));
        assert.equal(stepOf(report, "mcp-url-without-slash").status, status, mode);
      }
    });
  });

  describe("wizard-authentication: what step 1 detects", () => {
    it("passes a 401 challenge (the emulator's default): sign-in needed, Always required", async () => {
      const report = await verify(await connectorOn({ mcpWithoutToken: "challenge" }));
      assert.match(stepOf(report, "wizard-authentication").detail ?? "", /sign-in needed .*"Always required"/);
    });

    it("fails an endpoint that answers initialize without a token: None is detected; the rest runs", async () => {
      const report = await verify(await connectorOn({ mcpWithoutToken: "answer" }));
      expectStatuses(report, { ...ALL_PASS, "mcp-401-challenge": "warn", "wizard-authentication": "fail" });
      const step = stepOf(report, "wizard-authentication");
      assert.match(
        step.cause ?? "",
        /without a token \(HTTP 200\), so step 1 detects Authentication "None" \(homeassistant-ai\/ha-mcp pull request/,
      );
      assert.match(step.fix ?? "", /in step 2 choose Authentication "Always required" .*not the detected "None"/);
      assert.match(stepOf(report, "mcp-401-challenge").cause ?? "", /unknown whether Claude then finds it/);
    });
  });

  describe("wizard-oauth-client: which OAuth client to choose in step 2", () => {
    const cases: Array<{ options: Partial<EmulatorOptions>; status: StepStatus; text: RegExp }> = [
      {
        options: {},
        status: "pass",
        text: /^neither CIMD nor DCR advertised: choose "your own client ID" and give this application's client id/,
      },
      {
        options: { advertiseCimd: true },
        status: "warn",
        text: /advertises "Anthropic's hosted client metadata \(CIMD\)".*Claude can register itself, CIMD first/,
      },
      {
        options: { advertiseDcr: true },
        status: "warn",
        text: /advertises "register one automatically \(DCR\)" .*Claude can register itself, DCR first/,
      },
      {
        options: { advertiseCimd: true, advertiseDcr: true },
        status: "warn",
        text: /\(CIMD\).* and .*\(DCR\).*CIMD first/,
      },
    ];
    for (const { options, status, text } of cases) {
      it(`${JSON.stringify(options)}: ${status}`, async () => {
        const report = await verify(await connectorOn(options));
        expectStatuses(report, { ...ALL_PASS, "wizard-oauth-client": status });
        const step = stepOf(report, "wizard-oauth-client");
        assert.match(step.cause ?? step.detail ?? "", text);
        if (status === "warn") {
          assert.match(step.cause ?? "", /this application is optional for Claude$/);
          assert.match(step.fix ?? "", /choose "your own client ID"/);
        }
      });
    }
  });

  describe("verify --emulator: the emulator's browserless login, from the command line", () => {
    it("logs the emulator's test user in without a browser: the login, token and MCP steps run", async () => {
      const connector = await connectorOn({});
      const io = captureIo({ stdin: JSON.stringify(connector), env: { BROWSER: "false" } });
      assert.equal(await runCli(["verify", "--json", "--emulator"], io), 0, io.out() + io.err());
      const [report] = JSON.parse(io.out()).connectors;
      expectStatuses(report, ALL_PASS);
      assert.match(stepOf(report, "login").detail ?? "", /test\.user@example\.com logged in without a browser/);
      assert.match(stepOf(report, "mcp-tools-list").detail ?? "", /alation_context/);
      assert.ok(!io.out().includes(connector.clientSecret) && !io.out().includes(EMULATOR_TEST_USER.password));
    });

    it("--no-login checks up to the login; --login with --no-login is bad usage", async () => {
      const connector = await connectorOn({});
      const io = captureIo({ stdin: JSON.stringify(connector) });
      assert.equal(await runCli(["verify", "--json", "--emulator", "--no-login"], io), 0, io.out());
      assert.equal(stepOf(JSON.parse(io.out()).connectors[0], "login").status, "warn");
      const both = captureIo({ stdin: JSON.stringify(connector) });
      assert.equal(await runCli(["verify", "--emulator", "--login", "--no-login"], both), 2);
      assert.match(both.err(), /--login and --no-login exclude each other/);
    });

    it("logs in the emulator's own test user (the verifier's copy is the emulator's)", () => {
      assert.deepEqual(EMULATOR_TEST_USER, DEFAULT_TEST_USER);
    });
  });

  it("the wizard's steps are Claude's only", () => {
    for (const id of CLAUDE_WIZARD_STEP_IDS) {
      assert.ok(stepIdsFor("claude").includes(id), id);
      assert.ok(!stepIdsFor("vscode").includes(id), id);
    }
  });
});
