// The REST client's HTTP behaviour against scripted local servers: retries, Retry-After, timeouts, dropped
// connections, keep-alive, and errors that say what failed without any secret.
import { strict as assert } from "node:assert";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import * as net from "node:net";
import { AlationClient, AlationError, type ConnectionSettings } from "../../provider/alation";
import { send } from "../../provider/alation/http";
import { guideApplication } from "../support/connector-guide";
import { json, startScriptedServer, type ScriptedServer } from "../support/scripted-http";

const TOKEN = "api-access-token-0123456789";
const CLIENTS = "/integration/core/v1/oauth/clients/";
const FAST_RETRY = { attempts: 4, baseDelayMs: 5, maxDelayMs: 20, maxRetryAfterMs: 2000 };
const APP = guideApplication({ name: "app" });
const record = (id = "abc") => ({
  client_id: id,
  name: "app",
  client_type: "confidential",
  redirect_uris: APP.redirectUris,
});

function clientFor(server: { url: string }, extra: Partial<ConnectionSettings> = {}): AlationClient {
  return new AlationClient(
    { baseUrl: server.url, apiAccessToken: TOKEN, timeoutSeconds: 5, ...extra },
    { retry: FAST_RETRY },
  );
}

async function failure(promise: Promise<unknown>): Promise<AlationError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof AlationError, `expected an AlationError, got ${error}`);
    return error;
  }
  assert.fail("expected a failure");
}

