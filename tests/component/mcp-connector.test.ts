// AlationMcpConnector under Pulumi mocks whose dynamic resources are created by their real serialized providers
// against an emulated tenant: every preset of the MCP client table registers its client's callbacks in an application
// of its own, outputs clientConfig in that client's format (a secret exactly when it holds the secret), and verifies
// with that client's callbacks; a bad option is refused naming its field; a tenant that refuses cursor:// says so.
import * as assert from "node:assert/strict";
import * as pulumi from "@pulumi/pulumi";
import { DEFAULT_TEST_USER as EMULATOR_TEST_USER } from "../../emulator";
import type { ClientRecord } from "../../emulator/store";
import {
  AlationClaudeConnector,
  AlationMcpConnector,
  connectorsFor,
  DEFAULT_APPLICATION_NAME,
  MCP_CLIENT_PRESETS,
  type McpClientInput,
} from "../../provider";
import { verifyConnector, type McpClient } from "../../provider/verify";
import { ADMIN_TOKEN, startTestTenant, type TestTenant } from "../support/test-tenant";
import { setRealProviderMocks, settle, type RealProviderMocks } from "../support/real-provider-mocks";
import { docsQuote } from "../support/docs";

type EmulatedClient = Omit<ClientRecord, "id">;

/** What a tenant's refusal of cursor:// is followed by (docs/mcp-clients.md quotes it). */
const CURSOR_REFUSAL =
  "the tenant refused redirect URIs with a private-use scheme (cursor://); no Alation document says whether a " +
  "tenant accepts such callbacks, and this one does not: register only https and loopback callbacks: for Cursor, " +
  'client: { preset: "cursor", customSchemeCallback: false } (Cursor releases that call back on cursor:// then ' +
  "cannot sign in to this tenant)";

const CHATGPT_CALLBACK = "https://chatgpt.com/connector/oauth/cb_0123456789abcdef";

/** One preset (or explicit redirect URIs): the client, what its application must register, its clientConfig. */
interface PresetCase {
  client: McpClient;
  key: string;
  callbacks(tenantUrl: string): string[];
  /** The expected clientConfig, from the connector's fields. */
  config(f: { url: string; tenant: string; clientId: string; clientSecret: string }): Record<string, unknown>;
  holdsSecret: boolean;
}

/** Claude's form's four fields (and any client's given by its redirect URIs). */
const formFields: PresetCase["config"] = (f) => ({
  connectorName: "Alation",
  remoteMcpServerUrl: f.url,
  clientId: f.clientId,
  clientSecret: f.clientSecret,
});

