// Hostile input through Pulumi's dynamic-provider server: names, redirect URIs, flag keys and values holding quotes,
// newlines, NUL, leading dashes, $(...), backticks and Python source. Each is refused by `check` with its field
// named (a name with a control or bidi override character always is), or stored literally, over REST and through
// the Django shell (names, redirect URIs) or alation_conf (flag values). A canary file that any injection would
// create never appears.
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { FeatureFlag } from "../../provider";
import { shellPath } from "../../emulator";
import { ADMIN_TOKEN, startTestTenant, type TestTenant } from "../support/test-tenant";
import { installedPackageProject } from "../support/installed-package";
import { cleanEnvironment, startProviderServer, type ProviderServer } from "../support/provider-server";
import { serializeResource } from "../support/serialized-provider";
import { UNREADABLE_CHARACTER } from "../../provider/domain/readable-names";
import { canaryPath, hostileTexts } from "../support/hostile-values";
import { CLAUDE_REDIRECT_URIS } from "../support/provider-harness";
import { up, type Props, type StackState } from "./engine";
import { oauthApplicationProvider } from "./fleet";

/** Redirect URIs a careless or malicious program may pass; the first ones are valid URIs with hostile parts. */
function hostileRedirectUris(canary: string): string[] {
  return [
    // No spaces (refused in a URI): ${IFS} is the shell's space.
    `https://a.example/cb?next=$(touch\${IFS}${canary})`,
    `https://a.example/cb?q=\`touch\${IFS}${canary}\``,
    `https://a.example/cb?q='";touch\${IFS}${canary};"'`,
    `https://a.example/cb?x=__import__('os').system('touch\${IFS}${canary}')`,
    "https://a.example/%0d%0aSet-Cookie:%20x=1",
    "https://a.example/cb\n",
    "https://a.example/c b",
    "https://a.example/cb\u0000",
    "https://a.example/cb\u007f",
    "javascript:alert(document.cookie)",
    `https://a.example/cb#$(touch ${canary})`,
    "https://*.example/cb",
    "-c https://a.example/cb",
  ];
}

const HOSTILE_KEYS = (canary: string) => [
  `alation.x; touch ${canary}`,
  `$(touch ${canary})`,
  `\`touch ${canary}\``,
  "-s",
  "--help",
  "alation.flag\nalation.other",
  "alation.flag\u0000",
  "alation.it's",
  "alation.flag value",
  "",
];

// A stand-in alation_conf that keeps each key's value verbatim in a file of $FAKE_CONF_DIR (written whole, then
// renamed: creates run in parallel), so that any value can be checked to arrive literally (the emulator's accepts
// only its known boolean flag). Keys reaching it passed check: they are safe file names.
const FAKE_ALATION_CONF = `#!/usr/bin/env python3
import os, sys
path = os.path.join(os.environ["FAKE_CONF_DIR"], sys.argv[1])
if len(sys.argv) == 4 and sys.argv[2] == "-s":
    with open(path + ".new", "w") as new:
        new.write(sys.argv[3])
    os.replace(path + ".new", path)
else:
    print("Error decrypting value, details: Unknown prefix: None.")
    print("%s = %s" % (sys.argv[1], open(path).read() if os.path.exists(path) else ""))
`;

