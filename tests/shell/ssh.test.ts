// The SSH transport through a real SSH server on 127.0.0.1 (OpenSSH's sshd, else ssh2's Server: support/sshd.ts):
// the transport's contract, its host key pinning, and the lifecycles with the emulator's commands reached through
// commandPrefix (`env ALATION_EMULATOR_URL=...`).
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { shellPath } from "../../emulator";
import { ShellError, createShellApplicationStore } from "../../provider/shell";
import { runChecked } from "../../provider/shell/transport";
import { APPLICATION_DEFAULTS } from "../../provider/schema/oauth-application";
import { shellSchema } from "../../provider/schema/shell";
import { JWT_FLAG } from "../support/test-tenant";
import { startSsh2Server } from "../support/ssh2-server";
import { TestSshd, sshServerName, startSshd } from "../support/sshd";
import { ShellFixture, emulatorCommandEnv, envPrefix, startShellFixture } from "../support/provider-harness";
import { canaryPath, hostileText } from "../support/hostile-values";
import { featureFlagLifecycle, oauthApplicationLifecycle } from "../support/lifecycles";
import { transportBehaviour, transportFor } from "./transport-behaviour";

// A stand-in alation_conf that keeps each key's value verbatim in a file of FAKE_CONF_DIR, so that any value can be
// checked to arrive literally (the emulator's accepts only its known boolean flag).
const FAKE_ALATION_CONF = `#!/bin/sh
file="$FAKE_CONF_DIR/$1"
if [ "$2" = "-s" ]; then printf '%s' "$3" > "$file"; exit 0; fi
echo "Error decrypting value, details: Unknown prefix: None."
printf '%s = %s\\n' "$1" "$(cat "$file" 2>/dev/null)"
`;

// Django's shell reads its input line by line, as an interactive session, when stdin is not ready at start: the
// provider's script must run that way too.
const INTERACTIVE_DJANGO_SHELL = `#!/bin/sh
echo "Error decrypting value, details: Unknown prefix: None."
exec python3 -c 'import code; code.interact(banner="", exitmsg="")'
`;

