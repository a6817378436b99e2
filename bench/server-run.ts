// One rollout through Pulumi's provider server in a fresh process, as the engine drives a fresh stack (Check, then
// Create), for any dynamic provider: ours, or the minimal one (Pulumi's own floor). Beside the wall time and the
// tenants' counts (from the caller's timed run), the provider process's CPU and peak memory.
import { CLAUDE_REDIRECT_URIS } from "../provider/verify";
import { ADMIN_TOKEN, startTestTenant, type TestTenant } from "../tests/support/test-tenant";
import { serializeResource } from "../tests/support/serialized-provider";
import { MinimalConnector } from "./minimal-provider";
import { startProbedServer } from "./provider-process";
import { connectorApplication, type Props } from "./resources";
import { medianRun, ratio, round } from "./stats";
import { checkAndCreate } from "../tests/support/provider-harness";

/** One way of doing the creates. */
export interface RolloutRun {
  /** From the first request to the last answer. */
  wallMs: number;
  /** wallMs / the lower bound. */
  ratioToLowerBound: number;
  /** Admin API requests the tenants received, per connector (the tenant probe's apart). */
  requestsPerConnector: number;
  /** The tenant probe's requests in this run, in all (at most one per tenant per provider process). */
  probeRequests: number;
  /** TCP connections each tenant accepted. */
  connectionsPerTenant: { min: number; max: number; mean: number };
  /** CPU time of this benchmark process meanwhile (the emulated tenants and the client side), ms. */
  driverCpuMs: number;
  /** The wall time of every repetition, in order (reported beside the median run). */
  wallMsSamples?: number[];
}

/** A run through the provider server, with what the provider process spent on it. */
export interface ServerRun extends RolloutRun {
  /** CPU time of the provider process during the rollout, ms: a floor for wallMs, since it runs on one thread. */
  cpuMs: number;
  /** The main thread's share of cpuMs (JavaScript; the rest is V8's compiler and GC threads and libuv), ms. */
  mainThreadCpuMs: number;
  /** The provider process's peak resident memory (VmHWM) at the end of the run, MiB. */
  peakMemoryMiB: number;
}

/** The median of a provider's runs, as reported. */
export interface ServerRollout extends RolloutRun {
  /** The highest peak resident memory (VmHWM) of the runs, MiB. */
  peakMemoryMiB: number;
  /** CPU time of the provider process during the rollout (median run), ms. */
  cpuMs: number;
  /** cpuMs / connectors. */
  cpuMsPerConnector: number;
  /** The main thread's CPU time (median run), ms, and per connector. */
  mainThreadCpuMs: number;
  mainThreadCpuMsPerConnector: number;
  /** wallMs / max(lowerBoundMs, cpuMs): how far from what latency and the provider's own CPU allow. */
  ratioToCpuAwareBound: number;
}

/** Runs the creates through a fresh provider server: `timed` calls `create(i)` for every connector and counts. */
export async function runThroughServer(
  project: string,
  inputsOf: (i: number) => Props,
  timed: (create: (i: number) => Promise<void>) => Promise<RolloutRun>,
): Promise<ServerRun> {
  const probed = await startProbedServer(project);
  try {
    // Started, configured and past its first Check: the cold start is measured on its own.
    await probed.server.configure({});
    await probed.server.check({}, { ...inputsOf(0), name: "warm-up" });
    const cpuBefore = probed.cpuMs();
    const mainThreadBefore = probed.mainThreadCpuMs();
    const run = await timed(async (i) => {
      await checkAndCreate(probed.server, inputsOf(i));
    });
    return {
      ...run,
      cpuMs: probed.cpuMs() - cpuBefore,
      mainThreadCpuMs: probed.mainThreadCpuMs() - mainThreadBefore,
      peakMemoryMiB: probed.peakMemoryMiB(),
    };
  } finally {
    await probed.stop();
  }
}

/** The run of median wall time, with every run's wall time beside it and its CPU per connector. */
export function summarizeServerRuns(runs: ServerRun[], connectors: number, lowerBoundMs: number): ServerRollout {
  const median = medianRun(runs);
  return {
    ...median,
    peakMemoryMiB: round(Math.max(...runs.map((run) => run.peakMemoryMiB))),
    cpuMs: round(median.cpuMs),
    cpuMsPerConnector: round(median.cpuMs / connectors, 2),
    mainThreadCpuMs: round(median.mainThreadCpuMs),
    mainThreadCpuMsPerConnector: round(median.mainThreadCpuMs / connectors, 2),
    ratioToCpuAwareBound: ratio(median.wallMs, Math.max(lowerBoundMs, median.cpuMs)),
  };
}

/** The minimal provider's resource on `tenantUrl`, as a program would register it (`__provider` included). */
export async function minimalConnector(tenantUrl: string, name = "minimal"): Promise<Props> {
  const redirectUris = [`${tenantUrl}/oauth/callback`, ...CLAUDE_REDIRECT_URIS];
  const args = { baseUrl: tenantUrl, token: ADMIN_TOKEN, name, redirectUris };
  return (await serializeResource(() => new MinimalConnector(name, args))).inputs;
}

/** `count` emulated tenants that add `latencyMs` to every admin API call (none are left running on a failure). */
export async function startLatencyTenants(count: number, latencyMs: number): Promise<TestTenant[]> {
  const faults = { rate: 1, kinds: ["latency" as const], latencyMs };
  const tenants: TestTenant[] = [];
  try {
    for (let t = 0; t < count; t++) tenants.push(await startTestTenant({ faults }));
    return tenants;
  } catch (error) {
    await Promise.all(tenants.map((tenant) => tenant.stop()));
    throw error;
  }
}

/** For each tenant, what the engine registers for one connector there: our OAuthApplication, the minimal one. */
export async function connectorInputs(tenants: TestTenant[]): Promise<{ provider: Props[]; minimal: Props[] }> {
  const provider: Props[] = [];
  const minimal: Props[] = [];
  // The minimal ones first: a connector's component registers its outputs after its application (under mocks).
  for (const tenant of tenants) minimal.push(await minimalConnector(tenant.url));
  for (const tenant of tenants) provider.push((await connectorApplication(tenant.url)).inputs);
  return { provider, minimal };
}
