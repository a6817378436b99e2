// The contract every way of reaching the tenant's shell implements (local, ssh, kubernetes), and the one place
// that decides when a command is run again.
import { ShellError, commandName, stderrExcerpt } from "./errors";

/** What a command printed and how it ended. A non-zero exit code is a result, not an exception. */
export interface CommandResult {
  /** The exit code (127 when the program was not found). */
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** How to run one command. */
export interface RunOptions {
  /** Sent to the command's standard input, which is then closed. Without it the command gets no input. */
  stdin?: string;
  /** The command is abandoned (and killed where the transport can) after this long. */
  timeoutMs: number;
}

/** One way of running commands on the tenant's pod or host. */
export interface Transport {
  /** Where commands run, for messages: "this machine", "host example.com:22", "pod alation/alation-0". */
  readonly target: string;
  /**
   * Runs argv (no shell is involved where the transport allows it; over SSH each element is quoted).
   * Throws ShellError for everything but the command's own failure.
   */
  runCommand(argv: readonly string[], options: RunOptions): Promise<CommandResult>;
}

/** Options of `runChecked`. */
export interface CheckedRunOptions extends RunOptions {
  /**
   * Running the command twice has the effect of running it once (reads; setting a value to the same value).
   * Only such commands are run again after a lost connection.
   */
  idempotent: boolean;
  /** Accept a non-zero exit code (the caller looks at it). */
  allowFailure?: boolean;
}

const ATTEMPTS = 3;
const RETRY_DELAY_MS = 300;

/**
 * Runs a command, retrying lost connections where that is safe (the command was never sent, or it is
 * idempotent), and turns a non-zero exit code into a ShellError naming the command and where it ran.
 */
export async function runChecked(
  transport: Transport,
  argv: readonly string[],
  options: CheckedRunOptions,
): Promise<CommandResult> {
  for (let attempt = 1; ; attempt++) {
    let result: CommandResult;
    try {
      result = await transport.runCommand(argv, { stdin: options.stdin, timeoutMs: options.timeoutMs });
    } catch (error) {
      const retryable =
        error instanceof ShellError && error.kind === "connection" && (options.idempotent || !error.commandSent);
      if (!retryable || attempt >= ATTEMPTS) throw error;
      await new Promise((resolve) => setTimeout(resolve, RETRY_DELAY_MS * attempt));
      continue;
    }
    if (result.exitCode !== 0 && !options.allowFailure) {
      throw commandFailed(transport, argv, result);
    }
    return result;
  }
}

/** The error for a command that ran and failed: which command, where, its exit code and the end of its stderr. */
export function commandFailed(transport: Transport, argv: readonly string[], result: CommandResult): ShellError {
  const why = result.exitCode === 127 ? " (command not found: is it on the PATH there?)" : "";
  return new ShellError(
    "command",
    `${commandName(argv)} failed on ${transport.target} with exit code ${result.exitCode}${why}: ` +
      stderrExcerpt(result.stderr),
    { exitCode: result.exitCode, call: commandName(argv) },
  );
}

/** A timeout error, the same for every transport. */
export function commandTimedOut(transport: { target: string }, argv: readonly string[], timeoutMs: number): ShellError {
  return new ShellError(
    "timeout",
    `${commandName(argv)} on ${transport.target} did not finish within ${Math.round(timeoutMs / 1000)} s ` +
      "(it may still be running there)",
    { call: commandName(argv) },
  );
}

const OUTPUT_LIMIT_BYTES = 16 * 1024 * 1024;

/** Collects a command's output, keeping at most 16 MiB (a runaway command cannot exhaust memory). */
export class OutputCollector {
  private readonly chunks: Buffer[] = [];
  private size = 0;

  /** Adds a chunk; anything past the limit is dropped. */
  push(chunk: Buffer | string): void {
    const buffer = typeof chunk === "string" ? Buffer.from(chunk) : chunk;
    if (this.size >= OUTPUT_LIMIT_BYTES) return;
    const kept = buffer.subarray(0, OUTPUT_LIMIT_BYTES - this.size);
    this.chunks.push(kept);
    this.size += kept.length;
  }

  /** The output so far, as UTF-8 text. */
  text(): string {
    return Buffer.concat(this.chunks).toString("utf8");
  }
}

/** How a transport ends one command's run: with its result or an error; the first one counts. */
export interface Settle {
  done(result: CommandResult): void;
  fail(error: Error): void;
}

/** What a transport does to run one command under `settleOnce`. */
export interface CommandRun {
  /** Starts the command; it ends the run through `settle`. A throw fails the run. */
  start(settle: Settle): void;
  /** Stops the command when its time is up, before the run fails with the timeout error. */
  onTimeout?(): void;
  /** Runs once the run has ended, whichever way (closes a connection). */
  cleanup?(): void;
}

/**
 * The scaffold of every transport's run: the run ends once (later results and errors are ignored), and fails with
 * commandTimedOut when it has not ended within `timeoutMs`.
 */
export function settleOnce(
  transport: { target: string },
  argv: readonly string[],
  timeoutMs: number,
  run: CommandRun,
): Promise<CommandResult> {
  return new Promise<CommandResult>((resolve, reject) => {
    let settled = false;
    const finish = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      run.cleanup?.();
      outcome();
    };
    const timer = setTimeout(() => {
      run.onTimeout?.();
      finish(() => reject(commandTimedOut(transport, argv, timeoutMs)));
    }, timeoutMs);
    const settle: Settle = {
      done: (result) => finish(() => resolve(result)),
      fail: (error) => finish(() => reject(error)),
    };
    try {
      run.start(settle);
    } catch (error) {
      settle.fail(error as Error);
    }
  });
}

/** Waits for a promise at most `timeoutMs`, then rejects with the error `onTimeout` makes. */
export function withTimeout<T>(promise: Promise<T>, timeoutMs: number, onTimeout: () => Error): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(onTimeout()), timeoutMs);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}
