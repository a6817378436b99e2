// What every transport must do, run against each one by its test file: argv and stdin arrive literally, exit
// codes and stderr come back, failures name the command and where it ran without its data, timeouts hold.
import * as assert from "node:assert/strict";
import * as fs from "node:fs";
import { ShellError, Transport, createShellTransport } from "../../provider/shell";
import { runChecked } from "../../provider/shell/transport";
import { shellSchema } from "../../provider/schema/shell";
import { canaryPath, hostileText } from "../support/hostile-values";

export function transportFor(settings: unknown): Transport {
  return createShellTransport(shellSchema.parse(settings));
}

export function transportBehaviour(makeTransport: () => Transport): void {
  const run = (argv: string[], stdin?: string, timeoutMs = 10_000) =>
    makeTransport().runCommand(argv, { stdin, timeoutMs });

  it("passes argv literally: quotes, newlines, $(...), backticks and Python run nothing", async () => {
    const canary = canaryPath();
    const value = hostileText(canary) + " %s %n \\n back\\slash";
    const result = await run(["printf", "%s", value]);
    assert.equal(result.exitCode, 0, result.stderr);
    assert.equal(result.stdout, value);
    assert.equal(fs.existsSync(canary), false, "a value was executed");
  });

  it("sends stdin and signals its end", async () => {
    const input = "first line\nsecond 'line' $(x)\n" + "x".repeat(100_000);
    const result = await run(["cat"], input);
    assert.equal(result.exitCode, 0);
    assert.equal(result.stdout, input);
  });

  it("returns the exit code and stderr of a failing command", async () => {
    const result = await run(["sh", "-c", "echo out; echo oops >&2; exit 3"]);
    assert.deepEqual(result, { exitCode: 3, stdout: "out\n", stderr: "oops\n" });
  });

  it("names the command, the target and the exit code, never the data, when runChecked fails", async () => {
    const transport = makeTransport();
    await assert.rejects(
      runChecked(transport, ["sh", "-c", "echo 'client_secret=s3cr3tvalue' >&2; exit 4", "SECRET-ARGUMENT"], {
        idempotent: true,
        timeoutMs: 10_000,
      }),
      (error: ShellError) => {
        assert.equal(error.kind, "command");
        assert.equal(error.exitCode, 4);
        assert.match(error.message, new RegExp(`^sh failed on ${escape(transport.target)} with exit code 4`));
        assert.doesNotMatch(error.message, /s3cr3tvalue|SECRET-ARGUMENT/);
        return true;
      },
    );
  });

  it("times out", async () => {
    const started = Date.now();
    await assert.rejects(run(["sleep", "10"], undefined, 700), (error: ShellError) => error.kind === "timeout");
    assert.ok(Date.now() - started < 5000);
  });
}

function escape(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}
