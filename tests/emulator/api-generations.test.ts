// The emulator's two generations of the OAuth client admin API (--api-generation, alation-api.md section 2): each
// under its own paths and field names, the other's paths answered with Django's 404 page; and the tenant's OpenAPI
// document at /openapi/oauth2/ (--no-openapi: none), served without a credential.
import { strict as assert } from "node:assert";
import { CLIENTS_PREFIX, type EmulatorOptions } from "../../emulator";
import { guideClient } from "../support/connector-guide";
import { startTestTenant, type TestTenant } from "../support/test-tenant";

const A = CLIENTS_PREFIX.a;
const B = CLIENTS_PREFIX.b;
const B_NAMES = { access_token_lifetime: 86400, refresh_token_lifetime: 15552000, pkce_enabled: true };
/** The guide's client in generation B's names. */
function bClient(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const { access_token_expiry: _a, refresh_token_expiry: _r, pkce_required: _p, ...shared } = guideClient();
  return { ...shared, ...B_NAMES, ...overrides };
}

async function tenantWith(options: Partial<EmulatorOptions>): Promise<TestTenant> {
  return startTestTenant(options);
}

/** Whether an answer is Django's 404 page for a path it does not route. */
function isDjangoNotFound(answer: { status: number; headers: { get(name: string): string | null }; text: string }) {
  return (
    answer.status === 404 &&
    /text\/html/.test(answer.headers.get("content-type") ?? "") &&
    /Not Found/.test(answer.text)
  );
}

describe("emulator: the generations of the client admin API", function () {
  this.timeout(20000);

  it("B: its paths and names; A's paths are Django's 404 page; the state keeps the model's names", async () => {
    const tenant = await tenantWith({ apiGeneration: "b" });
    const created = await tenant.call("POST", B, { json: bClient({ name: "b-1" }) });
    assert.equal(created.status, 201, created.text);
    assert.deepEqual(
      [created.json.access_token_lifetime, created.json.refresh_token_lifetime, created.json.pkce_enabled],
      [86400, 15552000, true],
    );
    assert.equal(created.json.access_token_expiry, undefined);
    const id = created.json.client_id;
    const patched = await tenant.call("PATCH", `${B}${id}/`, { json: { access_token_lifetime: 7200 } });
    assert.equal(patched.json.access_token_lifetime, 7200);
    assert.equal((await tenant.call("POST", `${B}${id}/rotate-secret/`)).status, 200);
    const stored = (await tenant.state()).clients[0];
    assert.deepEqual([stored.access_token_expiry, stored.pkce_required], [7200, true]);
    for (const [method, path] of [
      ["POST", A],
      ["GET", `${A}${id}/`],
      ["PATCH", `${A}${id}/`],
      ["POST", `${A}${id}/rotate-secret/`],
    ]) {
      assert.ok(
        isDjangoNotFound(await tenant.call(method, path, method === "GET" ? {} : { json: {} })),
        `${method} ${path}`,
      );
    }
    assert.equal((await tenant.call("DELETE", `${B}${id}/`)).status, 204);
  });

  it("B ignores A's names as unknown fields (then missing); --strict-fields refuses them", async () => {
    const lenient = await tenantWith({ apiGeneration: "b" });
    const ignored = await lenient.call("POST", B, { json: guideClient({ name: "a-named" }) });
    assert.equal(ignored.status, 400);
    assert.deepEqual(Object.keys(ignored.json.errors).sort(), ["access_token_lifetime", "refresh_token_lifetime"]);
    const strict = await tenantWith({ apiGeneration: "b", strictFields: true });
    const refused = await strict.call("POST", B, { json: { ...bClient(), pkce_required: true } });
    assert.deepEqual(refused.json.errors, { pkce_required: ["Unknown field."] });
    const publicClient = await lenient.call("POST", B, {
      json: bClient({ name: "public", client_type: "public", pkce_enabled: false }),
    });
    assert.deepEqual(publicClient.json.errors, { pkce_enabled: ["PKCE is required for public clients."] });
  });

  it("A (the default) answers B's paths with Django's 404 page; both: one set of clients under both", async () => {
    const a = await tenantWith({});
    assert.ok(isDjangoNotFound(await a.call("POST", B, { json: bClient() })));
    const both = await tenantWith({ apiGeneration: "both" });
    const created = await both.call("POST", A, { json: guideClient({ name: "either" }) });
    const read = await both.call("GET", `${B}${created.json.client_id}/`);
    assert.deepEqual([read.json.name, read.json.access_token_lifetime], ["either", 86400]);
  });

  it("B with --documented-only serves no rotation (its docs name none); A still does", async () => {
    for (const [generation, prefix, rotates] of [
      ["b", B, false],
      ["a", A, true],
    ] as const) {
      const tenant = await tenantWith({ apiGeneration: generation, documentedOnly: true });
      const made = await tenant.createClient({ name: "rotate-me" });
      const rotated = await tenant.call("POST", `${prefix}${made.client_id}/rotate-secret/`);
      assert.equal(rotates ? rotated.status === 200 : isDjangoNotFound(rotated), true, generation);
    }
  });

  describe("the OpenAPI document", () => {
    for (const [generation, named] of [
      ["a", [A]],
      ["b", [B]],
      ["both", [A, B]],
    ] as const) {
      it(`--api-generation ${generation}: names its clients paths, without a credential`, async () => {
        const tenant = await tenantWith({ apiGeneration: generation });
        const answer = await tenant.call("GET", "/openapi/oauth2/", { token: null });
        assert.equal(answer.status, 200);
        assert.match(answer.json.openapi, /^3\./);
        const prefixes = [A, B].filter((prefix) => Object.keys(answer.json.paths).some((p) => p.startsWith(prefix)));
        assert.deepEqual(prefixes, named);
      });
    }

    it("--no-openapi: Django's 404 page", async () => {
      const tenant = await tenantWith({ openApi: false });
      assert.ok(isDjangoNotFound(await tenant.call("GET", "/openapi/oauth2/", { token: null })));
    });
  });
});
