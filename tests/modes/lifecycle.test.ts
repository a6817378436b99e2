// The whole lifecycle against the emulator in each of its modes (what real tenants differ on, alation-api.md):
// OAuthApplication over REST with each way to authenticate, FeatureFlag and OAuthApplication through the shell, and
// the connector verified the way Claude uses it (hosted and custom MCP server), all through Pulumi's real
// dynamic-provider server. One parameterised suite, run once per mode.
import { strict as assert } from "node:assert";
import { CUSTOM_MCP_SERVER_ID, DEFAULT_TEST_USER as EMULATOR_TEST_USER, type EmulatorOptions } from "../../emulator";
import { METADATA_PATH, OPENAPI_PATH } from "../../provider/alation";
import { runCli, verifyConnector } from "../../provider/verify";
import { captureIo } from "../support/cli-io";
import {
  adoptLifecycle,
  exerciseLifecycle,
  featureFlagLifecycle,
  oauthApplicationLifecycle,
} from "../support/lifecycles";
import {
  CLAUDE_REDIRECT_URIS,
  checkAndCreate,
  emulatorCommandEnv,
  registeredInputs,
  startHarness,
  startSharedServer,
  startShellFixture,
  type ShellFixture,
} from "../support/provider-harness";
import type { ProviderServer } from "../support/provider-server";
import { AUTH_MODES, credentialsFor } from "../support/tenant-credentials";
import { ADMIN_TOKEN, JWT_FLAG } from "../support/test-tenant";

interface Mode {
  name: string;
  options: Partial<EmulatorOptions>;
  /** What a REST create reports in notEnforced there. */
  notEnforced: string[];
  /**
   * The mode changes the REST admin API only: the shell (which works on the model, the same in every generation)
   * and Claude's way in are the default mode's, so they run there and not again here.
   */
  restOnly?: true;
}

/** A mode's tenant and provider server; with `shell`, the shell input that reaches the tenant (not REST-only modes). */
type ModeFixture = Pick<ShellFixture, "tenant" | "server"> & Partial<ShellFixture> & { stop(): Promise<void> };

const MODES: Mode[] = [
  { name: "default", options: {}, notEnforced: [] },
  // A tenant that refuses the undocumented fields: same outputs, those fields not enforced (section 2).
  {
    name: "--strict-fields",
    options: { strictFields: true },
    notEnforced: ["jwtRequired", "isActive", "internalApplication"],
    restOnly: true,
  },
  { name: "--documented-only", options: { documentedOnly: true }, notEnforced: [], restOnly: true },
  // Alation's later guides: JWTs without the flag (section 1, "What changed since").
  { name: "--jwt-flag optional", options: { jwtFlag: "optional" }, notEnforced: [] },
  // Each generation of the client admin API (section 2), told by the tenant's OpenAPI document or, without one, by
  // trying A's collection, then B's.
  { name: "--api-generation b", options: { apiGeneration: "b" }, notEnforced: [], restOnly: true },
  {
    name: "--api-generation b --no-openapi",
    options: { apiGeneration: "b", openApi: false },
    notEnforced: [],
    restOnly: true,
  },
  { name: "--api-generation both", options: { apiGeneration: "both" }, notEnforced: [], restOnly: true },
  { name: "--no-openapi", options: { openApi: false }, notEnforced: [], restOnly: true },
];

describe("each mode of the emulator", function () {
  // The modes that change the REST admin API only share one provider process, a tenant of their own each (as a
  // multi-tenant run has them); the others run the shell too, whose commands find their tenant by the server's
  // environment, and so have a process of their own.
  let restServer: ProviderServer | undefined;
  after(async () => restServer?.kill());

  for (const mode of MODES) {
    describeMode(mode, async () => {
      if (!mode.restOnly) {
        const localShell = async (tenant: { url: string }) => ({
          shell: { local: {} },
          serverEnv: emulatorCommandEnv(tenant.url),
        });
        return startShellFixture(localShell, mode.options);
      }
      restServer ??= await startSharedServer();
      const harness = await startHarness({ tenant: mode.options, server: restServer });
      return { tenant: harness.tenant, server: harness.server, stop: harness.stop };
    });
  }
});

