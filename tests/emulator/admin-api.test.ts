// The OAuth client admin API of the emulator, over real HTTP.
import { strict as assert } from "node:assert";
import { CLIENTS_PATH, startTestTenant, type TestTenant } from "../support/test-tenant";
import { guideClient } from "../support/connector-guide";

describe("emulator: OAuth client admin API", function () {
  let tenant: TestTenant;
  before(async () => (tenant = await startTestTenant()));
  after(() => tenant.stop());

  it("creates a client: 201, echoes the fields, gives id and secret once", async () => {
    const answer = await tenant.call("POST", CLIENTS_PATH, { json: guideClient({ name: "create-1" }) });
    assert.equal(answer.status, 201);
    assert.equal(answer.json.name, "create-1");
    assert.equal(answer.json.client_type, "confidential");
    assert.deepEqual(answer.json.redirect_uris, guideClient().redirect_uris);
    assert.equal(answer.json.pkce_required, true);
    assert.equal(answer.json.is_active, true, "active by default");
    assert.equal(answer.json.jwt_required, false);
    assert.equal(answer.json.internal_application, false);
    assert.match(answer.json.client_id, /^[A-Za-z0-9_-]{20,}$/);
    assert.match(answer.json.client_secret, /^[A-Za-z0-9_-]{20,}$/);
    const read = await tenant.call("GET", `${CLIENTS_PATH}${answer.json.client_id}/`);
    assert.equal(read.status, 200);
    assert.equal(read.json.client_secret, undefined, "the secret is never shown again");
    assert.equal(read.json.name, "create-1");
  });

  it("accepts the paths with and without the trailing slash", async () => {
    const created = await tenant.call("POST", CLIENTS_PATH.slice(0, -1), { json: guideClient({ name: "no-slash" }) });
    assert.equal(created.status, 201);
    const id = created.json.client_id;
    assert.equal(
      (await tenant.call("PATCH", `${CLIENTS_PATH}${id}`, { json: { access_token_expiry: 3600 } })).status,
      200,
    );
    assert.equal((await tenant.call("POST", `${CLIENTS_PATH}${id}/rotate-secret`)).status, 200);
    assert.equal((await tenant.call("GET", `${CLIENTS_PATH}${id}`)).status, 200);
    assert.equal((await tenant.call("DELETE", `${CLIENTS_PATH}${id}`)).status, 204);
  });

  it("stores jwt_required, is_active and internal_application when given", async () => {
    const created = await tenant.createClient({
      name: "extra-fields",
      jwt_required: true,
      is_active: false,
      internal_application: true,
    });
    const stored = (await tenant.state()).clients.find((c) => c.client_id === created.client_id);
    assert.deepEqual([stored?.jwt_required, stored?.is_active, stored?.internal_application], [true, false, true]);
  });

  it("refuses a bad create with a 400 in Alation's shape naming every bad field, and stores nothing", async () => {
    const before = (await tenant.state()).clients.length;
    const answer = await tenant.call("POST", CLIENTS_PATH, {
      json: {
        name: "",
        client_type: "secretive",
        redirect_uris: ["http://example.com/cb", "https://ok.example.com/cb", "not a uri"],
        access_token_expiry: 60,
        refresh_token_expiry: 99999999,
        pkce_required: "maybe",
      },
    });
    assert.equal(answer.status, 400);
    // Alation's {"code", "title", "detail", "errors"} (alation-api.md section 2), DRF's field errors in `errors`.
    assert.deepEqual(Object.keys(answer.json).sort(), ["code", "detail", "errors", "title"]);
    const { code, title, detail } = answer.json;
    assert.deepEqual([code, title, typeof detail], ["400000", "Bad Request", "string"]);
    const errors = answer.json.errors;
    assert.deepEqual(Object.keys(errors).sort(), [
      "access_token_expiry",
      "client_type",
      "name",
      "pkce_required",
      "redirect_uris",
      "refresh_token_expiry",
    ]);
    for (const messages of Object.values(errors)) assert.ok(Array.isArray(messages) && messages.length > 0);
    assert.equal(errors.redirect_uris.length, 2, "one message per bad URI");
    assert.match(errors.access_token_expiry[0], /greater than or equal to 3600/);
    assert.match(errors.refresh_token_expiry[0], /less than or equal to 15552000/);
    assert.equal((await tenant.state()).clients.length, before);
  });

  it("names the required fields that are missing", async () => {
    const answer = await tenant.call("POST", CLIENTS_PATH, { json: {} });
    assert.equal(answer.status, 400);
    const required = ["access_token_expiry", "client_type", "name", "refresh_token_expiry"];
    assert.deepEqual(Object.keys(answer.json.errors).sort(), required);
    for (const field of required) {
      assert.deepEqual(answer.json.errors[field], ["This field is required."], field);
    }
  });

  it("creates a client without redirect URIs, which get them later (alation-api.md section 2)", async () => {
    const { redirect_uris: _none, ...withoutUris } = guideClient({ name: "no-uris-yet" });
    const absent = await tenant.call("POST", CLIENTS_PATH, { json: withoutUris });
    assert.equal(absent.status, 201);
    assert.deepEqual(absent.json.redirect_uris, []);
    const empty = await tenant.createClient({ name: "empty-uris", redirect_uris: [] });
    assert.deepEqual(empty.redirect_uris, []);
    const json = { redirect_uris: ["https://claude.ai/api/mcp/auth_callback"] };
    const later = await tenant.call("PATCH", `${CLIENTS_PATH}${empty.client_id}/`, { json });
    assert.deepEqual(later.json.redirect_uris, ["https://claude.ai/api/mcp/auth_callback"]);
  });

  it("checks the expiry ranges at their bounds and the types", async () => {
    const ok = await tenant.createClient({
      name: "bounds-low",
      access_token_expiry: 3600,
      refresh_token_expiry: 259200,
    });
    assert.equal(ok.access_token_expiry, 3600);
    const high = await tenant.createClient({
      name: "bounds-high",
      access_token_expiry: 259200,
      refresh_token_expiry: 15552000,
    });
    assert.equal(high.refresh_token_expiry, 15552000);
    const cases: Array<[string, unknown]> = [
      ["access_token_expiry", 3599],
      ["access_token_expiry", 259201],
      ["refresh_token_expiry", 259199],
      ["refresh_token_expiry", 15552001],
      ["access_token_expiry", 3600.5],
      ["access_token_expiry", true],
      ["redirect_uris", "https://claude.ai/api/mcp/auth_callback"],
      ["is_active", "yes please"],
    ];
    for (const [field, value] of cases) {
      const answer = await tenant.call("POST", CLIENTS_PATH, {
        json: guideClient({ name: `bad-${field}-${String(value)}`, [field]: value }),
      });
      assert.equal(answer.status, 400, `${field}=${JSON.stringify(value)}`);
      assert.deepEqual(Object.keys(answer.json.errors), [field]);
    }
  });

  it("allows http redirect URIs only for localhost, 127.0.0.1 and [::1]", async () => {
    const loopback = ["http://localhost:8080/cb", "http://127.0.0.1/cb", "http://[::1]:3000/cb"];
    const created = await tenant.createClient({ name: "loopback", redirect_uris: loopback });
    assert.deepEqual(created.redirect_uris, loopback);
    for (const uri of [
      "http://example.com/cb",
      "http://10.0.0.1/cb",
      "https://claude.ai/cb#fragment",
      "javascript:alert(1)",
    ]) {
      const answer = await tenant.call("POST", CLIENTS_PATH, {
        json: guideClient({ name: `uri-${uri}`, redirect_uris: [uri] }),
      });
      assert.equal(answer.status, 400, uri);
      assert.ok(answer.json.errors.redirect_uris, uri);
    }
  });

  it("requires PKCE for public clients", async () => {
    const refused = await tenant.call("POST", CLIENTS_PATH, {
      json: guideClient({ name: "public-1", client_type: "public", pkce_required: false }),
    });
    assert.equal(refused.status, 400);
    assert.ok(refused.json.errors.pkce_required);
    const missing = await tenant.call("POST", CLIENTS_PATH, {
      json: { ...guideClient({ name: "public-2", client_type: "public" }), pkce_required: undefined },
    });
    assert.equal(missing.status, 400, "PKCE defaults to off, so a public client must ask for it");
    const created = await tenant.createClient({ name: "public-3", client_type: "public", pkce_required: true });
    const patched = await tenant.call("PATCH", `${CLIENTS_PATH}${created.client_id}/`, {
      json: { pkce_required: false },
    });
    assert.equal(patched.status, 400);
    assert.ok(patched.json.errors.pkce_required);
  });

  it("keeps names unique, on create and on rename", async () => {
    await tenant.createClient({ name: "unique-a" });
    const b = await tenant.createClient({ name: "unique-b" });
    const duplicate = await tenant.call("POST", CLIENTS_PATH, {
      json: guideClient({ name: "unique-a", access_token_expiry: 1 }),
    });
    assert.equal(duplicate.status, 400);
    assert.deepEqual(duplicate.json.errors.name, ["application with this name already exists."]);
    assert.ok(duplicate.json.errors.access_token_expiry);
    const rename = await tenant.call("PATCH", `${CLIENTS_PATH}${b.client_id}/`, { json: { name: "unique-a" } });
    assert.equal(rename.status, 400);
    assert.ok(rename.json.errors.name);
    const same = await tenant.call("PATCH", `${CLIENTS_PATH}${b.client_id}/`, { json: { name: "unique-b" } });
    assert.equal(same.status, 200, "keeping one's own name is fine");
  });

  it("lets exactly one of many concurrent creates with one name win", async () => {
    const answers = await Promise.all(
      Array.from({ length: 8 }, () => tenant.call("POST", CLIENTS_PATH, { json: guideClient({ name: "race" }) })),
    );
    assert.deepEqual(answers.map((a) => a.status).sort(), [201, 400, 400, 400, 400, 400, 400, 400]);
    assert.equal((await tenant.state()).clients.filter((c) => c.name === "race").length, 1);
  });

  it("PATCHes only the given fields, without the secret in the answer", async () => {
    const created = await tenant.createClient({ name: "patch-me" });
    const answer = await tenant.call("PATCH", `${CLIENTS_PATH}${created.client_id}/`, {
      json: { redirect_uris: ["https://claude.ai/api/mcp/auth_callback"], is_active: false },
    });
    assert.equal(answer.status, 200);
    assert.equal(answer.json.client_secret, undefined);
    assert.deepEqual(answer.json.redirect_uris, ["https://claude.ai/api/mcp/auth_callback"]);
    assert.equal(answer.json.is_active, false);
    assert.equal(answer.json.access_token_expiry, 86400, "untouched");
    const bad = await tenant.call("PATCH", `${CLIENTS_PATH}${created.client_id}/`, {
      json: { access_token_expiry: 5 },
    });
    assert.equal(bad.status, 400);
    const stored = (await tenant.state()).clients.find((c) => c.client_id === created.client_id);
    assert.equal(stored?.access_token_expiry, 86400, "a refused PATCH changes nothing");
    assert.equal(stored?.client_secret, created.client_secret);
  });

  it("ignores unknown and read-only fields, as DRF does", async () => {
    const created = await tenant.createClient({
      name: "ignored",
      client_id: "mine",
      client_secret: "mine",
      refresh_token_lifetime: 5,
      pkce_enabled: true,
    });
    assert.notEqual(created.client_id, "mine");
    assert.notEqual(created.client_secret, "mine");
    assert.equal(created.refresh_token_lifetime, undefined);
  });

  it("rotates the secret: 200 with a new secret, the old one invalid at once", async () => {
    const created = await tenant.createClient({ name: "rotate-me" });
    const answer = await tenant.call("POST", `${CLIENTS_PATH}${created.client_id}/rotate-secret/`);
    assert.equal(answer.status, 200);
    assert.notEqual(answer.json.client_secret, created.client_secret);
    const stored = (await tenant.state()).clients.find((c) => c.client_id === created.client_id);
    assert.equal(stored?.client_secret, answer.json.client_secret);
    const oldSecret = await tenant.call("POST", "/oauth/v2/token/", {
      token: null,
      form: { grant_type: "client_credentials", client_id: created.client_id, client_secret: created.client_secret },
    });
    assert.equal(oldSecret.status, 401);
  });

  it("deletes: 204, then 404 for every call on that client", async () => {
    const created = await tenant.createClient({ name: "delete-me" });
    assert.equal((await tenant.call("DELETE", `${CLIENTS_PATH}${created.client_id}/`)).status, 204);
    for (const [method, suffix] of [
      ["GET", ""],
      ["PATCH", ""],
      ["DELETE", ""],
      ["POST", "rotate-secret/"],
    ]) {
      const answer = await tenant.call(
        method,
        `${CLIENTS_PATH}${created.client_id}/${suffix}`,
        method === "PATCH" ? { json: {} } : {},
      );
      assert.equal(answer.status, 404, `${method} ${suffix}`);
      assert.equal(answer.json.detail, "Not found.");
    }
  });

  it("lists clients with limit/skip and X-Next-Page", async () => {
    const all = await tenant.call("GET", CLIENTS_PATH);
    assert.equal(all.status, 200);
    assert.ok(Array.isArray(all.json) && all.json.length >= 3);
    assert.ok(all.json.every((c: Record<string, unknown>) => c.client_secret === undefined));
    const page = await tenant.call("GET", `${CLIENTS_PATH}?limit=2&skip=1`);
    assert.deepEqual(
      page.json.map((c: { client_id: string }) => c.client_id),
      all.json.slice(1, 3).map((c: { client_id: string }) => c.client_id),
    );
    assert.match(page.headers.get("x-next-page") ?? "", /skip=3/);
  });

  it("answers 401 without a token and 403 with a wrong one, in Alation's shape", async () => {
    const none = await tenant.call("POST", CLIENTS_PATH, { token: null, json: guideClient({ name: "anon" }) });
    assert.equal(none.status, 401);
    const detail = "Authentication credentials were not provided.";
    assert.deepEqual(none.json, { code: "401000", title: "Unauthorized", detail });
    const wrong = await tenant.call("POST", CLIENTS_PATH, { token: "wrong", json: guideClient({ name: "anon" }) });
    assert.equal(wrong.status, 403);
    assert.deepEqual([wrong.json.code, wrong.json.title, typeof wrong.json.detail], ["403000", "Forbidden", "string"]);
    const bearer = await tenant.call("GET", CLIENTS_PATH, {
      token: null,
      headers: { Authorization: "Bearer not-a-jwt" },
    });
    assert.equal(bearer.status, 403);
    assert.equal((await tenant.state()).clients.filter((c) => c.name === "anon").length, 0);
  });

  it("answers 405 to methods a route does not have", async () => {
    const answer = await tenant.call("PUT", CLIENTS_PATH, { json: {} });
    assert.equal(answer.status, 405);
    assert.match(answer.headers.get("allow") ?? "", /POST/);
  });
});

