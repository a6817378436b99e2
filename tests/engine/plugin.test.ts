// The provider plugin `pulumi-resource-alation` through the real CLI, from a YAML program (`runtime: yaml`, the
// plugin found through `plugins.providers` in the installed package): what a Python, Go, C# or Java stack gets too.
// One stack for the whole story, to keep CLI runs few: preview, up, an up with no change, secrets, `pulumi import`,
// replaceOnChanges, two tenants through an explicit provider, destroy.
import * as assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { describeEngine, EngineProject, EngineStack, RecordingTenant } from "./harness";
import { installedPackageProject } from "../support/installed-package";
import { JWT_FLAG } from "../support/test-tenant";

const CALLBACK = "https://claude.ai/api/mcp/auth_callback";

/**
 * The YAML program: an AlationClaudeConnector on tenant A and an AlationMcpConnector (VS Code) on tenant B, each
 * through an explicit provider; a FeatureFlag and an OAuthApplication through the default provider (stack config).
 */
function program(pluginDir: string, extraResources = ""): string {
  return `name: plugin-yaml
runtime: yaml
plugins:
  providers:
    - name: alation
      path: ${pluginDir}
config:
  firstUrl:
    type: string
  firstToken:
    type: string
    secret: true
  secondUrl:
    type: string
  secondToken:
    type: string
    secret: true
resources:
  tenantA:
    type: pulumi:providers:alation
    properties:
      baseUrl: \${firstUrl}
      apiAccessToken: \${firstToken}
  tenantB:
    type: pulumi:providers:alation
    properties:
      baseUrl: \${secondUrl}
      apiAccessToken: \${secondToken}
  claude:
    type: alation:index:AlationClaudeConnector
    properties:
      tenantUrl: \${firstUrl}
    options:
      providers:
        - \${tenantA}
  vscode:
    type: alation:index:AlationMcpConnector
    properties:
      client: vscode
      tenantUrl: \${secondUrl}
    options:
      providers:
        - \${tenantB}
  flag:
    type: alation:index:FeatureFlag
    properties:
      shell:
        local: {}
      key: ${JWT_FLAG}
      value: true
  app:
    type: alation:index:OAuthApplication
    properties:
      redirectUris: ["${CALLBACK}"]
    options:
      dependsOn:
        - \${flag}
${extraResources}outputs:
  claude:
    connectorName: \${claude.connectorName}
    remoteMcpServerUrl: \${claude.remoteMcpServerUrl}
    clientId: \${claude.clientId}
    clientSecret: \${claude.clientSecret}
  vscodeClientId: \${vscode.clientId}
  vscodeClientSecret: \${vscode.clientSecret}
  vscodeConfig: \${vscode.clientConfig}
  appClientSecret: \${app.clientSecret}
`;
}

/** Whether a command's summary reports a change. */
const CHANGED = /\b(created|updated|replaced|deleted)\b/;

