// The fleet file, checked before anything runs: what a good file becomes, and one line per problem of a bad one,
// naming the tenant (or wave) and the field, never quoting a value. And the bin's refusal of a bad file: exit 2,
// nothing run.
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { FleetFileError, parseFleet } from "../../provider/fleet/fleet-file";
import { runFleetCli } from "../../provider/fleet/cli";
import { docsQuote } from "../support/docs";

const GOOD = `
project: claude-connectors
parallel: 2
waves:
  - name: canary
    tenants:
      - name: acme
        baseUrl: https://acme.alationcloud.com/
        apiAccessTokenEnv: ACME_TOKEN
        connector: { connectorName: "Alation (Acme)", verifierLogin: { callbackPort: 8123 } }
        verify: { login: true }
  - name: rest
    tenants:
      - name: beta
        baseUrl: https://beta.alationcloud.com
        apiAccessTokenEnv: BETA_TOKEN
        verify: false
`;

/** The problem lines of a bad fleet file (without the file's name before each). */
function problemsOf(text: string): string[] {
  try {
    parseFleet(text, "fleet.yaml");
  } catch (error) {
    assert.ok(error instanceof FleetFileError, String(error));
    for (const line of error.message.split("\n")) assert.ok(line.startsWith("fleet.yaml: "), line);
    return error.problems;
  }
  throw new Error("the fleet file was accepted");
}

/** A fleet of one wave, `canary`, of these tenants (YAML lines, indented as list items of `tenants`). */
const withTenants = (...tenants: string[]) => {
  const items = tenants.map((tenant) => tenant.replace(/^/gm, "      ")).join("\n");
  return `project: p\nwaves:\n  - name: canary\n    tenants:\n${items}\n`;
};
/** A tenant named `name` at https://NAME.alationcloud.com, with `extra` lines. */
const tenant = (name: string, extra = "") => {
  const lines = [
    `- name: ${name}`,
    `  baseUrl: https://${name.toLowerCase()}.alationcloud.com`,
    "  apiAccessTokenEnv: T",
  ];
  return [...lines, ...(extra ? [extra] : [])].join("\n");
};

