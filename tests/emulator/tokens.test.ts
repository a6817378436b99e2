// Legacy API tokens, client-credentials JWTs (service accounts), introspection and the JWKS.
import { strict as assert } from "node:assert";
import * as jose from "jose";
import { CLIENTS_PATH, TEST_USER, guideClient, startTestTenant, type TestTenant } from "./helpers";

describe("emulator: tokens", function () {
  let tenant: TestTenant;
  before(async () => (tenant = await startTestTenant()));
  after(() => tenant.stop());

  describe("legacy createRefreshToken / createAPIAccessToken", function () {
    it("gives an API access token that works as header TOKEN for the admin API", async () => {
      const refresh = await tenant.call("POST", "/integration/v1/createRefreshToken/", { token: null, json: { ...TEST_USER, name: "ci" } });
      assert.equal(refresh.status, 201);
      assert.equal(refresh.json.user_id, 1);
      assert.ok(refresh.json.refresh_token);
      const access = await tenant.call("POST", "/integration/v1/createAPIAccessToken/", {
        token: null,
        json: { refresh_token: refresh.json.refresh_token, user_id: refresh.json.user_id },
      });
      assert.equal(access.status, 201);
      assert.ok(access.json.api_access_token);
      const created = await tenant.call("POST", CLIENTS_PATH, { token: access.json.api_access_token, json: guideClient({ name: "by-legacy-token" }) });
      assert.equal(created.status, 201);
    });

    it("accepts form-encoded bodies too", async () => {
      const refresh = await tenant.call("POST", "/integration/v1/createRefreshToken", { token: null, form: { ...TEST_USER, name: "form" } });
      assert.equal(refresh.status, 201);
    });

    it("fails with {status: failed} on wrong credentials or a wrong refresh token", async () => {
      const refresh = await tenant.call("POST", "/integration/v1/createRefreshToken/", { token: null, json: { username: TEST_USER.username, password: "wrong", name: "x" } });
      assert.equal(refresh.json.status, "failed");
      assert.ok(refresh.status >= 400);
      const missing = await tenant.call("POST", "/integration/v1/createRefreshToken/", { token: null, json: { username: TEST_USER.username } });
      assert.equal(missing.json.status, "failed");
      const access = await tenant.call("POST", "/integration/v1/createAPIAccessToken/", { token: null, json: { refresh_token: "nope", user_id: 1 } });
      assert.equal(access.json.status, "failed");
      assert.ok(access.status >= 400);
    });
  });

  describe("client credentials (/oauth/v2/token/)", function () {
    async function serviceToken(clientId: string, secret: string): Promise<{ status: number; json: Record<string, any> }> { // eslint-disable-line @typescript-eslint/no-explicit-any
      return tenant.call("POST", "/oauth/v2/token/", { token: null, form: { grant_type: "client_credentials", client_id: clientId, client_secret: secret } });
    }

    it("issues a JWT signed with the key in the JWKS, usable as Bearer on the admin API", async () => {
      const sa = await tenant.createClient({ name: "service-account" });
      const answer = await serviceToken(sa.client_id, sa.client_secret);
      assert.equal(answer.status, 200);
      assert.equal(answer.json.token_type, "Bearer");
      assert.equal(answer.json.expires_in, 86400);
      const jwks = jose.createLocalJWKSet((await tenant.call("GET", "/.well-known/jwks.json/", { token: null })).json);
      const { payload, protectedHeader } = await jose.jwtVerify(answer.json.access_token, jwks, { issuer: tenant.url });
      assert.equal(protectedHeader.alg, "RS256");
      assert.equal(payload.client_id, sa.client_id);
      const listed = await tenant.call("GET", CLIENTS_PATH, { token: null, headers: { Authorization: `Bearer ${answer.json.access_token}` } });
      assert.equal(listed.status, 200);
    });

    it("invalidates the previous token when a new one is issued", async () => {
      const sa = await tenant.createClient({ name: "service-account-2" });
      const first = (await serviceToken(sa.client_id, sa.client_secret)).json.access_token;
      const second = (await serviceToken(sa.client_id, sa.client_secret)).json.access_token;
      const bearer = (token: string) => tenant.call("GET", CLIENTS_PATH, { token: null, headers: { Authorization: `Bearer ${token}` } });
      assert.equal((await bearer(first)).status, 403);
      assert.equal((await bearer(second)).status, 200);
    });

    it("refuses a wrong secret, a public client and other grants the RFC 6749 way", async () => {
      const sa = await tenant.createClient({ name: "service-account-3" });
      const wrong = await serviceToken(sa.client_id, "wrong");
      assert.deepEqual([wrong.status, wrong.json.error], [401, "invalid_client"]);
      const pub = await tenant.createClient({ name: "public-sa", client_type: "public" });
      const publicAnswer = await serviceToken(pub.client_id, "");
      assert.deepEqual([publicAnswer.status, publicAnswer.json.error], [400, "unauthorized_client"]);
      const grant = await tenant.call("POST", "/oauth/v2/token/", { token: null, form: { grant_type: "password", client_id: sa.client_id, client_secret: sa.client_secret } });
      assert.deepEqual([grant.status, grant.json.error], [400, "unsupported_grant_type"]);
    });

    it("stops accepting a deleted client's token", async () => {
      const sa = await tenant.createClient({ name: "service-account-4" });
      const token = (await serviceToken(sa.client_id, sa.client_secret)).json.access_token;
      await tenant.call("DELETE", `${CLIENTS_PATH}${sa.client_id}/`);
      assert.equal((await tenant.call("GET", CLIENTS_PATH, { token: null, headers: { Authorization: `Bearer ${token}` } })).status, 403);
    });
  });

  describe("introspection (/oauth/v2/introspect/)", function () {
    it("tells active tokens from others, for an authenticated client", async () => {
      const sa = await tenant.createClient({ name: "introspector" });
      const token = (await tenant.call("POST", "/oauth/v2/token/", { token: null, form: { grant_type: "client_credentials", client_id: sa.client_id, client_secret: sa.client_secret } })).json.access_token;
      const basic = `Basic ${Buffer.from(`${sa.client_id}:${sa.client_secret}`).toString("base64")}`;
      const active = await tenant.call("POST", "/oauth/v2/introspect/", { token: null, headers: { Authorization: basic }, form: { token } });
      assert.equal(active.json.active, true);
      assert.equal(active.json.client_id, sa.client_id);
      assert.equal(typeof active.json.exp, "number");
      const inactive = await tenant.call("POST", "/oauth/v2/introspect/", { token: null, headers: { Authorization: basic }, form: { token: "garbage" } });
      assert.deepEqual(inactive.json, { active: false });
      const anonymous = await tenant.call("POST", "/oauth/v2/introspect/", { token: null, form: { token } });
      assert.equal(anonymous.status, 401);
    });
  });
});
