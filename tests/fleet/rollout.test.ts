// The order of a fleet command, with a stand-in for what it does to each tenant (the real one runs through the CLI:
// tests/engine/fleet.test.ts): waves in order (in reverse for destroy), at most `parallel` tenants at once, a failure
// that lets its wave finish and stops the later ones, the counter.
import * as assert from "node:assert/strict";
import { parseFleet } from "../../provider/fleet/fleet-file";
import { runFleet, type TenantCommand } from "../../provider/fleet/rollout";
import { outcomeLine } from "../../provider/fleet/summary";
import { stackOutputs, type StackContext } from "../../provider/fleet/tenant-stack";

/** A fleet of waves of these tenants' names, `parallel` at once. */
function fleetOf(waves: string[][], parallel: number) {
  const file = {
    project: "p",
    parallel,
    waves: waves.map((names, w) => ({
      name: `w${w + 1}`,
      tenants: names.map((name) => ({ name, baseUrl: `https://${name}.example.com`, apiAccessTokenEnv: "T" })),
    })),
  };
  return parseFleet(JSON.stringify(file), "fleet.json");
}

/** A stand-in tenant command: records the order and how many ran at once; fails the tenants named in `failing`. */
function standIn(failing: string[] = []) {
  const started: string[] = [];
  let running = 0;
  let most = 0;
  const command: TenantCommand = async (_context, tenant) => {
    started.push(tenant.name);
    most = Math.max(most, ++running);
    // Let the other workers start before this one ends.
    await new Promise((resolve) => setImmediate(resolve));
    running--;
    if (failing.includes(tenant.name)) {
      return { tenant: tenant.name, wave: tenant.wave, status: "failed", failure: { phase: "verify", cause: "bad" } };
    }
    return { tenant: tenant.name, wave: tenant.wave, status: "done" };
  };
  return { command, started, most: () => most };
}

async function run(waves: string[][], parallel: number, command: "up" | "destroy", failing: string[] = []) {
  const fleet = fleetOf(waves, parallel);
  const stand = standIn(failing);
  const lines: string[] = [];
  const context = { fleet } as StackContext;
  const report = await runFleet(command, context, { env: {}, progress: (line) => lines.push(line) }, stand.command);
  return { report, lines, ...stand };
}

describe("alation-fleet's waves", () => {
  it("at most `parallel` tenants at once, each wave after the one before", async () => {
    const { started, most, report, lines } = await run([["a", "b", "c", "d", "e"], ["f"]], 2, "up");
    assert.equal(most(), 2);
    assert.deepEqual(started, ["a", "b", "c", "d", "e", "f"]);
    assert.equal(report.ok, true);
    assert.deepEqual(
      lines.filter((line) => /^\d+\/\d+ up$/.test(line)),
      ["1/6 up", "2/6 up", "3/6 up", "4/6 up", "5/6 up", "6/6 up"],
    );
    assert.equal(lines[0], "wave w1 (1/2): 5 tenants");
  });

  it("a failure lets its wave finish, then stops: the later waves are not run", async () => {
    const { started, report, lines } = await run([["a"], ["b", "c", "d"], ["e"], ["f"]], 3, "up", ["b"]);
    assert.deepEqual(started, ["a", "b", "c", "d"]);
    assert.equal(report.ok, false);
    assert.deepEqual(report.failed, { tenant: "b", wave: "w2", phase: "verify", cause: "bad" });
    assert.deepEqual(
      report.tenants.map((result) => `${result.tenant}:${result.status}`),
      ["a:done", "b:failed", "c:done", "d:done", "e:not run", "f:not run"],
    );
    assert.equal(lines[lines.length - 1], "stopped after wave w2: tenant b failed (verify); 2 later waves not run");
    // Four ran, one failed: the counter counts the three that are through.
    assert.deepEqual(
      lines.filter((line) => /^\d+\/\d+ up$/.test(line)),
      ["1/6 up", "2/6 up", "3/6 up"],
    );
  });

  it("a stop (SIGINT, SIGTERM) lets the running tenants finish and starts no other", async () => {
    const fleet = fleetOf([["a", "b", "c"], ["d"]], 2);
    const stop = new AbortController();
    const started: string[] = [];
    const command: TenantCommand = async (_context, tenant) => {
      started.push(tenant.name);
      if (tenant.name === "b") stop.abort(); // the signal arrives while a and b run
      await new Promise((resolve) => setImmediate(resolve));
      return { tenant: tenant.name, wave: tenant.wave, status: "done" };
    };
    const lines: string[] = [];
    const io = { env: {}, progress: (line: string) => lines.push(line), stop: stop.signal };
    const report = await runFleet("up", { fleet } as StackContext, io, command);
    assert.deepEqual(started, ["a", "b"]);
    assert.equal(report.ok, false);
    assert.equal(report.interrupted, true);
    assert.deepEqual(
      report.tenants.map((result) => `${result.tenant}:${result.status}`),
      ["a:done", "b:done", "c:not run", "d:not run"],
    );
    assert.equal(lines[lines.length - 1], "interrupted: no stack started after the stop; a rerun goes on from here");
    assert.equal(outcomeLine(report), "alation-fleet up: interrupted (2/4 tenants done; a rerun goes on from here)");
  });

  it("destroy goes in reverse wave order", async () => {
    const { started, lines } = await run([["a", "b"], ["c"], ["d"]], 4, "destroy");
    assert.deepEqual(started, ["d", "c", "a", "b"]);
    assert.ok(lines.includes("4/4 destroyed"));
  });
});

describe("alation-fleet's reading of stack outputs", () => {
  const [tenant] = fleetOf([["acme"]], 1).waves[0].tenants;

  it("parses what pulumi stack output --json printed", () => {
    assert.deepEqual(stackOutputs('{"clientId":"c","clientSecret":"s"}', tenant), { clientId: "c", clientSecret: "s" });
  });

  it("refuses text that is not JSON without quoting it (shown secrets are in it)", () => {
    assert.throws(
      () => stackOutputs('{"clientSecret": "CANARY-shown-secret" oops', tenant),
      (error: Error) =>
        error.message === "pulumi stack output printed no JSON for the stack of tenant acme" &&
        !error.message.includes("CANARY"),
    );
  });
});
