// Runs commands on this machine: the provider itself runs inside the tenant's pod or host, or next to the
// emulator. argv goes to the program as is (no shell).
import { spawn, type ChildProcess } from "node:child_process";
import { constants } from "node:os";
import { ShellError, commandName } from "./errors";
import { CommandResult, OutputCollector, RunOptions, Transport, settleOnce } from "./transport";

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
  let child: ChildProcess | undefined;
  return settleOnce(transport, argv, options.timeoutMs, {
    start(settle) {
      // Its own process group, so that a timeout kills the command and whatever it started (python3 under the
      // Django shell).
      child = spawn(argv[0], argv.slice(1), {
        stdio: [options.stdin === undefined ? "ignore" : "pipe", "pipe", "pipe"],
        detached: true,
      });
      const stdout = new OutputCollector();
      const stderr = new OutputCollector();
      child.stdout?.on("data", (chunk: Buffer) => stdout.push(chunk));
      child.stderr?.on("data", (chunk: Buffer) => stderr.push(chunk));
      child.on("error", (error: NodeJS.ErrnoException) => {
        if (error.code === "ENOENT") settle.done(commandNotFound(argv));
        else settle.fail(startFailed(argv, error));
      });
      child.on("close", (code, signal) => {
        const exitCode = code ?? (signal ? 128 + (constants.signals[signal] ?? 0) : 1);
        settle.done({ exitCode, stdout: stdout.text(), stderr: stderr.text() });
      });
      if (child.stdin) {
        // A command that exits without reading all its input closes the pipe: not an error of ours.
        child.stdin.on("error", () => undefined);
        child.stdin.end(options.stdin);
      }
    },
    onTimeout: () => killGroup(child?.pid),
  });
}

/** A shell's answer for a missing program, so that every transport reports one alike. */
function commandNotFound(argv: readonly string[]): CommandResult {
  return { exitCode: 127, stdout: "", stderr: `${commandName(argv)}: command not found` };
}

function startFailed(argv: readonly string[], error: NodeJS.ErrnoException): ShellError {
  const program = commandName(argv);
  return new ShellError("command", `${program} could not start on this machine: ${error.code ?? error.message}`, {
    call: program,
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
