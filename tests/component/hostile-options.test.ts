// Names that people read and values known only later, judged by the connector (issue 24): a connectorName or an
// applicationName with a newline, NUL, ESC or a right-to-left override is refused naming the option; an extra
// redirect URI known only later is reported as extraRedirectUris[i], as the user wrote it; an absurd expiry gets one
// message; a misspelt stack config setting is named with a did-you-mean. Nothing is registered when a value known now
// is refused; the application is not when one known later is. No test here reaches a tenant.
import * as assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import fc from "fast-check";
import { AlationClaudeConnector, OAuthApplication, type AlationClaudeConnectorArgs } from "../../provider";
import { judgeConnectorOptions, PLAINLY_VALID } from "../../provider/component/connector-options";
import { oauthApplicationShape } from "../../provider/schema/oauth-application";
import { setRealProviderMocks, type RealProviderMocks } from "../support/real-provider-mocks";

const connection = { baseUrl: "https://acme.alationcloud.com" };
const RULE = "must not hold control characters (newline, tab, NUL, ESC, ...) or bidirectional overrides";

/** The RunError message of a connector refused at construction, after checking that nothing was registered. */
function refusal(mocks: RealProviderMocks, name: string, args: AlationClaudeConnectorArgs): string {
  const before = mocks.registered.length;
  let message = "";
  assert.throws(
    () => new AlationClaudeConnector(name, { connection, ...args }),
    (error: Error) => {
      assert.ok(error instanceof pulumi.RunError, `printed without a stack trace: ${error}`);
      message = error.message;
      return true;
    },
  );
  assert.equal(mocks.registered.length, before, "nothing registered");
  return message;
}

