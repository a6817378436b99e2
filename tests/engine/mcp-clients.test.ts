// MCP clients through the real CLI: the root stack rolls out every preset of the table on one tenant from
// `alation:clients` (each its own application with its client's callbacks; clientConfig a secret wherever it holds
// the secret; every connector verifies with its client's callbacks; a no-change up; a bad option refused naming the
// field); examples/multi-tenant rolls out several clients per tenant; and a stack of AlationClaudeConnector made by the
// code before MCP clients shows no change after the upgrade to this code, until clients are added.
import * as assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { resolveClient } from "../../provider/domain/mcp-client-spec";
import type { McpClient } from "../../provider";
import { cacheRoot } from "../../tools/pulumi-cli/locate";
import {
  describeEngine,
  EngineProject,
  type EngineStack,
  RecordingTenant,
  repoRoot,
  temporaryFolder,
  verifyConnectors,
} from "./harness";

/**
 * The last commit before AlationMcpConnector (issue 17 branched off it): the code whose stacks must upgrade with no
 * change. A fixed commit, not `main`, which holds this code once merged.
 */
const BEFORE_MCP_CLIENTS = "9331647ff39ea9be528d48e905249d7bdcec8f5f";

/** Whether this clone has that commit (a shallow one may not): the upgrade tests say so and skip without it. */
function hasCommitBefore(context: Mocha.Context): void {
  try {
    execFileSync("git", ["cat-file", "-e", `${BEFORE_MCP_CLIENTS}^{commit}`], { cwd: repoRoot, stdio: "ignore" });
  } catch {
    console.log(`upgrade test skipped: this clone lacks commit ${BEFORE_MCP_CLIENTS} (git fetch --unshallow)`);
    context.skip();
  }
}

const UNDEFINED_OUTPUT = /Undefined value \(\w+\) will not show as a stack output/;
const CHATGPT_CALLBACK = "https://chatgpt.com/connector/oauth/cb_engine0123";

/** Every preset (chatgpt with its required callback, claude-code on another port) and explicit redirect URIs. */
const CLIENTS: McpClient[] = [
  "claude",
  { preset: "claude-code", callbackPort: 4711 },
  "vscode",
  "cursor",
  "gemini-cli",
  "mcp-inspector",
  { preset: "chatgpt", callbackUri: CHATGPT_CALLBACK },
  { redirectUris: ["https://agents.example.com/oauth/callback"] },
];

/** What every command of a stack printed, to look for secrets and warnings in. */
function printed(stack: EngineStack, withShownSecrets = false): string {
  return stack.transcript
    .filter((command) => withShownSecrets || !command.args.includes("--show-secrets"))
    .map((command) => command.stdout + command.stderr)
    .join("\n");
}

