// The README's Troubleshooting table quotes what the code prints: each failure below is produced for real (against
// the emulator, small stand-in servers, the runtime as Pulumi's provider process runs it, and the component under
// Pulumi's mocks), and every message the table quotes (in backticks; `...` stands for any text, and a quote that
// does not start or end with `...` must start or end the message) must match one of them; and each failure produced
// here must be quoted by the table.
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { AlationClaudeConnector, type AlationClaudeConnectorArgs } from "../../provider";
import { AlationClient, closeHttpPools } from "../../provider/alation";
import { requireOptionalPeer } from "../../provider/peers/optional";
import { oauthApplication } from "../../provider/runtime";
import { verifyConnector } from "../../provider/verify";
import { ADMIN_TOKEN, CLIENTS_PATH, startTestTenant, type TestTenant } from "../support/test-tenant";
import { guideApplication, guideClient } from "../support/connector-guide";
import { json, startScriptedServer } from "../support/scripted-http";
import { hasOpenssl, makeTlsMaterial, startTlsTenant } from "../support/tls-tenants";
import { freePort } from "../support/ports";

const README = path.resolve(__dirname, "..", "..", "README.md");
const CLAUDE_CALLBACK = "https://claude.ai/api/mcp/auth_callback";

/** The quoted messages of the Troubleshooting table's first column. */
export function troubleshootingQuotes(markdown: string): string[] {
  const section = markdown.split(/^## Troubleshooting$/m)[1]?.split(/^## /m)[0];
  if (!section) throw new Error("README.md has no Troubleshooting section");
  const rows = section.split("\n").filter((line) => line.startsWith("|") && !/^\|\s*(message|-+)\s*\|/.test(line));
  return rows.flatMap((row) => [...row.split("|")[1].matchAll(/`([^`]+)`/g)].map((match) => match[1]));
}

/** The quote as a regular expression: `...` (and the spaces around it) is any text; the ends are anchored. */
export function quotePattern(quote: string): RegExp {
  const parts = quote.split(/\s*\.\.\.\s*/).map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
  return new RegExp(`^${parts.join("[\\s\\S]*")}$`);
}

/** Runs `produce`, which must fail; its message. */
async function failureOf(produce: () => unknown): Promise<string> {
  try {
    await produce();
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error("expected a failure");
}

/** The create of the guide's application through the runtime, with this connection. */
function create(connection: Record<string, unknown>, name = "claude"): Promise<unknown> {
  return oauthApplication.create({ connection, name, redirectUris: [CLAUDE_CALLBACK] });
}

/** What console.warn printed while `run` ran. */
async function warningsOf(run: () => Promise<unknown>): Promise<string> {
  const printed: string[] = [];
  const warn = console.warn;
  console.warn = (...args: unknown[]) => printed.push(args.join(" "));
  try {
    await run();
  } finally {
    console.warn = warn;
  }
  return printed.join("\n");
}

describe("README: Troubleshooting quotes what the code prints", function () {
  this.timeout(60000);
  const produced = new Map<string, string>();
  const tenants: TestTenant[] = [];
  const savedEnv = { ...process.env };
  const tenant = async (options: Parameters<typeof startTestTenant>[0] = {}) => {
    const started = await startTestTenant(options);
    tenants.push(started);
    return started;
  };
  const constructing = async (args: AlationClaudeConnectorArgs) => {
    await pulumi.runtime.setMocks(
      { newResource: (a) => ({ id: `${a.name}-id`, state: a.inputs }), call: (a) => a.inputs },
      "p",
      "s",
    );
    return failureOf(() => new AlationClaudeConnector("claude", args));
  };

  before(async function () {
    for (const key of Object.keys(process.env)) if (key.startsWith("ALATION_")) delete process.env[key];
    const plain = await tenant();

    produced.set("an http base URL", await constructing({ connection: { baseUrl: "http://acme.alationcloud.com" } }));
    produced.set("a URL without its scheme", await constructing({ connection: { baseUrl: "acme.alationcloud.com" } }));
    produced.set("no tenant URL", await constructing({ connection: {} }));
    produced.set("no credential", await failureOf(() => create({ baseUrl: plain.url })));
    produced.set(
      "a refused token (403)",
      await failureOf(() => create({ baseUrl: plain.url, apiAccessToken: "not-the-admin-token" })),
    );
    const refusing = await startScriptedServer(() => json(401, { detail: "Invalid token." }));
    produced.set(
      "a refused token (401)",
      await failureOf(() => create({ baseUrl: refusing.url, apiAccessToken: "expired-token" })),
    );
    await refusing.close();
    const nginx = await startScriptedServer(() => ({ status: 404, text: "<h1>404 Not Found</h1>" }), {
      tenant: "none",
    });
    produced.set(
      "a URL that is not Alation",
      await failureOf(() => create({ baseUrl: nginx.url, apiAccessToken: "t" })),
    );
    const neither = await startScriptedServer(
      (r) =>
        r.path.startsWith("/.well-known/oauth-authorization-server")
          ? json(200, { token_endpoint: `${neither.url}/oauth/v1/token/` })
          : { status: 404, text: "<h1>Not Found</h1>" },
      { tenant: "none" },
    );
    produced.set("no client admin API", await failureOf(() => create({ baseUrl: neither.url, apiAccessToken: "t" })));
    await Promise.all([nginx.close(), neither.close()]);

    const token = { apiAccessToken: ADMIN_TOKEN };
    const noRotation = new AlationClient({
      baseUrl: (await tenant({ apiGeneration: "b", documentedOnly: true })).url,
      ...token,
    });
    const made = await noRotation.create(guideApplication({ name: "rotate-me" }));
    produced.set("no rotation", await failureOf(() => noRotation.rotateSecret(made.application.clientId)));
    await plain.call("POST", CLIENTS_PATH, { json: guideClient({ name: "someone-elses", access_token_expiry: 3600 }) });
    produced.set("a name taken", await failureOf(() => create({ baseUrl: plain.url, ...token }, "someone-elses")));

    const documentedOnly = await tenant({ documentedOnly: true });
    const created = (await create({ baseUrl: documentedOnly.url, ...token }, "read-me")) as {
      id: string;
      outs: Record<string, unknown>;
    };
    produced.set("no GET of clients", await warningsOf(() => oauthApplication.read(created.id, created.outs)));
    const rotatedElsewhere = (await create({ baseUrl: plain.url, ...token }, "rotated-in-the-ui")) as typeof created;
    await plain.call("POST", `${CLIENTS_PATH}${rotatedElsewhere.id}/rotate-secret/`);
    produced.set(
      "a secret rotated elsewhere",
      await warningsOf(() => oauthApplication.read(rotatedElsewhere.id, rotatedElsewhere.outs)),
    );
    const losing = await tenant({
      documentedOnly: true,
      faults: { rate: 1, kinds: ["drop-after-write"], routes: `^POST ${CLIENTS_PATH}$` },
    });
    produced.set("a lost create answer", await failureOf(() => create({ baseUrl: losing.url, ...token })));

    produced.set(
      "https to a plain HTTP server",
      await failureOf(() => create({ baseUrl: plain.url.replace("http:", "https:"), ...token })),
    );
    if (hasOpenssl()) {
      const tls = await startTlsTenant(makeTlsMaterial().selfSigned);
      produced.set("an untrusted certificate", await failureOf(() => create({ baseUrl: tls.url, ...token })));
      produced.set(
        "http to a TLS server",
        await failureOf(() => create({ baseUrl: tls.url.replace("https:", "http:"), ...token })),
      );
      await tls.close();
    }
    const redirecting = await tenant({ mcpWithoutSlash: "redirect" });
    const claude = await redirecting.createClient({ name: "claude" });
    const input = { remoteMcpServerUrl: `${redirecting.url}/ai/mcp/`, clientId: claude.client_id, clientSecret: "s" };
    const report = await verifyConnector(input, { emulator: true });
    const slashless = report.steps.find((step) => step.id === "mcp-url-without-slash");
    produced.set("a tenant that redirects /ai/mcp (verify)", slashless?.cause ?? "no such step");
    pulumi.runtime.setAllConfig({ "alation:baseURL": plain.url });
    produced.set("a misspelt config key", await constructing({}));
    pulumi.runtime.setAllConfig({});
    produced.set(
      "a name with a bidi override",
      await constructing({ tenantUrl: plain.url, connectorName: "a\u202eb" }),
    );
    const downUrl = `http://127.0.0.1:${await freePort()}`;
    produced.set("a tenant that is down", await failureOf(() => create({ baseUrl: downUrl, ...token })));
    const failing = await tenant({ faults: { rate: 1, kinds: ["500"], routes: `^POST ${CLIENTS_PATH}$` } });
    produced.set("a create answered 500", await failureOf(() => create({ baseUrl: failing.url, ...token })));
    const stalling = await startScriptedServer((request) =>
      request.path === "/oauth/v1/token/" ? "hang" : json(204, {}),
    );
    const recorded = { name: "claude", clientSecret: "recorded-secret", clientType: "confidential" };
    const connection = { baseUrl: stalling.url, ...token, timeoutSeconds: 0.3 };
    produced.set(
      "the ownership check timed out",
      await failureOf(() => oauthApplication.delete("abc", { ...recorded, connection })),
    );
    await stalling.close();
    produced.set(
      "an optional package missing",
      await failureOf(() => requireOptionalPeer("pulumi-alation-test-absent", "shell.kubernetes")),
    );
  });

  after(async () => {
    process.env = savedEnv;
    await closeHttpPools();
    await Promise.all(tenants.map((started) => started.stop()));
  });

  it("every quoted message is one the code prints", () => {
    const quotes = troubleshootingQuotes(fs.readFileSync(README, "utf8"));
    assert.ok(quotes.length >= 10, `quotes found: ${quotes.join(" | ")}`);
    const unmatched = quotes.filter(
      (quote) => ![...produced.values()].some((message) => quotePattern(quote).test(message)),
    );
    assert.deepEqual(unmatched, [], `quoted but printed by none of:\n${[...produced.values()].join("\n")}`);
  });

  it("every failure produced here is quoted", function () {
    if (!hasOpenssl()) this.skip();
    const patterns = troubleshootingQuotes(fs.readFileSync(README, "utf8")).map(quotePattern);
    const unquoted = [...produced].filter(([, message]) => !patterns.some((pattern) => pattern.test(message)));
    assert.deepEqual(unquoted, [], "failures the table does not quote");
  });

  it("`...` matches any text, and the ends are anchored unless they are `...`", () => {
    assert.ok(
      quotePattern("Alation ... failed (401 auth) ...").test("Alation POST /x failed (401 auth); Invalid token."),
    );
    assert.ok(
      quotePattern("An OAuth application named ... already exists ...").test(
        'An OAuth application named "x" already exists at y',
      ),
    );
    assert.ok(
      !quotePattern("An OAuth application named ... already exists").test(
        'An OAuth application named "x" already exists at y',
      ),
    );
    assert.ok(!quotePattern("named ... exists ...").test("An application named x exists"));
    assert.ok(quotePattern("... (401 auth) ...").test("Alation GET / failed (401 auth); no"));
    assert.ok(!quotePattern("... (401 auth) ...").test("Alation GET / failed (4011 auth); no"));
  });
});
