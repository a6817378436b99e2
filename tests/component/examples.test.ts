// Each example and the root program, run as a user would have them: copied into a project where the packed
// package is installed, under mocks whose dynamic resources are created by the real providers against emulated
// tenants (and, for kubernetes-exec, a stand-in Kubernetes API server that execs the emulator's commands).
import * as assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { shellPath } from "../../emulator";
import { JWT_FEATURE_FLAG } from "../../provider";
import { ADMIN_TOKEN, startTestTenant, type TestTenant } from "../support/test-tenant";
import { installedPackageProject, linkRepoIntoItsNodeModules } from "../support/installed-package";
import { startKubeApiServer, type KubeApiServer } from "../support/kube-api-server";
import {
  setRealProviderMocks,
  settle,
  type RealProviderMocks,
  type RegisteredResource,
} from "../support/real-provider-mocks";

const repoRoot = path.resolve(__dirname, "..", "..");
// Internal to Pulumi's SDK (as its mocks are): resolves once every registration the program started is done.
const { waitForRPCs }: { waitForRPCs(): Promise<void> } = require("@pulumi/pulumi/runtime/settings");
let copies = 0;

/** Copies an example into the user project and loads it (a fresh module each time); returns its exports. */
function runProgram(
  source: string,
  config: Record<string, string>,
  secretKeys: string[] = [],
): Record<string, unknown> {
  pulumi.runtime.setAllConfig(config, secretKeys);
  const file = path.join(installedPackageProject(), `program-${++copies}.ts`);
  fs.copyFileSync(source, file);
  return require(file);
}

/** Loads the root program where it is (it imports the package, linked in as `npm start` does), afresh. */
function runRootProgram(config: Record<string, string>): Record<string, unknown> {
  linkRepoIntoItsNodeModules();
  pulumi.runtime.setAllConfig(config);
  const file = require.resolve(path.join(repoRoot, "index.ts"));
  delete require.cache[file];
  return require(file);
}

async function clientsOf(
  tenant: TestTenant,
): Promise<Array<{ client_id: string; client_secret: string; name: string }>> {
  return (await tenant.call("GET", "/__emulator/state")).json.clients;
}

