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

  it("answers /ai/mcp (no slash) with a 307 to /ai/mcp/ by default", async () => {
    const redirecting = await startTestTenant({ mcpWithoutSlash: undefined }); // the emulator's own default
    for (const method of ["GET", "POST"]) {
      const answer = await redirecting.call(method, "/ai/mcp", { token: null });
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
    const redirecting = await startTestTenant({ mcpWithoutSlash: "redirect" });
    assert.equal((await redirecting.call("GET", path.slice(0, -1), { token: null })).headers.get("location"), path);
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

describe("emulator: the modes of what Alation leaves undocumented (/ai/mcp, no token, CIMD, DCR)", function () {
  const initialize = {
    jsonrpc: "2.0",
    id: 1,
    method: "initialize",
    params: { protocolVersion: "2025-06-18", capabilities: {}, clientInfo: { name: "t", version: "1" } },
  };
  const headers = { Accept: "application/json, text/event-stream" };
  const metadata = async (tenant: TestTenant) =>
    (await tenant.call("GET", "/.well-known/oauth-authorization-server", { token: null })).json;

  it("by default: a 307 from /ai/mcp, a 401 without a token, neither CIMD nor DCR advertised", async () => {
    const tenant = await startTestTenant({ mcpWithoutSlash: undefined }); // the emulator's own defaults
    assert.equal((await tenant.call("POST", "/ai/mcp", { token: null, json: initialize, headers })).status, 307);
    assert.equal((await tenant.call("POST", "/ai/mcp/", { token: null, json: initialize, headers })).status, 401);
    const served = await metadata(tenant);
    assert.equal(served.client_id_metadata_document_supported, undefined);
    assert.equal(served.registration_endpoint, undefined);
  });

  it("mcpWithoutSlash answer: /ai/mcp and /ai/mcp/<server-id> are served as with their slash", async () => {
    const tenant = await startTestTenant({ mcpWithoutSlash: "answer" });
    const answer = await tenant.call("POST", "/ai/mcp", { token: null, json: initialize, headers });
    assert.equal(answer.status, 401);
    assert.match(answer.headers.get("www-authenticate") ?? "", /^Bearer resource_metadata=/);
    const custom = await tenant.call("POST", `/ai/mcp/${CUSTOM_MCP_SERVER_ID}`, { token: null, json: initialize });
    assert.equal(custom.status, 401);
    assert.equal((await tenant.call("POST", "/ai/mcp/no-such-server", { token: null, json: {} })).status, 404);
  });

  it("mcpWithoutToken answer: initialize without a token is answered, a bad token still refused", async () => {
    const tenant = await startTestTenant({ mcpWithoutToken: "answer" });
    const answer = await tenant.call("POST", "/ai/mcp/", { token: null, json: initialize, headers });
    assert.equal(answer.status, 200, answer.text);
    assert.equal(answer.json.result.serverInfo.name, "alation-mcp-server-emulator");
    const refused = await tenant.call("POST", "/ai/mcp/", {
      token: null,
      json: initialize,
      headers: { ...headers, Authorization: "Bearer not-a-jwt" },
    });
    assert.equal(refused.status, 401);
  });

  it("advertiseCimd and advertiseDcr: the metadata says so", async () => {
    const tenant = await startTestTenant({ advertiseCimd: true, advertiseDcr: true });
    const served = await metadata(tenant);
    assert.equal(served.client_id_metadata_document_supported, true);
    assert.ok(served.token_endpoint_auth_methods_supported.includes("none"));
    assert.equal(served.registration_endpoint, `${tenant.url}/oauth/v1/register/`);
  });
});