describe("emulator: OAuth client admin API, --documented-only", function () {
  let tenant: TestTenant;
  before(async () => (tenant = await startTestTenant({ documentedOnly: true })));
  after(() => tenant.stop());

  it("answers 405 to the undocumented GETs, and serves the documented calls", async () => {
    const created = await tenant.createClient({ name: "documented" });
    assert.equal((await tenant.call("GET", CLIENTS_PATH)).status, 405);
    assert.equal((await tenant.call("GET", `${CLIENTS_PATH}${created.client_id}/`)).status, 405);
    assert.equal(
      (await tenant.call("PATCH", `${CLIENTS_PATH}${created.client_id}/`, { json: { is_active: false } })).status,
      200,
    );
    assert.equal((await tenant.call("DELETE", `${CLIENTS_PATH}${created.client_id}/`)).status, 204);
  });
});

describe("emulator: OAuth client admin API, --strict-fields", function () {
  let tenant: TestTenant;
  before(async () => (tenant = await startTestTenant({ strictFields: true })));
  after(() => tenant.stop());

  const DOCUMENTED = Object.keys(guideClient());

  it("refuses every undocumented field by name with a 400, and stores nothing", async () => {
    const undocumented = { jwt_required: true, is_active: true, internal_application: false, pkce_enabled: true };
    const body = guideClient({ name: "strict", ...undocumented });
    const refused = await tenant.call("POST", CLIENTS_PATH, { json: body });
    assert.equal(refused.status, 400);
    assert.deepEqual(Object.keys(refused.json.errors).sort(), Object.keys(undocumented).sort());
    assert.equal((await tenant.state()).clients.length, 0);
  });

  it("serves the documented fields, and shows only them", async () => {
    const created = await tenant.createClient({ name: "strict-ok" });
    assert.deepEqual(Object.keys(created).sort(), [...DOCUMENTED, "client_id", "client_secret"].sort());
    const read = await tenant.call("GET", `${CLIENTS_PATH}${created.client_id}/`);
    assert.deepEqual(Object.keys(read.json).sort(), [...DOCUMENTED, "client_id"].sort());
    const patched = await tenant.call("PATCH", `${CLIENTS_PATH}${created.client_id}/`, { json: { is_active: false } });
    assert.deepEqual([patched.status, Object.keys(patched.json.errors)], [400, ["is_active"]]);
    const item = `${CLIENTS_PATH}${created.client_id}/`;
    const ok = await tenant.call("PATCH", item, { json: { access_token_expiry: 7200 } });
    assert.equal(ok.status, 200);
    const stored = (await tenant.state()).clients.find((c) => c.client_id === created.client_id);
    const kept = [stored?.access_token_expiry, stored?.is_active, stored?.jwt_required];
    assert.deepEqual(kept, [7200, true, false], "the model's defaults");
  });
});

