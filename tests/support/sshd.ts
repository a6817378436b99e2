// A real SSH server for tests: OpenSSH's /usr/sbin/sshd where it is installed (.ci/run installs it), else ssh2's
// Server (ssh2-server.ts), so that the SSH tests run on any machine; PULUMI_ALATION_TEST_SSHD=ssh2 picks the latter
// anyway. On 127.0.0.1 and a free port, with a host key and client keys made for the occasion, letting the current
// user in by those keys only. Stopped (and its folder removed) by stop().
import { ChildProcess, execFileSync, spawn } from "node:child_process";
import * as fs from "node:fs";
import * as net from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { freePort } from "./ports";
import { startSsh2Server } from "./ssh2-server";

export const SSHD = "/usr/sbin/sshd";

/** A running sshd. */
export interface TestSshd {
  host: string;
  port: number;
  username: string;
  /** The client's private key (OpenSSH format, ed25519). */
  privateKey: string;
  /** The same user's second key in PEM (RSA), also authorized. */
  privateKeyPem: string;
  /** A key the server does not know. */
  strangerPrivateKey: string;
  /** The host key's fingerprint as `ssh-keygen -lf` prints it (SHA256:...). */
  hostKeySha256: string;
  /** The fingerprint of another key: what a man in the middle would show. */
  otherHostKeySha256: string;
  stop(): Promise<void>;
}

/** Which server startSshd starts, for test titles. */
export function sshServerName(): string {
  return useOpenSsh() ? "OpenSSH's sshd on 127.0.0.1" : "ssh2's Server on 127.0.0.1, no OpenSSH sshd here";
}

function useOpenSsh(): boolean {
  return process.env.PULUMI_ALATION_TEST_SSHD !== "ssh2" && fs.existsSync(SSHD);
}

/** Starts OpenSSH's sshd, or where it is missing, ssh2's Server. */
export async function startSshd(): Promise<TestSshd> {
  if (!useOpenSsh()) return startSsh2Server();
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "alation-sshd-"));
  const keygen = (file: string, ...args: string[]) => {
    execFileSync("ssh-keygen", ["-q", "-N", "", "-C", "test", "-f", path.join(dir, file), ...args]);
    return path.join(dir, file);
  };
  const hostKey = keygen("host_key", "-t", "ed25519");
  const otherHostKey = keygen("other_host_key", "-t", "ed25519");
  const clientKey = keygen("client_key", "-t", "ed25519");
  const clientKeyPem = keygen("client_key_pem", "-t", "rsa", "-b", "2048", "-m", "PEM");
  const strangerKey = keygen("stranger_key", "-t", "ed25519");
  fs.writeFileSync(
    path.join(dir, "authorized_keys"),
    fs.readFileSync(clientKey + ".pub", "utf8") + fs.readFileSync(clientKeyPem + ".pub", "utf8"),
    { mode: 0o600 },
  );
  const port = await freePort();
  const home = path.join(dir, "home");
  fs.mkdirSync(home);
  const config = path.join(dir, "sshd_config");
  fs.writeFileSync(
    config,
    [
      `Port ${port}`,
      "ListenAddress 127.0.0.1",
      `HostKey ${hostKey}`,
      `PidFile ${path.join(dir, "sshd.pid")}`,
      `AuthorizedKeysFile ${path.join(dir, "authorized_keys")}`,
      "PermitRootLogin prohibit-password",
      "PasswordAuthentication no",
      "KbdInteractiveAuthentication no",
      "UsePAM no",
      "StrictModes no",
      "LogLevel ERROR",
      // A home of its own for the sessions: the login shell reads no dotfiles of this machine's user (bash reads
      // ~/.bashrc for an SSH command, and a version manager's there can cost most of a second per command).
      `SetEnv HOME=${home}`,
      "",
    ].join("\n"),
  );
  // sshd refuses to start without its privilege separation folder.
  fs.mkdirSync("/run/sshd", { recursive: true, mode: 0o755 });
  const daemon = spawn(SSHD, ["-D", "-e", "-f", config], { stdio: ["ignore", "ignore", "pipe"] });
  let log = "";
  daemon.stderr?.on("data", (chunk: Buffer) => (log += chunk.toString()));
  await waitForPort(port, daemon, () => log);

  return {
    host: "127.0.0.1",
    port,
    username: os.userInfo().username,
    privateKey: fs.readFileSync(clientKey, "utf8"),
    privateKeyPem: fs.readFileSync(clientKeyPem, "utf8"),
    strangerPrivateKey: fs.readFileSync(strangerKey, "utf8"),
    hostKeySha256: fingerprint(hostKey),
    otherHostKeySha256: fingerprint(otherHostKey),
    stop: async () => {
      if (daemon.exitCode === null) {
        const exited = new Promise((resolve) => daemon.once("exit", resolve));
        daemon.kill("SIGTERM");
        await exited;
      }
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}

function fingerprint(keyFile: string): string {
  const line = execFileSync("ssh-keygen", ["-l", "-E", "sha256", "-f", keyFile + ".pub"], { encoding: "utf8" });
  const match = /SHA256:[A-Za-z0-9+/]+/.exec(line);
  if (!match) throw new Error(`ssh-keygen printed no fingerprint: ${line}`);
  return match[0];
}

async function waitForPort(port: number, daemon: ChildProcess, log: () => string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (Date.now() < deadline) {
    if (daemon.exitCode !== null) throw new Error(`sshd exited (${daemon.exitCode}): ${log()}`);
    const open = await new Promise<boolean>((resolve) => {
      const socket = net.connect(port, "127.0.0.1", () => {
        socket.destroy();
        resolve(true);
      });
      socket.on("error", () => resolve(false));
    });
    if (open) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  daemon.kill("SIGKILL");
  throw new Error(`sshd did not listen on 127.0.0.1:${port} within 10 s: ${log()}`);
}
