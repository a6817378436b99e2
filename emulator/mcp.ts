// The hosted MCP server at /ai/mcp/ (and one custom server at /ai/mcp/<server-id>/): Streamable HTTP (stateless) on
// the official MCP SDK, behind bearer JWTs.
// Without a token the answer is 401 with the protected resource metadata's URL (RFC 9728), or, with mcpWithoutToken
// "answer", the request is served as an anonymous user; an invalid token, and an opaque one (what the v1 stack issues
// while the JWT flag is off), is refused.
import type { IncomingMessage } from "node:http";
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { AuthInfo } from "@modelcontextprotocol/sdk/server/auth/types.js";
import { z } from "zod";
import { DATA_PRODUCTS, DATA_SOURCES, LINEAGE, TABLES, tablesMatching } from "./catalog";
import { HttpError, bearerToken, mediaType } from "./http";
import { requireKnownMcpServer, resourceMetadataUrl } from "./metadata";
import type { RequestContext, Route } from "./router";
import type { TenantUser } from "./tenant";
import { resolveJwt } from "./tokens";
import type { EmulatorOptions } from "./types";

/** The tools of the custom MCP server (CUSTOM_MCP_SERVER_ID): a subset of the hosted server's. */
const CUSTOM_SERVER_TOOLS = new Set(["alation_context", "get_data_products"]);

/** Who calls the tools when mcpWithoutToken is "answer" and no token came. */
const ANONYMOUS: TenantUser = { id: 0, username: "anonymous", password: "", isServerAdmin: false };

export function mcpRoutes(options: EmulatorOptions): Route[] {
  const methods = ["GET", "POST", "DELETE"];
  // By default Django's APPEND_SLASH answer to the slash-less path (an assumption: alation-api.md section 4).
  const withoutSlash = options.mcpWithoutSlash === "answer";
  return [
    {
      methods,
      pattern: "/ai/mcp",
      exactSlash: true,
      handle: withoutSlash ? (ctx) => serveMcp(ctx, undefined) : redirectToSlash,
    },
    { methods, pattern: "/ai/mcp/", exactSlash: true, handle: (ctx) => serveMcp(ctx, undefined) },
    {
      methods,
      pattern: "/ai/mcp/{server_id}",
      exactSlash: true,
      handle: withoutSlash ? (ctx) => serveMcp(ctx, requireKnownMcpServer(ctx)) : redirectToSlash,
    },
    {
      methods,
      pattern: "/ai/mcp/{server_id}/",
      exactSlash: true,
      handle: (ctx) => serveMcp(ctx, requireKnownMcpServer(ctx)),
    },
  ];
}

async function redirectToSlash(ctx: RequestContext): Promise<void> {
  const search = ctx.query.toString();
  ctx.req.resume();
  ctx.res.writeHead(307, { Location: `${ctx.path}/${search ? `?${search}` : ""}`, "Content-Length": 0 });
  ctx.res.end();
}

/** Serves the hosted MCP server (`serverId` undefined) or a custom one. */
async function serveMcp(ctx: RequestContext, serverId: string | undefined): Promise<void> {
  const { tenant, req, res } = ctx;
  const token = bearerToken(req);
  const grant = token !== undefined ? await resolveJwt(tenant, token) : undefined;
  const anonymous = token === undefined && tenant.options.mcpWithoutToken === "answer";
  if (!grant && !anonymous) {
    const metadata = resourceMetadataUrl(tenant.baseUrl, serverId);
    const refused = 'error="invalid_token", error_description="The access token is not a valid JWT of this tenant", ';
    const challenge = `Bearer ${token === undefined ? "" : refused}resource_metadata="${metadata}"`;
    ctx.req.resume();
    throw new HttpError(
      401,
      { error: "invalid_token", error_description: "Authentication required." },
      { "WWW-Authenticate": challenge },
    );
  }
  const parsedBody = req.method === "POST" ? await jsonRpcBody(ctx) : undefined;
  const user = grant?.user ?? ANONYMOUS;
  const auth: AuthInfo | undefined = grant && {
    token: token as string,
    clientId: grant.clientId ?? "",
    scopes: grant.scope.split(" ").filter(Boolean),
    expiresAt: Math.floor(grant.expiresAt / 1000),
    extra: { username: grant.user.username },
  };
  const sdk = await mcpSdk();
  const server = buildServer(sdk.McpServer, user, serverId === undefined ? undefined : CUSTOM_SERVER_TOOLS);
  const transport = new sdk.StreamableHTTPServerTransport({ sessionIdGenerator: undefined, enableJsonResponse: true });
  res.on("close", () => {
    void transport.close();
    void server.close();
  });
  await server.connect(transport);
  await transport.handleRequest(Object.assign(req as IncomingMessage, { auth }), res, parsedBody);
}