describe("AlationClaudeConnector: names people read, values known later", function () {
  let mocks: RealProviderMocks;
  beforeEach(async () => {
    mocks = await setRealProviderMocks({ "alation:apiAccessToken": "unused-token" });
  });

  const unreadable: Array<[string, string, string]> = [
    ["a newline", "Alation\nProd", "U+000A at character 8"],
    ["NUL", "Alation\u0000", "U+0000 at character 8"],
    ["ESC", "\u001b[31mAlation", "U+001B at character 1"],
    ["a right-to-left override", "Alation \u202eodorp", "U+202E at character 9"],
    ["a bidi isolate", "Alation \u2066x\u2069", "U+2066 at character 9"],
  ];
  for (const [what, value, found] of unreadable) {
    it(`connectorName and applicationName with ${what} are refused, naming the option`, () => {
      assert.equal(
        refusal(mocks, "bad-connector-name", { connectorName: value }),
        `AlationClaudeConnector bad-connector-name: connectorName ${RULE} (U+202A-U+202E, U+2066-U+2069): it holds ` +
          found,
      );
      const message = refusal(mocks, "bad-application-name", { applicationName: value });
      assert.ok(message.startsWith(`AlationClaudeConnector bad-application-name: applicationName: name ${RULE}`));
      assert.ok(message.endsWith(`it holds ${found}`), message);
    });
  }

  it("accepts names in any script, emoji and right-to-left text without overrides", () => {
    for (const name of ["Alation — 名前 🚀", "אלציה", 'Alation (Acme) it\'s "prod"']) {
      assert.deepEqual(judgeConnectorOptions("X", { connectorName: name, applicationName: name }), []);
    }
  });

  it("takes a value for plainly valid only where the application's schema accepts it", () => {
    const near = (n: number) => [n - 1, n, n + 1, n + 0.5, -n];
    const value = fc.oneof(
      fc.string({ unit: "binary", maxLength: 300 }),
      fc.constantFrom("", " ", "\t", "a".repeat(255), "a".repeat(256), "😀".repeat(128), "x\u202e", 0, NaN, null, []),
      fc.constantFrom(...[3600, 259200, 15552000].flatMap(near), Infinity, 1e300, "3600", true),
    );
    fc.assert(
      fc.property(
        fc.constantFrom(...(Object.keys(PLAINLY_VALID) as Array<keyof typeof PLAINLY_VALID>)),
        value,
        (f, v) => {
          if (PLAINLY_VALID[f](v)) assert.ok(oauthApplicationShape[f].safeParse(v).success, `${f}: ${String(v)}`);
        },
      ),
      { numRuns: 3000 },
    );
  });

  it("a program whose connectors give usual options does not load the schema's zod", () => {
    // A fresh process: this one has loaded zod long ago.
    const program = `
      const pulumi = require("@pulumi/pulumi");
      pulumi.runtime.setMocks({ newResource: (a) => ({ id: a.name, state: a.inputs }), call: (a) => a.inputs });
      const { AlationClaudeConnector } = require(${JSON.stringify(path.resolve(__dirname, "../../dist/provider"))});
      new AlationClaudeConnector("usual", {
        connection: { baseUrl: "https://acme.alationcloud.com" },
        applicationName: "Claude for Acme", accessTokenExpiry: 7200, refreshTokenExpiry: 259200,
        secretVersion: "1", adoptClientId: "a1",
      });
      process.stdout.write(Object.keys(require.cache).filter((file) => /[\\/]zod[\\/]/.test(file)).length + "");`;
    const loaded = execFileSync(process.execPath, ["-e", program], {
      encoding: "utf8",
      stdio: ["ignore", "pipe", "pipe"],
    });
    assert.equal(loaded, "0");
  });

  /** The messages of the unhandled rejections while `run` runs and a moment after: how a failed input shows. */
  async function rejectionsOf(run: () => unknown): Promise<string[]> {
    const seen: string[] = [];
    const collect = (reason: unknown) => seen.push(reason instanceof Error ? reason.message : String(reason));
    process.on("unhandledRejection", collect);
    try {
      run();
      await new Promise((resolve) => setTimeout(resolve, 300));
    } finally {
      process.off("unhandledRejection", collect);
    }
    return [...new Set(seen)];
  }

  it("a connectorName known only later is judged once known, before the application is registered", async () => {
    const expected = `AlationClaudeConnector later-name: connectorName ${RULE}`;
    const failures = await rejectionsOf(
      () => new AlationClaudeConnector("later-name", { connection, connectorName: pulumi.output("a\u001bb") }),
    );
    assert.ok(failures.length > 0 && failures.every((message) => message.includes(expected)), failures.join("\n"));
    assert.ok(!mocks.registered.some((r) => r.name === "later-name-application"), "no application registered");
  });

  it("an extra redirect URI known only later is reported as extraRedirectUris[i], not redirectUris[3]", async () => {
    const extraRedirectUris = pulumi.output(["https://fine.example/cb", "http://evil.example/cb"]);
    const failures = await rejectionsOf(
      () => new AlationClaudeConnector("later-extra", { connection, extraRedirectUris }),
    );
    const expected = "AlationClaudeConnector later-extra: extraRedirectUris[1]: a redirect URI must use https://";
    assert.ok(failures.length > 0 && failures.every((message) => message.includes(expected)), failures.join("\n"));
    assert.ok(!failures.some((message) => /redirectUris\[4\]/.test(message)), failures.join("\n"));
    assert.ok(!mocks.registered.some((r) => r.name === "later-extra-application"), "no application registered");
  });

  describe("a misspelt setting in stack config", () => {
    afterEach(() => pulumi.runtime.setAllConfig({}));

    it("is named at construction with a did-you-mean, not as a generic missing URL or credential", () => {
      pulumi.runtime.setAllConfig({
        "alation:baseURL": "https://acme.alationcloud.com",
        "alation:apiToken": "a-token-value",
        // A program's own keys (the root stack's) are not settings, and not misspellings of one.
        "alation:tenants": "[]",
        "alation:clients": '["claude"]',
        "alation:secretVersion": "1",
      });
      const expected =
        "stack config alation:baseURL is not a setting: did you mean alation:baseUrl?; " +
        "stack config alation:apiToken is not a setting: did you mean alation:apiAccessToken?";
      const before = mocks.registered.length;
      assert.throws(
        () => new AlationClaudeConnector("claude", {}),
        (error: Error) =>
          error instanceof pulumi.RunError && error.message === `AlationClaudeConnector claude: ${expected}`,
      );
      assert.throws(
        () => new OAuthApplication("app", { redirectUris: [] }),
        (error: Error) => error instanceof pulumi.RunError && error.message === `OAuthApplication app: ${expected}`,
      );
      assert.equal(mocks.registered.length, before, "nothing registered");
    });
  });

  it("an expiry of 1e300 gets one message", () => {
    assert.equal(
      refusal(mocks, "huge-expiry", { accessTokenExpiry: 1e300 }),
      "AlationClaudeConnector huge-expiry: accessTokenExpiry: accessTokenExpiry must be at most 259200 seconds",
    );
  });
});
