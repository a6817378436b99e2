// The tenant probe (tenant-probe.ts, tenant-api.ts): before any credential leaves the process, the URL shows without
// one that it is an Alation tenant, and which generation of the client admin API it serves; a URL that does not
// (an nginx page) is refused naming baseUrl, and never gets a credential.
import { strict as assert } from "node:assert";
import { openApiDocument } from "../../emulator";
import { AlationClient, AlationError, CLIENTS_PATHS, METADATA_PATH, OPENAPI_PATH } from "../../provider/alation";
import { readOpenApiDocument } from "../../provider/alation/tenant-probe";
import { oauthApplication } from "../../provider/runtime";
import { guideApplication } from "../support/connector-guide";
import { ADMIN_TOKEN, startTestTenant } from "../support/test-tenant";
import {
  json,
  startScriptedServer,
  type RecordedRequest,
  type ScriptedAnswer,
  type ScriptedServer,
} from "../support/scripted-http";

const FAST_RETRY = { attempts: 2, baseDelayMs: 5, maxDelayMs: 10, maxRetryAfterMs: 1000 };
const SECRETS = ["api-token-never-sent", "refresh-token-never-sent", "svc-secret-never-sent", "app-secret-never-sent"];
const AUTHS = [
  { apiAccessToken: SECRETS[0] },
  { refreshToken: SECRETS[1], userId: 7 },
  { clientCredentials: { clientId: "svc", clientSecret: SECRETS[2] } },
];
const NGINX_404 = {
  status: 404,
  text:
    "<html><head><title>404 Not Found</title></head><body><center><h1>404 Not Found</h1></center><hr>" +
    "<center>nginx/1.25.3</center></body></html>",
  headers: { "content-type": "text/html" },
};
const DJANGO_404 = { status: 404, text: "<h1>Not Found</h1>", headers: { "content-type": "text/html" } };
const path = (r: RecordedRequest) => `${r.method} ${r.path.split("?")[0]}`;

function clientFor(server: { url: string }, auth: object = AUTHS[0]): AlationClient {
  return new AlationClient({ baseUrl: server.url, timeoutSeconds: 5, ...auth }, { retry: FAST_RETRY });
}

/** Whether a request carries a credential: a TOKEN or Authorization header, or a secret in its body. */
function carriesCredential(request: RecordedRequest): boolean {
  const { token, authorization } = request.headers;
  return token !== undefined || authorization !== undefined || SECRETS.some((s) => request.body.includes(s));
}

type Routes = Record<string, (r: RecordedRequest) => ScriptedAnswer>;

/** A tenant that answers what it shows without a credential and its routes by "METHOD /path"; else Django's 404. */
function tenantScript(discovery: Routes, routes: Routes): (r: RecordedRequest) => ScriptedAnswer {
  return (r) => ({ ...routes, ...discovery })[path(r)]?.(r) ?? DJANGO_404;
}

const created = (r: RecordedRequest) => json(201, { client_id: "c1", client_secret: "made", ...JSON.parse(r.body) });
const METADATA = (origin: string) => ({ issuer: origin, token_endpoint: `${origin}/oauth/v1/token/` });

