// The stand-in shell commands alation_conf and alation_django_shell, run as processes against a started tenant.
import { strict as assert } from "node:assert";
import { spawn } from "node:child_process";
import * as path from "node:path";
import { shellPath } from "../../emulator";
import { GUIDE_SCRIPT } from "../support/connector-guide";
import { JWT_FLAG, startTestTenant, userTokens, type TestTenant } from "../support/test-tenant";

const NOISE = /^Error decrypting value, details: Unknown prefix: None\./;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

describe("emulator: shell commands", function () {
  let tenant: TestTenant;
  before(async () => (tenant = await startTestTenant()));
  after(() => tenant.stop());

  function run(command: string, args: string[], stdin = "", env: Record<string, string> = {}): Promise<Run> {
    return new Promise((resolve, reject) => {
      const child = spawn(path.join(shellPath(), command), args, {
        env: { ...process.env, ALATION_EMULATOR_URL: tenant.url, ...env },
        stdio: ["pipe", "pipe", "pipe"],
        timeout: 20000,
      });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (c: Buffer) => (stdout += c.toString()));
      child.stderr.on("data", (c: Buffer) => (stderr += c.toString()));
      child.on("error", reject);
      child.on("close", (code) => resolve({ code, stdout, stderr }));
      child.stdin.end(stdin);
    });
  }

  describe("alation_conf", function () {
    it("prints a value, sets it (True/False), and the tenant acts on it", async () => {
      const before = await run("alation_conf", [JWT_FLAG]);
      assert.equal(before.code, 0, before.stderr);
      const lines = before.stdout.trim().split("\n");
      assert.match(lines[0], NOISE, "the harmless noise line comes first");
      assert.equal(lines[1], `${JWT_FLAG} = False`);

      const set = await run("alation_conf", [JWT_FLAG, "-s", "True"]);
      assert.equal(set.code, 0, set.stderr);
      assert.match(set.stdout, NOISE);
      assert.match(
        (await run("alation_conf", [JWT_FLAG])).stdout,
        new RegExp(`^${JWT_FLAG.replace(/\./g, "\\.")} = True$`, "m"),
      );
      assert.equal((await tenant.state()).conf[JWT_FLAG], "True");

      const client = await tenant.createClient({ name: "conf-check" });
      assert.equal(
        (await userTokens(tenant, client)).access_token.split(".").length,
        3,
        "the v1 stack now issues JWTs",
      );
      assert.equal((await run("alation_conf", [JWT_FLAG, "-s", "False"])).code, 0);
      assert.equal((await tenant.state()).conf[JWT_FLAG], "False");
    });

    it("fails on an unknown key or a bad value, printing no value", async () => {
      const unknown = await run("alation_conf", ["alation.no_such_key"]);
      assert.notEqual(unknown.code, 0);
      assert.ok(!unknown.stdout.includes("="), unknown.stdout);
      const bad = await run("alation_conf", [JWT_FLAG, "-s", "maybe"]);
      assert.notEqual(bad.code, 0);
      assert.equal((await tenant.state()).conf[JWT_FLAG], "False");
      const usage = await run("alation_conf", []);
      assert.equal(usage.code, 2);
    });
  });

  describe("alation_django_shell", function () {
    it("runs the guide's script unchanged, creating the client it prints", async () => {
      const result = await run("alation_django_shell", [], GUIDE_SCRIPT);
      assert.equal(result.code, 0, result.stderr);
      assert.match(result.stdout, NOISE);
      const clientId = /^client_id: (\S+)$/m.exec(result.stdout)?.[1];
      const clientSecret = /^client_secret: (\S+)$/m.exec(result.stdout)?.[1];
      const stored = (await tenant.state()).clients.find((c) => c.name === "alation-ai-hosted-mcp-server");
      assert.ok(stored);
      assert.equal(stored.client_id, clientId);
      assert.equal(stored.client_secret, clientSecret);
      assert.deepEqual(
        [
          stored.client_type,
          stored.redirect_uris.length,
          stored.refresh_token_expiry,
          stored.access_token_expiry,
          stored.is_active,
          stored.pkce_required,
          stored.jwt_required,
          stored.internal_application,
        ],
        ["confidential", 3, 15552000, 86400, true, true, true, false],
      );
      const read = await tenant.call("GET", `/integration/core/v1/oauth/clients/${clientId}/`);
      assert.equal(read.json.name, "alation-ai-hosted-mcp-server", "the REST API sees the shell's client");
    });

    it("raises IntegrityError on a duplicate name, with a traceback and exit status 1", async () => {
      const again = await run("alation_django_shell", [], GUIDE_SCRIPT);
      assert.equal(again.code, 1);
      assert.match(again.stderr, /IntegrityError/);
      assert.equal((await tenant.state()).clients.filter((c) => c.name === "alation-ai-hosted-mcp-server").length, 1);
    });

    it("passes the caller's environment through, so data can travel as JSON outside the source", async () => {
      const tricky = `it's "quoted" $(touch /tmp/pwned) \n newline`;
      const script = [
        "import json, os",
        "from api_authentication.models import Application",
        "req = json.loads(os.environ['EMULATOR_TEST_REQUEST'])",
        "app = Application.objects.get(name=req['name'])",
        "app.redirect_uris = app.redirect_uris + [req['uri']]",
        "app.is_active = False",
        "app.save()",
        "print('RESULT ' + json.dumps({'pk': app.pk, 'uris': len(app.redirect_uris)}))",
      ].join("\n");
      const request = JSON.stringify({
        name: "alation-ai-hosted-mcp-server",
        uri: `https://x.example.com/${encodeURIComponent(tricky)}`,
      });
      const result = await run("alation_django_shell", [], script, { EMULATOR_TEST_REQUEST: request });
      assert.equal(result.code, 0, result.stderr);
      assert.deepEqual(JSON.parse(/^RESULT (.*)$/m.exec(result.stdout)?.[1] as string).uris, 4);
      const stored = (await tenant.state()).clients.find((c) => c.name === "alation-ai-hosted-mcp-server");
      assert.equal(stored?.is_active, false);
    });

    it("supports filter, exists, get with DoesNotExist, and delete", async () => {
      const script = `
from api_authentication.models import Application
print("EXISTS", Application.objects.filter(name="alation-ai-hosted-mcp-server").exists())
print("MISSING", Application.objects.filter(name="nope").exists())
try:
    Application.objects.get(client_id="nope")
except Application.DoesNotExist:
    print("DOES_NOT_EXIST")
app = Application.objects.get(name="alation-ai-hosted-mcp-server")
app.delete()
print("COUNT", Application.objects.filter(name="alation-ai-hosted-mcp-server").count())
`;
      const result = await run("alation_django_shell", ["-c", script]);
      assert.equal(result.code, 0, result.stderr);
      assert.match(result.stdout, /^EXISTS True$/m);
      assert.match(result.stdout, /^MISSING False$/m);
      assert.match(result.stdout, /^DOES_NOT_EXIST$/m);
      assert.match(result.stdout, /^COUNT 0$/m);
      assert.ok(!(await tenant.state()).clients.some((c) => c.name === "alation-ai-hosted-mcp-server"));
    });

    it("fails clearly without ALATION_EMULATOR_URL", async () => {
      const result = await run("alation_django_shell", [], "print('hi')", { ALATION_EMULATOR_URL: "" });
      assert.equal(result.code, 2);
      assert.match(result.stderr, /ALATION_EMULATOR_URL/);
    });
  });
});
