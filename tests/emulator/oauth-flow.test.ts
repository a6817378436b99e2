// The OAuth user flow (authorization code + PKCE, refresh) run by an independent client library, oauth4webapi,
// and the ways the tenant refuses a bad exchange.
import { strict as assert } from "node:assert";
import * as oauth from "oauth4webapi";
import { TEST_USER, startTestTenant, userTokens, type Answer, type TestTenant } from "../support/test-tenant";

const CALLBACK = "https://claude.ai/api/mcp/auth_callback";
const basicUser = `Basic ${Buffer.from(`${TEST_USER.username}:${TEST_USER.password}`).toString("base64")}`;
const insecure = { [oauth.allowInsecureRequests]: true };

describe("emulator: OAuth authorization code flow (oauth4webapi)", function () {
  let tenant: TestTenant;
  let as: oauth.AuthorizationServer;
  let registered: { client_id: string; client_secret: string };
  let client: oauth.Client;

  before(async () => {
    tenant = await startTestTenant();
    const issuer = new URL(tenant.url);
    as = await oauth.processDiscoveryResponse(
      issuer,
      await oauth.discoveryRequest(issuer, { algorithm: "oauth2", ...insecure }),
    );
    registered = await tenant.createClient({ name: "claude" });
    client = { client_id: registered.client_id };
  });
  after(() => tenant.stop());
  afterEach(async () => {
    await tenant.call("PUT", "/__emulator/clock", { json: { offsetSeconds: 0 } });
    await tenant.setJwtFlag(false);
  });

  /** Runs the authorize step as the browser would, logging in with Basic credentials; returns the redirect. */
  async function authorize(
    params: Record<string, string>,
    headers: Record<string, string> = { Authorization: basicUser },
  ): Promise<Answer> {
    const url = new URL(as.authorization_endpoint as string);
    for (const [key, value] of Object.entries(params)) url.searchParams.set(key, value);
    return tenant.call("GET", url.pathname + url.search, { token: null, headers });
  }

  async function codeFor(
    verifier: string,
    state = oauth.generateRandomState(),
    extra: Record<string, string> = {},
  ): Promise<URLSearchParams> {
    const answer = await authorize({
      response_type: "code",
      client_id: client.client_id,
      redirect_uri: CALLBACK,
      state,
      scope: "openid",
      code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
      code_challenge_method: "S256",
      ...extra,
    });
    assert.equal(answer.status, 302, answer.text);
    return oauth.validateAuthResponse(as, client, new URL(answer.headers.get("location") as string), state);
  }

  async function exchange(
    params: URLSearchParams,
    verifier: string,
    auth = oauth.ClientSecretBasic(registered.client_secret),
    redirectUri = CALLBACK,
  ): Promise<Response> {
    return oauth.authorizationCodeGrantRequest(as, client, auth, params, redirectUri, verifier, insecure);
  }

  async function expectOAuthError(response: Response, status: number, error: string): Promise<void> {
    assert.equal(response.status, status);
    assert.equal(((await response.json()) as { error: string }).error, error);
  }

  it("publishes RFC 8414 and RFC 9728 metadata that oauth4webapi accepts", async () => {
    assert.equal(as.authorization_endpoint, `${tenant.url}/oauth/v1/authorize/`);
    assert.equal(as.token_endpoint, `${tenant.url}/oauth/v1/token/`);
    assert.deepEqual(as.code_challenge_methods_supported, ["S256"]);
    assert.ok(as.grant_types_supported?.includes("refresh_token"));
    const resource = new URL(`${tenant.url}/ai/mcp/`);
    const rs = await oauth.processResourceDiscoveryResponse(
      resource,
      await oauth.resourceDiscoveryRequest(resource, insecure),
    );
    assert.deepEqual(rs.authorization_servers, [tenant.url]);
    const root = await tenant.call("GET", "/.well-known/oauth-protected-resource", { token: null });
    assert.equal(root.json.resource, `${tenant.url}/ai/mcp/`);
    for (const path of [
      "/.well-known/oauth-authorization-server/",
      "/.well-known/jwks.json",
      "/.well-known/jwks.json/",
    ]) {
      assert.equal((await tenant.call("GET", path, { token: null })).status, 200, path);
    }
  });

  it("runs the whole flow with the JWT flag on: signed JWT access tokens, then a refresh", async () => {
    await tenant.setJwtFlag(true);
    const verifier = oauth.generateRandomCodeVerifier();
    const tokens = await oauth.processAuthorizationCodeResponse(
      as,
      client,
      await exchange(await codeFor(verifier), verifier),
    );
    assert.equal(tokens.token_type.toLowerCase(), "bearer");
    assert.equal(tokens.expires_in, 86400);
    assert.ok(tokens.refresh_token);
    // RFC 9068 validation by the library: typ at+jwt, issuer, audience, signature from the JWKS.
    const request = new Request(`${tenant.url}/ai/mcp/`, {
      headers: { Authorization: `Bearer ${tokens.access_token}` },
    });
    const claims = await oauth.validateJwtAccessToken(as, request, `${tenant.url}/ai/mcp/`, insecure);
    assert.equal(claims.client_id, client.client_id);
    assert.equal(claims.exp - claims.iat, 86400, "the client's access token expiry");
    assert.equal(claims.sub, "1");

    const refreshed = await oauth.processRefreshTokenResponse(
      as,
      client,
      await oauth.refreshTokenGrantRequest(
        as,
        client,
        oauth.ClientSecretPost(registered.client_secret),
        tokens.refresh_token as string,
        insecure,
      ),
    );
    assert.notEqual(refreshed.access_token, tokens.access_token);
    assert.notEqual(refreshed.refresh_token, tokens.refresh_token, "refresh tokens rotate");
    const reused = await oauth.refreshTokenGrantRequest(
      as,
      client,
      oauth.ClientSecretPost(registered.client_secret),
      tokens.refresh_token as string,
      insecure,
    );
    await expectOAuthError(reused, 400, "invalid_grant");
  });

  it("issues opaque access tokens while the flag is off", async () => {
    const verifier = oauth.generateRandomCodeVerifier();
    const tokens = await oauth.processAuthorizationCodeResponse(
      as,
      client,
      await exchange(await codeFor(verifier), verifier),
    );
    assert.equal(tokens.access_token.split(".").length, 1, "not a JWT");
    const introspection = await tenant.call("POST", "/oauth/v2/introspect/", { form: { token: tokens.access_token } });
    assert.equal(introspection.json.active, true);
    assert.equal(introspection.json.client_id, client.client_id);
  });

  it("issues JWTs whatever the flag with --jwt-flag optional (Alation's later guides)", async () => {
    const optional = await startTestTenant({ jwtFlag: "optional" });
    try {
      assert.equal((await optional.state()).conf["alation.feature_flags.enable_jwt_in_v1_oauth_stack"], "False");
      const tokens = await userTokens(optional, await optional.createClient({ name: "claude" }));
      assert.equal(tokens.access_token.split(".").length, 3, "a JWT with the flag off");
    } finally {
      await optional.stop();
    }
  });

  it("lets the refresh token expire after the client's refresh token expiry", async () => {
    const verifier = oauth.generateRandomCodeVerifier();
    const tokens = await oauth.processAuthorizationCodeResponse(
      as,
      client,
      await exchange(await codeFor(verifier), verifier),
    );
    await tenant.call("PUT", "/__emulator/clock", { json: { offsetSeconds: 15552000 + 60 } });
    const late = await oauth.refreshTokenGrantRequest(
      as,
      client,
      oauth.ClientSecretBasic(registered.client_secret),
      tokens.refresh_token as string,
      insecure,
    );
    await expectOAuthError(late, 400, "invalid_grant");
  });

  it("refuses a wrong code verifier", async () => {
    const verifier = oauth.generateRandomCodeVerifier();
    await expectOAuthError(
      await exchange(await codeFor(verifier), oauth.generateRandomCodeVerifier()),
      400,
      "invalid_grant",
    );
  });

  it("refuses a reused code and revokes what it gave", async () => {
    const verifier = oauth.generateRandomCodeVerifier();
    const params = await codeFor(verifier);
    const tokens = await oauth.processAuthorizationCodeResponse(as, client, await exchange(params, verifier));
    await expectOAuthError(await exchange(params, verifier), 400, "invalid_grant");
    const refresh = await oauth.refreshTokenGrantRequest(
      as,
      client,
      oauth.ClientSecretBasic(registered.client_secret),
      tokens.refresh_token as string,
      insecure,
    );
    await expectOAuthError(refresh, 400, "invalid_grant");
  });

  it("refuses an expired code", async () => {
    const verifier = oauth.generateRandomCodeVerifier();
    const params = await codeFor(verifier);
    await tenant.call("PUT", "/__emulator/clock", { json: { offsetSeconds: 120 } });
    await expectOAuthError(await exchange(params, verifier), 400, "invalid_grant");
  });

  it("refuses a wrong client secret (Basic and body) with invalid_client 401", async () => {
    const verifier = oauth.generateRandomCodeVerifier();
    const basic = await exchange(await codeFor(verifier), verifier, oauth.ClientSecretBasic("wrong"));
    assert.match(basic.headers.get("www-authenticate") ?? "", /^Basic/);
    await expectOAuthError(basic, 401, "invalid_client");
    await expectOAuthError(
      await exchange(await codeFor(verifier), verifier, oauth.ClientSecretPost("wrong")),
      401,
      "invalid_client",
    );
    await expectOAuthError(await exchange(await codeFor(verifier), verifier, oauth.None()), 401, "invalid_client");
  });

  it("refuses a redirect URI other than the registered ones, at authorize and at the token step", async () => {
    const verifier = oauth.generateRandomCodeVerifier();
    const wrong = await authorize({
      response_type: "code",
      client_id: client.client_id,
      redirect_uri: "https://evil.example.com/cb",
      code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
      code_challenge_method: "S256",
    });
    assert.equal(wrong.status, 400);
    assert.equal(wrong.headers.get("location"), null, "never redirected to an unregistered URI");
    const prefix = await authorize({
      response_type: "code",
      client_id: client.client_id,
      redirect_uri: `${CALLBACK}/extra`,
    });
    assert.equal(prefix.status, 400, "exact match only");
    await expectOAuthError(
      await exchange(await codeFor(verifier), verifier, undefined, "https://claude.com/api/mcp/auth_callback"),
      400,
      "invalid_grant",
    );
  });

  it("requires PKCE S256 from a client that says so, refusing with a redirect that keeps the state", async () => {
    const missing = await authorize({
      response_type: "code",
      client_id: client.client_id,
      redirect_uri: CALLBACK,
      state: "s1",
    });
    const location = new URL(missing.headers.get("location") as string);
    assert.equal(location.searchParams.get("error"), "invalid_request");
    assert.equal(location.searchParams.get("state"), "s1");
    assert.equal(location.searchParams.get("code"), null);
    const plain = await authorize({
      response_type: "code",
      client_id: client.client_id,
      redirect_uri: CALLBACK,
      code_challenge: "a".repeat(43),
      code_challenge_method: "plain",
    });
    assert.equal(new URL(plain.headers.get("location") as string).searchParams.get("error"), "invalid_request");
    const token = await authorize({ response_type: "token", client_id: client.client_id, redirect_uri: CALLBACK });
    assert.equal(
      new URL(token.headers.get("location") as string).searchParams.get("error"),
      "unsupported_response_type",
    );
  });

  it("refuses an inactive client at authorize and at the token step", async () => {
    const inactive = await tenant.createClient({ name: "inactive-later" });
    const verifier = oauth.generateRandomCodeVerifier();
    const challenge = await oauth.calculatePKCECodeChallenge(verifier);
    const answer = await authorize({
      response_type: "code",
      client_id: inactive.client_id,
      redirect_uri: CALLBACK,
      code_challenge: challenge,
      code_challenge_method: "S256",
    });
    const code = new URL(answer.headers.get("location") as string).searchParams.get("code") as string;
    await tenant.call("PATCH", `/integration/core/v1/oauth/clients/${inactive.client_id}/`, {
      json: { is_active: false },
    });
    const refused = await authorize({
      response_type: "code",
      client_id: inactive.client_id,
      redirect_uri: CALLBACK,
      code_challenge: challenge,
      code_challenge_method: "S256",
    });
    assert.equal(refused.status, 400);
    const token = await tenant.call("POST", "/oauth/v1/token/", {
      token: null,
      form: {
        grant_type: "authorization_code",
        code,
        redirect_uri: CALLBACK,
        code_verifier: verifier,
        client_id: inactive.client_id,
        client_secret: inactive.client_secret,
      },
    });
    assert.equal(token.status, 401);
    assert.equal(token.json.error, "invalid_client");
  });

  it("answers unsupported_grant_type (also to a missing grant type) and invalid_request as RFC 6749 says", async () => {
    const basic = `Basic ${Buffer.from(`${registered.client_id}:${registered.client_secret}`).toString("base64")}`;
    const password = await tenant.call("POST", "/oauth/v1/token/", {
      token: null,
      headers: { Authorization: basic },
      form: { grant_type: "password" },
    });
    assert.deepEqual([password.status, password.json.error], [400, "unsupported_grant_type"]);
    const headers = { Authorization: basic };
    const missing = await tenant.call("POST", "/oauth/v1/token/", { token: null, headers, form: { code: "x" } });
    assert.deepEqual([missing.status, missing.json.error], [400, "unsupported_grant_type"], "alation-api.md section 3");
    const json = await tenant.call("POST", "/oauth/v1/token/", {
      token: null,
      headers: { Authorization: basic },
      json: { grant_type: "authorization_code" },
    });
    assert.deepEqual([json.status, json.json.error], [400, "invalid_request"]);
    assert.equal(password.headers.get("cache-control"), "no-store");
  });

  it("runs the flow for a public client (PKCE, no secret)", async () => {
    const publicClient = await tenant.createClient({
      name: "public-app",
      client_type: "public",
      redirect_uris: ["http://127.0.0.1:33418/cb"],
    });
    const verifier = oauth.generateRandomCodeVerifier();
    const state = oauth.generateRandomState();
    const answer = await authorize({
      response_type: "code",
      client_id: publicClient.client_id,
      redirect_uri: "http://127.0.0.1:33418/cb",
      state,
      code_challenge: await oauth.calculatePKCECodeChallenge(verifier),
      code_challenge_method: "S256",
    });
    const pub: oauth.Client = { client_id: publicClient.client_id };
    const params = oauth.validateAuthResponse(as, pub, new URL(answer.headers.get("location") as string), state);
    const response = await oauth.authorizationCodeGrantRequest(
      as,
      pub,
      oauth.None(),
      params,
      "http://127.0.0.1:33418/cb",
      verifier,
      insecure,
    );
    const tokens = await oauth.processAuthorizationCodeResponse(as, pub, response);
    assert.ok(tokens.access_token);
  });

  describe("logging in at the authorize step", function () {
    async function authorizeParams(): Promise<Record<string, string>> {
      return {
        response_type: "code",
        client_id: client.client_id,
        redirect_uri: CALLBACK,
        code_challenge: await oauth.calculatePKCECodeChallenge(oauth.generateRandomCodeVerifier()),
        code_challenge_method: "S256",
      };
    }

    it("logs in with login_hint + emulator_password", async () => {
      const answer = await authorize(
        { ...(await authorizeParams()), login_hint: TEST_USER.username, emulator_password: TEST_USER.password },
        {},
      );
      assert.equal(answer.status, 302);
      assert.ok(new URL(answer.headers.get("location") as string).searchParams.get("code"));
    });

    it("refuses wrong credentials without a code", async () => {
      const wrongBasic = { Authorization: `Basic ${Buffer.from(`${TEST_USER.username}:nope`).toString("base64")}` };
      const attempts: Array<[Record<string, string>, Record<string, string>]> = [
        [{}, wrongBasic],
        [{ login_hint: TEST_USER.username, emulator_password: "nope" }, {}],
      ];
      for (const [extra, headers] of attempts) {
        const params = { ...(await authorizeParams()), ...extra };
        const answer = await authorize(params, headers);
        assert.equal(answer.status, 401);
        assert.equal(answer.headers.get("location"), null);
        assert.ok(!answer.text.includes("nope"), "the password is not echoed");
      }
    });

    it("shows Alation's login form (email, password, csrfmiddlewaretoken); its session then authorizes", async () => {
      const params = await authorizeParams();
      const form = await authorize(params, {});
      assert.equal(form.status, 200);
      assert.match(form.text, /<form method="post" action="\/login\/">/);
      const fields = [...form.text.matchAll(/<input[^>]* name="([^"]+)"/g)].map((m) => m[1]);
      assert.deepEqual(fields, ["csrfmiddlewaretoken", "next", "email", "password"]);
      const next = /name="next" value="([^"]+)"/.exec(form.text)?.[1].replace(/&#38;/g, "&") as string;
      assert.ok(next.startsWith("/oauth/v1/authorize/"));
      const csrf = /name="csrfmiddlewaretoken" value="([^"]+)"/.exec(form.text)?.[1] as string;
      const csrfCookie = (form.headers.get("set-cookie") as string).split(";")[0];
      assert.equal(csrfCookie, `csrftoken=${csrf}`, "the form's token is the csrftoken cookie, as Django's");
      const post = (fields: Record<string, string>, cookie = csrfCookie) =>
        tenant.call("POST", "/login/", { token: null, form: { next, ...fields }, headers: { Cookie: cookie } });
      const good = { email: TEST_USER.username, password: TEST_USER.password, csrfmiddlewaretoken: csrf };

      // Django's CSRF check: the token must be posted, and match the cookie.
      const refused = [
        await post({ ...good, csrfmiddlewaretoken: "" }),
        await post({ ...good, csrfmiddlewaretoken: `${csrf}x` }),
        await post(good, ""),
      ];
      for (const answer of refused) {
        assert.equal(answer.status, 403);
        assert.match(answer.text, /CSRF verification failed/);
        assert.equal(answer.headers.get("set-cookie"), null);
      }
      const wrong = await post({ ...good, password: "wrong" });
      assert.equal(wrong.status, 200);
      assert.doesNotMatch(wrong.headers.get("set-cookie") ?? "", /sessionid/);
      const asUsername = await post({ ...good, email: "", username: TEST_USER.username });
      assert.doesNotMatch(asUsername.headers.get("set-cookie") ?? "", /sessionid/, "the field is email, as Alation's");

      const login = await post(good);
      assert.equal(login.status, 302);
      assert.equal(login.headers.get("location"), next);
      const cookie = (login.headers.get("set-cookie") as string).split(";")[0];
      assert.match(cookie, /^sessionid=/);
      const answer = await tenant.call("GET", next, { token: null, headers: { Cookie: cookie } });
      assert.equal(answer.status, 302);
      assert.ok(new URL(answer.headers.get("location") as string).searchParams.get("code"));
    });
  });
});
