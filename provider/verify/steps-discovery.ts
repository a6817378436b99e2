// The first half of Claude's path, before any user: the MCP URL and its 401 challenge, which names the protected
// resource metadata; the metadata itself (RFC 9728) and the authorization server's (RFC 8414) are
// steps-metadata.ts.
//
// Where the MCP SDK's own OAuth client (what reference MCP clients run) refuses a tenant, the matching step
// fails, judged by the SDK's own schemas and rules; where the SDK proceeds but Claude is known to fail, the step
// fails too and cites Claude's report (CLAUDE_REPORTS). tests/verify/unit.test.ts runs the SDK client against
// the same fake tenants, so the two cannot drift apart unnoticed.
import { extractWWWAuthenticateParams } from "@modelcontextprotocol/sdk/client/auth.js";
import { LATEST_PROTOCOL_VERSION } from "@modelcontextprotocol/sdk/types.js";
import { FINDINGS, unfollowedRedirect, type Finding } from "./diagnosis";
import { isRedirect, redirectTarget, withoutQuery } from "./http";
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
export const INITIALIZE_REQUEST = JSON.stringify({
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
export function mcpUrlOf(ctx: VerifyContext): URL {
  if (!ctx.mcpUrl) throw new Error("the MCP URL was not established");
  return ctx.mcpUrl;
}

/** The answer to the unauthenticated MCP request (recorded by mcp-reachable, which the later steps need). */
function challengeOf(ctx: VerifyContext): NonNullable<VerifyContext["challenge"]> {
  if (!ctx.challenge) throw new Error("no answer was recorded");
  return ctx.challenge;
}

/** A finding for a URL that Claude would call over a scheme it refuses. */
export function insecureUrl(what: string, url: URL): Finding {
  return {
    cause: `${what} ${withoutQuery(url.href)} is not https`,
    fix: "the tenant must publish https URLs (Claude refuses others)",
  };
}

/**
 * An MCP endpoint that answers without a token names no metadata. Unknown whether Claude, told to sign in ("Always
 * required"), then probes the metadata's well-known path, as the MCP authorization spec (2025-11-25) lets clients do:
 * a warning; wizard-authentication fails such an endpoint for what its step 1 detects.
 */
const NO_CHALLENGE: Finding = {
  cause:
    "the MCP URL answers a request without a token, so no 401 names the protected resource metadata; unknown " +
    "whether Claude then finds it at its well-known path (the next steps use that path)",
  fix:
    "the tenant should answer 401 with `WWW-Authenticate: Bearer resource_metadata=...` to a request without a " +
    "token (see wizard-authentication)",
};

export const mcpUrlStep: StepDefinition = {
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
};

export const mcpUrlTrailingSlashStep: StepDefinition = {
  id: "mcp-url-trailing-slash",
  title: "MCP URL ends with a slash",
  needs: ["mcp-url"],
  run: (ctx) => checkTrailingSlash(new URL(ctx.input.remoteMcpServerUrl)),
};

export const mcpReachableStep: StepDefinition = {
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
};

export const mcpNoRedirectStep: StepDefinition = {
  id: "mcp-no-redirect",
  title: "MCP URL answers without a redirect",
  needs: ["mcp-reachable"],
  run(ctx) {
    const { status, redirect } = challengeOf(ctx);
    if (redirect !== undefined) return fail(unfollowedRedirect(status, withoutQuery(mcpUrlOf(ctx).href), redirect));
    return pass(`HTTP ${status}, no redirect`);
  },
};

export const mcp401ChallengeStep: StepDefinition = {
  id: "mcp-401-challenge",
  title: "MCP URL answers 401 with a Bearer challenge",
  needs: ["mcp-no-redirect"],
  run(ctx) {
    const challenge = challengeOf(ctx);
    if (challenge.status === 404) return fail(FINDINGS.wrongMcpPath, "HTTP 404");
    if (challenge.status >= 200 && challenge.status < 300) return warn(NO_CHALLENGE, `HTTP ${challenge.status}`);
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
};

export const resourceMetadataUrlStep: StepDefinition = {
  id: "resource-metadata-url",
  title: "401 names an absolute resource_metadata URL",
  needs: ["mcp-401-challenge"],
  run(ctx) {
    const header = ctx.challenge?.wwwAuthenticate ?? "";
    if (!/^\s*bearer\b/i.test(header)) {
      // No challenge (mcp-401-challenge warned): the metadata's well-known path, as a client may probe it.
      ctx.resourceMetadataUrl = pathSpecificResourceMetadataUrl(mcpUrlOf(ctx));
      return pass(`no challenge; the well-known ${ctx.resourceMetadataUrl.pathname}`);
    }
    const raw = /resource_metadata="([^"]*)"|resource_metadata=([^\s,]+)/.exec(header);
    const value = raw?.[1] ?? raw?.[2];
    if (!value) {
      return fail({
        cause: "the 401's WWW-Authenticate names no resource_metadata, so Claude cannot find the authorization server",
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
};