describe("fleet file", () => {
  it("a good file: defaults filled, baseUrl as an origin, a relative file:// backend beside the file", () => {
    const fleet = parseFleet(GOOD, "/work/fleets/fleet.yaml");
    assert.equal(fleet.backend, "file:///work/fleets/.fleet-state");
    assert.equal(fleet.parallel, 2);
    const [acme, beta] = fleet.waves.flatMap((wave) => wave.tenants);
    assert.equal(acme.baseUrl, "https://acme.alationcloud.com");
    assert.deepEqual(acme.verify, { login: true, emulator: false });
    assert.deepEqual(acme.connector, { connectorName: "Alation (Acme)", verifierLogin: { callbackPort: 8123 } });
    assert.equal(beta.verify, false);
    assert.deepEqual(beta.connector, {});
    assert.equal(beta.wave, "rest");
    assert.equal(
      parseFleet(
        "project: p\nwaves: [{name: w, tenants: [{name: a, baseUrl: 'https://a.b', apiAccessTokenEnv: A}]}]",
        "f",
      ).parallel,
      4,
    );
  });

  it("clients as the root stack's config takes them: the file's for every tenant, a tenant's own first", () => {
    const text = [
      "project: p",
      "clients: [claude, vscode]",
      "waves:",
      "  - name: w",
      "    tenants:",
      "      - { name: a, baseUrl: 'https://a.example.com', apiAccessTokenEnv: A }",
      "      - name: b",
      "        baseUrl: https://b.example.com",
      "        apiAccessTokenEnv: B",
      "        clients: [{ preset: claude-code, callbackPort: 3118 }]",
    ].join("\n");
    const [a, b] = parseFleet(text, "f").waves[0].tenants;
    assert.deepEqual(a.clients, ["claude", "vscode"]);
    assert.deepEqual(b.clients, [{ preset: "claude-code", callbackPort: 3118 }]);
    assert.deepEqual(parseFleet(GOOD, "f").waves[0].tenants[0].clients, ["claude"]);
    const problems = problemsOf(
      text.replace("[claude, vscode]", "[claude, { preset: cursr }, claude]").replace("3118", "0"),
    );
    assert.deepEqual(problems, [
      "clients[1].preset must be one of claude, claude-code, vscode, cursor, gemini-cli, mcp-inspector, chatgpt",
      "clients[2]: is claude again (one connector per client and tenant)",
      "tenant b (waves[0].tenants[1]): clients[0].callbackPort must be a whole number from 1024 to 65535",
    ]);
  });

  it("JSON is a fleet file too", () => {
    const json = JSON.stringify({
      project: "p",
      backend: "s3://bucket/fleet",
      waves: [{ name: "w", tenants: [{ name: "a", baseUrl: "https://a.example.com", apiAccessTokenEnv: "A" }] }],
    });
    const fleet = parseFleet(json, "fleet.json");
    assert.equal(fleet.backend, "s3://bucket/fleet");
    assert.deepEqual(fleet.waves[0].tenants[0].verify, { login: false, emulator: false });
  });

  it("malformed YAML: one line with the parser's position, without the file's text", () => {
    const problems = problemsOf("project: p\nwaves: [\n  a: secret-looking-value\n");
    assert.equal(problems.length, 1);
    assert.match(problems[0], /^is not valid YAML or JSON: .* at line \d+, column \d+$/);
    assert.ok(!problems[0].includes("secret-looking-value"));
    assert.deepEqual(problemsOf("project: p\nproject: q\nwaves: []\n"), [
      "is not valid YAML or JSON: Map keys must be unique at line 2, column 1",
    ]);
  });

  it("a duplicate tenant name, in any wave and in any case, is named with its field", () => {
    const other = tenant("Acme").replace("acme.alationcloud", "acme-eu.alationcloud");
    const twoWaves = `${withTenants(tenant("acme"))}  - name: rest\n    tenants:\n${other.replace(/^/gm, "      ")}\n`;
    assert.deepEqual(problemsOf(twoWaves), [
      "tenant Acme (waves[1].tenants[0]): name is tenant acme's (names must differ in more than case)",
    ]);
  });

  it("two tenants that would manage one application of one tenant are refused", () => {
    // Default names are each stack's own: two stacks on one tenant are fine.
    const same = "- name: other\n  baseUrl: https://acme.alationcloud.com\n  apiAccessTokenEnv: T";
    assert.doesNotThrow(() => parseFleet(withTenants(tenant("acme"), same), "f"));
    const named = (name: string) => `\n  connector: { applicationName: ${name} }`;
    const both = withTenants(tenant("acme", named("shared-app").slice(1)), `${same}${named("shared-app")}`);
    assert.deepEqual(problemsOf(both), [
      "tenant other (waves[0].tenants[1]): baseUrl and connector.applicationName are tenant acme's: two stacks would " +
        "manage one application (give each an applicationName of its own)",
    ]);
    const ownName = withTenants(tenant("acme", named("shared-app").slice(1)), `${same}${named("other-app")}`);
    assert.doesNotThrow(() => parseFleet(ownName, "f"));
  });

  it("a credential written into the file is refused, naming the tenant and the field, never the value", () => {
    const problems = problemsOf(
      withTenants(
        tenant("acme", "  apiAccessToken: VALUE-ONE"),
        tenant(
          "beta",
          "  connector: { connection: { refreshToken: VALUE-TWO }, shell: { ssh: { privateKey: VALUE-3 } } }",
        ),
      ),
    );
    const fix = "which a fleet file must not hold: credentials come from the environment";
    assert.deepEqual(
      problems.map((line) => line.split(" is a credential, ")[0]),
      [
        "tenant acme (waves[0].tenants[0]): apiAccessToken",
        "tenant beta (waves[0].tenants[1]): connector.connection.refreshToken",
        "tenant beta (waves[0].tenants[1]): connector.shell.ssh.privateKey",
        // The rest of the file's problems come with them: the ssh settings lack what they need.
        "tenant beta (waves[0].tenants[1]): connector.shell.ssh.host must be a string",
        "tenant beta (waves[0].tenants[1]): connector.shell.ssh.username must be a string",
        "tenant beta (waves[0].tenants[1]): connector.shell.ssh.hostKeySha256 must be a string",
      ],
    );
    for (const line of problems) {
      assert.ok(!line.includes(" is a credential, ") || line.includes(fix), line);
      assert.doesNotMatch(line, /VALUE/);
    }
  });

  it("a token in the file and a baseURL typo: both at once, one line each, the token's field named once", () => {
    const problems = problemsOf(
      withTenants(
        [
          "- name: acme",
          "  baseURL: https://acme.alationcloud.com",
          "  apiAccessTokenEnv: T",
          "  apiAccessToken: V-1",
        ].join("\n"),
      ),
    );
    assert.deepEqual(
      problems.map((line) => line.split(/ is a credential, | \(known: /)[0]),
      [
        "tenant acme (waves[0].tenants[0]): apiAccessToken",
        "tenant acme (waves[0].tenants[0]): baseUrl must be a string",
        "tenant acme (waves[0].tenants[0]): baseURL is not a known field",
      ],
    );
    for (const line of problems) assert.doesNotMatch(line, /V-1/);
  });

  it("every other problem at once, each naming its tenant or wave and field", () => {
    const bad = withTenants(
      tenant(
        "acme",
        [
          "  apiAccessTokenEnv: 1ACME",
          "  connector: { accessTokenExpiry: 10, foo: 1, connection: { baseUrl: 'https://x.example.com' } }",
          "  verify: { login: true, bogus: 1 }",
        ].join("\n"),
      ).replace("  apiAccessTokenEnv: T\n", ""),
    );
    const acme = "tenant acme (waves[0].tenants[0]): ";
    assert.deepEqual(problemsOf(bad.replace("project: p", "project: p q\nparallel: 0")), [
      'project may hold only letters, digits, "-", "_" and "." (a Pulumi name)',
      "parallel must be a whole number from 1 to 32",
      `${acme}apiAccessTokenEnv must be the name of an environment variable (letters, digits and _)`,
      `${acme}connector.accessTokenExpiry must be at least 3600 seconds`,
      `${acme}connector.connection.baseUrl is not a known field (known: caCertificate, timeoutSeconds)`,
      `${acme}connector.foo is not a known field (known: connectorName, applicationName, tenantUrl, redirectUris, ` +
        "extraRedirectUris, mcpServerId, verifierLogin, manageJwtFeatureFlag, accessTokenExpiry, refreshTokenExpiry, " +
        "secretVersion, adoptClientId, connection, shell, kubernetesSecret)",
      `${acme}verify.bogus is not a known field (known: login, emulator, timeoutMs, loginTimeoutMs)`,
    ]);
  });

  it("a connectorName with a control or bidi override character is refused, naming it", () => {
    const problems = problemsOf(withTenants(tenant("acme", '  connector: { connectorName: "Alation \\u202eodorp" }')));
    assert.equal(problems.length, 1, problems.join("\n"));
    assert.match(problems[0], /connector\.connectorName must not hold control characters .* it holds U\+202E/);
  });

  it("verify.login needs the verifier's redirect URI on the application", () => {
    assert.deepEqual(problemsOf(withTenants(tenant("acme", "  verify: { login: true }"))), [
      "tenant acme (waves[0].tenants[0]): verify.login needs connector.verifierLogin (true or {callbackPort: N}): " +
        "the application must list the verifier's loopback redirect URI",
    ]);
  });

  it("a wave: an empty one, a repeated name, one that is no mapping", () => {
    const text = `${withTenants(tenant("acme"))}  - name: canary\n    tenants: []\n  - 5\n`;
    assert.deepEqual(problemsOf(text), [
      "wave canary (waves[1]): tenants must list at least one tenant",
      "the wave (waves[2]): a wave must be a mapping (name, tenants)",
      "wave canary (waves[1]): name is an earlier wave's",
    ]);
  });
});

describe("alation-fleet refuses bad input before anything runs", () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "fleet-file-"));
  after(() => fs.rmSync(dir, { recursive: true, force: true }));
  const runWith = async (text: string, args: string[], env: NodeJS.ProcessEnv = {}) => {
    const file = path.join(dir, "fleet.yaml");
    fs.writeFileSync(file, text);
    let out = "";
    let err = "";
    const code = await runFleetCli([...args, "--file", file], {
      stdout: (chunk) => (out += chunk),
      stderr: (chunk) => (err += chunk),
      // No pulumi on PATH: were anything to run, it would fail otherwise than with the refusal.
      env: { ...env, PATH: dir },
    });
    return { code, out, err: err.replaceAll(`${file}: `, "") };
  };

  it("a bad file: exit 2, its problems, nothing run", async () => {
    const result = await runWith(withTenants(tenant("acme", "  apiAccessToken: VALUE")), ["up"]);
    assert.equal(result.code, 2);
    assert.equal(result.out, "");
    assert.match(result.err, /^tenant acme \(waves\[0\]\.tenants\[0\]\): apiAccessToken is a credential, /);
    assert.match(result.err, /\nalation-fleet: nothing was run\n$/);
  });

  it("up and destroy need every tenant's token in the environment; the message names the variable", async () => {
    for (const command of ["up", "destroy"]) {
      const result = await runWith(withTenants(tenant("acme"), tenant("beta")), [command], { T: "" });
      assert.equal(result.code, 2);
      const line =
        "tenant acme (waves[0].tenants[0]): apiAccessTokenEnv names T, which is not set " +
        `(${command} needs the tenant's API access token there)`;
      assert.ok(result.err.startsWith(`${line}\n`), result.err);
      assert.ok(docsQuote(line.replace(`${command} needs`, "up needs")), "the README quotes the message");
    }
  });

  it("--wave names a wave of the file", async () => {
    const result = await runWith(GOOD, ["preview", "--wave", "later"]);
    assert.equal(result.code, 2);
    assert.match(result.err, /^has no wave "later" \(--wave; its waves: canary, rest\)\n/);
  });

  it("outputs: --tenant names a tenant of the file; --tenant and --show-secrets go with outputs only", async () => {
    const unknown = await runWith(GOOD, ["outputs", "--tenant", "gamma"]);
    assert.equal(unknown.code, 2);
    assert.match(unknown.err, /^has no tenant "gamma" \(--tenant; its tenants: acme, beta\)\n/);
    const elsewhere = await runWith(GOOD, ["up", "--show-secrets"]);
    assert.equal(elsewhere.code, 2);
    assert.match(elsewhere.err, /^alation-fleet: --show-secrets goes with `alation-fleet outputs` only\n/);
  });

  it("--refresh goes with up only (a preview makes no request, a destroy reads what it deletes)", async () => {
    for (const command of ["preview", "destroy"]) {
      const result = await runWith(GOOD, [command, "--refresh"]);
      assert.equal(result.code, 2);
      assert.match(result.err, /^alation-fleet: --refresh goes with `alation-fleet up` only\n/);
    }
  });

  it("usage: a command is needed", async () => {
    const result = await runWith(GOOD, ["deploy"]);
    assert.equal(result.code, 2);
    assert.match(
      result.err,
      /^alation-fleet: the command is one of `alation-fleet preview`, `up`, `destroy` or `outputs`\n/,
    );
  });
});
