// The `alation_conf` command: reads and sets one tenant configuration value.
// Its print format is not documented, so reading is tolerant: `key = value`, `key: value`, or the bare value,
// among noise lines (the shell prints `Error decrypting value, details: ...` even when all went well).
import { ShellError } from "./errors";
import { Transport, runChecked } from "./transport";

/** A value alation_conf can hold, as the provider's users write it. */
export type ConfValue = boolean | number | string;

const TIMEOUT_MS = 60_000;

/** The text alation_conf expects for a value: booleans as Python writes them (True/False). */
export function formatConfValue(value: ConfValue): string {
  if (typeof value === "boolean") return value ? "True" : "False";
  return String(value);
}

/** Reads a key. Returns the value as printed (trimmed), or undefined when nothing but noise came back. */
export async function readConf(transport: Transport, key: string, timeoutMs = TIMEOUT_MS): Promise<string | undefined> {
  const result = await runChecked(transport, ["alation_conf", key], { idempotent: true, timeoutMs });
  return parseConfOutput(result.stdout, key);
}

/** Sets a key. Setting the same value again changes nothing, so a lost connection is retried. */
export async function writeConf(
  transport: Transport,
  key: string,
  value: ConfValue,
  timeoutMs = TIMEOUT_MS,
): Promise<void> {
  const text = formatConfValue(value);
  if (/[\r\n\0]/.test(text)) {
    throw new ShellError("config", `alation_conf cannot store a value holding a newline or NUL (key ${key})`);
  }
  await runChecked(transport, ["alation_conf", key, "-s", text], { idempotent: true, timeoutMs });
}

// Lines a shell or a logger adds around the value.
const NOISE = [
  /^error decrypting value\b/i,
  /^(warning|warn|info|debug|notice)\b[:\s]/i,
  /^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}/, // a log line's timestamp
  /^\[[^\]]*\]\s/, // "[INFO] ..." and the like
  /^(traceback|\s+file ")/i,
];

/** The value of `key` in alation_conf's output, or undefined when there is none. */
export function parseConfOutput(stdout: string, key: string): string | undefined {
  const lines = stdout
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== "");
  // First choice: a line that names the key.
  for (const line of lines) {
    if (line.startsWith(key)) {
      const rest = line.slice(key.length);
      const match = /^\s*[=:]\s?(.*)$/.exec(rest);
      if (match) return match[1].trim();
    }
  }
  // Otherwise the last line that is not noise.
  const values = lines.filter((line) => !NOISE.some((pattern) => pattern.test(line)));
  return values.length === 0 ? undefined : values[values.length - 1];
}

/**
 * The printed value read back as the type of `like` (True/False for booleans, numbers for numbers). A value that
 * does not read as that type is returned as printed, so that it shows as drift.
 */
export function confValueAs(printed: string, like: ConfValue): ConfValue {
  const text = unquote(printed);
  if (typeof like === "boolean") {
    if (/^true$/i.test(text)) return true;
    if (/^false$/i.test(text)) return false;
    return printed;
  }
  if (typeof like === "number") {
    const number = Number(text);
    return text !== "" && Number.isFinite(number) ? number : printed;
  }
  return typeof like === "string" && printed !== like && text === like ? like : printed;
}

// A value printed with Python's repr quotes ('abc') is the same value.
function unquote(text: string): string {
  const match = /^(['"])(.*)\1$/s.exec(text);
  return match ? match[2] : text;
}
