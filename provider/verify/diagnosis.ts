// Turns what the tenant answered into a cause and a fix a person can act on. One place for the wording,
// so every step that meets the same problem names it the same way.
import { CLIENTS_PATHS } from "../domain/application-fields";
import { JWT_FEATURE_FLAG } from "../domain/claude-connector";
import type { ResolvedClient } from "../domain/mcp-client-spec";
import { isObject, isRedirect, readJson, redirectTarget, RedirectNotFollowedError, withoutQuery } from "./http";

/** A failure's explanation. */
export interface Finding {
  /** What is wrong. */
  cause: string;
  /** What to do. */
  fix: string;
}

/** The REST call that changes an application, in the generation of the API the tenant serves (alation-api.md 2). */
const CLIENTS_API =
  `PATCH ${CLIENTS_PATHS.a}{client_id}/ (${CLIENTS_PATHS.b}{client_id}/ where the tenant serves that generation ` +
  "of the API)";

/**
 * Claude's public reports of what its connector does where a standard client would not, cited by the findings
 * that rest on them (anthropics/claude-ai-mcp).
 */
export const CLAUDE_REPORTS = {
  /** The connector sends client_secret_post, whatever the metadata says, and never retries with HTTP Basic. */
  clientSecretPost: "anthropics/claude-ai-mcp issue 667",
  /** A connector's client id and secret cannot be edited once it is added. */
  credentialsNotEditable: "anthropics/claude-ai-mcp issue 1000",
  /** Since 2026-01-08 Claude discovers the authorization server only through protected resource metadata. */
  noMetadataFallback: 'anthropics/claude-ai-mcp, announcement "Deprecation of auth_server_metadata discovery fallback"',
} as const;

/** What to do in Claude after the application's credentials changed: the connector cannot be edited. */
const READD_CONNECTOR =
  `a Claude connector's credentials cannot be edited (${CLAUDE_REPORTS.credentialsNotEditable}): ` +
  "remove the connector in Claude and add it again with the new client id and secret";

/** The fixes of the problems that the field reports most often. */
export const FINDINGS = {
  opaqueTokens: {
    cause: "the tenant issues opaque access tokens; Alation's hosted MCP server accepts only JWT access tokens",
    fix:
      `set ${JWT_FEATURE_FLAG} to True (\`alation_conf ${JWT_FEATURE_FLAG} -s True\` in the tenant's shell, ` +
      "or AlationClaudeConnector with manageJwtFeatureFlag)",
  },
  wrongSecret: {
    cause: "the token endpoint refused the client secret (wrong secret, or an old one after a rotation)",
    fix:
      "compare it with clientSecret of `pulumi stack output --json --show-secrets`; a rotation invalidates the old " +
      `secret at once, and ${READD_CONNECTOR}; if the secret is right, check that the application is active`,
  },
  inactiveClient: {
    cause: "the OAuth application is inactive (is_active is False)",
    fix:
      `activate it: ${CLIENTS_API} {"is_active": true}, or Application.is_active = True in alation_django_shell; ` +
      "`pulumi up` restores it when the application is managed by this stack",
  },
  unknownClient: {
    cause: "the tenant knows no OAuth application with this client id",
    fix:
      "copy clientId from the stack outputs; if the application was deleted, run `pulumi up` to recreate it " +
      `(a recreated application has a new id and secret: ${READD_CONNECTOR})`,
  },
  unknownOrInactiveClient: {
    cause:
      "the tenant refuses this client id: the OAuth application is inactive (is_active is False) or does not exist",
    fix:
      `if it exists, activate it (${CLIENTS_API} {"is_active": true}, or Application.is_active = True in ` +
      "alation_django_shell); otherwise copy clientId from the stack outputs, or run `pulumi up` to restore the " +
      `application (a recreated one has a new id and secret: ${READD_CONNECTOR})`,
  },
  wrongMcpPath: {
    cause: "nothing answers MCP at this URL",
    // Custom MCP servers live at /ai/mcp/<server-id>/ (../shared/alation-api.md section 4).
    fix:
      "set the connector's Remote MCP server URL to https://TENANT/ai/mcp/, or https://TENANT/ai/mcp/<server-id>/ " +
      "for a custom MCP server (with the trailing slash)",
  },
  loginNotChecked: {
    cause:
      `not checked without --login: the JWT flag (${JWT_FEATURE_FLAG}) and the user's login; with the flag off ` +
      "every other step passes and Claude's Connect still fails",
    fix: "run again with --login: a browser opens for the login, and the code comes back to the verifier",
  },
} satisfies Record<string, Finding>;