describeEngine("MCP clients: the root stack rolls out every preset on one tenant", function () {
  const token = `mcp-admin-token-${randomBytes(12).toString("hex")}`;
  let tenant: RecordingTenant;
  let stack: EngineStack;
  const secrets = new Set<string>([token]);

  before(async function () {
    tenant = await RecordingTenant.start(token);
    stack = await EngineProject.at(repoRoot).stack({
      "alation:baseUrl": tenant.url,
      "alation:apiAccessToken": { secret: token },
      "alation:clients": JSON.stringify(CLIENTS),
    });
  });
  after(() => tenant?.stop());

  it("up: one application per client, with its callbacks; clientConfig secret where it holds the secret", async () => {
    const { stdout } = await stack.up();
    assert.match(stdout, /\+ 17 created/, "the stack, and a component and its application per client");
    const plain = await stack.outputs(false);
    const shown = await stack.outputs(true);
    assert.equal(plain.clientSecret, "[secret]", "Claude's four fields at the top, as before");
    const clients = await tenant.clients();
    assert.equal(clients.length, CLIENTS.length);
    for (const client of clients) secrets.add(client.client_secret);

    const claude = clients.find((client) => client.client_id === shown.clientId);
    assert.deepEqual(claude?.redirect_uris, resolveClient("claude").callbacks(tenant.url));
    const others = CLIENTS.filter((client) => client !== "claude");
    assert.equal(Object.keys(shown.mcpClients).length, others.length);
    for (const given of others) {
      const resolved = resolveClient(given);
      const outputs = shown.mcpClients[resolved.key];
      const application = clients.find((client) => client.client_id === outputs.clientId);
      assert.ok(application, `${resolved.key}: the tenant has its application`);
      assert.deepEqual(application.redirect_uris, resolved.callbacks(tenant.url), `${resolved.key}: its callbacks`);
      assert.equal(outputs.clientSecret, application.client_secret);
      assert.deepEqual(outputs.client, given, `${resolved.key}: client, as configured, for the verifier`);
      const config = JSON.stringify(outputs.clientConfig);
      const hidden = plain.mcpClients[resolved.key].clientConfig;
      if (resolved.config.holdsSecret) {
        assert.ok(config.includes(application.client_secret), `${resolved.key}: clientConfig holds the secret`);
        assert.equal(hidden, "[secret]", `${resolved.key}: clientConfig is a secret`);
      } else {
        assert.ok(!config.includes(application.client_secret), `${resolved.key}: clientConfig holds no secret`);
        assert.deepEqual(hidden, outputs.clientConfig, `${resolved.key}: clientConfig is shown as is`);
      }
    }
    const command: string = shown.mcpClients["claude-code"].clientConfig.command;
    assert.equal(
      command,
      `claude mcp add --transport http --client-id ${shown.mcpClients["claude-code"].clientId} --client-secret ` +
        `--callback-port 4711 alation ${tenant.url}/ai/mcp/`,
      "the secret is never on Claude Code's command line: it asks for it",
    );
  });

  it("every connector verifies with its client's callbacks (library with login, and the CLI)", async () => {
    await tenant.call("PUT", "/__emulator/shell/conf/alation.feature_flags.enable_jwt_in_v1_oauth_stack", {
      json: { value: "True" },
    });
    const library = await verifyConnectors(stack);
    assert.equal(library.code, 0, library.stdout);
    const cli = await verifyConnectors(stack, { login: false });
    assert.equal(cli.code, 0, cli.stdout + cli.stderr);
    for (const key of ["claude-code", "vscode", "cursor", "gemini-cli", "mcp-inspector", "chatgpt", "custom"]) {
      assert.ok(cli.stdout.includes(`MCP client ${key})`), `${key} was verified as itself:\n${cli.stdout}`);
    }
    assert.equal(cli.stdout.match(/^Connector /gm)?.length, CLIENTS.length, "one report per connector");
    assert.equal(library.stdout.match(/^Connector /gm)?.length, CLIENTS.length, "one report per connector");
    assert.match(cli.stdout, /redirect-uri-client/);
  });

  it("a second up changes nothing and makes no request; no run warned of an undefined output", async () => {
    tenant.reset();
    const { stdout } = await stack.up();
    assert.match(stdout, /17 unchanged/);
    assert.deepEqual(tenant.requests(), []);
    assert.doesNotMatch(printed(stack, true), UNDEFINED_OUTPUT);
  });

  it("a bad option fails the preview naming the field, and changes nothing", async () => {
    const bad = [...CLIENTS.slice(0, 1), { preset: "claude-code", callbackPort: 80 }, ...CLIENTS.slice(2)];
    await stack.setConfig({ "alation:clients": JSON.stringify(bad) });
    const failed = await stack.pulumi(["preview"], { allowFailure: true });
    assert.notEqual(failed.code, 0);
    assert.match(
      failed.stdout + failed.stderr,
      /AlationMcpConnector alation-claude-code: client\.callbackPort must be a whole number from 1024 to 65535/,
    );
    await stack.setConfig({ "alation:clients": JSON.stringify(CLIENTS) });
  });

  it("stack export holds no secret in plaintext, nor does anything a command printed", async () => {
    const exported = await stack.exportText();
    for (const secret of secrets) {
      assert.ok(!exported.includes(secret), "stack export holds a secret in plaintext");
      assert.ok(!printed(stack).includes(secret), "a command printed a secret");
    }
  });

  it("destroy deletes every application", async () => {
    await stack.destroy();
    assert.deepEqual(await tenant.clients(), []);
  });
});

