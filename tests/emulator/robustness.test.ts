// Bad input never crashes the emulator or touches its data: malformed and oversized bodies, wrong content
// types, slow and vanishing clients, garbage on the wire, unknown routes.
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as net from "node:net";
import * as path from "node:path";
import { CLIENTS_PATH, startTestTenant, tempDir, type TestTenant } from "../support/test-tenant";
import { guideClient } from "../support/connector-guide";

describe("emulator: robustness", function () {
  let tenant: TestTenant;
  let data: { dir: string; remove: () => void };
  let stateFile: string;
  before(async () => {
    data = tempDir();
    stateFile = path.join(data.dir, "tenant.json");
    tenant = await startTestTenant({ dataDir: data.dir, requestTimeoutMs: 400 });
    await tenant.createClient({ name: "survivor" });
  });
  after(async () => {
    await tenant.stop();
    data.remove();
  });

  /** Runs `abuse` and checks that the state file is byte for byte the same and the tenant still answers. */
  async function untouched(abuse: () => Promise<void>): Promise<void> {
    const before = fs.readFileSync(stateFile, "utf8");
    await abuse();
    assert.equal(fs.readFileSync(stateFile, "utf8"), before, "the data dir is untouched");
    assert.deepEqual(
      (await tenant.state()).clients.map((c) => c.name),
      ["survivor"],
      "the tenant still answers",
    );
  }

  /** Sends raw bytes; resolves with what came back once the server closes the connection. */
  function raw(bytes: string, waitMs = 3000): Promise<{ text: string; closedByServer: boolean }> {
    const url = new URL(tenant.url);
    return new Promise((resolve) => {
      const socket = net.connect(Number(url.port), url.hostname);
      let text = "";
      const timer = setTimeout(() => {
        socket.destroy();
        resolve({ text, closedByServer: false });
      }, waitMs);
      socket.on("data", (chunk) => (text += chunk.toString("latin1")));
      socket.on("close", () => {
        clearTimeout(timer);
        resolve({ text, closedByServer: true });
      });
      socket.on("error", () => undefined);
      socket.write(bytes);
    });
  }

  it("answers malformed JSON with a 400 in Alation's shape", () =>
    untouched(async () => {
      const answer = await tenant.call("POST", CLIENTS_PATH, {
        body: '{"name": "x",',
        headers: { "Content-Type": "application/json" },
      });
      assert.equal(answer.status, 400);
      assert.match(answer.json.detail, /^JSON parse error/);
      const list = await tenant.call("POST", CLIENTS_PATH, { json: [guideClient()] });
      assert.equal(list.status, 400);
      assert.ok(list.json.errors.non_field_errors);
    }));

  it("answers a body over 1 MiB with 413", () =>
    untouched(async () => {
      const big = JSON.stringify(guideClient({ name: "x".repeat(2 * 1024 * 1024) }));
      const answer = await tenant.call("POST", CLIENTS_PATH, {
        body: big,
        headers: { "Content-Type": "application/json" },
      });
      assert.equal(answer.status, 413);
    }));

  it("answers other media types than JSON on the admin API with 415", () =>
    untouched(async () => {
      const answer = await tenant.call("POST", CLIENTS_PATH, {
        body: "name=x",
        headers: { "Content-Type": "text/plain" },
      });
      assert.equal(answer.status, 415);
      const form = await tenant.call("PATCH", `${CLIENTS_PATH}nope/`, { form: { name: "x" } });
      assert.equal(form.status, 404);
    }));

  it("answers unknown routes with 404", () =>
    untouched(async () => {
      for (const route of ["/nope", "/integration/core/v1/oauth/clients/a/b/c/", "/%E0%A4%A", "/__emulator/nope"]) {
        assert.equal((await tenant.call("GET", route)).status, 404, route);
      }
    }));

  it("cuts off a client that sends its headers or its body too slowly (408)", () =>
    untouched(async () => {
      const slowStarts = [
        `POST ${CLIENTS_PATH} HTTP/1.1\r\nHost: x\r\nTOKEN: test-admin-token\r\nContent-Ty`,
        `POST ${CLIENTS_PATH} HTTP/1.1\r\nHost: x\r\nTOKEN: test-admin-token\r\nContent-Type: ` +
          `application/json\r\nContent-Length: 100\r\n\r\n{"na`,
      ];
      for (const start of slowStarts) {
        const started = Date.now();
        const { text, closedByServer } = await raw(start);
        assert.ok(closedByServer, "the server closed the connection");
        assert.ok(Date.now() - started < 2500, `closed after ${Date.now() - started} ms`);
        assert.match(text, /^HTTP\/1.1 408/);
      }
    }));

  it("survives garbage on the wire and clients that vanish mid-body", () =>
    untouched(async () => {
      const garbage = await raw("\x00\x01NOT HTTP AT ALL\r\n\r\n");
      assert.match(garbage.text, /^HTTP\/1.1 400/);
      await new Promise<void>((resolve) => {
        const url = new URL(tenant.url);
        const socket = net.connect(Number(url.port), url.hostname, () => {
          socket.write(
            `POST ${CLIENTS_PATH} HTTP/1.1\r\nHost: x\r\nTOKEN: test-admin-token\r\nContent-Type: ` +
              `application/json\r\nContent-Length: 1000\r\n\r\n{"name":`,
          );
          setTimeout(() => {
            socket.destroy();
            resolve();
          }, 50);
        });
      });
    }));

  it("never leaves a temp file behind", () => {
    assert.deepEqual(fs.readdirSync(data.dir), ["tenant.json"]);
  });
});
