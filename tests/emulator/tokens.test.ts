// Legacy API tokens, client-credentials JWTs (service accounts), introspection and the JWKS.
import { strict as assert } from "node:assert";
import * as jose from "jose";
import { CLIENTS_PATH, TEST_USER, startTestTenant, type TestTenant } from "../support/test-tenant";
import { guideClient } from "../support/connector-guide";

describe("emulator: tokens", function () {
  let tenant: TestTenant;
  before(async () => (tenant = await startTestTenant()));
  after(() => tenant.stop());

  describe("legacy createRefreshToken / createAPIAccessToken", function () {
    it("gives an API access token that works as header TOKEN for the admin API", async () => {
      const refresh = await tenant.call("POST", "/integration/v1/createRefreshToken/", {
        token: null,
        json: { ...TEST_USER, name: "ci" },
      });
      assert.equal(refresh.status, 201);
      assert.equal(refresh.json.user_id, 1);
      assert.ok(refresh.json.refresh_token);
      const access = await tenant.call("POST", "/integration/v1/createAPIAccessToken/", {
        token: null,
        json: { refresh_token: refresh.json.refresh_token, user_id: refresh.json.user_id },
      });
      assert.equal(access.status, 201);
      assert.ok(access.json.api_access_token);
      const created = await tenant.call("POST", CLIENTS_PATH, {
        token: access.json.api_access_token,
        json: guideClient({ name: "by-legacy-token" }),
      });
      assert.equal(created.status, 201);
    });

    it("accepts form-encoded bodies too", async () => {
      const refresh = await tenant.call("POST", "/integration/v1/createRefreshToken", {
        token: null,
        form: { ...TEST_USER, name: "form" },
      });
      assert.equal(refresh.status, 201);
    });

    it("fails with {status: failed} on wrong credentials or a wrong refresh token", async () => {
      const refresh = await tenant.call("POST", "/integration/v1/createRefreshToken/", {
        token: null,
        json: { username: TEST_USER.username, password: "wrong", name: "x" },
      });
      assert.equal(refresh.json.status, "failed");
      assert.ok(refresh.status >= 400);
      const missing = await tenant.call("POST", "/integration/v1/createRefreshToken/", {
        token: null,
        json: { username: TEST_USER.username },
      });
      assert.equal(missing.json.status, "failed");
      const access = await tenant.call("POST", "/integration/v1/createAPIAccessToken/", {
        token: null,
        json: { refresh_token: "nope", user_id: 1 },
      });
      assert.equal(access.json.status, "failed");
      assert.ok(access.status >= 400);
    });
  });

  describe("service accounts and client credentials (/oauth/v2/token/, alation-api.md section 3)", function () {
    async function serviceToken(
      clientId: string,
      secret: string,
      // eslint-disable-next-line @typescript-eslint/no-explicit-any -- the tests read whatever the answer holds
    ): Promise<{ status: number; json: Record<string, any> }> {
      return tenant.call("POST", "/oauth/v2/token/", {
        token: null,
        form: { grant_type: "client_credentials", client_id: clientId, client_secret: secret },
      });
    }

    it("issues a service account a JWT for its system user, of its duration, good as Bearer and TOKEN", async () => {
      const sa = await tenant.createServiceAccount({ token_duration: 600 });
      const answer = await serviceToken(sa.client_id, sa.client_secret);
      assert.equal(answer.status, 200);
      assert.equal(answer.json.token_type, "Bearer");
      assert.equal(answer.json.expires_in, 600);
      const jwks = jose.createLocalJWKSet((await tenant.call("GET", "/.well-known/jwks.json/", { token: null })).json);
      const { payload, protectedHeader } = await jose.jwtVerify(answer.json.access_token, jwks, { issuer: tenant.url });
      assert.equal(protectedHeader.alg, "RS256");
      assert.equal(payload.client_id, sa.client_id);
      assert.equal(payload.sub, String(sa.user_id), "the service account's own system user, not a person");
      assert.equal((payload.exp as number) - (payload.iat as number), 600);
      const listed = await tenant.call("GET", CLIENTS_PATH, {
        token: null,
        headers: { Authorization: `Bearer ${answer.json.access_token}` },
      });
      assert.equal(listed.status, 200);
      // Alation's SDKs send JWTs in the TOKEN header too (alation-api.md section 2).
      assert.equal((await tenant.call("GET", CLIENTS_PATH, { token: answer.json.access_token })).status, 200);
    });

    it("invalidates the previous token when a new one is issued", async () => {
      const sa = await tenant.createServiceAccount();
      const first = (await serviceToken(sa.client_id, sa.client_secret)).json.access_token;
      const second = (await serviceToken(sa.client_id, sa.client_secret)).json.access_token;
      const bearer = (token: string) =>
        tenant.call("GET", CLIENTS_PATH, { token: null, headers: { Authorization: `Bearer ${token}` } });
      assert.equal((await bearer(first)).status, 403);
      assert.equal((await bearer(second)).status, 200);
    });

    it("gives a service account whose role is not Server Admin 403 on the admin API", async () => {
      for (const role of ["CATALOG_ADMIN", "STEWARD", "VIEWER"]) {
        const sa = await tenant.createServiceAccount({ role });
        const token = (await serviceToken(sa.client_id, sa.client_secret)).json.access_token;
        const headers = { Authorization: `Bearer ${token}` };
        const json = guideClient({ name: `by-${role}` });
        const created = await tenant.call("POST", CLIENTS_PATH, { token: null, headers, json });
        assert.equal(created.status, 403, role);
        assert.equal(created.json.code, "403000");
        assert.equal((await tenant.call("GET", CLIENTS_PATH, { token: null, headers })).status, 403, role);
        assert.equal(
          (await tenant.state()).clients.some((c) => c.name === `by-${role}`),
          false,
        );
      }
    });

    it("refuses client credentials to an OAuth application such as Claude's, even with its right secret", async () => {
      const claude = await tenant.createClient({ name: "claude-app" });
      const answer = await serviceToken(claude.client_id, claude.client_secret);
      assert.deepEqual([answer.status, answer.json.error, answer.json.code], [400, "unauthorized_client", "400"]);
      assert.equal(answer.json.access_token, undefined);
    });

    it("answers errors as {error, error_description, code}; a missing grant type is unsupported", async () => {
      const sa = await tenant.createServiceAccount();
      const wrong = await serviceToken(sa.client_id, "wrong");
      assert.deepEqual(Object.keys(wrong.json).sort(), ["code", "error", "error_description"]);
      assert.deepEqual([wrong.status, wrong.json.error, wrong.json.code], [401, "invalid_client", "401"]);
      const grant = await tenant.call("POST", "/oauth/v2/token/", {
        token: null,
        form: { grant_type: "password", client_id: sa.client_id, client_secret: sa.client_secret },
      });
      assert.deepEqual([grant.status, grant.json.error, grant.json.code], [400, "unsupported_grant_type", "400"]);
      const form = { client_id: sa.client_id, client_secret: sa.client_secret };
      const missing = await tenant.call("POST", "/oauth/v2/token/", { token: null, form });
      assert.deepEqual([missing.status, missing.json.error], [400, "unsupported_grant_type"]);
    });

    it("makes service accounts only with a known role and a token duration of 300..259200 s", async () => {
      for (const token_duration of [300, 259200]) {
        assert.equal((await tenant.createServiceAccount({ token_duration })).token_duration, token_duration);
      }
      const refusals: Array<[Record<string, unknown>, string]> = [
        [{ token_duration: 299 }, "token_duration"],
        [{ token_duration: 259201 }, "token_duration"],
        [{ token_duration: 600.5 }, "token_duration"],
        [{ role: "Server Admin" }, "role"],
        [{ name: "" }, "name"],
      ];
      for (const [overrides, field] of refusals) {
        const body = { name: `refused-${field}`, role: "SERVER_ADMIN", token_duration: 3600, ...overrides };
        const answer = await tenant.call("POST", "/__emulator/service-accounts", { json: body });
        assert.equal(answer.status, 400, JSON.stringify(overrides));
        assert.deepEqual(Object.keys(answer.json), [field]);
      }
      const stranger = await tenant.call("POST", "/__emulator/service-accounts", { token: "not-the-admin", json: {} });
      assert.equal(stranger.status, 403);
    });
  });

  describe("introspection (/oauth/v2/introspect/)", function () {
    it("tells active tokens from others, for an authenticated client", async () => {
      const sa = await tenant.createServiceAccount();
      const token = (
        await tenant.call("POST", "/oauth/v2/token/", {
          token: null,
          form: { grant_type: "client_credentials", client_id: sa.client_id, client_secret: sa.client_secret },
        })
      ).json.access_token;
      const basic = `Basic ${Buffer.from(`${sa.client_id}:${sa.client_secret}`).toString("base64")}`;
      const active = await tenant.call("POST", "/oauth/v2/introspect/", {
        token: null,
        headers: { Authorization: basic },
        form: { token },
      });
      assert.equal(active.json.active, true);
      assert.equal(active.json.client_id, sa.client_id);
      assert.equal(typeof active.json.exp, "number");
      const inactive = await tenant.call("POST", "/oauth/v2/introspect/", {
        token: null,
        headers: { Authorization: basic },
        form: { token: "garbage" },
      });
      assert.deepEqual(inactive.json, { active: false });
      const anonymous = await tenant.call("POST", "/oauth/v2/introspect/", { token: null, form: { token } });
      assert.equal(anonymous.status, 401);
    });
  });
});
