// Whole lifecycles, with their assertions, that several suites run in their own setting (a transport, an emulator
// mode): OAuthApplication over REST, and FeatureFlag, OAuthApplication and adoption through the shell, each through
// Pulumi's real dynamic-provider server against the emulator's state.
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import { canaryPath, hostileText } from "./hostile-values";
import { checkAndCreate, type Props, type ShellFixture } from "./provider-harness";
import type { ProviderServer } from "./provider-server";
import { JWT_FLAG, type TestTenant } from "./test-tenant";

/**
 * Create, read, update (accessTokenExpiry) and delete through `server`, asserting the tenant's state after each
 * step. Returns the outputs after the update (before the delete).
 */
export async function exerciseLifecycle(server: ProviderServer, tenant: TestTenant, inputs: Props): Promise<Props> {
  const stored = async (id: string) => (await tenant.state()).clients.find((client) => client.client_id === id);
  const created = await checkAndCreate(server, inputs);
  assert.equal((await stored(created.id))?.client_secret, created.properties.clientSecret);
  const read = await server.read(created.id, created.properties);
  assert.equal(read.id, created.id);
  const news = { ...created.inputs, accessTokenExpiry: 7200 };
  const updated = await server.update(created.id, read.properties, news);
  assert.equal((await stored(created.id))?.access_token_expiry, 7200);
  await server.delete(created.id, updated.properties);
  assert.equal(await stored(created.id), undefined);
  return updated.properties;
}

async function confOf(tenant: TestTenant, key: string): Promise<string> {
  return (await tenant.state()).conf[key];
}

/** create, read, drift, update, delete with restore: the JWT flag of the connector guide. */
export async function featureFlagLifecycle(fixture: ShellFixture): Promise<void> {
  const { server, tenant } = fixture;
  await tenant.setJwtFlag(false);
  const news: Props = { __provider: fixture.providers.featureFlag, shell: fixture.shell, key: JWT_FLAG, value: true };

  const checked = await server.check({}, news);
  assert.deepEqual(checked.failures, []);
  assert.equal(checked.inputs.restoreOnDelete, true, "restoreOnDelete defaults to true");

  const created = await server.create(checked.inputs);
  assert.equal(created.id, JWT_FLAG);
  assert.equal(created.properties.value, true);
  assert.equal(created.properties.previousValue, false, "the value found before, read as a boolean");
  assert.equal(await confOf(tenant, JWT_FLAG), "True", "create set the flag");

  const unchanged = await server.read(created.id, created.properties);
  assert.equal(unchanged.properties.value, true);
  assert.equal((await server.diff(created.id, unchanged.properties, checked.inputs)).changes, "none");

  await tenant.setJwtFlag(false); // behind Pulumi's back
  const drifted = await server.read(created.id, created.properties);
  assert.equal(drifted.properties.value, false, "read reports the drift");
  const diff = await server.diff(created.id, drifted.properties, checked.inputs);
  assert.deepEqual([diff.changes, diff.replaces], ["some", []]);

  const updated = await server.update(created.id, drifted.properties, checked.inputs);
  assert.equal(updated.properties.value, true);
  assert.equal(updated.properties.previousValue, false, "previousValue is kept from create");
  assert.equal(await confOf(tenant, JWT_FLAG), "True", "update set the flag back");

  await server.delete(created.id, updated.properties);
  assert.equal(await confOf(tenant, JWT_FLAG), "False", "delete restored the previous value");
}

const REDIRECT_URIS = ["https://tenant.example.com/oauth/callback", "https://claude.ai/api/mcp/auth_callback"];

/**
 * create, read, drift, update, rotate, delete, with a name that must be stored literally. Every field of the model
 * is enforced on this path, jwtRequired, isActive and internalApplication included.
 */
