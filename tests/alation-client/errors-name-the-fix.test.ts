// Errors that name the fix (issue 24): a tenant that is down, a refused token, a server error's page, and delete's
// ownership check running out of time. Each message says what failed and what to do, and holds no secret.
import { strict as assert } from "node:assert";
import { AlationClient, AlationError, closeHttpPools, type ConnectionSettings } from "../../provider/alation";
import { configure, oauthApplication } from "../../provider/runtime";
import { guideApplication } from "../support/connector-guide";
import { freePort } from "../support/ports";
import { json, startScriptedServer } from "../support/scripted-http";
import { CLIENTS_PATH, ADMIN_TOKEN, startTestTenant } from "../support/test-tenant";

const TOKEN = "api-access-token-0123456789";
const ONE_ATTEMPT = { attempts: 1, baseDelayMs: 5, maxDelayMs: 5, maxRetryAfterMs: 0 };
const DJANGO_500 =
  "<html><head><title>Server Error (500)</title></head><body><h1>Server Error (500)</h1></body></html>";

function clientFor(url: string, extra: Partial<ConnectionSettings> = {}): AlationClient {
  return new AlationClient(
    { baseUrl: url, apiAccessToken: TOKEN, timeoutSeconds: 5, ...extra },
    { retry: ONE_ATTEMPT },
  );
}

async function failure(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof Error, `expected an Error, got ${error}`);
    assert.ok(!error.message.includes(TOKEN), "no token in the message");
    return error;
  }
  assert.fail("expected a failure");
}

/** How often `part` occurs in `text`. */
function occurrences(text: string, part: string): number {
  return text.split(part).length - 1;
}

describe("alation client: errors that name the fix", function () {
  this.timeout(30000);
  const savedEnv = { ...process.env };
  before(async () => {
    for (const key of Object.keys(process.env)) if (key.startsWith("ALATION_")) delete process.env[key];
    await configure({ config: { get: () => undefined } });
  });
  after(async () => {
    process.env = savedEnv;
    await closeHttpPools();
  });

  it("a tenant that is down: is it up, and check baseUrl's host and port", async () => {
    const port = await freePort();
    const error = await failure(clientFor(`http://127.0.0.1:${port}`).create(guideApplication({ name: "a" })));
    assert.ok(error instanceof AlationError && error.kind === "network", error.message);
    assert.match(error.message, new RegExp(`connect ECONNREFUSED 127\\.0\\.0\\.1:${port}`));
    assert.ok(
      error.message.endsWith(
        `nothing accepts connections at 127.0.0.1:${port}: is the tenant up? Check the host and port of baseUrl ` +
          "(connection.baseUrl, stack config alation:baseUrl or ALATION_BASE_URL)",
      ),
      error.message,
    );
  });

  for (const status of [401, 403]) {
    it(`a refused API access token (${status}): which token is needed, and where it goes`, async () => {
      const server = await startScriptedServer(() => json(status, { detail: "Invalid token." }));
      const error = await failure(clientFor(server.url).create(guideApplication({ name: "a" })));
      assert.ok(
        error.message.endsWith(
          `failed (${status} auth); Invalid token.; the API access token was refused: it must be a current ` +
            "API access token of a Server Admin, given as connection.apiAccessToken, stack config " +
            "alation:apiAccessToken or ALATION_API_ACCESS_TOKEN",
        ),
        error.message,
      );
    });
  }

  it("a refresh token's user refused (403): the user must be a Server Admin", async () => {
    const server = await startScriptedServer((request) =>
      request.path.startsWith("/integration/v1/createAPIAccessToken/")
        ? json(200, { api_access_token: "made-token-value" })
        : json(403, { detail: "You do not have permission to perform this action." }),
    );
    const client = new AlationClient(
      { baseUrl: server.url, refreshToken: "refresh-token-value", userId: 7 },
      { retry: ONE_ATTEMPT },
    );
    const error = await failure(client.create(guideApplication({ name: "a" })));
    assert.match(error.message, /the refresh token's user must be a Server Admin$/);
    assert.ok(!error.message.includes("made-token-value") && !error.message.includes("refresh-token-value"));
  });

  it("a server error's page is quoted once", async () => {
    const server = await startScriptedServer(() => ({ status: 500, text: DJANGO_500 }));
    const error = await failure(clientFor(server.url).update("abc", { name: "b" }));
    assert.match(error.message, /failed \(500 unavailable\); Server Error \(500\)$/);
    assert.equal(occurrences(error.message, "Server Error (500)"), 1, error.message);
  });

  it("a create answered 500 each time: failed 3 times, not 'without an answer'", async () => {
    const tenant = await startTestTenant({ faults: { rate: 1, kinds: ["500"], routes: `^POST ${CLIENTS_PATH}$` } });
    try {
      const connection = { baseUrl: tenant.url, apiAccessToken: ADMIN_TOKEN };
      const error = await failure(oauthApplication.create({ connection, name: "a", redirectUris: [] }));
      const said = error.message;
      assert.match(
        said,
        /^Creating the OAuth application "a" at \S+ failed 3 times \(last: Alation POST \S+ at \S+ /,
        said,
      );
      assert.ok(
        said.includes(" failed (500 unavailable); Server Error (500)). No application of this name exists"),
        said,
      );
      assert.ok(!error.message.includes("without an answer"), error.message);
      assert.equal(occurrences(error.message, "Server Error (500)"), 1, error.message);
    } finally {
      await tenant.stop();
    }
  });

  it("delete's ownership check that times out says that this is what timed out", async () => {
    const tokenEndpoint = "/oauth/v1/token/";
    const server = await startScriptedServer((request) => (request.path === tokenEndpoint ? "hang" : json(204, {})));
    const client = clientFor(server.url, { timeoutSeconds: 0.5 });
    const error = await failure(client.delete("abc", { expectedSecret: "recorded-client-secret" }));
    assert.ok(error instanceof AlationError && error.kind === "timeout", error.message);
    const step =
      "Not deleted: the ownership check of application abc (does its recorded secret work at /oauth/v1/token/?)";
    assert.ok(error.message.startsWith(`${step} timed out: Alation POST /oauth/v1/token/ at `), error.message);
    assert.ok(error.message.endsWith(" failed (timeout); no answer within 0.5 s"), error.message);
    assert.ok(!error.message.includes("recorded-client-secret"));
    assert.ok(!server.requests.some((request) => request.method === "DELETE"), "nothing deleted");
  });
});
