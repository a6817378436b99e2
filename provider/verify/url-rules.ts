// What Claude's backend demands of the URLs it is given, decided without any network call.
import { isLoopbackHost } from "../domain/urls";

/** The verdict of a URL rule. */
export type UrlVerdict =
  { status: "pass"; detail: string } | { status: "warn" | "fail"; detail: string; cause: string; fix: string };

/** Claude's backend reaches MCP servers over https on port 443 only; the emulator's loopback http is tolerated. */
export function checkHttps443(url: URL, emulator: boolean): UrlVerdict {
  const port = url.port || (url.protocol === "https:" ? "443" : url.protocol === "http:" ? "80" : "");
  const loopback = isLoopbackHost(url.hostname);
  if (url.protocol === "https:" && port === "443") {
    return { status: "pass", detail: `https on port 443 (${url.host})` };
  }
  if (loopback && (url.protocol === "http:" || url.protocol === "https:")) {
    const detail = `${url.protocol.slice(0, -1)} on port ${port} of loopback host ${url.hostname}`;
    if (emulator) {
      return {
        status: "warn",
        detail,
        cause: "a loopback URL is accepted only because this is the emulator; Claude's backend cannot reach it",
        fix: "a real connector uses https://TENANT/ai/mcp/ on port 443",
      };
    }
    return {
      status: "fail",
      detail,
      cause: "a loopback URL is accepted only against the emulator, and Claude's backend cannot reach it",
      fix: "if this is the emulator, run again with --emulator; a connector Claude can use has https://TENANT/ai/mcp/",
    };
  }
  if (url.protocol !== "https:") {
    return {
      status: "fail",
      detail: `scheme ${url.protocol.slice(0, -1)}`,
      cause: "Claude connects to remote MCP servers over https only",
      fix: `use ${onHttps443(url).href}`,
    };
  }
  return {
    status: "fail",
    detail: `https on port ${port}`,
    cause: `Claude's backend reaches MCP servers on port 443 only, not on port ${port}`,
    fix: `serve the MCP endpoint on port 443 and use ${onHttps443(url).href}`,
  };
}

/**
 * What a URL holds that no MCP URL may: credentials, a query string or a fragment. Named, never quoted
 * (credentials are secrets). Undefined when there is none.
 */
export function urlExtras(url: URL): string | undefined {
  const extras = [
    url.username || url.password ? "credentials (user:password@)" : undefined,
    url.search ? "a query string" : undefined,
    url.hash ? "a fragment" : undefined,
  ].filter((extra): extra is string => extra !== undefined);
  return extras.length > 0 ? extras.join(" and ") : undefined;
}

/** The same URL on https and the default port, with a trailing slash, without userinfo, query or fragment. */
function onHttps443(url: URL): URL {
  const copy = new URL(url.href);
  copy.protocol = "https:";
  copy.port = "";
  return withTrailingSlash(copy);
}

/** Alation's hosted MCP server lives at /ai/mcp/ and the trailing slash is required. */
export function checkTrailingSlash(url: URL): UrlVerdict {
  if (url.pathname.endsWith("/")) return { status: "pass", detail: `path ${url.pathname}` };
  return {
    status: "fail",
    detail: `path ${url.pathname} has no trailing slash; the other steps use ${url.pathname}/`,
    // Claude strips the slash whatever is typed (mcp-url-without-slash checks that path); other clients keep it.
    cause:
      "Alation's docs require the trailing slash (agent-studio-docs integrations/mcp-clients/snowflake.mdx): MCP " +
      "clients that call the URL as given meet whatever the tenant answers without it",
    fix: `set the connector's Remote MCP server URL to ${withTrailingSlash(url).href}`,
  };
}

/** The URL with a trailing slash on its path, without userinfo, query or fragment (none belongs in an MCP URL). */
export function withTrailingSlash(url: URL): URL {
  const copy = new URL(url.href);
  copy.username = "";
  copy.password = "";
  copy.search = "";
  copy.hash = "";
  if (!copy.pathname.endsWith("/")) copy.pathname = `${copy.pathname}/`;
  return copy;
}

/**
 * The path-specific protected resource metadata URL of RFC 9728 (section 3.1): the well-known segment is
 * inserted between the host and the resource's path, e.g. /.well-known/oauth-protected-resource/ai/mcp/.
 */
export function pathSpecificResourceMetadataUrl(mcpUrl: URL): URL {
  return new URL(`/.well-known/oauth-protected-resource${mcpUrl.pathname}`, mcpUrl.origin);
}

/** True when a URL Claude will call is acceptable: https, or loopback http against the emulator. */
export function isReachableScheme(url: URL, emulator: boolean): boolean {
  return url.protocol === "https:" || (emulator && url.protocol === "http:" && isLoopbackHost(url.hostname));
}
