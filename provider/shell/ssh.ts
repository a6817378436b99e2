// Runs commands over SSH (ssh2, loaded only here), with the server's host key pinned by its SHA-256 fingerprint.
// One connection per command: commands are few and far between, and nothing is left open in the provider.
import { createHash } from "node:crypto";
import type { Client, ClientChannel, ConnectConfig } from "ssh2";
import { requireOptionalPeer } from "../peers/optional";
import { ShellError, commandName, configError } from "./errors";
import { CommandResult, OutputCollector, RunOptions, Settle, Transport, settleOnce } from "./transport";

/** How to reach the host. */
export interface SshOptions {
  host: string;
  /** Default 22. */
  port?: number;
  username: string;
  /** An unencrypted private key, PEM or OpenSSH format. */
  privateKey: string;
  /** The host key's SHA-256 fingerprint, as `ssh-keygen -l` prints it (`SHA256:...`) or bare base64. */
  hostKeySha256: string;
  /** Prepended to every command line (e.g. `["sudo", "-u", "alation"]` or `["env", "PATH=..."]`). */
  commandPrefix?: string[];
}

/** The SSH transport. */
export function createSshTransport(options: SshOptions): Transport {
  const port = options.port ?? 22;
  const transport: Transport = {
    target: `host ${options.host}:${port}`,
    runCommand: async (argv, runOptions) => runOverSsh(transport, { ...options, port }, argv, runOptions),
  };
  return transport;
}

/** The fingerprint in OpenSSH's form (base64 without padding), whichever way it was written. */
export function normalizeFingerprint(fingerprint: string): string {
  return fingerprint
    .trim()
    .replace(/^SHA256:/i, "")
    .replace(/=+$/, "");
}

/** OpenSSH's SHA-256 fingerprint of a host key blob: `SHA256:` and unpadded base64. */
export function fingerprintOf(hostKey: Buffer): string {
  return "SHA256:" + createHash("sha256").update(hostKey).digest("base64").replace(/=+$/, "");
}

/**
 * Quotes one argument for a POSIX shell: the remote side runs the command line through the user's login shell,
 * so every element is single-quoted unless it is made of characters no shell treats specially.
 */
export function quoteForShell(argument: string): string {
  if (argument.includes("\0")) throw new ShellError("config", "a command argument holds a NUL character");
  if (/^[A-Za-z0-9_@%+=:,./-]+$/.test(argument)) return argument;
  return "'" + argument.replace(/'/g, `'\\''`) + "'";
}

/** The command line sent to the server. */
export function sshCommandLine(argv: readonly string[], commandPrefix: readonly string[] = []): string {
  return [...commandPrefix, ...argv].map(quoteForShell).join(" ");
}

function runOverSsh(
  transport: Transport,
  options: SshOptions & { port: number },
  argv: readonly string[],
  runOptions: RunOptions,
): Promise<CommandResult> {
  const ssh2 = requireOptionalPeer<typeof import("ssh2")>("ssh2", "shell.ssh", configError);
  const client: Client = new ssh2.Client();
  const pinned = normalizeFingerprint(options.hostKeySha256);
  let offeredFingerprint: string | undefined;
  let commandSent = false;
  return settleOnce(transport, argv, runOptions.timeoutMs, {
    start(settle) {
      client.on("error", (error: Error & { level?: string }) => {
        settle.fail(connectionError(transport, error, { offeredFingerprint, pinned, commandSent }));
      });
      client.on("close", () => {
        const message = `the SSH connection to ${transport.target} closed before the command finished`;
        settle.fail(new ShellError("connection", message, { commandSent, call: commandName(argv) }));
      });
      client.on("ready", () => {
        commandSent = true;
        execCommand(client, transport, sshCommandLine(argv, options.commandPrefix), runOptions.stdin, settle);
      });
      const config: ConnectConfig = {
        host: options.host,
        port: options.port,
        username: options.username,
        privateKey: options.privateKey,
        readyTimeout: Math.min(runOptions.timeoutMs, 20000),
        hostVerifier: (hostKey: Buffer) => {
          offeredFingerprint = fingerprintOf(hostKey);
          return normalizeFingerprint(offeredFingerprint) === pinned;
        },
      };
      try {
        client.connect(config);
      } catch {
        // ssh2 throws here for a key it cannot parse; its message is not shown in case it quotes the key.
        settle.fail(
          configError(
            `the SSH private key for ${transport.target} could not be read (an unencrypted PEM or OpenSSH private ` +
              `key is expected)`,
          ),
        );
      }
    },
    onTimeout: () => client.destroy(),
    cleanup: () => client.end(),
  });
}

/** Runs the command line on a ready connection, and ends the run with its result. */
function execCommand(
  client: Client,
  transport: Transport,
  commandLine: string,
  stdin: string | undefined,
  settle: Settle,
): void {
  client.exec(commandLine, (error, channel) => {
    if (error) {
      settle.fail(new ShellError("connection", `${transport.target} refused to run a command: ${error.message}`));
      return;
    }
    collect(channel, stdin, ({ exitCode, stdout, stderr }) => {
      if (exitCode !== undefined) settle.done({ exitCode, stdout, stderr });
      else
        settle.fail(
          new ShellError("connection", `${transport.target} lost the command before it reported an exit status`),
        );
    });
  });
}

function collect(
  channel: ClientChannel,
  stdin: string | undefined,
  done: (result: Omit<CommandResult, "exitCode"> & { exitCode?: number }) => void,
): void {
  const stdout = new OutputCollector();
  const stderr = new OutputCollector();
  let exitCode: number | undefined;
  channel.on("data", (chunk: Buffer) => stdout.push(chunk));
  channel.stderr.on("data", (chunk: Buffer) => stderr.push(chunk));
  channel.on("exit", (code: number | null, signal?: string) => {
    exitCode = typeof code === "number" ? code : signal ? 128 : 1;
  });
  channel.on("close", () => done({ exitCode, stdout: stdout.text(), stderr: stderr.text() }));
  // end() sends EOF, which is how the remote command knows its input is complete.
  channel.end(stdin ?? "");
}

function connectionError(
  transport: Transport,
  error: Error & { level?: string },
  context: { offeredFingerprint?: string; pinned: string; commandSent: boolean },
): ShellError {
  if (context.offeredFingerprint && normalizeFingerprint(context.offeredFingerprint) !== context.pinned) {
    return new ShellError(
      "host-key",
      `refused to connect to ${transport.target}: its host key ${context.offeredFingerprint} does not match the ` +
        `pinned hostKeySha256 SHA256:${context.pinned}`,
    );
  }
  if (error.level === "client-authentication") {
    return new ShellError("auth", `${transport.target} refused the SSH key (authentication failed)`);
  }
  const reason = (error as NodeJS.ErrnoException).code ?? error.message;
  return new ShellError("connection", `SSH connection to ${transport.target} failed: ${reason}`, {
    commandSent: context.commandSent,
  });
}
