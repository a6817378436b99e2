// Lost answers: the tenant creates the application but the answer never arrives. The next attempt converges without
// a duplicate: by lookup where the tenant serves GET (here for a whole batch at once), by name in the Django shell,
// and on a tenant that serves no GET (documentedOnly) with an error that names the exact adoptClientId step, which
// converges once followed; a naive rerun before that creates nothing.
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { shellPath } from "../../emulator";
import { CLIENTS_PATH, startTestTenant, type TestTenant } from "../support/test-tenant";
import { installedPackageProject } from "../support/installed-package";
import { cleanEnvironment, startProviderServer, type ProviderServer } from "../support/provider-server";
import { CLAUDE_REDIRECT_URIS } from "../support/provider-harness";
import { up, type Props, type StackState } from "./engine";
import { assertInventoriesMatch, oauthApplicationProvider, rolloutInputs, startFleet, stopFleet } from "./fleet";

const LOSE_CREATE_ANSWERS = { rate: 1, kinds: ["drop-after-write" as const], routes: `^POST ${CLIENTS_PATH}$` };

// An alation_django_shell that runs every create for real, then never answers, as over a connection that died: the
// provider's timeout ends it. Every other operation passes through.
const LOSSY_DJANGO_SHELL = `#!/bin/sh
case "$(printf %s "$ALATION_PULUMI_REQUEST" | base64 -d)" in
  *'"op":"create"'*) "$REAL_DJANGO_SHELL" > /dev/null; exec sleep 60 ;;
esac
exec "$REAL_DJANGO_SHELL"
`;

describe("reliability: lost answers to create", function () {
  this.timeout(60_000);
  const stops: Array<() => Promise<void>> = [];
  afterEach(async () => {
    for (const stop of stops.splice(0).reverse()) await stop();
  });
  const startServer = async (env: Record<string, string> = {}): Promise<ProviderServer> => {
    const server = await startProviderServer({ cwd: installedPackageProject(), env: cleanEnvironment(env) });
    stops.push(() => server.kill());
    await server.configure({});
    return server;
  };
  const requestsTo = async (tenant: TestTenant, route: string, token?: string) =>
    ((await tenant.call("GET", "/__emulator/requests", { token })).json.byRoute[route] as number | undefined) ?? 0;

  it("REST with GET: a batch of 10 lost creates converges by lookup, each created once", async () => {
    const fleet = await startFleet(1, { faults: LOSE_CREATE_ANSWERS });
    stops.push(() => stopFleet(fleet));
    const server = await startServer();
    const desired = await rolloutInputs(fleet, 10);
    const state: StackState = new Map();
    const run = await up(server, desired, state, 10);
    assert.deepEqual(run.failures, []);
    assert.equal(fleet[0].faults["drop-after-write"], 10, "every create's answer was lost");
    assert.equal(await requestsTo(fleet[0].tenant, `POST ${CLIENTS_PATH}`), 10, "no create was repeated");
    await assertInventoriesMatch(fleet, state, desired);
  });

  it("Django shell: a lost create converges by name, once, with a fresh secret", async () => {
    const tenant = await startTestTenant();
    stops.push(() => tenant.stop());
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "alation-lossy-shell-"));
    stops.push(async () => fs.rmSync(dir, { recursive: true, force: true }));
    fs.writeFileSync(path.join(dir, "alation_django_shell"), LOSSY_DJANGO_SHELL, { mode: 0o755 });
    const server = await startServer({
      ALATION_EMULATOR_URL: tenant.url,
      PATH: `${dir}:${shellPath()}:${process.env.PATH}`,
      REAL_DJANGO_SHELL: path.join(shellPath(), "alation_django_shell"),
    });
    const news: Props = {
      __provider: await oauthApplicationProvider(),
      shell: { local: {}, timeoutSeconds: 5 },
      name: "lost in the shell",
      redirectUris: CLAUDE_REDIRECT_URIS,
    };
    const state: StackState = new Map();
    const run = await up(server, new Map([["connector", news]]), state, 1);
    assert.deepEqual(run.failures, []);
    const clients = (await tenant.state()).clients;
    assert.equal(clients.length, 1, "exactly one application");
    const recorded = state.get("connector");
    assert.equal(recorded?.id, clients[0].client_id);
    assert.equal(recorded?.outputs.clientSecret, clients[0].client_secret, "the rotated secret is the recorded one");
    // The name was free just before this run's create: the application found under it is the create's.
    assert.match(server.output(), /"lost in the shell": found its own application/);
  });

  it("documentedOnly: the error names the adoptClientId step, no secret; a rerun creates nothing", async () => {
    const token = "canary-documented-only-token-5d1c";
    const tenant = await startTestTenant({ adminToken: token, documentedOnly: true, faults: LOSE_CREATE_ANSWERS });
    stops.push(() => tenant.stop());
    const clients = async () =>
      (await tenant.call("GET", "/__emulator/state", { token })).json.clients as Array<Record<string, string>>;
    const server = await startServer();
    const news: Props = {
      __provider: await oauthApplicationProvider(),
      connection: { baseUrl: tenant.url, apiAccessToken: token },
      name: "claude",
      redirectUris: CLAUDE_REDIRECT_URIS,
    };
    const state: StackState = new Map();
    const desired = new Map([["connector", news]]);

    const first = await up(server, desired, state, 1);
    assert.equal(first.failures.length, 1);
    const lost = first.failures[0].message;
    assert.match(lost, /The answer to create the OAuth application "claude" at http:\/\/127\.0\.0\.1:\d+ was lost/);
    assert.match(
      lost,
      /look for an OAuth client named "claude": if it exists and is this resource's, set adoptClientId/,
    );
    const [created] = await clients();
    assert.ok(created, "the tenant did create it");
    for (const secret of [token, created.client_secret]) assert.ok(!lost.includes(secret), "no secret in the message");

    await tenant.call("PUT", "/__emulator/faults", { token, json: {} });
    const naive = await up(server, desired, state, 1);
    assert.equal(naive.failures.length, 1);
    assert.match(
      naive.failures[0].message,
      /already exists.*cannot be looked up by name here.*set adoptClientId: "<its client id>"/s,
    );
    assert.equal((await clients()).length, 1, "the naive rerun created nothing");

    // The step: the client id as Alation's UI shows it.
    desired.set("connector", { ...news, adoptClientId: created.client_id });
    const adopted = await up(server, desired, state, 1);
    assert.deepEqual(adopted.failures, []);
    const [after] = await clients();
    assert.equal((await clients()).length, 1);
    assert.equal(state.get("connector")?.id, created.client_id);
    assert.equal(state.get("connector")?.outputs.clientSecret, after.client_secret);
    assert.notEqual(after.client_secret, created.client_secret, "the unseen secret was replaced");
    assert.equal(
      await requestsTo(tenant, `POST ${CLIENTS_PATH}`, token),
      2,
      "one lost create, one refused rerun, no more",
    );
    for (const secret of [token, created.client_secret, after.client_secret])
      assert.ok(!server.output().includes(secret));
  });
});
