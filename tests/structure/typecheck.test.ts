// The type check (`npm run typecheck`: every TypeScript file of tsconfig.json) as a file of `npm test`, so that it
// runs beside the other test files rather than before them all (the tests themselves run transpiled only,
// .mocharc.js). It fails with the compiler's diagnostics. `npm run test:unit`, the inner loop, leaves it out.
import { strict as assert } from "node:assert";
import { execFile } from "node:child_process";
import * as path from "node:path";

const repoRoot = path.resolve(__dirname, "..", "..");

describe("the type check", function () {
  // About 18 s of CPU; beside two other test files on two cores, it may take three times as long.
  this.timeout(180_000);

  it("npm run typecheck finds no error", async function () {
    const { failed, output } = await new Promise<{ failed: boolean; output: string }>((resolve) => {
      execFile(
        "npm",
        ["run", "--silent", "typecheck", "--", "--pretty", "false"],
        { cwd: repoRoot, maxBuffer: 64 * 1024 * 1024 },
        (error, stdout, stderr) => resolve({ failed: error !== null, output: stdout + stderr }),
      );
    });
    assert.ok(!failed, `npm run typecheck failed:\n${output}`);
  });
});
