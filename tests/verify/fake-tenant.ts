// A tenant served by a fetch function, on https://tenant.example.com (no socket at all): it plays the field's
// broken servers that the emulator, a faithful Alation, never is (a redirecting MCP URL, a relative
// resource_metadata, only root metadata, nested authorization_servers, metadata that MCP clients refuse, a
// token endpoint that takes HTTP Basic only).
import type { FetchFn } from "../../provider/verify";

/** The fake tenant's MCP URL. */
export const FAKE_MCP_URL = "https://tenant.example.com/ai/mcp/";

/** The one client the fake tenant knows. */
export const FAKE_CLIENT = { clientId: "fake-client", clientSecret: "CANARY-fake-secret" } as const;

/** What the fake tenant gets wrong; nothing by default. */
export interface FakeTenantFaults {
  /** /ai/mcp/ answers 307 to another path. */
  mcpRedirect?: boolean;
  /** /ai/mcp (no slash, as Claude calls it) answers 307 to /ai/mcp/; by default it answers as /ai/mcp/ does. */
  slashlessRedirect?: boolean;
  /** The 401 names a relative resource_metadata. */
  relativeResourceMetadata?: boolean;
  /** Only the root /.well-known/oauth-protected-resource exists (and the 401 names it). */
  rootMetadataOnly?: boolean;
  /** No protected resource metadata at all (404 where the 401 points, and at the root). */
  noResourceMetadata?: boolean;
  /** authorization_servers is [["https://tenant.example.com"]]. */
  nestedAuthorizationServers?: boolean;
  /** The protected resource metadata's `resource` (default FAKE_MCP_URL). */
  resource?: string;
  /** Fields of the authorization server metadata replaced (undefined removes one). */
  authorizationServerMetadata?: Record<string, unknown>;
  /** The token endpoint authenticates clients by HTTP Basic only, refusing credentials in the form body. */
  basicOnlyTokenEndpoint?: boolean;
}

const ORIGIN = "https://tenant.example.com";
const ROOT_METADATA = `${ORIGIN}/.well-known/oauth-protected-resource`;
const PATH_METADATA = `${ORIGIN}/.well-known/oauth-protected-resource/ai/mcp/`;

const json = (body: unknown, status = 200) =>
  new Response(JSON.stringify(body), { status, headers: { "content-type": "application/json" } });
const notFound = () => json({ detail: "Not found." }, 404);

/** The token endpoint: authenticates the client (as the faults allow), then refuses every code it is given. */
function tokenEndpoint(init: RequestInit | undefined, faults: FakeTenantFaults): Response {
  const form = new URLSearchParams(
    init?.body instanceof URLSearchParams ? init.body : typeof init?.body === "string" ? init.body : "",
  );
  const basic = /^Basic (\S+)$/.exec(new Headers(init?.headers).get("authorization") ?? "")?.[1];
  const [basicId, basicSecret] = basic
    ? Buffer.from(basic, "base64").toString().split(":").map(decodeURIComponent)
    : [];
  const inBody = form.get("client_secret") !== null;
  const authenticated = inBody
    ? !faults.basicOnlyTokenEndpoint &&
      form.get("client_id") === FAKE_CLIENT.clientId &&
      form.get("client_secret") === FAKE_CLIENT.clientSecret
    : basicId === FAKE_CLIENT.clientId && basicSecret === FAKE_CLIENT.clientSecret;
  if (!authenticated) return json({ error: "invalid_client", error_description: "Client authentication failed." }, 401);
  return json({ error: "invalid_grant", error_description: "Invalid authorization code." }, 400);
}

/** A fetch that answers as the fake tenant, and records the "METHOD path" of each call. */
export function fakeTenantFetch(faults: FakeTenantFaults = {}): { fetch: FetchFn; calls: string[] } {
  const calls: string[] = [];
  const metadataUrl = faults.relativeResourceMetadata
    ? "/.well-known/oauth-protected-resource/ai/mcp/"
    : faults.rootMetadataOnly
      ? ROOT_METADATA
      : PATH_METADATA;
  const resourceMetadata = {
    resource: faults.resource ?? FAKE_MCP_URL,
    authorization_servers: faults.nestedAuthorizationServers ? [[ORIGIN]] : [ORIGIN],
  };
  const mcp = () =>
    faults.mcpRedirect
      ? new Response(null, { status: 307, headers: { location: "/ai/mcp/v2/" } })
      : json({ error: "invalid_token" }, 401);
  const routes: Record<string, (init?: RequestInit) => Response> = {
    "POST /ai/mcp/": mcp,
    "POST /ai/mcp": () =>
      faults.slashlessRedirect ? new Response(null, { status: 307, headers: { location: "/ai/mcp/" } }) : mcp(),
    "GET /.well-known/oauth-protected-resource": () =>
      faults.noResourceMetadata ? notFound() : json(resourceMetadata),
    "GET /.well-known/oauth-protected-resource/ai/mcp/": () =>
      faults.rootMetadataOnly || faults.noResourceMetadata ? notFound() : json(resourceMetadata),
    "GET /.well-known/oauth-authorization-server": () =>
      json({
        issuer: ORIGIN,
        authorization_endpoint: `${ORIGIN}/oauth/v1/authorize/`,
        token_endpoint: `${ORIGIN}/oauth/v1/token/`,
        response_types_supported: ["code"],
        grant_types_supported: ["authorization_code", "refresh_token"],
        code_challenge_methods_supported: ["S256"],
        ...(faults.basicOnlyTokenEndpoint ? { token_endpoint_auth_methods_supported: ["client_secret_basic"] } : {}),
        ...faults.authorizationServerMetadata,
      }),
    "GET /oauth/v1/authorize/": () =>
      new Response("<form>Log in</form>", { status: 200, headers: { "content-type": "text/html" } }),
    "POST /oauth/v1/token/": (init) => tokenEndpoint(init, faults),
  };
  const fetch: FetchFn = async (url, init) => {
    const target = new URL(String(url));
    const key = `${init?.method ?? "GET"} ${target.pathname}`;
    calls.push(key);
    if (target.origin !== ORIGIN) throw new TypeError("fetch failed");
    const response = routes[key]?.(init) ?? notFound();
    if (key.startsWith("POST /ai/mcp") && response.status === 401)
      response.headers.set("www-authenticate", `Bearer resource_metadata="${metadataUrl}"`);
    return response;
  };
  return { fetch, calls };
}
