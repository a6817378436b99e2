// Where the connection comes from (inputs, stack config, environment), each way to authenticate, a tenant that
// does not serve GET, and a credential rotated since it was recorded in state.
import { strict as assert } from "node:assert";
import { ADMIN_TOKEN, startTestTenant, type TestTenant } from "../support/test-tenant";
import type { ProviderServer } from "../support/provider-server";
import { credentialsFor } from "../support/tenant-credentials";
import {
  CLAUDE_REDIRECT_URIS,
  checkAndCreate,
  registeredInputs,
  startHarness,
  startInstalledProviderServer,
  type Props,
} from "../support/provider-harness";
import { exerciseLifecycle } from "../support/lifecycles";

describe("OAuthApplication connections", function () {
  this.timeout(60000);

  const servers: ProviderServer[] = [];
  const serverWith = async (config: Record<string, string>, env: Record<string, string> = {}) => {
    const server = await startInstalledProviderServer(env);
    servers.push(server);
    await server.configure(config);
    return server;
  };
  // The tests that need neither config nor an environment credential share one provider process (about 2 s of CPU
  // each), as one `pulumi up` serves several resources; their connections are the resources' own.
  let plain: Promise<ProviderServer> | undefined;
  const plainServer = () => (plain ??= serverWith({}));
  after(async () => Promise.all(servers.map((server) => server.kill())));

  describe("sources and ways to authenticate", () => {
    let tenant: TestTenant;
    before(async () => (tenant = await startTestTenant()));
    after(async () => tenant?.stop());

    it("refreshToken + userId given as the resource's connection", async () => {
      const server = await plainServer();
      const credentials = await credentialsFor(tenant, "refreshToken");
      const inputs = await registeredInputs({
        connection: { baseUrl: tenant.url, ...credentials } as never,
        redirectUris: CLAUDE_REDIRECT_URIS,
      });
      const outputs = await exerciseLifecycle(server, tenant, inputs);
      assert.equal((outputs.connection as Props).refreshToken, credentials.refreshToken);
    });

    it("clientCredentials from stack config (alation:clientId, alation:clientSecret), no connection", async () => {
      const credentials = await credentialsFor(tenant, "clientCredentials");
      const server = await serverWith({
        "alation:baseUrl": tenant.url,
        "alation:clientId": String(credentials.clientCredentials?.clientId),
        "alation:clientSecret": String(credentials.clientCredentials?.clientSecret),
      });
      const inputs = await registeredInputs({ redirectUris: CLAUDE_REDIRECT_URIS });
      const outputs = await exerciseLifecycle(server, tenant, inputs);
      assert.deepEqual(
        (outputs.connection as Props).clientCredentials,
        credentials.clientCredentials,
        "recorded for read and delete",
      );
    });

    it("apiAccessToken from the environment, under a base URL from the connection", async () => {
      const server = await serverWith(
        {},
        { ALATION_BASE_URL: "https://not-this.example", ALATION_API_ACCESS_TOKEN: ADMIN_TOKEN },
      );
      const inputs = await registeredInputs({
        connection: { baseUrl: tenant.url },
        redirectUris: CLAUDE_REDIRECT_URIS,
      });
      const outputs = await exerciseLifecycle(server, tenant, inputs);
      // The environment's credential is the command's own: used, never recorded (read and delete use the current one).
      assert.deepEqual(outputs.connection, { baseUrl: tenant.url });
      const created = await checkAndCreate(server, inputs);
      assert.deepEqual(created.properties.connection, { baseUrl: tenant.url });
      const wrong = await serverWith({}, { ALATION_API_ACCESS_TOKEN: "not-the-current-token" });
      const refused = await wrong.read(created.id, created.properties).catch((error: Error) => error);
      assert.ok(refused instanceof Error && /403 auth/.test(refused.message), String(refused));
      await server.delete(created.id, created.properties);
    });

    it("refuses a non-admin service account and an OAuth application's credentials, saying why", async () => {
      const server = await plainServer();
      const steward = await tenant.createServiceAccount({ role: "STEWARD" });
      const claude = await tenant.createClient({ name: "claude-for-users" });
      const attempts: Array<[{ clientId: string; clientSecret: string }, RegExp]> = [
        [{ clientId: steward.client_id, clientSecret: steward.client_secret }, /403 auth.*the Server Admin role/],
        [{ clientId: claude.client_id, clientSecret: claude.client_secret }, /unauthorized_client.*only for a service/],
      ];
      for (const [clientCredentials, expected] of attempts) {
        const connection = { baseUrl: tenant.url, clientCredentials };
        const inputs = await registeredInputs({ connection, redirectUris: CLAUDE_REDIRECT_URIS }, "refused");
        const error = await checkAndCreate(server, inputs).catch((e: Error) => e);
        assert.ok(error instanceof Error);
        assert.match(error.message, expected);
        assert.ok(!error.message.includes(clientCredentials.clientSecret), "no secret in the message");
      }
      assert.equal(
        (await tenant.state()).clients.some((c) => c.name === "refused"),
        false,
      );
    });

    it("says how to give a connection when there is none", async () => {
      const server = await plainServer();
      const inputs = await registeredInputs({ redirectUris: CLAUDE_REDIRECT_URIS });
      const error = await checkAndCreate(server, inputs).catch((e: Error) => e);
      assert.ok(error instanceof Error);
      assert.match(error.message, /alation:baseUrl/);
      assert.match(error.message, /ALATION_BASE_URL/);
    });
  });

  it("works with a tenant that does not serve GET: refresh keeps state and says so once", async () => {
    const harness = await startHarness({ tenant: { documentedOnly: true }, server: await plainServer() });
    try {
      const inputs = await registeredInputs({
        connection: { baseUrl: harness.tenant.url, apiAccessToken: ADMIN_TOKEN },
        redirectUris: CLAUDE_REDIRECT_URIS,
      });
      const created = await checkAndCreate(harness.server, inputs);
      for (let i = 0; i < 2; i++) {
        const read = await harness.server.read(created.id, created.properties);
        assert.equal(read.id, created.id);
        assert.deepEqual(read.properties, created.properties);
      }
      const warnings = harness.server.output().match(/reading applications is not served by this tenant/g) ?? [];
      assert.equal(warnings.length, 1, harness.server.output());
      await exerciseLifecycle(harness.server, harness.tenant, { ...inputs, name: "second" });
      await harness.server.delete(created.id, created.properties);
      assert.equal((await harness.clients()).length, 0);
    } finally {
      await harness.stop();
    }
  });

  it("retries read and delete once with the stack config's credential when the recorded one was rotated", async () => {
    const harness = await startHarness({ config: { "alation:apiAccessToken": ADMIN_TOKEN } });
    try {
      const inputs = await registeredInputs({
        connection: { baseUrl: harness.tenant.url, apiAccessToken: ADMIN_TOKEN },
        redirectUris: CLAUDE_REDIRECT_URIS,
      });
      const created = await checkAndCreate(harness.server, inputs);
      const revoked = {
        ...created.properties,
        connection: { baseUrl: harness.tenant.url, apiAccessToken: "revoked-token-value" },
      };
      const read = await harness.server.read(created.id, revoked);
      assert.equal(read.id, created.id);
      assert.equal(
        (read.properties.connection as Props).apiAccessToken,
        ADMIN_TOKEN,
        "the working credential is recorded",
      );
      await harness.server.delete(created.id, revoked);
      assert.equal((await harness.clients()).length, 0);
      assert.ok(!harness.server.output().includes("revoked-token-value"));
    } finally {
      await harness.stop();
    }
  });

  it("fails clearly when the recorded credential is refused and no other is configured", async () => {
    const harness = await startHarness({ server: await plainServer() });
    try {
      const inputs = await registeredInputs({
        connection: { baseUrl: harness.tenant.url, apiAccessToken: ADMIN_TOKEN },
        redirectUris: CLAUDE_REDIRECT_URIS,
      });
      const created = await checkAndCreate(harness.server, inputs);
      const revoked = {
        ...created.properties,
        connection: { baseUrl: harness.tenant.url, apiAccessToken: "revoked-token-value" },
      };
      const error = await harness.server.delete(created.id, revoked).catch((e: Error) => e);
      assert.ok(error instanceof Error);
      assert.match(error.message, /403 auth/);
      // Which token, where it goes, and the way out after a rotation (refresh and destroy use the last up's config).
      assert.match(error.message, /it must be a current API access token of a Server Admin, given as connection\./);
      const rotationFix =
        "refresh and destroy use the credential and stack config of the last pulumi up: after a token was rotated, " +
        "run pulumi up with the new one in alation:apiAccessToken first, or give it as ALATION_API_ACCESS_TOKEN for " +
        "this command";
      assert.ok(error.message.endsWith(rotationFix), error.message);
      assert.ok(!error.message.includes("revoked-token-value"));
      assert.equal((await harness.clients()).length, 1);
    } finally {
      await harness.stop();
    }
  });
});
