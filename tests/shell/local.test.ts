// The local transport: commands run on this machine (as inside the tenant's pod or host), here the emulator's.
import * as assert from "node:assert/strict";
import { UNKNOWN } from "../../provider/schema/unknown";
import { JWT_FLAG } from "../support/test-tenant";
import { ShellFixture, emulatorCommandEnv, startShellFixture } from "../support/provider-harness";
import { adoptLifecycle, featureFlagLifecycle, oauthApplicationLifecycle } from "../support/lifecycles";
import { transportBehaviour, transportFor } from "./transport-behaviour";

describe("shell: local", function () {
  this.timeout(60_000);

  describe("transport", () => {
    transportBehaviour(() => transportFor({ local: {} }));

    it("reports a missing program as exit code 127", async () => {
      const result = await transportFor({ local: {} }).runCommand(["no-such-program-here"], { timeoutMs: 5000 });
      assert.equal(result.exitCode, 127);
    });
  });

  describe("lifecycles through Pulumi's dynamic-provider server", () => {
    let fixture: ShellFixture & { stop(): Promise<void> };
    before(async () => {
      fixture = await startShellFixture(async (tenant) => ({
        shell: { local: {} },
        serverEnv: emulatorCommandEnv(tenant.url),
      }));
    });
    after(async () => {
      await fixture?.stop();
    });

    it("FeatureFlag: create, read, drift, update, delete restoring the previous value", () =>
      featureFlagLifecycle(fixture));

    it("OAuthApplication: create, read, drift, update, rotate, delete", () => oauthApplicationLifecycle(fixture));

    it("OAuthApplication: adopts an application made elsewhere", () => adoptLifecycle(fixture));

    it("check validates offline and lets unknown values through", async () => {
      const { server, providers } = fixture;
      const preview = await server.check(
        {},
        { __provider: providers.featureFlag, shell: UNKNOWN, key: JWT_FLAG, value: UNKNOWN },
      );
      assert.deepEqual(preview.failures, []);
      const nested = await server.check(
        {},
        {
          __provider: providers.featureFlag,
          shell: { kubernetes: { namespace: "ns", kubeconfig: UNKNOWN, pod: UNKNOWN } },
          key: JWT_FLAG,
          value: true,
        },
      );
      assert.deepEqual(nested.failures, []);
      const wrong = await server.check(
        {},
        {
          __provider: providers.featureFlag,
          shell: { local: {}, ssh: { host: "h", username: "u", privateKey: "x", hostKeySha256: "SHA256:x" } },
          key: "bad key $(x)",
          value: "two\nlines",
        },
      );
      assert.deepEqual(wrong.failures.map((f) => f.property).sort(), [
        "key",
        "shell",
        "shell.ssh.hostKeySha256",
        "shell.ssh.privateKey",
        "value",
      ]);
      const both = await server.check(
        {},
        {
          __provider: providers.featureFlag,
          shell: { local: {}, kubernetes: { namespace: "a", pod: "b" } },
          key: JWT_FLAG,
          value: true,
        },
      );
      assert.deepEqual(
        both.failures.map((f) => f.property),
        ["shell"],
      );
    });

    it("FeatureFlag: a failing alation_conf is reported with the command, where it ran and the exit code", async () => {
      const { server, providers } = fixture;
      const news = { __provider: providers.featureFlag, shell: { local: {} }, key: "alation.no_such_key", value: true };
      const checked = await server.check({}, news);
      await assert.rejects(
        server.create(checked.inputs),
        /alation_conf failed on this machine with exit code 1: .*Unknown configuration key/,
      );
    });
  });
});
