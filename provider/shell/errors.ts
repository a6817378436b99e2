// The one error type of the shell path, the shell side of the store error contract (StoreError), and the redaction
// every message goes through. Messages name the command (its program name, never its data), where it ran, and why;
// never a secret.
import type { StoreError, StoreFailure } from "../domain/application-store";
import { redactText } from "../domain/redact";

/** What went wrong, so callers can decide what to do (retry, report, recover). */
export type ShellErrorKind =
  /** The settings cannot work (bad kubeconfig, unparsable private key, no kubeconfig found). */
  | "config"
  /** The SSH server's host key is not the pinned one. Never retried. */
  | "host-key"
  /** The SSH server or the Kubernetes API refused our credentials. */
  | "auth"
  /** The pod (or a pod matching the label selector) does not exist or is not running; or the application does not. */
  | "not-found"
  /** The application's name is taken. */
  | "conflict"
  /** No connection could be made, or it was lost. See `commandSent`. */
  | "connection"
  /** The command did not finish in time. It may still be running remotely. */
  | "timeout"
  /** The command ran and failed (non-zero exit code), or its output could not be understood. */
  | "command";

/** Each kind in the contract's terms. */
const FAILURE_OF: Readonly<Record<ShellErrorKind, StoreFailure>> = {
  config: "validation",
  "host-key": "auth",
  auth: "auth",
  "not-found": "not-found",
  conflict: "conflict",
  connection: "network",
  timeout: "timeout",
  // The command failed or answered nothing usable: the tenant's side failed, as a 5xx says over REST.
  command: "unavailable",
};

// Kinds raised before any command runs: the settings cannot work, or the other side refused us.
const NEVER_SENT: ReadonlySet<ShellErrorKind> = new Set(["config", "host-key", "auth"]);

/** What a ShellError may tell besides its kind and message. */
export interface ShellErrorOptions {
  /** Whether the command may have reached the remote side; see `ShellError.commandSent` for the default. */
  commandSent?: boolean;
  /** The command's exit code. */
  exitCode?: number;
  /** The command (its program name), or the script's operation. */
  call?: string;
  /** What the tenant's side said (the script's message), redacted. */
  tenantMessage?: string;
}

/** A failure of the shell path. Its message holds no secret: stderr excerpts are redacted. */
export class ShellError extends Error implements StoreError {
  override readonly name = "ShellError";
  /** What went wrong. */
  readonly kind: ShellErrorKind;
  /** The kind in the store error contract's terms. */
  readonly failure: StoreFailure;
  /**
   * Whether the command may have reached the remote side. Never for `config`, `host-key` and `auth` errors (nothing
   * runs then); `connection` errors say (they happen before and after sending); the others default to true. A
   * command that was never sent can be retried safely; one that was sent is retried only when it is idempotent.
   */
  readonly commandSent: boolean;
  /** A sent command's connection was lost or its time ran out: it may have done its work. */
  readonly outcomeUnknown: boolean;
  /** The command's exit code, for `command` errors that have one. */
  readonly exitCode?: number;
  /** The command (its program name), or the script's operation, when known. */
  readonly call?: string;
  /** What the tenant's side said (the script's message), redacted. */
  readonly tenantMessage?: string;

  constructor(kind: ShellErrorKind, message: string, options: ShellErrorOptions = {}) {
    super(message);
    this.kind = kind;
    this.failure = FAILURE_OF[kind];
    this.commandSent = options.commandSent ?? !NEVER_SENT.has(kind);
    this.outcomeUnknown = this.commandSent && (kind === "connection" || kind === "timeout");
    this.exitCode = options.exitCode;
    this.call = options.call;
    this.tenantMessage = options.tenantMessage;
  }
}

/** A `config` error: the settings cannot work, and nothing was sent. */
export function configError(message: string): ShellError {
  return new ShellError("config", message);
}

/**
 * The program a command line runs, for messages: the first word after `env` and its `NAME=value` settings
 * (whose values may be data and are never shown).
 */
export function commandName(argv: readonly string[]): string {
  let index = 0;
  if (argv[index] === "env") {
    index++;
    while (index < argv.length && /^[A-Za-z_][A-Za-z0-9_]*=/.test(argv[index])) index++;
  }
  const program = argv[index] ?? argv[0] ?? "(empty command)";
  return program.split("/").pop() || program;
}

// Besides what the REST client's redaction removes (known secrets, JWTs, `secret=...`): PEM blocks (private keys,
// certificates), `private_key: ...`, and long base64/base64url runs (token_urlsafe(32) secrets, kubeconfig data).
const PEM_BLOCK = /-----BEGIN [^-]*-----[\s\S]*?(-----END [^-]*-----|$)/g;
const KEY_ASSIGNMENT =
  /\b(private[_-]?key|passphrase|client-key-data|client-certificate-data)(["']?\s*[:=]\s*["']?)[^\s"',}]+/gi;
// base64url runs of 32+ (no "/": file paths in tracebacks stay readable), standard base64 runs of 64+.
const LONG_TOKEN = /[A-Za-z0-9+_-]{32,}={0,2}|[A-Za-z0-9+/]{64,}={0,2}/g;

/** Removes from text anything that could be a secret: known secret values, key blocks, tokens. */
export function redact(text: string, knownSecrets: readonly string[] = []): string {
  return redactText(text.replace(PEM_BLOCK, "[redacted key]"), knownSecrets)
    .replace(KEY_ASSIGNMENT, "$1$2[redacted]")
    .replace(LONG_TOKEN, "[redacted]");
}

const EXCERPT_LINES = 8;
const EXCERPT_CHARS = 600;

/**
 * The end of a command's stderr, redacted, for an error message: the last lines are where a traceback or a
 * tool says why it failed.
 */
export function stderrExcerpt(stderr: string): string {
  const lines = redact(stderr)
    .split(/\r?\n/)
    .map((line) => line.trimEnd())
    .filter((line) => line.trim() !== "");
  let excerpt = lines.slice(-EXCERPT_LINES).join(" | ");
  if (excerpt.length > EXCERPT_CHARS) excerpt = "..." + excerpt.slice(-EXCERPT_CHARS);
  return excerpt === "" ? "(no stderr)" : excerpt;
}
