// Facts of Claude's connector to Alation that the component, the schemas and the verifier share: Claude's callbacks,
// the tenant flag of the JWT access tokens, and the loopback callback of `alation-connector verify --login`.

/** Claude's OAuth callbacks; the tenant's application must accept both. */
export const CLAUDE_REDIRECT_URIS = [
  "https://claude.ai/api/mcp/auth_callback",
  "https://claude.com/api/mcp/auth_callback",
] as const;

/** The tenant flag that makes Alation's v1 OAuth stack issue the JWT access tokens the hosted MCP server accepts. */
export const JWT_FEATURE_FLAG = "alation.feature_flags.enable_jwt_in_v1_oauth_stack";

/**
 * The port of the verifier's loopback callback, `http://127.0.0.1:38271/callback` (`--callback-port` changes it).
 * Fixed rather than random because the application must list the exact redirect URI, port included.
 */
export const DEFAULT_CALLBACK_PORT = 38271;

/**
 * The loopback redirect URI on which `verify --login` receives the code (RFC 8252 section 7.3). The literal
 * 127.0.0.1 rather than `localhost`, which may resolve elsewhere (RFC 8252 section 8.3).
 */
export function loopbackRedirectUri(port: number = DEFAULT_CALLBACK_PORT): string {
  return `http://127.0.0.1:${port}/callback`;
}
