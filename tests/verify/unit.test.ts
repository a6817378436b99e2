// The verifier's pure parts: input shapes, URL rules, redaction, reading the tenant's answers, the report,
// the strict URL checks that fail before any network call, and the field's broken tenants, each also shown to
// the MCP SDK's own OAuth client.
import * as assert from "node:assert/strict";
import {
  classifyAuthorizeAnswer,
  clientFinding,
  errorSubject,
  FINDINGS,
  readErrorAnswer,
} from "../../provider/verify/diagnosis";
import { isLoopbackHost, isTenantTokenEndpoint } from "../../provider/domain/urls";
import { SecretRedactor } from "../../provider/verify/redact";
import {
  checkHttps443,
  checkTrailingSlash,
  pathSpecificResourceMetadataUrl,
  urlExtras,
} from "../../provider/verify/url-rules";
import {
  ALL_STEPS,
  connectorsFromJson,
  connectorsFromStackOutputs,
  ConnectorInputError,
  formatReports,
  reportsToJson,
  runCli,
  MCP_CLIENT_PRESETS,
  STEP_IDS,
  stepIdsFor,
  verifyConnector,
  type FetchFn,
} from "../../provider/verify";
import { stepsFor } from "../../provider/verify/steps";
import { captureIo } from "../support/cli-io";
import { FAKE_CLIENT, FAKE_MCP_URL, fakeTenantFetch, type FakeTenantFaults } from "./fake-tenant";
import { expectStatuses, failsAt, stepOf, WITHOUT_LOGIN, type ExpectedStatuses } from "./helpers";
import { sdkClientVerdict, sdkExchangeError } from "./sdk-client";

