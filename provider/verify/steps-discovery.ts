// The first half of Claude's path, before any user: the MCP URL, its 401, the protected resource metadata
// (RFC 9728) and the authorization server's metadata (RFC 8414).
//
// Where the MCP SDK's own OAuth client (what reference MCP clients run) refuses a tenant, the matching step
// fails, judged by the SDK's own schemas and rules; where the SDK proceeds but Claude is known to fail, the step
// fails too and cites Claude's report (CLAUDE_REPORTS). tests/verify/unit.test.ts runs the SDK client against
// the same fake tenants, so the two cannot drift apart unnoticed.
import {
  discoverAuthorizationServerMetadata,
  extractWWWAuthenticateParams,
} from "@modelcontextprotocol/sdk/client/auth.js";
import { OAuthProtectedResourceMetadataSchema } from "@modelcontextprotocol/sdk/shared/auth.js";
import { checkResourceAllowed, resourceUrlFromServerUrl } from "@modelcontextprotocol/sdk/shared/auth-utils.js";
import { LATEST_PROTOCOL_VERSION } from "@modelcontextprotocol/sdk/types.js";
import { CLAUDE_REPORTS, FINDINGS, unfollowedRedirect, type Finding } from "./diagnosis";
import { isObject, isRedirect, readJson, redirectTarget, withoutQuery } from "./http";
import { fail, pass, warn, type StepDefinition, type VerifyContext } from "./step";
import {
  checkHttps443,
  checkTrailingSlash,
  isReachableScheme,
  pathSpecificResourceMetadataUrl,
  urlExtras,
  withTrailingSlash,
} from "./url-rules";

/** The request Claude sends first: MCP initialize, without a token. */
const INITIALIZE_REQUEST = JSON.stringify({
  jsonrpc: "2.0",
  id: 0,
  method: "initialize",
  params: {
    protocolVersion: LATEST_PROTOCOL_VERSION,
    capabilities: {},
    clientInfo: { name: "alation-connector-verify", version: "1" },
  },
});

/** The MCP URL of the context, set by the URL steps (a step that needs them runs only when it is). */
function mcpUrlOf(ctx: VerifyContext): URL {
  if (!ctx.mcpUrl) throw new Error("the MCP URL was not established");
  return ctx.mcpUrl;
}

/** The answer to the unauthenticated MCP request (recorded by mcp-reachable, which the later steps need). */
function challengeOf(ctx: VerifyContext): NonNullable<VerifyContext["challenge"]> {
  if (!ctx.challenge) throw new Error("no answer was recorded");
  return ctx.challenge;
}

