// A delete deletes only an application that is still the resource's (the engine suite, tests/engine/renames.test.ts,
// shows why through the CLI): an application a live resource of the run holds is left without a request; otherwise
// the recorded secret must still authenticate it at the token endpoint, or (the shell path) match in the same
// command. Through Pulumi's dynamic-provider server: one process for the file, serving each test's own tenant (as a
// multi-tenant run does); where only a later process can tell, the test starts one.
import { strict as assert } from "node:assert";
import { ADMIN_TOKEN, CLIENTS_PATH } from "../support/test-tenant";
import type { ProviderServer } from "../support/provider-server";
import { json, startScriptedServer } from "../support/scripted-http";
import {
  CLAUDE_REDIRECT_URIS,
  emulatorCommandEnv,
  startShellFixture,
  checkAndCreate,
  registeredInputs,
  startHarness,
  type Harness,
  type Props,
  startInstalledProviderServer,
  startSharedServer,
} from "../support/provider-harness";

describe("OAuthApplication delete: only what is still the resource's", function () {
  this.timeout(60000);
  let harness: Harness;
  let inputs: Props;
  const requests = async () =>
    (await harness.tenant.call("GET", "/__emulator/requests")).json.byRoute as Record<string, number>;

  // A resource with its default name; `pulumi up --replace` registers the same inputs again, created first.
  const inputsNamed = (resourceName: string, name?: string) =>
    registeredInputs(
      {
        connection: { baseUrl: harness.tenant.url, apiAccessToken: ADMIN_TOKEN },
        name,
        redirectUris: CLAUDE_REDIRECT_URIS,
      },
      resourceName,
    );
  const replacementInputs = () => inputsNamed("claude");

  // One provider process for the file, a tenant of its own for each test (startHarness).
  let server: ProviderServer;
  before(async () => (server = await startSharedServer()));
  after(async () => server?.kill());

  beforeEach(async () => {
    harness = await startHarness({ server });
    inputs = await inputsNamed("claude");
  });
  afterEach(async () => harness?.stop());

  it("proves the recorded secret at the token endpoint, then deletes", async () => {
    const created = await checkAndCreate(harness.server, inputs);
    await harness.tenant.call("DELETE", "/__emulator/requests");
    await harness.server.delete(created.id, created.properties);
    assert.deepEqual(await harness.clients(), []);
    assert.deepEqual(await requests(), {
      "POST /oauth/v1/token/": 1,
      "DELETE /integration/core/v1/oauth/clients/{client_id}/": 1,
    });
  });

  it("leaves an application whose secret was rotated since (taken over elsewhere), with a warning", async () => {
    const created = await checkAndCreate(harness.server, inputs);
    const rotated = await harness.tenant.call("POST", `${CLIENTS_PATH}${created.id}/rotate-secret/`);
    assert.equal(rotated.status, 200);
    await harness.server.delete(created.id, created.properties);
    assert.equal((await harness.clients()).length, 1, "the application is still there");
    const output = harness.output();
    assert.match(
      output,
      new RegExp(`not deleted: application ${created.id} at ${harness.tenant.url} no longer answers to the secret`),
    );
    assert.ok(
      !output.includes(String(created.properties.clientSecret)) && !output.includes(rotated.json.client_secret),
      "no secret in the log",
    );
  });

  it("leaves, without a request, an application that its replacement took over (pulumi up --replace)", async () => {
    const old = await checkAndCreate(harness.server, inputs);
    // The replacement, created first by the engine, meets the application under its own default name and takes it.
    const renamed = await checkAndCreate(harness.server, await replacementInputs());
    assert.equal(renamed.id, old.id);
    await harness.tenant.call("DELETE", "/__emulator/requests");
    await harness.server.delete(old.id, old.properties);
    assert.deepEqual(await requests(), {});
    const [client] = await harness.clients();
    assert.equal(client.client_secret, renamed.properties.clientSecret);
    assert.match(harness.output(), /not deleted: application \S+ is now managed by another resource of this stack/);
  });

  it("leaves it too in a later process, where only the token endpoint can tell (an interrupted replace)", async () => {
    const old = await checkAndCreate(harness.server, inputs);
    const adopted = await checkAndCreate(harness.server, await replacementInputs());
    assert.equal(adopted.id, old.id);
    const fresh = await startInstalledProviderServer();
    try {
      await fresh.configure({});
      await fresh.delete(old.id, old.properties);
    } finally {
      await fresh.kill();
    }
    const [client] = await harness.clients();
    assert.equal(client.client_secret, adopted.properties.clientSecret);
  });

  it("never takes an application it cannot show it made: an explicit name, or another resource's default", async () => {
    // What a person makes by hand with the connector guide's name and settings.
    const handMade = { json: await harness.tenant.createClient({ name: "alation-ai-hosted-mcp-server" }) };
    const other = await checkAndCreate(harness.server, await inputsNamed("other"));
    for (const [what, attempt] of [
      ["the guide's name, given", await inputsNamed("claude", "alation-ai-hosted-mcp-server")],
      ["another resource's default name, given", await inputsNamed("claude", String(other.properties.name))],
    ] as const) {
      await assert.rejects(checkAndCreate(harness.server, attempt), (error: Error) => {
        assert.match(error.message, /already exists/, what);
        assert.match(error.message, /Nothing shows that this stack made it/);
        assert.match(error.message, /set adoptClientId: "[^"]+"/);
        assert.match(error.message, /Admin Settings > User Management > OAuth Client Applications/);
        return true;
      });
    }
    const clients = await harness.clients();
    assert.equal(clients.length, 2, "nothing created");
    const handMadeNow = clients.find((client) => client.client_id === handMade.json.client_id);
    assert.equal(handMadeNow?.client_secret, handMade.json.client_secret, "the hand-made one's secret still works");
    const ours = await checkAndCreate(harness.server, inputs);
    assert.match(String(ours.properties.name), /^claude-[0-9a-f]{8}$/, "the default name is the resource's own");
    assert.equal((await harness.clients()).length, 3);
  });

  it("deletes a public or inactive client on the run's claims alone (the token endpoint cannot tell)", async () => {
    const outputs = { ...(await checkAndCreate(harness.server, inputs)).properties };
    for (const recorded of [
      { ...outputs, clientType: "public" },
      { ...outputs, isActive: false },
    ]) {
      await harness.tenant.call("DELETE", "/__emulator/requests");
      await harness.server.delete(String(outputs.clientId), recorded);
      assert.deepEqual(Object.keys(await requests()), ["DELETE /integration/core/v1/oauth/clients/{client_id}/"]);
    }
  });

  it("an application already gone is a success, and says nothing", async () => {
    const created = await checkAndCreate(harness.server, inputs);
    await harness.tenant.call("DELETE", `${CLIENTS_PATH}${created.id}/`);
    await harness.server.delete(created.id, created.properties);
    assert.doesNotMatch(harness.output(), /not deleted/);
  });

  it("a token endpoint whose answer proves nothing keeps the application; one in trouble fails", async () => {
    let tokenAnswer = json(404, { detail: "Not found." });
    const deleted: string[] = [];
    const tenant = await startScriptedServer((request) => {
      if (request.path === "/oauth/v1/token/") return tokenAnswer;
      if (request.method === "DELETE") deleted.push(request.path);
      if (request.method === "GET") return json(200, { client_id: "abc", name: "claude" });
      return json(204, {});
    });
    // The file's provider process: its output from here on.
    const printedBefore = server.output().length;
    try {
      const state = {
        ...inputs,
        connection: { baseUrl: tenant.url, apiAccessToken: ADMIN_TOKEN },
        name: "claude",
        clientId: "abc",
        clientSecret: "recorded-secret",
      };
      await server.delete("abc", state);
      assert.deepEqual(deleted, []);
      assert.match(server.output().slice(printedBefore), /the token endpoint's answer proves nothing: HTTP 404/);
      tokenAnswer = json(503, { detail: "down" });
      await assert.rejects(server.delete("abc", state), /503|unavailable/i);
      assert.deepEqual(deleted, []);
    } finally {
      await tenant.close();
    }
  });

  it("the shell path compares the secret in the same command (the right one deletes: tests/shell)", async () => {
    const fixture = await startShellFixture(async (tenant) => ({
      shell: { local: {} },
      serverEnv: emulatorCommandEnv(tenant.url),
    }));
    try {
      const shellInputs = {
        __provider: fixture.providers.oauthApplication,
        shell: fixture.shell,
        name: "by-shell",
        redirectUris: CLAUDE_REDIRECT_URIS,
      };
      const created = await fixture.server.create((await fixture.server.check({}, shellInputs)).inputs);
      const rotated = await fixture.tenant.call("POST", `${CLIENTS_PATH}${created.id}/rotate-secret/`);
      await fixture.server.delete(created.id, created.properties);
      assert.ok(
        (await fixture.tenant.state()).clients.some((client) => client.client_id === created.id),
        "kept",
      );
      assert.match(fixture.server.output(), /its client secret is no longer the one recorded/);
      assert.equal(rotated.status, 200);
    } finally {
      await fixture.stop();
    }
  });
});
