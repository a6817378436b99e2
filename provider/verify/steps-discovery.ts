// The first half of Claude's path, before any user: the MCP URL, its 401, the protected resource metadata
// (RFC 9728) and the authorization server's metadata (RFC 8414).
import { discoverAuthorizationServerMetadata, extractWWWAuthenticateParams } from "@modelcontextprotocol/sdk/client/auth.js";
import { LATEST_PROTOCOL_VERSION } from "@modelcontextprotocol/sdk/types.js";
import { FINDINGS, unfollowedRedirect, type Finding } from "./diagnosis";
import { isObject, isRedirect, readJson, redirectTarget, withoutQuery } from "./http";
import { fail, pass, warn, type StepDefinition, type VerifyContext } from "./step";
import { checkHttps443, checkTrailingSlash, isReachableScheme, pathSpecificResourceMetadataUrl, withTrailingSlash } from "./url-rules";

/** The request Claude sends first: MCP initialize, without a token. */
const INITIALIZE_REQUEST = JSON.stringify({
  jsonrpc: "2.0",
  id: 0,
  method: "initialize",
  params: { protocolVersion: LATEST_PROTOCOL_VERSION, capabilities: {}, clientInfo: { name: "alation-connector-verify", version: "1" } },
});

/** The MCP URL of the context, set by the URL steps (a step that needs them runs only when it is). */
function mcpUrlOf(ctx: VerifyContext): URL {
  if (!ctx.mcpUrl) throw new Error("the MCP URL was not established");
  return ctx.mcpUrl;
}

/** A finding for a URL that Claude would call over a scheme it refuses. */
function insecureUrl(what: string, url: URL): Finding {
  return { cause: `${what} ${withoutQuery(url.href)} is not https`, fix: "the tenant must publish https URLs (Claude refuses others)" };
}

