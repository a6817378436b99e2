// Kinds of programs a user writes, through the real CLI: TypeScript that the CLI type-checks itself (with the
// project's TypeScript here; without one, with the TypeScript 3.8 @pulumi/pulumi bundles, which the README's
// walkthrough runs: tests/engine/walkthrough.test.ts), and an ES module program (`"type": "module"`).
import * as assert from "node:assert/strict";
import { randomBytes } from "node:crypto";
import * as path from "node:path";
import { describeEngine, EngineProject, RecordingTenant, repoRoot, run } from "./harness";

const TYPESCRIPT_PROGRAM = (connectorName: string) => `import * as pulumi from "@pulumi/pulumi";
import { AlationClaudeConnector, type AlationConnection } from "pulumi-alation";

const connection: AlationConnection = { baseUrl: new pulumi.Config().require("baseUrl") };
const connector = new AlationClaudeConnector("claude", { connection, connectorName: ${connectorName} });
export const clientId: pulumi.Output<string> = connector.clientId;
`;

const ESM_PROGRAM = `import * as pulumi from "@pulumi/pulumi";
import { AlationClaudeConnector } from "pulumi-alation";

const baseUrl = new pulumi.Config().require("baseUrl");
const connector = new AlationClaudeConnector("claude", { connection: { baseUrl } });
export const clientId = connector.clientId;
export const clientSecret = connector.clientSecret;
`;

describeEngine("kinds of programs", function () {
  const token = `kinds-admin-token-${randomBytes(12).toString("hex")}`;
  let tenant: RecordingTenant;

  before(async function () {
    tenant = await RecordingTenant.start(token);
  });
  after(async function () {
    await tenant?.stop();
  });

  const manifest = (name: string, main: string, typescript: boolean) =>
    `name: ${name}\nruntime:\n  name: nodejs\n  options:\n    typescript: ${typescript}\nmain: ${main}\n`;

  it("TypeScript: the CLI type-checks the program against this package's declarations", async function () {
    const project = EngineProject.inUserProject("typescript", {
      "Pulumi.yaml": manifest("alation-typescript", "index.ts", true),
      "index.ts": TYPESCRIPT_PROGRAM("42"),
    });
    const stack = await project.stack(
      { "alation-typescript:baseUrl": tenant.url, "alation:apiAccessToken": { secret: token } },
      { env: { PULUMI_NODEJS_TRANSPILE_ONLY: "false" } },
    );
    const refused = await stack.pulumi(["preview"], { allowFailure: true });
    assert.notEqual(refused.code, 0);
    assert.match(
      refused.stdout + refused.stderr,
      /TS2322: Type 'number' is not assignable to type 'Input<string> \| undefined'/,
    );

    project.write("index.ts", TYPESCRIPT_PROGRAM('"Alation"'));
    await stack.up();
    const { clientId } = await stack.outputs();
    assert.deepEqual(
      (await tenant.clients()).map((client) => client.client_id),
      [clientId],
    );
    await stack.destroy();
  });

  it("TypeScript: the compiler the SDK falls back to finds TS1005 in the declarations, unreported", async function () {
    // The vendored TypeScript 3.8 the SDK uses when the project has none: `export { X, type Y }` needs 4.5, so a
    // whole-program check reports TS1005 in our declarations; ts-node reports only the program's own files, and the
    // program still type-checks (tests/engine/walkthrough.test.ts).
    const vendored = path.join(
      repoRoot,
      "node_modules",
      "@pulumi",
      "pulumi",
      "vendor",
      "typescript@3.8.3",
      "typescript.js",
    );
    const declarations = path.join(repoRoot, "dist", "provider", "index.d.ts");
    const script =
      "const ts = require(process.argv[1]); const program = ts.createProgram([process.argv[2]], { noEmit: true });" +
      "for (const d of ts.getPreEmitDiagnostics(program)) console.log(`${d.file ? d.file.fileName : ''} TS${d.code}`);";
    const result = await run(process.execPath, ["-e", script, vendored, declarations], {
      cwd: repoRoot,
      env: process.env,
    });
    assert.match(result.stdout, /dist\/provider\/index\.d\.ts TS1005/, result.stdout + result.stderr);
  });

  it('an ES module program ("type": "module")', async function () {
    const project = EngineProject.inUserProject("esm", {
      "Pulumi.yaml": manifest("alation-esm", "index.js", false),
      "package.json": JSON.stringify({ name: "alation-esm", private: true, type: "module" }),
      "index.js": ESM_PROGRAM,
    });
    const stack = await project.stack({
      "alation-esm:baseUrl": tenant.url,
      "alation:apiAccessToken": { secret: token },
    });
    await stack.up();
    const { clientId, clientSecret } = await stack.outputs(true);
    assert.deepEqual(
      (await tenant.clients()).map((client) => [client.client_id, client.client_secret]),
      [[clientId, clientSecret]],
    );
    await stack.destroy();
    assert.deepEqual(await tenant.clients(), []);
  });
});