describe("alation client: the tenant probe", function () {
  this.timeout(20000);
  let server: ScriptedServer;

  describe("a URL that does not answer as Alation (nginx's 404 pages)", () => {
    beforeEach(async () => {
      server = await startScriptedServer(() => NGINX_404, { tenant: "none" });
    });

    for (const auth of AUTHS) {
      const mode = Object.keys(auth)[0];
      it(`is refused naming baseUrl, and gets no credential (${mode})`, async () => {
        const client = clientFor(server, auth);
        const failures = await Promise.all([
          client.create(guideApplication()).catch((e) => e),
          client.get("c1").catch((e) => e),
          client.delete("c1", { expectedSecret: SECRETS[3] }).catch((e) => e),
          client.checkSecret("c1", SECRETS[3]).catch((e: unknown) => e),
        ]);
        for (const error of failures) {
          assert.ok(error instanceof AlationError, String(error));
          assert.match(error.message, new RegExp(`baseUrl ${server.url} does not answer as an Alation tenant`));
          assert.match(error.message, /no credential was sent to it/);
          assert.match(error.message, /alation:baseUrl/);
        }
        assert.deepEqual(server.requests.filter(carriesCredential), []);
        assert.deepEqual([...new Set(server.requests.map(path))].sort(), [
          `GET ${METADATA_PATH}`,
          `GET ${OPENAPI_PATH}`,
        ]);
      });
    }

    it("is refused by the runtime's create with the same message, naming alation:baseUrl", async () => {
      const inputs = {
        connection: { baseUrl: server.url, apiAccessToken: SECRETS[0] },
        name: "claude",
        redirectUris: ["https://claude.ai/api/mcp/auth_callback"],
      };
      const error = await oauthApplication.create(inputs).catch((e: Error) => e);
      assert.ok(error instanceof Error);
      assert.match(error.message, /does not answer as an Alation tenant.*no credential was sent.*alation:baseUrl/);
      assert.ok(!error.message.includes(SECRETS[0]));
      assert.deepEqual(server.requests.filter(carriesCredential), []);
    });
  });

  it("refuses metadata that names a token endpoint on another host, or not Alation's path", async () => {
    for (const endpoint of ["https://login.example.com/oauth/v1/token/", "/o/token/"]) {
      server = await startScriptedServer(
        (r) => (path(r) === `GET ${METADATA_PATH}` ? json(200, { token_endpoint: endpoint }) : DJANGO_404),
        { tenant: "none" },
      );
      const error = await clientFor(server)
        .get("c1")
        .catch((e) => e);
      assert.match(String(error), /does not answer as an Alation tenant/, endpoint);
      assert.deepEqual(server.requests.filter(carriesCredential), []);
    }
  });

  it("reports a tenant in trouble as unavailable (not as 'not Alation'), and probes again next time", async () => {
    server = await startScriptedServer(() => json(503, { detail: "maintenance" }), { tenant: "none" });
    const error = await clientFor(server)
      .get("c1")
      .catch((e) => e);
    assert.ok(error instanceof AlationError);
    assert.equal(error.kind, "unavailable");
    assert.doesNotMatch(error.message, /does not answer as an Alation tenant/);
    server.setScript(
      tenantScript(
        { [`GET ${OPENAPI_PATH}`]: () => json(200, openApiDocument({})) },
        {
          [`GET ${CLIENTS_PATHS.a}c1/`]: () => json(200, { client_id: "c1", name: "app" }),
        },
      ),
    );
    assert.equal((await clientFor(server).get("c1")).status, "found");
  });

  describe("the document served", () => {
    it("one probe request per origin per process, shared by concurrent operations; B's paths and names", async () => {
      server = await startScriptedServer(
        tenantScript(
          { [`GET ${OPENAPI_PATH}`]: () => json(200, openApiDocument({ apiGeneration: "b" })) },
          {
            [`POST ${CLIENTS_PATHS.b}`]: created,
            [`GET ${CLIENTS_PATHS.b}c1/`]: () => json(200, { client_id: "c1", access_token_lifetime: 3600 }),
            [`PATCH ${CLIENTS_PATHS.b}c1/`]: (r) => json(200, { client_id: "c1", ...JSON.parse(r.body) }),
          },
        ),
        { tenant: "none" },
      );
      const lookups = await Promise.all([1, 2, 3, 4].map(() => clientFor(server).get("c1")));
      assert.deepEqual(
        lookups.map((lookup) => lookup.status === "found" && lookup.application.accessTokenExpiry),
        [3600, 3600, 3600, 3600],
      );
      const made = await clientFor(server).create(guideApplication({ name: "b-app" }));
      assert.equal(made.application.refreshTokenExpiry, guideApplication().refreshTokenExpiry, "B's answer read");
      await clientFor(server).update("c1", { accessTokenExpiry: 7200, pkceRequired: false });
      const probes = server.requests.filter((r) => path(r) === `GET ${OPENAPI_PATH}`);
      assert.equal(probes.length, 1);
      assert.equal(server.requests[0], probes[0], "the probe comes first");
      assert.equal(carriesCredential(probes[0]), false);
      const bodies = server.requests.filter((r) => r.method !== "GET").map((r) => Object.keys(JSON.parse(r.body)));
      assert.ok(bodies[0].includes("access_token_lifetime") && bodies[0].includes("pkce_enabled"), String(bodies[0]));
      assert.ok(!bodies[0].some((name) => name.endsWith("_expiry") || name === "pkce_required"), String(bodies[0]));
      assert.deepEqual(bodies[1], ["access_token_lifetime", "pkce_enabled"]);
    });

    it("uses the field names the document's schemas use, whatever its paths' generation", async () => {
      const document = {
        openapi: "3.1.0",
        paths: { [`${CLIENTS_PATHS.b}`]: {} },
        x: { properties: { pkce_required: {} } },
      };
      server = await startScriptedServer(
        tenantScript(
          { [`GET ${OPENAPI_PATH}`]: () => json(200, document) },
          { [`PATCH ${CLIENTS_PATHS.b}c1/`]: created },
        ),
        { tenant: "none" },
      );
      await clientFor(server).update("c1", { pkceRequired: true });
      assert.deepEqual(JSON.parse(server.requests[1].body), { pkce_required: true });
    });
  });

  describe("no document: the metadata proves Alation, then the generations are tried (A first)", () => {
    function noDocumentTenant(served: Record<string, (r: RecordedRequest) => ScriptedAnswer>) {
      return tenantScript({ [`GET ${METADATA_PATH}`]: () => json(200, METADATA(server.url)) }, served);
    }

    it("a tenant serving B: A's collection 404, B's 405, then B; remembered for the process", async () => {
      server = await startScriptedServer(() => DJANGO_404, { tenant: "none" });
      server.setScript(
        noDocumentTenant({
          [`GET ${CLIENTS_PATHS.b}`]: () => json(405, { detail: 'Method "GET" not allowed.' }),
          [`POST ${CLIENTS_PATHS.b}`]: created,
        }),
      );
      await clientFor(server).create(guideApplication());
      await clientFor(server).create(guideApplication({ name: "second" }));
      const seen = server.requests.map(path);
      assert.deepEqual(seen.slice(0, 5), [
        `GET ${OPENAPI_PATH}`,
        `GET ${METADATA_PATH}`,
        `GET ${CLIENTS_PATHS.a}`,
        `GET ${CLIENTS_PATHS.b}`,
        `POST ${CLIENTS_PATHS.b}`,
      ]);
      assert.equal(seen.filter((p) => p.startsWith("GET /")).length, 4, "learned once");
      assert.deepEqual(server.requests.slice(0, 2).filter(carriesCredential), []);
    });

    it("a tenant serving neither: a create says so; a read is unsupported", async () => {
      server = await startScriptedServer(() => DJANGO_404, { tenant: "none" });
      server.setScript(noDocumentTenant({}));
      const error = await clientFor(server)
        .create(guideApplication())
        .catch((e) => e);
      assert.ok(error instanceof AlationError);
      assert.match(error.message, /serves neither generation.*exists only on cloud-native Alation Cloud/);
      assert.equal((await clientFor(server).get("c1")).status, "unsupported");
    });
  });

  describe("generation B's secret rotation (not documented)", () => {
    it("where B serves none: says so, and what to do instead; a missing client stays a plain not-found", async () => {
      const tenant = await startTestTenant({ apiGeneration: "b", documentedOnly: true });
      const client = clientFor(tenant, { apiAccessToken: ADMIN_TOKEN });
      const { application } = await client.create(guideApplication());
      const error = await client.rotateSecret(application.clientId).catch((e) => e);
      assert.ok(error instanceof AlationError);
      assert.match(error.message, /generation B, \/integration\/core\/v1\/clients\/\) serves no secret rotation/);
      assert.match(error.message, /Admin Settings > User Management > OAuth Client Applications, "Rotate Secret"/);
      const served = await startTestTenant({ apiGeneration: "b" });
      const missing = await clientFor(served, { apiAccessToken: ADMIN_TOKEN })
        .rotateSecret("missing")
        .catch((e) => e);
      assert.equal(missing.kind, "not-found");
      assert.doesNotMatch(missing.message, /serves no secret rotation/);
    });
  });

  it("B's assumed DELETE: gone on DRF's 404 in JSON, never on Django's page for an unrouted path", async () => {
    const document = () => json(200, openApiDocument({ apiGeneration: "b" }));
    server = await startScriptedServer(
      tenantScript({ [`GET ${OPENAPI_PATH}`]: document }, { [`DELETE ${CLIENTS_PATHS.b}gone/`]: () => json(404, {}) }),
      { tenant: "none" },
    );
    assert.deepEqual(await clientFor(server).delete("gone"), { status: "gone" });
    const error = await clientFor(server)
      .delete("unrouted")
      .catch((e) => e);
    assert.ok(error instanceof AlationError, String(error));
    assert.equal(error.kind, "not-found");
  });

  describe("reading a document (its real shape is unknown)", () => {
    const cases: Array<[string, unknown, string[]]> = [
      ["A's paths", { paths: { [`${CLIENTS_PATHS.a}{client_id}/`]: {} } }, ["a"]],
      ["B's collection without its slash", { paths: { "/integration/core/v1/clients": {} } }, ["b"]],
      ["both", { paths: { [CLIENTS_PATHS.a]: {}, [CLIENTS_PATHS.b]: {} } }, ["a", "b"]],
      [
        "paths under a server's path",
        { servers: [{ url: "https://t.example/integration/core/v1" }], paths: { "/clients/": {} } },
        ["b"],
      ],
      [
        "a relative server",
        { servers: [{ url: "/integration/core/v1/oauth" }], paths: { "clients/{id}/": {} } },
        ["a"],
      ],
      ["other paths only", { paths: { "/oauth/v1/token/": {} } }, []],
      ["paths not an object", { paths: ["/integration/core/v1/clients/"] }, []],
      ["servers of any shape", { servers: [null, 5, { url: 7 }], paths: { [CLIENTS_PATHS.b]: {} } }, ["b"]],
    ];
    for (const [what, document, generations] of cases) {
      it(what, () => assert.deepEqual(readOpenApiDocument(document)?.generations, generations));
    }

    it("is no document when it is not an object", () => {
      for (const value of [undefined, null, "openapi", [1], 3]) assert.equal(readOpenApiDocument(value), undefined);
    });

    it("tells the field naming only when one generation's own names appear", () => {
      const naming = (names: string[]) =>
        readOpenApiDocument({ components: { a: { properties: Object.fromEntries(names.map((n) => [n, {}])) } } })
          ?.fieldNaming;
      assert.equal(naming(["name", "access_token_lifetime"]), "b");
      assert.equal(naming(["refresh_token_expiry"]), "a");
      assert.equal(naming(["pkce_enabled", "pkce_required"]), undefined);
      assert.equal(naming(["name", "client_type"]), undefined);
    });
  });
});
