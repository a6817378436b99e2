// The shell path's pure pieces: alation_conf's tolerant parsing, POSIX quoting, redaction, and the schemas'
// property paths.
import * as assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as path from "node:path";
import fc from "fast-check";
import { confValueAs, formatConfValue, parseConfOutput } from "../../provider/shell/alation-conf";
import { ShellError, commandName, redact } from "../../provider/shell/errors";
import { Transport, runChecked } from "../../provider/shell/transport";
import { fingerprintOf, normalizeFingerprint, sshCommandLine } from "../../provider/shell/ssh";
import { featureFlagSchema } from "../../provider/schema/feature-flag";
import { shellSchema } from "../../provider/schema/shell";

const KEY = "alation.feature_flags.enable_jwt_in_v1_oauth_stack";
const NOISE = "Error decrypting value, details: Unknown prefix: None. Returning the value as is.";

describe("alation_conf output", () => {
  it("reads `key = value`, `key: value` and a bare value among noise lines", () => {
    assert.equal(parseConfOutput(`${NOISE}\n${KEY} = True\n`, KEY), "True");
    assert.equal(parseConfOutput(`${KEY}: False\n${NOISE}\n`, KEY), "False");
    assert.equal(parseConfOutput(`${NOISE}\nWARNING: something\nTrue\n`, KEY), "True");
    assert.equal(parseConfOutput(`2024-01-01 12:00:00,000 INFO starting\n  some value  \n`, KEY), "some value");
    assert.equal(parseConfOutput(`${NOISE}\n`, KEY), undefined);
    assert.equal(parseConfOutput(`${KEY}_other = 1\n${KEY} = 2\n`, KEY), "2");
  });

  it("writes booleans as True/False and reads values back as the type asked for", () => {
    assert.equal(formatConfValue(true), "True");
    assert.equal(formatConfValue(false), "False");
    assert.equal(formatConfValue(42), "42");
    assert.equal(confValueAs("True", false), true);
    assert.equal(confValueAs("false", true), false);
    assert.equal(confValueAs("'False'", true), false);
    assert.equal(confValueAs("maybe", true), "maybe");
    assert.equal(confValueAs("42", 1), 42);
    assert.equal(confValueAs("abc", "x"), "abc");
  });
});

describe("ssh command lines", () => {
  it("quote every argument so that a POSIX shell gives back the exact argv", () => {
    fc.assert(
      fc.property(
        fc.array(
          fc.string({ unit: "binary", minLength: 0, maxLength: 20 }).filter((s) => !s.includes("\0")),
          { minLength: 1, maxLength: 4 },
        ),
        (argv) => {
          const line = sshCommandLine(["printf", "%s\\0", ...argv]);
          const printed = execFileSync("sh", ["-c", line]).toString("utf8");
          assert.deepEqual(printed.split("\0").slice(0, -1), argv);
        },
      ),
      { numRuns: 40 },
    );
  });

  it("compare fingerprints in either form", () => {
    const fingerprint = fingerprintOf(Buffer.from("a host key"));
    assert.match(fingerprint, /^SHA256:[A-Za-z0-9+/]{43}$/);
    assert.equal(normalizeFingerprint(fingerprint), normalizeFingerprint(fingerprint.slice(7) + "="));
  });
});

describe("messages", () => {
  it("name the program, not its data", () => {
    assert.equal(
      commandName(["env", "ALATION_PULUMI_REQUEST=eyJzZWNyZXQiOiJ4In0=", "alation_django_shell"]),
      "alation_django_shell",
    );
    assert.equal(commandName(["/usr/local/bin/alation_conf", "key"]), "alation_conf");
  });

  it("redact keys, tokens and secrets", () => {
    const text = [
      "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----",
      "client_secret: abc123",
      "token=Zm9vYmFyYmF6cXV4Zm9vYmFyYmF6cXV4Zm9vYmFy",
      "id=AbCdEfGhIjKlMnOpQrStUvWxYz0123456789_-AbCd",
      "/usr/lib/python3/dist-packages/api_authentication/models.py",
    ].join("\n");
    const redacted = redact(text, ["known-secret-value"]);
    assert.doesNotMatch(redacted, /b3BlbnNzaC1rZXktdjEAAAAA|abc123|Zm9vYmFy|AbCdEfGhIjKlMnOp/);
    assert.match(redacted, /dist-packages\/api_authentication\/models\.py/);
    assert.equal(redact("x known-secret-value y", ["known-secret-value"]), "x [redacted] y");
  });
});

