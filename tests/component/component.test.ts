// AlationClaudeConnector under Pulumi mocks whose dynamic resources are created by their real serialized providers
// against an emulated tenant: the outputs must be the tenant's own client, the secret must stay secret, and the
// flag must be set before the application exists.
import * as assert from "node:assert/strict";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { CUSTOM_MCP_SERVER_ID, DEFAULT_TEST_USER as EMULATOR_TEST_USER, shellPath } from "../../emulator";
import type { ClientRecord } from "../../emulator/store";
import {
  AlationClaudeConnector,
  DEFAULT_APPLICATION_NAME,
  JWT_FEATURE_FLAG,
  type AlationClaudeConnectorArgs,
} from "../../provider";
import {
  CLAUDE_REDIRECT_URIS,
  DEFAULT_CALLBACK_PORT,
  loopbackRedirectUri,
  verifyConnector,
} from "../../provider/verify";
import { ADMIN_TOKEN, startTestTenant, type TestTenant } from "../support/test-tenant";
import { setRealProviderMocks, settle, type RealProviderMocks } from "../support/real-provider-mocks";
import { basicAuthBrowser } from "../support/basic-auth-browser";
import { freePort } from "../support/ports";

/** A client as the emulator's state hook lists it. */
type EmulatedClient = Omit<ClientRecord, "id">;

/** The custom resources registered, in order (the component itself left out). */
function childTypes(seen: RealProviderMocks): string[] {
  return seen.registered.map((r) => r.type).filter((type) => type !== "alation:index:AlationClaudeConnector");
}

async function tenantState(tenant: TestTenant): Promise<{ clients: EmulatedClient[]; conf: Record<string, string> }> {
  return (await tenant.call("GET", "/__emulator/state")).json;
}

