// Claude's path after the 401: the protected resource metadata (RFC 9728) that the challenge names, and the
// authorization server's metadata (RFC 8414), with the grants and PKCE it offers. Judged as in steps-discovery.ts:
// by the MCP SDK's own schemas and rules, and by Claude's reports where Claude differs.
import { discoverAuthorizationServerMetadata } from "@modelcontextprotocol/sdk/client/auth.js";
import { OAuthProtectedResourceMetadataSchema } from "@modelcontextprotocol/sdk/shared/auth.js";
import { checkResourceAllowed, resourceUrlFromServerUrl } from "@modelcontextprotocol/sdk/shared/auth-utils.js";
import { isTenantTokenEndpoint, TOKEN_PATH } from "../domain/urls";
import { CLAUDE_REPORTS, unfollowedRedirect } from "./diagnosis";
import { isObject, isRedirect, readJson, redirectTarget } from "./http";
import { insecureUrl, mcpUrlOf } from "./steps-discovery";
import { fail, pass, warn, type StepDefinition } from "./step";
import { isReachableScheme, pathSpecificResourceMetadataUrl } from "./url-rules";

export const protectedResourceMetadataStep: StepDefinition = {
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
};

export const pathSpecificResourceMetadataStep: StepDefinition = {
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
};

export const authorizationServersStep: StepDefinition = {
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
};

export const authorizationServerMetadataStep: StepDefinition = {
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
};

/**
 * The client secret goes only to the tenant: the token endpoint must be the MCP URL's host's `/oauth/v1/token/`, where
 * Alation serves it (the provider's evidence that a URL is an Alation tenant, tenant-probe.ts). A mistyped MCP URL
 * whose server publishes its own metadata, or metadata naming another host, gets no secret: every step that sends it
 * needs this one.
 */
export const tokenEndpointTenantStep: StepDefinition = {
  id: "token-endpoint-tenant",
  title: "the token endpoint is the tenant's own, the one place the client secret goes",
  needs: ["authorization-server-metadata"],
  run(ctx) {
    const endpoint = String(ctx.asMetadata?.token_endpoint);
    const tenant = mcpUrlOf(ctx);
    if (isTenantTokenEndpoint(endpoint, tenant.href)) return pass(endpoint);
    return fail({
      cause:
        `the token endpoint ${endpoint} is not ${tenant.host}'s ${TOKEN_PATH}, where an Alation tenant serves it: ` +
        "the client secret was not sent to it, and the steps that send it were not run",
      fix:
        "check the MCP URL's host (a mistyped one is another server); an Alation tenant's authorization server " +
        `metadata names https://TENANT${TOKEN_PATH}`,
    });
  },
};

export const authorizationCodeGrantStep: StepDefinition = {
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
};

export const pkceS256Step: StepDefinition = {
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
};

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
