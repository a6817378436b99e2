// The REST client against the emulated tenant: every call with each way to authenticate, asserting the tenant's
// own state; the documented-only tenant (no GET); retries through injected faults.
import { strict as assert } from "node:assert";
import { AlationClient } from "../../provider/alation";
import { guideApplication } from "../support/connector-guide";
import { startTestTenant, type TestTenant } from "../support/test-tenant";
import { AUTH_MODES, credentialsFor } from "../support/tenant-credentials";

const FIELDS = guideApplication({
  redirectUris: ["https://tenant.example.com/oauth/callback", "https://claude.ai/api/mcp/auth_callback"],
});
const FAST_RETRY = { attempts: 6, baseDelayMs: 5, maxDelayMs: 20, maxRetryAfterMs: 2000 };

describe("alation client against the emulator", function () {
  this.timeout(30000);
  let tenant: TestTenant;

  for (const mode of AUTH_MODES) {
    it(`creates, reads, finds, updates, rotates and deletes (${mode})`, async () => {
      tenant = await startTestTenant();
      const client = new AlationClient(
        { baseUrl: tenant.url, ...(await credentialsFor(tenant, mode)) },
        { retry: FAST_RETRY },
      );
      const stored = async (id: string) => (await tenant.state()).clients.find((c) => c.client_id === id);

      const { application, clientSecret } = await client.create(FIELDS);
      const created = await stored(application.clientId);
      assert.equal(created?.name, FIELDS.name);
      assert.equal(created?.client_secret, clientSecret);
      assert.deepEqual(created?.redirect_uris, FIELDS.redirectUris);
      assert.equal(created?.pkce_required, true);

      const lookup = await client.get(application.clientId);
      assert.equal(lookup.status, "found");
      assert.deepEqual(lookup.status === "found" && lookup.application.redirectUris, FIELDS.redirectUris);
      assert.equal((await client.findByName(FIELDS.name)).status, "found");

      await client.update(application.clientId, {
        accessTokenExpiry: 3600,
        redirectUris: ["https://claude.ai/api/mcp/auth_callback"],
      });
      const updated = await stored(application.clientId);
      assert.equal(updated?.access_token_expiry, 3600);
      assert.deepEqual(updated?.redirect_uris, ["https://claude.ai/api/mcp/auth_callback"]);
      assert.equal(updated?.refresh_token_expiry, FIELDS.refreshTokenExpiry, "fields not sent are kept");

      const rotated = await client.rotateSecret(application.clientId);
      assert.notEqual(rotated, clientSecret);
      assert.equal((await stored(application.clientId))?.client_secret, rotated);

      await client.delete(application.clientId);
      assert.equal(await stored(application.clientId), undefined);
      await client.delete(application.clientId);
      assert.equal((await client.get(application.clientId)).status, "gone");
    });
  }

  it("reports reads as unsupported on a documented-only tenant, and still manages clients", async () => {
    tenant = await startTestTenant({ documentedOnly: true });
    const client = new AlationClient({ baseUrl: tenant.url, ...(await credentialsFor(tenant, "apiAccessToken")) });
    const { application } = await client.create(FIELDS);
    assert.equal((await client.get(application.clientId)).status, "unsupported");
    assert.equal((await client.findByName(FIELDS.name)).status, "unsupported");
    await client.update(application.clientId, { name: "renamed" });
    assert.equal((await tenant.state()).clients[0].name, "renamed");
    await client.delete(application.clientId);
    assert.equal((await tenant.state()).clients.length, 0);
  });

  it("gets through injected 502/503 and dropped connections on idempotent calls", async () => {
    tenant = await startTestTenant({
      faults: { seed: 3, rate: 0.3, kinds: ["502", "503", "drop"], routes: "^(GET|PATCH|DELETE) /integration/core/" },
    });
    const client = new AlationClient(
      { baseUrl: tenant.url, ...(await credentialsFor(tenant, "apiAccessToken")) },
      { retry: FAST_RETRY },
    );
    const { application } = await client.create(FIELDS);
    for (let i = 0; i < 5; i++) {
      await client.update(application.clientId, { accessTokenExpiry: 3600 + i });
      assert.equal((await client.get(application.clientId)).status, "found");
    }
    await client.delete(application.clientId);
    assert.equal((await tenant.state()).clients.length, 0);
    const requests = (await tenant.call("GET", "/__emulator/requests")).json;
    assert.ok(requests.total > 12, `faults forced retries (${requests.total} requests for 12 calls)`);
  });
});
