// A whole rollout under injected faults, shared by the fault test and the soak: create `perTenant` connectors on
// each tenant of a fleet through ONE dynamic-provider server, then change every one (a new access token expiry and
// a rotated secret), then destroy them all, rerunning each phase as a user reruns `pulumi up` until it converges,
// and checking after each phase that the tenants hold exactly what the engine recorded.
import { strict as assert } from "node:assert";
import type { FaultOptions } from "../../emulator";
import type { ProviderServer } from "../support/provider-server";
import { converge, type Props, type RunReport, type StackState } from "./engine";
import {
  adminRequests,
  assertInventoriesMatch,
  faultTotals,
  rolloutInputs,
  setFaults,
  type FleetTenant,
} from "./fleet";

/** How to roll out. */
export interface RolloutOptions {
  perTenant: number;
  /** Operations in flight at once (the engine's --parallel). */
  parallelism: number;
  faults: FaultOptions;
  /** Runs of `pulumi up` allowed per phase before the rollout counts as not converging. */
  maxRuns: number;
}

/** What a phase took. */
export interface PhaseReport {
  phase: "create" | "update" | "destroy";
  /** Runs of `pulumi up` until no failure (1: the first run converged). */
  runs: number;
  /** Operations that failed in runs before the last, with their messages. */
  failures: RunReport["failures"];
  /** Admin API requests the tenants received, and the minimum the phase needs without faults. */
  requests: number;
  minimumRequests: number;
  /** Creates whose answer was lost and that were recovered by adopting the application found by name. */
  recoveredCreates: number;
  /** Faults injected, by kind. */
  faults: Record<string, number>;
  faultTotal: number;
  ms: number;
}

/** Runs the three phases; returns a report of each. Fails (assert) when a phase does not converge or is wrong. */
export async function rollout(
  server: ProviderServer,
  fleet: readonly FleetTenant[],
  options: RolloutOptions,
): Promise<PhaseReport[]> {
  const state: StackState = new Map();
  const connectors = fleet.length * options.perTenant;
  const created = await phase(
    "create",
    server,
    fleet,
    options,
    state,
    await rolloutInputs(fleet, options.perTenant),
    connectors,
  );
  const oldSecrets = new Map([...state].map(([name, recorded]) => [name, recorded.outputs.clientSecret]));
  const changes: Props = { accessTokenExpiry: 7200, secretVersion: "2" };
  const updated = await phase(
    "update",
    server,
    fleet,
    options,
    state,
    await rolloutInputs(fleet, options.perTenant, changes),
    2 * connectors,
  );
  for (const [name, recorded] of state) {
    assert.notEqual(recorded.outputs.clientSecret, oldSecrets.get(name), `${name}: the secret was rotated`);
    assert.equal(recorded.outputs.secretVersion, "2");
  }
  const destroyed = await phase("destroy", server, fleet, options, state, new Map(), connectors);
  return [created, updated, destroyed];
}

async function phase(
  name: PhaseReport["phase"],
  server: ProviderServer,
  fleet: readonly FleetTenant[],
  options: RolloutOptions,
  state: StackState,
  desired: Map<string, Props>,
  minimumRequests: number,
): Promise<PhaseReport> {
  for (const member of fleet) for (const kind of Object.keys(member.faults)) delete member.faults[kind];
  await Promise.all(fleet.map(({ tenant }) => tenant.call("DELETE", "/__emulator/requests")));
  await setFaults(fleet, options.faults);
  const started = Date.now();
  const recoveredBefore = recoveredCreates(server);
  const runs = await converge(server, desired, state, { parallelism: options.parallelism, maxRuns: options.maxRuns });
  const ms = Date.now() - started;
  await setFaults(fleet, {});
  const failures = runs.flatMap((run) => run.failures);
  const last = runs[runs.length - 1];
  assert.deepEqual(last.failures, [], `the ${name} phase did not converge in ${options.maxRuns} runs`);
  await assertInventoriesMatch(fleet, state, desired);
  const { total: faultTotal, byKind } = faultTotals(fleet);
  return {
    phase: name,
    runs: runs.length,
    failures,
    requests: (await adminRequests(fleet)).total,
    minimumRequests,
    recoveredCreates: recoveredCreates(server) - recoveredBefore,
    faults: byKind,
    faultTotal,
    ms,
  };
}

/** Adoptions of a lost create the server has warned about so far (one warning line each). */
export function recoveredCreates(server: ProviderServer): number {
  return (server.output().match(/an application of this name already exists/g) ?? []).length;
}

/** One line per phase, for the test's output and the soak's. */
export function describePhases(reports: readonly PhaseReport[]): string {
  return reports
    .map((r) => {
      const faults = Object.entries(r.faults)
        .map(([kind, n]) => `${kind}:${n}`)
        .join(" ");
      const share = r.requests > 0 ? Math.round((100 * r.faultTotal) / r.requests) : 0;
      return (
        `${r.phase}: ${r.runs} run(s), ${r.requests} admin requests for ${r.minimumRequests} minimum ` +
        `(${r.requests - r.minimumRequests} retries and recoveries), ${r.faultTotal} faults (${share}%: ${faults}), ` +
        `${r.recoveredCreates} lost create(s) adopted by name, ${r.failures.length} failed operation(s) rerun, ` +
        `${r.ms} ms` +
        r.failures.map((failure) => `\n  rerun ${failure.name} (${failure.operation}): ${failure.message}`).join("")
      );
    })
    .join("\n");
}
