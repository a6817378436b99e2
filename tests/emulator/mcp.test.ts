// The emulated hosted MCP server at /ai/mcp/, driven by the official MCP client.
import { strict as assert } from "node:assert";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { CUSTOM_MCP_SERVER_ID } from "../../emulator";
import { startTestTenant, userTokens, type TestTenant } from "../support/test-tenant";

describe("emulator: MCP server at /ai/mcp/", function () {
  let tenant: TestTenant;
  let registered: { client_id: string; client_secret: string };
  before(async () => {
    tenant = await startTestTenant();
    registered = await tenant.createClient({ name: "claude" });
  });
  after(() => tenant.stop());

  async function connect(token: string, path = "/ai/mcp/"): Promise<Client> {
    const client = new Client({ name: "emulator-test", version: "1.0.0" });
    const requestInit = { headers: { Authorization: `Bearer ${token}` } };
    const transport = new StreamableHTTPClientTransport(new URL(tenant.url + path), { requestInit });
    await client.connect(transport);
    return client;
  }

  it("answers /ai/mcp (no slash) with a 307 to /ai/mcp/", async () => {
    for (const method of ["GET", "POST"]) {
      const answer = await tenant.call(method, "/ai/mcp", { token: null });
      assert.equal(answer.status, 307, method);
      assert.equal(answer.headers.get("location"), "/ai/mcp/");
    }
  });

  it("answers 401 with the resource metadata URL without a token", async () => {
    const answer = await tenant.call("POST", "/ai/mcp/", {
      token: null,
      json: { jsonrpc: "2.0", id: 1, method: "tools/list" },
    });
    assert.equal(answer.status, 401);
    assert.equal(
      answer.headers.get("www-authenticate"),
      `Bearer resource_metadata="${tenant.url}/.well-known/oauth-protected-resource/ai/mcp/"`,
    );
  });

  it("refuses the opaque tokens the v1 stack issues while the JWT flag is off", async () => {
    await tenant.setJwtFlag(false);
    const { access_token } = await userTokens(tenant, registered);
    const answer = await tenant.call("POST", "/ai/mcp/", {
      token: null,
      headers: { Authorization: `Bearer ${access_token}` },
      json: { jsonrpc: "2.0", id: 1, method: "tools/list" },
    });
    assert.equal(answer.status, 401);
    assert.match(answer.headers.get("www-authenticate") ?? "", /error="invalid_token".*resource_metadata=/);
    await assert.rejects(connect(access_token));
  });

  it("serves tools to a JWT from the v1 stack once the flag is on", async () => {
    await tenant.setJwtFlag(true);
    const { access_token } = await userTokens(tenant, registered);
    const client = await connect(access_token);
    try {
      const { tools } = await client.listTools();
      const names = tools.map((t) => t.name);
      for (const name of ["alation_context", "get_data_products", "get_data_sources_tool", "get_lineage"])
        assert.ok(names.includes(name), name);
      const result = await client.callTool({
        name: "alation_context",
        arguments: { question: "What is our monthly revenue?" },
      });
      const text = (result.content as Array<{ type: string; text: string }>)[0].text;
      const parsed = JSON.parse(text);
      assert.equal(parsed.requested_by, "test.user@example.com");
      assert.ok(parsed.relevant_tables.some((t: { title: string }) => t.title === "Monthly revenue"));
      const lineage = await client.callTool({
        name: "get_lineage",
        arguments: { table_id: 103, direction: "upstream" },
      });
      assert.equal(JSON.parse((lineage.content as Array<{ text: string }>)[0].text).tables.length, 2);
    } finally {
      await client.close();
    }
  });

  it("stops accepting a JWT once its client is deactivated", async () => {
    await tenant.setJwtFlag(true);
    const other = await tenant.createClient({ name: "short-lived" });
    const { access_token } = await userTokens(tenant, other);
    await tenant.call("PATCH", `/integration/core/v1/oauth/clients/${other.client_id}/`, {
      json: { is_active: false },
    });
    const answer = await tenant.call("POST", "/ai/mcp/", {
      token: null,
      headers: { Authorization: `Bearer ${access_token}` },
      json: { jsonrpc: "2.0", id: 1, method: "tools/list" },
    });
    assert.equal(answer.status, 401);
  });

  it("serves a custom MCP server at /ai/mcp/<server-id>/ (alation-api.md section 4), with its metadata", async () => {
    const path = `/ai/mcp/${CUSTOM_MCP_SERVER_ID}/`;
    assert.equal((await tenant.call("GET", path.slice(0, -1), { token: null })).headers.get("location"), path);
    const listTools = { jsonrpc: "2.0", id: 1, method: "tools/list" };
    const challenge = await tenant.call("POST", path, { token: null, json: listTools });
    const metadataUrl = `${tenant.url}/.well-known/oauth-protected-resource${path}`;
    assert.equal(challenge.headers.get("www-authenticate"), `Bearer resource_metadata="${metadataUrl}"`);
    const metadata = await tenant.call("GET", metadataUrl.slice(tenant.url.length), { token: null });
    assert.deepEqual([metadata.json.resource, metadata.json.authorization_servers], [tenant.url + path, [tenant.url]]);
    await tenant.setJwtFlag(true);
    const client = await connect((await userTokens(tenant, registered)).access_token, path);
    try {
      const names = (await client.listTools()).tools.map((t) => t.name).sort();
      assert.deepEqual(names, ["alation_context", "get_data_products"], "its own subset of the tools");
    } finally {
      await client.close();
    }
    assert.equal((await tenant.call("POST", "/ai/mcp/no-such-server/", { token: null, json: {} })).status, 404);
    const unknownMetadata = "/.well-known/oauth-protected-resource/ai/mcp/no-such-server/";
    assert.equal((await tenant.call("GET", unknownMetadata, { token: null })).status, 404);
  });

  it("answers a malformed JSON-RPC body with a parse error, not a crash", async () => {
    await tenant.setJwtFlag(true);
    const { access_token } = await userTokens(tenant, registered);
    const answer = await tenant.call("POST", "/ai/mcp/", {
      token: null,
      headers: {
        Authorization: `Bearer ${access_token}`,
        "Content-Type": "application/json",
        Accept: "application/json, text/event-stream",
      },
      body: "{not json",
    });
    assert.equal(answer.status, 400);
    assert.equal(answer.json.error.code, -32700);
  });
});
