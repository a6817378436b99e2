// The Kubernetes transport (@kubernetes/client-node's Exec) against a stand-in API server that speaks the real
// exec channel protocol and runs the emulator's commands: the transport's contract, pod lookup, and the lifecycles.
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { ShellError } from "../../provider/shell";
import { JWT_FLAG } from "../support/test-tenant";
import { KubeApiServer, startKubeApiServer } from "../support/kube-api-server";
import { ShellFixture, emulatorCommandEnv, startShellFixture } from "../support/provider-harness";
import { featureFlagLifecycle, oauthApplicationLifecycle } from "../support/lifecycles";
import { transportBehaviour, transportFor } from "./transport-behaviour";

describe("shell: kubernetes (a stand-in API server)", function () {
  this.timeout(60_000);
  let api: KubeApiServer;
  let fixture: ShellFixture & { stop(): Promise<void> };
  const kubernetes = (overrides: Record<string, unknown> = {}) => ({
    kubeconfig: api.kubeconfig,
    namespace: "alation",
    pod: "alation-0",
    ...overrides,
  });
  const bySelector = (labelSelector: string) => kubernetes({ namespace: "tenant", pod: undefined, labelSelector });
  const lastExec = () => api.execs[api.execs.length - 1];

  before(async () => {
    fixture = await startShellFixture(async (tenant) => {
      api = await startKubeApiServer({
        env: { ...process.env, ...emulatorCommandEnv(tenant.url) },
        pods: [
          { name: "alation-0", namespace: "alation", labels: { app: "alation" }, containers: ["web", "sidecar"] },
          { name: "b-starting", namespace: "tenant", labels: { app: "alation" }, phase: "Pending" },
          { name: "c-running", namespace: "tenant", labels: { app: "alation", tier: "web" } },
          { name: "d-running", namespace: "tenant", labels: { app: "alation", tier: "web" } },
        ],
      });
      return { shell: { kubernetes: bySelector("app=alation") } };
    });
  });
  after(async () => {
    await fixture?.stop();
    await api?.stop();
  });

  describe("transport", () => {
    transportBehaviour(() => transportFor({ kubernetes: kubernetes() }));

    it("speaks v5.channel.k8s.io and picks the pod's first container", async () => {
      await transportFor({ kubernetes: kubernetes() }).runCommand(["true"], { timeoutMs: 10_000 });
      assert.deepEqual(
        [lastExec().protocol, lastExec().pod, lastExec().container],
        ["v5.channel.k8s.io", "alation-0", "web"],
      );
    });

    it("finds the first Running pod by label selector", async () => {
      const result = await transportFor({ kubernetes: bySelector("app=alation") }).runCommand(["echo", "hi"], {
        timeoutMs: 10_000,
      });
      assert.equal(result.stdout, "hi\n");
      assert.equal(lastExec().pod, "c-running");
    });

    it("says so when no Running pod matches the selector", async () => {
      await assert.rejects(
        transportFor({ kubernetes: bySelector("app=nothing") }).runCommand(["true"], { timeoutMs: 10_000 }),
        (error: ShellError) => {
          assert.equal(error.kind, "not-found");
          assert.match(
            error.message,
            /no Running pod in namespace tenant matches labelSelector "app=nothing"; found none/,
          );
          return true;
        },
      );
    });

    it("says so when the named pod does not exist", async () => {
      await assert.rejects(
        transportFor({ kubernetes: kubernetes({ pod: "missing-0" }) }).runCommand(["true"], { timeoutMs: 10_000 }),
        (error: ShellError) => {
          assert.equal(error.kind, "not-found");
          assert.match(error.message, /pod alation\/missing-0 not found/);
          return true;
        },
      );
    });

    it("reports a refused credential without the kubeconfig", async () => {
      const kubeconfig = api.kubeconfig.replace(api.token, "wrong-token-value");
      await assert.rejects(
        transportFor({ kubernetes: kubernetes({ kubeconfig }) }).runCommand(["true"], { timeoutMs: 10_000 }),
        (error: ShellError) => {
          assert.equal(error.kind, "auth");
          assert.doesNotMatch(error.message, /wrong-token-value|apiVersion|insecure/);
          return true;
        },
      );
    });

    it("reports a program missing from the container", async () => {
      await assert.rejects(
        transportFor({ kubernetes: kubernetes() }).runCommand(["no-such-program-here"], { timeoutMs: 10_000 }),
        (error: ShellError) => error.kind === "command" && /executable file not found/.test(error.message),
      );
    });

    it("reads the kubeconfig from KUBECONFIG when none is given, and checks the context", async () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), "alation-kubeconfig-"));
      const saved = process.env.KUBECONFIG;
      try {
        process.env.KUBECONFIG = path.join(dir, "config");
        fs.writeFileSync(process.env.KUBECONFIG, api.kubeconfig);
        const result = await transportFor({
          kubernetes: kubernetes({ kubeconfig: undefined, context: "stand-in" }),
        }).runCommand(["echo", "from file"], { timeoutMs: 10_000 });
        assert.equal(result.stdout, "from file\n");
        await assert.rejects(
          transportFor({ kubernetes: kubernetes({ kubeconfig: undefined, context: "elsewhere" }) }).runCommand(
            ["true"],
            { timeoutMs: 10_000 },
          ),
          /the kubeconfig has no context "elsewhere"/,
        );
      } finally {
        if (saved === undefined) delete process.env.KUBECONFIG;
        else process.env.KUBECONFIG = saved;
        fs.rmSync(dir, { recursive: true, force: true });
      }
    });

    it("refuses a kubeconfig that is not YAML without quoting it", async () => {
      const kubeconfig = "clusters: [\n  token: super-secret-token\n";
      await assert.rejects(
        transportFor({ kubernetes: kubernetes({ kubeconfig }) }).runCommand(["true"], { timeoutMs: 10_000 }),
        (error: ShellError) => {
          assert.equal(error.kind, "config");
          assert.doesNotMatch(error.message, /super-secret-token/);
          return true;
        },
      );
    });
  });

  describe("lifecycles through Pulumi's dynamic-provider server (pod found by label selector)", () => {
    it("FeatureFlag: create, read, drift, update, delete restoring the previous value", async () => {
      await featureFlagLifecycle(fixture);
      assert.equal(lastExec().pod, "c-running");
    });

    it("OAuthApplication: create, read, drift, update, rotate, delete", () => oauthApplicationLifecycle(fixture));

    it("FeatureFlag: a pod that is not found fails the create clearly, without the kubeconfig", async () => {
      const { server, providers } = fixture;
      const shell = { kubernetes: kubernetes({ pod: "gone-0" }) };
      const checked = await server.check({}, { __provider: providers.featureFlag, shell, key: JWT_FLAG, value: true });
      await assert.rejects(server.create(checked.inputs), (error: Error) => {
        assert.match(error.message, /pod alation\/gone-0 not found/);
        assert.ok(!error.message.includes(api.token));
        return true;
      });
    });
  });
});