export async function oauthApplicationLifecycle(fixture: ShellFixture): Promise<void> {
  const { server, tenant } = fixture;
  const canary = canaryPath();
  // A name people read holds no control character (they are refused, naming the field): the rest stays hostile.
  const name = hostileText(canary).replace("\n", " ");
  const news: Props = {
    __provider: fixture.providers.oauthApplication,
    shell: fixture.shell,
    name,
    redirectUris: REDIRECT_URIS,
  };
  const client = async (clientId: string) => (await tenant.state()).clients.find((c) => c.client_id === clientId);

  const checked = await server.check({}, news);
  assert.deepEqual(checked.failures, []);
  const created = await server.create(checked.inputs);
  const clientId = created.id;
  const stored = await client(clientId);
  assert.ok(stored, "create made the application");
  assert.equal(stored.name, name, "the name is stored literally");
  assert.equal(fs.existsSync(canary), false, "nothing in the name was executed");
  assert.deepEqual(
    [stored.client_type, stored.redirect_uris, stored.access_token_expiry, stored.refresh_token_expiry],
    ["confidential", REDIRECT_URIS, 86400, 15552000],
  );
  assert.deepEqual(
    [stored.pkce_required, stored.jwt_required, stored.is_active, stored.internal_application],
    [true, true, true, false],
  );
  assert.equal(created.properties.clientSecret, stored.client_secret, "the secret made in the shell comes back once");
  assert.match(clientId, /^[A-Za-z0-9_-]{43}$/, "32 random bytes, URL-safe base64, as the guide makes them");
  assert.deepEqual(created.properties.notEnforced, []);

  // Drift made behind Pulumi's back (over the REST admin API), found by read, undone by update.
  const drift = tenant.clientBody({ access_token_expiry: 7200 });
  const patched = await tenant.call("PATCH", `${tenant.clientsPath}${clientId}/`, { json: drift });
  assert.equal(patched.status, 200);
  const drifted = await server.read(clientId, created.properties);
  assert.equal(drifted.properties.accessTokenExpiry, 7200, "read reports the drift");
  assert.equal((await server.diff(clientId, drifted.properties, checked.inputs)).changes, "some");
  const corrected = await server.update(clientId, drifted.properties, { ...checked.inputs, isActive: false });
  assert.deepEqual(
    [(await client(clientId))?.access_token_expiry, (await client(clientId))?.is_active],
    [86400, false],
  );

  // A new secretVersion rotates the secret: the old one stops working at once.
  const rotated = await server.update(clientId, corrected.properties, {
    ...checked.inputs,
    isActive: false,
    secretVersion: "2",
  });
  const newSecret = rotated.properties.clientSecret;
  assert.notEqual(newSecret, created.properties.clientSecret);
  assert.equal((await client(clientId))?.client_secret, newSecret);

  await server.delete(clientId, rotated.properties);
  assert.equal(await client(clientId), undefined, "delete removed the application");
  await server.delete(clientId, rotated.properties); // already gone: still success
  const gone = await server.read(clientId, rotated.properties);
  assert.equal(gone.id, "", "read of a deleted application says it is gone");
}

/** Takes over an application made elsewhere: its secret is rotated and every field set. */
export async function adoptLifecycle(fixture: ShellFixture): Promise<void> {
  const { server, tenant } = fixture;
  const existing = await tenant.createClient({ name: "made-by-hand" });
  const news: Props = {
    __provider: fixture.providers.oauthApplication,
    shell: fixture.shell,
    name: "made-by-hand",
    redirectUris: REDIRECT_URIS,
    adoptClientId: existing.client_id,
  };
  const checked = await server.check({}, news);
  const adopted = await server.create(checked.inputs);
  const stored = (await tenant.state()).clients.find((c) => c.client_id === existing.client_id);
  assert.equal(adopted.id, existing.client_id);
  assert.notEqual(adopted.properties.clientSecret, existing.client_secret);
  assert.equal(stored?.client_secret, adopted.properties.clientSecret);
  assert.deepEqual([stored?.jwt_required, stored?.is_active, stored?.redirect_uris], [true, true, REDIRECT_URIS]);
  await server.delete(adopted.id, adopted.properties);
}
