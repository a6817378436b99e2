// Whose application, through the real CLI: a stack acts on evidence from the tenant, never on a name. Each case of the
// issue that found the provider taking, rotating or deleting what was not its own ends with no application lost or
// broken: a hand-made application with the guide's name and settings, two stacks on one tenant, a mistyped baseUrl,
// and a bad option met by `up --skip-preview`.
import * as assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import type { EmulatorOptions } from "../../emulator";
import { describeEngine, EngineProject, EngineStack, RecordingTenant } from "./harness";
import { docsQuote } from "../support/docs";

// A connector with the defaults; the tenant and the options that vary come from config.
const PROGRAM = `
const pulumi = require("@pulumi/pulumi");
const { AlationClaudeConnector } = require("pulumi-alation");
const config = new pulumi.Config();
const connector = new AlationClaudeConnector("claude", {
  connection: { baseUrl: config.require("baseUrl") },
  applicationName: config.get("applicationName"),
  mcpServerId: config.get("mcpServerId"),
  accessTokenExpiry: config.getNumber("accessTokenExpiry"),
});
module.exports = {
  connectorName: connector.connectorName,
  remoteMcpServerUrl: connector.remoteMcpServerUrl,
  clientId: connector.clientId,
  clientSecret: connector.clientSecret,
};
`;

// A connector on each tenant of a list, with the same options.
const GENERATIONS_PROGRAM = `
const pulumi = require("@pulumi/pulumi");
const { AlationClaudeConnector } = require("pulumi-alation");
const config = new pulumi.Config();
const connectors = config.requireObject("baseUrls").map(
  (baseUrl, index) =>
    new AlationClaudeConnector(\`claude-\${index}\`, {
      connection: { baseUrl },
      accessTokenExpiry: config.getNumber("accessTokenExpiry"),
    }),
);
module.exports = {
  clientIds: connectors.map((connector) => connector.clientId),
  clientSecrets: connectors.map((connector) => connector.clientSecret),
};
`;

