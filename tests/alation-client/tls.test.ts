// caCertificate: a tenant behind a private CA is reached when its certificate is given, and refused (without
// retries) when it is not, with the fix named. A scheme that does not match the server (https to a plain HTTP
// server, http to a TLS one) is said so, not reported as a lost answer. Needs openssl to make throwaway
// certificates; skipped without it.
import { strict as assert } from "node:assert";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as https from "node:https";
import type { AddressInfo } from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import * as http from "node:http";
import { AlationClient, AlationError, closeHttpPools } from "../../provider/alation";
import { oauthApplication } from "../../provider/runtime";

describe("alation client: TLS with a private CA", function () {
  this.timeout(20000);
  let dir: string;
  let server: https.Server;
  let url: string;
  let certificate: string;
  let connections = 0;

  before(function () {
    try {
      execFileSync("openssl", ["version"], { stdio: "ignore" });
    } catch {
      this.skip();
    }
  });

  before(async () => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), "alation-tls-"));
    const [key, cert] = [path.join(dir, "key.pem"), path.join(dir, "cert.pem")];
    execFileSync("openssl", [
      "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "1",
      "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", key, "-out", cert,
    ], { stdio: "ignore" });
    certificate = fs.readFileSync(cert, "utf8");
    server = https.createServer({ key: fs.readFileSync(key), cert: certificate }, (_req, res) => {
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify({ client_id: "a", name: "app" }));
    });
    server.on("connection", () => connections++);
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    url = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  after(async () => {
    await closeHttpPools();
    await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
    if (dir) fs.rmSync(dir, { recursive: true, force: true });
  });

  it("trusts the given certificate", async () => {
    const client = new AlationClient({ baseUrl: url, apiAccessToken: "token-value", caCertificate: certificate });
    assert.equal((await client.get("a")).status, "found");
  });

  describe("untrusted certificates name caCertificate", () => {
    const CA_FIX = "give its CA's certificate (PEM) as connection.caCertificate, stack config alation:caCertificate or ALATION_CA_CERTIFICATE";
    let ca: string;
    const servers: https.Server[] = [];
    /** An https server with this certificate chain (PEM), answering as a tenant would. */
    async function serve(key: string, chain: string): Promise<string> {
      const tenant = https.createServer({ key, cert: chain }, (_req, res) => {
        res.writeHead(200, { "content-type": "application/json" });
        res.end(JSON.stringify({ client_id: "a", name: "app" }));
      });
      servers.push(tenant);
      await new Promise<void>((resolve) => tenant.listen(0, "127.0.0.1", resolve));
      return `https://127.0.0.1:${(tenant.address() as AddressInfo).port}`;
    }
    after(() => servers.forEach((tenant) => tenant.close()));

    let leafOnly: string;
    let withRoot: string;
    before(async () => {
      // A private CA and a certificate it signed.
      const file = (name: string) => path.join(dir, name);
      execFileSync("openssl", ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "1",
        "-subj", "/CN=alation-test-ca", "-keyout", file("ca.key"), "-out", file("ca.pem")], { stdio: "ignore" });
      execFileSync("openssl", ["req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-subj", "/CN=127.0.0.1",
        "-keyout", file("leaf.key"), "-out", file("leaf.csr")], { stdio: "ignore" });
      fs.writeFileSync(file("leaf.ext"), "subjectAltName=IP:127.0.0.1\n");
      execFileSync("openssl", ["x509", "-req", "-in", file("leaf.csr"), "-CA", file("ca.pem"), "-CAkey", file("ca.key"), "-set_serial", "2",
        "-days", "1", "-extfile", file("leaf.ext"), "-out", file("leaf.pem")], { stdio: "ignore" });
      ca = fs.readFileSync(file("ca.pem"), "utf8");
      const [key, leaf] = [fs.readFileSync(file("leaf.key"), "utf8"), fs.readFileSync(file("leaf.pem"), "utf8")];
      leafOnly = await serve(key, leaf);
      withRoot = await serve(key, leaf + ca);
    });

    for (const [code, tenantUrl] of [
      ["DEPTH_ZERO_SELF_SIGNED_CERT", () => url],
      ["UNABLE_TO_VERIFY_LEAF_SIGNATURE", () => leafOnly],
      ["SELF_SIGNED_CERT_IN_CHAIN", () => withRoot],
    ] as const) {
      it(`${code}: says to give caCertificate`, async () => {
        const error = await new AlationClient({ baseUrl: tenantUrl(), apiAccessToken: "token-value" }).get("a").catch((e) => e);
        assert.ok(error instanceof AlationError, String(error));
        assert.match(error.message, new RegExp(`\\(${code}\\); the tenant's certificate is not trusted \\(self-signed, or of a private CA\\)`));
        assert.ok(error.message.endsWith(CA_FIX), error.message);
      });
    }

    it("with the CA as caCertificate, both chains are trusted", async () => {
      for (const baseUrl of [leafOnly, withRoot]) {
        assert.equal((await new AlationClient({ baseUrl, apiAccessToken: "token-value", caCertificate: ca }).get("a")).status, "found");
      }
    });
  });

  describe("a scheme that does not match the server is said so, not taken for a lost answer", () => {
    let plain: http.Server;
    let plainPort: number;
    before(async () => {
      plain = http.createServer((_req, res) => res.end("{}"));
      await new Promise<void>((resolve) => plain.listen(0, "127.0.0.1", resolve));
      plainPort = (plain.address() as AddressInfo).port;
    });
    after(() => plain.close());

    /** A create through the runtime, as Pulumi's provider process runs it; its error. */
    async function createError(baseUrl: string): Promise<Error> {
      const inputs = { connection: { baseUrl, apiAccessToken: "token-value" }, name: "claude", redirectUris: ["https://claude.ai/api/mcp/auth_callback"] };
      const error = await oauthApplication.create(inputs).catch((e: Error) => e);
      assert.ok(error instanceof Error, "create fails");
      assert.doesNotMatch(error.message, /was lost|may have been created/);
      return error as Error;
    }

    it("https to a plain HTTP server", async () => {
      const error = await createError(`https://127.0.0.1:${plainPort}`);
      assert.match(error.message, /failed \(network\); wrong version number \(ERR_SSL_WRONG_VERSION_NUMBER\); /);
      assert.doesNotMatch(error.message, /\n/, "one line");
      assert.ok(error.message.endsWith(`https://127.0.0.1:${plainPort} answers plain HTTP, not TLS: check the port in baseUrl, or use http:// (allowed for a loopback host)`), error.message);
    });

    it("http to a TLS server", async () => {
      const port = new URL(url).port;
      const before = connections;
      const error = await createError(`http://127.0.0.1:${port}`);
      assert.match(error.message, /the connection was closed without an answer: the server speaks TLS \(https\), not plain HTTP/);
      assert.ok(error.message.endsWith(`use https://127.0.0.1:${port} as baseUrl`), error.message);
      assert.equal(connections - before, 2, "one attempt (not retried, the name not looked up), and one TLS handshake to tell");
    });
  });

  it("refuses an untrusted certificate at once, as a network error that nothing was sent through", async () => {
    const client = new AlationClient({ baseUrl: url, apiAccessToken: "token-value" });
    const before = connections;
    const error = await client.get("a").catch((e) => e);
    assert.ok(error instanceof AlationError, String(error));
    assert.equal(error.kind, "network");
    assert.equal(error.outcomeUnknown, false);
    assert.match(error.message, /SELF_SIGNED|certificate/i);
    assert.equal(connections - before, 1, "not retried");
  });
});