/**
 * The MCP SDK, loaded by the first MCP request: most emulators never serve one (the tests start hundreds), and loading
 * it is over half of an emulator's start (about 0.25 s of CPU).
 */
async function mcpSdk() {
  const [{ McpServer }, { StreamableHTTPServerTransport }] = await Promise.all([
    import("@modelcontextprotocol/sdk/server/mcp.js"),
    import("@modelcontextprotocol/sdk/server/streamableHttp.js"),
  ]);
  return { McpServer, StreamableHTTPServerTransport };
}

/** The JSON-RPC body; null for other media types (the SDK then answers 415 without reading the stream). */
async function jsonRpcBody(ctx: RequestContext): Promise<unknown> {
  const body = await ctx.body();
  if (mediaType(ctx.req) !== "application/json") return null;
  try {
    return JSON.parse(body.toString("utf8"));
  } catch {
    throw new HttpError(400, { jsonrpc: "2.0", error: { code: -32700, message: "Parse error" }, id: null });
  }
}

function textResult(value: unknown): { content: Array<{ type: "text"; text: string }> } {
  return { content: [{ type: "text", text: JSON.stringify(value, null, 2) }] };
}

/** One MCP server per request (stateless mode), with tools answering for `user` (only `tools`, when given). */
function buildServer(Server: typeof McpServer, user: TenantUser, tools?: ReadonlySet<string>): McpServer {
  const server = new Server({ name: "alation-mcp-server-emulator", version: "1.0.0" });
  const offers = (name: string): boolean => !tools || tools.has(name);
  if (offers("alation_context")) {
    server.registerTool(
      "alation_context",
      {
        description: "Find catalogue objects (tables, columns, descriptions) relevant to a question.",
        inputSchema: { question: z.string().min(1) },
      },
      async ({ question }) =>
        textResult({ question, requested_by: user.username, relevant_tables: tablesMatching(question) }),
    );
  }
  if (offers("get_data_products")) {
    server.registerTool(
      "get_data_products",
      {
        description: "List data products, or fetch one by its product_id.",
        inputSchema: { product_id: z.string().optional() },
      },
      async ({ product_id }) => {
        if (product_id === undefined) return textResult(DATA_PRODUCTS);
        const product = DATA_PRODUCTS.find((p) => p.product_id === product_id);
        return product
          ? textResult(product)
          : { ...textResult({ error: `No data product ${product_id}` }), isError: true };
      },
    );
  }
  if (offers("get_data_sources_tool")) {
    server.registerTool(
      "get_data_sources_tool",
      {
        description: "List the data sources catalogued in Alation.",
        inputSchema: { limit: z.number().int().min(1).max(100).optional() },
      },
      async ({ limit }) => textResult(DATA_SOURCES.slice(0, limit ?? DATA_SOURCES.length)),
    );
  }
  if (offers("get_lineage")) {
    server.registerTool(
      "get_lineage",
      {
        description: "Upstream or downstream lineage of a table.",
        inputSchema: { table_id: z.number().int(), direction: z.enum(["upstream", "downstream"]).default("upstream") },
      },
      async ({ table_id, direction }) => {
        const ids = LINEAGE.filter(([up, down]) =>
          direction === "upstream" ? down === table_id : up === table_id,
        ).map(([up, down]) => (direction === "upstream" ? up : down));
        return textResult({ table_id, direction, tables: TABLES.filter((t) => ids.includes(t.id)) });
      },
    );
  }
  return server;
}
