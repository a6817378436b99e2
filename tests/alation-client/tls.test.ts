// caCertificate: a tenant behind a private CA is reached when its certificate is given, and refused (without
// retries) when it is not, with the fix named. A scheme that does not match the server (https to a plain HTTP
// server, http to a TLS one) is said so, not reported as a lost answer. Needs openssl to make throwaway
// certificates; skipped without it.
import { strict as assert } from "node:assert";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { AlationClient, AlationError, closeHttpPools, DEFAULT_RETRY_POLICY } from "../../provider/alation";
import { oauthApplication } from "../../provider/runtime";
import { hasOpenssl, makeTlsMaterial, startTlsTenant, type TlsMaterial, type TlsTenant } from "../support/tls-tenants";

describe("alation client: TLS with a private CA", function () {
  this.timeout(20000);
  let material: TlsMaterial;
  let selfSigned: TlsTenant;
  let leafOnly: TlsTenant;
  let withRoot: TlsTenant;

  before(async function () {
    if (!hasOpenssl()) this.skip();
    material = makeTlsMaterial();
    selfSigned = await startTlsTenant(material.selfSigned);
    leafOnly = await startTlsTenant(material.leaf);
    withRoot = await startTlsTenant({ key: material.leaf.key, cert: material.leaf.cert + material.ca });
  });

  after(async () => {
    await closeHttpPools();
    await Promise.all([selfSigned, leafOnly, withRoot].map((tenant) => tenant?.close()));
  });

  it("trusts the given certificate", async () => {
    const client = new AlationClient({
      baseUrl: selfSigned.url,
      apiAccessToken: "token-value",
      caCertificate: material.selfSigned.cert,
    });
    assert.equal((await client.get("a")).status, "found");
  });

  it("refuses an untrusted certificate at once, as a network error that nothing was sent through", async () => {
    const client = new AlationClient({ baseUrl: selfSigned.url, apiAccessToken: "token-value" });
    const before = selfSigned.connections();
    const error = await client.get("a").catch((e) => e);
    assert.ok(error instanceof AlationError, String(error));
    assert.equal(error.kind, "network");
    assert.equal(error.outcomeUnknown, false);
    assert.match(error.message, /SELF_SIGNED|certificate/i);
    assert.equal(selfSigned.connections() - before, 1, "not retried");
  });

  describe("untrusted certificates name caCertificate", () => {
    const CA_FIX =
      "give its CA's certificate (PEM) as connection.caCertificate, stack config alation:caCertificate or " +
      "ALATION_CA_CERTIFICATE";

    for (const [code, tenant] of [
      ["DEPTH_ZERO_SELF_SIGNED_CERT", () => selfSigned],
      ["UNABLE_TO_VERIFY_LEAF_SIGNATURE", () => leafOnly],
      ["SELF_SIGNED_CERT_IN_CHAIN", () => withRoot],
    ] as const) {
      it(`${code}: says to give caCertificate`, async () => {
        const error = await new AlationClient({ baseUrl: tenant().url, apiAccessToken: "token-value" })
          .get("a")
          .catch((e) => e);
        assert.ok(error instanceof AlationError, String(error));
        assert.match(
          error.message,
          new RegExp(`\\(${code}\\); the tenant's certificate is not trusted \\(self-signed, or of a private CA\\)`),
        );
        assert.ok(error.message.endsWith(CA_FIX), error.message);
      });
    }

    it("with the CA as caCertificate, both chains are trusted", async () => {
      for (const { url: baseUrl } of [leafOnly, withRoot]) {
        const client = new AlationClient({ baseUrl, apiAccessToken: "token-value", caCertificate: material.ca });
        assert.equal((await client.get("a")).status, "found");
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
    after(() => plain?.close());

    it("https to a plain HTTP server", async () => {
      const error = await createError(`https://127.0.0.1:${plainPort}`);
      assert.match(error.message, /failed \(network\); wrong version number \(ERR_SSL_WRONG_VERSION_NUMBER\); /);
      assert.doesNotMatch(error.message, /\n/, "one line");
      const fix =
        `https://127.0.0.1:${plainPort} answers plain HTTP, not TLS: check the port in baseUrl, ` +
        "or use http:// (allowed for a loopback host)";
      assert.ok(error.message.endsWith(fix), error.message);
    });

    it("http to a TLS server", async () => {
      const port = new URL(selfSigned.url).port;
      const before = selfSigned.connections();
      const error = await createError(`http://127.0.0.1:${port}`);
      assert.match(
        error.message,
        /the connection was closed without an answer: the server speaks TLS \(https\), not plain HTTP/,
      );
      assert.ok(error.message.endsWith(`use https://127.0.0.1:${port} as baseUrl`), error.message);
      // The first request is the tenant probe's GET (no credential), which is safe to repeat: repeated as the retry
      // policy allows, then one TLS handshake to tell. The create itself is never sent.
      assert.equal(
        selfSigned.connections() - before,
        DEFAULT_RETRY_POLICY.attempts + 1,
        "the probe's attempts, and one TLS handshake to tell",
      );
    });
  });
});

/** A create through the runtime, as Pulumi's provider process runs it; its error, which must not be a lost answer. */
async function createError(baseUrl: string): Promise<Error> {
  const inputs = {
    connection: { baseUrl, apiAccessToken: "token-value" },
    name: "claude",
    redirectUris: ["https://claude.ai/api/mcp/auth_callback"],
  };
  const error = await oauthApplication.create(inputs).catch((e: Error) => e);
  assert.ok(error instanceof Error, "create fails");
  assert.doesNotMatch(error.message, /was lost|may have been created/);
  return error as Error;
}
