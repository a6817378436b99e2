// The verifier's pure parts: input shapes, URL rules, redaction, reading the tenant's answers, the report,
// and the strict URL checks that fail before any network call.
import * as assert from "node:assert/strict";
import { classifyAuthorizeAnswer, clientFinding, errorSubject, FINDINGS, readErrorAnswer } from "../../provider/verify/diagnosis";
import { SecretRedactor } from "../../provider/verify/redact";
import { checkHttps443, checkTrailingSlash, isLoopbackHost, pathSpecificResourceMetadataUrl } from "../../provider/verify/url-rules";
import {
  ALL_STEPS,
  connectorsFromJson,
  connectorsFromStackOutputs,
  ConnectorInputError,
  formatReports,
  reportsToJson,
  runCli,
  STEP_IDS,
  verifyConnector,
  type FetchFn,
} from "../../provider/verify";
import { FAKE_MCP_URL, fakeTenantFetch } from "./fake-tenant";
import { captureIo, expectStatuses, failsAt, stepOf } from "./helpers";

const one = { connectorName: "Alation", remoteMcpServerUrl: "https://acme.example.com/ai/mcp/", clientId: "id-acme", clientSecret: "secret-acme" };
const two = { connectorName: "Alation", remoteMcpServerUrl: "https://beta.example.com/ai/mcp/", clientId: "id-beta", clientSecret: "secret-beta" };

/** A fetch that must never be called. */
function noNetwork(): { fetch: FetchFn; calls: string[] } {
  const calls: string[] = [];
  return {
    calls,
    fetch: async (url) => {
      calls.push(String(url));
      throw new Error("no network call was expected");
    },
  };
}

describe("verify: stack outputs as input", () => {
  it("reads one tenant's four fields", () => {
    assert.deepEqual(connectorsFromStackOutputs(one), [{ name: "Alation", ...one }]);
  });

  it("reads many tenants under `tenants`, under top-level keys, and in arrays", () => {
    const names = (outputs: unknown) => connectorsFromStackOutputs(outputs).map((c) => `${c.name}:${c.clientId}`);
    assert.deepEqual(names({ tenants: { acme: one, beta: two } }), ["tenants.acme:id-acme", "tenants.beta:id-beta"]);
    assert.deepEqual(names({ acme: one, beta: two, somethingElse: 3 }), ["acme:id-acme", "beta:id-beta"]);
    assert.deepEqual(names([one, two]), ["0:id-acme", "1:id-beta"]);
    assert.deepEqual(names({ tenants: [one, two] }), ["tenants.0:id-acme", "tenants.1:id-beta"]);
  });

  it("accepts snake_case fields", () => {
    const [c] = connectorsFromStackOutputs({ remote_mcp_server_url: one.remoteMcpServerUrl, client_id: "x", client_secret: "y" });
    assert.equal(c.clientSecret, "y");
  });

  it("refuses hidden secrets, missing fields and non-JSON, without quoting the input", () => {
    assert.throws(() => connectorsFromStackOutputs({ ...one, clientSecret: "[secret]" }), /--show-secrets/);
    assert.throws(() => connectorsFromStackOutputs({ acme: { ...one, clientId: undefined } }), /acme: clientId is missing/);
    assert.throws(() => connectorsFromStackOutputs({ nothing: 1 }), ConnectorInputError);
    assert.throws(() => connectorsFromJson('{"clientSecret": "CANARY-raw-json'), (e: Error) => e instanceof ConnectorInputError && !e.message.includes("CANARY"));
  });
});