/** The mode's suite, on the tenant and provider server `start` gives. */
function describeMode(mode: Mode, start: () => Promise<ModeFixture>): void {
  describe(`the whole lifecycle against the emulator, ${mode.name}`, function () {
    this.timeout(120_000);
    let fixture: ModeFixture;
    before(async () => (fixture = await start()));
    after(async () => fixture?.stop());

    it("REST: create, read, update, delete with an API token, a refresh token and a service account", async () => {
      const { tenant, server } = fixture;
      await tenant.call("DELETE", "/__emulator/requests");
      for (const auth of AUTH_MODES) {
        const connection = { baseUrl: tenant.url, ...(await credentialsFor(tenant, auth)) };
        const args = { connection: connection as never, redirectUris: CLAUDE_REDIRECT_URIS };
        const inputs = await registeredInputs(args, `rest-${auth}`);
        const outputs = await exerciseLifecycle(server, tenant, inputs);
        assert.deepEqual(outputs.notEnforced, mode.notEnforced, auth);
        const checked = (await server.check({}, inputs)).inputs;
        for (const field of ["jwtRequired", "isActive", "internalApplication"]) {
          assert.equal(outputs[field], checked[field], `${auth}: the same outputs in every mode (${field})`);
        }
      }
      const byRoute = (await tenant.call("GET", "/__emulator/requests")).json.byRoute;
      // A strict tenant refuses the first body only: the provider process remembers it for the next creates.
      const refused = mode.options.strictFields ? 1 : 0;
      assert.equal(byRoute[`POST ${tenant.clientsPath}`], AUTH_MODES.length + refused, "one create per application");
      // The probe, once for the provider process: the document, and where there is none the metadata.
      assert.equal(byRoute[`GET ${OPENAPI_PATH}`], 1, "one probe");
      assert.equal(byRoute[`GET ${METADATA_PATH}/`], mode.options.openApi === false ? 1 : undefined);
    });

    it("an application made without redirect URIs gets them later, over REST (and through the shell)", async () => {
      const { tenant, server, shell } = fixture;
      const paths: Array<[string, Record<string, unknown>]> = [
        ["rest", { connection: { baseUrl: tenant.url, apiAccessToken: ADMIN_TOKEN } }],
        ...(shell ? [["shell", { shell }] as [string, Record<string, unknown>]] : []),
      ];
      for (const [path, target] of paths) {
        const inputs = { ...(await registeredInputs({ redirectUris: [] }, `no-uris-${path}`)), ...target };
        const created = await checkAndCreate(server, inputs);
        const stored = async () => (await tenant.state()).clients.find((c) => c.client_id === created.id);
        assert.deepEqual((await stored())?.redirect_uris, [], path);
        const news = { ...created.inputs, redirectUris: CLAUDE_REDIRECT_URIS };
        const updated = await server.update(created.id, created.properties, news);
        assert.deepEqual((await stored())?.redirect_uris, CLAUDE_REDIRECT_URIS, path);
        await server.delete(created.id, updated.properties);
      }
    });

    if (mode.restOnly) return;

    it("shell: FeatureFlag and OAuthApplication lifecycles, and adoption", async () => {
      const shellFixture = fixture as ShellFixture;
      await featureFlagLifecycle(shellFixture);
      await oauthApplicationLifecycle(shellFixture);
      await adoptLifecycle(shellFixture);
    });

    it("the connector verifies as Claude uses it, for the hosted and a custom MCP server (CLI)", async () => {
      const { tenant, server } = fixture;
      const connection = { baseUrl: tenant.url, apiAccessToken: ADMIN_TOKEN };
      const redirectUris = [`${tenant.url}/oauth/callback`, ...CLAUDE_REDIRECT_URIS];
      const inputs = await registeredInputs({ connection, redirectUris }, "claude-verified");
      const created = await checkAndCreate(server, inputs);
      const connector = { clientId: created.id, clientSecret: String(created.properties.clientSecret) };
      const hosted = { ...connector, remoteMcpServerUrl: `${tenant.url}/ai/mcp/` };
      const verify = () => verifyConnector(hosted, { emulator: true, login: EMULATOR_TEST_USER });
      if (mode.options.jwtFlag !== "optional") {
        await tenant.setJwtFlag(false);
        const opaque = await verify();
        const jwtStep = opaque.steps.find((step) => step.id === "access-token-jwt");
        assert.equal(jwtStep?.status, "fail", "this tenant needs the flag");
        await tenant.setJwtFlag(true);
      } else {
        assert.equal((await tenant.state()).conf[JWT_FLAG], "False", "no flag set");
      }
      const report = await verify();
      assert.ok(
        report.ok,
        JSON.stringify(
          report.steps.filter((step) => step.status === "fail"),
          null,
          2,
        ),
      );
      const io = captureIo({ env: { ALATION_CONNECTOR_CLIENT_SECRET: connector.clientSecret } });
      const custom = `${tenant.url}/ai/mcp/${CUSTOM_MCP_SERVER_ID}/`;
      const argv = ["verify", "--mcp-url", custom, "--client-id", connector.clientId, "--emulator"];
      const status = await runCli(argv, io);
      assert.equal(status, 0, io.out() + io.err());
      assert.ok(!io.out().includes(connector.clientSecret));
      await server.delete(created.id, created.properties);
      await tenant.setJwtFlag(false);
    });
  });
}
