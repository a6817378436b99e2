// OAuthApplication through Pulumi's real dynamic-provider server, with the serialized provider of a resource built
// under mocks and the package installed from `npm pack`: Configure, Check, Diff, Create, Read, Update, Delete,
// asserting the tenant's own state after each step.
import { strict as assert } from "node:assert";
import { guideApplication } from "../support/connector-guide";
import { ADMIN_TOKEN, CLIENTS_PATH } from "../support/test-tenant";
import {
  CLAUDE_REDIRECT_URIS,
  checkAndCreate,
  registeredInputs,
  startHarness,
  type Harness,
  type Props,
} from "../support/provider-harness";

describe("OAuthApplication lifecycle through the dynamic-provider server", function () {
  this.timeout(60000);
  let harness: Harness;
  let base: Props;

  before(async () => {
    harness = await startHarness();
    base = await registeredInputs({
      connection: { baseUrl: harness.tenant.url, apiAccessToken: ADMIN_TOKEN },
      redirectUris: [`${harness.tenant.url}/oauth/callback`, ...CLAUDE_REDIRECT_URIS],
    });
  });
  after(async () => harness?.stop());

  it("checks with the guide's defaults and a default name unique to the stack and resource", async () => {
    const { inputs, failures } = await harness.server.check({}, base);
    assert.deepEqual(failures, []);
    assert.match(String(inputs.name), /^claude-[0-9a-f]{8}$/);
    assert.equal(inputs.name, base.autoName, "the program's default name");
    // A name recorded before (a stack made before default names had a suffix) is kept: an upgrade changes nothing.
    const kept = await harness.server.check({ ...base, name: "claude" }, base);
    assert.equal(kept.inputs.name, "claude");
    const given = await harness.server.check({ ...base, name: "claude" }, { ...base, name: "mine" });
    assert.equal(given.inputs.name, "mine", "a name the user gives wins");
    assert.equal(inputs.clientType, "confidential");
    assert.equal(inputs.accessTokenExpiry, 86400);
    assert.equal(inputs.refreshTokenExpiry, 15552000);
    assert.equal(inputs.pkceRequired, true);
    assert.equal(inputs.jwtRequired, true);
    assert.equal(inputs.isActive, true);
    assert.equal(inputs.internalApplication, false);
    assert.equal(inputs.__provider, base.__provider);
  });

  it("reports every check failure at once, with its property path", async () => {
    const { failures } = await harness.server.check(
      {},
      {
        ...base,
        clientType: "public",
        pkceRequired: false,
        accessTokenExpiry: 60,
        refreshTokenExpiry: 99999999,
        redirectUris: [
          "https://ok.example/cb",
          "http://evil.example/cb",
          "https://a.example/cb#frag",
          "https://*.example/cb",
          "https://ok.example/cb",
        ],
        connection: { baseUrl: "https://tenant.example/path" },
      },
    );
    const byProperty = Object.fromEntries(failures.map((f) => [f.property, f.reason]));
    for (const property of [
      "pkceRequired",
      "accessTokenExpiry",
      "refreshTokenExpiry",
      "redirectUris[1]",
      "redirectUris[2]",
      "redirectUris[3]",
      "redirectUris[4]",
      "connection.baseUrl",
    ]) {
      assert.ok(byProperty[property], `no failure for ${property}: ${JSON.stringify(failures)}`);
    }
    assert.equal(byProperty["redirectUris[0]"], undefined);
  });

  it("creates, reads, diffs, updates, rotates and deletes, as the tenant sees it", async () => {
    const { server } = harness;
    // Create.
    const created = await checkAndCreate(server, base);
    let clients = await harness.clients();
    assert.equal(clients.length, 1);
    const client = clients[0];
    assert.equal(created.id, client.client_id);
    assert.equal(created.properties.clientId, client.client_id);
    assert.equal(created.properties.clientSecret, client.client_secret);
    assert.equal(client.name, created.inputs.name);
    assert.deepEqual(client.redirect_uris, base.redirectUris);
    assert.equal(client.access_token_expiry, 86400);
    assert.equal(client.refresh_token_expiry, 15552000);
    assert.equal(client.pkce_required, true);
    assert.equal(client.client_type, "confidential");
    // Every field of an application (the guide's application has them all).
    for (const key of Object.keys(guideApplication())) {
      assert.deepEqual(created.properties[key], created.inputs[key], `output ${key}`);
    }
    assert.deepEqual(created.properties.notEnforced, [], "the emulator echoes every field it stores");
    assert.equal(created.properties.__provider, base.__provider);
    let state = created.properties;

    // Read: nothing changed.
    const read = await server.read(created.id, state);
    assert.equal(read.id, created.id);
    assert.equal(read.properties.accessTokenExpiry, 86400);

    // Drift made in the tenant shows in a read.
    await harness.tenant.call("PATCH", `${CLIENTS_PATH}${created.id}/`, { json: { access_token_expiry: 3600 } });
    const drifted = await server.read(created.id, state);
    assert.equal(drifted.properties.accessTokenExpiry, 3600);
    assert.equal(drifted.inputs?.accessTokenExpiry, 3600);
    assert.equal(drifted.inputs?.connection, undefined, "no credential in refreshed inputs");
    state = drifted.properties;

    // Diff: the program's 86400 against the drifted 3600 is an in-place change.
    const news = (await server.check(state, base)).inputs;
    const diff = await server.diff(created.id, state, news);
    assert.deepEqual(diff, { changes: "some", replaces: [], deleteBeforeReplace: false });

    // Update: PATCH puts the program's value back; the secret is kept.
    const updated = await server.update(created.id, state, news);
    clients = await harness.clients();
    assert.equal(clients[0].access_token_expiry, 86400);
    assert.equal(clients[0].client_secret, created.properties.clientSecret);
    assert.equal(updated.properties.clientSecret, created.properties.clientSecret);
    state = updated.properties;
    assert.equal((await server.diff(created.id, state, news)).changes, "none");

    // secretVersion rotates the secret, in the tenant and in the outputs.
    const rotateNews = (await server.check(state, { ...base, secretVersion: "2" })).inputs;
    assert.equal((await server.diff(created.id, state, rotateNews)).changes, "some");
    const rotated = await server.update(created.id, state, rotateNews);
    clients = await harness.clients();
    assert.notEqual(clients[0].client_secret, created.properties.clientSecret);
    assert.equal(rotated.properties.clientSecret, clients[0].client_secret);
    assert.equal(rotated.properties.secretVersion, "2");
    state = rotated.properties;

    // Delete; a second delete (already gone) succeeds; a read then reports it gone.
    await server.delete(created.id, state);
    assert.equal((await harness.clients()).length, 0);
    await server.delete(created.id, state);
    assert.equal((await server.read(created.id, state)).id, "");
  });

  it("diffs offline: credentials and timeouts are no change; adoptClientId, tenant and path replace", async () => {
    const { server } = harness;
    const news = (await server.check({}, base)).inputs;
    const olds = {
      ...news,
      clientId: "x",
      clientSecret: "y",
      notEnforced: [],
      connection: { baseUrl: harness.tenant.url, apiAccessToken: ADMIN_TOKEN },
    };
    const withConnection = (connection: Props) => ({ ...news, connection });
    assert.equal(
      (
        await server.diff(
          "x",
          olds,
          withConnection({ baseUrl: harness.tenant.url, apiAccessToken: "rotated-token", timeoutSeconds: 5 }),
        )
      ).changes,
      "none",
    );
    assert.equal(
      (await server.diff("x", olds, { ...news, redirectUris: [...(news.redirectUris as string[])].reverse() })).changes,
      "none",
    );
    const adopt = await server.diff("x", olds, { ...news, adoptClientId: "other" });
    assert.deepEqual(adopt, { changes: "some", replaces: ["adoptClientId"], deleteBeforeReplace: true });
    const moved = await server.diff(
      "x",
      olds,
      withConnection({ baseUrl: "https://other-tenant.example", apiAccessToken: ADMIN_TOKEN }),
    );
    assert.deepEqual(moved.replaces, ["connection"]);
    assert.equal(moved.deleteBeforeReplace, false, "another tenant: the new one is made before the old one goes");
    const renamedAndMoved = await server.diff("x", olds, {
      ...withConnection({ baseUrl: "https://other-tenant.example" }),
      name: "new-name",
    });
    assert.equal(renamedAndMoved.deleteBeforeReplace, false, "a new name can exist next to the old one");
    const toShell = await server.diff("x", olds, { ...news, connection: undefined, shell: { local: {} } });
    assert.deepEqual(toShell.replaces, ["shell"]);
    const newCode = { ...news, __provider: `${news.__provider}\n// a newer version of the package` };
    assert.equal(
      (await server.diff("x", olds, newCode)).changes,
      "none",
      "the provider's own code is no reason to change",
    );
    const renamed = await server.diff("x", olds, { ...news, name: "renamed" });
    assert.deepEqual(renamed, { changes: "some", replaces: [], deleteBeforeReplace: false });
    assert.equal((await harness.clients()).length, 0, "diff created nothing");
  });
});
