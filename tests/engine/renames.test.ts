// Renames and replaces through the real engine, which creates the new resource before it deletes the old one (a new
// URN without aliases, `pulumi up --replace`). Each must leave exactly one application, whose recorded secret works,
// and the JWT flag on; no sequence may delete an application the stack still records: not an interrupted rename
// completed by the next up, not a targeted destroy of what it left (a second stack's destroy: ownership.test.ts).
import * as assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { describeEngine, EngineProject, EngineStack, RecordingTenant, verifyConnectors } from "./harness";
import { docsQuote } from "../support/docs";

const APPLICATION = "pulumi-nodejs:dynamic/alation:OAuthApplication";
const FLAG = "pulumi-nodejs:dynamic/alation:FeatureFlag";
const COMPONENT = "alation:index:AlationClaudeConnector";

// A connector whose resource name and aliases come from config, its flag through the local shell (the emulator's
// alation_conf), its application over REST.
const PROGRAM = `
const pulumi = require("@pulumi/pulumi");
const { AlationClaudeConnector } = require("pulumi-alation");
const config = new pulumi.Config();
const connector = new AlationClaudeConnector(
  config.require("name"),
  { connection: { baseUrl: config.require("baseUrl") }, shell: { local: {} } },
  { aliases: config.getObject("aliases") },
);
module.exports = {
  connectorName: connector.connectorName,
  remoteMcpServerUrl: connector.remoteMcpServerUrl,
  clientId: connector.clientId,
  clientSecret: connector.clientSecret,
};
`;

export function renameProject(): EngineProject {
  return EngineProject.inUserProject("renames", {
    "Pulumi.yaml":
      "name: alation-renames\nruntime:\n  name: nodejs\n  options:\n    typescript: false\nmain: index.js\n",
    "index.js": PROGRAM,
  });
}

