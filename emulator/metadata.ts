// Discovery documents: authorization server metadata (RFC 8414), protected resource metadata of the MCP server
// (RFC 9728) and the JWKS of the signing key.
import { HttpError, sendJson } from "./http";
import { CUSTOM_MCP_SERVER_ID, mcpPath } from "./mcp-paths";
import type { RequestContext, Route } from "./router";

const PROTECTED_RESOURCE = "/.well-known/oauth-protected-resource";

/**
 * Where `advertiseDcr` says clients register: the path agent-studio-docs `user-initiated-auth.mdx` named before
 * 2025-12-22 (../shared/alation-api.md section 2). Nothing is served there.
 */
const REGISTRATION_PATH = "/oauth/v1/register/";

/** Refuses (404) a custom MCP server id the tenant does not serve. */
export function requireKnownMcpServer(ctx: RequestContext): string | undefined {
  const serverId = ctx.params.server_id;
  if (serverId !== undefined && serverId !== CUSTOM_MCP_SERVER_ID) {
    ctx.req.resume();
    throw new HttpError(404, { detail: "Not found." });
  }
  return serverId;
}

export function metadataRoutes(): Route[] {
  return [
    { methods: ["GET"], pattern: "/.well-known/oauth-authorization-server/", handle: authorizationServer },
    { methods: ["GET"], pattern: `${PROTECTED_RESOURCE}/`, handle: protectedResource },
    { methods: ["GET"], pattern: `${PROTECTED_RESOURCE}/ai/mcp/`, handle: protectedResource },
    { methods: ["GET"], pattern: `${PROTECTED_RESOURCE}/ai/mcp/{server_id}/`, handle: protectedResource },
    { methods: ["GET"], pattern: "/.well-known/jwks.json/", handle: jwks },
  ];
}

/** Where a client finds the protected resource metadata of an MCP server (named in 401 answers), by RFC 9728 3.1. */
export function resourceMetadataUrl(baseUrl: string, serverId?: string): string {
  return `${baseUrl}${PROTECTED_RESOURCE}${mcpPath(serverId)}`;
}

async function authorizationServer(ctx: RequestContext): Promise<void> {
  const base = ctx.tenant.baseUrl;
  sendJson(ctx.res, 200, {
    issuer: base,
    authorization_endpoint: `${base}/oauth/v1/authorize/`,
    token_endpoint: `${base}/oauth/v1/token/`,
    introspection_endpoint: `${base}/oauth/v2/introspect/`,
    jwks_uri: `${base}/.well-known/jwks.json/`,
    response_types_supported: ["code"],
    grant_types_supported: ["authorization_code", "refresh_token"],
    code_challenge_methods_supported: ["S256"],
    token_endpoint_auth_methods_supported: ["client_secret_basic", "client_secret_post", "none"],
    scopes_supported: ["openid"],
    // Advertised only, on request (EmulatorOptions): no Alation source mentions either.
    ...(ctx.tenant.options.advertiseCimd ? { client_id_metadata_document_supported: true } : {}),
    ...(ctx.tenant.options.advertiseDcr ? { registration_endpoint: `${base}${REGISTRATION_PATH}` } : {}),
  });
}

async function protectedResource(ctx: RequestContext): Promise<void> {
  sendJson(ctx.res, 200, {
    resource: ctx.tenant.baseUrl + mcpPath(requireKnownMcpServer(ctx)),
    authorization_servers: [ctx.tenant.baseUrl],
    bearer_methods_supported: ["header"],
    scopes_supported: ["openid"],
    resource_name: "Alation MCP server (emulator)",
  });
}

async function jwks(ctx: RequestContext): Promise<void> {
  sendJson(ctx.res, 200, ctx.tenant.signingKey.jwks());
}
