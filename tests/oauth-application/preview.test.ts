// Preview: Check and Diff with unknown inputs validate what is known and never reach the tenant. The "tenant" is
// a listening server that counts connections, named by the inputs, the stack config and the environment.
import { strict as assert } from "node:assert";
import { UNKNOWN } from "../../provider/schema/unknown";
import { installedPackageProject } from "../support/installed-package";
import { cleanEnvironment, startProviderServer, type ProviderServer } from "../support/provider-server";
import { json, startScriptedServer, type ScriptedServer } from "../support/scripted-http";
import { CLAUDE_REDIRECT_URIS, registeredInputs, type Props } from "../support/provider-harness";

describe("OAuthApplication preview: offline check and diff", function () {
  this.timeout(60000);
  let tenant: ScriptedServer;
  let server: ProviderServer;
  let base: Props;

  before(async () => {
    tenant = await startScriptedServer(() => json(500, { detail: "preview must not call the tenant" }));
    server = await startProviderServer({
      cwd: installedPackageProject(),
      env: cleanEnvironment({ ALATION_BASE_URL: tenant.url, ALATION_API_ACCESS_TOKEN: "env-token-value" }),
    });
    await server.configure({ "alation:baseUrl": tenant.url, "alation:apiAccessToken": "config-token-value" });
    base = await registeredInputs({
      connection: { baseUrl: tenant.url, apiAccessToken: "input-token-value" },
      redirectUris: CLAUDE_REDIRECT_URIS,
    });
  });
  after(async () => {
    await server?.kill();
    await tenant?.close();
  });

  it("passes unknown values through check, wherever they are, and validates what is known", async () => {
    const variants: Props[] = [
      {
        ...base,
        name: UNKNOWN,
        redirectUris: [UNKNOWN, "https://claude.ai/api/mcp/auth_callback", UNKNOWN],
        accessTokenExpiry: UNKNOWN,
      },
      {
        ...base,
        redirectUris: UNKNOWN,
        connection: { baseUrl: UNKNOWN, apiAccessToken: UNKNOWN, refreshToken: UNKNOWN },
      },
      { ...base, connection: UNKNOWN, shell: UNKNOWN, clientType: UNKNOWN, pkceRequired: false },
      {
        ...base,
        secretVersion: UNKNOWN,
        adoptClientId: UNKNOWN,
        connection: { ...(base.connection as Props), clientCredentials: UNKNOWN },
      },
    ];
    for (const news of variants) {
      const { inputs, failures } = await server.check({}, news);
      assert.deepEqual(failures, [], JSON.stringify(news));
      for (const [key, value] of Object.entries(news)) {
        if (value === UNKNOWN) assert.equal(inputs[key], UNKNOWN, `${key} stays unknown`);
      }
    }
    const mixed = await server.check(
      {},
      { ...base, name: UNKNOWN, redirectUris: [UNKNOWN, "http://evil.example/cb"], accessTokenExpiry: 1 },
    );
    assert.deepEqual(mixed.failures.map((f) => f.property).sort(), ["accessTokenExpiry", "redirectUris[1]"]);
  });

  it("diffs with unknown values: a change, a replacement where the tenant may differ", async () => {
    const olds = {
      ...(await server.check({}, base)).inputs,
      clientId: "id",
      clientSecret: "secret-value",
      notEnforced: [],
    };
    const unknownUris = await server.diff("id", olds, { ...olds, redirectUris: UNKNOWN });
    assert.deepEqual(unknownUris, { changes: "some", replaces: [], deleteBeforeReplace: false });
    const unknownTenant = await server.diff("id", olds, {
      ...olds,
      connection: { baseUrl: UNKNOWN, apiAccessToken: UNKNOWN },
    });
    assert.deepEqual(unknownTenant.replaces, ["connection"]);
    assert.equal(unknownTenant.deleteBeforeReplace, false, "maybe another tenant: the new one would be made first");
    const unknownName = await server.diff("id", olds, { ...olds, name: UNKNOWN, adoptClientId: UNKNOWN });
    assert.deepEqual(unknownName.replaces, ["adoptClientId"]);
  });

  it("made no network call at all", async () => {
    assert.equal(tenant.connections(), 0);
    assert.equal(tenant.requests.length, 0);
  });
});
