// A tenant's API token rotated after `pulumi up`, through the real CLI. `pulumi refresh` and `pulumi destroy`
// configure providers from the state the last `up` recorded (pulumi/pulumi pkg/resource/deploy/deployment.go), not
// from the config set since: the README's advice is what these tests prove (the new token in the environment for
// one command, or `pulumi up` first to record it).
import * as assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import { describeEngine, EngineProject, EngineStack, RecordingTenant, temporaryFolder } from "./harness";

const PROGRAM = `
const pulumi = require("@pulumi/pulumi");
const { AlationClaudeConnector } = require("pulumi-alation");
const baseUrl = new pulumi.Config().require("baseUrl");
const connector = new AlationClaudeConnector("claude", { connection: { baseUrl } });
exports.clientId = connector.clientId;
`;

describeEngine("a rotated API token", function () {
  const oldToken = `old-admin-token-${randomBytes(12).toString("hex")}`;
  const newToken = `new-admin-token-${randomBytes(12).toString("hex")}`;
  const dataDir = temporaryFolder("rotated-token-tenant-");
  let tenant: RecordingTenant;
  let stack: EngineStack;

  before(async function () {
    tenant = await RecordingTenant.start(oldToken, { dataDir });
    const project = EngineProject.inUserProject("rotated-token", {
      "Pulumi.yaml":
        "name: alation-rotated-token\nruntime:\n  name: nodejs\n  options:\n    typescript: false\nmain: index.js\n",
      "index.js": PROGRAM,
    });
    stack = await project.stack({
      "alation-rotated-token:baseUrl": tenant.url,
      "alation:apiAccessToken": { secret: oldToken },
    });
    await stack.up();
    // The admin rotates the token: the tenant (same URL, same data) accepts only the new one.
    const port = Number(new URL(tenant.url).port);
    await tenant.stop();
    tenant = await RecordingTenant.start(newToken, { dataDir, port });
  });
  after(async function () {
    await tenant?.stop();
  });

  it("the new token in config alone does not reach refresh or destroy: they run with the last up's", async function () {
    await stack.setConfig({ "alation:apiAccessToken": { secret: newToken } });
    for (const command of ["refresh", "destroy"] as const) {
      const { code, stdout, stderr } = await stack[command]([], { allowFailure: true });
      assert.notEqual(code, 0, `${command} should fail`);
      assert.match(stdout + stderr, /403|Invalid token/);
      assert.ok(!(stdout + stderr).includes(oldToken) && !(stdout + stderr).includes(newToken), "no token printed");
    }
    assert.equal((await tenant.clients()).length, 1);
  });

  it("the new token in the environment works for one command", async function () {
    const { stdout } = await stack.refresh([], { env: { ALATION_API_ACCESS_TOKEN: newToken } });
    assert.match(stdout, /Resources:/);
  });

  it("after a pulumi up (no change in Alation), refresh and destroy work with the config alone", async function () {
    tenant.reset();
    await stack.up();
    assert.deepEqual(tenant.writes(), []);
    await stack.refresh();
    await stack.destroy();
    assert.deepEqual(await tenant.clients(), []);
  });
});