describe("examples and the root program (mocks + real providers + emulator)", function () {
  const tenants: TestTenant[] = [];
  let mocks: RealProviderMocks;
  const savedEnv = { ...process.env };

  // Fresh tenants for each program: the guide's application name is unique per tenant.
  beforeEach(async function () {
    for (let i = 0; i < 3; i++) tenants.push(await startTestTenant());
    mocks = await setRealProviderMocks({ "alation:apiAccessToken": ADMIN_TOKEN });
  });
  afterEach(async function () {
    await Promise.all(tenants.splice(0).map((tenant) => tenant.stop()));
  });
  after(function () {
    process.env = savedEnv;
    pulumi.runtime.setAllConfig({});
  });

  it("single-tenant: the connector fields of a new application", async function () {
    const [tenant] = tenants;
    const program = runProgram(path.join(repoRoot, "examples/single-tenant/index.ts"), {
      "alation:baseUrl": tenant.url,
    });
    const clientId = await settle(program.clientId as pulumi.Output<string>);
    const secret = await settle(program.clientSecret as pulumi.Output<string>);
    assert.equal(secret.secret, true);
    const client = (await clientsOf(tenant)).find((c) => c.client_id === clientId.value);
    assert.equal(client?.client_secret, secret.value);
    assert.equal((await settle(program.remoteMcpServerUrl as pulumi.Output<string>)).value, `${tenant.url}/ai/mcp/`);
  });

  it("multi-tenant: one connector per configured tenant, each with its own secret token", async function () {
    const hosts = tenants.map((tenant) => new URL(tenant.url).host);
    const program = runProgram(
      path.join(repoRoot, "examples/multi-tenant/index.ts"),
      {
        "alation-test:tenants": JSON.stringify(tenants.map((tenant) => tenant.url)),
        "alation-test:tokens": JSON.stringify(Object.fromEntries(hosts.map((host) => [host, ADMIN_TOKEN]))),
      },
      ["alation-test:tokens"],
    );
    const connectors = program.connectors as Record<string, Record<string, pulumi.Output<string>>>;
    assert.deepEqual(Object.keys(connectors).sort(), [...hosts].sort());
    for (const [index, tenant] of tenants.entries()) {
      const fields = connectors[hosts[index]];
      // Only the client secret is secret: `pulumi stack output connectors` shows the rest.
      const [clientId, clientSecret] = [await settle(fields.clientId), await settle(fields.clientSecret)];
      assert.deepEqual([clientId.secret, clientSecret.secret], [false, true]);
      const client = (await clientsOf(tenant)).find((c) => c.client_id === clientId.value);
      assert.equal(client?.client_secret, clientSecret.value, `tenant ${hosts[index]}`);
    }
  });

  /** Runs examples/kubernetes-exec against `tenant`, its pod behind a stand-in Kubernetes API server. */
  async function runKubernetesExec(
    tenant: TestTenant,
    config: Record<string, string>,
    check: (program: Record<string, unknown>, kube: KubeApiServer) => Promise<void>,
  ): Promise<void> {
    const kube = await startKubeApiServer({
      pods: [{ name: "alation-0", namespace: "tenant-a", labels: { app: "alation" } }],
      env: {
        ...process.env,
        ALATION_EMULATOR_URL: tenant.url,
        PATH: `${shellPath()}${path.delimiter}${process.env.PATH}`,
      },
    });
    try {
      const program = runProgram(
        path.join(repoRoot, "examples/kubernetes-exec/index.ts"),
        {
          "alation-test:tenantUrl": tenant.url,
          "alation-test:namespace": "tenant-a",
          "alation-test:kubeconfig": kube.kubeconfig,
          ...config,
        },
        ["alation-test:kubeconfig"],
      );
      await waitForRPCs(); // every resource of the program is registered by then
      await check(program, kube);
    } finally {
      await kube.stop();
    }
  }

  /** The resources of these types, and that each went through the example's Kubernetes provider. */
  function throughTenantCluster(kube: KubeApiServer, ...types: string[]): RegisteredResource[] {
    const [cluster, ...others] = mocks.registered.filter((r) => r.type === "pulumi:providers:kubernetes");
    assert.deepEqual(others, [], "one Kubernetes provider");
    assert.equal(cluster?.inputs.kubeconfig, kube.kubeconfig, "made from the kubeconfig the exec uses");
    return types.map((type) => {
      const resource = mocks.registered.find((r) => r.type === type);
      assert.ok(resource, `${type} is registered`);
      const through = `${type} goes through that provider`;
      assert.match(resource.provider ?? "", /::pulumi:providers:kubernetes::tenant-cluster::/, through);
      return resource;
    });
  }

  it("kubernetes-exec: the flag and the application through the tenant's pod, a Secret in its cluster", async () => {
    const tenant = tenants[2];
    await runKubernetesExec(tenant, {}, async (program, kube) => {
      const clientId = await settle(program.clientId as pulumi.Output<string>);
      const client = (await clientsOf(tenant)).find((c) => c.client_id === clientId.value);
      assert.match(String(client?.name), /^alation-ai-hosted-mcp-server-[0-9a-f]{8}$/);
      assert.equal((await tenant.call("GET", "/__emulator/state")).json.conf[JWT_FEATURE_FLAG], "True");
      assert.ok(kube.execs.every((exec) => exec.pod === "alation-0" && exec.container === "alation"));
      assert.ok(kube.execs.length >= 2, "the flag and the application went through exec");
      const [namespace, secret] = throughTenantCluster(
        kube,
        "kubernetes:core/v1:Namespace",
        "kubernetes:core/v1:Secret",
      );
      assert.deepEqual(namespace.inputs.metadata, { name: "claude-connectors" });
      assert.deepEqual(secret.inputs.metadata, { namespace: "claude-connectors", name: "alation-claude-connector" });
      assert.ok(mocks.registered.indexOf(namespace) < mocks.registered.indexOf(secret), "the namespace is made first");
      // The kubeconfig never reaches a serialized provider.
      assert.ok(mocks.providers.every((provider) => !provider.includes(kube.token)));
    });
  });

  it("kubernetes-exec: a Secret namespace that exists already is not created", async function () {
    const config = { "alation-test:secretNamespace": "default", "alation-test:createSecretNamespace": "false" };
    await runKubernetesExec(tenants[2], config, async (_program, kube) => {
      const [secret] = throughTenantCluster(kube, "kubernetes:core/v1:Secret");
      assert.deepEqual(secret.inputs.metadata, { namespace: "default", name: "alation-claude-connector" });
      assert.equal(
        mocks.registered.find((r) => r.type === "kubernetes:core/v1:Namespace"),
        undefined,
      );
    });
  });

  it("the root program: one tenant from alation:baseUrl, or several from alation:tenants", async function () {
    const single = runRootProgram({ "alation:baseUrl": tenants[0].url });
    const clientId = await settle(single.clientId as pulumi.Output<string>);
    assert.ok((await clientsOf(tenants[0])).some((c) => c.client_id === clientId.value));
    assert.equal((await settle(single.clientSecret as pulumi.Output<string>)).secret, true);

    mocks = await setRealProviderMocks({ "alation:apiAccessToken": ADMIN_TOKEN });
    const several = runRootProgram({
      "alation:tenants": JSON.stringify([
        { name: "first", baseUrl: tenants[1].url, connectorName: "Alation (first)" },
        { name: "second", baseUrl: tenants[2].url },
      ]),
    });
    const connectors = several.connectors as Record<string, Record<string, pulumi.Output<string>>>;
    assert.equal((await settle(connectors.first.connectorName)).value, "Alation (first)");
    const second = await settle(connectors.second.clientId);
    assert.ok((await clientsOf(tenants[2])).some((c) => c.client_id === second.value));
  });

  it("the root program: several clients per tenant, from alation:clients or a tenant's own clients", async function () {
    const program = runRootProgram({
      "alation:clients": JSON.stringify(["claude", "vscode"]),
      "alation:tenants": JSON.stringify([
        { name: "first", baseUrl: tenants[0].url },
        { name: "second", baseUrl: tenants[1].url, clients: [{ preset: "claude-code", callbackPort: 3118 }] },
      ]),
    });
    const connectors = program.connectors as Record<string, Record<string, pulumi.Output<string>>>;
    const mcpClients = program.mcpClients as Record<string, Record<string, Record<string, pulumi.Output<unknown>>>>;
    assert.deepEqual(Object.keys(connectors), ["first"], "only the first tenant has Claude's connector");
    assert.deepEqual(Object.keys(mcpClients.first), ["vscode"]);
    assert.deepEqual(Object.keys(mcpClients.second), ["claude-code"]);
    const code = await settle(mcpClients.second["claude-code"].clientConfig as pulumi.Output<{ command: string }>);
    assert.match(
      code.value.command,
      /^claude mcp add --transport http --client-id \S+ --client-secret --callback-port 3118 /,
    );
    const ids = await Promise.all(
      [connectors.first.clientId, mcpClients.first.vscode.clientId].map((id) => settle(id as pulumi.Output<string>)),
    );
    const first = await clientsOf(tenants[0]);
    assert.deepEqual(first.map((c) => c.client_id).sort(), ids.map((id) => id.value).sort(), "one application each");
    assert.equal((await clientsOf(tenants[1])).length, 1);
  });
});

describe("examples leave the clone as it was", () => {
  it("a stack of one's own in any example is git-ignored; the tracked sample stack stays tracked", () => {
    for (const example of fs.readdirSync(path.join(repoRoot, "examples"))) {
      const file = `examples/${example}/Pulumi.dev.yaml`;
      // `git check-ignore` exits 0 when the path is ignored.
      execFileSync("git", ["check-ignore", "--quiet", "--no-index", file], { cwd: repoRoot });
    }
    const tracked = execFileSync("git", ["ls-files", "examples/*/Pulumi.*.yaml"], { cwd: repoRoot, encoding: "utf8" });
    assert.deepEqual(tracked.trim().split("\n"), ["examples/multi-tenant/Pulumi.rollout.yaml"]);
  });
});
