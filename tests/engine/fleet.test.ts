// `alation-fleet` through the real CLI, from the installed package: four emulated tenants in three waves, one of which
// needs the JWT flag and has it off (with no shell to set it), so that its verification fails. The rollout stops
// after that tenant's wave and names the cause; once the flag is on, a rerun completes and leaves the converged
// stacks alone; `destroy` empties every tenant. No token and no client secret is printed or stored in the state.
import * as assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { installedPackageProject } from "../support/installed-package";
import { freePort } from "../support/ports";
import { CLIENTS_PATH } from "../support/test-tenant";
import { browserCommand } from "../verify/helpers";
import { cliEnvironment, describeEngine, engineCli, RecordingTenant, repoRoot, run, temporaryFolder } from "./harness";
import { docsQuote } from "../support/docs";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Json = any;

// The canary alone; the early wave two at a time (`parallel: 2`), one of them failing its verification.
const WAVES = [["acme"], ["gamma", "delta"], ["zeta"]];
const WAVE_NAMES = ["canary", "early", "rest"];
/** The tenant whose connector is not verified (`verify: false`). */
const UNVERIFIED = "zeta";
/** The tenant that needs the JWT flag, which is off. */
const FLAG_OFF = "delta";

describeEngine("alation-fleet: four tenants in three waves, verify as the gate", function () {
  this.timeout(420_000);
  const tenants = new Map<string, RecordingTenant>();
  const tokens = new Map<string, string>();
  let dir: string;
  let env: NodeJS.ProcessEnv;

  before(async function () {
    for (const name of WAVES.flat()) {
      const token = `fleet-token-${name}-${randomBytes(12).toString("hex")}`;
      tokens.set(name, token);
      tenants.set(name, await RecordingTenant.start(token, { jwtFlag: name === FLAG_OFF ? "required" : "optional" }));
    }
    const callbackPort = await freePort();
    dir = temporaryFolder("alation-fleet-");
    fs.writeFileSync(path.join(dir, "fleet.yaml"), fleetFile(callbackPort));
    const { cli } = engineCli();
    const browser = browserCommand(path.join(__dirname, "..", "verify", "stand-in-browser.js"));
    env = cliEnvironment(cli!, path.join(dir, "unused-backend"), { BROWSER: browser });
    // The fleet file names the backend (the CLI's PULUMI_BACKEND_URL would take precedence over Pulumi.yaml's).
    delete env.PULUMI_BACKEND_URL;
  });
  after(async function () {
    await Promise.all([...tenants.values()].map((tenant) => tenant.stop()));
  });

  const fleetFile = (callbackPort: number) =>
    [
      "project: claude-connectors",
      "parallel: 2",
      "waves:",
      ...WAVES.flatMap((names, w) => [
        `  - name: ${WAVE_NAMES[w]}`,
        "    tenants:",
        ...names.flatMap((name) => [
          `      - name: ${name}`,
          `        baseUrl: ${tenants.get(name)!.url}`,
          `        apiAccessTokenEnv: ${name.toUpperCase()}_TOKEN`,
          `        connector: { connectorName: "Alation (${name})", verifierLogin: { callbackPort: ${callbackPort} } }`,
          ...(name === UNVERIFIED
            ? ["        verify: false", "        clients: [claude, vscode]"]
            : ["        verify: { login: true, emulator: true, loginTimeoutMs: 60000 }"]),
        ]),
      ]),
    ].join("\n") + "\n";

  const tokenEnv = () =>
    Object.fromEntries(WAVES.flat().map((name) => [`${name.toUpperCase()}_TOKEN`, tokens.get(name)]));

  /**
   * Runs the installed package's bin (or, `fromClone`, this checkout's) in the fleet's folder (`withTokens`: every
   * tenant's token, or these).
   */
  const fleet = async (args: string[], withTokens: boolean | Record<string, string> = true, fromClone = false) => {
    const installed = path.join(installedPackageProject(), "node_modules", "pulumi-alation");
    const bin = path.join(fromClone ? repoRoot : installed, "dist", "provider", "fleet");
    const result = await run(
      process.execPath,
      [path.join(bin, "cli.js"), ...args, "--pulumi-cli", engineCli().cli!.dir],
      {
        cwd: dir,
        env: { ...env, ...(withTokens ? tokenEnv() : {}), ...(typeof withTokens === "object" ? withTokens : {}) },
        // A run that outlives its test is stopped (the stacks' CLI runs end with it).
        timeoutMs: 400_000,
      },
    );
    for (const [name, token] of tokens) {
      assert.ok(!`${result.stdout}${result.stderr}`.includes(token), `the output holds ${name}'s token`);
    }
    return result;
  };
  const requestsTo = (names: string[]) => names.flatMap((name) => tenants.get(name)!.requests());
  const resetAll = () => tenants.forEach((tenant) => tenant.reset());

  // One wave (--wave): a preview's cost is per tenant; the early wave's two run side by side (`parallel: 2`).
  it("preview needs no credentials and makes no request to any tenant; it leaves no stack behind", async function () {
    // From a clone of the repository (its node_modules holds no pulumi-alation), which it leaves as it was.
    // Files untracked or ignored (the clone's own edits aside).
    const added = async () => {
      const result = await run("git", ["status", "--porcelain", "--ignored"], { cwd: repoRoot, env: process.env });
      return result.stdout.split("\n").filter((line) => /^(\?\?|!!) /.test(line));
    };
    const before = await added();
    const result = await fleet(["preview", "--wave", "early"], false, true);
    assert.deepEqual(await added(), before, "the clone changed");
    assert.equal(result.code, 0, result.stderr);
    for (const name of WAVES[1]) assert.match(result.stdout, new RegExp(`^${name} .* done .*to create`, "m"));
    assert.match(result.stderr, /^2\/2 previewed$/m);
    assert.deepEqual(requestsTo(WAVES.flat()), []);
    const stacks = path.join(dir, ".fleet-state", ".pulumi", "stacks", "claude-connectors");
    assert.deepEqual(
      fs.readdirSync(stacks).filter((file) => file.endsWith(".json")),
      [],
    );
  });

  it("up stops after the wave whose tenant fails verify, naming the tenant and the cause", async function () {
    resetAll();
    const result = await fleet(["up"]);
    assert.equal(result.code, 1, result.stderr);
    const outcome = result.stdout.trim().split("\n").pop() as string;
    const [start, end] = [
      "alation-fleet up: failed: tenant delta, verify: access-token-jwt:",
      "(2/4 tenants done; stopped after wave early)",
    ];
    assert.match(outcome, /^alation-fleet up: failed: tenant delta, verify: access-token-jwt: /);
    assert.match(outcome, /\(2\/4 tenants done; stopped after wave early\)$/);
    const stopLine = "stopped after wave early: tenant delta failed (verify); 1 later wave not run";
    assert.ok(result.stderr.split("\n").includes(stopLine), result.stderr);
    const failureLine = result.stderr.split("\n").find((line) => line.startsWith("delta (early): verify failed: "));
    assert.match(failureLine ?? "", /: access-token-jwt: the tenant issues opaque access tokens; /);
    assert.match(result.stderr, /^2\/4 up$/m);
    assert.match(result.stdout, /^zeta +rest +not run/m);
    assert.deepEqual(requestsTo(WAVES[2]), [], "the later wave made requests");
    for (const name of WAVES.slice(0, 2).flat()) assert.equal((await tenants.get(name)!.clients()).length, 1, name);
    // The README quotes this run's lines.
    for (const line of [failureLine as string, stopLine, start, end]) assert.ok(docsQuote(line), line);
  });

  it("once the flag is fixed, a rerun completes, leaves converged stacks alone, duplicates nothing", async function () {
    await tenants.get(FLAG_OFF)!.tenant.setJwtFlag(true);
    resetAll();
    const result = await fleet(["up", "--json"]);
    assert.equal(result.code, 0, result.stderr);
    const report: Json = JSON.parse(result.stdout);
    assert.equal(report.ok, true);
    const status = Object.fromEntries(report.tenants.map((tenant: Json) => [tenant.tenant, tenant.status]));
    assert.deepEqual(status, {
      acme: "unchanged",
      gamma: "unchanged",
      delta: "done",
      zeta: "done",
    });
    assert.deepEqual(requestsTo(["acme", "gamma"]), [], "a converged stack was touched");
    const verifyOf = (name: string) => report.tenants.find((tenant: Json) => tenant.tenant === name).verify;
    assert.equal(verifyOf("delta").ok, true);
    assert.equal(verifyOf(UNVERIFIED), "skipped");
    // docs/fleet.md: the token is in no file and no state; client secrets are secrets there (encrypted).
    const decrypted = await decryptedStates();
    for (const name of WAVES.flat()) {
      const clients = await tenants.get(name)!.clients();
      // One application per MCP client of the tenant (connectorsFor): zeta lists Claude and VS Code.
      assert.equal(clients.length, name === UNVERIFIED ? 2 : 1, name);
      for (const { client_secret: secret } of clients) {
        assert.ok(!result.stdout.includes(secret), `the JSON holds ${name}'s client secret`);
        assert.ok(!stateText().includes(secret), `the state holds ${name}'s client secret`);
        assert.ok(decrypted.includes(secret), `the decrypted state lacks ${name}'s client secret`);
      }
      for (const text of [stateText(), decrypted, workFilesText()]) {
        assert.ok(!text.includes(tokens.get(name)!), `a file or the decrypted state holds ${name}'s token`);
      }
    }
  });

  it("outputs: each tenant's connector fields, the secret masked unless --show-secrets, no token", async function () {
    const all = await fleet(["outputs", "--json"], false);
    assert.equal(all.code, 0, all.stderr);
    const outputs: Json = JSON.parse(all.stdout);
    assert.deepEqual(Object.keys(outputs), WAVES.flat());
    for (const name of WAVES.flat()) {
      const ids = (await tenants.get(name)!.clients()).map((client) => client.client_id);
      assert.equal(outputs[name].connectorName, `Alation (${name})`);
      assert.equal(outputs[name].remoteMcpServerUrl, `${tenants.get(name)!.url}/ai/mcp/`);
      assert.ok(ids.includes(outputs[name].clientId), name);
      assert.equal(outputs[name].clientSecret, "[secret]");
    }
    // Another client's connector, nested under mcpClients, is masked too.
    const vscode = outputs[UNVERIFIED].mcpClients.vscode;
    assert.equal(vscode.clientSecret, "[secret]");
    assert.notEqual(vscode.clientId, outputs[UNVERIFIED].clientId);
    const acme = await fleet(["outputs", "--tenant", "acme", "--show-secrets"], false);
    assert.equal(acme.code, 0, acme.stderr);
    const [client] = await tenants.get("acme")!.clients();
    assert.match(acme.stdout, /^acme\n/);
    assert.match(acme.stdout, new RegExp(`^  clientSecret +${client.client_secret}$`, "m"));
    assert.doesNotMatch(acme.stdout, /^gamma/m);
  });

  // One wave (--wave, as a CI job runs it): the refresh's cost is per tenant, and acme, converged, is the case.
  it("up --refresh --wave canary puts back what changed in Alation behind Pulumi; no other wave ran", async () => {
    const [changed] = await tenants.get("acme")!.clients();
    const patched = await tenants.get("acme")!.call("PATCH", `${CLIENTS_PATH}${changed.client_id}/`, {
      json: { access_token_expiry: 7200 },
    });
    assert.equal(patched.status, 200, patched.text);
    resetAll();
    const result = await fleet(["up", "--refresh", "--wave", "canary", "--json"]);
    assert.equal(result.code, 0, result.stderr);
    const report: Json = JSON.parse(result.stdout);
    assert.deepEqual(
      report.tenants.map((tenant: Json) => tenant.tenant),
      ["acme"],
    );
    const [acme] = report.tenants;
    assert.equal(acme.status, "done");
    assert.equal(acme.changes.update, 1, JSON.stringify(acme));
    const [restored] = await tenants.get("acme")!.clients();
    assert.equal(restored.client_id, changed.client_id);
    assert.equal(restored.access_token_expiry, changed.access_token_expiry);
    assert.deepEqual(requestsTo(WAVES.flat().filter((name) => name !== "acme")), [], "another wave ran");
  });

  it("up --refresh uses the current token: a wrong one fails, naming the tenant and its variable", async function () {
    const wrong = `wrong-token-${randomBytes(12).toString("hex")}`;
    const result = await fleet(["up", "--refresh"], { ACME_TOKEN: wrong });
    assert.equal(result.code, 1, result.stderr);
    assert.ok(!`${result.stdout}${result.stderr}`.includes(wrong), "the wrong token was printed");
    const line = result.stderr.split("\n").find((text) => text.startsWith("acme (canary): up failed: "));
    assert.match(line ?? "", /\(403 auth\)/);
    const fix =
      `(tenant acme: the API access token in ACME_TOKEN, its apiAccessTokenEnv, was refused by ` +
      `${tenants.get("acme")!.url}: set ACME_TOKEN to a current token of a Server Admin)`;
    assert.ok(line!.endsWith(fix), line);
    const quoted = fix.replace(tenants.get("acme")!.url, "https://acme.alationcloud.com");
    assert.ok(docsQuote(quoted), "docs/fleet.md quotes the fix");
    assert.match(result.stdout, /^zeta +rest +not run/m);
  });

  it("destroy goes in reverse wave order and empties every tenant", async function () {
    const result = await fleet(["destroy"]);
    assert.equal(result.code, 0, result.stderr);
    const waves = [...result.stderr.matchAll(/^wave (\S+) /gm)].map((match) => match[1]);
    assert.deepEqual(waves, [...WAVE_NAMES].reverse());
    for (const name of WAVES.flat()) assert.deepEqual(await tenants.get(name)!.clients(), [], name);
    assert.match(result.stderr, /^4\/4 destroyed$/m);
  });

  /** Every file the fleet's folder holds besides its backend (the fleet file), as one text. */
  const workFilesText = () =>
    fs
      .readdirSync(dir, { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile() && !path.join(entry.parentPath, entry.name).includes(".fleet-state"))
      .map((entry) => fs.readFileSync(path.join(entry.parentPath, entry.name), "utf8"))
      .join("\n");

  /** Every tenant's stack as `pulumi stack export --show-secrets` gives it (secrets decrypted), as one text. */
  const decryptedStates = async () => {
    const exportEnv = { ...env, PULUMI_BACKEND_URL: `file://${path.join(dir, ".fleet-state")}` };
    const exports = await Promise.all(
      WAVES.flat().map((name) =>
        run(
          path.join(engineCli().cli!.dir, "pulumi"),
          ["stack", "export", "--show-secrets", "--stack", `organization/claude-connectors/${name}`],
          { cwd: temporaryFolder("fleet-export-"), env: exportEnv },
        ),
      ),
    );
    for (const result of exports) assert.equal(result.code, 0, result.stderr);
    return exports.map((result) => result.stdout).join("\n");
  };

  /** Every file of the fleet's backend, as one text. */
  const stateText = () =>
    fs
      .readdirSync(path.join(dir, ".fleet-state"), { recursive: true, withFileTypes: true })
      .filter((entry) => entry.isFile())
      .map((entry) => fs.readFileSync(path.join(entry.parentPath, entry.name), "utf8"))
      .join("\n");
});
