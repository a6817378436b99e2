// The serialized provider resolves its implementation through the package's public entry point, from the project
// where Pulumi's provider process runs: it works where the packed package is installed, and nowhere else.
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { installedPackageProject } from "../support/installed-package";
import { cleanEnvironment, startProviderServer } from "../support/provider-server";
import { CLAUDE_REDIRECT_URIS, registeredInputs, startInstalledProviderServer } from "../support/provider-harness";

describe("OAuthApplication from the installed package", function () {
  this.timeout(60000);

  it("installs only the packed files, with the runtime entry point", () => {
    const installed = path.join(installedPackageProject(), "node_modules", "pulumi-alation");
    assert.ok(fs.existsSync(path.join(installed, "dist", "provider", "runtime", "index.js")));
    assert.ok(fs.existsSync(path.join(installed, "dist", "provider", "index.js")));
    assert.ok(!fs.existsSync(path.join(installed, "tests")), "tests are not packed");
    assert.ok(!fs.existsSync(path.join(installed, "provider", "runtime")), "TypeScript sources are not packed");
  });

  it("runs from the project where it is installed, and fails clearly where it is not", async () => {
    const inputs = await registeredInputs({
      connection: { baseUrl: "https://tenant.example", apiAccessToken: "t-123456" },
      redirectUris: CLAUDE_REDIRECT_URIS,
    });
    const installedServer = await startInstalledProviderServer();
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), "pulumi-alation-empty-"));
    const bareServer = await startProviderServer({ cwd: empty, env: cleanEnvironment() });
    try {
      await installedServer.configure({});
      assert.deepEqual((await installedServer.check({}, inputs)).failures, []);
      await bareServer.configure({});
      const error = await bareServer.check({}, inputs).catch((e: Error) => e);
      assert.ok(error instanceof Error);
      assert.match(error.message, /Cannot find module 'pulumi-alation\/runtime'/);
    } finally {
      await installedServer.kill();
      await bareServer.kill();
      fs.rmSync(empty, { recursive: true, force: true });
    }
  });
});