/** A finding for a URL that Claude would call over a scheme it refuses. */
function insecureUrl(what: string, url: URL): Finding {
  return {
    cause: `${what} ${withoutQuery(url.href)} is not https`,
    fix: "the tenant must publish https URLs (Claude refuses others)",
  };
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
      const extras = urlExtras(url);
      if (extras) {
        return fail({
          cause: `the Remote MCP server URL holds ${extras}, which no MCP URL has`,
          fix: `set the connector's Remote MCP server URL to ${withTrailingSlash(url).href}`,
        });
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
    id: "mcp-reachable",
    title: "MCP URL is reachable",
    needs: ["mcp-url"],
    async run(ctx) {
      // A network error or a timeout fails here (the step runner names it), before anything is judged.
      const url = mcpUrlOf(ctx);
      const response = await ctx.http.probe(url, {
        method: "POST",
        headers: { "content-type": "application/json", accept: "application/json, text/event-stream" },
        body: INITIALIZE_REQUEST,
      });
      await response.body?.cancel();
      const redirect = isRedirect(response.status) ? redirectTarget(response, url) : undefined;
      ctx.challenge = { status: response.status, wwwAuthenticate: response.headers.get("www-authenticate"), redirect };
      return pass(`HTTP ${response.status} from ${withoutQuery(url.href)}`);
    },
  },
  {
    id: "mcp-no-redirect",
    title: "MCP URL answers without a redirect",
    needs: ["mcp-reachable"],
    run(ctx) {
      const { status, redirect } = challengeOf(ctx);
      if (redirect !== undefined) return fail(unfollowedRedirect(status, withoutQuery(mcpUrlOf(ctx).href), redirect));
      return pass(`HTTP ${status}, no redirect`);
    },
  },
  {
    id: "mcp-401-challenge",
    title: "MCP URL answers 401 with a Bearer challenge",
    needs: ["mcp-no-redirect"],
    run(ctx) {
      const challenge = challengeOf(ctx);
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
          cause:
            "the 401's WWW-Authenticate names no resource_metadata, so Claude cannot find the authorization server",
          fix:
            "the tenant must answer `WWW-Authenticate: Bearer " +
            'resource_metadata="https://TENANT/.well-known/oauth-protected-resource/ai/mcp/"`',
        });
      }
      // The SDK reads the header as Claude's client does; it drops a value that is not an absolute URL.
      const { resourceMetadataUrl, scope } = extractWWWAuthenticateParams(
        new Response(null, { headers: { "www-authenticate": header } }),
      );
      if (!resourceMetadataUrl) {
        return fail({
          cause: `resource_metadata is not an absolute URL (${value}); Claude resolves nothing relative here`,
          fix: "the tenant must name the metadata with its full https URL",
        });
      }
      if (!isReachableScheme(resourceMetadataUrl, ctx.emulator))
        return fail(insecureUrl("resource_metadata", resourceMetadataUrl));
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
        // The SDK then falls back to the MCP URL's origin as the authorization server; Claude does not.
        return fail({
          cause:
            `the resource_metadata URL answers HTTP ${response.status}` +
            `${response.ok ? " without a JSON object" : ""}; ` +
            `Claude finds the authorization server only through this metadata (${CLAUDE_REPORTS.noMetadataFallback})`,
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
      const root = await ctx.http.probe(new URL("/.well-known/oauth-protected-resource", url), {
        headers: { accept: "application/json" },
      });
      await root.body?.cancel();
      return fail({
        cause:
          `${url.pathname} answers HTTP ${response.status}` +
          (root.ok
            ? "; only the root /.well-known/oauth-protected-resource exists, and from it Claude builds a wrong " +
              "authorize URL"
            : ""),
        fix:
          "the tenant must serve the protected resource metadata at the MCP path as well (check that the MCP URL " +
          "is https://TENANT/ai/mcp/)",
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
      // What the SDK does with a list it cannot read: ignore the metadata, and log in at the MCP URL's origin.
      const noFallback =
        `MCP clients ignore such metadata, and Claude has no fallback ` + `(${CLAUDE_REPORTS.noMetadataFallback})`;
      if (!Array.isArray(servers) || servers.length === 0) {
        return fail({
          cause: "authorization_servers is missing or empty, so Claude does not know where to log in",
          fix,
        });
      }
      const notString = servers.find((server) => typeof server !== "string");
      if (notString !== undefined) {
        const what = Array.isArray(notString) ? "nested array" : typeof notString;
        const cause = `authorization_servers holds a ${what}, not a flat array of strings: ${noFallback}`;
        return fail({ cause, fix });
      }
      const parsed = OAuthProtectedResourceMetadataSchema.shape.authorization_servers.safeParse(servers);
      if (!parsed.success) {
        const issues = zodIssues(parsed.error);
        return fail({ cause: `authorization_servers holds values MCP clients refuse (${issues}): ${noFallback}`, fix });
      }
      for (const server of servers as string[]) {
        if (!isReachableScheme(new URL(server), ctx.emulator))
          return fail(insecureUrl("the authorization server", new URL(server)));
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
      let metadata: Awaited<ReturnType<typeof discoverAuthorizationServerMetadata>>;
      try {
        metadata = await discoverAuthorizationServerMetadata(server, { fetchFn: ctx.http.strict });
      } catch (error) {
        if (!isZodError(error)) throw error;
        return fail({
          cause: `MCP clients refuse the authorization server metadata of ${server}: ${zodIssues(error)}`,
          fix: "the tenant's /.well-known/oauth-authorization-server must be RFC 8414 metadata with https endpoints",
        });
      }
      if (!metadata) {
        return fail({
          cause: `no authorization server metadata for ${server} (neither RFC 8414 nor OpenID discovery)`,
          fix: "the tenant must serve /.well-known/oauth-authorization-server",
        });
      }
      for (const [what, endpoint] of [
        ["authorize endpoint", metadata.authorization_endpoint],
        ["token endpoint", metadata.token_endpoint],
      ]) {
        if (!isReachableScheme(new URL(endpoint), ctx.emulator))
          return fail(insecureUrl(`the ${what}`, new URL(endpoint)));
      }
      ctx.asMetadata = metadata;
      const detail = `authorize ${metadata.authorization_endpoint}, token ${metadata.token_endpoint}`;
      if (!sameUrl(metadata.issuer, server)) {
        return warn(
          {
            cause: `issuer ${metadata.issuer} differs from the authorization server ${server}`,
            fix: "strict OAuth clients reject the metadata; the tenant should publish matching values",
          },
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
      const fix =
        "the tenant's OAuth server must offer the authorization_code grant (response type code) and refresh_token";
      if (!metadata?.response_types_supported.includes("code") || !grants.includes("authorization_code")) {
        return fail({
          cause: `grants ${grants.join(", ")}; response types ${metadata?.response_types_supported.join(", ")}`,
          fix,
        });
      }
      if (!grants.includes("refresh_token")) {
        return warn(
          { cause: "no refresh_token grant: users must reconnect whenever the access token expires", fix },
          `grants ${grants.join(", ")}`,
        );
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
        // Without S256 the SDK refuses to start the login. Without the field at all it proceeds, but the MCP
        // authorization spec (2025-11-25, which Claude adopted) says clients must refuse.
        return fail({
          cause: methods
            ? `code_challenge_methods_supported is ${methods.join(", ")}; MCP clients refuse to log in without S256`
            : "the metadata advertises no code_challenge_methods_supported; " +
              "the MCP authorization spec (2025-11-25) has clients refuse to log in",
          fix: 'the authorization server metadata must list "code_challenge_methods_supported": ["S256"]',
        });
      }
      return pass(`code_challenge_methods_supported ${methods.join(", ")}`);
    },
  },
];

/**
 * The protected resource metadata's `resource` must be this MCP URL (RFC 9728 section 3.3). Where the SDK's own
 * rule (checkResourceAllowed: same origin, the MCP URL's path within the resource's) refuses it, so do MCP
 * clients; a resource that merely encloses the MCP URL is accepted by them, with a warning here.
 */
function checkResource(resource: unknown, mcpUrl: URL) {
  const fix = `the protected resource metadata must say "resource": "${mcpUrl.href}"`;
  const parsed = OAuthProtectedResourceMetadataSchema.shape.resource.safeParse(resource);
  if (!parsed.success) return fail({ cause: "the protected resource metadata has no `resource` URL", fix });
  if (!checkResourceAllowed({ requestedResource: resourceUrlFromServerUrl(mcpUrl), configuredResource: parsed.data })) {
    const cause = `resource ${parsed.data} is not this MCP URL ${mcpUrl.href} (RFC 9728 3.3); clients refuse it`;
    return fail({ cause, fix });
  }
  if (!sameUrl(parsed.data, mcpUrl.href)) {
    return warn(
      {
        cause: `resource ${parsed.data} encloses the MCP URL ${mcpUrl.href} but is not it (RFC 9728 3.3: identical)`,
        fix,
      },
      `resource ${parsed.data}`,
    );
  }
  return pass(`resource ${parsed.data}`);
}

/** True for the validation error of a zod schema (the SDK parses metadata with zod). */
function isZodError(error: unknown): error is { issues: Array<{ path: PropertyKey[]; message: string }> } {
  return error instanceof Error && error.name === "ZodError" && Array.isArray((error as { issues?: unknown }).issues);
}

/** A zod error's issues in one line: `authorization_endpoint: URL cannot use javascript:...`. */
function zodIssues(error: { issues: Array<{ path: PropertyKey[]; message: string }> }): string {
  const where = (path: PropertyKey[]) => path.map(String).join(".") || "the document";
  return error.issues.map((issue) => `${where(issue.path)}: ${issue.message}`).join("; ");
}

/** Two URLs are the same up to one trailing slash. */
function sameUrl(a: string, b: string): boolean {
  const normal = (s: string) => (URL.canParse(s) ? new URL(s).href : s).replace(/\/$/, "");
  return normal(a) === normal(b);
}
