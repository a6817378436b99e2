// The authorize step of the v1 user flow (RFC 6749 section 4.1): check the client, its redirect URI and PKCE S256,
// log the user in, and send a one-minute code to the redirect URI.
//
// Logging in at the authorize step (any one of):
//  - a session cookie from the HTML login form (login-form.ts), shown otherwise: what a browser does;
//  - without a browser, for tests: HTTP Basic credentials of a tenant user on the authorize request itself, or
//    the query parameters `login_hint=<username>&emulator_password=<password>`.
import type { ServerResponse } from "node:http";
import { basicCredentials, escapeHtml, sendText } from "./http";
import { sessionUser, showLoginForm } from "./login-form";
import type { RequestContext } from "./router";
import { findClient, randomToken, type AuthorizationCode, type Tenant, type TenantUser } from "./tenant";

const CODE_LIFETIME_MS = 60 * 1000;

export async function authorize(ctx: RequestContext): Promise<void> {
  const { tenant, query } = ctx;
  const client = findClient(tenant, query.get("client_id"));
  // Until the client and its redirect URI are known to be right, errors are shown, never redirected (RFC 6749 4.1.2.1).
  if (!client || !client.is_active) return errorPage(ctx.res, "invalid_client", "Unknown or inactive client.");
  const givenRedirectUri = query.get("redirect_uri");
  let redirectUri: string;
  if (givenRedirectUri !== null) {
    if (!client.redirect_uris.includes(givenRedirectUri))
      return errorPage(ctx.res, "invalid_request", "Mismatching redirect URI.");
    redirectUri = givenRedirectUri;
  } else {
    if (client.redirect_uris.length !== 1) return errorPage(ctx.res, "invalid_request", "Missing redirect URI.");
    redirectUri = client.redirect_uris[0];
  }
  const state = query.get("state");
  const redirect = (params: Record<string, string>): void => {
    const target = new URL(redirectUri);
    for (const [key, value] of Object.entries(params)) target.searchParams.set(key, value);
    if (state !== null) target.searchParams.set("state", state);
    ctx.res.writeHead(302, { Location: target.href, "Content-Length": 0 });
    ctx.res.end();
  };
  const refuse = (error: string, description: string): void => redirect({ error, error_description: description });

  if (query.get("response_type") !== "code")
    return refuse("unsupported_response_type", "Only response_type=code is supported.");
  const challenge = query.get("code_challenge");
  if (challenge !== null) {
    if (query.get("code_challenge_method") !== "S256")
      return refuse("invalid_request", "Code challenge method must be S256.");
    if (!/^[A-Za-z0-9._~-]{43,128}$/.test(challenge)) return refuse("invalid_request", "Malformed code_challenge.");
  } else if (client.pkce_required) {
    return refuse("invalid_request", "Code challenge required.");
  }

  const user = await authorizingUser(ctx);
  if (!user) return; // the login form (or its refusal) was sent

  const code = randomToken();
  const entry: AuthorizationCode = {
    clientId: client.client_id,
    redirectUri: givenRedirectUri ?? undefined,
    codeChallenge: challenge ?? undefined,
    userId: user.id,
    scope: query.get("scope") ?? "openid",
    expiresAt: tenant.now() + CODE_LIFETIME_MS,
    used: false,
    issuedTokens: [],
  };
  tenant.codes.set(code, entry);
  pruneCodes(tenant);
  redirect({ code });
}

/** The user logging in at the authorize step, or undefined when a login page was sent instead. */
async function authorizingUser(ctx: RequestContext): Promise<TenantUser | undefined> {
  const { tenant, query, req } = ctx;
  const next = req.url ?? "/";
  const basic = basicCredentials(req);
  const hint = query.get("login_hint");
  const password = query.get("emulator_password");
  if (basic || (hint !== null && password !== null)) {
    const user = basic
      ? tenant.login(basic.username, basic.password)
      : tenant.login(hint as string, password as string);
    if (!user) {
      const message = "Please enter a correct email and password.";
      showLoginForm(ctx, 401, stripEmulatorPassword(next), message, { "WWW-Authenticate": 'Basic realm="Alation"' });
    }
    return user;
  }
  const user = sessionUser(ctx);
  if (!user) showLoginForm(ctx, 200, next, "");
  return user;
}

function pruneCodes(tenant: Tenant): void {
  const now = tenant.now();
  for (const [code, entry] of tenant.codes) if (entry.expiresAt + CODE_LIFETIME_MS < now) tenant.codes.delete(code);
}

function stripEmulatorPassword(pathAndQuery: string): string {
  const url = new URL(pathAndQuery, "http://emulator.invalid");
  url.searchParams.delete("emulator_password");
  return url.pathname + url.search;
}

function errorPage(res: ServerResponse, error: string, description: string): void {
  sendText(
    res,
    400,
    `<!doctype html><title>Error</title><h1>${escapeHtml(error)}</h1><p>${escapeHtml(description)}</p>\n`,
    "text/html; charset=utf-8",
  );
}
