// The REST client's API logic against scripted local servers: the three ways to authenticate (with token caching
// and renewal), "route not served" versus "client gone", pagination and tolerant parsing of answers.
import { strict as assert } from "node:assert";
import { AlationClient, AlationError, closeHttpPools, type ConnectionSettings } from "../../provider/alation";
import { alationShaped, NAME_CONFLICT_ANSWERS } from "../support/alation-answers";
import { guideClient, guideApplication } from "../support/connector-guide";
import {
  json,
  startScriptedServer,
  type RecordedRequest,
  type ScriptedAnswer,
  type ScriptedServer,
} from "../support/scripted-http";

const CLIENTS = "/integration/core/v1/oauth/clients/";
const FAST_RETRY = { attempts: 2, baseDelayMs: 5, maxDelayMs: 10, maxRetryAfterMs: 1000 };
const record = (id: string, name = `app-${id}`) => ({
  client_id: id,
  name,
  client_type: "confidential",
  redirect_uris: ["https://a.example/cb"],
});

function clientFor(server: ScriptedServer, auth: Partial<ConnectionSettings>): AlationClient {
  return new AlationClient({ baseUrl: server.url, timeoutSeconds: 5, ...auth }, { retry: FAST_RETRY });
}

/** A router over "METHOD /path" (query stripped). */
function routes(table: Record<string, (r: RecordedRequest) => ScriptedAnswer>): (r: RecordedRequest) => ScriptedAnswer {
  return (r) => {
    const key = `${r.method} ${r.path.split("?")[0]}`;
    const handler = table[key];
    return handler ? handler(r) : json(404, { detail: `no route ${key}` });
  };
}

