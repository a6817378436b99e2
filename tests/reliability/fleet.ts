// A fleet of emulated tenants for rollout tests: each counts the faults it injects (from its log), and a rollout's
// connectors (one OAuth application per connector, named for its tenant and number) are compared with what the
// tenants hold: one application per recorded resource, with the recorded id, secret and fields; nothing else.
import { strict as assert } from "node:assert";
import type { FaultOptions } from "../../emulator";
import { OAuthApplication } from "../../provider";
import { ADMIN_TOKEN, CLIENTS_PATH, startTestTenant, type TestTenant } from "../support/test-tenant";
import { serializeResource } from "../support/serialized-provider";
import { CLAUDE_REDIRECT_URIS } from "../support/provider-harness";
import type { Props, StackState } from "./engine";

/** Every kind of transient fault the emulator injects. */
export const TRANSIENT_FAULTS: NonNullable<FaultOptions["kinds"]> = [
  "500",
  "502",
  "503",
  "429",
  "drop",
  "drop-after-write",
  "latency",
];

/** One tenant of the fleet. */
export interface FleetTenant {
  tenant: TestTenant;
  /** Faults injected so far, by kind. */
  faults: Record<string, number>;
}

/** Starts `count` tenants. */
export async function startFleet(count: number, options: { faults?: FaultOptions } = {}): Promise<FleetTenant[]> {
  return Promise.all(
    Array.from({ length: count }, async () => {
      const faults: Record<string, number> = {};
      const log = (line: string) => {
        const fault = /^fault (\S+) on /.exec(line);
        if (fault) faults[fault[1]] = (faults[fault[1]] ?? 0) + 1;
      };
      return { tenant: await startTestTenant({ log, faults: options.faults }), faults };
    }),
  );
}

/** Stops every tenant. */
export async function stopFleet(fleet: readonly FleetTenant[] | undefined): Promise<void> {
  await Promise.all((fleet ?? []).map((member) => member.tenant.stop()));
}

/** Sets the faults of every tenant (`{}` clears them); each tenant gets its own seed. */
export async function setFaults(fleet: readonly FleetTenant[], faults: FaultOptions): Promise<void> {
  await Promise.all(
    fleet.map(async ({ tenant }, index) => {
      const body = Object.keys(faults).length === 0 ? {} : { ...faults, seed: (faults.seed ?? 1) + index };
      const answer = await tenant.call("PUT", "/__emulator/faults", { json: body });
      assert.equal(answer.status, 200, answer.text);
    }),
  );
}

let serializedProvider: string | undefined;

/** The `__provider` of an OAuthApplication, as a program registers it (built once under Pulumi's mocks). */
export async function oauthApplicationProvider(): Promise<string> {
  serializedProvider ??= (
    await serializeResource(
      () =>
        new OAuthApplication("connector", {
          connection: { baseUrl: "https://t.example" },
          redirectUris: CLAUDE_REDIRECT_URIS,
        }),
    )
  ).provider;
  return serializedProvider;
}

/** The name of connector `j` of tenant `i` (also its application's name). */
export function connectorName(tenantIndex: number, connector: number): string {
  return `connector-t${tenantIndex}-${String(connector).padStart(3, "0")}`;
}

/**
 * The desired set of a rollout: `perTenant` connectors on each tenant (authenticating with the admin token), as
 * the engine would receive their inputs; `extra` fields are added to every one.
 */
export async function rolloutInputs(
  fleet: readonly FleetTenant[],
  perTenant: number,
  extra: Props = {},
  baseUrlOf: (member: FleetTenant) => string = (member) => member.tenant.url,
): Promise<Map<string, Props>> {
  const provider = await oauthApplicationProvider();
  const desired = new Map<string, Props>();
  fleet.forEach((member, i) => {
    for (let j = 0; j < perTenant; j++) {
      desired.set(connectorName(i, j), {
        __provider: provider,
        connection: { baseUrl: baseUrlOf(member), apiAccessToken: ADMIN_TOKEN },
        // A resource's own default name, as OAuthApplication gives one when no name is set.
        name: connectorName(i, j),
        autoName: connectorName(i, j),
        redirectUris: CLAUDE_REDIRECT_URIS,
        ...extra,
      });
    }
  });
  return desired;
}

/**
 * Asserts that the tenants hold exactly the recorded applications: each recorded resource's application exists
 * once, in its own tenant, with the recorded secret and fields; no tenant holds any other application.
 */
export async function assertInventoriesMatch(
  fleet: readonly FleetTenant[],
  state: StackState,
  desired: Map<string, Props>,
): Promise<void> {
  const inventories = await Promise.all(fleet.map(async ({ tenant }) => (await tenant.state()).clients));
  const expectedCount = inventories.reduce((sum, clients) => sum + clients.length, 0);
  assert.equal(state.size, desired.size, `recorded ${state.size} of ${desired.size} connectors`);
  assert.equal(
    expectedCount,
    state.size,
    `the tenants hold ${expectedCount} applications for ${state.size} connectors`,
  );
  fleet.forEach((_member, i) => {
    const clients = inventories[i];
    const names = clients.map((client) => client.name);
    assert.equal(new Set(names).size, names.length, `tenant ${i} holds a name twice`);
    for (const client of clients) {
      const name = String(client.name);
      const recorded = state.get(name);
      assert.ok(recorded, `tenant ${i} holds ${name}, which no resource records (an orphan)`);
      assert.equal(recorded.id, client.client_id, `${name}: the recorded id is the tenant's`);
      assert.equal(recorded.outputs.clientSecret, client.client_secret, `${name}: the recorded secret is the tenant's`);
      assert.ok(name.startsWith(`connector-t${i}-`), `${name} was created in tenant ${i}, not its own`);
      const wanted = desired.get(name) as Props;
      assert.equal(
        (recorded.outputs.connection as Props).baseUrl,
        (wanted.connection as Props).baseUrl,
        `${name}: the recorded tenant`,
      );
      assert.equal(client.access_token_expiry, wanted.accessTokenExpiry ?? 86400, `${name}: accessTokenExpiry`);
      assert.deepEqual(client.redirect_uris, wanted.redirectUris, `${name}: redirectUris`);
    }
  });
}

/** Requests each tenant's admin API received (all tenants added), by route, and the total. */
export async function adminRequests(
  fleet: readonly FleetTenant[],
): Promise<{ total: number; byRoute: Record<string, number> }> {
  const byRoute: Record<string, number> = {};
  let total = 0;
  for (const { tenant } of fleet) {
    const counts = (await tenant.call("GET", "/__emulator/requests")).json as { byRoute: Record<string, number> };
    for (const [route, n] of Object.entries(counts.byRoute)) {
      if (!route.includes(CLIENTS_PATH.slice(0, -1))) continue;
      byRoute[route] = (byRoute[route] ?? 0) + n;
      total += n;
    }
  }
  return { total, byRoute };
}

/** Faults injected across the fleet, by kind, and their total. */
export function faultTotals(fleet: readonly FleetTenant[]): { total: number; byKind: Record<string, number> } {
  const byKind: Record<string, number> = {};
  for (const member of fleet)
    for (const [kind, n] of Object.entries(member.faults)) byKind[kind] = (byKind[kind] ?? 0) + n;
  return { total: Object.values(byKind).reduce((a, b) => a + b, 0), byKind };
}
