// An SSH server for the tests where OpenSSH's sshd is not installed: ssh2's Server (a dependency of the package) on
// 127.0.0.1 and a free port, with keys made for the occasion, letting the current user in by public key only and
// running each exec'd command line with /bin/sh -c, as sshd runs it with the user's shell. Same shape as sshd.ts.
import { spawn } from "node:child_process";
import { createHash, generateKeyPairSync } from "node:crypto";
import type { AddressInfo } from "node:net";
import * as os from "node:os";
import type { Connection, ParsedKey, ServerChannel } from "ssh2";
import type { TestSshd } from "./sshd";

const ssh2 = require("ssh2") as typeof import("ssh2");

/**
 * A key pair: the private key as text, the public key parsed. ssh2's ed25519 generator makes, about once in 256, a
 * key its own parser refuses ("Malformed OpenSSH private key": it drops a public key's leading zero byte,
 * mscdex/ssh2#1513): such a pair is made again.
 */
function keyPair(kind: "ed25519" | "rsa-pem"): { privateKey: string; publicKey: ParsedKey } {
  for (let attempt = 1; ; attempt++) {
    const privateKey =
      kind === "ed25519"
        ? ssh2.utils.generateKeyPairSync("ed25519").private
        : generateKeyPairSync("rsa", {
            modulusLength: 2048,
            privateKeyEncoding: { type: "pkcs1", format: "pem" },
            publicKeyEncoding: { type: "spki", format: "pem" },
          }).privateKey;
    const parsed = ssh2.utils.parseKey(privateKey);
    if (!(parsed instanceof Error)) return { privateKey, publicKey: parsed };
    if (attempt === 10) throw parsed;
  }
}

/** OpenSSH's fingerprint of a key: `SHA256:` and the unpadded base64 of its public blob's SHA-256. */
function fingerprint(key: ParsedKey): string {
  return "SHA256:" + createHash("sha256").update(key.getPublicSSH()).digest("base64").replace(/=+$/, "");
}

/** Starts the server. */
export async function startSsh2Server(): Promise<TestSshd> {
  const host = keyPair("ed25519");
  const other = keyPair("ed25519");
  const client = keyPair("ed25519");
  const clientPem = keyPair("rsa-pem");
  const stranger = keyPair("ed25519");
  const username = os.userInfo().username;
  const authorized = [client.publicKey, clientPem.publicKey];
  const connections = new Set<Connection>();

  const server = new ssh2.Server({ hostKeys: [host.privateKey] }, (connection) => {
    connections.add(connection);
    connection.on("close", () => connections.delete(connection));
    connection.on("error", () => undefined);
    connection.on("authentication", (ctx) => {
      if (ctx.method !== "publickey" || ctx.username !== username) return ctx.reject(["publickey"]);
      const key = authorized.find(
        (candidate) => candidate.type === ctx.key.algo && candidate.getPublicSSH().equals(ctx.key.data),
      );
      if (!key) return ctx.reject(["publickey"]);
      // Without a signature the client only asks whether the key would do; with one, it must prove it holds it.
      if (ctx.signature && ctx.blob && key.verify(ctx.blob, ctx.signature, ctx.hashAlgo) !== true)
        return ctx.reject(["publickey"]);
      ctx.accept();
    });
    connection.on("ready", () => {
      connection.on("session", (acceptSession) => {
        acceptSession().on("exec", (accept, _reject, info) => runCommand(accept(), info.command));
      });
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));

  return {
    host: "127.0.0.1",
    port: (server.address() as AddressInfo).port,
    username,
    privateKey: client.privateKey,
    privateKeyPem: clientPem.privateKey,
    strangerPrivateKey: stranger.privateKey,
    hostKeySha256: fingerprint(host.publicKey),
    otherHostKeySha256: fingerprint(other.publicKey),
    stop: async () => {
      for (const connection of connections) connection.end();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** Runs a command line as sshd does: through a shell, stdin from the channel, its exit status sent back. */
function runCommand(channel: ServerChannel, commandLine: string): void {
  const env = {
    HOME: os.homedir(),
    USER: os.userInfo().username,
    LOGNAME: os.userInfo().username,
    SHELL: "/bin/sh",
    PATH: "/usr/local/bin:/usr/bin:/bin",
  };
  const child = spawn("/bin/sh", ["-c", commandLine], { env, stdio: ["pipe", "pipe", "pipe"] });
  channel.pipe(child.stdin);
  child.stdin.on("error", () => undefined);
  child.stdout.pipe(channel, { end: false });
  child.stderr.pipe(channel.stderr, { end: false });
  // A client that goes away (a timeout) takes its command with it.
  channel.on("close", () => child.exitCode === null && child.kill("SIGKILL"));
  child.on("close", (code, signal) => {
    if (code !== null) channel.exit(code);
    else channel.exit(signal ?? "KILL", false, "");
    channel.end();
  });
}