/** The finding of callbacks of the client that the application does not list. */
export function missingRedirectUri(uris: readonly string[], client: Pick<ResolvedClient, "key" | "title">): Finding {
  const listed = uris.join(", ");
  const claude = client.key === "claude";
  const fails = claude ? "Claude's Connect fails there" : `${client.title}'s sign-in fails there`;
  const component = claude ? "AlationClaudeConnector's default redirectUris" : "AlationMcpConnector's client";
  return {
    cause: `the OAuth application does not list ${listed} among its redirect_uris, so ${fails}`,
    fix:
      `add ${listed} to the application's redirect_uris (${CLIENTS_API} {"redirect_uris": [...]}, ` +
      `or ${component}) and run \`pulumi up\``,
  };
}

/** The finding of a loopback redirect URI of the verifier that the application does not list. */
export function missingLoopbackRedirectUri(uri: string): Finding {
  return {
    cause: `the OAuth application does not list ${uri}, where verify --login receives the code`,
    fix:
      "set AlationClaudeConnector's verifierLogin: true (or add the URI to extraRedirectUris) and run `pulumi up`; " +
      "or pass --callback-port with the port of a loopback redirect URI that the application lists",
  };
}

/** The finding of a redirect that Claude would not follow. */
export function unfollowedRedirect(status: number, from: string, to: string): Finding {
  return {
    cause:
      `HTTP ${status} redirect from ${from} to ${to}; Claude does not follow redirects here and tool ` +
      `discovery breaks`,
    fix: `the URL must answer directly: if ${to} is where the server lives, use that (an MCP URL ends with a slash)`,
  };
}

/** An OAuth error as a server stated it. */
export interface OAuthErrorAnswer {
  /** HTTP status (undefined when it came from a redirect's query). */
  status?: number;
  /** The OAuth `error` code, or Alation's `detail` / `error`. */
  error?: string;
  /** The `error_description`, or Alation's `message` / `detail`. */
  description?: string;
}

/** What an OAuth error is about: the client, its redirect URI, or something else in the request. */
export type ErrorSubject = "client" | "redirect" | "request";

/** Decides what an OAuth error is about, from its code and its words. */
export function errorSubject(answer: OAuthErrorAnswer): ErrorSubject {
  const words = `${answer.error ?? ""} ${answer.description ?? ""}`.toLowerCase();
  if (/redirect/.test(words)) return "redirect";
  if (answer.error === "invalid_client" || answer.error === "unauthorized_client") return "client";
  if (
    /client|application/.test(words) &&
    /inactive|disabled|not active|deactivated|unknown|not found|does not exist|no such|invalid/.test(words)
  ) {
    return "client";
  }
  return "request";
}

/** The finding of a refused client: inactive, unknown, or (at the token endpoint) a wrong secret. */
export function clientFinding(answer: OAuthErrorAnswer, secretWasSent: boolean): Finding {
  const words = `${answer.error ?? ""} ${answer.description ?? ""}`.toLowerCase();
  const inactive = /inactive|disabled|not active|deactivated/.test(words);
  const unknown = /unknown|not found|does not exist|no such/.test(words);
  if (inactive && !unknown) return FINDINGS.inactiveClient;
  if (unknown && !inactive) return FINDINGS.unknownClient;
  // The words do not tell (or name both): at the token endpoint the secret is the usual suspect.
  return secretWasSent ? FINDINGS.wrongSecret : FINDINGS.unknownOrInactiveClient;
}

/** One line that quotes what the server said. */
export function describeAnswer(answer: OAuthErrorAnswer): string {
  const parts = [answer.status !== undefined ? `HTTP ${answer.status}` : undefined, answer.error, answer.description];
  return parts.filter((part) => part && part.trim() !== "").join(": ") || "no explanation given";
}

/** The error codes of RFC 6749, as an HTML error page may name them. */
const OAUTH_ERROR_CODES = new RegExp(
  `\\b(${[
    ...["invalid_request", "invalid_client", "invalid_grant", "unauthorized_client", "unsupported_grant_type"],
    ...["unsupported_response_type", "invalid_scope", "access_denied", "server_error", "temporarily_unavailable"],
  ].join("|")})\\b`,
);

/** At most this much of an error page is quoted. */
const MAX_QUOTE = 200;

