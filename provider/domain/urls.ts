// URL rules every layer shares: which hosts are this machine's, when http:// is allowed, what a tenant's address is,
// where its token endpoint is, and what a redirect URI may be. Each rule has one message. Messages never quote the
// value: a URL may hold credentials.
import { CLAUDE_REDIRECT_URIS } from "./claude-connector";

/** Whether a host is this machine's (localhost and its subdomains, 127.0.0.0/8, ::1): no other machine reaches it. */
export function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, "").toLowerCase();
  return host === "localhost" || host.endsWith(".localhost") || host === "::1" || /^127(\.\d{1,3}){3}$/.test(host);
}

// Alation allows http:// only for these hosts (its API doc, for redirect URIs); the provider holds tenant URLs to the
// same rule, so that a token never travels unencrypted beyond this machine.
const PLAIN_HTTP_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]", "::1"]);

/** Whether Alation's rule allows http:// for this host. */
export function allowsPlainHttp(hostname: string): boolean {
  return PLAIN_HTTP_HOSTS.has(hostname);
}

/** The message of that rule, for `what` (the field the user wrote, or "a redirect URI"). */
function mustUseHttps(what: string): string {
  return `${what} must use https:// (http:// only for localhost, 127.0.0.1 or [::1])`;
}

/** The message of a URL that is not absolute, with an example of one. */
function mustBeAbsolute(what: string, example: string): string {
  return `${what} must be an absolute URL with its scheme, such as ${example}`;
}

/**
 * Why `value` is not a usable tenant address (`https://TENANT`, http only where Alation's rule allows it), or
 * undefined; the message starts with `field`, the name the user wrote. With `pathAllowed` a path is accepted (only
 * the origin is used); else only the address is (no path, query or fragment).
 */
export function tenantUrlProblem(
  value: string,
  field: string,
  options: { pathAllowed?: boolean } = {},
): string | undefined {
  // Without "scheme://" (`acme.alationcloud.com`, `localhost:8765`), URL parsing fails or reads a scheme the user
  // never meant.
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(value) || !URL.canParse(value)) {
    return mustBeAbsolute(field, "https://tenant.alationcloud.com");
  }
  const url = new URL(value);
  if (url.protocol !== "https:" && !(url.protocol === "http:" && allowsPlainHttp(url.hostname))) {
    return mustUseHttps(field);
  }
  if (url.username || url.password) return `${field} must not hold a user name or password`;
  if (!options.pathAllowed && (url.pathname !== "/" || url.search || url.hash)) {
    return `${field} must be the tenant's address only, without a path, query or fragment (https://TENANT)`;
  }
  return undefined;
}

// eslint-disable-next-line no-control-regex -- control characters are what it finds
const WHITESPACE_OR_CONTROL = /[\s\u0000-\u001f\u007f]/;

// Schemes a browser must never be sent to with an authorization code.
const FORBIDDEN_SCHEMES = new Set(["javascript:", "data:", "file:", "vbscript:"]);
const WEB_SCHEMES = new Set(["http:", "https:"]);

/**
 * Why `uri` cannot be a redirect URI, or undefined. Alation's rule (its API doc): absolute, no fragment, http only
 * for localhost/127.0.0.1 ([::1] too); we add: no wildcard. Private-use schemes of native apps (RFC 8252 section
 * 7.1, e.g. Cursor's `cursor://...`) pass: no Alation document says whether a tenant accepts them, so the tenant
 * decides, and its refusal is explained (privateUseRefusalHint, beside the client table in mcp-clients.ts).
 */
export function redirectUriProblem(uri: string): string | undefined {
  if (uri.includes("*")) return "a redirect URI must not hold a wildcard (*)";
  // URL parsing drops a trailing newline (a value read from a file) and encodes spaces and control characters, so
  // such a URI would pass, be stored as given, and never equal the URI a client sends: refuse it here.
  if (WHITESPACE_OR_CONTROL.test(uri)) return "a redirect URI must not hold spaces, newlines or control characters";
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return mustBeAbsolute("a redirect URI", CLAUDE_REDIRECT_URIS[0]);
  }
  if (uri.includes("#")) return "a redirect URI must not hold a fragment (#...)";
  // `localhost:7777/callback` parses as the scheme `localhost:`: a host and port written without http://.
  const port = WEB_SCHEMES.has(url.protocol) ? undefined : /^(\d+)(\/|$)/.exec(uri.slice(url.protocol.length))?.[1];
  if (port !== undefined) {
    const hostAndPort = `${url.protocol}${port}`;
    const fix = `write http://${hostAndPort}/...`;
    return `a redirect URI needs its scheme: ${hostAndPort} reads as the scheme ${url.protocol}; ${fix}`;
  }
  if (FORBIDDEN_SCHEMES.has(url.protocol)) return `a redirect URI must not use the ${url.protocol} scheme`;
  if (url.protocol === "http:" && !allowsPlainHttp(url.hostname)) return mustUseHttps("a redirect URI");
  if (WEB_SCHEMES.has(url.protocol) && !url.hostname) return "a redirect URI must name a host";
  return undefined;
}

/**
 * Alation's OAuth endpoints, on the tenant (../shared/alation-api.md sections 3 and 4: its RFC 8414 metadata names
 * them).
 */
export const AUTHORIZE_PATH = "/oauth/v1/authorize/";
export const TOKEN_PATH = "/oauth/v1/token/";

/**
 * Whether `endpoint` is the token endpoint of the tenant at `tenantUrl`: that host's `/oauth/v1/token/` (with or
 * without its trailing slash), the one place a client secret may go. Only the host must match: behind a proxy that
 * ends TLS, a tenant may name another scheme or port (an assumption); a token endpoint on another host is not the
 * tenant's.
 */
export function isTenantTokenEndpoint(endpoint: string, tenantUrl: string): boolean {
  try {
    const url = new URL(endpoint, tenantUrl);
    const path = url.pathname.endsWith("/") ? url.pathname : `${url.pathname}/`;
    return url.hostname === new URL(tenantUrl).hostname && path === TOKEN_PATH;
  } catch {
    return false;
  }
}

/** A URL's password (a backend URL such as `postgres://user:password@host/db` may hold one), decoded, or undefined. */
export function urlPassword(url: string): string | undefined {
  try {
    const password = new URL(url).password;
    return password === "" ? undefined : decodeURIComponent(password);
  } catch {
    return undefined;
  }
}

/** The URL with its password masked (for a report or a log line); as written when it has none. */
export function withoutUrlPassword(url: string): string {
  if (urlPassword(url) === undefined) return url;
  const parsed = new URL(url);
  parsed.password = "***";
  return parsed.toString();
}