describe("verify: URL rules", () => {
  it("knows loopback hosts", () => {
    for (const host of ["127.0.0.1", "127.1.2.3", "localhost", "[::1]", "a.localhost"]) assert.ok(isLoopbackHost(host), host);
    for (const host of ["10.0.0.1", "example.com", "127.0.0.1.example.com"]) assert.ok(!isLoopbackHost(host), host);
  });

  it("demands https on 443, and tolerates loopback only in emulator mode, with a warning", () => {
    assert.equal(checkHttps443(new URL("https://t.example.com/ai/mcp/"), false).status, "pass");
    assert.equal(checkHttps443(new URL("https://t.example.com:443/ai/mcp/"), false).status, "pass");
    const port = checkHttps443(new URL("https://t.example.com:8443/ai/mcp/"), true);
    assert.equal(port.status, "fail");
    assert.match(port.status === "fail" ? port.cause : "", /port 443/);
    const http = checkHttps443(new URL("http://t.example.com/ai/mcp/"), true);
    assert.equal(http.status, "fail");
    assert.match(http.status === "fail" ? http.fix : "", /https:\/\/t\.example\.com\/ai\/mcp\//);
    assert.equal(checkHttps443(new URL("http://127.0.0.1:8080/ai/mcp/"), false).status, "fail");
    assert.equal(checkHttps443(new URL("http://127.0.0.1:8080/ai/mcp/"), true).status, "warn");
  });

  it("demands the trailing slash and derives the path-specific metadata URL", () => {
    assert.equal(checkTrailingSlash(new URL("https://t.example.com/ai/mcp/")).status, "pass");
    const verdict = checkTrailingSlash(new URL("https://t.example.com/ai/mcp"));
    assert.equal(verdict.status, "fail");
    assert.match(verdict.status === "fail" ? verdict.fix : "", /https:\/\/t\.example\.com\/ai\/mcp\/$/);
    assert.equal(pathSpecificResourceMetadataUrl(new URL("https://t.example.com/ai/mcp/")).href, "https://t.example.com/.well-known/oauth-protected-resource/ai/mcp/");
  });
});

describe("verify: redaction", () => {
  it("hides registered secrets, JWTs and credential query parameters", () => {
    const redactor = new SecretRedactor();
    redactor.add("CANARY-s3cret/+=", undefined, "ab");
    const jwt = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl";
    const text = redactor.redact(`secret CANARY-s3cret/+= or ${encodeURIComponent("CANARY-s3cret/+=")}, token ${jwt}, https://x/cb?code=abc123&state=s, short ab`);
    assert.ok(!text.includes("CANARY"), text);
    assert.ok(!text.includes(jwt), text);
    assert.ok(!text.includes("abc123"), text);
    assert.match(text, /state=s/);
    assert.match(text, /short ab/, "values shorter than 4 characters are not registered");
  });
});

describe("verify: reading the tenant's answers", () => {
  const redirectUri = "https://claude.ai/api/mcp/auth_callback";
  const request = new URL("https://t.example.com/oauth/v1/authorize/?client_id=x");
  const html = (body: string, status = 400) => new Response(`<!doctype html><title>Error</title>${body}`, { status, headers: { "content-type": "text/html" } });

  it("reads OAuth errors from JSON, DRF bodies and HTML error pages", async () => {
    assert.deepEqual(await readErrorAnswer(new Response(JSON.stringify({ error: "invalid_client", error_description: "nope" }), { status: 401 })), { status: 401, error: "invalid_client", description: "nope" });
    assert.deepEqual(await readErrorAnswer(new Response(JSON.stringify({ detail: "Invalid token." }), { status: 403 })), { status: 403, error: "Invalid token.", description: undefined });
    assert.deepEqual(await readErrorAnswer(html("<h1>invalid_request</h1><p>Mismatching redirect URI.</p>")), { status: 400, error: "invalid_request", description: "Mismatching redirect URI." });
  });

  it("tells what an error is about and which finding fits", () => {
    assert.equal(errorSubject({ error: "invalid_request", description: "Mismatching redirect URI." }), "redirect");
    assert.equal(errorSubject({ error: "invalid_client", description: "Unknown or inactive client." }), "client");
    assert.equal(errorSubject({ error: "invalid_scope" }), "request");
    assert.equal(clientFinding({ error: "invalid_client", description: "Unknown or inactive client." }, false), FINDINGS.unknownOrInactiveClient);
    assert.equal(clientFinding({ error: "invalid_client", description: "Application is inactive" }, true), FINDINGS.inactiveClient);
    assert.equal(clientFinding({ error: "invalid_client", description: "Client authentication failed." }, true), FINDINGS.wrongSecret);
  });

  it("classifies authorize answers made without a user", async () => {
    const verdict = async (response: Response) => classifyAuthorizeAnswer(response, request, redirectUri);
    assert.equal((await verdict(html("<form>Log in</form>", 200))).verdict, "accepted");
    assert.equal((await verdict(new Response(null, { status: 302, headers: { location: "/login/?next=x" } }))).verdict, "accepted");
    assert.equal((await verdict(new Response(null, { status: 302, headers: { location: `${redirectUri}?error=login_required&state=s` } }))).verdict, "accepted");
    assert.equal((await verdict(new Response(null, { status: 401, headers: { "www-authenticate": 'Basic realm="x"' } }))).verdict, "accepted");
    const refusedScope = await verdict(new Response(null, { status: 302, headers: { location: `${redirectUri}?error=invalid_scope` } }));
    assert.ok(refusedScope.verdict === "refused" && refusedScope.subject === "request");
    const refusedRedirect = await verdict(html("<h1>invalid_request</h1><p>Mismatching redirect URI.</p>"));
    assert.ok(refusedRedirect.verdict === "refused" && refusedRedirect.subject === "redirect");
    const refusedClient = await verdict(html("<h1>invalid_client</h1><p>Unknown or inactive client.</p>"));
    assert.ok(refusedClient.verdict === "refused" && refusedClient.subject === "client");
  });
});

describe("verify: strict URL checks, before any network call", () => {
  const onlyUrlFails = failsAt("mcp-url");

  it("fails an http URL on a real host at mcp-url, and skips the rest", async () => {
    const network = noNetwork();
    const report = await verifyConnector({ ...one, remoteMcpServerUrl: "http://acme.example.com/ai/mcp/" }, { fetch: network.fetch, emulator: true, login: true });
    expectStatuses(report, onlyUrlFails);
    assert.match(report.steps[0].cause ?? "", /https only/);
    assert.match(report.steps[0].fix ?? "", /https:\/\/acme\.example\.com\/ai\/mcp\//);
    assert.deepEqual(network.calls, []);
    assert.equal(report.ok, false);
  });

  it("fails an https URL on another port than 443 at mcp-url", async () => {
    const network = noNetwork();
    const report = await verifyConnector({ ...one, remoteMcpServerUrl: "https://acme.example.com:8443/ai/mcp/" }, { fetch: network.fetch });
    expectStatuses(report, onlyUrlFails);
    assert.match(report.steps[0].cause ?? "", /port 443/);
    assert.deepEqual(network.calls, []);
  });

  it("fails loopback http outside emulator mode, and a value that is not a URL", async () => {
    const network = noNetwork();
    for (const url of ["http://127.0.0.1:9/ai/mcp/", "not a url"]) {
      expectStatuses(await verifyConnector({ ...one, remoteMcpServerUrl: url }, { fetch: network.fetch }), onlyUrlFails);
    }
    assert.deepEqual(network.calls, []);
  });

  it("runs the steps in the order of STEP_IDS", () => {
    assert.deepEqual(ALL_STEPS.map((step) => step.id), [...STEP_IDS]);
  });
});

describe("verify: report and CLI usage", () => {
  it("prints one line per step with cause and fix, and JSON with ok", async () => {
    const report = await verifyConnector({ ...one, remoteMcpServerUrl: "https://acme.example.com:8443/ai/mcp/" }, { fetch: noNetwork().fetch });
    const text = formatReports([report]);
    assert.equal(text.split("\n").filter((line) => /^ {2}(PASS|WARN|FAIL|SKIP) /.test(line)).length, STEP_IDS.length);
    assert.match(text, /FAIL {2}mcp-url .*\n {8}cause: .*\n {8}fix: {3}/);
    assert.ok(!text.includes("secret-acme"));
    const json = JSON.parse(reportsToJson([report]));
    assert.equal(json.ok, false);
    assert.equal(json.connectors[0].steps.length, STEP_IDS.length);
  });

  it("never prints credentials pasted into the MCP URL", async () => {
    for (const url of ["https://user:CANARY-pw@acme.example.com:8443/ai/mcp?token=CANARY-q", "http://user:CANARY-pw@acme.example.com/ai/mcp/#CANARY-f"]) {
      const report = await verifyConnector({ ...one, remoteMcpServerUrl: url }, { fetch: noNetwork().fetch });
      const printed = formatReports([report]) + reportsToJson([report]);
      assert.ok(!printed.includes("CANARY"), printed);
    }
  });

  it("answers bad usage with exit status 2", async () => {
    const cases: string[][] = [[], ["check"], ["verify", "--mcp-url", "https://a.example.com/ai/mcp/"], ["verify", "--mcp-url", "https://a.example.com/ai/mcp/", "--client-id", "x"], ["verify", "--bogus"], ["verify", "--timeout-ms", "soon"]];
    for (const argv of cases) {
      const io = captureIo({ stdinIsTTY: true });
      assert.equal(await runCli(argv, io), 2, argv.join(" "));
      assert.match(io.err(), /Usage: alation-connector verify/);
    }
    const help = captureIo();
    assert.equal(await runCli(["--help"], help), 0);
    assert.match(help.out(), /--login/);
  });

  it("exits 1 with a failed step and takes the secret from the environment", async () => {
    const io = captureIo({ env: { ALATION_CONNECTOR_CLIENT_SECRET: "CANARY-env-secret" } });
    const status = await runCli(["verify", "--mcp-url", "http://acme.example.com/ai/mcp/", "--client-id", "x", "--json"], io);
    assert.equal(status, 1);
    assert.equal(JSON.parse(io.out()).connectors[0].steps[0].status, "fail");
    assert.ok(!io.out().includes("CANARY"));
  });

  it("reads many tenants from stdin", async () => {
    const http = (c: typeof one) => ({ ...c, remoteMcpServerUrl: c.remoteMcpServerUrl.replace("https", "http") });
    const io = captureIo({ stdin: JSON.stringify({ tenants: { acme: http(one), beta: http(two) } }) });
    assert.equal(await runCli(["verify", "--json"], io), 1);
    assert.deepEqual(JSON.parse(io.out()).connectors.map((c: { name: string }) => c.name), ["tenants.acme", "tenants.beta"]);
    assert.ok(!io.out().includes("secret-"));
  });
});

describe("verify: the field's broken servers (a fake tenant on https, no socket)", () => {
  const input = { remoteMcpServerUrl: FAKE_MCP_URL, clientId: "fake-client", clientSecret: "CANARY-fake-secret" };
  const LOGIN_STEPS = { login: "skip", "token-exchange": "skip", "access-token-jwt": "skip", "access-token-signature": "skip", "mcp-initialize": "skip", "mcp-tools-list": "skip", "refresh-token": "skip" } as const;

  it("passes a well-behaved https tenant without emulator mode (login not requested)", async () => {
    const tenant = fakeTenantFetch();
    const report = await verifyConnector(input, { fetch: tenant.fetch });
    expectStatuses(report, { default: "pass", ...LOGIN_STEPS });
    assert.equal(report.ok, true);
    assert.match(stepOf(report, "login").detail ?? "", /--login/);
  });

  it("fails a 307 on the MCP URL at mcp-no-redirect, naming where it points", async () => {
    const report = await verifyConnector(input, { fetch: fakeTenantFetch({ mcpRedirect: true }).fetch });
    expectStatuses(report, failsAt("mcp-no-redirect"));
    assert.match(stepOf(report, "mcp-no-redirect").cause ?? "", /307 redirect from https:\/\/tenant\.example\.com\/ai\/mcp\/ to https:\/\/tenant\.example\.com\/ai\/mcp\/v2\//);
  });

  it("fails a relative resource_metadata at resource-metadata-url", async () => {
    const report = await verifyConnector(input, { fetch: fakeTenantFetch({ relativeResourceMetadata: true }).fetch });
    expectStatuses(report, failsAt("resource-metadata-url", { "path-specific-resource-metadata": "pass" }));
    assert.match(stepOf(report, "resource-metadata-url").cause ?? "", /not an absolute URL/);
  });

  it("fails root-only protected resource metadata at path-specific-resource-metadata, and nothing else", async () => {
    const report = await verifyConnector(input, { fetch: fakeTenantFetch({ rootMetadataOnly: true }).fetch });
    expectStatuses(report, { default: "pass", ...LOGIN_STEPS, "path-specific-resource-metadata": "fail" });
    assert.match(stepOf(report, "path-specific-resource-metadata").cause ?? "", /only the root/);
  });

  it("fails nested authorization_servers at authorization-servers", async () => {
    const report = await verifyConnector(input, { fetch: fakeTenantFetch({ nestedAuthorizationServers: true }).fetch });
    expectStatuses(report, failsAt("authorization-servers"));
    assert.match(stepOf(report, "authorization-servers").cause ?? "", /nested array/);
  });

  it("fails an unreachable host with a network cause, and bounds a silent one by the timeout", async () => {
    const unreachable = await verifyConnector({ ...input, remoteMcpServerUrl: "https://elsewhere.example.com/ai/mcp/" }, { fetch: fakeTenantFetch().fetch });
    expectStatuses(unreachable, failsAt("mcp-no-redirect"));
    assert.match(stepOf(unreachable, "mcp-no-redirect").cause ?? "", /cannot connect/);
    const silent: FetchFn = (_url, init) => new Promise((_resolve, reject) => init?.signal?.addEventListener("abort", () => reject(init.signal?.reason)));
    const started = Date.now();
    const timedOut = await verifyConnector(input, { fetch: silent, timeoutMs: 100 });
    assert.ok(Date.now() - started < 2000);
    assert.match(stepOf(timedOut, "mcp-no-redirect").cause ?? "", /no answer within 100 ms/);
  });
});
