// Rollout: N REST-only connectors over T emulated tenants that add latency to every admin call, driven through
// Pulumi's provider server as the engine drives a fresh stack (Check, then Create, P resources at once); beside
// it, in the same run, the minimal provider (Pulumi's own floor) through the same server, and a naive client that
// opens a connection per request for the same creates.
import { Client } from "undici";
import { ADMIN_TOKEN, CLIENTS_PATH, type TestTenant } from "../tests/support/test-tenant";
import { guideClient } from "../tests/support/connector-guide";
import { readCount, resetCount } from "./counting";
import type { Props } from "./resources";
import {
  connectorInputs,
  runThroughServer,
  startLatencyTenants,
  summarizeServerRuns,
  type RolloutRun,
  type ServerRollout,
  type ServerRun,
} from "./server-run";
import { medianRun, ratio, round } from "./stats";

/** The rollout's size. */
export interface RolloutOptions {
  connectors: number;
  tenants: number;
  parallel: number;
  latencyMs: number;
  /** Times the rollout (and its baseline) is run; the run of median wall time is reported. */
  repetitions: number;
}

/** The rollout and its baseline. */
export interface RolloutResult extends RolloutOptions {
  /** Admin calls a connector needs one after the other, at the least: its create (Check is offline). */
  sequentialCallsPerConnector: number;
  /** latencyMs x sequentialCallsPerConnector x connectors / parallel. */
  lowerBoundMs: number;
  /** Through Pulumi's provider server and pulumi-alation. */
  provider: ServerRollout;
  /** Through the same server, the minimal provider (bench/minimal-provider.js): Pulumi's own floor. */
  minimal: ServerRollout;
  /** provider / minimal: wall time and CPU per connector as ratios, and the CPU per connector ours adds, ms. */
  providerToMinimal: {
    wallTime: number;
    cpuPerConnector: number;
    cpuMsPerConnectorAdded: number;
    /** What ours adds on the main thread alone, ms per connector. */
    mainThreadCpuMsPerConnectorAdded: number;
  };
  /** A client opening a new connection for every request, the same creates at the same parallelism. */
  naive: RolloutRun;
  /** provider / naive. */
  providerToNaive: { wallTime: number; connections: number };
}

const SEQUENTIAL_CALLS_PER_CONNECTOR = 1;

/** Runs the rollout; `project` is where pulumi-alation is installed. */
export async function measureRollout(project: string, options: RolloutOptions): Promise<RolloutResult> {
  // Round robin: neighbours in the program's order are on different tenants, as in a loop over tenants.
  const tenantOf = (i: number) => i % options.tenants;
  const lowerBoundMs = (options.latencyMs * SEQUENTIAL_CALLS_PER_CONNECTOR * options.connectors) / options.parallel;
  const providerRuns: ServerRun[] = [];
  const minimalRuns: ServerRun[] = [];
  const naiveRuns: RolloutRun[] = [];
  // Alternately, so that both see the same moments of a shared machine. Every provider run is a fresh provider
  // process (as each `pulumi up` starts one: new connection pools), and every repetition has tenants of its own: each
  // provider run meets empty tenants, as a fresh stack's first `up` does (a provider process lists each tenant's
  // applications before its creates, a list the runs before would otherwise have lengthened).
  for (let repetition = 0; repetition < options.repetitions; repetition++) {
    const tenants = await startLatencyTenants(options.tenants, options.latencyMs);
    try {
      const { provider: inputsByTenant, minimal: minimalByTenant } = await connectorInputs(tenants);
      const timed = (create: (i: number) => Promise<void>) => timedRun(tenants, options, lowerBoundMs, create);
      // Ours under default names, as the README's programs leave the name out: each connector's own (`autoName`,
      // which check makes its name). The minimal provider has no default names: it is given the name.
      const named = (byTenant: Props[], key: "autoName" | "name", prefix: string) => (i: number) => ({
        ...byTenant[tenantOf(i)],
        [key]: `${prefix}-${repetition}-${i}`,
      });
      providerRuns.push(await runThroughServer(project, named(inputsByTenant, "autoName", "claude"), timed));
      minimalRuns.push(await runThroughServer(project, named(minimalByTenant, "name", "minimal"), timed));
      naiveRuns.push(
        await timedRun(tenants, options, lowerBoundMs, (i) =>
          createWithNewConnection(tenants[tenantOf(i)], `naive-${repetition}-${i}`),
        ),
      );
    } finally {
      await Promise.all(tenants.map((tenant) => tenant.stop()));
    }
  }

  const provider = summarizeServerRuns(providerRuns, options.connectors, lowerBoundMs);
  const minimal = summarizeServerRuns(minimalRuns, options.connectors, lowerBoundMs);
  const naive = medianRun(naiveRuns);
  const { connectors, tenants: tenantCount, parallel, latencyMs, repetitions } = options;
  return {
    connectors,
    tenants: tenantCount,
    parallel,
    latencyMs,
    repetitions,
    sequentialCallsPerConnector: SEQUENTIAL_CALLS_PER_CONNECTOR,
    lowerBoundMs: round(lowerBoundMs),
    provider,
    minimal,
    providerToMinimal: {
      wallTime: ratio(provider.wallMs, minimal.wallMs),
      cpuPerConnector: ratio(provider.cpuMsPerConnector, minimal.cpuMsPerConnector),
      cpuMsPerConnectorAdded: round(provider.cpuMsPerConnector - minimal.cpuMsPerConnector, 2),
      mainThreadCpuMsPerConnectorAdded: round(
        provider.mainThreadCpuMsPerConnector - minimal.mainThreadCpuMsPerConnector,
        2,
      ),
    },
    naive,
    providerToNaive: {
      wallTime: ratio(provider.wallMs, naive.wallMs),
      connections: ratio(provider.connectionsPerTenant.mean, naive.connectionsPerTenant.mean),
    },
  };
}