describe("reliability: hostile input", function () {
  this.timeout(60_000);
  const canary = canaryPath();
  let restTenant: TestTenant;
  let shellTenant: TestTenant;
  let server: ProviderServer;
  let fakeConfDir: string;
  let applicationProvider: string;
  let flagProvider: string;

  before(async () => {
    [restTenant, shellTenant] = await Promise.all([startTestTenant(), startTestTenant()]);
    fakeConfDir = fs.mkdtempSync(path.join(os.tmpdir(), "alation-fake-conf-"));
    fs.writeFileSync(path.join(fakeConfDir, "alation_conf"), FAKE_ALATION_CONF, { mode: 0o755 });
    server = await startProviderServer({
      cwd: installedPackageProject(),
      env: cleanEnvironment({
        ALATION_EMULATOR_URL: shellTenant.url,
        PATH: `${fakeConfDir}:${shellPath()}:${process.env.PATH}`,
        FAKE_CONF_DIR: fakeConfDir,
      }),
    });
    await server.configure({});
    applicationProvider = await oauthApplicationProvider();
    flagProvider = (
      await serializeResource(() => new FeatureFlag("flag", { shell: { local: {} }, key: "alation.x", value: 1 }))
    ).provider;
  });
  after(async () => {
    await server?.kill();
    await Promise.all([restTenant?.stop(), shellTenant?.stop()]);
    fs.rmSync(fakeConfDir, { recursive: true, force: true });
    assert.equal(fs.existsSync(canary), false, "no injection ran");
  });

  /**
   * Checks each value in `field` of `base` through the server: refused with a failure whose property is `property`,
   * or accepted. Returns the accepted values and the refused ones.
   */
  async function sortOut(
    values: string[],
    base: Props,
    field: string,
    property: string,
    wrap = (v: string): unknown => v,
  ) {
    const accepted: string[] = [];
    const refused: string[] = [];
    for (const value of values) {
      const { failures } = await server.check({}, { ...base, [field]: wrap(value) });
      if (failures.length === 0) {
        accepted.push(value);
        continue;
      }
      refused.push(value);
      assert.deepEqual(
        failures.map((f) => f.property),
        [property],
        `${JSON.stringify(value)}: ${JSON.stringify(failures)}`,
      );
    }
    return { accepted, refused };
  }

  it("names and redirect URIs: refused by check naming the field, or stored literally", async () => {
    const reaches: Array<[string, Props, TestTenant]> = [
      ["rest", { connection: { baseUrl: restTenant.url, apiAccessToken: ADMIN_TOKEN } }, restTenant],
      ["shell", { shell: { local: {} } }, shellTenant],
    ];
    const base = { __provider: applicationProvider, ...reaches[0][1], name: "n", redirectUris: CLAUDE_REDIRECT_URIS };
    const names = await sortOut(hostileTexts(canary), base, "name", "name");
    const uris = await sortOut(hostileRedirectUris(canary), base, "redirectUris", "redirectUris[0]", (uri) => [uri]);
    // Names are read by people: one with a control character (newline, NUL) or a bidi override is refused; any
    // other is stored literally.
    assert.deepEqual(
      names.refused,
      hostileTexts(canary).filter((name) => UNREADABLE_CHARACTER.test(name)),
      "exactly the names with a control or bidi override character are refused",
    );
    assert.ok(names.accepted.length >= 8, `names accepted: ${names.accepted.length}`);
    assert.ok(
      uris.accepted.length >= 4 && uris.refused.length >= 7,
      `redirect URIs: ${uris.accepted.length} accepted, ${uris.refused.length} refused`,
    );

    const desired = new Map<string, Props>();
    for (const [way, reach] of reaches) {
      names.accepted.forEach((name, i) =>
        desired.set(`${way}-name-${i}`, {
          __provider: applicationProvider,
          ...reach,
          name,
          redirectUris: CLAUDE_REDIRECT_URIS,
        }),
      );
      uris.accepted.forEach((uri, i) =>
        desired.set(`${way}-uri-${i}`, {
          __provider: applicationProvider,
          ...reach,
          name: `uri-${i}`,
          redirectUris: [uri],
        }),
      );
    }
    const state: StackState = new Map();
    assert.deepEqual((await up(server, desired, state, 4)).failures, []);
    for (const [way, , tenant] of reaches) {
      const clients = (await tenant.state()).clients;
      assert.deepEqual(
        clients.map((c) => c.name).sort(),
        [...names.accepted, ...uris.accepted.map((_uri, i) => `uri-${i}`)].sort(),
        `${way}: names stored literally`,
      );
      uris.accepted.forEach((uri, i) =>
        assert.deepEqual(
          clients.find((c) => c.name === `uri-${i}`)?.redirect_uris,
          [uri],
          `${way}: ${uri} stored literally`,
        ),
      );
    }
    assert.deepEqual((await up(server, new Map(), state, 4)).failures, []);
    assert.equal(fs.existsSync(canary), false, "nothing was executed");
  });

  it("flag keys refused naming `key`; values refused naming `value`, or stored and read back literally", async () => {
    const base = { __provider: flagProvider, shell: { local: {} }, key: "alation.test.value", value: "v" };
    const keys = await sortOut(HOSTILE_KEYS(canary), base, "key", "key");
    assert.deepEqual(keys.accepted, [], "every hostile key is refused");
    const values = await sortOut(hostileTexts(canary), base, "value", "value");
    assert.ok(values.accepted.length >= 8, `values accepted: ${values.accepted.length}`);
    const unstorable = (value: string) => value.includes("\n") || value.includes("\u0000") || value.startsWith("-");
    assert.deepEqual(
      values.refused,
      values.refused.filter(unstorable),
      "only what alation_conf cannot store is refused",
    );

    const desired = new Map(
      values.accepted.map((value, i): [string, Props] => [
        `flag-${i}`,
        { ...base, key: `alation.test.value_${i}`, value },
      ]),
    );
    const state: StackState = new Map();
    assert.deepEqual((await up(server, desired, state, 4)).failures, []);
    values.accepted.forEach((value, i) =>
      assert.equal(
        fs.readFileSync(path.join(fakeConfDir, `alation.test.value_${i}`), "utf8"),
        value,
        "stored literally",
      ),
    );
    for (const recorded of state.values()) {
      const read = await server.read(recorded.id, recorded.outputs);
      assert.equal(read.properties.value, recorded.outputs.value, "read back literally");
    }
    assert.equal(fs.existsSync(canary), false, "nothing was executed");
  });
});
