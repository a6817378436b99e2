// `alation-fleet up` stopped by a Ctrl-C (SIGINT to its process group, as a terminal sends it) while a stack's `up` is
// writing to its tenant, and `alation-fleet destroy` by a SIGTERM to the fleet alone (a cancelled CI job) while a
// stack's `destroy` is: the CLI records the write in flight and cancels the rest, the run ends with 130, starts no
// other stack, and leaves no lock behind; a rerun goes on from there (one application per tenant, then none).
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

  // The two cases run in order, on the same stacks (each up or destroy of a tenant costs seconds of CPU): the
  // Ctrl-C stops an `up` and its rerun brings both tenants up, the SIGTERM then stops a `destroy` of them.
  it("a Ctrl-C (SIGINT to the group) in up: 130, no other stack starts; a rerun completes", async function () {
    // Waves run in file order: north first.
    const [north, south] = TENANTS.map((name) => tenants.get(name)!);
    const created = await interruptedRun("up", "SIGINT", true, "north", "south");
    assert.equal(created.length, 1, "the create in flight was acted upon");
    const rerun = await run(process.execPath, fleetArgs("up"), { cwd: dir, env, timeoutMs: 240_000 });
    assert.equal(rerun.code, 0, rerun.stderr);
    assert.doesNotMatch(rerun.stderr, /locked/);
    // The interrupted stack had recorded its application: the rerun leaves it as it is (no adoption, no rotation).
    assert.match(rerun.stderr, /^north \(wave-north\): up done: 3 unchanged$/m);
    assert.deepEqual(north.writes(), []);
    assert.deepEqual(
      (await north.clients()).map((client) => client.client_id),
      created.map((client) => client.client_id),
    );
    assert.equal((await south.clients()).length, 1);
  });

  it("a SIGTERM to alation-fleet alone in destroy, passed on to its CLI: 130; a rerun completes", async function () {
    // Destroy goes in reverse wave order: south first.
    const [north, south] = TENANTS.map((name) => tenants.get(name)!);
    assert.equal((await north.clients()).length, 1, "the up before left north's application");
    const left = await interruptedRun("destroy", "SIGTERM", false, "south", "north");
    assert.deepEqual(left, [], "the delete in flight was acted upon");
    const rerun = await run(process.execPath, fleetArgs("destroy"), { cwd: dir, env, timeoutMs: 240_000 });
    assert.equal(rerun.code, 0, rerun.stderr);
    assert.doesNotMatch(rerun.stderr, /locked/);
    assert.match(rerun.stderr, /^2\/2 destroyed$/m);
    for (const tenant of [north, south]) assert.deepEqual(await tenant.clients(), [], tenant.url);
    // With the stacks gone, outputs says so for each tenant.
    const outputs = await run(process.execPath, fleetArgs("outputs"), { cwd: dir, env, timeoutMs: 60_000 });
    assert.equal(outputs.code, 0, outputs.stderr);
    for (const name of TENANTS) assert.match(outputs.stdout, new RegExp(`^${name}: no stack yet \\(`, "m"));
  });

  /**
   * Runs `command` and sends `signal` once tenant `firstName` has acted on its write (a create for up, a delete for
   * destroy) and its answer is still on its way back; checks the run ended as an interrupted one should, before
   * `secondName` started. Returns the applications the first tenant holds then.
   */
  async function interruptedRun(
    command: "up" | "destroy",
    signal: NodeJS.Signals,
    toGroup: boolean,
    firstName: string,
    secondName: string,
  ) {
    const [first, second] = [firstName, secondName].map((name) => tenants.get(name)!);
    first.reset();
    second.reset();
    for (const proxy of proxies.values()) proxy.answerDelayMs = ANSWER_DELAY_MS;
    const child = spawn(process.execPath, fleetArgs(command), { cwd: dir, env, detached: toGroup });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on("close", resolve));
    const write = command === "up" ? "POST " : "DELETE ";
    for (let waited = 0; !first.writes().some((line) => line.startsWith(write)); waited += 100) {
      assert.ok(waited < 120_000, `the first tenant got no ${write.trim()}:\n${stderr}`);
      await sleep(100);
    }
    process.kill(toGroup ? -child.pid! : child.pid!, signal);
    const code = await exited;
    assert.equal(code, 130, stderr);
    assert.match(stderr, new RegExp(`^alation-fleet: ${signal}: stopping; `, "m"));
    // The CLI let the write in flight finish and recorded it, then cancelled the rest of the update.
    assert.match(stderr, new RegExp(`^${firstName} \\(wave-${firstName}\\): ${command} failed: update canceled$`, "m"));
    assert.match(stdout, new RegExp(`^${secondName} +wave-${secondName} +not run`, "m"));
    const outcome = `alation-fleet ${command}: interrupted (0/2 tenants done; a rerun goes on from here)`;
    assert.ok(stdout.split("\n").includes(outcome), stdout);
    assert.deepEqual(second.requests(), [], "the second wave started");
    for (const quoted of [`alation-fleet up: interrupted (`, "a rerun goes on from here)"])
      assert.ok(docsQuote(quoted), quoted);
    const held = await first.clients();
    first.reset();
    // The rerun needs no window: answers come at once.
    for (const proxy of proxies.values()) proxy.answerDelayMs = 0;
    return held;
  }
});
