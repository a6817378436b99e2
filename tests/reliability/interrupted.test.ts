// A provider process killed (SIGKILL) mid-rollout, while creates are done in the tenants but their answers are still
// on the way back: the engine never records those applications. A rerun with a fresh provider server over the SAME
// desired set must converge to exactly one application per connector: an application found under the
// resource's own default name is taken over (secret rotated, settings set, one warning line), whatever its settings.
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

  it("converges on rerun: every lost create taken over under its own default name, none made twice", async () => {
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
    // Each application found under its resource's own default name is that resource's: taken over, settings and all.
    for (const proxy of proxies) proxy.answerDelayMs = 0;
    const changed = unrecorded[0];
    const changedName = String(changed.name);
    desired.set(changedName, { ...desired.get(changedName), accessTokenExpiry: 7200 });
    const second = await startServer();
    const rerun = await up(second, desired, state, 10);
    assert.deepEqual(rerun.failures, []);
    const output = second.output();
    for (const client of unrecorded) {
      assert.ok(output.includes(`"${client.name}": found its own application`), `a warning for ${client.name}`);
      assert.equal(state.get(String(client.name))?.id, client.client_id, "the application made before, not another");
      assert.notEqual(
        state.get(String(client.name))?.outputs.clientSecret,
        client.client_secret,
        "its secret was rotated",
      );
    }
    assert.ok(!output.includes(String(changed.client_secret)), "no secret in the output");
    const changedNow = (await inventories()).find((client) => client.client_id === changed.client_id);
    assert.equal(changedNow?.access_token_expiry, 7200, "its settings set to the resource's");
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
