// The setting of the OAuthApplication lifecycle tests: an emulated tenant, Pulumi's real dynamic-provider server
// running in a project where the packed package is installed, and resources' inputs as the engine registers them.
import { strict as assert } from "node:assert";
import type { EmulatorOptions } from "../../emulator";
import { OAuthApplication, type OAuthApplicationArgs } from "../../provider";
import { startTestTenant, type TestTenant } from "../emulator/helpers";
import { installedPackageProject } from "../support/installed-package";
import { cleanEnvironment, startProviderServer, type ProviderServer } from "../support/provider-server";
import { serializeResource } from "../support/serialized-provider";

export type Props = Record<string, unknown>;

/** A tenant and a provider server. */
export interface Harness {
  tenant: TestTenant;
  server: ProviderServer;
  /** The tenant's clients as its state hook shows them. */
  clients(): Promise<Array<Record<string, unknown>>>;
  stop(): Promise<void>;
}

/** Starts a tenant and a configured provider server (config keys like "alation:baseUrl"; `{tenant}` is replaced). */
export async function startHarness(
  options: { tenant?: Partial<EmulatorOptions>; config?: Record<string, string>; env?: Record<string, string> } = {},
): Promise<Harness> {
  const tenant = await startTestTenant(options.tenant);
  const fill = (values: Record<string, string> = {}) =>
    Object.fromEntries(Object.entries(values).map(([key, value]) => [key, value.replace("{tenant}", tenant.url)]));
  const server = await startProviderServer({
    cwd: installedPackageProject(),
    env: cleanEnvironment(fill(options.env)),
  });
  await server.configure(fill(options.config));
  return {
    tenant,
    server,
    clients: async () => (await tenant.state()).clients,
    stop: async () => {
      await server.kill();
      await tenant.stop();
    },
  };
}

/** The inputs the engine would send for `new OAuthApplication(name, args)` (`__provider` included). */
export async function registeredInputs(args: OAuthApplicationArgs, name = "claude"): Promise<Props> {
  return (await serializeResource(() => new OAuthApplication(name, args))).inputs;
}

/** Check, then create; fails on check failures. */
export async function checkAndCreate(
  server: ProviderServer,
  inputs: Props,
): Promise<{ id: string; properties: Props; inputs: Props }> {
  const checked = await server.check({}, inputs);
  if (checked.failures.length > 0) throw new Error(`check failed: ${JSON.stringify(checked.failures)}`);
  const created = await server.create(checked.inputs);
  return { ...created, inputs: checked.inputs };
}

/** Claude's callbacks, as the connector guide lists them. */
export const CLAUDE_REDIRECT_URIS = [
  "https://claude.ai/api/mcp/auth_callback",
  "https://claude.com/api/mcp/auth_callback",
];

/**
 * Create, read, update (accessTokenExpiry) and delete through `server`, asserting the tenant's state after each
 * step. Returns the outputs after the update (before the delete).
 */
export async function exerciseLifecycle(server: ProviderServer, tenant: TestTenant, inputs: Props): Promise<Props> {
  const stored = async (id: string) => (await tenant.state()).clients.find((client) => client.client_id === id);
  const created = await checkAndCreate(server, inputs);
  assert.equal((await stored(created.id))?.client_secret, created.properties.clientSecret);
  const read = await server.read(created.id, created.properties);
  assert.equal(read.id, created.id);
  const news = { ...created.inputs, accessTokenExpiry: 7200 };
  const updated = await server.update(created.id, read.properties, news);
  assert.equal((await stored(created.id))?.access_token_expiry, 7200);
  await server.delete(created.id, updated.properties);
  assert.equal(await stored(created.id), undefined);
  return updated.properties;
}
