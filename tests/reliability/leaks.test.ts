// Leaks: every lifecycle (REST with each way to authenticate; the shell through local, SSH and Kubernetes) runs
// with canary credentials, and failing ones with wrong canary credentials. No canary, and no client secret the
// tenant issued, may appear in `__provider`, in outputs other than the declared secret ones (clientSecret,
// connection, shell), in inputs read back, in any error, or in anything the provider server printed.
import { strict as assert } from "node:assert";
import { FeatureFlag, OAuthApplication } from "../../provider";
import { JWT_FLAG, startTestTenant, type TestTenant } from "../support/test-tenant";
import { installedPackageProject } from "../support/installed-package";
import { startKubeApiServer, type KubeApiServer } from "../support/kube-api-server";
import { cleanEnvironment, startProviderServer, type ProviderServer } from "../support/provider-server";
import { serializeResource } from "../support/serialized-provider";
import { freePort } from "../support/ports";
import { startSshd, type TestSshd } from "../support/sshd";
import { credentialsFor } from "../support/tenant-credentials";
import { CLAUDE_REDIRECT_URIS, emulatorCommandEnv, envPrefix } from "../support/provider-harness";
import { up, type Props, type StackState } from "./engine";
import { oauthApplicationProvider } from "./fleet";

const CANARY_API_TOKEN = "canary-api-token-9f1e2d3c4b5a";
const CANARY_KUBE_TOKEN = "canary-kube-token-7a6b5c4d3e2f";
const WRONG = {
  apiAccessToken: "canary-wrong-api-token-1a2b3c",
  refreshToken: "canary-wrong-refresh-token-4d5e6f",
  clientSecret: "canary-wrong-client-secret-7a8b9c",
  kubeToken: "canary-wrong-kube-token-0d1e2f",
};
// Outputs declared secret (additionalSecretOutputs): the only places a credential or client secret may be.
const SECRET_OUTPUTS = new Set(["clientSecret", "connection", "shell"]);