const CASES: PresetCase[] = [
  {
    client: "claude",
    key: "claude",
    callbacks: (tenant) => [
      `${tenant}/oauth/callback`,
      "https://claude.ai/api/mcp/auth_callback",
      "https://claude.com/api/mcp/auth_callback",
    ],
    config: formFields,
    holdsSecret: true,
  },
  {
    client: { preset: "claude-code", callbackPort: 4242 },
    key: "claude-code",
    callbacks: () => ["http://localhost:4242/callback", "http://127.0.0.1:4242/callback"],
    config: (f) => ({
      command:
        `claude mcp add --transport http --client-id ${f.clientId} --client-secret --callback-port 4242 ` +
        `alation ${f.url}`,
    }),
    holdsSecret: false,
  },
  {
    client: "vscode",
    key: "vscode",
    callbacks: () => [
      "https://vscode.dev/redirect",
      "https://insiders.vscode.dev/redirect",
      "http://127.0.0.1:33418/",
      "http://localhost:33418/",
    ],
    config: (f) => ({ servers: { alation: { type: "http", url: f.url, oauth: { clientId: f.clientId } } } }),
    holdsSecret: false,
  },
  {
    client: "cursor",
    key: "cursor",
    callbacks: () => ["cursor://anysphere.cursor-mcp/oauth/callback", "http://localhost:8787/callback"],
    config: (f) => ({
      mcpServers: { alation: { url: f.url, auth: { CLIENT_ID: f.clientId, CLIENT_SECRET: f.clientSecret } } },
    }),
    holdsSecret: true,
  },
  {
    client: "gemini-cli",
    key: "gemini-cli",
    callbacks: () => ["http://localhost:7777/oauth/callback"],
    config: (f) => ({
      mcpServers: {
        alation: {
          httpUrl: f.url,
          oauth: {
            enabled: true,
            clientId: f.clientId,
            clientSecret: f.clientSecret,
            authorizationUrl: `${f.tenant}/oauth/v1/authorize/`,
            tokenUrl: `${f.tenant}/oauth/v1/token/`,
            redirectUri: "http://localhost:7777/oauth/callback",
          },
        },
      },
    }),
    holdsSecret: true,
  },
  {
    client: "mcp-inspector",
    key: "mcp-inspector",
    callbacks: () => ["http://localhost:6274/oauth/callback", "http://localhost:6274/oauth/callback/debug"],
    config: (f) => ({
      transportType: "Streamable HTTP",
      url: f.url,
      clientId: f.clientId,
      clientSecret: f.clientSecret,
    }),
    holdsSecret: true,
  },
  {
    client: { preset: "chatgpt", callbackUri: CHATGPT_CALLBACK },
    key: "chatgpt",
    callbacks: () => [CHATGPT_CALLBACK],
    config: (f) => ({
      name: "Alation",
      mcpServerUrl: f.url,
      authentication: "OAuth",
      clientId: f.clientId,
      clientSecret: f.clientSecret,
    }),
    holdsSecret: true,
  },
  {
    client: { redirectUris: ["https://agents.example.com/oauth/callback"] },
    key: "custom",
    callbacks: () => ["https://agents.example.com/oauth/callback"],
    config: formFields,
    holdsSecret: true,
  },
];

