// Resource options the engine cannot apply to dynamic resources, through the real CLI. The engine gives a dynamic
// resource's read no `__provider` (pulumi/pulumi issues 3550 and 16175), so neither `pulumi import` nor the `import`
// resource option can work: the option fails at construction naming adoptClientId, and `pulumi import` fails without
// touching the tenant or the state. And Pulumi's dynamic-provider server reports no changed properties, so
// `replaceOnChanges` never replaces.
import * as assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { CLIENTS_PATH } from "../support/test-tenant";
import { guideClient } from "../support/connector-guide";
import { describeEngine, EngineProject, EngineStack, RecordingTenant } from "./harness";
import { docsQuote } from "../support/docs";

const PROGRAM = `
const pulumi = require("@pulumi/pulumi");
const { OAuthApplication, FeatureFlag } = require("pulumi-alation");
const config = new pulumi.Config();
const kind = config.require("kind");
const connection = { baseUrl: config.require("baseUrl") };
const redirectUris = ["https://claude.ai/api/mcp/auth_callback"];
if (kind === "replaceOnChanges") {
  const app = new OAuthApplication(
    "app",
    { connection, redirectUris, accessTokenExpiry: config.getNumber("expiry") },
    { replaceOnChanges: ["accessTokenExpiry"] },
  );
  exports.clientId = app.clientId;
} else if (kind === "application") {
  new OAuthApplication("app", { connection, redirectUris }, { import: config.require("importId") });
} else {
  const key = "alation.feature_flags.enable_jwt_in_v1_oauth_stack";
  new FeatureFlag("flag", { shell: { local: {} }, key, value: true }, { import: key });
}
`;

describeEngine("resource options: import, replaceOnChanges", function () {
  const token = `import-admin-token-${randomBytes(12).toString("hex")}`;
  let tenant: RecordingTenant;
  let existing: { client_id: string; client_secret: string };
  let stack: EngineStack;

  before(async function () {
    tenant = await RecordingTenant.start(token);
    existing = (await tenant.call("POST", CLIENTS_PATH, { json: guideClient({ name: "made-by-hand" }) })).json;
    const project = EngineProject.inUserProject("import", {
      "Pulumi.yaml":
        "name: alation-import\nruntime:\n  name: nodejs\n  options:\n    typescript: false\nmain: index.js\n",
      "index.js": PROGRAM,
    });
    stack = await project.stack(
      {
        "alation-import:baseUrl": tenant.url,
        "alation-import:importId": existing.client_id,
        "alation:apiAccessToken": { secret: token },
      },
      { env: { ALATION_EMULATOR_URL: tenant.url } },
    );
  });
  after(async function () {
    await tenant?.stop();
  });

  async function assertNothingChanged(): Promise<void> {
    const clients = await tenant.clients();
    assert.deepEqual(
      clients.map((client) => [client.client_id, client.client_secret]),
      [[existing.client_id, existing.client_secret]],
    );
    assert.equal(await tenant.jwtFlag(), "False");
    assert.deepEqual(
      (await stack.resources()).filter((resource) => resource.type.startsWith("pulumi-nodejs:dynamic")),
      [],
    );
  }

  it("the import option on an OAuthApplication fails at construction, naming adoptClientId", async function () {
    await stack.setConfig({ "alation-import:kind": "application" });
    const { code, stdout, stderr } = await stack.up([], { allowFailure: true });
    assert.notEqual(code, 0);
    assert.match(
      stdout + stderr,
      /OAuthApplication "app": the import resource option cannot work for dynamic resources/,
    );
    assert.match(stdout + stderr, /set adoptClientId: "<its client id>" instead/);
    const message = /OAuthApplication "app": the import resource option[^\n]+/.exec(stdout + stderr)?.[0] ?? "";
    assert.ok(docsQuote(message), message);
    assert.doesNotMatch(stdout + stderr, /code must be a string/);
    await assertNothingChanged();
  });

  it("the import option on a FeatureFlag fails at construction too", async function () {
    await stack.setConfig({ "alation-import:kind": "flag" });
    const { code, stdout, stderr } = await stack.up([], { allowFailure: true });
    assert.notEqual(code, 0);
    assert.match(stdout + stderr, /FeatureFlag "flag": the import resource option cannot work for dynamic resources/);
    await assertNothingChanged();
  });

  it("pulumi import fails in the engine's read, and changes neither the tenant nor the state", async function () {
    const { code, stdout, stderr } = await stack.pulumi(
      [
        "import",
        "--yes",
        "--generate-code=false",
        // A client id may begin with "-".
        "--",
        "pulumi-nodejs:dynamic/alation:OAuthApplication",
        "app",
        existing.client_id,
      ],
      { allowFailure: true },
    );
    assert.notEqual(code, 0, stdout + stderr);
    // What the engine says: the dynamic-provider server's read fails before any of our code can run (this CLI sends
    // it no properties at all; others send no `__provider`, "code must be a string").
    assert.match(stdout + stderr, /ResourceProviderService\.read|code must be a string/);
    await assertNothingChanged();
  });

  it("replaceOnChanges does not replace: the change is an update in place", async function () {
    await stack.setConfig({ "alation-import:kind": "replaceOnChanges", "alation-import:expiry": "7200" });
    await stack.up();
    const { clientId } = await stack.outputs();
    await stack.setConfig({ "alation-import:expiry": "3600" });
    const { stdout } = await stack.up();
    assert.match(stdout, /~ 1 updated/);
    assert.doesNotMatch(stdout, /replaced/);
    assert.equal((await stack.outputs()).clientId, clientId);
    await stack.destroy();
  });
});