/** Runs `create(i)` for every connector, `parallel` at a time, and reads what the tenants saw. */
async function timedRun(
  tenants: TestTenant[],
  options: RolloutOptions,
  lowerBoundMs: number,
  create: (i: number) => Promise<void>,
): Promise<RolloutRun> {
  await Promise.all(tenants.map(resetCount));
  const started = performance.now();
  const cpuBefore = process.cpuUsage();
  await inParallel(options.connectors, options.parallel, create);
  const wallMs = performance.now() - started;
  const cpu = process.cpuUsage(cpuBefore);
  const counts = await Promise.all(tenants.map(readCount));
  const connections = counts.map((count) => count.connections);
  const requests = counts.reduce((sum, count) => sum + count.requests, 0);
  return {
    wallMs: round(wallMs),
    ratioToLowerBound: ratio(wallMs, lowerBoundMs),
    requestsPerConnector: round(requests / options.connectors, 2),
    probeRequests: counts.reduce((sum, count) => sum + count.probe.requests, 0),
    connectionsPerTenant: {
      min: Math.min(...connections),
      max: Math.max(...connections),
      mean: round(connections.reduce((a, b) => a + b, 0) / connections.length),
    },
    driverCpuMs: round((cpu.user + cpu.system) / 1000),
  };
}

/**
 * Runs task(0..count-1) with at most `parallel` in flight, as the engine's step executor does; fails on the first
 * error.
 */
export async function inParallel(count: number, parallel: number, task: (i: number) => Promise<void>): Promise<void> {
  let next = 0;
  const worker = async () => {
    while (next < count) await task(next++);
  };
  await Promise.all(Array.from({ length: Math.min(parallel, count) }, worker));
}

/** The naive way: a new undici Client (one TCP connection) for the one request, closed after it. */
async function createWithNewConnection(tenant: TestTenant, name: string): Promise<void> {
  const client = new Client(tenant.url);
  try {
    const answer = await client.request({
      method: "POST",
      path: CLIENTS_PATH,
      headers: { TOKEN: ADMIN_TOKEN, "content-type": "application/json", accept: "application/json" },
      body: JSON.stringify(guideClient({ name, redirect_uris: ["https://claude.ai/api/mcp/auth_callback"] })),
    });
    const text = await answer.body.text();
    if (answer.statusCode !== 201) throw new Error(`naive create failed: ${answer.statusCode} ${text}`);
  } finally {
    await client.close();
  }
}
