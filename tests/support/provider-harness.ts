// A tenant and Pulumi's real dynamic-provider server running in a project where the packed package is installed,
// as the lifecycle tests drive them: over REST (startHarness) or through the shell (startShellFixture), with the
// resources' inputs as the engine registers them.
import { shellPath, type EmulatorOptions } from "../../emulator";
import { FeatureFlag, OAuthApplication, type OAuthApplicationArgs } from "../../provider";
import { CLAUDE_REDIRECT_URIS as CLAUDE_CALLBACKS } from "../../provider/domain/claude-connector";
import { installedPackageProject } from "./installed-package";
import { cleanEnvironment, startProviderServer, type ProviderServer } from "./provider-server";
import { serializeResource } from "./serialized-provider";
import { JWT_FLAG, startTestTenant, type TestTenant } from "./test-tenant";

export type Props = Record<string, unknown>;

/** Claude's callbacks (the provider's own list), as the plain array that `redirectUris` takes. */
export const CLAUDE_REDIRECT_URIS: string[] = [...CLAUDE_CALLBACKS];

/** A tenant and a provider server. */
export interface Harness {
  tenant: TestTenant;
  server: ProviderServer;
  /** The tenant's clients as its state hook shows them. */
  clients(): Promise<Array<Record<string, unknown>>>;
  /** What the server printed since this harness started (a shared server served other tests before). */
  output(): string;
  stop(): Promise<void>;
}

/** Pulumi's dynamic-provider server in the project where the packed package is installed, with a clean environment. */
export function startInstalledProviderServer(env: Record<string, string> = {}): Promise<ProviderServer> {
  return startProviderServer({ cwd: installedPackageProject(), env: cleanEnvironment(env) });
}

/**
 * Starts a tenant and a configured provider server (config keys like "alation:baseUrl"; `{tenant}` is replaced). Given
 * `server` (a file's own, configured without config: connections come from the inputs), the tenant is new and the
 * server is that one, left running by `stop`: a server start costs more than a second of CPU, and one provider process
 * serving tenant after tenant is what a multi-tenant stack does.
 */
export async function startHarness(
  options: {
    tenant?: Partial<EmulatorOptions>;
    config?: Record<string, string>;
    env?: Record<string, string>;
    server?: ProviderServer;
  } = {},
): Promise<Harness> {
  if (options.server && (options.config || options.env)) throw new Error("a shared server has its own config and env");
  const tenant = await startTestTenant(options.tenant);
  const fill = (values: Record<string, string> = {}) =>
    Object.fromEntries(Object.entries(values).map(([key, value]) => [key, value.replace("{tenant}", tenant.url)]));
  const server = options.server ?? (await startInstalledProviderServer(fill(options.env)));
  if (!options.server) await server.configure(fill(options.config));
  const printedBefore = server.output().length;
  return {
    tenant,
    server,
    clients: async () => (await tenant.state()).clients,
    output: () => server.output().slice(printedBefore),
    stop: async () => {
      if (!options.server) await server.kill();
      await tenant.stop();
    },
  };
}

/** A provider server for a file's tests (`startHarness({ server })`), configured without config; stop it `after`. */
export async function startSharedServer(): Promise<ProviderServer> {
  const server = await startInstalledProviderServer();
  await server.configure({});
  return server;
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

/** What every shell lifecycle needs: the tenant, the provider server, and the `shell` inputs that reach the tenant. */
export interface ShellFixture {
  tenant: TestTenant;
  server: ProviderServer;
  /** The `shell` input, as the engine hands it to the provider (secrets unwrapped). */
  shell: Props;
  providers: { featureFlag: string; oauthApplication: string };
}

/** The environment the emulator's commands need: which emulator, and the folder of the commands on PATH. */
export function emulatorCommandEnv(emulatorUrl: string): Record<string, string> {
  // Passed on explicitly (ssh does not forward the environment): Python writes no __pycache__ into the tree.
  return {
    ALATION_EMULATOR_URL: emulatorUrl,
    PATH: `${shellPath()}:${process.env.PATH}`,
    PYTHONDONTWRITEBYTECODE: "1",
  };
}

/** `env NAME=value ...`: the same environment as argv, for commandPrefix. */
export function envPrefix(env: Record<string, string>): string[] {
  return ["env", ...Object.entries(env).map(([name, value]) => `${name}=${value}`)];
}

/**
 * Starts a tenant (in one of the emulator's modes: `tenantOptions`) and the provider server; `shellFor` gives the
 * shell input (and the server's extra env).
 */
export async function startShellFixture(
  shellFor: (tenant: TestTenant) => Promise<{ shell: Props; serverEnv?: Record<string, string> }>,
  tenantOptions: Partial<EmulatorOptions> = {},
): Promise<ShellFixture & { stop(): Promise<void> }> {
  const tenant = await startTestTenant(tenantOptions);
  const { shell, serverEnv } = await shellFor(tenant);
  const providers = await serializedProviders();
  const server = await startInstalledProviderServer(serverEnv);
  await server.configure({});
  return {
    tenant,
    server,
    shell,
    providers,
    stop: async () => {
      await server.kill();
      await tenant.stop();
    },
  };
}

let providersCache: ShellFixture["providers"] | undefined;

/** The serialized providers (`__provider`) of the two resources, as built under Pulumi's mocks. */
async function serializedProviders(): Promise<ShellFixture["providers"]> {
  if (!providersCache) {
    const shell = { local: {} };
    const flag = await serializeResource(() => new FeatureFlag("flag", { shell, key: JWT_FLAG, value: true }));
    const app = await serializeResource(
      () => new OAuthApplication("app", { shell, redirectUris: ["https://a.example/cb"] }),
    );
    providersCache = { featureFlag: flag.provider, oauthApplication: app.provider };
  }
  return providersCache;
}