describe("reliability: no secret leaks, with canary credentials", function () {
  this.timeout(90_000);
  let tenant: TestTenant;
  let sshd: TestSshd;
  let kube: KubeApiServer;
  let server: ProviderServer;
  let flagProvider: string;
  /** Every canary and every secret the tenant issued during the tests. */
  const canaries = new Set<string>([CANARY_API_TOKEN, CANARY_KUBE_TOKEN, ...Object.values(WRONG)]);
  /** Every text that must hold none of them: outputs (but the secret ones), inputs read back, errors. */
  const exposed: string[] = [];

  before(async () => {
    tenant = await startTestTenant({ adminToken: CANARY_API_TOKEN });
    sshd = await startSshd();
    kube = await startKubeApiServer({
      token: CANARY_KUBE_TOKEN,
      env: { ...process.env, ...emulatorCommandEnv(tenant.url) },
      pods: [{ name: "alation-0", namespace: "alation" }],
    });
    for (const key of [sshd.privateKey, sshd.strangerPrivateKey]) for (const line of keyLines(key)) canaries.add(line);
    server = await startProviderServer({
      cwd: installedPackageProject(),
      env: cleanEnvironment(emulatorCommandEnv(tenant.url)),
    });
    await server.configure({});
    flagProvider = (
      await serializeResource(() => new FeatureFlag("flag", { shell: { local: {} }, key: JWT_FLAG, value: true }))
    ).provider;
  });
  after(async () => {
    await server?.kill();
    await kube?.stop();
    await sshd?.stop();
    await tenant?.stop();
  });

  /** Create, read, update, delete; records every output and read-back input, and returns the failures' messages. */
  async function lifecycle(news: Props, change: Props): Promise<void> {
    const state: StackState = new Map();
    const desired = new Map([["resource", news]]);
    const run = async () => {
      const report = await up(server, desired, state, 1);
      exposed.push(...report.failures.map((failure) => failure.message));
      assert.deepEqual(report.failures, []);
      const outputs = state.get("resource")?.outputs;
      if (outputs) recordOutputs(outputs);
    };
    await run();
    const created = state.get("resource");
    assert.ok(created);
    const read = await server.read(created.id, created.outputs);
    recordOutputs(read.properties);
    exposed.push(JSON.stringify(read.inputs ?? {}));
    desired.set("resource", { ...news, ...change });
    await run();
    desired.clear();
    await run();
  }

  /** A create that must fail; returns its message (recorded). */
  async function failingCreate(news: Props): Promise<string> {
    const report = await up(server, new Map([["resource", news]]), new Map(), 1);
    assert.equal(report.failures.length, 1, "the create failed");
    exposed.push(report.failures[0].message);
    return report.failures[0].message;
  }

  function recordOutputs(outputs: Props): void {
    if (typeof outputs.clientSecret === "string") canaries.add(outputs.clientSecret);
    for (const [key, value] of Object.entries(outputs))
      if (!SECRET_OUTPUTS.has(key)) exposed.push(`${key}: ${JSON.stringify(value)}`);
  }

  const application = async (reach: Props, name: string): Promise<Props> => ({
    __provider: await oauthApplicationProvider(),
    ...reach,
    name,
    redirectUris: CLAUDE_REDIRECT_URIS,
  });
  const flag = (shell: Props): Props => ({ __provider: flagProvider, shell, key: JWT_FLAG, value: true });
  const ssh = (overrides: Props = {}): Props => ({
    ssh: {
      host: sshd.host,
      port: sshd.port,
      username: sshd.username,
      privateKey: sshd.privateKey,
      hostKeySha256: sshd.hostKeySha256,
      commandPrefix: envPrefix(emulatorCommandEnv(tenant.url)),
      ...overrides,
    },
  });
  const kubernetes = (kubeconfig = kube.kubeconfig): Props => ({
    kubernetes: { kubeconfig, namespace: "alation", pod: "alation-0" },
  });
  const CHANGE = { accessTokenExpiry: 7200, secretVersion: "2" };

  it("serializes no credential into __provider, and makes every credential a secret input", async () => {
    const built = [
      await serializeResource(
        () =>
          new OAuthApplication("a", {
            connection: { baseUrl: tenant.url, apiAccessToken: CANARY_API_TOKEN },
            redirectUris: CLAUDE_REDIRECT_URIS,
          }),
      ),
      await serializeResource(
        () =>
          new OAuthApplication("b", {
            shell: { kubernetes: { kubeconfig: kube.kubeconfig, namespace: "alation", pod: "alation-0" } },
            redirectUris: CLAUDE_REDIRECT_URIS,
          }),
      ),
      await serializeResource(() => new FeatureFlag("c", { shell: ssh() as never, key: JWT_FLAG, value: true })),
    ];
    for (const registered of built) {
      assertClean(`__provider of ${registered.name}`, registered.provider, canaries);
      assert.ok(registered.secretInputs.length > 0, `${registered.name}: the credential makes its input secret`);
    }
  });

  it("REST: a lifecycle with each way to authenticate", async () => {
    const service = await tenant.createServiceAccount();
    const refresh = await credentialsFor(tenant, "refreshToken");
    const modes: Props[] = [
      { apiAccessToken: CANARY_API_TOKEN },
      refresh,
      { clientCredentials: { clientId: service.client_id, clientSecret: service.client_secret } },
    ];
    canaries.add(service.client_secret);
    canaries.add(String(refresh.refreshToken));
    for (const [index, credentials] of modes.entries()) {
      await lifecycle(
        await application({ connection: { baseUrl: tenant.url, ...credentials } }, `rest-${index}`),
        CHANGE,
      );
    }
  });

  it("REST: failures with wrong canary credentials and an unreachable tenant", async () => {
    const wrongs: Props[] = [
      { apiAccessToken: WRONG.apiAccessToken },
      { refreshToken: WRONG.refreshToken, userId: 1 },
      { clientCredentials: { clientId: "nobody", clientSecret: WRONG.clientSecret } },
    ];
    for (const credentials of wrongs) {
      assert.match(
        await failingCreate(await application({ connection: { baseUrl: tenant.url, ...credentials } }, "refused")),
        /\b40[13]\b|auth/,
      );
    }
    const nowhere = `http://127.0.0.1:${await freePort()}`;
    assert.match(
      await failingCreate(
        await application({ connection: { baseUrl: nowhere, apiAccessToken: CANARY_API_TOKEN } }, "unreachable"),
      ),
      /network|ECONNREFUSED/,
    );
  });

  it("shell: FeatureFlag and OAuthApplication lifecycles through local, SSH and Kubernetes", async () => {
    for (const shell of [{ local: {} }, ssh(), kubernetes()]) {
      await lifecycle(flag(shell), { value: false });
      await lifecycle(await application({ shell }, `shell-${Object.keys(shell)[0]}`), CHANGE);
    }
  });

  it("shell: failures with a wrong SSH key, a wrong kube token and an unreachable API server", async () => {
    assert.match(await failingCreate(flag(ssh({ privateKey: sshd.strangerPrivateKey }))), /auth|refused|denied/i);
    assert.match(
      await failingCreate(flag(ssh({ hostKeySha256: sshd.otherHostKeySha256 }))),
      /does not match the pinned hostKeySha256/,
    );
    assert.match(
      await failingCreate(flag(kubernetes(kube.kubeconfig.replace(CANARY_KUBE_TOKEN, WRONG.kubeToken)))),
      /auth|401|Unauthorized/i,
    );
    const unreachable = kube.kubeconfig.replace(kube.url, `http://127.0.0.1:${await freePort()}`);
    assert.ok(unreachable.includes(CANARY_KUBE_TOKEN) && unreachable !== kube.kubeconfig);
    await failingCreate(await application({ shell: kubernetes(unreachable) }, "unreachable-pod"));
  });

  it("nothing exposed holds a canary or an issued secret, nor does the provider server's output", () => {
    assert.ok(exposed.length > 40, `${exposed.length} texts checked`);
    assert.ok(canaries.size > 20, `${canaries.size} secrets looked for`);
    for (const text of exposed) assertClean("an output, read-back input or error", text, canaries);
    assertClean("the provider server's output", server.output(), canaries);
  });
});

/** The base64 lines of a private key's body: each is a secret. */
function keyLines(key: string): string[] {
  return key.split("\n").filter((line) => line.length >= 20 && !line.startsWith("-----"));
}

function assertClean(where: string, text: string, secrets: ReadonlySet<string>): void {
  for (const secret of secrets) {
    assert.ok(!text.includes(secret), `a secret (...${secret.slice(-6)}) leaked into ${where}: ${text.slice(0, 200)}`);
  }
}
