// `alation-connector verify` for the connectors of other MCP clients: the redirect-URI step checks the callbacks of the
// connector's client (from `--client` or the input's `client`), names the ones missing and the client whose sign-in
// then fails; a bad `--client` is one usage error naming it. Against the emulator, through runCli.
import * as assert from "node:assert/strict";
import { resolveClient } from "../../provider/domain/mcp-client-spec";
import {
  CLIENT_REDIRECT_STEP_ID,
  connectorsFromStackOutputs,
  runCli,
  stepIdsFor,
  STEP_IDS,
  type McpClient,
} from "../../provider/verify";
import { captureIo } from "../support/cli-io";
import { startTestTenant, type TestTenant } from "../support/test-tenant";

interface JsonReport {
  client: string;
  ok: boolean;
  steps: Array<{ id: string; status: string; title: string; cause?: string; fix?: string }>;
}

describe("verify: the callbacks of the connector's MCP client", function () {
  this.timeout(30_000);
  let tenant: TestTenant;
  let registered = 0;

  before(async () => {
    tenant = await startTestTenant();
    await tenant.setJwtFlag(true);
  });
  after(() => tenant.stop());

  /** A connector's stack outputs for an application with these redirect URIs. */
  async function outputsFor(redirectUris: string[], client?: McpClient): Promise<Record<string, unknown>> {
    const made = await tenant.createClient({ name: `mcp-client-${++registered}`, redirect_uris: redirectUris });
    return {
      connectorName: "Alation",
      remoteMcpServerUrl: `${tenant.url}/ai/mcp/`,
      clientId: made.client_id,
      clientSecret: made.client_secret,
      ...(client === undefined ? {} : { client }),
    };
  }

  async function verify(outputs: unknown, ...args: string[]): Promise<{ code: number; reports: JsonReport[] }> {
    const io = captureIo({ stdin: JSON.stringify(outputs), stdinIsTTY: false });
    const code = await runCli(["verify", "--json", "--emulator", ...args], io);
    return { code, reports: JSON.parse(io.out()).connectors ?? JSON.parse(io.out()) };
  }

  const stepOf = (report: JsonReport, id: string) => report.steps.find((step) => step.id === id);

  it("another client's steps: Claude's two redirect steps are replaced by one over its callbacks", function () {
    assert.deepEqual(stepIdsFor("claude"), [...STEP_IDS]);
    const ids = stepIdsFor("vscode");
    assert.ok(!ids.includes("redirect-uri-claude-ai") && !ids.includes("redirect-uri-claude-com"));
    assert.equal(ids[ids.indexOf("client-id-accepted") + 1], CLIENT_REDIRECT_STEP_ID);
  });

  it("--client vscode: passes on VS Code's application, which Claude's check fails", async function () {
    const vscode = resolveClient("vscode").callbacks();
    const outputs = await outputsFor(vscode);
    const asVscode = await verify(outputs, "--client", "vscode");
    assert.equal(asVscode.code, 0, JSON.stringify(asVscode.reports));
    const [report] = asVscode.reports;
    assert.equal(report.client, "vscode");
    assert.equal(stepOf(report, CLIENT_REDIRECT_STEP_ID)?.status, "pass");
    assert.equal(stepOf(report, "redirect-uri-claude-ai"), undefined);

    const asClaude = await verify(outputs);
    assert.equal(asClaude.code, 1);
    assert.equal(stepOf(asClaude.reports[0], "redirect-uri-claude-ai")?.status, "fail");
  });

  it("the input's client is used, and a missing callback fails naming it and the client", async function () {
    const port = 4319;
    const client: McpClient = { preset: "claude-code", callbackPort: port };
    const outputs = await outputsFor([`http://localhost:${port}/callback`], client);
    const { code, reports } = await verify(outputs);
    assert.equal(code, 1);
    const step = stepOf(reports[0], CLIENT_REDIRECT_STEP_ID);
    assert.equal(step?.status, "fail");
    assert.equal(
      step?.cause,
      `the OAuth application does not list http://127.0.0.1:${port}/callback among its redirect_uris, so Claude ` +
        "Code's sign-in fails there",
    );
    assert.match(step?.fix ?? "", /or AlationMcpConnector's client\) and run `pulumi up`/);

    // --client is the default of inputs that do not say; the input's own client wins.
    const overridden = await verify(outputs, "--client", "vscode");
    assert.equal(overridden.reports[0].client, "claude-code");
  });

  it("a nested stack output (mcpClients by tenant, then client) verifies each with its client", async function () {
    const cursor = await outputsFor(resolveClient("cursor").callbacks(), "cursor");
    const chatgptClient: McpClient = { preset: "chatgpt", callbackUri: "https://chatgpt.com/connector/oauth/abc" };
    const chatgpt = await outputsFor(["https://chatgpt.com/connector/oauth/abc"], chatgptClient);
    const { code, reports } = await verify({ mcpClients: { acme: { cursor, chatgpt } } });
    assert.equal(code, 0, JSON.stringify(reports));
    assert.deepEqual(reports.map((report) => report.client).sort(), ["chatgpt", "cursor"]);
  });

  it("one tenant's root stack: Claude's fields at the top, the others under mcpClients (not clientConfig)", () => {
    const fields = { remoteMcpServerUrl: "https://acme.example/ai/mcp/", clientId: "id", clientSecret: "s" };
    const formFields = { connectorName: "Alation", ...fields };
    const inputs = connectorsFromStackOutputs({
      ...formFields,
      mcpClients: {
        custom: { ...formFields, client: { redirectUris: ["https://a.example/cb"] }, clientConfig: formFields },
        vscode: { ...fields, client: "vscode", clientConfig: { servers: { alation: { url: "u" } } } },
      },
    });
    assert.deepEqual(
      inputs.map((input) => [input.name ?? "", input.client ?? "claude"]),
      [
        ["Alation", "claude"],
        ["mcpClients.custom", { redirectUris: ["https://a.example/cb"] }],
        ["mcpClients.vscode", "vscode"],
      ],
    );
  });

  it("a bad --client is one usage error naming the field", async function () {
    for (const [value, message] of [
      ["copilot", /--client must be a preset's name/],
      [
        '{"preset":"claude-code","callbackPort":80}',
        /--client\.callbackPort must be a whole number from 1024 to 65535/,
      ],
      ['{"preset":"chatgpt"', /--client is not valid JSON/],
    ] as const) {
      const io = captureIo({ stdin: "{}", stdinIsTTY: false });
      const code = await runCli(["verify", "--client", value], io);
      assert.equal(code, 2, io.err());
      assert.match(io.err(), message);
    }
  });
});
