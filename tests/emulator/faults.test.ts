// Fault injection: each kind, the route filter, reproducibility from the seed, and the request counts.
import { strict as assert } from "node:assert";
import * as http from "node:http";
import { CLIENTS_PATH, startTestTenant, type TestTenant } from "../support/test-tenant";
import { guideClient } from "../support/connector-guide";

describe("emulator: fault injection", function () {
  let tenant: TestTenant;
  before(async () => (tenant = await startTestTenant()));
  after(() => tenant.stop());
  afterEach(async () => {
    await tenant.call("PUT", "/__emulator/faults", { json: {} });
  });

  const setFaults = async (options: Record<string, unknown>): Promise<void> => {
    const answer = await tenant.call("PUT", "/__emulator/faults", { json: options });
    assert.equal(answer.status, 200, answer.text);
  };
  const clientNames = async (): Promise<string[]> => (await tenant.state()).clients.map((c) => c.name as string);

  it("answers 500, 502 and 503 with HTML bodies on the admin API, leaves other routes and hooks alone", async () => {
    for (const kind of ["500", "502", "503"]) {
      await setFaults({ rate: 1, kinds: [kind] });
      const answer = await tenant.call("POST", CLIENTS_PATH, { json: guideClient({ name: `fault-${kind}` }) });
      assert.equal(answer.status, Number(kind));
      assert.match(answer.headers.get("content-type") ?? "", /text\/html/);
      assert.equal(
        (await tenant.call("GET", "/.well-known/jwks.json/", { token: null })).status,
        200,
        "not an admin route",
      );
      assert.equal((await tenant.call("GET", "/__emulator/state")).status, 200, "hooks are never faulted");
    }
    assert.deepEqual(await clientNames(), [], "a faulted request is not applied");
  });

  it("answers 429 with Retry-After", async () => {
    await setFaults({ rate: 1, kinds: ["429"], retryAfterSeconds: 7 });
    const answer = await tenant.call("GET", CLIENTS_PATH);
    assert.equal(answer.status, 429);
    assert.equal(answer.headers.get("retry-after"), "7");
    assert.equal(typeof answer.json.detail, "string");
  });

  it("drops the connection before any answer, without applying the write", async () => {
    await setFaults({ rate: 1, kinds: ["drop"] });
    await assert.rejects(tenant.call("POST", CLIENTS_PATH, { json: guideClient({ name: "dropped" }) }));
    assert.ok(!(await clientNames()).includes("dropped"));
  });

  it("drops the connection after applying the write (a lost answer)", async () => {
    await setFaults({ rate: 1, kinds: ["drop-after-write"] });
    await assert.rejects(tenant.call("POST", CLIENTS_PATH, { json: guideClient({ name: "lost-answer" }) }));
    assert.ok((await clientNames()).includes("lost-answer"));
  });

  it("adds latency, then serves normally", async () => {
    await setFaults({ rate: 1, kinds: ["latency"], latencyMs: 300 });
    const started = Date.now();
    const answer = await tenant.call("GET", CLIENTS_PATH);
    assert.equal(answer.status, 200);
    assert.ok(Date.now() - started >= 290, `took ${Date.now() - started} ms`);
  });

  it("faults only the routes matching the routes regex", async () => {
    await setFaults({ rate: 1, kinds: ["503"], routes: "^GET /\\.well-known/jwks" });
    assert.equal((await tenant.call("GET", "/.well-known/jwks.json/", { token: null })).status, 503);
    assert.equal((await tenant.call("GET", CLIENTS_PATH)).status, 200);
  });

  it("faults a share of the requests, reproducibly from the seed", async () => {
    const run = async (seed: number): Promise<number[]> => {
      await setFaults({ rate: 0.5, kinds: ["503"], seed });
      const statuses: number[] = [];
      for (let i = 0; i < 30; i++) statuses.push((await tenant.call("GET", CLIENTS_PATH)).status);
      return statuses;
    };
    const first = await run(42);
    const faulted = first.filter((s) => s === 503).length;
    assert.ok(faulted > 5 && faulted < 25, `${faulted} of 30 faulted at rate 0.5`);
    assert.deepEqual(await run(42), first, "same seed, same faults");
    assert.notDeepEqual(await run(7), first, "another seed, other faults");
  });

  it("shows, clears and validates the fault options", async () => {
    await setFaults({ rate: 0.25, kinds: ["500", "429"], seed: 3 });
    assert.deepEqual((await tenant.call("GET", "/__emulator/faults")).json, {
      rate: 0.25,
      kinds: ["500", "429"],
      seed: 3,
    });
    await setFaults({});
    assert.deepEqual((await tenant.call("GET", "/__emulator/faults")).json, {});
    for (const bad of [{ rate: 2 }, { kinds: ["teapot"] }, { routes: "(" }, { nonsense: true }]) {
      assert.equal((await tenant.call("PUT", "/__emulator/faults", { json: bad })).status, 400, JSON.stringify(bad));
    }
    assert.equal((await tenant.call("PUT", "/__emulator/faults", { token: "wrong", json: {} })).status, 403);
    assert.equal((await tenant.call("GET", "/__emulator/faults", { token: null })).status, 401);
  });

  it("counts requests by route pattern and connections, and resets the counts", async () => {
    await tenant.call("DELETE", "/__emulator/requests");
    const created = await tenant.createClient({ name: "counted" });
    await tenant.call("PATCH", `${CLIENTS_PATH}${created.client_id}`, { json: {} });
    await tenant.call("PATCH", `${CLIENTS_PATH}${created.client_id}/`, { json: {} });
    await new Promise<void>((resolve, reject) => {
      // A request on a connection of its own (fetch reuses pooled connections, opened before the reset).
      http.get(`${tenant.url}/nowhere`, { agent: false }, (res) => res.resume().on("end", resolve)).on("error", reject);
    });
    const counts = (await tenant.call("GET", "/__emulator/requests")).json;
    assert.equal(counts.total, 4);
    assert.equal(counts.byRoute["GET /nowhere"], 1);
    assert.equal(counts.byRoute["POST /integration/core/v1/oauth/clients/"], 1);
    assert.equal(counts.byRoute["PATCH /integration/core/v1/oauth/clients/{client_id}/"], 2);
    assert.ok(counts.connections >= 1);
    assert.deepEqual((await tenant.call("DELETE", "/__emulator/requests")).json, {
      total: 0,
      byRoute: {},
      connections: 0,
    });
  });
});
