// The soak behind `npm run soak`: the fault rollout of tests/reliability at a larger scale and for several rounds,
// each round also killing the provider process at a random moment of a create phase and converging with a fresh
// one, then the property tests of `check` with many more inputs. Prints one line per phase and a summary; exits
// non-zero on the first failure. Knobs (environment): SOAK_TENANTS (10), SOAK_PER_TENANT (30), SOAK_ROUNDS (5),
// SOAK_FAULT_RATE (0.2), SOAK_PARALLELISM (10), SOAK_PROPERTY_RUNS (20000). Needs dist/ (the npm script builds it).
import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import * as path from "node:path";
import type { FaultOptions } from "../../emulator";
import { installedPackageProject } from "../support/installed-package";
import { cleanEnvironment, startProviderServer, type ProviderServer } from "../support/provider-server";
import { converge, up, type StackState } from "./engine";
import {
  TRANSIENT_FAULTS,
  adminRequests,
  assertInventoriesMatch,
  faultTotals,
  rolloutInputs,
  setFaults,
  startFleet,
  stopFleet,
  type FleetTenant,
} from "./fleet";
import { describePhases, recoveredCreates, rollout } from "./rollout";

const knob = (name: string, fallback: number) => Number(process.env[name] ?? fallback);
const TENANTS = knob("SOAK_TENANTS", 10);
const PER_TENANT = knob("SOAK_PER_TENANT", 30);
const ROUNDS = knob("SOAK_ROUNDS", 5);
const FAULT_RATE = knob("SOAK_FAULT_RATE", 0.2);
const PARALLELISM = knob("SOAK_PARALLELISM", 10);
const PROPERTY_RUNS = knob("SOAK_PROPERTY_RUNS", 20000);
const MAX_RUNS = 4;

const totals = { connectors: 0, requests: 0, faults: 0, reruns: 0, kills: 0, adoptedAfterKill: 0 };

async function startServer(): Promise<ProviderServer> {
  const server = await startProviderServer({
    cwd: installedPackageProject(),
    env: cleanEnvironment(),
    callTimeoutMs: 120_000,
  });
  await server.configure({});
  return server;
}

function faultsOf(round: number): FaultOptions {
  return { rate: FAULT_RATE, kinds: TRANSIENT_FAULTS, retryAfterSeconds: 1, latencyMs: 100, seed: 1000 * round + 1 };
}

/** A create phase whose provider is killed at a random moment; a fresh provider converges, then destroys. */
async function interruptedRollout(fleet: readonly FleetTenant[], round: number): Promise<string> {
  const desired = await rolloutInputs(fleet, PER_TENANT);
  const state: StackState = new Map();
  await setFaults(fleet, faultsOf(round + 500));
  const doomed = await startServer();
  const run = up(doomed, desired, state, PARALLELISM);
  const killAfterMs = 300 + Math.floor(Math.random() * 2000);
  await new Promise((resolve) => setTimeout(resolve, killAfterMs));
  process.kill(doomed.pid, "SIGKILL");
  await run;
  await doomed.kill();
  const recordedAtKill = state.size;
  const fresh = await startServer();
  try {
    const runs = await converge(fresh, desired, state, { parallelism: PARALLELISM, maxRuns: MAX_RUNS });
    assert.deepEqual(runs[runs.length - 1].failures, [], "the rerun after the kill did not converge");
    await setFaults(fleet, {});
    await assertInventoriesMatch(fleet, state, desired);
    const adopted = recoveredCreates(fresh);
    const destroyed = await converge(fresh, new Map(), state, { parallelism: PARALLELISM, maxRuns: MAX_RUNS });
    assert.deepEqual(destroyed[destroyed.length - 1].failures, [], "the destroy after the kill did not converge");
    for (const { tenant } of fleet)
      assert.deepEqual((await tenant.state()).clients, [], "the destroy left applications");
    totals.kills++;
    totals.adoptedAfterKill += adopted;
    return (
      `killed after ${killAfterMs} ms with ${recordedAtKill} of ${desired.size} recorded; a fresh provider ` +
      `converged in ${runs.length} run(s), adopting ${adopted} unrecorded application(s); destroyed`
    );
  } finally {
    await fresh.kill();
  }
}

async function main(): Promise<void> {
  const started = Date.now();
  console.log(
    `soak: ${ROUNDS} round(s) of ${TENANTS} tenants x ${PER_TENANT} connectors, ${FAULT_RATE * 100}% faults, ` +
      `parallelism ${PARALLELISM}`,
  );
  const fleet = await startFleet(TENANTS);
  try {
    for (let round = 1; round <= ROUNDS; round++) {
      const server = await startServer();
      try {
        const reports = await rollout(server, fleet, {
          perTenant: PER_TENANT,
          parallelism: PARALLELISM,
          faults: faultsOf(round),
          maxRuns: MAX_RUNS,
        });
        console.log(`round ${round}:\n${describePhases(reports).replace(/^/gm, "  ")}`);
        for (const report of reports) {
          totals.requests += report.requests;
          totals.faults += report.faultTotal;
          totals.reruns += report.runs - 1;
        }
        totals.connectors += TENANTS * PER_TENANT;
      } finally {
        await server.kill();
      }
      await Promise.all(fleet.map(({ tenant }) => tenant.call("DELETE", "/__emulator/requests")));
      console.log(`  interrupted: ${await interruptedRollout(fleet, round)}`);
      totals.requests += (await adminRequests(fleet)).total;
      totals.faults += faultTotals(fleet).total;
    }
  } finally {
    await stopFleet(fleet);
  }
  console.log(`properties of check: ${PROPERTY_RUNS} inputs per resource`);
  const mocha = spawnSync(
    process.execPath,
    [require.resolve("mocha/bin/mocha.js"), path.join(__dirname, "check-properties.test.ts")],
    {
      cwd: path.resolve(__dirname, "..", ".."),
      env: { ...process.env, RELIABILITY_PROPERTY_RUNS: String(PROPERTY_RUNS) },
      stdio: "inherit",
    },
  );
  assert.equal(mocha.status, 0, "the property tests failed");
  const minutes = ((Date.now() - started) / 60_000).toFixed(1);
  console.log(
    `soak passed in ${minutes} min: ${totals.connectors} connectors created, updated and destroyed exactly once; ` +
      `${totals.requests} admin requests with ${totals.faults} injected faults; ${totals.reruns} phase rerun(s); ` +
      `${totals.kills} provider kill(s), ${totals.adoptedAfterKill} unrecorded application(s) adopted on rerun; no ` +
      `duplicate, no orphan`,
  );
}

// Run only as a script (mocha, given the folder, loads every file of it).
if (require.main === module) {
  main().then(
    () => process.exit(0),
    (error) => {
      console.error(`soak FAILED: ${error instanceof Error ? error.stack : String(error)}`);
      process.exit(1);
    },
  );
}
