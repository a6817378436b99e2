// caCertificate: a tenant behind a private CA is reached when its certificate is given, and refused (without
// retries) when it is not. Needs openssl to make a throwaway certificate; skipped without it.
import { strict as assert } from "node:assert";
import { execFileSync } from "node:child_process";
import * as fs from "node:fs";
import * as https from "node:https";
import type { AddressInfo } from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { AlationClient, AlationError, closeHttpPools } from "../../provider/alation";

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
