// How the package's bins (alation-connector, alation-fleet) run as a process: the exit status their run resolves to,
// and one line for an error that escaped it (never a stack: it may quote a value).

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