/** Reads an OAuth-style error out of a response body: RFC 6749 JSON, Alation's DRF shapes, or an HTML error page. */
export async function readErrorAnswer(response: Response): Promise<OAuthErrorAnswer> {
  const text = await response.text();
  const answer: OAuthErrorAnswer = { status: response.status };
  let body: unknown;
  try {
    body = JSON.parse(text) as unknown;
  } catch {
    // An error page (what an authorize endpoint shows before the redirect URI is trusted): its words.
    const words = text
      .replace(/<(script|style)[^>]*>[\s\S]*?<\/\1>/gi, " ")
      .replace(/<[^>]*>/g, " ")
      .replace(/\s+/g, " ")
      .trim();
    const code = OAUTH_ERROR_CODES.exec(words)?.[1];
    const description = (code ? words.replace(code, "") : words).replace(/^\W*(error\b)?\W*/i, "").trim();
    return { ...answer, error: code, description: description.slice(0, MAX_QUOTE) || undefined };
  }
  if (isObject(body)) {
    const text = (key: string): string | undefined =>
      typeof body[key] === "string" ? (body[key] as string) : undefined;
    // DRF answers {"detail": "..."} alone; OAuth answers {"error", "error_description"}.
    answer.error = text("error") ?? text("detail");
    answer.description = text("error_description") ?? text("message") ?? (text("error") ? text("detail") : undefined);
  }
  return answer;
}

/** OAuth errors by which an authorize endpoint says "a user must log in first": the request itself was fine. */
const NEEDS_USER = new Set([
  "login_required",
  "interaction_required",
  "consent_required",
  "account_selection_required",
]);

/** How an authorize endpoint answered a request made without a user. */
export type AuthorizeAnswer =
  { verdict: "accepted"; detail: string } | { verdict: "refused"; subject: ErrorSubject; answer: OAuthErrorAnswer };

/**
 * Classifies an authorize endpoint's answer to a request without a logged-in user. Accepting means
 * showing or redirecting to a login page, or redirecting to the callback with "login required";
 * refusing means an error page, or an error other than "login required".
 */
export async function classifyAuthorizeAnswer(
  response: Response,
  requestUrl: URL,
  redirectUri: string,
): Promise<AuthorizeAnswer> {
  if (isRedirect(response.status)) {
    await response.body?.cancel();
    const location = response.headers.get("location");
    const target = location ? new URL(location, requestUrl) : undefined;
    const error = target?.searchParams.get("error") ?? undefined;
    // Compared without the query: a private-use scheme (cursor://) has no origin to compare.
    const toCallback = target !== undefined && withoutQuery(target.href) === redirectUri;
    if (error && !NEEDS_USER.has(error)) {
      const answer = { error, description: target?.searchParams.get("error_description") ?? undefined };
      return { verdict: "refused", subject: errorSubject(answer), answer };
    }
    const where = toCallback ? "to the client's callback" : `to ${redirectTarget(response, requestUrl)}`;
    return { verdict: "accepted", detail: `HTTP ${response.status} ${where}${error ? ` (${error})` : ""}` };
  }
  const asksForLogin = response.status === 401 && /^\s*basic/i.test(response.headers.get("www-authenticate") ?? "");
  if (response.ok || asksForLogin) {
    // A page for the user: only an explicit JSON error refuses (a login page's words prove nothing).
    const body = await readJson(response);
    if (!isObject(body) || typeof body.error !== "string") {
      return {
        verdict: "accepted",
        detail: `HTTP ${response.status} ${asksForLogin ? "(asks the user to log in)" : "(login page)"}`,
      };
    }
    const description = typeof body.error_description === "string" ? body.error_description : undefined;
    const answer = { status: response.status, error: body.error, description };
    return { verdict: "refused", subject: errorSubject(answer), answer };
  }
  const answer = await readErrorAnswer(response);
  return { verdict: "refused", subject: errorSubject(answer), answer };
}

/** The finding of an error thrown by a call: timeout, network, refused redirect, or anything else. */
export function errorFinding(error: unknown, what: string, timeoutMs: number): Finding {
  if (error instanceof RedirectNotFollowedError) return unfollowedRedirect(error.status, error.from, error.to);
  const name = error instanceof Error ? error.name : "";
  if (name === "TimeoutError" || name === "AbortError") {
    return {
      cause: `${what}: no answer within ${timeoutMs} ms`,
      fix: "check that the tenant is up and reachable from here, or raise --timeout-ms",
    };
  }
  const message = error instanceof Error ? error.message : String(error);
  const reason = error instanceof Error && error.cause instanceof Error ? ` (${error.cause.message})` : "";
  if (error instanceof TypeError && message === "fetch failed") {
    return {
      cause: `${what}: cannot connect${reason}`,
      fix: "check the host name of the Remote MCP server URL (https://TENANT/ai/mcp/) and that it is reachable",
    };
  }
  return {
    cause: `${what}: ${message}${reason}`,
    fix: "see the cause; the tenant's answer was not what Claude expects",
  };
}