describeEngine("renames and replaces", function () {
  const token = `renames-admin-token-${randomBytes(12).toString("hex")}`;
  let project: EngineProject;
  const tenants: RecordingTenant[] = [];

  /** A connector named `claude` on a fresh tenant (JWT flag off before). */
  async function connectorStack(): Promise<{ stack: EngineStack; tenant: RecordingTenant }> {
    const tenant = await RecordingTenant.start(token);
    tenants.push(tenant);
    assert.equal(await tenant.jwtFlag(), "False");
    const stack = await project.stack(
      {
        "alation-renames:name": "claude",
        "alation-renames:baseUrl": tenant.url,
        "alation:apiAccessToken": { secret: token },
      },
      { env: { ALATION_EMULATOR_URL: tenant.url } },
    );
    await stack.up();
    return { stack, tenant };
  }

  /**
   * Exactly one application, the one the stack records, whose secret works (verify passes); the flag on, unless
   * `flagOn` is false (then verify logs no user in: the tokens are JWTs only with the flag on).
   */
  async function assertOneWorkingApplication(
    stack: EngineStack,
    tenant: RecordingTenant,
    flagOn = true,
  ): Promise<void> {
    const outputs = await stack.outputs(true);
    const clients = await tenant.clients();
    assert.equal(clients.length, 1, `the tenant holds ${clients.length} applications`);
    assert.equal(clients[0].client_id, outputs.clientId, "the stack records the tenant's application");
    assert.equal(clients[0].client_secret, outputs.clientSecret, "the stack records its working secret");
    if (flagOn) assert.equal(await tenant.jwtFlag(), "True", "the JWT flag is on");
    const verified = await verifyConnectors(stack, { login: flagOn });
    assert.equal(verified.code, 0, verified.stdout + verified.stderr);
  }

  /** Destroy then leaves the tenant empty and the flag as it was before the first up. */
  async function assertDestroyRestores(stack: EngineStack, tenant: RecordingTenant): Promise<void> {
    await stack.destroy();
    assert.deepEqual(await tenant.clients(), []);
    assert.equal(await tenant.jwtFlag(), "False");
  }

  before(function () {
    project = renameProject();
  });
  after(async function () {
    await Promise.all(tenants.map((tenant) => tenant.stop()));
  });

  // One stack for both renames (each up costs about 5 s of CPU): the aliased one leaves the stack as a fresh one.
  it("renamed with aliases: nothing written; then without: a new application, the old one deleted", async function () {
    const { stack, tenant } = await connectorStack();
    const before = await stack.outputs(true);
    await stack.setConfig({
      "alation-renames:name": "claude-renamed",
      "alation-renames:aliases": JSON.stringify([{ name: "claude" }]),
    });
    tenant.reset();
    const aliased = await stack.up();
    assert.doesNotMatch(aliased.stdout, /created|deleted|replaced/);
    assert.deepEqual(tenant.writes(), []);
    await assertOneWorkingApplication(stack, tenant);

    await stack.setConfig({ "alation-renames:name": "claude-moved", "alation-renames:aliases": "[]" });
    const { stdout } = await stack.up();
    assert.match(stdout, /\+ 3 created/);
    assert.match(stdout, /- 3 deleted/);
    assert.doesNotMatch(stdout, /not deleted|found its own application/);
    const flagKept = "not put back to false: another FeatureFlag of this stack holds it now";
    assert.ok(stdout.includes(flagKept) && docsQuote(flagKept), stdout);
    await assertOneWorkingApplication(stack, tenant);
    assert.notEqual((await stack.outputs()).clientId, before.clientId, "the renamed resource's own application");
    // The renamed flag found the flag on, so that is what it puts back; the first one's value is not restored.
    await stack.destroy();
    assert.deepEqual(await tenant.clients(), []);
  });

  // One stack for both replaces; destroy then restores what the first up found.
  it("--replace of the application, then of the flag: one working application; destroy restores", async function () {
    const { stack, tenant } = await connectorStack();
    const replaced = await stack.up(["--replace", await stack.urnOf(APPLICATION, "claude-application")]);
    // Created first, the replacement meets the application under its own default name and takes it over; the old
    // resource's delete then leaves it, without a request.
    const notDeleted = /alation:OAuthApplication "[^"]+": not deleted: application (\S+) is now managed by [^\n]+/;
    const kept = notDeleted.exec(replaced.stdout);
    assert.ok(kept, replaced.stdout);
    // The default name's suffix (a hash of the stack and resource) is a placeholder in the docs.
    const quoted = kept[0]
      .replace(kept[1], "<client id>")
      .replace(/"alation-ai-hosted-mcp-server-[0-9a-f]+"/, '"alation-ai-hosted-mcp-server-<suffix>"');
    assert.ok(docsQuote(quoted), quoted);
    await assertOneWorkingApplication(stack, tenant);

    await stack.up(["--replace", await stack.urnOf(FLAG, "claude-jwt-flag")]);
    await assertOneWorkingApplication(stack, tenant);
    await assertDestroyRestores(stack, tenant);
  });

  /**
   * Renames the connector to claude-renamed and stops where an interrupted run would: the new resources created
   * (a targeted up), the old ones still in state. Returns the old component's URN.
   */
  async function interruptedRename(stack: EngineStack): Promise<string> {
    await stack.setConfig({ "alation-renames:name": "claude-renamed" });
    const oldComponent = await stack.urnOf(COMPONENT, "claude");
    const prefix = oldComponent.replace(/::claude$/, "");
    const renamed = [
      `${prefix}::claude-renamed`,
      `${prefix}$${FLAG}::claude-renamed-jwt-flag`,
      `${prefix}$${APPLICATION}::claude-renamed-application`,
    ];
    await stack.up(renamed.flatMap((urn) => ["--target", urn]));
    assert.equal((await stack.resources()).filter((resource) => resource.type === APPLICATION).length, 2);
    return oldComponent;
  }

  it("a rename interrupted after the new resources were created, completed by the next up", async function () {
    const { stack, tenant } = await connectorStack();
    await interruptedRename(stack);
    await stack.up();
    await assertOneWorkingApplication(stack, tenant);
  });

  it("a targeted destroy of an interrupted rename's leftovers keeps the application in use", async function () {
    const { stack, tenant } = await connectorStack();
    const oldComponent = await interruptedRename(stack);
    await stack.destroy(["--target", oldComponent, "--target-dependents"]);
    // The old flag's delete put its previous value back (no FeatureFlag can tell another stack's or resource's
    // claim from outside the run): `pulumi up --refresh` sets it again, as the README says.
    await assertOneWorkingApplication(stack, tenant, false);
    await stack.up(["--refresh"]);
    await assertOneWorkingApplication(stack, tenant);
  });
});