describe("emulator: OAuth client admin API, --web-redirect-uris-only", function () {
  let tenant: TestTenant;
  before(async () => (tenant = await startTestTenant({ webRedirectUrisOnly: true })));
  after(() => tenant.stop());

  it("refuses a private-use scheme (cursor://) on create and update naming redirect_uris; http(s) pass", async () => {
    const cursor = "cursor://anysphere.cursor-mcp/oauth/callback";
    const refused = await tenant.call("POST", CLIENTS_PATH, {
      json: guideClient({ name: "cursor", redirect_uris: ["https://a.example/cb", cursor] }),
    });
    assert.equal(refused.status, 400);
    assert.deepEqual(refused.json.errors, { redirect_uris: [`Redirect URI scheme is not allowed: "${cursor}".`] });
    assert.equal((await tenant.state()).clients.length, 0);
    const web = ["https://a.example/cb", "http://localhost:8787/callback"];
    const created = await tenant.createClient({ name: "web", redirect_uris: web });
    assert.deepEqual(created.redirect_uris, web);
    const item = `${CLIENTS_PATH}${created.client_id}/`;
    const patched = await tenant.call("PATCH", item, { json: { redirect_uris: [cursor] } });
    assert.deepEqual([patched.status, Object.keys(patched.json.errors)], [400, ["redirect_uris"]]);
  });

  it("without the mode, the same scheme is accepted", async () => {
    const open = await startTestTenant();
    try {
      const created = await open.createClient({ name: "cursor", redirect_uris: ["cursor://anysphere.cursor-mcp/cb"] });
      assert.deepEqual(created.redirect_uris, ["cursor://anysphere.cursor-mcp/cb"]);
    } finally {
      await open.stop();
    }
  });
});