describe("schemas", () => {
  const paths = (result: { success: boolean; error?: { issues: Array<{ path: PropertyKey[] }> } }) =>
    result.success ? [] : (result.error?.issues ?? []).map((issue) => issue.path.join("."));

  it("want exactly one of kubernetes, ssh and local", () => {
    assert.deepEqual(shellSchema.safeParse({ local: {} }).success, true);
    assert.deepEqual(paths(shellSchema.safeParse({})), [""]);
    assert.deepEqual(paths(shellSchema.safeParse({ local: {}, kubernetes: { namespace: "a", pod: "b" } })), [""]);
  });

  it("give every failure its property path", () => {
    assert.deepEqual(paths(shellSchema.safeParse({ kubernetes: { namespace: "Bad Namespace", pod: "p" } })), [
      "kubernetes.namespace",
    ]);
    assert.deepEqual(paths(shellSchema.safeParse({ kubernetes: { namespace: "ns" } })), ["kubernetes.pod"]);
    assert.deepEqual(
      paths(
        shellSchema.safeParse({
          ssh: { host: "h", username: "u", privateKey: "nope", hostKeySha256: "SHA256:short", commandPrefix: [""] },
        }),
      ).sort(),
      ["ssh.commandPrefix.0", "ssh.hostKeySha256", "ssh.privateKey"],
    );
    assert.deepEqual(paths(shellSchema.safeParse({ local: { extra: 1 } })), ["local"]);
  });

  it("refuse conf keys and values that could be mistaken for code or options", () => {
    const flag = (key: string, value: unknown) =>
      paths(featureFlagSchema.safeParse({ shell: { local: {} }, key, value }));
    assert.deepEqual(flag(KEY, true), []);
    for (const key of ["a b", "a'b", 'a"b', "a$b", "a`b", "a\0b", "-a", "a..b", ""])
      assert.deepEqual(flag(key, true), ["key"], key);
    for (const value of ["two\nlines", "nul\0", "", "-x", null, {}])
      assert.deepEqual(flag(KEY, value), ["value"], String(value));
    assert.deepEqual(flag(KEY, "-1"), []);
    assert.equal(featureFlagSchema.parse({ shell: { local: {} }, key: KEY, value: true }).restoreOnDelete, true);
  });
});

describe("retries", () => {
  // A transport whose first `failures` commands lose their connection.
  const flaky = (failures: number, commandSent: boolean) => {
    let calls = 0;
    const transport: Transport = {
      target: "a flaky host",
      runCommand: async () => {
        calls++;
        if (calls <= failures) throw new ShellError("connection", "connection reset", { commandSent });
        return { exitCode: 0, stdout: "done", stderr: "" };
      },
    };
    return { transport, calls: () => calls };
  };

  it("run an idempotent command again after a lost connection", async () => {
    const { transport, calls } = flaky(2, true);
    assert.equal(
      (await runChecked(transport, ["alation_conf", "k"], { idempotent: true, timeoutMs: 1000 })).stdout,
      "done",
    );
    assert.equal(calls(), 3);
  });

  it("never run a command that is not idempotent twice once it was sent", async () => {
    const { transport, calls } = flaky(1, true);
    await assert.rejects(
      runChecked(transport, ["alation_django_shell"], { idempotent: false, timeoutMs: 1000 }),
      /connection reset/,
    );
    assert.equal(calls(), 1);
  });

  it("run any command again when the connection failed before it was sent", async () => {
    const { transport, calls } = flaky(1, false);
    await runChecked(transport, ["alation_django_shell"], { idempotent: false, timeoutMs: 1000 });
    assert.equal(calls(), 2);
  });
});

describe("loading", () => {
  it("leaves ssh2 and the Kubernetes client unloaded until a stack uses them", () => {
    const dist = path.join(__dirname, "..", "..", "dist", "provider");
    const script = `
      require(${JSON.stringify(path.join(dist, "index.js"))});
      require(${JSON.stringify(path.join(dist, "runtime", "index.js"))});
      const heavy = /node_modules[\\\\/](ssh2|@kubernetes)[\\\\/]/;
      const loaded = Object.keys(require.cache).filter((file) => heavy.test(file));
      process.stdout.write(JSON.stringify(loaded));`;
    assert.deepEqual(JSON.parse(execFileSync(process.execPath, ["-e", script], { encoding: "utf8" })), []);
  });
});
