// The io of the `alation-connector` CLI (runCli), recorded: what a test feeds it and what it writes.
import type { CliIo } from "../../provider/verify";

/** A CliIo that records what is written. */
export function captureIo(
  options: { stdin?: string; stdinIsTTY?: boolean; env?: Record<string, string> } = {},
): CliIo & { out(): string; err(): string } {
  let out = "";
  let err = "";
  return {
    readStdin: async () => options.stdin ?? "",
    stdinIsTTY: options.stdinIsTTY ?? options.stdin === undefined,
    stdout: (text) => (out += text),
    stderr: (text) => (err += text),
    env: options.env ?? {},
    out: () => out,
    err: () => err,
  };
}
