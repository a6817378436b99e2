// `alation-fleet up` stopped by a Ctrl-C (SIGINT to its process group, as a terminal sends it), or by a SIGTERM to the
// fleet alone (a cancelled CI job), while a stack's `up` is writing to its tenant: the CLI records the create in
// flight and cancels the rest, the run ends with 130, starts no other stack, and leaves no lock behind; a rerun goes
// on from there, with exactly one application per tenant.
import * as assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { randomBytes } from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { startDelayProxy, type DelayProxy } from "../reliability/delay-proxy";
import { installedPackageProject } from "../support/installed-package";
import { cliEnvironment, describeEngine, engineCli, RecordingTenant, run, temporaryFolder } from "./harness";
import { docsQuote } from "../support/docs";

const TENANTS = ["north", "south"];
/** Answers are held back this long: the tenant has acted when the signal comes, its answer is still on the way. */
const ANSWER_DELAY_MS = 3000;

describeEngine("alation-fleet: a Ctrl-C or a SIGTERM in the middle of a rollout", function () {
  this.timeout(300_000);
  const tenants = new Map<string, RecordingTenant>();
  const tokens = new Map<string, string>();
  const proxies = new Map<string, DelayProxy>();
  let dir: string;
  let env: NodeJS.ProcessEnv;

  before(async function () {
    for (const name of TENANTS) {
      const token = `fleet-token-${name}-${randomBytes(12).toString("hex")}`;
      tokens.set(name, token);
      env = { ...env, [`${name.toUpperCase()}_TOKEN`]: token };
      tenants.set(name, await RecordingTenant.start(token, { jwtFlag: "optional" }));
      proxies.set(name, await startDelayProxy(tenants.get(name)!.url, ANSWER_DELAY_MS));
    }
    dir = temporaryFolder("alation-fleet-interrupted-");
    const waves = TENANTS.map((name) =>
      [
        `  - name: wave-${name}`,
        "    tenants:",
        `      - name: ${name}`,
        `        baseUrl: ${proxies.get(name)!.url}`,
        `        apiAccessTokenEnv: ${name.toUpperCase()}_TOKEN`,
        "        verify: false",
      ].join("\n"),
    );
    fs.writeFileSync(path.join(dir, "fleet.yaml"), ["project: interrupted", "waves:", ...waves].join("\n") + "\n");
    const tokenEnv = env;
    env = { ...cliEnvironment(engineCli().cli!, path.join(dir, "unused-backend"), {}), ...tokenEnv };
    delete env.PULUMI_BACKEND_URL;
  });
  after(async function () {
    await Promise.all([...proxies.values()].map((proxy) => proxy.close()));
    await Promise.all([...tenants.values()].map((tenant) => tenant.stop()));
  });

  const fleetArgs = (command: string) => {
    const bin = path.join(installedPackageProject(), "node_modules", "pulumi-alation", "dist", "provider", "fleet");
    return [path.join(bin, "cli.js"), command, "--pulumi-cli", engineCli().cli!.dir];
  };

  const stops = [
    // Its own process group, so that the signal reaches the fleet and its CLIs together, as a terminal's Ctrl-C does.
    { signal: "SIGINT", toGroup: true, title: "a Ctrl-C (SIGINT to the process group)" },
    // To the fleet alone, as a cancelled CI job may send it: the fleet passes it on to the running CLI as SIGINT.
    { signal: "SIGTERM", toGroup: false, title: "a SIGTERM to alation-fleet alone, passed on to the running CLI" },
  ] as const;
  for (const { signal, toGroup, title } of stops) {
    it(`${title}: 130, no other stack starts; a rerun completes, one application per tenant`, async function () {
      await interruptedRollout(signal, toGroup);
    });
  }

  async function interruptedRollout(signal: NodeJS.Signals, toGroup: boolean) {
    const [first, second] = TENANTS.map((name) => tenants.get(name)!);
    first.reset();
    second.reset();
    for (const proxy of proxies.values()) proxy.answerDelayMs = ANSWER_DELAY_MS;
    const child = spawn(process.execPath, fleetArgs("up"), { cwd: dir, env, detached: toGroup });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on("close", resolve));
    // The first tenant has created its application; the answer is on its way back through the proxy.
    for (let waited = 0; !first.writes().some((line) => line.startsWith("POST ")); waited += 100) {
      assert.ok(waited < 120_000, `the first tenant got no request:\n${stderr}`);
      await sleep(100);
    }
    process.kill(toGroup ? -child.pid! : child.pid!, signal);
    const code = await exited;
    assert.equal(code, 130, stderr);
    assert.match(stderr, new RegExp(`^alation-fleet: ${signal}: stopping; `, "m"));
    // The CLI let the create in flight finish and recorded it, then cancelled the rest of the update.
    assert.match(stderr, /^north \(wave-north\): up failed: update canceled$/m);
    assert.match(stdout, /^south +wave-south +not run/m);
    assert.match(stdout, /^alation-fleet up: interrupted \(0\/2 tenants done; a rerun goes on from here\)$/m);
    assert.deepEqual(second.requests(), [], "the second wave started");
    for (const quoted of ["alation-fleet up: interrupted (", "a rerun goes on from here)"]) {
      assert.ok(docsQuote(quoted) && stdout.includes(quoted), quoted);
    }
    const created = await first.clients();
    assert.equal(created.length, 1);
    first.reset();
    // The rerun and the destroy need no window: answers come at once.
    for (const proxy of proxies.values()) proxy.answerDelayMs = 0;

    const rerun = await run(process.execPath, fleetArgs("up"), { cwd: dir, env, timeoutMs: 240_000 });
    assert.equal(rerun.code, 0, rerun.stderr);
    assert.doesNotMatch(rerun.stderr, /locked/);
    // The interrupted stack had recorded its application: the rerun leaves it as it is (no adoption, no rotation).
    assert.match(rerun.stderr, /^north \(wave-north\): up done: 3 unchanged$/m);
    assert.deepEqual(first.writes(), []);
    assert.deepEqual(
      (await first.clients()).map((client) => client.client_id),
      created.map((client) => client.client_id),
    );
    assert.equal((await second.clients()).length, 1);

    const destroyed = await run(process.execPath, fleetArgs("destroy"), { cwd: dir, env, timeoutMs: 240_000 });
    assert.equal(destroyed.code, 0, destroyed.stderr);
    for (const tenant of [first, second]) assert.deepEqual(await tenant.clients(), [], tenant.url);
  }
});