describe("AlationClaudeConnector (mocks + real providers + emulator)", function () {
  let tenant: TestTenant;
  let mocks: RealProviderMocks;
  const savedEnv = { ...process.env };

  before(async function () {
    tenant = await startTestTenant();
    // The `local` shell runs the emulator's alation_conf / alation_django_shell on this machine.
    process.env.ALATION_EMULATOR_URL = tenant.url;
    process.env.PATH = `${shellPath()}${path.delimiter}${process.env.PATH}`;
  });
  after(async function () {
    process.env = savedEnv;
    await tenant.stop();
  });
  beforeEach(async function () {
    mocks = await setRealProviderMocks({ "alation:apiAccessToken": ADMIN_TOKEN });
  });

  it("registers the guide's application over REST and outputs exactly the tenant's client", async function () {
    const connector = new AlationClaudeConnector("rest", { connection: { baseUrl: tenant.url } });
    const clientId = await settle(connector.clientId);
    const clientSecret = await settle(connector.clientSecret);
    const mcpUrl = await settle(connector.remoteMcpServerUrl);
    const name = await settle(connector.connectorName);

    const client = (await tenantState(tenant)).clients.find((c) => c.client_id === clientId.value);
    assert.ok(client, "the tenant has the client the outputs name");
    assert.equal(clientSecret.value, client.client_secret);
    assert.equal(clientSecret.secret, true, "clientSecret is a Pulumi secret");
    assert.equal(clientId.secret, false);
    assert.equal(mcpUrl.value, `${tenant.url}/ai/mcp/`);
    assert.equal(name.value, "Alation");
    // The guide's defaults; the name with a suffix of the stack's and the resource's, which no person holds.
    assert.match(client.name, new RegExp(`^${DEFAULT_APPLICATION_NAME}-[0-9a-f]{8}$`));
    assert.equal(client.client_type, "confidential");
    assert.deepEqual(client.redirect_uris, [
      `${tenant.url}/oauth/callback`,
      "https://claude.ai/api/mcp/auth_callback",
      "https://claude.com/api/mcp/auth_callback",
    ]);
    assert.equal(client.access_token_expiry, 86400);
    assert.equal(client.refresh_token_expiry, 15552000);
    assert.equal(client.pkce_required, true);
    assert.equal(client.is_active, true);
    assert.equal(client.internal_application, false);
    // Nothing but the component's children, and no flag without a shell.
    assert.deepEqual(childTypes(mocks), ["pulumi-nodejs:dynamic/alation:OAuthApplication"]);
  });

  it("sets the JWT flag through the shell before the application; the connector verifies", async function () {
    const callbackPort = await freePort();
    const before = await tenantState(tenant);
    assert.notEqual(before.conf[JWT_FEATURE_FLAG], "True");
    const connector = new AlationClaudeConnector("shell", {
      tenantUrl: `${tenant.url}/`,
      shell: { local: {} },
      applicationName: "claude-through-the-shell",
      connectorName: "Alation (shell)",
      extraRedirectUris: ["http://localhost:33418/callback"],
      accessTokenExpiry: 7200,
      verifierLogin: { callbackPort },
    });
    const [clientId, clientSecret, mcpUrl] = await Promise.all([
      settle(connector.clientId),
      settle(connector.clientSecret),
      settle(connector.remoteMcpServerUrl),
    ]);
    assert.deepEqual(
      childTypes(mocks),
      ["pulumi-nodejs:dynamic/alation:FeatureFlag", "pulumi-nodejs:dynamic/alation:OAuthApplication"],
      "the flag is created before the application",
    );
    const after = await tenantState(tenant);
    assert.equal(after.conf[JWT_FEATURE_FLAG], "True");
    const client = after.clients.find((c) => c.client_id === clientId.value);
    assert.ok(client);
    assert.equal(client.name, "claude-through-the-shell");
    assert.equal(client.jwt_required, true, "the shell path enforces jwt_required");
    assert.equal(client.access_token_expiry, 7200);
    assert.ok(client.redirect_uris.includes("http://localhost:33418/callback"));
    assert.ok(client.redirect_uris.includes(loopbackRedirectUri(callbackPort)), "verifierLogin adds its redirect");
    assert.equal(clientSecret.secret, true);

    // The login goes through a browser (a stand-in here) back to the loopback redirect that verifierLogin added.
    const report = await verifyConnector(
      {
        remoteMcpServerUrl: mcpUrl.value,
        clientId: clientId.value,
        clientSecret: clientSecret.value,
        accessTokenExpiry: 7200,
      },
      { emulator: true, login: true, browser: { callbackPort, open: basicAuthBrowser().open } },
    );
    const notFine = report.steps.filter((s) => s.status !== "pass" && s.id !== "mcp-url");
    assert.deepEqual(notFine, [], "every step but the loopback MCP URL's warning passes");
  });

  it("adds the verifier's loopback redirect URI only when verifierLogin asks for it", async function () {
    const connection = { baseUrl: tenant.url };
    const withLogin = new AlationClaudeConnector("with-verifier", {
      connection,
      applicationName: "claude-with-verifier",
      verifierLogin: true,
    });
    const without = new AlationClaudeConnector("without-verifier", { connection, applicationName: "claude-without" });
    const [withId, withoutId] = await Promise.all([settle(withLogin.clientId), settle(without.clientId)]);
    const clients = (await tenantState(tenant)).clients;
    const uris = (id: string) => clients.find((c) => c.client_id === id)?.redirect_uris ?? [];
    assert.equal(loopbackRedirectUri(DEFAULT_CALLBACK_PORT), "http://127.0.0.1:38271/callback");
    assert.ok(uris(withId.value).includes("http://127.0.0.1:38271/callback"));
    const defaults = [`${tenant.url}/oauth/callback`, ...CLAUDE_REDIRECT_URIS];
    assert.deepEqual(uris(withoutId.value), defaults, "off by default");
    assert.deepEqual(uris(withId.value), [...defaults, loopbackRedirectUri()]);
  });

  it("publishes the fields as a Kubernetes Secret holding secret data", async function () {
    const connector = new AlationClaudeConnector("k8s", {
      connection: { baseUrl: tenant.url },
      applicationName: "claude-with-secret",
      kubernetesSecret: { namespace: "connectors", name: "alation-claude" },
    });
    const clientId = await settle(connector.clientId);
    assert.ok(connector.kubernetesSecret);
    const secret = connector.kubernetesSecret as unknown as { stringData: pulumi.Output<Record<string, string>> };
    const data = await settle(secret.stringData);
    assert.equal(data.secret, true, "stringData is secret");
    assert.equal(data.value.clientId, clientId.value);
    assert.equal(data.value.remoteMcpServerUrl, `${tenant.url}/ai/mcp/`);
    const client = (await tenantState(tenant)).clients.find((c) => c.client_id === clientId.value);
    assert.equal(data.value.clientSecret, client?.client_secret);
    const registered = mocks.registered.find((r) => r.type === "kubernetes:core/v1:Secret");
    assert.deepEqual(registered?.inputs.metadata as Record<string, unknown>, {
      namespace: "connectors",
      name: "alation-claude",
    });
  });

  it("outputs a custom MCP server's URL for mcpServerId (alation-api.md section 4), which verifies", async function () {
    const connector = new AlationClaudeConnector("custom-mcp", {
      connection: { baseUrl: tenant.url },
      applicationName: "claude-custom-mcp",
      mcpServerId: CUSTOM_MCP_SERVER_ID,
    });
    const [clientId, clientSecret, mcpUrl] = await Promise.all([
      settle(connector.clientId),
      settle(connector.clientSecret),
      settle(connector.remoteMcpServerUrl),
    ]);
    assert.equal(mcpUrl.value, `${tenant.url}/ai/mcp/${CUSTOM_MCP_SERVER_ID}/`, "with its trailing slash");
    await tenant.setJwtFlag(true);
    const report = await verifyConnector(
      { remoteMcpServerUrl: mcpUrl.value, clientId: clientId.value, clientSecret: clientSecret.value },
      { emulator: true, login: EMULATOR_TEST_USER },
    );
    assert.ok(
      report.ok,
      JSON.stringify(
        report.steps.filter((s) => s.status === "fail"),
        null,
        2,
      ),
    );
    // Known now: refused before anything is registered. Known later: before the application is.
    const before = mocks.registered.length;
    assert.throws(
      () =>
        new AlationClaudeConnector("bad-mcp-id", { connection: { baseUrl: tenant.url }, mcpServerId: "../../admin" }),
      (error: Error) =>
        error instanceof pulumi.RunError && /bad-mcp-id: mcpServerId must be one path/.test(error.message),
    );
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(mocks.registered.length, before, "nothing registered");
    const later = new AlationClaudeConnector("later-mcp-id", {
      connection: { baseUrl: tenant.url },
      mcpServerId: pulumi.output("a/b"),
    });
    await assert.rejects(settle(later.remoteMcpServerUrl), /later-mcp-id: mcpServerId must be one path segment/);
    assert.ok(!mocks.registered.some((r) => r.name === "later-mcp-id-application"), "no application registered");
  });

  it("refuses a flag without a shell, a verifier callback port out of range, bad expiries: all at once", function () {
    assert.throws(
      () =>
        new AlationClaudeConnector("bad-many", {
          connection: { baseUrl: tenant.url },
          applicationName: " ",
          accessTokenExpiry: 60,
          extraRedirectUris: ["http://evil.example/cb"],
          manageJwtFeatureFlag: true,
        }),
      (error: Error) => {
        assert.ok(error instanceof pulumi.RunError, "printed without a stack trace");
        for (const field of ["applicationName", "accessTokenExpiry", "extraRedirectUris[0]", "manageJwtFeatureFlag"]) {
          assert.ok(error.message.includes(field), `${field} named: ${error.message}`);
        }
        return true;
      },
    );
    assert.throws(
      () => new AlationClaudeConnector("bad-flag", { connection: { baseUrl: tenant.url }, manageJwtFeatureFlag: true }),
      /manageJwtFeatureFlag needs shell/,
    );
    assert.throws(
      () =>
        new AlationClaudeConnector("bad-port", {
          connection: { baseUrl: tenant.url },
          verifierLogin: { callbackPort: 70000 },
        }),
      /bad-port: verifierLogin\.callbackPort must be a whole number from 1 to 65535/,
    );
  });

  describe("a tenant URL without a scheme, over http, or none at all", function () {
    const NO_SCHEME = "must be an absolute URL with its scheme, such as https://tenant.alationcloud.com";
    const HTTP = "must use https:// (http:// only for localhost, 127.0.0.1 or [::1])";
    const rejections: unknown[] = [];
    const onRejection = (reason: unknown) => rejections.push(reason);
    beforeEach(() => {
      rejections.length = 0;
      process.on("unhandledRejection", onRejection);
    });
    afterEach(() => {
      process.off("unhandledRejection", onRejection);
      delete process.env.ALATION_BASE_URL;
      pulumi.runtime.setAllConfig({});
    });

    /** Constructs the connector: it must throw at once, with exactly this message, having registered no child. */
    async function refusedAtConstruction(args: AlationClaudeConnectorArgs, message: string): Promise<void> {
      assert.throws(
        () => new AlationClaudeConnector("claude", args),
        (error: Error) => {
          assert.equal(error.message, `AlationClaudeConnector claude: ${message}`);
          return true;
        },
      );
      await new Promise((resolve) => setTimeout(resolve, 50));
      assert.deepEqual(childTypes(mocks), [], "nothing was registered below the component");
      assert.deepEqual(rejections, [], "no unhandled rejection");
    }

    it("a plain string is refused at construction, once, naming the field the user set", async function () {
      const noScheme = "acme.alationcloud.com";
      await refusedAtConstruction({ connection: { baseUrl: noScheme } }, `connection.baseUrl ${NO_SCHEME}`);
      await refusedAtConstruction({ tenantUrl: noScheme, shell: { local: {} } }, `tenantUrl ${NO_SCHEME}`);
      await refusedAtConstruction({ connection: { baseUrl: "localhost:8765" } }, `connection.baseUrl ${NO_SCHEME}`);
      pulumi.runtime.setAllConfig({ "alation:baseUrl": "acme.alationcloud.com" });
      await refusedAtConstruction({ connection: {} }, `stack config alation:baseUrl ${NO_SCHEME}`);
      pulumi.runtime.setAllConfig({});
      process.env.ALATION_BASE_URL = "acme.alationcloud.com";
      await refusedAtConstruction({}, `ALATION_BASE_URL ${NO_SCHEME}`);
      delete process.env.ALATION_BASE_URL;
      const none =
        "no tenant URL: set connection.baseUrl or tenantUrl (https://TENANT), stack config alation:baseUrl or " +
        "ALATION_BASE_URL";
      await refusedAtConstruction({ connection: {} }, none);
      await refusedAtConstruction({ shell: { local: {} } }, none);
    });

    it("an http baseUrl is reported as the cause only, not again on a redirect URI derived from it", async () => {
      const http = "http://acme.alationcloud.com";
      await refusedAtConstruction({ connection: { baseUrl: http } }, `connection.baseUrl ${HTTP}`);
      // Known only later (an Output): the application's check names connection.baseUrl, and nothing else.
      const connector = new AlationClaudeConnector("later", { connection: { baseUrl: pulumi.output(http) } });
      const error = await settle(connector.clientId).catch((e: Error) => e);
      assert.ok(error instanceof Error);
      assert.match(error.message, /check failed: connection\.baseUrl: baseUrl must use https:\/\/ \(http:\/\/ only/);
      assert.doesNotMatch(error.message, /redirect/i);
      assert.doesNotMatch(error.message, /tenantUrl/);
    });

    it("a tenantUrl known only later is refused once, naming tenantUrl, before the application exists", async () => {
      const connector = new AlationClaudeConnector("later", {
        tenantUrl: pulumi.output("acme.alationcloud.com"),
        shell: { local: {} },
        manageJwtFeatureFlag: false,
      });
      const error = await settle(connector.remoteMcpServerUrl).catch((e: Error) => e);
      // (Pulumi may have prefixed the property it was serializing when the error reached it.)
      const expected = `AlationClaudeConnector later: tenantUrl ${NO_SCHEME}`;
      assert.ok(error instanceof Error && error.message.endsWith(expected), String(error));
      assert.deepEqual(childTypes(mocks), []);
    });
  });
});
