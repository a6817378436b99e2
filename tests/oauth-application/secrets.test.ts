// Secrets: none in `__provider`, in thrown errors, or in anything the provider process prints; credentials are
// secret inputs and the client secret a secret output.
import { strict as assert } from "node:assert";
import * as os from "node:os";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { OAuthApplication } from "../../provider";
import { ADMIN_TOKEN } from "../support/test-tenant";
import { type ProviderServer } from "../support/provider-server";
import { json, startScriptedServer, type ScriptedServer } from "../support/scripted-http";
import { serializeResource } from "../support/serialized-provider";
import { credentialsFor, secretValues } from "../support/tenant-credentials";
import {
  CLAUDE_REDIRECT_URIS,
  checkAndCreate,
  registeredInputs,
  startHarness,
  type Harness,
  startInstalledProviderServer,
} from "../support/provider-harness";

const INPUT_TOKEN = "input-api-access-token-7f3a";

describe("OAuthApplication secrets", function () {
  this.timeout(60000);

  it("serializes a provider of a few hundred bytes, with no secret and no file path", async () => {
    const registered = await serializeResource(
      () =>
        new OAuthApplication("app", {
          connection: { baseUrl: "https://tenant.example", apiAccessToken: INPUT_TOKEN },
          redirectUris: CLAUDE_REDIRECT_URIS,
        }),
    );
    assert.equal(registered.type, "pulumi-nodejs:dynamic/alation:OAuthApplication");
    const provider = registered.provider;
    assert.ok(provider.length < 1024, `__provider is ${provider.length} bytes`);
    assert.ok(!provider.includes(INPUT_TOKEN));
    for (const local of [path.resolve(__dirname, "..", ".."), os.tmpdir(), os.homedir(), "node_modules"]) {
      assert.ok(!provider.includes(local), `__provider names ${local}`);
    }
    assert.match(provider, /require\("pulumi-alation\/runtime"\)/);
    assert.deepEqual(registered.secretInputs, ["connection"], "the credential makes the connection a secret input");
  });

  it("keeps the connection secret even when it is an Output, and declares clientSecret a secret output", async () => {
    const registered = await serializeResource(
      () =>
        new OAuthApplication("app", {
          connection: pulumi.output({ baseUrl: "https://t.example", apiAccessToken: INPUT_TOKEN }),
          redirectUris: ["https://a.example/cb"],
        }),
    );
    assert.deepEqual(registered.secretInputs, ["connection"]);
    for (const output of ["clientSecret", "connection", "shell"])
      assert.ok(registered.additionalSecretOutputs.includes(output), output);
    assert.ok(!registered.additionalSecretOutputs.includes("clientId"));
  });

  describe("through the provider server", () => {
    let harness: Harness;
    before(async () => (harness = await startHarness()));
    after(async () => harness?.stop());

    it("prints and throws no token or client secret across a lifecycle with each way to authenticate", async () => {
      const { server, tenant } = harness;
      const secrets = [ADMIN_TOKEN];
      for (const mode of ["apiAccessToken", "refreshToken", "clientCredentials"] as const) {
        const credentials = await credentialsFor(tenant, mode);
        secrets.push(...secretValues(credentials));
        const inputs = await registeredInputs(
          { connection: { baseUrl: tenant.url, ...credentials } as never, redirectUris: CLAUDE_REDIRECT_URIS },
          `app-${mode}`,
        );
        const created = await checkAndCreate(server, inputs);
        secrets.push(String(created.properties.clientSecret));
        const rotated = await server.update(created.id, created.properties, { ...created.inputs, secretVersion: "2" });
        secrets.push(String(rotated.properties.clientSecret));
        await server.delete(created.id, rotated.properties);
      }
      // Failures: a refused token, a refused refresh token, a refused service account.
      const refused = [
        { apiAccessToken: "refused-api-access-token-1" },
        { refreshToken: "refused-refresh-token-22", userId: 1 },
        { clientCredentials: { clientId: "nobody", clientSecret: "refused-client-secret-333" } },
      ];
      for (const credentials of refused) {
        secrets.push(...secretValues(credentials));
        const inputs = await registeredInputs(
          { connection: { baseUrl: tenant.url, ...credentials } as never, redirectUris: CLAUDE_REDIRECT_URIS },
          "refused",
        );
        const error = await checkAndCreate(server, inputs).catch((e: Error) => e);
        assert.ok(error instanceof Error);
        assert.match(error.message, /auth/);
        assertNoSecret(error.message, secrets);
      }
      assertNoSecret(server.output(), secrets);
    });
  });

  describe("against a tenant that echoes secrets in its errors", () => {
    let tenant: ScriptedServer;
    let server: ProviderServer;
    const echoedSecret = "echoed-client-secret-4444";
    before(async () => {
      tenant = await startScriptedServer((r) =>
        json(400, {
          detail: `refused ${r.headers.token}`,
          client_secret: [echoedSecret],
          redirect_uris: [`bad, token=${r.headers.token}`],
        }),
      );
      server = await startInstalledProviderServer();
      await server.configure({});
    });
    after(async () => {
      await server?.kill();
      await tenant?.close();
    });

    it("redacts them from the error and the logs", async () => {
      const inputs = await registeredInputs({
        connection: { baseUrl: tenant.url, apiAccessToken: INPUT_TOKEN },
        redirectUris: CLAUDE_REDIRECT_URIS,
      });
      const error = await checkAndCreate(server, inputs).catch((e: Error) => e);
      assert.ok(error instanceof Error);
      assert.match(error.message, /400 validation/);
      assert.match(error.message, /redirect_uris/);
      assertNoSecret(error.message, [INPUT_TOKEN, echoedSecret]);
      assertNoSecret(server.output(), [INPUT_TOKEN, echoedSecret]);
    });
  });
});

function assertNoSecret(text: string, secrets: string[]): void {
  for (const secret of secrets)
    assert.ok(!text.includes(secret), `a secret leaked: ...${secret.slice(-4)} in ${text.slice(0, 300)}`);
}
