// Where the MCP servers are: the hosted one and the custom one. A fact of its own, read by the tenant (its MCP
// URL) and by the discovery documents (metadata.ts), so that imports point one way.

/**
 * The custom MCP server the emulator serves at `/ai/mcp/<server-id>/` (../shared/alation-api.md section 4), next to
 * the hosted one at `/ai/mcp/`. Other ids answer 404.
 */
export const CUSTOM_MCP_SERVER_ID = "data-products";

/** The path of the hosted MCP server, or of a custom one: with its trailing slash. */
export function mcpPath(serverId?: string): string {
  return serverId === undefined ? "/ai/mcp/" : `/ai/mcp/${encodeURIComponent(serverId)}/`;
}