describe("alation client: API logic", function () {
  this.timeout(20000);
  let server: ScriptedServer;

  describe("authentication", () => {
    it("sends an API access token as header TOKEN", async () => {
      server = await startScriptedServer(() => json(200, record("a")));
      await clientFor(server, { apiAccessToken: "legacy-api-token" }).get("a");
      assert.equal(server.requests[0].headers.token, "legacy-api-token");
      assert.equal(server.requests[0].headers.authorization, undefined);
    });

    it("exchanges a refresh token once per process, and again after a 401", async () => {
      let issued = 0;
      let valid = "";
      server = await startScriptedServer(
        routes({
          "POST /integration/v1/createAPIAccessToken/": (r) => {
            const body = JSON.parse(r.body);
            assert.deepEqual(body, { refresh_token: "legacy-refresh-token", user_id: 7 });
            valid = `access-${++issued}`;
            return json(201, { api_access_token: valid, user_id: 7 });
          },
          [`GET ${CLIENTS}a/`]: (r) =>
            r.headers.token === valid ? json(200, record("a")) : json(401, { detail: "Invalid token." }),
        }),
      );
      const auth = { refreshToken: "legacy-refresh-token", userId: "7" };
      await clientFor(server, auth).get("a");
      await clientFor(server, auth).get("a");
      assert.equal(issued, 1, "one exchange for two clients of the process");
      valid = "expired-by-the-server";
      assert.equal((await clientFor(server, auth).get("a")).status, "found");
      assert.equal(issued, 2);
    });

    it("reports a refused refresh token as an auth error without the token", async () => {
      server = await startScriptedServer(() =>
        json(200, { status: "failed", message: "Refresh token is invalid or has expired." }),
      );
      const error = await clientFor(server, { refreshToken: "revoked-refresh-token", userId: 7 })
        .get("a")
        .catch((e) => e);
      assert.ok(error instanceof AlationError);
      assert.equal(error.kind, "auth");
      assert.match(error.message, /Refresh token is invalid/);
      assert.ok(!error.message.includes("revoked-refresh-token"));
    });

    it("shares one client-credentials JWT between concurrent calls (Bearer); renews it after a 401", async () => {
      let issued = 0;
      let valid = "";
      server = await startScriptedServer(
        routes({
          "POST /oauth/v2/token/": (r) => {
            assert.equal(r.headers["content-type"], "application/x-www-form-urlencoded");
            const form = new URLSearchParams(r.body);
            assert.equal(form.get("grant_type"), "client_credentials");
            assert.equal(form.get("client_id"), "svc");
            assert.equal(form.get("client_secret"), "svc-secret-value");
            // A new token invalidates the previous one, as on Alation.
            valid = `eyJhbGciOiJSUzI1NiJ9.eyJuIjoi${++issued}In0.sig`;
            return json(200, { access_token: valid, token_type: "Bearer", expires_in: 3600 });
          },
          [`GET ${CLIENTS}a/`]: (r) =>
            r.headers.authorization === `Bearer ${valid}`
              ? json(200, record("a"))
              : json(401, { detail: "Invalid token." }),
        }),
      );
      const auth = { clientCredentials: { clientId: "svc", clientSecret: "svc-secret-value" } };
      await Promise.all([1, 2, 3, 4, 5].map(() => clientFor(server, auth).get("a")));
      assert.equal(issued, 1);
      valid = "revoked";
      const lookups = await Promise.all([1, 2, 3].map(() => clientFor(server, auth).get("a")));
      assert.deepEqual(
        lookups.map((l) => l.status),
        ["found", "found", "found"],
      );
      assert.equal(issued, 2, "concurrent 401s renew the token once");
    });

    it("refuses a connection with no or two ways to authenticate, naming no value", () => {
      assert.throws(() => new AlationClient({ baseUrl: "https://t.example" }), /no credential/);
      assert.throws(
        () =>
          new AlationClient({
            baseUrl: "https://t.example",
            apiAccessToken: "tok-a-b-c",
            refreshToken: "ref-x-y-z",
            userId: 1,
          }),
        (e: Error) => /exactly one/.test(e.message) && !e.message.includes("tok-a-b-c"),
      );
      assert.throws(() => new AlationClient({ baseUrl: "http://tenant.example", apiAccessToken: "t" }), /https/);
    });
  });

  describe("reading: route not served versus client gone", () => {
    it("item 405: unsupported", async () => {
      server = await startScriptedServer(() => json(405, { detail: 'Method "GET" not allowed.' }));
      const lookup = await clientFor(server, { apiAccessToken: "token-x" }).get("a");
      assert.equal(lookup.status, "unsupported");
    });

    it("item 404 and list not served (404/405): unsupported, never gone", async () => {
      for (const listStatus of [404, 405, 501]) {
        server = await startScriptedServer(routes({ [`GET ${CLIENTS}`]: () => json(listStatus, {}) }));
        const lookup = await clientFor(server, { apiAccessToken: "token-x" }).get("a");
        assert.equal(lookup.status, "unsupported", `list ${listStatus}`);
        await server.close();
        await closeHttpPools();
      }
    });

    it("item 404 and a list without it: gone; with it: found through the list", async () => {
      server = await startScriptedServer(routes({ [`GET ${CLIENTS}`]: () => json(200, [record("b")]) }));
      const client = clientFor(server, { apiAccessToken: "token-x" });
      assert.equal((await client.get("a")).status, "gone");
      const found = await client.get("b");
      assert.equal(found.status, "found");
    });

    it("a web page answered 200: unsupported", async () => {
      server = await startScriptedServer(() => ({ status: 200, text: "<html><body>Alation</body></html>" }));
      const client = clientFor(server, { apiAccessToken: "token-x" });
      assert.equal((await client.get("a")).status, "unsupported");
      assert.equal((await client.findByName("x")).status, "unsupported");
    });

    it("finds a name across pages (X-Next-Page), and in a DRF page", async () => {
      server = await startScriptedServer((r) => {
        const skip = Number(new URL(r.path, "http://x").searchParams.get("skip") ?? 0);
        if (skip === 0) return json(200, [record("a")], { "X-Next-Page": `${CLIENTS}?limit=1&skip=1` });
        return json(200, { results: [record("b", "wanted")] });
      });
      const lookup = await clientFor(server, { apiAccessToken: "token-x" }).findByName("wanted");
      assert.equal(lookup.status, "found");
      assert.equal(lookup.status === "found" && lookup.application.clientId, "b");
      assert.equal((await clientFor(server, { apiAccessToken: "token-x" }).findByName("absent")).status, "gone");
    });

    it("finds a name or an id on a later full page (skip), among numeric ids and non-clients", async () => {
      // Page 0 is full (100 items, some not clients); page 1 holds the wanted client with a numeric id.
      const firstPage = [
        ...Array.from({ length: 97 }, (_, i) => ({ ...record(String(i)), client_id: i })),
        "not a client",
        { name: "no id" },
        { ...record("odd"), client_secret: 7 },
      ];
      server = await startScriptedServer((r) => {
        const skip = Number(new URL(r.path, "http://x").searchParams.get("skip") ?? 0);
        if (r.path.startsWith(`${CLIENTS}500/`)) return json(404, { detail: "Not found." });
        return json(200, skip === 0 ? firstPage : [{ ...record("500", "wanted"), client_id: 500 }]);
      });
      const client = clientFor(server, { apiAccessToken: "token-x" });
      const byName = await client.findByName("wanted");
      assert.deepEqual(byName.status === "found" && byName.application, {
        clientId: "500",
        name: "wanted",
        clientType: "confidential",
        redirectUris: ["https://a.example/cb"],
      });
      const byId = await client.get("500");
      assert.equal(byId.status === "found" && byId.application.name, "wanted");
      assert.equal((await client.findByName("app-odd")).status, "gone", "an item the schema refuses is no client");
      assert.equal((await client.findByName("app-3")).status, "found");
    });

    it("lists every name across pages; cannot tell when an item has no name or the pages never end", async () => {
      let pages: (skip: number) => unknown[] = (skip) => (skip === 0 ? [record("a")] : []);
      server = await startScriptedServer((r) => {
        const url = new URL(r.path, "http://x");
        const skip = Number(url.searchParams.get("skip") ?? 0);
        const next = skip === 0 ? { "X-Next-Page": `${CLIENTS}?limit=1&skip=1` } : undefined;
        return json(200, pages(skip), next);
      });
      const client = clientFor(server, { apiAccessToken: "token-x" });
      pages = (skip) => (skip === 0 ? [record("a")] : [record("b", "wanted")]);
      assert.deepEqual([...((await client.listNames()) ?? [])], ["app-a", "wanted"]);
      pages = (skip) => (skip === 0 ? [record("a")] : [{ client_id: "b" }]);
      assert.equal(await client.listNames(), undefined, "an item without a name");
      // Full pages of new clients, page after page: the list is cut at its last page read, and so cannot tell.
      const fullPage = (skip: number) => Array.from({ length: 100 }, (_, i) => record(String(skip + i)));
      server.setScript((r) => json(200, fullPage(Number(new URL(r.path, "http://x").searchParams.get("skip") ?? 0))));
      const before = server.requests.length;
      assert.equal(await client.listNames(), undefined, "pages without an end");
      assert.equal(server.requests.length - before, 50, "MAX_PAGES pages read");
    });
  });

  describe("answers", () => {
    it("reads generation B's field names, redirect URIs as a string, and missing fields", async () => {
      server = await startScriptedServer(() =>
        json(200, {
          client_id: "a",
          name: "b-named",
          redirect_uris: "https://a.example/cb https://b.example/cb",
          access_token_lifetime: "3600",
          refresh_token_lifetime: 259200,
          pkce_enabled: "True",
        }),
      );
      const lookup = await clientFor(server, { apiAccessToken: "token-x" }).get("a");
      assert.deepEqual(lookup.status === "found" && lookup.application, {
        clientId: "a",
        name: "b-named",
        redirectUris: ["https://a.example/cb", "https://b.example/cb"],
        accessTokenExpiry: 3600,
        refreshTokenExpiry: 259200,
        pkceRequired: true,
      });
    });

    it("sends generation A's field names where the tenant serves A, only the changed ones on update", async () => {
      server = await startScriptedServer(() => json(200, record("a")));
      await clientFor(server, { apiAccessToken: "token-x" }).update("a", {
        accessTokenExpiry: 7200,
        pkceRequired: false,
      });
      assert.deepEqual(JSON.parse(server.requests[0].body), { access_token_expiry: 7200, pkce_required: false });
    });

    it("refuses a create answer without a secret as possibly created (to be recovered)", async () => {
      server = await startScriptedServer(() => json(201, record("a")));
      const error = await clientFor(server, { apiAccessToken: "token-x" })
        .create(guideApplication({ name: "a" }))
        .catch((e) => e);
      assert.ok(error instanceof AlationError);
      assert.equal(error.outcomeUnknown, true);
    });
  });

  describe("error shapes (alation-api.md section 2)", () => {
    const EXPIRY = "Ensure this value is greater than or equal to 3600.";
    const FIELD_SHAPES: Record<string, unknown> = {
      "Alation's, errors as an object": alationShaped({ access_token_expiry: [EXPIRY] }),
      "Alation's, errors as a list of objects": alationShaped([{ access_token_expiry: [EXPIRY] }]),
      "Alation's, errors as {field, message}": alationShaped([{ field: "access_token_expiry", message: EXPIRY }]),
      "DRF's": { access_token_expiry: [EXPIRY] },
      "DRF's, nested under a list index": { access_token_expiry: { 0: [EXPIRY] } },
    };

    for (const [shape, body] of Object.entries(FIELD_SHAPES)) {
      it(`reads field errors in ${shape} shape; code and title are never field errors`, async () => {
        server = await startScriptedServer(() => json(400, body));
        const error = await clientFor(server, { apiAccessToken: "token-x" })
          .create(guideApplication())
          .catch((e) => e);
        assert.ok(error instanceof AlationError);
        assert.equal(error.kind, "validation");
        assert.deepEqual(error.fieldErrors, { access_token_expiry: [EXPIRY] });
        assert.match(error.message, /access_token_expiry: Ensure this value/);
        assert.doesNotMatch(error.message, /title:|code:/);
      });
    }

    it("reads messages in DRF's {detail}, {error, message}, {non_field_errors} and a bare {code, title}", async () => {
      const cases: Array<[unknown, RegExp]> = [
        [{ detail: "Invalid page." }, /Invalid page\./],
        [{ error: "ValidationError", message: "bad things" }, /ValidationError bad things/],
        [{ non_field_errors: ["Invalid data. Expected a dictionary, but got list."] }, /Expected a dictionary/],
        [{ code: "400000", title: "Bad Request" }, /\(400 validation\); Bad Request$/],
      ];
      for (const [body, message] of cases) {
        server = await startScriptedServer(() => json(400, body));
        const error = await clientFor(server, { apiAccessToken: "token-x" })
          .update("a", { name: "x" })
          .catch((e) => e);
        assert.ok(error instanceof AlationError);
        assert.equal(error.fieldErrors, undefined, JSON.stringify(body));
        assert.match(error.message, message);
        await server.close();
        await closeHttpPools();
      }
    });

    it("reads the token endpoint's {error, error_description, code}; says what client credentials need", async () => {
      const refusal = { error: "unauthorized_client", error_description: "Not a service account.", code: "400" };
      server = await startScriptedServer(() => json(400, refusal));
      const auth = { clientCredentials: { clientId: "claude-app", clientSecret: "app-secret-value" } };
      const error = await clientFor(server, auth)
        .get("a")
        .catch((e) => e);
      assert.ok(error instanceof AlationError);
      assert.equal(error.kind, "auth");
      assert.equal(error.fieldErrors, undefined, "code is no field");
      assert.match(error.message, /unauthorized_client Not a service account\./);
      assert.match(error.message, /only for a service account, made in Alation at \/admin\/auth\//);
    });

    it("says a non-admin service account needs the Server Admin role when the admin API answers 403", async () => {
      server = await startScriptedServer(
        routes({
          "POST /oauth/v2/token/": () => json(200, { access_token: "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxMDAwIn0.sig" }),
          [`GET ${CLIENTS}a/`]: () => json(403, alationShaped(undefined, "You do not have permission to do this.")),
        }),
      );
      const auth = { clientCredentials: { clientId: "steward", clientSecret: "steward-secret" } };
      const error = await clientFor(server, auth)
        .get("a")
        .catch((e) => e);
      assert.ok(error instanceof AlationError);
      assert.equal(error.kind, "auth");
      assert.match(error.message, /You do not have permission to do this\..*Server Admin role/);
    });

    for (const [shape, [status, body]] of Object.entries(NAME_CONFLICT_ANSWERS)) {
      it(`tells a name conflict in ${shape} shape`, async () => {
        server = await startScriptedServer(() => json(status, body));
        const error = await clientFor(server, { apiAccessToken: "token-x" })
          .create(guideApplication())
          .catch((e) => e);
        assert.ok(error instanceof AlationError);
        assert.equal(error.kind, "conflict");
      });
    }

    it("does not take another field's duplicate for a name conflict", async () => {
      const refusal = alationShaped({ redirect_uris: ["duplicate URI: https://a.example/cb"] });
      server = await startScriptedServer(() => json(400, refusal));
      const error = await clientFor(server, { apiAccessToken: "token-x" })
        .create(guideApplication())
        .catch((e) => e);
      assert.equal(error.kind, "validation");
    });

    it("says a tenant without the admin API is not cloud-native Alation Cloud", async () => {
      // The tenant's document names generation A (the fixture's), whose create answers 404: only A is called, as the
      // document says; B's path, served here, is not tried (alation-api.md section 2).
      const otherGeneration = { "POST /integration/core/v1/clients/": () => json(201, { client_id: "b" }) };
      server = await startScriptedServer(routes(otherGeneration));
      const error = await clientFor(server, { apiAccessToken: "token-x" })
        .create(guideApplication())
        .catch((e) => e);
      assert.ok(error instanceof AlationError);
      assert.match(error.message, /exists only on cloud-native Alation Cloud/);
      assert.deepEqual(
        server.requests.map((r) => r.path),
        [CLIENTS],
      );
    });
  });

  describe("a tenant that refuses the undocumented fields (alation-api.md section 2)", () => {
    const UNDOCUMENTED = ["jwt_required", "is_active", "internal_application"];
    /** A tenant that refuses any undocumented field with `refusal`, and echoes what it accepts. */
    function strictTenant(refusal: (named: string[]) => unknown): (r: RecordedRequest) => ScriptedAnswer {
      return (r) => {
        const body = r.body ? JSON.parse(r.body) : {};
        const named = Object.keys(body).filter((key) => UNDOCUMENTED.includes(key));
        if (named.length > 0) return json(400, refusal(named));
        const echo = { client_id: "c1", ...body };
        return r.method === "POST" ? json(201, { ...echo, client_secret: "strict-secret" }) : json(200, echo);
      };
    }
    const bodies = () => server.requests.map((r) => Object.keys(JSON.parse(r.body || "{}")).sort());
    const DOCUMENTED = Object.keys(guideClient()).sort();

    it("sends a create once more without them, then leaves them out for this tenant", async () => {
      const unknown = (named: string[]) => alationShaped(Object.fromEntries(named.map((n) => [n, ["Unknown field."]])));
      server = await startScriptedServer(strictTenant(unknown));
      const first = await clientFor(server, { apiAccessToken: "token-x" }).create(guideApplication());
      assert.equal(first.clientSecret, "strict-secret");
      assert.equal(first.application.jwtRequired, undefined, "not echoed: the caller reports it not enforced");
      await clientFor(server, { apiAccessToken: "token-x" }).create(guideApplication({ name: "second" }));
      await clientFor(server, { apiAccessToken: "token-x" }).update("c1", { isActive: false, accessTokenExpiry: 7200 });
      const all = [...DOCUMENTED, ...UNDOCUMENTED].sort();
      assert.deepEqual(bodies(), [all, DOCUMENTED, DOCUMENTED, ["access_token_expiry"]]);
    });

    it("understands a refusal that names them only in its message, and retries an update too", async () => {
      server = await startScriptedServer(strictTenant((named) => ({ detail: `Unknown fields: ${named.join(", ")}` })));
      await clientFor(server, { apiAccessToken: "token-x" }).update("c1", { jwtRequired: true, name: "renamed" });
      assert.deepEqual(bodies(), [["jwt_required", "name"], ["name"]]);
    });

    it("does not retry a 400 that also names a documented field: the user's value is wrong", async () => {
      const refusal = { jwt_required: ["Unknown field."], access_token_expiry: ["At most 259200."] };
      server = await startScriptedServer(() => json(400, refusal));
      const error = await clientFor(server, { apiAccessToken: "token-x" })
        .create(guideApplication())
        .catch((e) => e);
      assert.ok(error instanceof AlationError);
      assert.equal(error.kind, "validation");
      assert.equal(server.requests.length, 1);
    });
  });
});
