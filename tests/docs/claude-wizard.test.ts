// The README's "Where the fields go in Claude" quotes what the code prints: the walk through Claude's connector wizard
// that `alation-connector verify` ends with (produced here for real, against an emulated tenant), and names the
// choices and fields as provider/domain/claude-wizard.ts defines them; the claude preset's clientConfig is unchanged.
import { strict as assert } from "node:assert";
import * as fs from "node:fs";
import * as path from "node:path";
import {
  ALATION_CHOICES,
  CLAUDE_CONNECTORS_PAGE,
  CLAUDE_WIZARD_PATH,
  WIZARD_FIELDS,
} from "../../provider/domain/claude-wizard";
import { MCP_CLIENT_TABLE } from "../../provider/domain/mcp-clients";
import { FORM_FIELDS } from "../../provider/domain/mcp-client-configs";
import { EMULATOR_TEST_USER, formatReports, verifyConnector } from "../../provider/verify";
import { startTestTenant } from "../support/test-tenant";

const README = path.resolve(__dirname, "..", "..", "README.md");

/** The section "Where the fields go in Claude". */
function wizardSection(): string {
  const section = fs
    .readFileSync(README, "utf8")
    .split(/^## Where the fields go in Claude$/m)[1]
    ?.split(/^##/m)[0];
  if (!section) throw new Error("README.md has no section Where the fields go in Claude");
  return section;
}

describe("README: Where the fields go in Claude", function () {
  this.timeout(30_000);

  it("quotes the walk verify prints after a connector verified, the tenant and client id as placeholders", async () => {
    const tenant = await startTestTenant({ jwtFlag: "optional" });
    const made = await tenant.createClient({ name: "alation-ai-hosted-mcp-server" });
    const connector = {
      connectorName: "Alation",
      remoteMcpServerUrl: `${tenant.url}/ai/mcp/`,
      clientId: made.client_id,
      clientSecret: made.client_secret,
    };
    const report = await verifyConnector(connector, { emulator: true, login: EMULATOR_TEST_USER });
    assert.equal(report.ok, true, JSON.stringify(report.steps.filter((step) => step.status === "fail")));
    const printed = formatReports([report]);
    const walk = printed
      .slice(printed.indexOf("Claude: "))
      .trimEnd()
      .replace(tenant.url, "https://TENANT")
      .replace(made.client_id, "<clientId>");
    assert.ok(!printed.includes(made.client_secret), "the secret is not printed");
    const quoted = /```\n([\s\S]*?)\n```/.exec(wizardSection())?.[1];
    assert.equal(quoted, walk);
  });

  it("names where to click, the choices and the fields as the code defines them", () => {
    const section = wizardSection();
    for (const text of [
      CLAUDE_WIZARD_PATH,
      CLAUDE_CONNECTORS_PAGE,
      `"${ALATION_CHOICES.authentication}"`,
      `"${ALATION_CHOICES.oauthClient}"`,
      ...Object.values(WIZARD_FIELDS).map((field) => field.label),
    ]) {
      assert.ok(section.includes(text), text);
    }
    assert.doesNotMatch(section, /Advanced settings|Settings > Connectors/, "the old form is gone");
  });

  it("the claude preset's clientConfig keeps the four outputs, so stacks see no change", () => {
    const fields = {
      serverName: "alation",
      connectorName: "Alation",
      mcpUrl: "https://t.example.com/ai/mcp/",
      tenantOrigin: "https://t.example.com",
      clientId: "id",
      clientSecret: "secret",
      callbacks: [],
      options: {},
    };
    assert.deepEqual(MCP_CLIENT_TABLE.claude.config.build(fields), FORM_FIELDS.build(fields));
    assert.deepEqual(Object.keys(MCP_CLIENT_TABLE.claude.config.build(fields)), [
      "connectorName",
      "remoteMcpServerUrl",
      "clientId",
      "clientSecret",
    ]);
    assert.equal(MCP_CLIENT_TABLE.claude.config.holdsSecret, true);
  });
});
