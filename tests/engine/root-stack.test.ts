// The root stack (index.ts, as `npm start` runs it) through the real CLI against one emulated tenant: preview, up,
// a no-change up, an update in place, a secret rotation, drift seen by refresh, destroy; and what the CLI shows and
// stores of secrets along the way.
import * as assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { CLIENTS_PATH } from "../support/test-tenant";
import { describeEngine, EngineProject, EngineStack, RecordingTenant, repoRoot, verifyConnectors } from "./harness";

const APPLICATION = "pulumi-nodejs:dynamic/alation:OAuthApplication";

describeEngine("the root stack, one tenant", function () {
  const token = `root-admin-token-${randomBytes(12).toString("hex")}`;
  let tenant: RecordingTenant;
  let stack: EngineStack;
  const secretsSeen = new Set<string>();
  let flagBefore: string | undefined;

  async function clientOf(clientId: string) {
    const client = (await tenant.clients()).find((candidate) => candidate.client_id === clientId);
    assert.ok(client, `the tenant has no client ${clientId}`);
    secretsSeen.add(client.client_secret);
    return client;
  }

  before(async function () {
    tenant = await RecordingTenant.start(token);
    flagBefore = await tenant.jwtFlag();
    stack = await EngineProject.at(repoRoot).stack(
      {
        "alation:baseUrl": tenant.url,
        "alation:shell": JSON.stringify({ local: {} }),
        "alation:apiAccessToken": { secret: token },
      },
      { env: { ALATION_EMULATOR_URL: tenant.url } },
    );
  });
  after(async function () {
    await tenant?.stop();
  });

  it("preview plans the connector and makes no request to the tenant", async function () {
    tenant.reset();
    const { stdout } = await stack.preview();
    assert.match(stdout, /\+ 4 to create/);
    assert.deepEqual(tenant.requests(), []);
    assert.deepEqual(await tenant.clients(), []);
  });

  it("up creates the application and sets the JWT flag; the connector verifies", async function () {
    await stack.up();
    const outputs = await stack.outputs(true);
    assert.equal(outputs.remoteMcpServerUrl, `${tenant.url}/ai/mcp/`);
    assert.equal(outputs.connectorName, "Alation");
    const client = await clientOf(outputs.clientId);
    assert.equal(client.client_secret, outputs.clientSecret);
    assert.equal((await tenant.clients()).length, 1);
    assert.equal(await tenant.jwtFlag(), "True");
    const verified = await verifyConnectors(stack);
    assert.equal(verified.code, 0, verified.stdout + verified.stderr);
  });

  it("a second up changes nothing and makes no request", async function () {
    tenant.reset();
    const { stdout } = await stack.up();
    assert.match(stdout, /4 unchanged/);
    assert.doesNotMatch(stdout, /updated|created|deleted|replaced/);
    assert.deepEqual(tenant.requests(), []);
    assert.deepEqual(tenant.writes(), []);
  });

  it("an expiry change updates the application in place and keeps its client id", async function () {
    const before = await stack.outputs(true);
    await stack.setConfig({ "alation:accessTokenExpiry": "7200" });
    tenant.reset();
    const { stdout } = await stack.up();
    assert.match(stdout, /~ 1 updated/);
    const after = await stack.outputs(true);
    assert.equal(after.clientId, before.clientId);
    assert.equal(after.clientSecret, before.clientSecret);
    assert.equal((await clientOf(after.clientId)).access_token_expiry, 7200);
    assert.deepEqual(
      tenant.writes().map((line) => line.split(" ").slice(0, 2).join(" ")),
      [`PATCH ${CLIENTS_PATH}${after.clientId}/`],
    );
  });

  it("a secretVersion change rotates the secret: the tenant holds the new one, which works", async function () {
    const before = await stack.outputs(true);
    await stack.setConfig({ "alation:secretVersion": "2" });
    await stack.up();
    const after = await stack.outputs(true);
    assert.equal(after.clientId, before.clientId);
    assert.notEqual(after.clientSecret, before.clientSecret);
    assert.equal((await clientOf(after.clientId)).client_secret, after.clientSecret);
    const verified = await verifyConnectors(stack);
    assert.equal(verified.code, 0, verified.stdout + verified.stderr);
  });

  it("refresh shows a change made in Alation behind Pulumi's back, and records it", async function () {
    const { clientId } = await stack.outputs();
    const changed = await tenant.call("PATCH", `${CLIENTS_PATH}${clientId}/`, {
      json: { refresh_token_expiry: 604800 },
    });
    assert.equal(changed.status, 200, changed.text);
    const { stdout } = await stack.refresh();
    assert.match(stdout, /refreshTokenExpiry/);
    assert.match(stdout, /~ 1 updated/);
    const recorded = (await stack.resources()).find((resource) => resource.type === APPLICATION);
    assert.equal(recorded?.outputs?.refreshTokenExpiry, 604800);
    // The next up puts the program's value back.
    await stack.up();
    assert.equal((await clientOf(clientId)).refresh_token_expiry, 15552000);
  });

  it("stack export and stack output hold no secret or token in plaintext; --show-secrets shows it", async function () {
    const exported = await stack.exportText();
    const plain = await stack.outputs(false);
    const shown = await stack.outputs(true);
    assert.equal(plain.clientSecret, "[secret]");
    assert.equal(shown.clientSecret, (await clientOf(shown.clientId)).client_secret);
    for (const secret of [...secretsSeen, token]) {
      assert.ok(!exported.includes(secret), "stack export holds a secret in plaintext");
      assert.ok(!JSON.stringify(plain).includes(secret), "stack output holds a secret in plaintext");
    }
    const state = JSON.parse(exported).deployment;
    const application = state.resources.find((resource: { type: string }) => resource.type === APPLICATION);
    for (const field of ["clientSecret", "connection"]) {
      assert.ok(application.outputs[field].ciphertext, `${field} is stored encrypted`);
    }
  });

  it("destroy deletes the application and puts the JWT flag back to its previous value", async function () {
    await stack.destroy();
    assert.deepEqual(await tenant.clients(), []);
    assert.equal(await tenant.jwtFlag(), flagBefore);
    assert.deepEqual(await stack.resources(), []);
  });

  it("no command printed a client secret or the API token, but the one asked to show secrets", function () {
    const printed = stack.transcript
      .filter((command) => !command.args.includes("--show-secrets"))
      .map((command) => command.stdout + command.stderr)
      .join("\n");
    assert.ok(
      printed.includes("alation:OAuthApplication") || printed.includes("OAuthApplication"),
      "the transcript is there",
    );
    for (const secret of [...secretsSeen, token]) assert.ok(!printed.includes(secret), "a command printed a secret");
  });
});