export const discoverySteps: StepDefinition[] = [
  {
    id: "mcp-url",
    title: "MCP URL is https on port 443",
    run(ctx) {
      let url: URL;
      try {
        url = new URL(ctx.input.remoteMcpServerUrl);
      } catch {
        return fail({ ...FINDINGS.wrongMcpPath, cause: "the Remote MCP server URL is not a URL" });
      }
      const verdict = checkHttps443(url, ctx.emulator);
      if (verdict.status !== "fail") ctx.mcpUrl = withTrailingSlash(url);
      return verdict;
    },
  },
  {
    id: "mcp-url-trailing-slash",
    title: "MCP URL ends with a slash",
    needs: ["mcp-url"],
    run: (ctx) => checkTrailingSlash(new URL(ctx.input.remoteMcpServerUrl)),
  },
  {
    id: "mcp-no-redirect",
    title: "MCP URL answers without a redirect",
    needs: ["mcp-url"],
    async run(ctx) {
      const url = mcpUrlOf(ctx);
      const response = await ctx.http.probe(url, {
        method: "POST",
        headers: { "content-type": "application/json", accept: "application/json, text/event-stream" },
        body: INITIALIZE_REQUEST,
      });
      await response.body?.cancel();
      if (isRedirect(response.status)) {
        return fail(unfollowedRedirect(response.status, withoutQuery(url.href), redirectTarget(response, url)));
      }
      ctx.challenge = { status: response.status, wwwAuthenticate: response.headers.get("www-authenticate") };
      return pass(`HTTP ${response.status} from ${withoutQuery(url.href)}`);
    },
  },
  {
    id: "mcp-401-challenge",
    title: "MCP URL answers 401 with a Bearer challenge",
    needs: ["mcp-no-redirect"],
    run(ctx) {
      const challenge = ctx.challenge;
      if (!challenge) throw new Error("no answer was recorded");
      if (challenge.status === 404) return fail(FINDINGS.wrongMcpPath, "HTTP 404");
      if (challenge.status !== 401) {
        return fail({
          cause: `HTTP ${challenge.status} to an MCP request without a token; Claude starts OAuth only on a 401`,
          fix: `${FINDINGS.wrongMcpPath.fix}; check that the tenant's MCP server is enabled`,
        });
      }
      if (!/^\s*bearer\b/i.test(challenge.wwwAuthenticate ?? "")) {
        return fail({
          cause: "the 401 carries no `WWW-Authenticate: Bearer` challenge, so Claude cannot discover how to log in",
          fix: FINDINGS.wrongMcpPath.fix,
        });
      }
      return pass("HTTP 401 with WWW-Authenticate: Bearer");
    },
  },
  {
    id: "resource-metadata-url",
    title: "401 names an absolute resource_metadata URL",
    needs: ["mcp-401-challenge"],
    run(ctx) {
      const header = ctx.challenge?.wwwAuthenticate ?? "";
      const raw = /resource_metadata="([^"]*)"|resource_metadata=([^\s,]+)/.exec(header);
      const value = raw?.[1] ?? raw?.[2];
      if (!value) {
        return fail({
          cause: "the 401's WWW-Authenticate names no resource_metadata, so Claude cannot find the authorization server",
          fix: "the tenant must answer `WWW-Authenticate: Bearer resource_metadata=\"https://TENANT/.well-known/oauth-protected-resource/ai/mcp/\"`",
        });
      }
      // The SDK reads the header as Claude's client does; it drops a value that is not an absolute URL.
      const { resourceMetadataUrl, scope } = extractWWWAuthenticateParams(new Response(null, { headers: { "www-authenticate": header } }));
      if (!resourceMetadataUrl) {
        return fail({
          cause: `resource_metadata is not an absolute URL (${value}); Claude resolves nothing relative here`,
          fix: "the tenant must name the metadata with its full https URL",
        });
      }
      if (!isReachableScheme(resourceMetadataUrl, ctx.emulator)) return fail(insecureUrl("resource_metadata", resourceMetadataUrl));
      ctx.resourceMetadataUrl = resourceMetadataUrl;
      ctx.challengeScope = scope;
      return pass(`resource_metadata=${withoutQuery(resourceMetadataUrl.href)}`);
    },
  },
  {
    id: "protected-resource-metadata",
    title: "protected resource metadata names this MCP URL",
    needs: ["resource-metadata-url"],
    async run(ctx) {
      const metadataUrl = ctx.resourceMetadataUrl as URL;
      const response = await ctx.http.strict(metadataUrl, { headers: { accept: "application/json" } });
      const body = await readJson(response);
      if (!response.ok || !isObject(body)) {
        return fail({
          cause: `the resource_metadata URL answers HTTP ${response.status}${response.ok ? " without a JSON object" : ""}`,
          fix: "the tenant must serve RFC 9728 protected resource metadata at the URL its 401 names",
        });
      }
      ctx.resourceMetadata = body;
      return checkResource(body.resource, mcpUrlOf(ctx));
    },
  },
  {
    id: "path-specific-resource-metadata",
    title: "path-specific protected resource metadata exists",
    needs: ["mcp-401-challenge"],
    async run(ctx) {
      const url = pathSpecificResourceMetadataUrl(mcpUrlOf(ctx));
      const response = await ctx.http.probe(url, { headers: { accept: "application/json" } });
      const body = isRedirect(response.status) ? undefined : await readJson(response);
      if (response.ok && isObject(body)) return pass(`${url.pathname} serves JSON`);
      if (isRedirect(response.status)) {
        await response.body?.cancel();
        return fail(unfollowedRedirect(response.status, url.href, redirectTarget(response, url)));
      }
      const root = await ctx.http.probe(new URL("/.well-known/oauth-protected-resource", url), { headers: { accept: "application/json" } });
      await root.body?.cancel();
      return fail({
        cause:
          `${url.pathname} answers HTTP ${response.status}` +
          (root.ok ? "; only the root /.well-known/oauth-protected-resource exists, and from it Claude builds a wrong authorize URL" : ""),
        fix: "the tenant must serve the protected resource metadata at the MCP path as well (check that the MCP URL is https://TENANT/ai/mcp/)",
      });
    },
  },
  {
    id: "authorization-servers",
    title: "authorization_servers is a flat array of URLs",
    needs: ["protected-resource-metadata"],
    run(ctx) {
      const servers = ctx.resourceMetadata?.authorization_servers;
      const fix = 'the protected resource metadata must say "authorization_servers": ["https://TENANT"]';
      if (!Array.isArray(servers) || servers.length === 0) {
        return fail({ cause: "authorization_servers is missing or empty, so Claude does not know where to log in", fix });
      }
      const notString = servers.find((server) => typeof server !== "string");
      if (notString !== undefined) {
        return fail({ cause: `authorization_servers holds a ${Array.isArray(notString) ? "nested array" : typeof notString}, not a flat array of strings`, fix });
      }
      for (const server of servers as string[]) {
        if (!URL.canParse(server)) return fail({ cause: `authorization_servers holds ${JSON.stringify(server)}, not an absolute URL`, fix });
        if (!isReachableScheme(new URL(server), ctx.emulator)) return fail(insecureUrl("the authorization server", new URL(server)));
      }
      ctx.authorizationServer = servers[0] as string;
      return pass(servers.join(", "));
    },
  },
  {
    id: "authorization-server-metadata",
    title: "authorization server metadata (RFC 8414) is served",
    needs: ["authorization-servers"],
    async run(ctx) {
      const server = ctx.authorizationServer as string;
      const metadata = await discoverAuthorizationServerMetadata(server, { fetchFn: ctx.http.strict });
      if (!metadata) {
        return fail({
          cause: `no authorization server metadata for ${server} (neither RFC 8414 nor OpenID discovery)`,
          fix: "the tenant must serve /.well-known/oauth-authorization-server",
        });
      }
      for (const [what, endpoint] of [["authorize endpoint", metadata.authorization_endpoint], ["token endpoint", metadata.token_endpoint]]) {
        if (!isReachableScheme(new URL(endpoint), ctx.emulator)) return fail(insecureUrl(`the ${what}`, new URL(endpoint)));
      }
      ctx.asMetadata = metadata;
      const detail = `authorize ${metadata.authorization_endpoint}, token ${metadata.token_endpoint}`;
      if (!sameUrl(metadata.issuer, server)) {
        return warn(
          { cause: `issuer ${metadata.issuer} differs from the authorization server ${server}`, fix: "strict OAuth clients reject the metadata; the tenant should publish matching values" },
          detail,
        );
      }
      return pass(detail);
    },
  },
  {
    id: "authorization-code-grant",
    title: "authorization-code grant is offered",
    needs: ["authorization-server-metadata"],
    run(ctx) {
      const metadata = ctx.asMetadata;
      // RFC 8414: an absent grant_types_supported means ["authorization_code", "implicit"].
      const grants = metadata?.grant_types_supported ?? ["authorization_code", "implicit"];
      const fix = "the tenant's OAuth server must offer the authorization_code grant (response type code) and refresh_token";
      if (!metadata?.response_types_supported.includes("code") || !grants.includes("authorization_code")) {
        return fail({ cause: `grants ${grants.join(", ")}; response types ${metadata?.response_types_supported.join(", ")}`, fix });
      }
      if (!grants.includes("refresh_token")) {
        return warn({ cause: "no refresh_token grant: users must reconnect whenever the access token expires", fix }, `grants ${grants.join(", ")}`);
      }
      return pass(`grants ${grants.join(", ")}`);
    },
  },
  {
    id: "pkce-s256",
    title: "PKCE S256 is offered",
    needs: ["authorization-server-metadata"],
    run(ctx) {
      const methods = ctx.asMetadata?.code_challenge_methods_supported;
      if (!methods?.includes("S256")) {
        return fail({
          cause: methods ? `code_challenge_methods_supported is ${methods.join(", ")}` : "the metadata advertises no code_challenge_methods_supported; MCP clients then refuse to log in",
          fix: 'the authorization server metadata must list "code_challenge_methods_supported": ["S256"]',
        });
      }
      return pass(`code_challenge_methods_supported ${methods.join(", ")}`);
    },
  },
];

/** The protected resource metadata's `resource` must be this MCP URL (RFC 9728 section 3.3). */
function checkResource(resource: unknown, mcpUrl: URL) {
  const fix = `the protected resource metadata must say "resource": "${mcpUrl.href}"`;
  if (typeof resource !== "string" || !URL.canParse(resource)) {
    return fail({ cause: "the protected resource metadata has no `resource` URL", fix });
  }
  const url = new URL(resource);
  if (url.origin !== mcpUrl.origin) return fail({ cause: `resource ${resource} is on another origin than ${mcpUrl.origin}`, fix });
  if (!sameUrl(resource, mcpUrl.href)) {
    return warn({ cause: `resource ${resource} differs from the MCP URL ${mcpUrl.href}`, fix }, `resource ${resource}`);
  }
  return pass(`resource ${resource}`);
}

/** Two URLs are the same up to one trailing slash. */
function sameUrl(a: string, b: string): boolean {
  const normal = (s: string) => (URL.canParse(s) ? new URL(s).href : s).replace(/\/$/, "");
  return normal(a) === normal(b);
}
