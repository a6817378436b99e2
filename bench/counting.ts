// The emulator's request counter (GET/DELETE /__emulator/requests): what a piece of work cost a tenant in HTTP, the
// provider's tenant probe (no credential, once per tenant per provider process) counted apart.
import { METADATA_PATH, OPENAPI_PATH } from "../provider/alation";
import type { TestTenant } from "../tests/support/test-tenant";

/**
 * The routes of the tenant probe, as the emulator names them. Without an OpenAPI document, the probe's GETs of the
 * client collections (with the credential) are counted with the operation: the benchmark's tenant serves the document.
 */
export const PROBE_ROUTES: ReadonlyArray<string> = [`GET ${OPENAPI_PATH}`, `GET ${METADATA_PATH}/`];

/** Requests of the tenant probe. */
export interface ProbeCount {
  requests: number;
  /** By `METHOD /route`. */
  byRoute: Record<string, number>;
}

/** Requests and TCP connections a tenant received. */
export interface RequestCount {
  /** Requests, in all, but the probe's. */
  requests: number;
  /** Requests by `METHOD /route`, but the probe's. */
  byRoute: Record<string, number>;
  /** The tenant probe's requests. */
  probe: ProbeCount;
  /** TCP connections accepted. */
  connections: number;
}

/** Zeroes the tenant's counters. */
export async function resetCount(tenant: TestTenant): Promise<void> {
  const answer = await tenant.call("DELETE", "/__emulator/requests");
  if (answer.status !== 200) throw new Error(`resetting the request counter failed: ${answer.status}`);
}

/** The tenant's counters since the last reset. */
export async function readCount(tenant: TestTenant): Promise<RequestCount> {
  const answer = await tenant.call("GET", "/__emulator/requests");
  if (answer.status !== 200) throw new Error(`reading the request counter failed: ${answer.status}`);
  const all: Record<string, number> = answer.json.byRoute;
  const probed = (route: string) => PROBE_ROUTES.includes(route);
  const probeByRoute = Object.fromEntries(Object.entries(all).filter(([route]) => probed(route)));
  const probeRequests = Object.values(probeByRoute).reduce((sum, n) => sum + n, 0);
  return {
    requests: answer.json.total - probeRequests,
    byRoute: Object.fromEntries(Object.entries(all).filter(([route]) => !probed(route))),
    probe: { requests: probeRequests, byRoute: probeByRoute },
    connections: answer.json.connections,
  };
}

/** Runs `work` between a reset and a read of the tenant's counters. */
export async function counted<T>(
  tenant: TestTenant,
  work: () => Promise<T>,
): Promise<{ result: T; count: RequestCount }> {
  await resetCount(tenant);
  const result = await work();
  return { result, count: await readCount(tenant) };
}
