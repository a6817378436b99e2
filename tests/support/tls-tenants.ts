// Throwaway TLS material made with openssl (a self-signed certificate, a private CA and a certificate it signed, all
// for 127.0.0.1), and https servers on 127.0.0.1 that answer every request as a tenant's GET of one client would (and
// the provider's probe as an Alation tenant would).
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as https from "node:https";
import type { AddressInfo } from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { alationDiscoveryAnswer } from "./alation-answers";

/** A key and its certificate chain, PEM. */
export interface KeyPair {
  key: string;
  cert: string;
}

export interface TlsMaterial {
  /** A self-signed certificate for 127.0.0.1. */
  selfSigned: KeyPair;
  /** The private CA's certificate. */
  ca: string;
  /** A certificate for 127.0.0.1 signed by the CA (the chain is the leaf alone). */
  leaf: KeyPair;
}

/** Whether openssl can be run here (tests that need it skip without it). */
export function hasOpenssl(): boolean {
  try {
    execFileSync("openssl", ["version"], { stdio: "ignore" });
    return true;
  } catch {
    return false;
  }
}

const NEW_KEY = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];
const LOOPBACK_SAN = "IP:127.0.0.1";

/** Makes the material in a temporary folder, removed before it returns. */
export function makeTlsMaterial(): TlsMaterial {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "alation-tls-"));
  const file = (name: string) => path.join(dir, name);
  const openssl = (...args: string[]) => execFileSync("openssl", args, { stdio: "ignore" });
  const read = (name: string) => fs.readFileSync(file(name), "utf8");
  const keyAndCertificate = (name: string) => ["-keyout", file(`${name}.key`), "-out", file(`${name}.pem`)];
  const selfSigned = (name: string, subject: string, ...extra: string[]) =>
    openssl("req", "-x509", ...NEW_KEY, "-days", "1", "-subj", subject, ...extra, ...keyAndCertificate(name));
  try {
    selfSigned("self", "/CN=127.0.0.1", "-addext", `subjectAltName=${LOOPBACK_SAN}`);
    selfSigned("ca", "/CN=alation-test-ca");
    openssl("req", ...NEW_KEY, "-subj", "/CN=127.0.0.1", "-keyout", file("leaf.key"), "-out", file("leaf.csr"));
    fs.writeFileSync(file("leaf.ext"), `subjectAltName=${LOOPBACK_SAN}\n`);
    const ca = ["-CA", file("ca.pem"), "-CAkey", file("ca.key"), "-set_serial", "2", "-days", "1"];
    openssl("x509", "-req", "-in", file("leaf.csr"), ...ca, "-extfile", file("leaf.ext"), "-out", file("leaf.pem"));
    return {
      selfSigned: { key: read("self.key"), cert: read("self.pem") },
      ca: read("ca.pem"),
      leaf: { key: read("leaf.key"), cert: read("leaf.pem") },
    };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** A started https tenant stand-in. */
export interface TlsTenant {
  /** `https://127.0.0.1:PORT`. */
  url: string;
  /** TCP connections accepted so far. */
  connections(): number;
  close(): Promise<void>;
}

/** Serves `pair` on 127.0.0.1; every request but the probe's gets `{"client_id": "a", "name": "app"}`. */
export async function startTlsTenant(pair: KeyPair): Promise<TlsTenant> {
  let connections = 0;
  const server = https.createServer(pair, (req, res) => {
    const shown = alationDiscoveryAnswer(req.method ?? "", req.url ?? "", "a");
    res.writeHead(200, { "content-type": "application/json" });
    res.end(JSON.stringify(shown ?? { client_id: "a", name: "app" }));
  });
  server.on("connection", () => connections++);
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    url: `https://127.0.0.1:${(server.address() as AddressInfo).port}`,
    connections: () => connections,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