describe("AlationMcpConnector (mocks + real providers + emulator)", function () {
  let tenant: TestTenant;
  let mocks: RealProviderMocks;

  async function clientsOf(of: TestTenant): Promise<EmulatedClient[]> {
    return (await of.call("GET", "/__emulator/state")).json.clients;
  }
  const childTypes = () => mocks.registered.map((r) => r.type).filter((type) => type.startsWith("pulumi-nodejs:"));

  before(async function () {
    tenant = await startTestTenant();
    await tenant.setJwtFlag(true);
  });
  after(() => tenant.stop());
  beforeEach(async function () {
    mocks = await setRealProviderMocks({ "alation:apiAccessToken": ADMIN_TOKEN });
  });

  it("the cases cover every preset of the table", function () {
    const keys = new Set(CASES.map((c) => c.key));
    for (const preset of MCP_CLIENT_PRESETS) assert.ok(keys.has(preset), `no case for ${preset}`);
  });

  for (const c of CASES) {
    it(`${c.key}: its own application with its callbacks, clientConfig in its format, verifies`, async function () {
      const connector = new AlationMcpConnector(`one-${c.key}`, {
        connection: { baseUrl: tenant.url },
        client: c.client as McpClientInput,
      });
      assert.equal(connector.client, c.key);
      const [clientId, clientSecret, url, config] = await Promise.all([
        settle(connector.clientId),
        settle(connector.clientSecret),
        settle(connector.remoteMcpServerUrl),
        settle(connector.clientConfig),
      ]);
      const client = (await clientsOf(tenant)).find((candidate) => candidate.client_id === clientId.value);
      assert.ok(client, "the tenant has the client the outputs name");
      const suffix = c.key === "claude" ? "" : `-${c.key}`;
      const named = new RegExp(`^${DEFAULT_APPLICATION_NAME}${suffix}-[0-9a-f]{8}$`);
      assert.match(String(client.name), named, "one application per client, by name");
      assert.deepEqual(client.redirect_uris, c.callbacks(tenant.url));
      assert.equal(clientSecret.value, client.client_secret);
      assert.equal(clientSecret.secret, true);
      const fields = {
        url: url.value,
        tenant: tenant.url,
        clientId: clientId.value,
        clientSecret: client.client_secret,
      };
      assert.deepEqual(config.value, c.config(fields));
      assert.equal(config.secret, c.holdsSecret, "clientConfig is a secret exactly when it holds the secret");
      if (!c.holdsSecret) assert.ok(!JSON.stringify(config.value).includes(client.client_secret));

      // The verifier, told the client, checks that client's callbacks (and logs in with one of them).
      const report = await verifyConnector(
        { remoteMcpServerUrl: url.value, clientId: clientId.value, clientSecret: clientSecret.value, client: c.client },
        { emulator: true, login: EMULATOR_TEST_USER },
      );
      const failed = report.steps.filter((step) => step.status === "fail");
      assert.deepEqual(failed, [], "every step passes");
      const redirectStep = c.key === "claude" ? "redirect-uri-claude-ai" : "redirect-uri-client";
      const step = report.steps.find((candidate) => candidate.id === redirectStep);
      assert.equal(step?.status, "pass");
      if (c.key !== "claude") for (const uri of c.callbacks(tenant.url)) assert.ok(step?.title.includes(uri), uri);
    });
  }

  it("claude: the application AlationClaudeConnector makes, which keeps exactly its four outputs", async function () {
    const other = await startTestTenant();
    try {
      const mcp = new AlationMcpConnector("as-mcp", {
        connection: { baseUrl: tenant.url },
        client: "claude",
        applicationName: "claude-as-mcp",
      });
      const claude = new AlationClaudeConnector("as-claude", { connection: { baseUrl: other.url } });
      const [mcpId, claudeId] = await Promise.all([settle(mcp.clientId), settle(claude.clientId)]);
      const mcpClient = (await clientsOf(tenant)).find((c) => c.client_id === mcpId.value);
      const claudeClient = (await clientsOf(other)).find((c) => c.client_id === claudeId.value);
      const shape = (c?: EmulatedClient) => ({ ...c, client_id: "", client_secret: "", name: "", redirect_uris: [] });
      assert.deepEqual(shape(mcpClient), shape(claudeClient));
      assert.deepEqual(
        mcpClient?.redirect_uris.map((uri) => uri.replace(tenant.url, "TENANT")),
        claudeClient?.redirect_uris.map((uri) => uri.replace(other.url, "TENANT")),
      );
      assert.equal("clientConfig" in claude, false, "AlationClaudeConnector has no clientConfig");
    } finally {
      await other.stop();
    }
  });

  it("connectorsFor: Claude's AlationClaudeConnector named as the tenant, the others <tenant>-<preset>", async () => {
    const other = await startTestTenant();
    try {
      const args = { connection: { baseUrl: other.url } };
      const rolled = connectorsFor("acme", [{ preset: "claude" }, "vscode"], args);
      assert.deepEqual(
        rolled.map(({ key, connector }) => [key, connector.constructor.name]),
        [
          ["claude", "AlationClaudeConnector"],
          ["vscode", "AlationMcpConnector"],
        ],
      );
      assert.deepEqual(Object.keys(rolled[0].outputs), [
        "connectorName",
        "remoteMcpServerUrl",
        "clientId",
        "clientSecret",
      ]);
      assert.equal(rolled[1].outputs.client, "vscode");
      await Promise.all(rolled.map(({ connector }) => settle(connector.clientId)));
      const names = mocks.registered.filter((r) => r.type.startsWith("pulumi-nodejs:")).map((r) => r.name);
      assert.deepEqual(names.sort(), ["acme-application", "acme-vscode-application"]);
      assert.throws(
        () => connectorsFor("twice", ["vscode", { preset: "vscode" }], args),
        /^Error: twice: clients lists vscode twice \(one connector per client and tenant; its key names it\)$/,
      );
    } finally {
      await other.stop();
    }
  });

  describe("bad options are refused naming the field, before anything is registered", function () {
    const REFUSED: Array<[unknown, string]> = [
      [{ preset: "claude-code", callbackPort: 80 }, "client.callbackPort must be a whole number from 1024 to 65535"],
      [{ preset: "claude-code", callbackPort: 65536 }, "client.callbackPort must be a whole number from 1024 to 65535"],
      [
        { preset: "claude-code", callbackPort: "3118" },
        "client.callbackPort must be a whole number from 1024 to 65535",
      ],
      [{ preset: "chatgpt" }, "client.callbackUri is required by the chatgpt preset"],
      [
        { preset: "chatgpt", callbackUri: "https://example.com/connector/oauth/x" },
        "client.callbackUri must be the callback ChatGPT shows when the app is created " +
          "(https://chatgpt.com/connector/oauth/...)",
      ],
      [
        { preset: "chatgpt", callbackUri: "http://chatgpt.com/connector/oauth/x" },
        "client.callbackUri is refused: a redirect URI must use https://",
      ],
      [
        { preset: "gemini-cli", redirectUri: "/oauth/callback" },
        "client.redirectUri is refused: a redirect URI must be",
      ],
      [
        { preset: "vscode", callbackPort: 3118 },
        "client.callbackPort is not an option of the vscode preset (it has none)",
      ],
      [{ preset: "vs-code" }, "client.preset must be one of claude, claude-code, vscode, cursor,"],
      ["copilot", 'client must be a preset\'s name ("claude", "claude-code",'],
      [{ redirectUris: [] }, "client.redirectUris must list at least one redirect URI"],
      [{ redirectUris: ["https://a.example/cb#x"] }, "client.redirectUris[0] is refused: a redirect URI must not hold"],
    ];
    for (const [client, message] of REFUSED) {
      it(`${JSON.stringify(client)}: ${message.slice(0, 60)}`, function () {
        assert.throws(
          () =>
            new AlationMcpConnector("bad", { connection: { baseUrl: tenant.url }, client: client as McpClientInput }),
          (error: Error) => error.message.startsWith(`AlationMcpConnector bad: ${message}`),
        );
        assert.deepEqual(childTypes(), []);
      });
    }

    it("an option known only later is judged once known, naming the field, and no application is made", async () => {
      const connector = new AlationMcpConnector("later", {
        connection: { baseUrl: tenant.url },
        client: { preset: "claude-code", callbackPort: pulumi.output(22) },
      });
      // (clientConfig waits on the option; the application, which never comes, does too.)
      const error = await settle(connector.clientConfig).catch((e: Error) => e);
      assert.ok(error instanceof Error);
      assert.match(error.message, /AlationMcpConnector later: client\.callbackPort must be a whole number from 1024/);
      assert.deepEqual(childTypes(), []);
    });
  });

  describe("a tenant that accepts only web redirect URIs (emulator --web-redirect-uris-only)", function () {
    let strict: TestTenant;
    before(async () => (strict = await startTestTenant({ webRedirectUrisOnly: true })));
    after(() => strict.stop());

    it("refuses cursor:// with a message saying what it means and what to do; without it, Cursor works", async () => {
      const refused = new AlationMcpConnector("cursor", { connection: { baseUrl: strict.url }, client: "cursor" });
      const error = await settle(refused.clientId).catch((e: Error) => e);
      assert.ok(error instanceof Error);
      assert.match(error.message, /redirect_uris/, "the tenant's refusal names the field");
      assert.ok(error.message.endsWith(`; ${CURSOR_REFUSAL}`), error.message);
      assert.ok(docsQuote(CURSOR_REFUSAL), "docs/mcp-clients.md quotes it");
      assert.deepEqual(await clientsOf(strict), [], "nothing was made");

      const loopbackOnly = new AlationMcpConnector("cursor-loopback", {
        connection: { baseUrl: strict.url },
        client: { preset: "cursor", customSchemeCallback: false },
      });
      const clientId = await settle(loopbackOnly.clientId);
      const client = (await clientsOf(strict)).find((c) => c.client_id === clientId.value);
      assert.deepEqual(client?.redirect_uris, ["http://localhost:8787/callback"]);
    });
  });
});
