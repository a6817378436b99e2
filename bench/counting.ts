// The emulator's request counter (GET/DELETE /__emulator/requests): what a piece of work cost a tenant in HTTP.
import type { TestTenant } from "../tests/support/test-tenant";

/** Requests and TCP connections a tenant received. */
export interface RequestCount {
  /** Requests, in all. */
  requests: number;
  /** Requests by `METHOD /route`. */
  byRoute: Record<string, number>;
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
  return { requests: answer.json.total, byRoute: answer.json.byRoute, connections: answer.json.connections };
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
