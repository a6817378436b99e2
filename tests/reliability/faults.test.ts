// A rollout of 50 connectors' OAuth applications across 5 emulated tenants through ONE Pulumi dynamic-provider
// server, 10 operations at a time, with 20% of the admin API's requests faulted (500, 502, 503, 429 with
// Retry-After, dropped connections before and after the write, latency). Every phase (create, update with a rotated
// secret, destroy) must converge with exactly one application per connector: no duplicate, no orphan.
import { strict as assert } from "node:assert";
import { installedPackageProject } from "../support/installed-package";
import { cleanEnvironment, startProviderServer, type ProviderServer } from "../support/provider-server";
import { TRANSIENT_FAULTS, startFleet, stopFleet, type FleetTenant } from "./fleet";
import { describePhases, rollout } from "./rollout";

const TENANTS = 5;
const PER_TENANT = 10;
const FAULT_RATE = 0.2;

describe("reliability: a rollout under injected faults", function () {
  this.timeout(90_000);
  let fleet: FleetTenant[];
  let server: ProviderServer;

  before(async () => {
    fleet = await startFleet(TENANTS);
    server = await startProviderServer({
      cwd: installedPackageProject(),
      env: cleanEnvironment(),
      callTimeoutMs: 60_000,
    });
    await server.configure({});
  });
  after(async () => {
    await server?.kill();
    await stopFleet(fleet);
  });

  const connectors = TENANTS * PER_TENANT;
  const title = `creates, updates and destroys ${connectors} connectors exactly once with ${FAULT_RATE * 100}% faults`;
  it(title, async () => {
    const reports = await rollout(server, fleet, {
      perTenant: PER_TENANT,
      parallelism: 10,
      faults: { rate: FAULT_RATE, kinds: TRANSIENT_FAULTS, retryAfterSeconds: 1, latencyMs: 100, seed: 7 },
      maxRuns: 3,
    });
    console.log(describePhases(reports).replace(/^/gm, "      "));
    for (const report of reports) {
      assert.ok(
        report.faultTotal >= 0.08 * report.requests,
        `${report.phase}: faults were injected (${report.faultTotal} of ${report.requests})`,
      );
      assert.ok(report.requests > report.minimumRequests, `${report.phase}: the provider retried and recovered`);
    }
  });
});
