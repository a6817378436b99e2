// The tenant's state survives a restart (in-process here; the CLI test covers SIGTERM), and a damaged data dir
// is refused rather than overwritten.
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import { startEmulator } from "../../emulator";
import { ADMIN_TOKEN, CLIENTS_PATH, TEST_USER, startTestTenant, tempDir, userTokens } from "../support/test-tenant";

describe("emulator: persistence", function () {
  let data: { dir: string; remove: () => void };
  beforeEach(() => (data = tempDir()));
  afterEach(() => data.remove());

  it("keeps clients, settings, tokens and the signing key across a restart", async () => {
    const first = await startTestTenant({ dataDir: data.dir });
    const created = await first.createClient({ name: "persisted" });
    await first.setJwtFlag(true);
    const { access_token: jwt, refresh_token } = await userTokens(first, created);
    const refresh = await first.call("POST", "/integration/v1/createRefreshToken/", {
      token: null,
      json: { ...TEST_USER, name: "p" },
    });
    const legacy = await first.call("POST", "/integration/v1/createAPIAccessToken/", {
      token: null,
      json: { refresh_token: refresh.json.refresh_token, user_id: 1 },
    });
    const kid = (await first.call("GET", "/.well-known/jwks.json/", { token: null })).json.keys[0].kid;
    const account = await first.createServiceAccount({ role: "STEWARD" });
    await first.stop();

    // Same port: a tenant's URL (the issuer of its JWTs) does not change across a restart.
    const second = await startTestTenant({ dataDir: data.dir, port: Number(new URL(first.url).port) });
    try {
      const state = await second.state();
      assert.deepEqual(
        state.clients.map((c) => [c.name, c.client_secret]),
        [["persisted", created.client_secret]],
      );
      assert.equal(state.conf["alation.feature_flags.enable_jwt_in_v1_oauth_stack"], "True");
      assert.deepEqual(
        state.serviceAccounts.map((sa) => [sa.client_id, sa.role]),
        [[account.client_id, "STEWARD"]],
      );
      assert.equal(
        (await second.call("GET", "/.well-known/jwks.json/", { token: null })).json.keys[0].kid,
        kid,
        "same signing key",
      );
      assert.equal(
        (await second.call("GET", CLIENTS_PATH, { token: legacy.json.api_access_token })).status,
        200,
        "legacy token still valid",
      );
      const mcp = await second.call("POST", "/ai/mcp/", {
        token: null,
        headers: { Authorization: `Bearer ${jwt}`, Accept: "application/json, text/event-stream" },
        json: { jsonrpc: "2.0", id: 1, method: "tools/list" },
      });
      assert.equal(mcp.status, 200, "a JWT from before the restart still works");
      const refreshed = await second.call("POST", "/oauth/v1/token/", {
        token: null,
        form: {
          grant_type: "refresh_token",
          refresh_token,
          client_id: created.client_id,
          client_secret: created.client_secret,
        },
      });
      assert.equal(refreshed.status, 200, "a refresh token from before the restart still works");
    } finally {
      await second.stop();
    }
  });

  it("keeps every accepted change when stopped right after a burst of writes", async () => {
    const tenant = await startTestTenant({ dataDir: data.dir });
    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        tenant.call("POST", CLIENTS_PATH, { json: { ...baseClient(), name: `burst-${i}` } }),
      ),
    );
    assert.ok(answers.every((a) => a.status === 201));
    await tenant.stop();
    const saved = JSON.parse(fs.readFileSync(path.join(data.dir, "tenant.json"), "utf8"));
    assert.equal(Object.keys(saved.clients).length, 10);
  });

  it("removes leftover temp files of interrupted writes and keeps the committed state", async () => {
    const tenant = await startTestTenant({ dataDir: data.dir });
    await tenant.createClient({ name: "committed" });
    await tenant.stop();
    fs.writeFileSync(path.join(data.dir, "tenant.json.tmp-99999-1"), '{"version":1,"clients":{"half');
    const again = await startTestTenant({ dataDir: data.dir });
    try {
      assert.deepEqual(
        (await again.state()).clients.map((c) => c.name),
        ["committed"],
      );
      assert.deepEqual(fs.readdirSync(data.dir), ["tenant.json"]);
    } finally {
      await again.stop();
    }
  });

  it("refuses to start on a corrupt state file, and leaves it as it is", async () => {
    const file = path.join(data.dir, "tenant.json");
    fs.writeFileSync(file, '{"version":1,"clients":');
    await assert.rejects(startEmulator({ adminToken: ADMIN_TOKEN, dataDir: data.dir }), /not valid JSON/);
    assert.equal(fs.readFileSync(file, "utf8"), '{"version":1,"clients":');
  });

  it("answers in time when a write stalls, and keeps the state as it was when the write then fails", async () => {
    const tenant = await startTestTenant({ dataDir: data.dir, requestTimeoutMs: 300 });
    const open = fs.promises.open;
    try {
      await tenant.createClient({ name: "before" });
      const saved = fs.readFileSync(path.join(data.dir, "tenant.json"), "utf8");
      // A disk that hangs: the next write of the state file stalls well past the time limit, then fails.
      let stallEnded!: () => void;
      const ended = new Promise<void>((resolve) => (stallEnded = resolve));
      fs.promises.open = ((file: fs.PathLike, ...rest: unknown[]) => {
        if (!String(file).includes("tenant.json.tmp-")) return (open as (...args: unknown[]) => unknown)(file, ...rest);
        fs.promises.open = open;
        return new Promise((_resolve, reject) =>
          setTimeout(() => {
            reject(Object.assign(new Error("EIO: i/o error"), { code: "EIO" }));
            stallEnded();
          }, 1500),
        );
      }) as typeof fs.promises.open;
      const answer = await tenant.call("POST", CLIENTS_PATH, { json: { ...baseClient(), name: "stalled" } });
      assert.equal(answer.status, 503);
      assert.match(answer.json.detail, /did not finish this request within 300 ms/);
      await ended;
      const names = (await tenant.state()).clients.map((c) => c.name);
      assert.deepEqual(names, ["before"], "the failed write changed nothing");
      assert.equal(fs.readFileSync(path.join(data.dir, "tenant.json"), "utf8"), saved);
      assert.equal((await tenant.call("POST", CLIENTS_PATH, { json: { ...baseClient(), name: "after" } })).status, 201);
    } finally {
      fs.promises.open = open;
      await tenant.stop();
    }
  });

  it("keeps state in memory only without a data dir", async () => {
    const tenant = await startTestTenant();
    await tenant.createClient({ name: "ephemeral" });
    await tenant.stop();
    const fresh = await startTestTenant();
    try {
      assert.deepEqual((await fresh.state()).clients, []);
    } finally {
      await fresh.stop();
    }
  });
});

function baseClient(): Record<string, unknown> {
  return {
    client_type: "confidential",
    redirect_uris: ["https://claude.ai/api/mcp/auth_callback"],
    access_token_expiry: 86400,
    refresh_token_expiry: 15552000,
  };
}