describeEngine("the provider plugin, from a YAML program", function () {
  const tokenA = `plugin-a-token-${randomBytes(12).toString("hex")}`;
  const tokenB = `plugin-b-token-${randomBytes(12).toString("hex")}`;
  let a: RecordingTenant;
  let b: RecordingTenant;
  let project: EngineProject;
  let stack: EngineStack;
  let pluginDir: string;

  before(async function () {
    [a, b] = await Promise.all([RecordingTenant.start(tokenA), RecordingTenant.start(tokenB)]);
    pluginDir = path.join(installedPackageProject(), "node_modules", "pulumi-alation", "plugin");
    project = EngineProject.inUserProject("plugin-yaml", { "Pulumi.yaml": program(pluginDir) });
    stack = await project.stack(
      {
        "alation:baseUrl": a.url,
        "alation:apiAccessToken": { secret: tokenA },
        "plugin-yaml:firstUrl": a.url,
        "plugin-yaml:firstToken": { secret: tokenA },
        "plugin-yaml:secondUrl": b.url,
        "plugin-yaml:secondToken": { secret: tokenB },
      },
      { env: { ALATION_EMULATOR_URL: a.url } },
    );
  });
  after(async function () {
    await Promise.all([a, b].filter(Boolean).map((tenant) => tenant.stop()));
  });

  it("ships the plugin as an executable in the package", function () {
    const launcher = path.join(pluginDir, "pulumi-resource-alation");
    fs.accessSync(launcher, fs.constants.X_OK);
  });

  it("preview makes no request; up makes each connector on its tenant, an application and a flag", async function () {
    const preview = await stack.preview();
    assert.match(preview.stdout, /\+ {2}alation:index:AlationClaudeConnector +claude +create/);
    assert.deepEqual([...a.requests(), ...b.requests()], []);

    await stack.up();
    const [madeA, madeB] = [await a.clients(), await b.clients()];
    assert.equal(madeA.length, 2);
    assert.equal(madeB.length, 1);
    assert.equal(await a.jwtFlag(), "True");
    const shown = await stack.outputs();
    const revealed = await stack.outputs(true);
    // Each connector on its tenant, through its own provider (each tenant knows only its own token).
    const claudeApp = madeA.find((client) => client.client_id === revealed.claude.clientId);
    assert.equal(claudeApp?.client_secret, revealed.claude.clientSecret);
    assert.deepEqual(claudeApp?.redirect_uris, [
      `${a.url}/oauth/callback`,
      CALLBACK,
      "https://claude.com/api/mcp/auth_callback",
    ]);
    assert.equal(revealed.claude.remoteMcpServerUrl, `${a.url}/ai/mcp/`);
    assert.equal(revealed.claude.connectorName, "Alation");
    assert.equal(madeB[0].client_id, revealed.vscodeClientId);
    assert.equal(madeB[0].client_secret, revealed.vscodeClientSecret);
    assert.ok(madeB[0].redirect_uris.includes("https://vscode.dev/redirect"), madeB[0].redirect_uris.join(" "));
    assert.ok(JSON.stringify(revealed.vscodeConfig).includes(`${b.url}/ai/mcp/`), "VS Code's config names B's MCP URL");
    // Secret outputs; and no secret, token or credential in plaintext in the state.
    assert.equal(shown.claude, "[secret]");
    assert.equal(shown.vscodeClientSecret, "[secret]");
    assert.equal(shown.appClientSecret, "[secret]");
    const exported = await stack.exportText();
    const secrets = [...madeA, ...madeB].map((client) => client.client_secret as string);
    for (const secret of [...secrets, tokenA, tokenB]) {
      assert.ok(!exported.includes(secret), "a secret is in plaintext in pulumi stack export");
    }
  });

  // Its up is also the stack's second: nothing changed, so nothing is asked of either tenant.
  it("pulumi import adopts a hand-made application; declared as is, the next up asks no tenant anything", async () => {
    const byHand = await a.call("POST", "/integration/core/v1/oauth/clients/", {
      json: {
        name: "made-by-hand",
        client_type: "confidential",
        redirect_uris: [CALLBACK],
        access_token_expiry: 86400,
        refresh_token_expiry: 15552000,
        pkce_required: true,
      },
    });
    const clientId: string = byHand.json.client_id;
    // `--` first: a client id may begin with "-" (the emulator's are random base64url, as Alation's may be).
    const imported = await stack.pulumi([
      "import",
      "--yes",
      "--protect=false",
      "--",
      "alation:index:OAuthApplication",
      "byhand",
      clientId,
    ]);
    // The code to add, with the fields as the tenant has them.
    assert.match(imported.stdout, /name: made-by-hand/);
    const state = (await stack.resources()).find((resource) => resource.urn.endsWith("::byhand"));
    assert.equal(state?.id, clientId);
    project.write(
      "Pulumi.yaml",
      program(
        pluginDir,
        `  byhand:
    type: alation:index:OAuthApplication
    properties:
      name: made-by-hand
      redirectUris: ["${CALLBACK}"]
      jwtRequired: ${state?.outputs?.jwtRequired}
      isActive: ${state?.outputs?.isActive}
      internalApplication: ${state?.outputs?.internalApplication}
`,
      ),
    );
    a.reset();
    b.reset();
    const after = await stack.up();
    assert.match(after.stdout, /\d+ unchanged/);
    assert.doesNotMatch(after.stdout, CHANGED);
    assert.deepEqual([...a.requests(), ...b.requests()], []);
    assert.equal((await a.clients()).length, 3);
  });

  it("diff names the changed keys: replaceOnChanges replaces", async function () {
    const manifest = fs.readFileSync(path.join(project.dir, "Pulumi.yaml"), "utf8");
    project.write(
      "Pulumi.yaml",
      manifest
        .replace(
          "      dependsOn:\n        - ${flag}\n",
          "      dependsOn:\n        - ${flag}\n      replaceOnChanges: [accessTokenExpiry]\n",
        )
        .replace(
          `  app:\n    type: alation:index:OAuthApplication\n    properties:\n`,
          `  app:\n    type: alation:index:OAuthApplication\n    properties:\n      accessTokenExpiry: 3600\n`,
        ),
    );
    const preview = await stack.preview();
    assert.match(preview.stdout, /\+- alation:index:OAuthApplication +app +replace +\[diff: ~accessTokenExpiry\]/);
    project.write("Pulumi.yaml", manifest);
  });

  it("a bad input fails the preview with one error naming its field, before any request", async function () {
    const manifest = fs.readFileSync(path.join(project.dir, "Pulumi.yaml"), "utf8");
    project.write(
      "Pulumi.yaml",
      manifest.replace(
        `  app:\n    type: alation:index:OAuthApplication\n    properties:\n`,
        `  app:\n    type: alation:index:OAuthApplication\n    properties:\n      accessTokenExpiry: 5\n`,
      ),
    );
    a.reset();
    const preview = await stack.pulumi(["preview"], { allowFailure: true });
    project.write("Pulumi.yaml", manifest);
    assert.notEqual(preview.code, 0);
    assert.match(preview.stdout + preview.stderr, /accessTokenExpiry must be at least 3600 seconds/);
    assert.deepEqual(a.requests(), []);
  });

  it("destroy empties both tenants", async function () {
    await stack.destroy();
    assert.deepEqual(await a.clients(), []);
    assert.deepEqual(await b.clients(), []);
  });
});