describeEngine("MCP clients: examples/multi-tenant rolls out several clients per tenant", function () {
  const token = `multi-admin-token-${randomBytes(12).toString("hex")}`;
  const tenants: RecordingTenant[] = [];
  after(() => Promise.all(tenants.map((tenant) => tenant.stop())));

  it("its old program's stack shows no change under the new one; `clients` then adds connectors", async function () {
    hasCommitBefore(this);
    for (let i = 0; i < 2; i++) tenants.push(await RecordingTenant.start(token));
    const project = EngineProject.example("multi-tenant");
    // The program as it was before MCP clients, then this one: a user's upgrade of the example.
    const current = fs.readFileSync(path.join(project.dir, "index.ts"), "utf8");
    project.write(
      "index.ts",
      execFileSync("git", ["show", `${BEFORE_MCP_CLIENTS}:examples/multi-tenant/index.ts`], {
        cwd: repoRoot,
        encoding: "utf8",
      }),
    );
    const stack = await project.stack();
    for (const [index, tenant] of tenants.entries()) {
      await stack.pulumi(["config", "set", "--path", `tenants[${index}]`, tenant.url]);
      await stack.pulumi(["config", "set", "--secret", "--path", `tokens["${new URL(tenant.url).host}"]`], {
        input: token,
      });
    }
    await stack.up();
    const before = await stack.outputs(true);
    project.write("index.ts", current);
    await stack.preview(["--expect-no-changes"]);
    assert.deepEqual(await stack.outputs(true), before);

    await stack.pulumi(["config", "set", "clients", JSON.stringify(["claude", "vscode", "cursor"])]);
    const { stdout } = await stack.up();
    assert.match(stdout, /\+ 8 created/, "two connectors (a component and its application) per tenant");
    const after = await stack.outputs(true);
    assert.deepEqual(after.connectors, before.connectors, "Claude's connectors are as they were");
    for (const tenant of tenants) {
      const host = new URL(tenant.url).host;
      const clients = await tenant.clients();
      assert.equal(clients.length, 3);
      for (const key of ["vscode", "cursor"]) {
        const outputs = after.mcpClients[host][key];
        const application = clients.find((client) => client.client_id === outputs.clientId);
        assert.deepEqual(application?.redirect_uris, resolveClient(key as McpClient).callbacks());
      }
    }
    assert.doesNotMatch(printed(stack, true), UNDEFINED_OUTPUT);
    await stack.destroy();
    for (const tenant of tenants) assert.deepEqual(await tenant.clients(), []);
  });
});

/**
 * The tree of BEFORE_MCP_CLIENTS (the code before AlationMcpConnector), built, with its own node_modules: the repo's
 * packages, and `pulumi-alation` itself (which its serialized providers require at run time) linked to that tree. The
 * build is made once per machine and cached outside the clone (keyed by the commit and the compiler), as the CLI is:
 * each run copies it (a few hundred files) into a temporary folder and links this clone's packages in.
 */
function treeBefore(): string {
  const dir = temporaryFolder("pulumi-alation-before-");
  fs.cpSync(cachedBuildBefore(), dir, { recursive: true });
  linkPackages(dir);
  return dir;
}

