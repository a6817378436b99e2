// The `alation_django_shell` command: runs one of the provider's Python files (provider/shell/python) with a
// request, and reads back the one result line it prints.
//   argv:   env ALATION_PULUMI_REQUEST=<base64 JSON> alation_django_shell   (stdin carries the script itself)
//   stdout: noise, then `ALATION_PULUMI_RESULT {json}`
// The request holds no secret (secrets are made by the script), so it may travel in argv.
import * as fs from "node:fs";
import * as path from "node:path";
import { ShellError, redact, stderrExcerpt } from "./errors";
import { Transport, commandFailed, runChecked } from "./transport";

/** The marker of the script's result line. */
export const RESULT_MARKER = "ALATION_PULUMI_RESULT";

/** What the script answers: `ok` and the operation's data, or an error code and a message. */
export type ScriptResult = { ok: true; [key: string]: unknown } | { ok: false; error: string; message: string };

/** How to run one script. */
export interface ScriptRun {
  /** The file's name in provider/shell/python. */
  script: string;
  /** The request, as JSON. */
  request: unknown;
  /** See `CheckedRunOptions.idempotent`. */
  idempotent: boolean;
  timeoutMs: number;
}

const scriptCache = new Map<string, string>();

/**
 * The text of a script of provider/shell/python. This module runs compiled from dist/provider/shell/ or from the
 * sources (provider/shell/, under ts-node); the Python files are not compiled, so both places look in the
 * package's provider/shell/python (package.json "files" ships it).
 */
export function loadScript(name: string): string {
  const cached = scriptCache.get(name);
  if (cached !== undefined) return cached;
  const candidates = [
    path.join(__dirname, "python", name), // sources
    path.join(__dirname, "..", "..", "..", "provider", "shell", "python", name), // dist/provider/shell
  ];
  const found = candidates.find((candidate) => fs.existsSync(candidate));
  if (!found) throw new ShellError("config", `the provider's Python script ${name} is missing from the package`);
  const text = fs.readFileSync(found, "utf8");
  scriptCache.set(name, text);
  return text;
}

/** Runs a script in alation_django_shell and returns its result line, parsed. */
export async function runDjangoScript(transport: Transport, run: ScriptRun): Promise<ScriptResult> {
  const request = Buffer.from(JSON.stringify(run.request), "utf8").toString("base64");
  const argv = ["env", `ALATION_PULUMI_REQUEST=${request}`, "alation_django_shell"];
  const result = await runChecked(transport, argv, {
    stdin: loadScript(run.script),
    idempotent: run.idempotent,
    timeoutMs: run.timeoutMs,
    allowFailure: true,
  });
  // The result line is the script's own last word: when it is there it is believed, whatever the exit code (a
  // shell that fails while exiting must not turn a create that happened into one that seems not to have).
  const lines = result.stdout.split(/\r?\n/).filter((line) => line.includes(RESULT_MARKER + " "));
  if (lines.length === 0) {
    if (result.exitCode !== 0) throw commandFailed(transport, argv, result);
    throw unreadable(transport, `printed no result line (exit code 0): ${stderrExcerpt(result.stderr)}`);
  }
  if (lines.length > 1) {
    throw unreadable(transport, `printed ${lines.length} result lines, expected one`);
  }
  return parseResultLine(lines[0], transport);
}

function parseResultLine(line: string, transport: Transport): ScriptResult {
  // Django's interactive console may print its prompts ahead of the line: read from the marker on.
  const json = line.slice(line.indexOf(RESULT_MARKER + " ") + RESULT_MARKER.length + 1);
  let parsed: unknown;
  try {
    parsed = JSON.parse(json);
  } catch {
    throw unreadable(transport, "printed a result line that is not JSON");
  }
  if (typeof parsed !== "object" || parsed === null || typeof (parsed as { ok?: unknown }).ok !== "boolean") {
    throw unreadable(transport, 'printed a result line without "ok"');
  }
  const result = parsed as ScriptResult;
  if (!result.ok) {
    return { ok: false, error: String(result.error), message: redact(String(result.message ?? "")) };
  }
  return result;
}

/** The error for output that is not one result line of the script. */
function unreadable(transport: Transport, what: string): ShellError {
  return new ShellError("command", `alation_django_shell on ${transport.target} ${what}`, {
    call: "alation_django_shell",
  });
}
