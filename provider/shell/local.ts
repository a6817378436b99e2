// Runs commands on this machine: the provider itself runs inside the tenant's pod or host, or next to the
// emulator. argv goes to the program as is (no shell).
import { spawn } from "node:child_process";
import { constants } from "node:os";
import { ShellError, commandName } from "./errors";
import { CommandResult, OutputCollector, RunOptions, Transport, commandTimedOut } from "./transport";

/** The local transport. */
export function createLocalTransport(): Transport {
  const transport: Transport = {
    target: "this machine",
    runCommand: (argv, options) => runLocal(transport, argv, options),
  };
  return transport;
}

function runLocal(transport: Transport, argv: readonly string[], options: RunOptions): Promise<CommandResult> {
  if (argv.length === 0) throw new ShellError("config", "no command to run");
  return new Promise<CommandResult>((resolve, reject) => {
    const stdout = new OutputCollector();
    const stderr = new OutputCollector();
    // Its own process group, so that a timeout kills the command and whatever it started (python3 under the
    // Django shell).
    const child = spawn(argv[0], argv.slice(1), {
      stdio: [options.stdin === undefined ? "ignore" : "pipe", "pipe", "pipe"],
      detached: true,
    });
    let settled = false;
    const finish = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      outcome();
    };
    const timer = setTimeout(() => {
      killGroup(child.pid);
      finish(() => reject(commandTimedOut(transport, argv, options.timeoutMs)));
    }, options.timeoutMs);

    child.stdout?.on("data", (chunk: Buffer) => stdout.push(chunk));
    child.stderr?.on("data", (chunk: Buffer) => stderr.push(chunk));
    child.on("error", (error: NodeJS.ErrnoException) => {
      if (error.code === "ENOENT") {
        // The same answer a shell gives, so every transport reports a missing program alike.
        finish(() => resolve({ exitCode: 127, stdout: "", stderr: `${commandName(argv)}: command not found` }));
      } else {
        finish(() =>
          reject(
            new ShellError(
              "command",
              `${commandName(argv)} could not start on this machine: ${error.code ?? error.message}`,
            ),
          ),
        );
      }
    });
    child.on("close", (code, signal) => {
      const exitCode = code ?? (signal ? 128 + (constants.signals[signal] ?? 0) : 1);
      finish(() => resolve({ exitCode, stdout: stdout.text(), stderr: stderr.text() }));
    });
    if (child.stdin) {
      // A command that exits without reading all its input closes the pipe: not an error of ours.
      child.stdin.on("error", () => undefined);
      child.stdin.end(options.stdin);
    }
  });
}

function killGroup(pid: number | undefined): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, "SIGKILL");
  } catch {
    // Already gone.
  }
}