/** A web server that is not Alation (an nginx page for every path), recording what it was sent. */
async function startNotAlation(): Promise<{ url: string; seen: string[]; close(): Promise<void> }> {
  const seen: string[] = [];
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (chunk) => (body += chunk));
    req.on("end", () => {
      seen.push(`${req.method} ${req.url}\n${JSON.stringify(req.headers)}\n${body}`);
      res.writeHead(404, { "Content-Type": "text/html", Server: "nginx" });
      res.end("<html><head><title>404 Not Found</title></head><body><center><h1>404 Not Found</h1></center></body>");
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    seen,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

describeEngine("whose application: evidence, never a name", function () {
  const token = `ownership-admin-token-${randomBytes(12).toString("hex")}`;
  let project: EngineProject;
  const tenants: RecordingTenant[] = [];

  async function freshTenant(options: Partial<EmulatorOptions> = {}): Promise<RecordingTenant> {
    const tenant = await RecordingTenant.start(token, options);
    tenants.push(tenant);
    return tenant;
  }

  function stackOn(tenant: { url: string }, extra: Record<string, string> = {}): Promise<EngineStack> {
    return project.stack({
      "alation-ownership:baseUrl": tenant.url,
      "alation:apiAccessToken": { secret: token },
      ...Object.fromEntries(Object.entries(extra).map(([key, value]) => [`alation-ownership:${key}`, value])),
    });
  }

  /** The stack's recorded application: present in the tenant, with the recorded secret, which the tenant accepts. */
  async function assertOwnWorks(stack: EngineStack, tenant: RecordingTenant): Promise<string> {
    const outputs = await stack.outputs(true);
    const client = (await tenant.clients()).find((candidate) => candidate.client_id === outputs.clientId);
    assert.ok(client, `the stack ${stack.name}'s application exists`);
    assert.equal(client.client_secret, outputs.clientSecret, `the stack ${stack.name}'s recorded secret works`);
    return String(outputs.clientId);
  }

  before(function () {
    project = EngineProject.inUserProject("ownership", {
      "Pulumi.yaml":
        "name: alation-ownership\nruntime:\n  name: nodejs\n  options:\n    typescript: false\nmain: index.js\n",
      "index.js": PROGRAM,
    });
  });
  after(async function () {
    await Promise.all(tenants.map((tenant) => tenant.stop()));
  });

  it("1. a hand-made application with the guide's name and settings: untouched by up and destroy", async function () {
    const tenant = await freshTenant();
    const handMade = await tenant.tenant.createClient({ name: "alation-ai-hosted-mcp-server" });
    const stack = await stackOn(tenant);
    const { stdout } = await stack.up();
    assert.doesNotMatch(stdout, /found its own application|taken over|adopt/i);
    const ours = await assertOwnWorks(stack, tenant);
    assert.notEqual(ours, handMade.client_id, "a new application of the stack's own");
    const hand = () => tenant.clients().then((all) => all.find((c) => c.client_id === handMade.client_id));
    assert.equal((await hand())?.client_secret, handMade.client_secret, "the hand-made one's secret still works");
    await stack.destroy();
    const left = await tenant.clients();
    assert.deepEqual(
      left.map((client) => [client.client_id, client.client_secret]),
      [[handMade.client_id, handMade.client_secret]],
      "destroy deleted the stack's application only",
    );

    // Named explicitly after it: refused at up, naming adoptClientId and the client id; nothing changes.
    const named = await stackOn(tenant, { applicationName: "alation-ai-hosted-mcp-server" });
    const refused = await named.up([], { allowFailure: true });
    assert.notEqual(refused.code, 0);
    const text = refused.stdout + refused.stderr;
    assert.ok(text.includes(`set adoptClientId: "${handMade.client_id}"`), text);
    assert.match(text, /Admin Settings > User Management > OAuth Client Applications/);
    assert.equal((await hand())?.client_secret, handMade.client_secret);
    assert.equal((await tenant.clients()).length, 1);
  });

  it("2. two stacks on one tenant stay apart; a secret rotated elsewhere is found by refresh", async function () {
    const tenant = await freshTenant();
    const staging = await stackOn(tenant);
    const prod = await stackOn(tenant);
    await staging.up();
    await prod.up();
    assert.equal((await tenant.clients()).length, 2, "one application per stack");
    const stagingId = await assertOwnWorks(staging, tenant);
    const prodId = await assertOwnWorks(prod, tenant);
    assert.notEqual(stagingId, prodId);
    const stagingNames = (await tenant.clients()).map((client) => String(client.name));
    assert.equal(new Set(stagingNames).size, 2, `names of their own: ${stagingNames.join(", ")}`);

    // Someone rotates staging's secret in Alation's admin UI: refresh says so, and up issues a new one.
    const rotated = await tenant.call("POST", `/integration/core/v1/oauth/clients/${stagingId}/rotate-secret/`);
    assert.equal(rotated.status, 200);
    const refresh = await staging.refresh();
    const warning = /the client secret recorded for application \S+ at \S+ no longer works \([^)]*\)[^\n]*/.exec(
      refresh.stdout,
    );
    assert.ok(warning, refresh.stdout);
    assert.match(refresh.stdout, /~ 1 updated/, "the drift is shown, not reported unchanged");
    const up = await staging.up();
    assert.match(up.stdout, /1 updated/);
    await assertOwnWorks(staging, tenant);
    await assertOwnWorks(prod, tenant);
    assert.ok(docsQuote("no longer works"), "the README names the refresh warning");
    await staging.destroy();
    await assertOwnWorks(prod, tenant);
    await prod.destroy();
    assert.deepEqual(await tenant.clients(), []);
  });

  it("3. a mistyped baseUrl fails before any delete, and sends no token to the server at it", async function () {
    const tenant = await freshTenant();
    const notAlation = await startNotAlation();
    try {
      const stack = await stackOn(tenant);
      await stack.up();
      const before = await assertOwnWorks(stack, tenant);
      await stack.setConfig({ "alation-ownership:baseUrl": notAlation.url });
      const failed = await stack.up([], { allowFailure: true });
      assert.notEqual(failed.code, 0);
      const text = failed.stdout + failed.stderr;
      assert.match(text, /baseUrl/, "the message names baseUrl");
      assert.equal(
        await assertOwnWorks(stack, tenant),
        before,
        "the working application is still there, and its secret",
      );
      assert.equal((await tenant.clients()).length, 1);
      for (const request of notAlation.seen) assert.ok(!request.includes(token), `the token was sent: ${request}`);
      assert.ok(!text.includes(token), "no token printed");
    } finally {
      await notAlation.close();
    }
  });

  it("4. a bad option is refused at preview and at up --skip-preview, with nothing created", async function () {
    const tenant = await freshTenant();
    const stack = await stackOn(tenant, { mcpServerId: "../../admin" });
    for (const attempt of [() => stack.preview(), () => stack.up(["--skip-preview"], { allowFailure: true })]) {
      const result = await attempt().catch((error: { result?: { stdout: string; stderr: string; code: number } }) => {
        if (!error.result) throw error;
        return error.result;
      });
      assert.notEqual(result.code, 0);
      const text = result.stdout + result.stderr;
      assert.match(text, /AlationClaudeConnector claude: mcpServerId must be one path segment/);
      assert.doesNotMatch(text, /^\s+at .+:\d+:\d+\)?$/m, "no stack trace");
      assert.doesNotMatch(text, /(AlationClaudeConnector|OAuthApplication|FeatureFlag) \S+ creat/, "only the stack");
    }
    assert.deepEqual(await tenant.clients(), [], "nothing created in the tenant");
  });

  // Both documented generations of the OAuth client API, told apart by the tenant's /openapi/oauth2/ document or,
  // without one, by a 404 (../shared/alation-api.md section 2). Generation A with its document: every other case.
  // One stack over three tenants, one of each kind: a connector per tenant, as a multi-tenant stack has them.
  it("5. the lifecycle through the CLI: generation B with and without its document, A without", async function () {
    const modes = [
      { apiGeneration: "b", openApi: true },
      { apiGeneration: "b", openApi: false },
      { apiGeneration: "a", openApi: false },
    ] as const;
    const generations = await Promise.all(modes.map((mode) => freshTenant(mode)));
    const multiTenant = EngineProject.inUserProject("generations", {
      "Pulumi.yaml":
        "name: alation-generations\nruntime:\n  name: nodejs\n  options:\n    typescript: false\nmain: index.js\n",
      "index.js": GENERATIONS_PROGRAM,
    });
    const stack = await multiTenant.stack({
      "alation-generations:baseUrls": JSON.stringify(generations.map((tenant) => tenant.url)),
      "alation:apiAccessToken": { secret: token },
    });
    await stack.up();
    const { clientIds, clientSecrets } = await stack.outputs(true);
    // The emulator keeps its model's names, whichever generation its API speaks.
    const own = async (index: number) =>
      (await generations[index].clients()).find((client) => client.client_id === clientIds[index]);
    for (const [index, mode] of modes.entries()) {
      const label = JSON.stringify(mode);
      assert.equal((await own(index))?.client_secret, clientSecrets[index], `${label}: the recorded secret works`);
      assert.equal((await own(index))?.access_token_expiry, 86400, label);
    }
    await stack.setConfig({ "alation-generations:accessTokenExpiry": "7200" });
    assert.match((await stack.up()).stdout, /3 updated/);
    for (const [index, mode] of modes.entries()) {
      assert.equal((await own(index))?.access_token_expiry, 7200, `${JSON.stringify(mode)}: the new lifetime`);
    }
    const refreshed = (await stack.refresh()).stdout;
    assert.match(refreshed, /unchanged/);
    assert.doesNotMatch(refreshed, /updated/);
    await stack.destroy();
    for (const tenant of generations) assert.deepEqual(await tenant.clients(), []);
  });
});
