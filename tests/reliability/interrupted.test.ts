// A provider process killed (SIGKILL) mid-rollout, while creates are done in the tenants but their answers are still
// on the way back: the engine never records those applications. A rerun with a fresh provider server over the SAME
// desired set must converge to exactly one application per connector: an application found by name with exactly the
// resource's settings is adopted (secret rotated, one warning line); one whose settings differ is left alone and the
// error names the adoptClientId step, which converges once followed.
import { strict as assert } from "node:assert";
import type { ProviderServer } from "../support/provider-server";
import { startDelayProxy, type DelayProxy } from "./delay-proxy";
import { up, type StackState } from "./engine";
import { assertInventoriesMatch, rolloutInputs, startFleet, stopFleet, type FleetTenant } from "./fleet";
import { startInstalledProviderServer } from "../support/provider-harness";

const TENANTS = 2;
const PER_TENANT = 10;
const ANSWER_DELAY_MS = 400;

describe("reliability: a provider killed mid-rollout", function () {
  this.timeout(60_000);
  let fleet: FleetTenant[];
  let proxies: DelayProxy[];
  const servers: ProviderServer[] = [];
  const startServer = async () => {
    const server = await startInstalledProviderServer();
    servers.push(server);
    await server.configure({});
    return server;
  };
  const inventories = async () =>
    (await Promise.all(fleet.map(async ({ tenant }) => (await tenant.state()).clients))).flat();

  before(async () => {
    fleet = await startFleet(TENANTS);
    proxies = await Promise.all(fleet.map(({ tenant }) => startDelayProxy(tenant.url, ANSWER_DELAY_MS)));
  });
  after(async () => {
    await Promise.all(servers.map((server) => server.kill()));
    await Promise.all((proxies ?? []).map((proxy) => proxy.close()));
    await stopFleet(fleet);
  });

  it("converges on rerun: lost creates adopted by name and settings, a changed one refused", async () => {
    const desired = await rolloutInputs(fleet, PER_TENANT, {}, (member) => proxies[fleet.indexOf(member)].url);
    const state: StackState = new Map();

    // The first run, killed once some creates are recorded and several more are done but unanswered.
    const first = await startServer();
    const run = up(first, desired, state, 10);
    await waitUntil(async () => state.size >= 4 && (await inventories()).length >= state.size + 3, 20_000);
    process.kill(first.pid, "SIGKILL");
    const killed = await run;
    assert.ok(killed.failures.length > 0, "the killed run failed");
    const held = await inventories();
    const unrecorded = held.filter((client) => !state.has(String(client.name)));
    assert.ok(unrecorded.length >= 3, `${unrecorded.length} applications exist that the engine never recorded`);

    // The rerun: a fresh provider, answers no longer held back, one unrecorded connector's settings changed meanwhile.
    for (const proxy of proxies) proxy.answerDelayMs = 0;
    const changed = unrecorded[0];
    const changedName = String(changed.name);
    desired.set(changedName, { ...desired.get(changedName), accessTokenExpiry: 7200 });
    const second = await startServer();
    const rerun = await up(second, desired, state, 10);
    assert.deepEqual(
      rerun.failures.map((failure) => failure.name),
      [changedName],
      JSON.stringify(rerun.failures),
    );
    const message = rerun.failures[0].message;
    assert.match(message, /already exists/);
    assert.match(message, /accessTokenExpiry/, "says which setting differs");
    assert.ok(message.includes(`set adoptClientId: "${changed.client_id}"`), message);
    assert.ok(!message.includes(String(changed.client_secret)), "no secret in the message");
    const output = second.output();
    for (const client of unrecorded.slice(1)) {
      assert.ok(
        output.includes(`"${client.name}": an application of this name already exists`),
        `a warning for ${client.name}`,
      );
      assert.notEqual(
        state.get(String(client.name))?.outputs.clientSecret,
        client.client_secret,
        "its secret was rotated",
      );
    }
    assert.ok(
      !output.includes(`"${changedName}": an application of this name already exists`),
      "the changed one was not adopted",
    );

    // The user follows the step.
    desired.set(changedName, { ...desired.get(changedName), adoptClientId: changed.client_id });
    const last = await up(second, desired, state, 10);
    assert.deepEqual(last.failures, []);
    await assertInventoriesMatch(fleet, state, desired);
    assert.equal((await inventories()).length, TENANTS * PER_TENANT, "exactly one application per connector");
  });
});

async function waitUntil(condition: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`the condition did not hold within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}