describe("alation client: HTTP behaviour", function () {
  this.timeout(20000);
  let server: ScriptedServer;

  it("retries an idempotent call on 503, 502 and 504, then returns the answer", async () => {
    const statuses = [503, 502, 504];
    server = await startScriptedServer((_r, i) =>
      i < statuses.length ? json(statuses[i], { detail: "busy" }) : json(200, record()),
    );
    const lookup = await clientFor(server).get("abc");
    assert.equal(lookup.status, "found");
    assert.equal(server.requests.length, 4);
  });

  it("gives up after the bounded number of attempts and says what failed", async () => {
    server = await startScriptedServer(() => json(503, { detail: "maintenance" }));
    const error = await failure(clientFor(server).rotateSecret("abc"));
    assert.equal(server.requests.length, FAST_RETRY.attempts);
    assert.equal(error.kind, "unavailable");
    assert.equal(error.status, 503);
    assert.equal(error.call, `POST ${CLIENTS}abc/rotate-secret/`);
    assert.match(error.message, /maintenance/);
  });

  it("honours Retry-After on 429", async () => {
    server = await startScriptedServer((_r, i) =>
      i === 0 ? json(429, { detail: "slow down" }, { "Retry-After": "1" }) : json(200, record()),
    );
    const started = Date.now();
    await clientFor(server).get("abc");
    const elapsed = Date.now() - started;
    assert.ok(elapsed >= 950 && elapsed < 5000, `waited ${elapsed} ms`);
    assert.equal(server.requests.length, 2);
  });

  it("does not wait for a Retry-After beyond its bound: fails at once as throttled", async () => {
    server = await startScriptedServer(() => json(429, { detail: "slow down" }, { "Retry-After": "3600" }));
    const started = Date.now();
    const error = await failure(clientFor(server).get("abc"));
    assert.ok(Date.now() - started < 1000);
    assert.equal(error.kind, "throttled");
    assert.equal(server.requests.length, 1);
  });

  it("does not retry a licence quota ('entitlement') 429", async () => {
    server = await startScriptedServer(() => json(429, { error: "Entitlement limit exceeded", message: "quota" }));
    const error = await failure(clientFor(server).update("abc", { name: "x" }));
    assert.equal(server.requests.length, 1);
    assert.equal(error.kind, "throttled");
    assert.match(error.message, /entitlement/i);
  });

  it("never repeats a create that may have been processed (5xx, dropped connection)", async () => {
    server = await startScriptedServer(() => json(503, { detail: "upstream" }));
    const unavailable = await failure(clientFor(server).create(APP));
    assert.equal(server.requests.length, 1);
    assert.equal(unavailable.outcomeUnknown, true);

    server.setScript(() => "drop");
    const dropped = await failure(clientFor(server).create(APP));
    assert.equal(server.requests.length, 2);
    assert.equal(dropped.kind, "network");
    assert.equal(dropped.outcomeUnknown, true);
  });

  it("repeats a throttled create (a 429 is refused before it is processed)", async () => {
    server = await startScriptedServer((_r, i) =>
      i === 0
        ? json(429, { detail: "slow down" })
        : json(201, { ...record("new"), client_secret: "fresh-client-secret" }),
    );
    const created = await clientFor(server).create(APP);
    assert.equal(created.application.clientId, "new");
    assert.equal(server.requests.length, 2);
  });

  it("retries a dropped connection for idempotent calls", async () => {
    server = await startScriptedServer((_r, i) => (i === 0 ? "drop" : json(200, record())));
    assert.equal((await clientFor(server).get("abc")).status, "found");
    assert.equal(server.requests.length, 2);
  });

  it("reports a refused connection as network, with the outcome known (nothing was sent)", async () => {
    const port = await closedPort();
    server = await startScriptedServer(() => json(200, {}));
    const error = await failure(clientFor({ url: `http://127.0.0.1:${port}` }).create(APP));
    assert.equal(error.kind, "network");
    assert.equal(error.outcomeUnknown, false);
    assert.match(error.message, /ECONNREFUSED/);
  });

  it("bounds every attempt by timeoutSeconds", async () => {
    server = await startScriptedServer(() => "hang");
    const started = Date.now();
    const error = await failure(clientFor(server, { timeoutSeconds: 0.3 }).create(APP));
    assert.equal(error.kind, "timeout");
    assert.equal(error.outcomeUnknown, true);
    assert.equal(server.requests.length, 1, "a create that timed out is not repeated");
    const read = await failure(clientFor(server, { timeoutSeconds: 0.3 }).delete("abc"));
    assert.equal(read.kind, "timeout");
    assert.equal(server.requests.length, 1 + FAST_RETRY.attempts);
    assert.ok(Date.now() - started < 5000);
  });

  it("reads at most 1 MiB of an answer, whether its length is declared or not", async () => {
    const small = JSON.stringify(record());
    const big = JSON.stringify({ detail: "x".repeat(2 << 20) });
    const raw = http.createServer((request, response) => {
      const body = request.url === "/small" ? small : big;
      // Declared: a Content-Length (end() alone declares it); else written first, so sent chunked, its length
      // unknown until it ends.
      if (request.url === "/chunked") response.write(body);
      response.end(request.url === "/chunked" ? undefined : body);
    });
    await new Promise<void>((resolve) => raw.listen(0, "127.0.0.1", resolve));
    try {
      const origin = `http://127.0.0.1:${(raw.address() as AddressInfo).port}`;
      const target = { origin, timeoutMs: 5000, retry: FAST_RETRY };
      const answered = (path: string) => send(target, { method: "GET", path, retry: "idempotent", secrets: [] });
      assert.deepEqual((await answered("/small")).json, record());
      for (const path of ["/declared", "/chunked"]) {
        const answer = await answered(path);
        assert.ok(answer.text.length <= 1 << 20, `${path}: ${answer.text.length} characters`);
        assert.equal(answer.json, undefined, path);
      }
    } finally {
      raw.closeAllConnections();
      await new Promise((resolve) => raw.close(resolve));
    }
  });

  it("keeps connections alive, shared by every client of the same origin", async () => {
    server = await startScriptedServer(() => json(200, record()));
    for (let i = 0; i < 10; i++) await clientFor(server).get("abc");
    await clientFor(server).update("abc", { name: "app" });
    assert.equal(server.requests.length, 11);
    // undici may open a second socket while the first one finishes an answer; it never opens one per call.
    assert.ok(server.connections() <= 2, `${server.connections()} connections for 11 sequential calls`);
  });

  it("follows a same-origin redirect to the path without its trailing slash", async () => {
    server = await startScriptedServer((r) =>
      r.path.endsWith("/") ? { status: 308, headers: { location: r.path.slice(0, -1) } } : json(200, record()),
    );
    const updated = await clientFor(server).update("abc", { name: "app" });
    assert.equal(updated.name, "app");
    assert.deepEqual(
      server.requests.map((r) => `${r.method} ${r.path}`),
      [`PATCH ${CLIENTS}abc/`, `PATCH ${CLIENTS}abc`],
    );
  });

  it("says what failed, with Alation's message and field errors, and never a secret", async () => {
    const secret = "s3cr3t-client-secret-value";
    const jwt = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl";
    server = await startScriptedServer(() =>
      json(400, {
        detail: `bad request for token ${TOKEN}`,
        client_secret: [secret],
        redirect_uris: [`not allowed: Bearer ${jwt}`, "http redirect URIs are allowed only for localhost"],
        access_token_expiry: ["Ensure this value is less than or equal to 259200."],
      }),
    );
    const error = await failure(clientFor(server).create(APP));
    assert.equal(error.kind, "validation");
    assert.equal(error.status, 400);
    assert.equal(error.call, `POST ${CLIENTS}`);
    assert.match(error.message, /localhost/);
    assert.match(error.message, /access_token_expiry: Ensure this value is less than or equal to 259200/);
    assert.ok(error.fieldErrors?.redirect_uris);
    const everything = `${error.message} ${JSON.stringify(error)} ${error.stack}`;
    for (const leaked of [TOKEN, secret, jwt]) assert.ok(!everything.includes(leaked), `leaked ${leaked}`);
  });

  it("maps statuses to kinds: auth, not-found, conflict", async () => {
    const answers: Record<string, ReturnType<typeof json>> = {
      PATCH: json(403, { detail: "You do not have permission to perform this action." }),
      POST: json(400, { name: ["application with this name already exists."] }),
      DELETE: json(500, { error: "boom" }),
    };
    server = await startScriptedServer((r) => answers[r.method]);
    assert.equal((await failure(clientFor(server).update("abc", { name: "x" }))).kind, "auth");
    assert.equal((await failure(clientFor(server).create(APP))).kind, "conflict");
    assert.equal((await failure(clientFor(server).delete("abc"))).kind, "unavailable");
  });

  it("treats a DELETE answered 404 as done (the client is gone already)", async () => {
    server = await startScriptedServer(() => json(404, { detail: "Not found." }));
    await clientFor(server).delete("gone");
    assert.equal(server.requests.length, 1);
  });
});

/** A port with nothing listening on it. */
async function closedPort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
  const { port } = probe.address() as net.AddressInfo;
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  return port;
}