const one = {
  connectorName: "Alation",
  remoteMcpServerUrl: "https://acme.example.com/ai/mcp/",
  clientId: "id-acme",
  clientSecret: "secret-acme",
};
const two = {
  connectorName: "Alation",
  remoteMcpServerUrl: "https://beta.example.com/ai/mcp/",
  clientId: "id-beta",
  clientSecret: "secret-beta",
};

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
    const [c] = connectorsFromStackOutputs({
      remote_mcp_server_url: one.remoteMcpServerUrl,
      client_id: "x",
      client_secret: "y",
    });
    assert.equal(c.clientSecret, "y");
  });

  it("reads the application's accessTokenExpiry beside the fields or in the exported application", () => {
    assert.equal(connectorsFromStackOutputs({ ...one, accessTokenExpiry: 7200 })[0].accessTokenExpiry, 7200);
    const [inApplication] = connectorsFromStackOutputs({ ...one, application: { accessTokenExpiry: 3600 } });
    assert.equal(inApplication.accessTokenExpiry, 3600);
    assert.equal(connectorsFromStackOutputs(one)[0].accessTokenExpiry, undefined);
    assert.throws(
      () => connectorsFromStackOutputs({ acme: { ...one, access_token_expiry: "soon" } }),
      /acme: accessTokenExpiry is not a positive whole number/,
    );
  });

  it("says that empty input is empty", () => {
    for (const text of ["", "  \n"]) {
      assert.throws(() => connectorsFromJson(text), /stdin is empty: pipe in `pulumi stack output --json --show-secr/);
    }
  });

  it("refuses hidden secrets, missing fields and non-JSON, without quoting the input", () => {
    assert.throws(() => connectorsFromStackOutputs({ ...one, clientSecret: "[secret]" }), /--show-secrets/);
    assert.throws(
      () => connectorsFromStackOutputs({ acme: { ...one, clientId: undefined } }),
      /acme: clientId is missing/,
    );
    assert.throws(() => connectorsFromStackOutputs({ nothing: 1 }), ConnectorInputError);
    assert.throws(
      () => connectorsFromJson('{"clientSecret": "CANARY-raw-json'),
      (e: Error) => e instanceof ConnectorInputError && !e.message.includes("CANARY"),
    );
  });
});

describe("verify: URL rules", () => {
  it("knows loopback hosts", () => {
    for (const host of ["127.0.0.1", "127.1.2.3", "localhost", "[::1]", "a.localhost"])
      assert.ok(isLoopbackHost(host), host);
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
    assert.equal(checkHttps443(new URL("http://127.0.0.1:8080/ai/mcp/"), true).status, "warn");
  });

  it("suggests --emulator for loopback http, a fix that works (not an https loopback URL)", () => {
    const loopback = new URL("http://127.0.0.1:8080/ai/mcp/");
    const verdict = checkHttps443(loopback, false);
    assert.equal(verdict.status, "fail");
    assert.match(verdict.status === "fail" ? verdict.fix : "", /run again with --emulator/);
    assert.doesNotMatch(verdict.status === "fail" ? verdict.fix : "", /https:\/\/127\.0\.0\.1/);
    assert.equal(checkHttps443(loopback, true).status, "warn", "with the suggested --emulator it passes, warning");
  });

  it("names what an MCP URL must not hold, never quoting it", () => {
    assert.equal(urlExtras(new URL("https://t.example.com/ai/mcp/")), undefined);
    assert.equal(urlExtras(new URL("https://u:CANARY@t.example.com/ai/mcp/")), "credentials (user:password@)");
    assert.equal(urlExtras(new URL("https://t.example.com/ai/mcp/?a=CANARY#f")), "a query string and a fragment");
  });

  it("takes the tenant's host's /oauth/v1/token/ as its token endpoint, and nothing else", () => {
    const tenant = "https://acme.alationcloud.com/ai/mcp/";
    for (const endpoint of [
      "https://acme.alationcloud.com/oauth/v1/token/",
      "https://acme.alationcloud.com/oauth/v1/token",
      "http://acme.alationcloud.com:8443/oauth/v1/token/",
    ]) {
      assert.equal(isTenantTokenEndpoint(endpoint, tenant), true, endpoint);
    }
    for (const endpoint of [
      "https://acme.alationcloud.com.example.net/oauth/v1/token/",
      "https://evil.example.net/oauth/v1/token/",
      "https://acme.alationcloud.com/oauth/v2/token/",
      "https://acme.alationcloud.com/token",
      "not a url at all:",
    ]) {
      assert.equal(isTenantTokenEndpoint(endpoint, tenant), false, endpoint);
    }
  });

  it("demands the trailing slash and derives the path-specific metadata URL", () => {
    assert.equal(checkTrailingSlash(new URL("https://t.example.com/ai/mcp/")).status, "pass");
    const verdict = checkTrailingSlash(new URL("https://t.example.com/ai/mcp"));
    assert.equal(verdict.status, "fail");
    assert.match(verdict.status === "fail" ? verdict.fix : "", /https:\/\/t\.example\.com\/ai\/mcp\/$/);
    assert.equal(
      pathSpecificResourceMetadataUrl(new URL("https://t.example.com/ai/mcp/")).href,
      "https://t.example.com/.well-known/oauth-protected-resource/ai/mcp/",
    );
  });
});

describe("verify: redaction", () => {
  it("hides registered secrets, JWTs and credential query parameters", () => {
    const redactor = new SecretRedactor();
    redactor.add("CANARY-s3cret/+=", undefined, "ab");
    const jwt = "eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiIxIn0.c2lnbmF0dXJl";
    const text = redactor.redact(
      `secret CANARY-s3cret/+= or ${encodeURIComponent("CANARY-s3cret/+=")}, token ${jwt}, ` +
        "https://x/cb?code=abc123&state=s, short ab",
    );
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
  const html = (body: string, status = 400) =>
    new Response(`<!doctype html><title>Error</title>${body}`, { status, headers: { "content-type": "text/html" } });

  it("reads OAuth errors from JSON, DRF bodies and HTML error pages", async () => {
    assert.deepEqual(
      await readErrorAnswer(
        new Response(JSON.stringify({ error: "invalid_client", error_description: "nope" }), { status: 401 }),
      ),
      { status: 401, error: "invalid_client", description: "nope" },
    );
    assert.deepEqual(
      await readErrorAnswer(new Response(JSON.stringify({ detail: "Invalid token." }), { status: 403 })),
      { status: 403, error: "Invalid token.", description: undefined },
    );
    assert.deepEqual(await readErrorAnswer(html("<h1>invalid_request</h1><p>Mismatching redirect URI.</p>")), {
      status: 400,
      error: "invalid_request",
      description: "Mismatching redirect URI.",
    });
  });

  it("tells what an error is about and which finding fits", () => {
    assert.equal(errorSubject({ error: "invalid_request", description: "Mismatching redirect URI." }), "redirect");
    assert.equal(errorSubject({ error: "invalid_client", description: "Unknown or inactive client." }), "client");
    assert.equal(errorSubject({ error: "invalid_scope" }), "request");
    assert.equal(
      clientFinding({ error: "invalid_client", description: "Unknown or inactive client." }, false),
      FINDINGS.unknownOrInactiveClient,
    );
    assert.equal(
      clientFinding({ error: "invalid_client", description: "Application is inactive" }, true),
      FINDINGS.inactiveClient,
    );
    assert.equal(
      clientFinding({ error: "invalid_client", description: "Client authentication failed." }, true),
      FINDINGS.wrongSecret,
    );
  });

  it("classifies authorize answers made without a user", async () => {
    const verdict = async (response: Response) => classifyAuthorizeAnswer(response, request, redirectUri);
    assert.equal((await verdict(html("<form>Log in</form>", 200))).verdict, "accepted");
    assert.equal(
      (await verdict(new Response(null, { status: 302, headers: { location: "/login/?next=x" } }))).verdict,
      "accepted",
    );
    assert.equal(
      (
        await verdict(
          new Response(null, { status: 302, headers: { location: `${redirectUri}?error=login_required&state=s` } }),
        )
      ).verdict,
      "accepted",
    );
    assert.equal(
      (await verdict(new Response(null, { status: 401, headers: { "www-authenticate": 'Basic realm="x"' } }))).verdict,
      "accepted",
    );
    const refusedScope = await verdict(
      new Response(null, { status: 302, headers: { location: `${redirectUri}?error=invalid_scope` } }),
    );
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
    const report = await verifyConnector(
      { ...one, remoteMcpServerUrl: "http://acme.example.com/ai/mcp/" },
      { fetch: network.fetch, emulator: true, login: true },
    );
    expectStatuses(report, onlyUrlFails);
    assert.match(report.steps[0].cause ?? "", /https only/);
    assert.match(report.steps[0].fix ?? "", /https:\/\/acme\.example\.com\/ai\/mcp\//);
    assert.deepEqual(network.calls, []);
    assert.equal(report.ok, false);
  });

  it("fails an https URL on another port than 443 at mcp-url", async () => {
    const network = noNetwork();
    const report = await verifyConnector(
      { ...one, remoteMcpServerUrl: "https://acme.example.com:8443/ai/mcp/" },
      { fetch: network.fetch },
    );
    expectStatuses(report, onlyUrlFails);
    assert.match(report.steps[0].cause ?? "", /port 443/);
    assert.deepEqual(network.calls, []);
  });

  it("fails loopback http outside emulator mode, and a value that is not a URL", async () => {
    const network = noNetwork();
    for (const url of ["http://127.0.0.1:9/ai/mcp/", "not a url"]) {
      expectStatuses(
        await verifyConnector({ ...one, remoteMcpServerUrl: url }, { fetch: network.fetch }),
        onlyUrlFails,
      );
    }
    assert.deepEqual(network.calls, []);
  });

  it("runs each step once, after every step it needs, for every client (the table of steps orders them)", () => {
    for (const key of [...MCP_CLIENT_PRESETS, "custom"]) {
      const ids = stepIdsFor(key);
      assert.equal(new Set(ids).size, ids.length, `${key}: each step once`);
      for (const step of stepsFor(key)) {
        for (const need of step.needs ?? []) {
          assert.ok(
            ids.indexOf(need) >= 0 && ids.indexOf(need) < ids.indexOf(step.id),
            `${key}: ${step.id} needs ${need}`,
          );
        }
      }
    }
    assert.deepEqual(
      ALL_STEPS.map((step) => step.id),
      [...STEP_IDS],
    );
  });
});

describe("verify: report and CLI usage", () => {
  it("prints one line per step with cause and fix, and JSON with ok", async () => {
    const report = await verifyConnector(
      { ...one, remoteMcpServerUrl: "https://acme.example.com:8443/ai/mcp/" },
      { fetch: noNetwork().fetch },
    );
    const text = formatReports([report]);
    assert.equal(text.split("\n").filter((line) => /^ {2}(PASS|WARN|FAIL|SKIP) /.test(line)).length, STEP_IDS.length);
    assert.match(text, /FAIL {2}mcp-url .*\n {8}cause: .*\n {8}fix: {3}/);
    assert.ok(!text.includes("secret-acme"));
    const json = JSON.parse(reportsToJson([report]));
    assert.equal(json.ok, false);
    assert.equal(json.connectors[0].steps.length, STEP_IDS.length);
  });

  it("fails an MCP URL that holds credentials or a query at mcp-url, and never prints them", async () => {
    const urls = ["https://u:CANARY-pw@acme.example.com/ai/mcp/?t=CANARY", "https://acme.example.com/ai/mcp/#CANARY"];
    for (const url of urls) {
      const network = noNetwork();
      const report = await verifyConnector({ ...one, remoteMcpServerUrl: url }, { fetch: network.fetch });
      expectStatuses(report, failsAt("mcp-url"));
      assert.match(stepOf(report, "mcp-url").cause ?? "", /holds (credentials|a fragment)/);
      assert.deepEqual(network.calls, []);
      const printed = formatReports([report]) + reportsToJson([report]);
      assert.ok(!printed.includes("CANARY"), printed);
    }
  });

  it("answers bad usage with one line and where the usage is, exit status 2", async () => {
    const cases: Array<[string[], RegExp]> = [
      [[], /the command is `alation-connector verify`/],
      [["check"], /the command is/],
      [["verify", "--mcp-url", "https://a.example.com/ai/mcp/"], /--client-id is missing/],
      [["verify", "--mcp-url", "https://a.example.com/ai/mcp/", "--client-id", "x"], /the client secret is missing/],
      [["verify", "--bogus"], /Unknown option '--bogus'$/],
      [["verify", "--timeout-ms", "soon"], /--timeout-ms takes a whole number/],
      [["verify", "--callback-port", "70000"], /--callback-port takes a whole number from 0 to 65535/],
      [["verify"], /give --mcp-url, --client-id and a client secret, or pipe the stack outputs in/],
    ];
    for (const [argv, message] of cases) {
      const io = captureIo({ stdinIsTTY: true });
      assert.equal(await runCli(argv, io), 2, argv.join(" "));
      const lines = io.err().trimEnd().split("\n");
      assert.equal(lines.length, 2, io.err());
      assert.match(lines[0], message);
      assert.match(lines[0], /^alation-connector: /);
      assert.equal(lines[1], "alation-connector verify --help for usage");
    }
    const help = captureIo();
    assert.equal(await runCli(["--help"], help), 0);
    assert.match(help.out(), /--login/);
    assert.match(help.out(), /--callback-port N {9}the port of that redirect URI \(default 38271\)/);
  });

  it("says that empty stdin is empty", async () => {
    const io = captureIo({ stdin: "\n" });
    assert.equal(await runCli(["verify"], io), 2);
    assert.match(io.err(), /^alation-connector: stdin is empty/);
  });

  it("refuses credentials, a query or a fragment in --mcp-url rather than strip them, never quoting them", async () => {
    const urls = [
      "https://admin:CANARY-pw@acme.example.com/ai/mcp/",
      "https://acme.example.com/ai/mcp/?token=CANARY-q",
      "https://acme.example.com/ai/mcp/#CANARY",
    ];
    for (const url of urls) {
      const io = captureIo({ env: { ALATION_CONNECTOR_CLIENT_SECRET: "s3cret" } });
      assert.equal(await runCli(["verify", "--mcp-url", url, "--client-id", "x"], io), 2, url);
      assert.match(io.err(), /^alation-connector: --mcp-url holds (credentials|a query string|a fragment)/);
      assert.equal(io.out(), "", "nothing was verified");
      assert.ok(!io.err().includes("CANARY"), io.err());
    }
  });

  it("exits 1 with a failed step and takes the secret from the environment", async () => {
    const io = captureIo({ env: { ALATION_CONNECTOR_CLIENT_SECRET: "CANARY-env-secret" } });
    const status = await runCli(
      ["verify", "--mcp-url", "http://acme.example.com/ai/mcp/", "--client-id", "x", "--json"],
      io,
    );
    assert.equal(status, 1);
    assert.equal(JSON.parse(io.out()).connectors[0].steps[0].status, "fail");
    assert.ok(!io.out().includes("CANARY"));
  });

  it("takes a client id that starts with a dash (base64url ids may) as the value of --client-id", async () => {
    const io = captureIo({ env: { ALATION_CONNECTOR_CLIENT_SECRET: "s3cret" } });
    const status = await runCli(
      ["verify", "--mcp-url", "http://acme.example.com/ai/mcp/", "--client-id", "-Xy_1", "--json"],
      io,
    );
    assert.equal(status, 1, "parsed and verified (and failed on the http URL), not refused as usage");
    assert.equal(JSON.parse(io.out()).connectors[0].clientId, "-Xy_1");
  });

  it("reads many tenants from stdin", async () => {
    const http = (c: typeof one) => ({ ...c, remoteMcpServerUrl: c.remoteMcpServerUrl.replace("https", "http") });
    const io = captureIo({ stdin: JSON.stringify({ tenants: { acme: http(one), beta: http(two) } }) });
    assert.equal(await runCli(["verify", "--json"], io), 1);
    assert.deepEqual(
      JSON.parse(io.out()).connectors.map((c: { name: string }) => c.name),
      ["tenants.acme", "tenants.beta"],
    );
    assert.ok(!io.out().includes(one.clientSecret) && !io.out().includes(two.clientSecret));
  });
});

describe("verify: the field's broken servers (a fake tenant on https, no socket)", () => {
  const input = { remoteMcpServerUrl: FAKE_MCP_URL, ...FAKE_CLIENT };
  const verify = (faults: FakeTenantFaults) => verifyConnector(input, { fetch: fakeTenantFetch(faults).fetch });
  const sdk = (faults: FakeTenantFaults) => sdkClientVerdict(FAKE_MCP_URL, fakeTenantFetch(faults).fetch, FAKE_CLIENT);
  /** Every step fine, no login asked for. */
  const FINE: ExpectedStatuses = { default: "pass", ...WITHOUT_LOGIN };

  it("passes a well-behaved https tenant, warning that the flag and the login were not checked", async () => {
    const report = await verify({});
    expectStatuses(report, FINE);
    assert.equal(report.ok, true);
    const login = stepOf(report, "login");
    assert.match(login.cause ?? "", /not checked without --login: the JWT flag \(alation\.feature_flags\.enable_jwt/);
    assert.match(login.fix ?? "", /run again with --login/);
    assert.match(formatReports([report]), /WARN {2}login +user logs in/);
    assert.equal((await sdk({})).verdict, "proceeds", "the SDK client gets as far as the login too");
  });

  it("fails a 307 on the MCP URL at mcp-no-redirect, naming where it points", async () => {
    const report = await verify({ mcpRedirect: true });
    expectStatuses(report, failsAt("mcp-no-redirect", { "mcp-url-without-slash": "fail" }));
    assert.match(
      stepOf(report, "mcp-no-redirect").cause ?? "",
      /307 redirect from https:\/\/tenant\.example\.com\/ai\/mcp\/ to https:\/\/tenant\.example\.com\/ai\/mcp\/v2\//,
    );
  });

  it("fails a relative resource_metadata at resource-metadata-url", async () => {
    const report = await verify({ relativeResourceMetadata: true });
    expectStatuses(report, failsAt("resource-metadata-url", { "path-specific-resource-metadata": "pass" }));
    assert.match(stepOf(report, "resource-metadata-url").cause ?? "", /not an absolute URL/);
  });

  it("fails root-only protected resource metadata at path-specific-resource-metadata, and nothing else", async () => {
    const report = await verify({ rootMetadataOnly: true });
    expectStatuses(report, { ...FINE, "path-specific-resource-metadata": "fail" });
    assert.match(stepOf(report, "path-specific-resource-metadata").cause ?? "", /only the root/);
  });

  it("fails an unreachable host at mcp-reachable, and bounds a silent one by the timeout", async () => {
    const unreachable = await verifyConnector(
      { ...input, remoteMcpServerUrl: "https://elsewhere.example.com/ai/mcp/" },
      { fetch: fakeTenantFetch().fetch },
    );
    expectStatuses(unreachable, failsAt("mcp-reachable"));
    assert.match(stepOf(unreachable, "mcp-reachable").cause ?? "", /MCP URL is reachable: cannot connect/);
    const silent: FetchFn = (_url, init) =>
      new Promise((_resolve, reject) => init?.signal?.addEventListener("abort", () => reject(init.signal?.reason)));
    const started = Date.now();
    const timedOut = await verifyConnector(input, { fetch: silent, timeoutMs: 100 });
    assert.ok(Date.now() - started < 2000);
    expectStatuses(timedOut, failsAt("mcp-reachable"));
    assert.match(stepOf(timedOut, "mcp-reachable").cause ?? "", /no answer within 100 ms/);
  });

  describe("where the MCP SDK's own OAuth client refuses the tenant, verify fails at the matching step", () => {
    const cases: Array<{ what: string; faults: FakeTenantFaults; expected: ExpectedStatuses; cause: RegExp }> = [
      {
        what: "a resource that is not this MCP URL (RFC 9728 section 3.3)",
        faults: { resource: "https://tenant.example.com/ai/mcp/other/" },
        expected: failsAt("protected-resource-metadata", { "path-specific-resource-metadata": "pass" }),
        cause: /resource https:\/\/tenant\.example\.com\/ai\/mcp\/other\/ is not this MCP URL .*RFC 9728 3\.3/,
      },
      {
        what: "a resource on another origin",
        faults: { resource: "https://elsewhere.example.com/ai/mcp/" },
        expected: failsAt("protected-resource-metadata", { "path-specific-resource-metadata": "pass" }),
        cause: /is not this MCP URL/,
      },
      {
        what: "an authorize endpoint with a javascript: URL",
        faults: { authorizationServerMetadata: { authorization_endpoint: "javascript:alert(1)" } },
        expected: failsAt("authorization-server-metadata"),
        cause: /MCP clients refuse the authorization server metadata .*authorization_endpoint: URL cannot use java/,
      },
      {
        what: "metadata without a token endpoint",
        faults: { authorizationServerMetadata: { token_endpoint: undefined } },
        expected: failsAt("authorization-server-metadata"),
        cause: /token_endpoint/,
      },
      {
        what: "no response type code",
        faults: { authorizationServerMetadata: { response_types_supported: ["token"] } },
        expected: failsAt("authorization-code-grant", { "pkce-s256": "pass" }),
        cause: /response types token/,
      },
      {
        what: "PKCE without S256",
        faults: { authorizationServerMetadata: { code_challenge_methods_supported: ["plain"] } },
        expected: failsAt("pkce-s256"),
        cause: /code_challenge_methods_supported is plain; MCP clients refuse to log in without S256/,
      },
    ];
    for (const { what, faults, expected, cause } of cases) {
      it(what, async () => {
        const report = await verify(faults);
        const failed = report.steps.find((step) => step.status === "fail");
        expectStatuses(report, expected);
        assert.match(failed?.cause ?? "", cause);
        const reference = await sdk(faults);
        assert.equal(reference.verdict, "refuses", `the SDK client proceeded where verify failed at ${failed?.id}`);
      });
    }
  });

  describe("where the SDK proceeds but Claude is known to fail, verify fails and cites the report", () => {
    const cases: Array<{ what: string; faults: FakeTenantFaults; expected: ExpectedStatuses; cause: RegExp }> = [
      {
        what: "no protected resource metadata: the SDK falls back to the origin, Claude no longer does",
        faults: { noResourceMetadata: true },
        expected: failsAt("protected-resource-metadata", { "path-specific-resource-metadata": "fail" }),
        cause: new RegExp(
          "answers HTTP 404; Claude finds the authorization server only through this metadata " +
            '\\(anthropics/claude-ai-mcp, announcement "Deprecation of auth_server_metadata discovery fallback"\\)',
        ),
      },
      {
        what: "nested authorization_servers: the SDK ignores the metadata and falls back, Claude does not",
        faults: { nestedAuthorizationServers: true },
        expected: failsAt("authorization-servers"),
        cause: /nested array, not a flat array of strings: MCP clients ignore such metadata, and Claude has no fall/,
      },
      {
        what: "no code_challenge_methods_supported: the SDK logs in anyway, the MCP spec Claude follows says refuse",
        faults: { authorizationServerMetadata: { code_challenge_methods_supported: undefined } },
        expected: failsAt("pkce-s256"),
        cause: /advertises no code_challenge_methods_supported; the MCP authorization spec \(2025-11-25\)/,
      },
    ];
    for (const { what, faults, expected, cause } of cases) {
      it(what, async () => {
        const report = await verify(faults);
        expectStatuses(report, expected);
        assert.match(report.steps.find((step) => step.status === "fail")?.cause ?? "", cause);
        assert.equal((await sdk(faults)).verdict, "proceeds", "the SDK refused: the step can say so, not cite Claude");
      });
    }

    it("a token endpoint taking Basic only: the SDK sends Basic, Claude client_secret_post (issue 667)", async () => {
      const faults = { basicOnlyTokenEndpoint: true };
      const report = await verify(faults);
      expectStatuses(report, { ...failsAt("client-secret-post"), "client-secret": "pass" });
      assert.match(stepOf(report, "client-secret").detail ?? "", /only sent as HTTP Basic/);
      const cause = stepOf(report, "client-secret-post").cause ?? "";
      assert.match(cause, /never falls back to Basic \(anthropics\/claude-ai-mcp issue 667\)/);
      const reference = await sdk(faults);
      assert.ok(reference.verdict === "proceeds");
      assert.equal(await sdkExchangeError(reference), "invalid_grant", "the SDK's client authenticated, not the code");
    });
  });

  it("warns when client_secret_post works but the metadata does not advertise it", async () => {
    const metadata = { token_endpoint_auth_methods_supported: ["client_secret_basic"] };
    const report = await verify({ authorizationServerMetadata: metadata });
    expectStatuses(report, { ...FINE, "client-secret-post": "warn" });
  });

  it("warns when the resource merely encloses the MCP URL, which the SDK accepts", async () => {
    const faults = { resource: "https://tenant.example.com/" };
    const report = await verify(faults);
    expectStatuses(report, { ...FINE, "protected-resource-metadata": "warn" });
    assert.equal((await sdk(faults)).verdict, "proceeds");
  });

  it("sends the client secret to no token endpoint but the tenant's: another host or path fails before", async () => {
    for (const tokenEndpoint of [
      "https://collector.example.net/oauth/v1/token/",
      `${new URL(FAKE_MCP_URL).origin}/o/t/`,
    ]) {
      const tenant = fakeTenantFetch({ authorizationServerMetadata: { token_endpoint: tokenEndpoint } });
      const report = await verifyConnector(input, { fetch: tenant.fetch });
      expectStatuses(report, {
        ...FINE,
        "token-endpoint-tenant": "fail",
        "client-secret": "skip",
        "client-secret-post": "skip",
        login: "skip",
      });
      assert.equal(report.ok, false);
      const step = stepOf(report, "token-endpoint-tenant");
      assert.equal(
        step.cause,
        `the token endpoint ${tokenEndpoint} is not tenant.example.com's /oauth/v1/token/, where an Alation tenant ` +
          "serves it: the client secret was not sent to it, and the steps that send it were not run",
      );
      assert.deepEqual(
        tenant.calls.filter((call) => !call.startsWith("GET ") && !call.startsWith("POST /ai/mcp")),
        [],
        "a request that could carry the secret",
      );
    }
  });

  it("fails a wrong secret at client-secret, saying that the connector must be re-added (issue 1000)", async () => {
    const wrong = { ...input, clientSecret: "CANARY-wrong" };
    const report = await verifyConnector(wrong, { fetch: fakeTenantFetch().fetch });
    expectStatuses(report, failsAt("client-secret"));
    const fix = stepOf(report, "client-secret").fix ?? "";
    assert.match(fix, /credentials cannot be edited \(anthropics\/claude-ai-mcp issue 1000\): remove the connector/);
    assert.ok(!formatReports([report]).includes("CANARY"));
  });
});
