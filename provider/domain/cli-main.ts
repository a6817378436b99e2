// How the package's bins (alation-connector, alation-fleet) run as a process: the exit status their run resolves to,
// and one line for an error that escaped it (never a stack: it may quote a value).
import { parseArgs, type ParseArgsConfig } from "node:util";

/** What a bin writes to, and the environment it reads (secrets may come from there). */
export interface ProcessIo {
  stdout(text: string): void;
  stderr(text: string): void;
  env: NodeJS.ProcessEnv;
}

/** The real process's streams and environment. */
export function processIo(): ProcessIo {
  return {
    stdout: (text) => process.stdout.write(text),
    stderr: (text) => process.stderr.write(text),
    env: process.env,
  };
}

/** Runs a bin: its resolved status becomes the exit status; an escaped error is one line and status 2. */
export function runAsProcess(bin: string, run: () => Promise<number>): void {
  run().then(
    (status) => {
      process.exitCode = status;
    },
    (error: unknown) => {
      process.stderr.write(`${bin}: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 2;
    },
  );
}

/** A bin's name, the command that prints its help, and its usage text. */
export interface BinUsage {
  bin: string;
  help: string;
  usage: string;
}

/** Bad usage: one line naming the problem, where help is, and status 2. */
export function usageError(io: ProcessIo, bin: BinUsage, message: string): number {
  io.stderr(`${bin.bin}: ${message}\n${bin.help} for usage\n`);
  return 2;
}

type Options = NonNullable<ParseArgsConfig["options"]>;
type Parsed<O extends Options> = ReturnType<typeof parseArgs<{ args: string[]; allowPositionals: true; options: O }>>;

/**
 * The command line of a bin, or the status to end with: 0 after printing the usage (`--help`), 2 after a usage
 * error (parseArgs names the option, never a value; its first sentence says it all).
 */
export function parseCommandLine<O extends Options>(
  bin: BinUsage,
  args: string[],
  options: O,
  io: ProcessIo,
): Parsed<O> | number {
  let parsed: Parsed<O>;
  try {
    parsed = parseArgs({ args, allowPositionals: true, options });
  } catch (error) {
    return usageError(io, bin, (error as Error).message.split(". ")[0]);
  }
  if ((parsed.values as { help?: boolean }).help) {
    io.stdout(bin.usage);
    return 0;
  }
  return parsed;
}
