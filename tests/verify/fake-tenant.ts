// A tenant served by a fetch function, on https://tenant.example.com (no socket at all): it plays the field's
// broken servers that the emulator, a faithful Alation, never is (a redirecting MCP URL, a relative
// resource_metadata, only root metadata, nested authorization_servers).
import type { FetchFn } from "../../provider/verify";

/** The fake tenant's MCP URL. */
export const FAKE_MCP_URL = "https://tenant.example.com/ai/mcp/";

/** What the fake tenant gets wrong; nothing by default. */
export interface FakeTenantFaults {
  /** /ai/mcp/ answers 307 to another path. */
  mcpRedirect?: boolean;
  /** The 401 names a relative resource_metadata. */
  relativeResourceMetadata?: boolean;
  /** Only the root /.well-known/oauth-protected-resource exists (and the 401 names it). */
  rootMetadataOnly?: boolean;
  /** authorization_servers is [["https://tenant.example.com"]]. */
  nestedAuthorizationServers?: boolean;
}

const ORIGIN = "https://tenant.example.com";
const ROOT_METADATA = `${ORIGIN}/.well-known/oauth-protected-resource`;
const PATH_METADATA = `${ORIGIN}/.well-known/oauth-protected-resource/ai/mcp/`;

const json = (body: unknown, status = 200) => new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });

/** A fetch that answers as the fake tenant, and records the "METHOD path" of each call. */
export function fakeTenantFetch(faults: FakeTenantFaults = {}): { fetch: FetchFn; calls: string[] } {
  const calls: string[] = [];
  const metadataUrl = faults.relativeResourceMetadata ? "/.well-known/oauth-protected-resource/ai/mcp/" : faults.rootMetadataOnly ? ROOT_METADATA : PATH_METADATA;
  const resourceMetadata = {
    resource: FAKE_MCP_URL,
    authorization_servers: faults.nestedAuthorizationServers ? [[ORIGIN]] : [ORIGIN],
  };
  const routes: Record<string, () => Response> = {
    "POST /ai/mcp/": () =>
      faults.mcpRedirect
        ? new Response(null, { status: 307, headers: { location: "/ai/mcp/v2/" } })
        : json({ error: "invalid_token" }, 401),
    "GET /.well-known/oauth-protected-resource": () => json(resourceMetadata),
    "GET /.well-known/oauth-protected-resource/ai/mcp/": () => (faults.rootMetadataOnly ? json({ detail: "Not found." }, 404) : json(resourceMetadata)),
    "GET /.well-known/oauth-authorization-server": () =>
      json({
        issuer: ORIGIN,
        authorization_endpoint: `${ORIGIN}/oauth/v1/authorize/`,
        token_endpoint: `${ORIGIN}/oauth/v1/token/`,
        response_types_supported: ["code"],
        grant_types_supported: ["authorization_code", "refresh_token"],
        code_challenge_methods_supported: ["S256"],
      }),
    "GET /oauth/v1/authorize/": () => new Response("<form>Log in</form>", { status: 200, headers: { "content-type": "text/html" } }),
    "POST /oauth/v1/token/": () => json({ error: "invalid_grant", error_description: "Invalid authorization code." }, 400),
  };
  const fetch: FetchFn = async (url, init) => {
    const target = new URL(String(url));
    const key = `${init?.method ?? "GET"} ${target.pathname}`;
    calls.push(key);
    if (target.origin !== ORIGIN) throw new TypeError("fetch failed");
    const response = routes[key]?.() ?? json({ detail: "Not found." }, 404);
    if (key === "POST /ai/mcp/" && response.status === 401) response.headers.set("www-authenticate", `Bearer resource_metadata="${metadataUrl}"`);
    return response;
  };
  return { fetch, calls };
}
