// Taking over an existing application, a create whose answer was lost, a failure after the application exists
// (recorded as created, never orphaned), a name already taken, and fields the tenant does not confirm.
import { strict as assert } from "node:assert";
import { ADMIN_TOKEN, CLIENTS_PATH } from "../support/test-tenant";
import { NAME_CONFLICT_ANSWERS } from "../support/alation-answers";
import { ProviderCallError, type ProviderServer } from "../support/provider-server";
import { json, startScriptedServer } from "../support/scripted-http";
import {
  CLAUDE_REDIRECT_URIS,
  checkAndCreate,
  registeredInputs,
  startHarness,
  type Harness,
  type Props,
  startSharedServer,
} from "../support/provider-harness";

const LOSE_CREATE_ANSWERS = {
  rate: 1,
  kinds: ["drop-after-write" as const],
  routes: "^POST /integration/core/v1/oauth/clients/$",
};

describe("OAuthApplication recovery", function () {
  this.timeout(60000);
  let harness: Harness;
  let inputsFor: (extra?: Props) => Promise<Props>;

  // One provider process for the file, a tenant of its own for each test (startHarness).
  let server: ProviderServer;
  before(async () => (server = await startSharedServer()));
  after(async () => server?.kill());

  beforeEach(async () => {
    harness = await startHarness({ server });
    const connection = { baseUrl: harness.tenant.url, apiAccessToken: ADMIN_TOKEN };
    inputsFor = async (extra = {}) => ({
      ...(await registeredInputs({ connection, redirectUris: CLAUDE_REDIRECT_URIS })),
      ...extra,
    });
  });
  afterEach(async () => harness?.stop());

  it("adopts an existing application: rotates its secret, then sets its fields", async () => {
    const existing = await harness.tenant.createClient({
      name: "made-by-hand",
      access_token_expiry: 3600,
      pkce_required: false,
    });
    const created = await checkAndCreate(harness.server, await inputsFor({ adoptClientId: existing.client_id }));
    assert.equal(created.id, existing.client_id);
    const [client] = await harness.clients();
    assert.notEqual(client.client_secret, existing.client_secret);
    assert.equal(created.properties.clientSecret, client.client_secret);
    assert.equal(client.name, created.inputs.name);
    assert.equal(client.access_token_expiry, 86400);
    assert.equal(client.pkce_required, true);
  });

  it("records a taken-over application whose fields could not be set, and sets them on the next update", async () => {
    const existing = await harness.tenant.createClient({ name: "made-by-hand" });
    const inputs = (await harness.server.check({}, await inputsFor({ adoptClientId: existing.client_id }))).inputs;
    await harness.tenant.createClient({ name: String(inputs.name) });
    const error = await harness.server.create(inputs).catch((e: Error) => e);
    assert.ok(error instanceof ProviderCallError, String(error));
    assert.match(error.message, /already exists/);
    assert.equal(error.initFailure?.id, existing.client_id, "the engine records the resource as created");
    const recorded = error.initFailure?.properties ?? {};
    const stored = () => harness.clients().then((clients) => clients.find((c) => c.client_id === existing.client_id));
    assert.equal(recorded.clientSecret, (await stored())?.client_secret, "the rotated secret is kept");
    // The user renames; the engine updates the resource that failed to initialize.
    const updated = await harness.server.update(existing.client_id, recorded, { ...inputs, name: "claude-2" });
    assert.equal((await stored())?.name, "claude-2");
    assert.equal((await stored())?.access_token_expiry, 86400);
    assert.equal(updated.properties.clientSecret, recorded.clientSecret);
  });

  it("records an update whose changes were applied but whose rotation failed, so the next update rotates", async () => {
    const created = await checkAndCreate(harness.server, await inputsFor());
    await harness.tenant.call("PUT", "/__emulator/faults", {
      json: { rate: 1, kinds: ["500"], routes: "rotate-secret/$" },
    });
    const news = { ...created.inputs, name: "renamed", secretVersion: "2" };
    const error = await harness.server.update(created.id, created.properties, news).catch((e: Error) => e);
    assert.ok(error instanceof ProviderCallError, String(error));
    assert.match(error.message, /the secret was not rotated/);
    const recorded = error.initFailure?.properties ?? {};
    assert.equal(recorded.name, "renamed");
    assert.equal(recorded.secretVersion, undefined, "the previous secretVersion");
    assert.equal((await harness.clients())[0].name, "renamed");
    await harness.tenant.call("PUT", "/__emulator/faults", { json: {} });
    const retried = await harness.server.update(created.id, recorded, news);
    assert.equal(retried.properties.clientSecret, (await harness.clients())[0].client_secret);
    assert.notEqual(retried.properties.clientSecret, created.properties.clientSecret);
  });

  it("recovers a create whose answer was lost by finding the application by name", async () => {
    await harness.tenant.call("PUT", "/__emulator/faults", { json: LOSE_CREATE_ANSWERS });
    const created = await checkAndCreate(harness.server, await inputsFor());
    const clients = await harness.clients();
    assert.equal(clients.length, 1, "exactly one application, no orphan");
    assert.equal(created.id, clients[0].client_id);
    assert.equal(created.properties.clientSecret, clients[0].client_secret, "a fresh secret replaced the lost one");
    const requests = (await harness.tenant.call("GET", "/__emulator/requests")).json;
    assert.equal(requests.byRoute[`POST ${CLIENTS_PATH}`], 1, "the create was not repeated");
  });

  it("says exactly how to adopt a lost create on a tenant that cannot list applications", async () => {
    await harness.stop();
    harness = await startHarness({ tenant: { documentedOnly: true, faults: LOSE_CREATE_ANSWERS }, server });
    const inputs = await registeredInputs({
      connection: { baseUrl: harness.tenant.url, apiAccessToken: ADMIN_TOKEN },
      redirectUris: CLAUDE_REDIRECT_URIS,
    });
    const error = await checkAndCreate(harness.server, inputs).catch((e: Error) => e);
    assert.ok(error instanceof Error);
    assert.match(error.message, /the answer to create .* was lost/i);
    assert.match(error.message, /may have been created/);
    assert.match(error.message, /adoptClientId/);
    assert.match(error.message, /"claude-[0-9a-f]{8}"/);
    assert.equal((await harness.clients()).length, 1, "the tenant did create it: the message is right to ask");
  });

  it("points to adoptClientId when a given name is taken, and leaves that application alone", async () => {
    const existing = await harness.tenant.createClient({ name: "claude" });
    const error = await checkAndCreate(harness.server, await inputsFor({ name: "claude" })).catch((e: Error) => e);
    assert.ok(error instanceof Error);
    assert.match(error.message, /already exists/);
    assert.ok(error.message.includes(`set adoptClientId: "${existing.client_id}"`), error.message);
    const clients = await harness.clients();
    assert.deepEqual(
      clients.map((client) => [client.client_id, client.client_secret]),
      [[existing.client_id, existing.client_secret]],
      "untouched: the same secret, nothing else made",
    );
  });

  it("reports the fields a tenant does not confirm, in notEnforced and one warning line", async () => {
    const tenant = await startScriptedServer((r) => {
      const body = r.body ? JSON.parse(r.body) : {};
      // A tenant that knows only the documented fields.
      const echo = {
        client_id: "c1",
        name: body.name ?? "claude",
        client_type: body.client_type,
        redirect_uris: body.redirect_uris,
        access_token_expiry: body.access_token_expiry,
        refresh_token_expiry: body.refresh_token_expiry,
        pkce_required: body.pkce_required,
      };
      return r.method === "POST" ? json(201, { ...echo, client_secret: "scripted-secret-value" }) : json(200, echo);
    });
    try {
      const inputs = await registeredInputs({
        connection: { baseUrl: tenant.url, apiAccessToken: "token-value-1" },
        redirectUris: CLAUDE_REDIRECT_URIS,
      });
      const created = await checkAndCreate(server, inputs);
      assert.deepEqual(created.properties.notEnforced, ["jwtRequired", "isActive", "internalApplication"]);
      assert.match(server.output(), /could not confirm jwtRequired, isActive, internalApplication/);
      assert.ok(!server.output().includes("scripted-secret-value"));
      const updated = await server.update("c1", created.properties, { ...created.inputs, accessTokenExpiry: 3600 });
      assert.deepEqual(
        updated.properties.notEnforced,
        ["jwtRequired", "isActive", "internalApplication"],
        "still not confirmed",
      );
      const patch = tenant.requests.find((request) => request.method === "PATCH");
      assert.deepEqual(JSON.parse(patch?.body ?? ""), { access_token_expiry: 3600 }, "PATCH sends only what changed");
    } finally {
      await tenant.close();
    }
  });

  it("converges on a name conflict in every error shape: the one of its own default name is taken", async () => {
    const inputs = await registeredInputs({
      connection: { baseUrl: "http://127.0.0.1:1", apiAccessToken: "token-value-1" },
      redirectUris: CLAUDE_REDIRECT_URIS,
    });
    const existing = {
      client_id: "existing-1",
      name: inputs.autoName,
      client_type: "confidential",
      redirect_uris: CLAUDE_REDIRECT_URIS,
      access_token_expiry: 86400,
      refresh_token_expiry: 15552000,
      pkce_required: true,
    };
    const printedBefore = server.output().length;
    for (const [shape, [status, body]] of Object.entries(NAME_CONFLICT_ANSWERS)) {
      // Made between the lookup before the create and the create (an earlier run's create, answered late).
      let listed = false;
      const tenant = await startScriptedServer((r) => {
        const route = `${r.method} ${r.path.split("?")[0]}`;
        if (route === `POST ${CLIENTS_PATH}`) return json(status, body);
        if (route === `GET ${CLIENTS_PATH}`) return json(200, listed ? [existing] : ((listed = true), []));
        if (route.endsWith("/rotate-secret/")) return json(200, { client_secret: "rotated-secret-value" });
        return json(200, { ...existing, ...(r.body ? JSON.parse(r.body) : {}) });
      });
      try {
        const connection = { baseUrl: tenant.url, apiAccessToken: "token-value-1" };
        const created = await checkAndCreate(server, { ...inputs, connection });
        assert.equal(created.id, "existing-1", shape);
        assert.equal(created.properties.clientSecret, "rotated-secret-value", shape);
        const calls = tenant.requests.map((r) => `${r.method} ${r.path.split("?")[0]}`).slice(0, 4);
        const rotate = `POST ${CLIENTS_PATH}existing-1/rotate-secret/`;
        const [list, create] = [`GET ${CLIENTS_PATH}`, `POST ${CLIENTS_PATH}`];
        assert.deepEqual(calls, [list, create, list, rotate], shape);
      } finally {
        await tenant.close();
      }
    }
    const adoptions = server
      .output()
      .slice(printedBefore)
      .match(/found its own application/g)?.length;
    assert.equal(adoptions, Object.keys(NAME_CONFLICT_ANSWERS).length);
  });

  it("reads an older API generation's answers: *_lifetime and pkce_enabled (alation-api.md section 2)", async () => {
    let stored: Record<string, unknown> = {};
    const older = (body: Record<string, unknown>) => ({
      client_id: "c1",
      name: body.name,
      client_type: body.client_type,
      redirect_uris: body.redirect_uris,
      access_token_lifetime: body.access_token_expiry,
      refresh_token_lifetime: body.refresh_token_expiry,
      pkce_enabled: body.pkce_required,
    });
    const tenant = await startScriptedServer((r) => {
      if (r.path === "/oauth/v1/token/") return json(400, { error: "invalid_grant" });
      const body = r.body ? JSON.parse(r.body) : {};
      if (r.method === "POST") stored = older(body);
      if (r.method === "PATCH") stored = { ...stored, ...older({ ...stored, ...body }) };
      return r.method === "POST" ? json(201, { ...stored, client_secret: "older-secret-value" }) : json(200, stored);
    });
    try {
      const inputs = await registeredInputs({
        connection: { baseUrl: tenant.url, apiAccessToken: "token-value-1" },
        redirectUris: CLAUDE_REDIRECT_URIS,
      });
      const created = await checkAndCreate(server, inputs);
      const { accessTokenExpiry, refreshTokenExpiry, pkceRequired, notEnforced } = created.properties;
      assert.deepEqual([accessTokenExpiry, refreshTokenExpiry, pkceRequired], [86400, 15552000, true]);
      assert.deepEqual(notEnforced, ["jwtRequired", "isActive", "internalApplication"], "old names confirm the rest");
      stored = { ...stored, access_token_lifetime: 3600, pkce_enabled: false };
      const read = await server.read("c1", created.properties);
      const drifted = [read.properties.accessTokenExpiry, read.properties.pkceRequired];
      assert.deepEqual(drifted, [3600, false], "drift read from the old names");
    } finally {
      await tenant.close();
    }
  });

  describe("a create's name lookup: one listing of the tenant per process for default names (free-names.ts)", () => {
    const LIST = `GET ${CLIENTS_PATH}`;
    const counts = async (): Promise<Record<string, number>> =>
      (await harness.tenant.call("GET", "/__emulator/requests")).json.byRoute;
    // Own default names: the name is left out and check makes it the resource's autoName.
    const ownNamed = async (autoName: string) => inputsFor({ autoName });

    it("lists the tenant once for creates under default names, and looks each given name up", async () => {
      const inputs = [await ownNamed("own-1"), await ownNamed("own-2"), await ownNamed("own-3")];
      const made = await Promise.all(inputs.map((each) => checkAndCreate(server, each)));
      made.push(await checkAndCreate(server, await ownNamed("own-4")));
      assert.deepEqual(
        made.map((created) => created.inputs.name),
        ["own-1", "own-2", "own-3", "own-4"],
      );
      assert.equal((await counts())[LIST], 1, "one listing for four default names");
      for (const name of ["given-1", "given-2"]) await checkAndCreate(server, await inputsFor({ name }));
      assert.equal((await counts())[LIST], 3, "a lookup for each given name");
      assert.equal((await harness.clients()).length, 6);
    });

    it("still takes over what an interrupted run left under a default name listed earlier", async () => {
      const left = await harness.tenant.createClient({ name: "own-left" });
      await checkAndCreate(server, await ownNamed("own-first"));
      const printedBefore = server.output().length;
      const created = await checkAndCreate(server, await ownNamed("own-left"));
      assert.equal(created.id, left.client_id, "the listing held the name: looked up afresh, found, taken over");
      assert.match(server.output().slice(printedBefore), /"own-left": found its own application/);
      assert.equal((await harness.clients()).length, 2, "no second application under the name");
    });

    it("looks a listed name up afresh: an application deleted since is not taken over, a new one is made", async () => {
      const left = await harness.tenant.createClient({ name: "own-deleted" });
      await checkAndCreate(server, await ownNamed("own-first"));
      await harness.tenant.call("DELETE", `${CLIENTS_PATH}${left.client_id}/`);
      const created = await checkAndCreate(server, await ownNamed("own-deleted"));
      assert.notEqual(created.id, left.client_id);
      assert.equal((await counts())[`POST ${CLIENTS_PATH}${left.client_id}/rotate-secret/`], undefined);
      assert.equal((await counts())[LIST], 2, "the listing, then the lookup of the name it held");
    });

    it("a name made on the tenant after the listing is refused when given, as before", async () => {
      await checkAndCreate(server, await ownNamed("own-first"));
      const other = await harness.tenant.createClient({ name: "given-later" });
      const error = await checkAndCreate(server, await inputsFor({ name: "given-later" })).catch((e: Error) => e);
      assert.ok(error instanceof Error && error.message.includes(`set adoptClientId: "${other.client_id}"`));
    });
  });
});
