// The emulator under abuse that tests/emulator/robustness.test.ts does not try: bytes that are not UTF-8, JSON
// nested half a million deep or that is not an object, oversized headers, forms and chunked bodies, multipart on
// the admin API, malformed bodies on the token endpoints and the test hooks, a crowd of slow clients while others
// are served, and hostile names that must survive a restart byte for byte. Every abuse gets a 4xx and leaves the
// data dir as it was.
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as http from "node:http";
import * as net from "node:net";
import * as path from "node:path";
import { ADMIN_TOKEN, CLIENTS_PATH, startTestTenant, tempDir, type TestTenant } from "../support/test-tenant";
import { guideClient } from "../support/connector-guide";
import { hostileTexts } from "../support/hostile-values";

const JSON_TYPE = { "Content-Type": "application/json" };

describe("reliability: the emulator under abuse", function () {
  this.timeout(30_000);
  let tenant: TestTenant;
  let data: { dir: string; remove: () => void };
  const stateFile = () => path.join(data.dir, "tenant.json");

  before(async () => {
    data = tempDir();
    tenant = await startTestTenant({ dataDir: data.dir, requestTimeoutMs: 500 });
    await tenant.createClient({ name: "bystander" });
  });
  after(async () => {
    await tenant?.stop();
    data?.remove();
  });

  /** Sends each request; each must get `status`; the data dir must not change. */
  async function refused(status: number, requests: Array<() => Promise<{ status: number } | number>>): Promise<void> {
    const before = fs.readFileSync(stateFile());
    for (const [index, request] of requests.entries()) {
      const answer = await request();
      assert.equal(typeof answer === "number" ? answer : answer.status, status, `request ${index}`);
    }
    assert.ok(fs.readFileSync(stateFile()).equals(before), "the data dir is untouched");
    assert.deepEqual(fs.readdirSync(data.dir), ["tenant.json"], "no temp file left");
  }

  it("refuses JSON that is not UTF-8 (not stored as replacement characters)", async () => {
    // A create that would succeed, but for the bytes of its name.
    const [head, tail] = JSON.stringify(guideClient({ name: "NAME" })).split("NAME");
    const body = Buffer.concat([Buffer.from(head), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from(tail)]);
    await refused(400, [() => tenant.call("POST", CLIENTS_PATH, { body, headers: JSON_TYPE })]);
    const answer = await tenant.call("POST", CLIENTS_PATH, { body, headers: JSON_TYPE });
    assert.match(answer.json.detail, /^JSON parse error - the body is not valid UTF-8/);
  });

  it("answers JSON nested half a million deep, or that is not an object, with 400", () =>
    refused(
      400,
      ["[".repeat(500_000) + "]".repeat(500_000), "null", '"text"', "42", "true", "[]"].map(
        (body) => () => tenant.call("POST", CLIENTS_PATH, { body, headers: JSON_TYPE }),
      ),
    ));

  it("answers oversized headers with 431, an oversized form with 413, a chunked body over 1 MiB with 413", async () => {
    await refused(431, [
      () =>
        tenant.call("POST", CLIENTS_PATH, {
          headers: { "X-Padding": "x".repeat(100_000) },
          json: guideClient({ name: "big header" }),
        }),
    ]);
    const form = "grant_type=client_credentials&" + "a=b&".repeat(400_000);
    await refused(413, [
      () =>
        tenant.call("POST", "/oauth/v2/token/", {
          token: null,
          body: form,
          headers: { "Content-Type": "application/x-www-form-urlencoded" },
        }),
      () => chunkedPost(tenant, CLIENTS_PATH, 40, 64 * 1024),
    ]);
  });

  it("answers multipart on the admin API with 415, bad bodies on token endpoints and hooks with 400", async () => {
    const multipart = '--x\r\nContent-Disposition: form-data; name="name"\r\n\r\nx\r\n--x--';
    await refused(415, [
      () =>
        tenant.call("POST", CLIENTS_PATH, {
          body: multipart,
          headers: { "Content-Type": "multipart/form-data; boundary=x" },
        }),
    ]);
    const faultsBefore = (await tenant.call("GET", "/__emulator/faults")).json;
    await refused(400, [
      () =>
        tenant.call("POST", "/integration/v1/createRefreshToken/", {
          token: null,
          body: '{"username": ',
          headers: JSON_TYPE,
        }),
      () =>
        tenant.call("POST", "/integration/v1/createAPIAccessToken/", {
          token: null,
          body: "[1, 2",
          headers: JSON_TYPE,
        }),
      () => tenant.call("PUT", "/__emulator/faults", { body: '{"rate": ', headers: JSON_TYPE }),
      () => tenant.call("PUT", "/__emulator/faults", { json: { rate: 2, kinds: ["$(reboot)"] } }),
      () => tenant.call("PUT", "/__emulator/clock", { json: { offsetSeconds: "soon" } }),
    ]);
    assert.deepEqual(
      (await tenant.call("GET", "/__emulator/faults")).json,
      faultsBefore,
      "the fault options are unchanged",
    );
  });

  it("keeps serving while 50 slow clients hold connections, then cuts them off with 408", async () => {
    const url = new URL(tenant.url);
    const slow = Array.from({ length: 50 }, () => {
      const socket = net.connect(Number(url.port), url.hostname);
      let text = "";
      socket.on("data", (chunk) => (text += chunk.toString("latin1")));
      socket.on("error", () => undefined);
      socket.write(`POST ${CLIENTS_PATH} HTTP/1.1\r\nHost: x\r\nTOKEN: ${ADMIN_TOKEN}\r\nContent-Le`);
      return { socket, closed: new Promise<string>((resolve) => socket.on("close", () => resolve(text))) };
    });
    try {
      const started = Date.now();
      const served = await tenant.createClient({ name: "served meanwhile" });
      assert.ok(served.client_id && Date.now() - started < 2000, "a normal request is served at once");
      const answers = await Promise.all(slow.map((client) => client.closed));
      assert.ok(
        answers.every((text) => /^HTTP\/1.1 408/.test(text)),
        "every slow client got 408",
      );
    } finally {
      for (const client of slow) client.socket.destroy();
    }
    await tenant.call(
      "DELETE",
      `${CLIENTS_PATH}${(await tenant.state()).clients.find((c) => c.name === "served meanwhile")?.client_id}/`,
    );
  });

  it("stores hostile names literally, and they survive a restart byte for byte", async () => {
    const names = hostileTexts("/nonexistent/canary");
    for (const name of names) await tenant.createClient({ name });
    const before = (await tenant.state()).clients;
    await tenant.stop();
    tenant = await startTestTenant({ dataDir: data.dir, requestTimeoutMs: 500 });
    const after = (await tenant.state()).clients;
    assert.deepEqual(after, before);
    assert.deepEqual(
      after.map((client) => client.name),
      ["bystander", ...names],
    );
    assert.deepEqual(fs.readdirSync(data.dir), ["tenant.json"]);
  });
});

/** POSTs `chunks` chunks of `size` bytes with chunked transfer encoding (no Content-Length); resolves the status. */
function chunkedPost(tenant: TestTenant, urlPath: string, chunks: number, size: number): Promise<number> {
  const url = new URL(tenant.url);
  return new Promise((resolve, reject) => {
    const request = http.request(
      {
        host: url.hostname,
        port: url.port,
        path: urlPath,
        method: "POST",
        headers: { TOKEN: ADMIN_TOKEN, ...JSON_TYPE, "Transfer-Encoding": "chunked" },
      },
      (response) => {
        response.resume();
        resolve(response.statusCode ?? 0);
      },
    );
    request.on("error", reject);
    for (let i = 0; i < chunks; i++) request.write("x".repeat(size));
    request.end();
  });
}