describe(`shell: ssh (${sshServerName()})`, function () {
  this.timeout(60_000);
  let sshd: TestSshd;
  let fixture: ShellFixture & { stop(): Promise<void> };
  const ssh = (overrides: Record<string, unknown> = {}) => ({
    host: sshd.host,
    port: sshd.port,
    username: sshd.username,
    privateKey: sshd.privateKey,
    hostKeySha256: sshd.hostKeySha256,
    ...overrides,
  });

  before(async () => {
    sshd = await startSshd();
    fixture = await startShellFixture(async (tenant) => ({
      shell: { ssh: ssh({ commandPrefix: envPrefix(emulatorCommandEnv(tenant.url)) }) },
    }));
  });
  after(async () => {
    await fixture?.stop();
    await sshd?.stop();
  });

  describe("transport", () => {
    transportBehaviour(() => transportFor({ ssh: ssh() }));

    it("accepts the fingerprint as bare base64, and a PEM key", async () => {
      const transport = transportFor({
        ssh: ssh({ hostKeySha256: sshd.hostKeySha256.replace("SHA256:", ""), privateKey: sshd.privateKeyPem }),
      });
      assert.equal((await transport.runCommand(["echo", "ok"], { timeoutMs: 10_000 })).stdout, "ok\n");
    });

    it("refuses a host whose key is not the pinned one, naming both fingerprints", async () => {
      const transport = transportFor({ ssh: ssh({ hostKeySha256: sshd.otherHostKeySha256 }) });
      await assert.rejects(
        runChecked(transport, ["echo", "never"], { idempotent: true, timeoutMs: 10_000 }),
        (error: ShellError) => {
          assert.equal(error.kind, "host-key");
          assert.match(
            error.message,
            /^refused to connect to host 127\.0\.0\.1:\d+: its host key SHA256:\S+ does not match the pinned/,
          );
          assert.ok(error.message.includes(sshd.hostKeySha256) && error.message.includes(sshd.otherHostKeySha256));
          return true;
        },
      );
    });

    it("prepends commandPrefix, quoted like the command", async () => {
      const transport = transportFor({ ssh: ssh({ commandPrefix: ["env", "GREETING=it's $(here)"] }) });
      const result = await transport.runCommand(["sh", "-c", 'printf %s "$GREETING"'], { timeoutMs: 10_000 });
      assert.equal(result.stdout, "it's $(here)");
    });

    it("reports an unreadable key without showing it", async () => {
      const broken =
        "-----BEGIN OPENSSH PRIVATE KEY-----\nbm90LWEta2V5LXNlY3JldC1tYXRlcmlhbA==\n-----END OPENSSH PRIVATE " +
        "KEY-----\n";
      await assert.rejects(
        transportFor({ ssh: ssh({ privateKey: broken }) }).runCommand(["true"], { timeoutMs: 10_000 }),
        (error: ShellError) => {
          assert.equal(error.kind, "config");
          assert.doesNotMatch(error.message, /bm90LWEta2V5/);
          return true;
        },
      );
    });

    it("reports a key the server does not know as an authentication failure", async () => {
      await assert.rejects(
        transportFor({ ssh: ssh({ privateKey: sshd.strangerPrivateKey }) }).runCommand(["true"], { timeoutMs: 10_000 }),
        (error: ShellError) => error.kind === "auth",
      );
    });
  });

  describe("lifecycles through Pulumi's dynamic-provider server", () => {
    it("FeatureFlag: create, read, drift, update, delete restoring the previous value", () =>
      featureFlagLifecycle(fixture));

    it("OAuthApplication: create, read, drift, update, rotate, delete", () => oauthApplicationLifecycle(fixture));

    it("OAuthApplication: finds an application by name (to recover a create whose answer was lost)", async () => {
      const store = createShellApplicationStore(shellSchema.parse(fixture.shell));
      const existing = await fixture.tenant.createClient({ name: "find me" });
      const found = await store.findByName("find me");
      assert.equal(found.status === "found" && found.application.clientId, existing.client_id);
      assert.deepEqual(await store.findByName("nobody"), { status: "gone" });
      await store.delete(existing.client_id);
    });

    it("OAuthApplication: the script also runs when the Django shell reads it as an interactive session", async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "alation-interactive-shell-"));
      try {
        fs.writeFileSync(path.join(dir, "alation_django_shell"), INTERACTIVE_DJANGO_SHELL, { mode: 0o755 });
        const env = emulatorCommandEnv(fixture.tenant.url);
        const commandPrefix = envPrefix({ ...env, PATH: `${dir}:${env.PATH}`, PYTHONPATH: path.dirname(shellPath()) });
        const store = createShellApplicationStore(shellSchema.parse({ ssh: ssh({ commandPrefix }) }));
        const { application, clientSecret } = await store.create({
          ...APPLICATION_DEFAULTS,
          name: "interactive",
          redirectUris: ["https://a.example/cb"],
        });
        const stored = (await fixture.tenant.state()).clients.find((c) => c.client_id === application.clientId);
        assert.equal(stored?.client_secret, clientSecret);
        await store.delete(application.clientId);
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });

    it("FeatureFlag: refuses a host with another key, with no key material in the error", async () => {
      const { server, providers } = fixture;
      const shell = { ssh: ssh({ hostKeySha256: sshd.otherHostKeySha256 }) };
      const checked = await server.check({}, { __provider: providers.featureFlag, shell, key: JWT_FLAG, value: true });
      await assert.rejects(server.create(checked.inputs), (error: Error) => {
        assert.match(error.message, /does not match the pinned hostKeySha256/);
        assert.ok(!error.message.includes("PRIVATE KEY") && !error.message.includes(sshd.privateKey.split("\n")[1]));
        return true;
      });
    });

    it("FeatureFlag: quotes, $(...), backticks and Python in a string: stored literally, run never", async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "alation-fake-conf-"));
      try {
        fs.writeFileSync(path.join(dir, "alation_conf"), FAKE_ALATION_CONF, { mode: 0o755 });
        const { server, providers } = fixture;
        const canary = canaryPath();
        const value = hostileText(canary).replace("\n", " "); // alation_conf stores one line
        const shell = { ssh: ssh({ commandPrefix: envPrefix({ FAKE_CONF_DIR: dir, PATH: `${dir}:/usr/bin:/bin` }) }) };
        const key = "alation.test.literal_value";
        const checked = await server.check({}, { __provider: providers.featureFlag, shell, key, value });
        assert.deepEqual(checked.failures, []);
        const created = await server.create(checked.inputs);
        assert.equal(fs.readFileSync(path.join(dir, key), "utf8"), value, "stored literally");
        assert.equal(
          (await server.read(created.id, created.properties)).properties.value,
          value,
          "read back literally",
        );
        assert.equal(fs.existsSync(canary), false, "nothing in the value was executed");
      } finally {
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });
  });
});

// Where OpenSSH's sshd runs the suite above (CI), the server that stands in for it elsewhere is kept honest too.
const whereOpenSshRuns = sshServerName().startsWith("OpenSSH") ? describe : describe.skip;
whereOpenSshRuns("shell: ssh (ssh2's Server, the stand-in where sshd is missing)", function () {
  this.timeout(60_000);
  let server: TestSshd;
  before(async () => (server = await startSsh2Server()));
  after(async () => server?.stop());
  const ssh = () => ({
    host: server.host,
    port: server.port,
    username: server.username,
    privateKey: server.privateKey,
    hostKeySha256: server.hostKeySha256,
  });

  transportBehaviour(() => transportFor({ ssh: ssh() }));

  it("refuses the stranger's key", async () => {
    const stranger = transportFor({ ssh: { ...ssh(), privateKey: server.strangerPrivateKey } });
    const refused = (error: ShellError) => error.kind === "auth";
    await assert.rejects(stranger.runCommand(["true"], { timeoutMs: 10_000 }), refused);
  });
});
