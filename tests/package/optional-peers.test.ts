// The Kubernetes client, ssh2 and @pulumi/kubernetes are optional peer dependencies: in a project where the packed
// package is installed without them (as a REST-only user has it), the REST path works, and whatever needs one of them
// fails with one line naming the package to install.
import { strict as assert } from "node:assert";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { FeatureFlag } from "../../provider";
import { startTestTenant, type TestTenant } from "../support/test-tenant";
import { installedPackageProject } from "../support/installed-package";
import { cleanEnvironment, startProviderServer, type ProviderServer } from "../support/provider-server";
import { serializeResource } from "../support/serialized-provider";
import { CLAUDE_REDIRECT_URIS, checkAndCreate, registeredInputs } from "../support/provider-harness";

// Never used to log in: the transport fails before it needs a real key.
const PRIVATE_KEY = "-----BEGIN OPENSSH PRIVATE KEY-----\nAAAA\n-----END OPENSSH PRIVATE KEY-----\n";
const manifest = JSON.parse(fs.readFileSync(path.resolve(__dirname, "..", "..", "package.json"), "utf8"));

/** The one line the user gets, with the range package.json asks for. */
function missingPackageLine(neededFor: string, name: string): string {
  const install = `npm install ${name}@${manifest.peerDependencies[name]}`;
  return `${neededFor} needs the npm package ${name}, which is not installed: ${install}`;
}

describe("optional peer dependencies (a project without them)", function () {
  this.timeout(60000);
  let project: string;
  let server: ProviderServer;
  let tenant: TestTenant;

  before(async () => {
    project = installedPackageProject({ withoutOptionalPeers: true });
    tenant = await startTestTenant();
    server = await startProviderServer({ cwd: project, env: cleanEnvironment() });
    await server.configure({ "alation:apiAccessToken": tenant.emulator.adminToken });
  });
  after(async () => {
    await server?.kill();
    await tenant?.stop();
  });

  it("are declared optional, and are really absent from the project", () => {
    for (const name of ["@kubernetes/client-node", "ssh2", "@pulumi/kubernetes"]) {
      assert.ok(manifest.peerDependencies[name], `${name} is a peer dependency`);
      assert.equal(manifest.peerDependenciesMeta[name]?.optional, true, `${name} is optional`);
      assert.equal(manifest.dependencies[name], undefined, `${name} is not a dependency`);
      assert.throws(
        () => require.resolve(name, { paths: [path.join(project, "node_modules", "pulumi-alation")] }),
        /Cannot find module/,
      );
    }
  });

  it("REST: an OAuthApplication is created and deleted without them", async () => {
    const inputs = await registeredInputs(
      { connection: { baseUrl: tenant.url }, redirectUris: CLAUDE_REDIRECT_URIS },
      "rest-only",
    );
    const created = await checkAndCreate(server, inputs);
    assert.ok((await tenant.state()).clients.some((client) => client.client_id === created.id));
    await server.delete(created.id, created.properties);
    assert.deepEqual((await tenant.state()).clients, []);
  });

  for (const [shell, name] of [
    [
      { kubernetes: { namespace: "alation", pod: "alation-0", kubeconfig: "apiVersion: v1\nkind: Config\n" } },
      "@kubernetes/client-node",
    ],
    [
      {
        ssh: {
          host: "127.0.0.1",
          username: "alation",
          privateKey: PRIVATE_KEY,
          hostKeySha256: `SHA256:${"A".repeat(43)}`,
        },
      },
      "ssh2",
    ],
  ] as const) {
    const transport = Object.keys(shell)[0];
    it(`shell.${transport}: one line naming ${name}`, async () => {
      const { provider } = await serializeResource(
        () => new FeatureFlag("flag", { shell, key: "alation.feature_flags.x", value: true }),
      );
      const checked = await server.check(
        {},
        { __provider: provider, shell, key: "alation.feature_flags.x", value: true },
      );
      assert.deepEqual(checked.failures, []);
      const error = await server.create(checked.inputs).catch((e: Error) => e);
      assert.ok(error instanceof Error, "create fails");
      assert.ok(error.message.includes(missingPackageLine(`shell.${transport}`, name)), error.message);
      assert.doesNotMatch(error.message, /Cannot find module|\n\s+at /, "no raw resolution error or stack");
    });
  }

  it("kubernetesSecret: the program fails at construction, one line naming @pulumi/kubernetes, nothing made", () => {
    // A program of that project under Pulumi's mocks (its @pulumi/pulumi), in a process of its own.
    const program = `
      const pulumi = require("@pulumi/pulumi");
      const registered = [];
      pulumi.runtime.setMocks({
        newResource: (args) => (registered.push(args.type), { id: args.name + "-id", state: args.inputs }),
        call: (args) => args.inputs,
      }, "project", "stack", false).then(() => {
        const { AlationClaudeConnector } = require("pulumi-alation");
        let message;
        try {
          new AlationClaudeConnector("claude", {
            connection: { baseUrl: "https://acme.alationcloud.com" },
            kubernetesSecret: { namespace: "connectors", name: "claude" },
          });
        } catch (error) {
          message = error.message;
        }
        setTimeout(() => console.log(JSON.stringify({ message, registered })), 500);
      });`;
    const out = execFileSync(process.execPath, ["-e", program], {
      cwd: project,
      encoding: "utf8",
      env: cleanEnvironment(),
      timeout: 30000,
    });
    const { message, registered } = JSON.parse(out.trim().split("\n").pop() as string);
    assert.equal(message, missingPackageLine("AlationClaudeConnector claude: kubernetesSecret", "@pulumi/kubernetes"));
    assert.deepEqual(
      registered.filter((type: string) => type !== "alation:index:AlationClaudeConnector"),
      [],
      "no child was registered",
    );
  });
});