/** The built tree of BEFORE_MCP_CLIENTS, without node_modules, in the cache; built there when missing. */
function cachedBuildBefore(): string {
  const typescript = JSON.parse(
    fs.readFileSync(path.join(repoRoot, "node_modules", "typescript", "package.json"), "utf8"),
  );
  const root = path.join(cacheRoot(), "upgrade-test");
  const cached = path.join(root, `${BEFORE_MCP_CLIENTS}-typescript-${typescript.version}`);
  if (fs.existsSync(path.join(cached, "dist", "provider", "index.js"))) return cached;
  fs.mkdirSync(root, { recursive: true });
  // Built in a folder of its own, then renamed: an interrupted build leaves no half-filled cache; of two racing, the
  // first rename wins.
  const work = fs.mkdtempSync(path.join(root, `.build-${process.pid}-`));
  try {
    const archive = execFileSync("git", ["archive", BEFORE_MCP_CLIENTS], {
      cwd: repoRoot,
      maxBuffer: 256 * 1024 * 1024,
    });
    execFileSync("tar", ["-x", "-C", work], { input: archive });
    linkPackages(work);
    const tsc = path.join(repoRoot, "node_modules", "typescript", "bin", "tsc");
    execFileSync(process.execPath, [tsc, "-p", "tsconfig.build.json"], { cwd: work, stdio: "pipe" });
    // Its links point into this clone: each run makes its own.
    fs.rmSync(path.join(work, "node_modules"), { recursive: true, force: true });
    try {
      fs.renameSync(work, cached);
    } catch (error) {
      if (!fs.existsSync(path.join(cached, "dist", "provider", "index.js"))) throw error;
    }
  } finally {
    fs.rmSync(work, { recursive: true, force: true });
  }
  return cached;
}

/** node_modules in `dir`: the repo's packages, and `pulumi-alation` linked to `dir` itself. */
function linkPackages(dir: string): void {
  fs.mkdirSync(path.join(dir, "node_modules"));
  for (const entry of fs.readdirSync(path.join(repoRoot, "node_modules"))) {
    if (entry === "pulumi-alation") continue;
    fs.symlinkSync(path.join(repoRoot, "node_modules", entry), path.join(dir, "node_modules", entry));
  }
  fs.symlinkSync(dir, path.join(dir, "node_modules", "pulumi-alation"), "dir");
}

describeEngine("MCP clients: a stack of AlationClaudeConnector upgrades to this code with no change", function () {
  const token = `upgrade-admin-token-${randomBytes(12).toString("hex")}`;
  let tenant: RecordingTenant;
  after(() => tenant?.stop());

  it("up with the old root stack, then preview and up with this one: no change, no request", async function () {
    hasCommitBefore(this);
    tenant = await RecordingTenant.start(token);
    const old = EngineProject.at(treeBefore());
    const stack = await old.stack(
      {
        "alation:baseUrl": tenant.url,
        "alation:shell": JSON.stringify({ local: {} }),
        "alation:apiAccessToken": { secret: token },
      },
      { env: { ALATION_EMULATOR_URL: tenant.url } },
    );
    await stack.up();
    const before = await stack.outputs(true);
    const resourcesBefore = await stack.resources();
    assert.match(printed(stack), UNDEFINED_OUTPUT, "the old root stack warned of its undefined output");
    const runsBefore = stack.transcript.length;

    // The same stack, now run by this code (its providers too: the state's serialized ones require the new runtime).
    old.write("Pulumi.yaml", fs.readFileSync(path.join(EngineProject.at(repoRoot).dir, "Pulumi.yaml"), "utf8"));
    tenant.reset();
    const preview = await stack.preview(["--expect-no-changes"]);
    assert.match(preview.stdout, /4 unchanged/);
    const { stdout } = await stack.up();
    assert.match(stdout, /4 unchanged/);
    assert.doesNotMatch(stdout, /updated|created|deleted|replaced/);
    assert.deepEqual(tenant.writes(), []);
    assert.deepEqual(await stack.outputs(true), before, "the same outputs");
    const urns = (resources: typeof resourcesBefore) => resources.map((resource) => resource.urn).sort();
    assert.deepEqual(urns(await stack.resources()), urns(resourcesBefore), "the same resources");
    const since = stack.transcript.slice(runsBefore).map((command) => command.stdout + command.stderr);
    assert.doesNotMatch(since.join("\n"), UNDEFINED_OUTPUT, "this one does not");

    // Adding a client adds its connector only.
    await stack.setConfig({ "alation:clients": JSON.stringify(["claude", "vscode"]) });
    const added = await stack.up();
    assert.match(added.stdout, /\+ 2 created/);
    assert.match(added.stdout, /4 unchanged/);
    assert.equal((await tenant.clients()).length, 2);
    await stack.destroy();
    assert.deepEqual(await tenant.clients(), []);
  });
});
