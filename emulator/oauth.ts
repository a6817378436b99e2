// The OAuth endpoints: the v1 user flow (authorize with a login: authorize.ts; token with authorization_code + PKCE
// S256 or refresh_token), the v2 client-credentials token, and token introspection. Errors follow RFC 6749.
import { createHash } from "node:crypto";
import { authorize } from "./authorize";
import { HttpError, basicCredentials, mediaType, parseFormBody, sendJson } from "./http";
import { loginFormRoutes } from "./login-form";
import type { RequestContext, Route } from "./router";
import { authenticateServiceAccount } from "./service-accounts";
import type { ClientRecord } from "./store";
import { findClient, sameSecret, type Tenant } from "./tenant";
import {
  issueServiceToken,
  issueUserTokens,
  oauthError,
  resolveJwt,
  resolveStoredToken,
  type TokenAnswer,
} from "./tokens";

const NO_STORE = { "Cache-Control": "no-store", Pragma: "no-cache" };

export function oauthRoutes(): Route[] {
  return [
    { methods: ["GET"], pattern: "/oauth/v1/authorize/", handle: authorize },
    ...loginFormRoutes(),
    { methods: ["POST"], pattern: "/oauth/v1/token/", handle: userToken },
    { methods: ["POST"], pattern: "/oauth/v2/token/", handle: serviceToken },
    { methods: ["POST"], pattern: "/oauth/v2/introspect/", handle: introspect },
  ];
}

async function userToken(ctx: RequestContext): Promise<void> {
  const form = await tokenForm(ctx);
  const client = authenticateClient(ctx, form);
  const grantType = form.get("grant_type");
  let answer: TokenAnswer;
  if (grantType === "authorization_code") answer = await exchangeCode(ctx.tenant, client, form);
  else if (grantType === "refresh_token") answer = await refresh(ctx.tenant, client, form);
  else throw unsupportedGrant(grantType);
  sendJson(ctx.res, 200, answer, NO_STORE);
}

async function exchangeCode(tenant: Tenant, client: ClientRecord, form: URLSearchParams): Promise<TokenAnswer> {
  const code = form.get("code") ?? "";
  const entry = tenant.codes.get(code);
  if (!entry) throw oauthError(400, "invalid_grant", "Invalid authorization code.");
  if (entry.used) {
    // A replayed code: revoke what it gave (RFC 6749 section 4.1.2).
    const issued = entry.issuedTokens;
    await tenant.store.update((draft) => issued.forEach((token) => delete draft.tokens[token]));
    throw oauthError(400, "invalid_grant", "Authorization code has already been used.");
  }
  entry.used = true; // spent by any attempt, right or wrong
  if (entry.clientId !== client.client_id)
    throw oauthError(400, "invalid_grant", "Authorization code was issued to another client.");
  if (entry.expiresAt <= tenant.now()) throw oauthError(400, "invalid_grant", "Authorization code has expired.");
  const redirectUri = form.get("redirect_uri");
  if (
    entry.redirectUri !== undefined
      ? redirectUri !== entry.redirectUri
      : redirectUri !== null && !client.redirect_uris.includes(redirectUri)
  ) {
    throw oauthError(400, "invalid_grant", "Mismatching redirect URI.");
  }
  if (entry.codeChallenge !== undefined) {
    const verifier = form.get("code_verifier");
    if (verifier === null) throw oauthError(400, "invalid_grant", "Code verifier required.");
    if (createHash("sha256").update(verifier).digest("base64url") !== entry.codeChallenge) {
      throw oauthError(400, "invalid_grant", "Code verifier does not match the code challenge.");
    }
  }
  const answer = await issueUserTokens(tenant, client, entry.userId, entry.scope);
  entry.issuedTokens.push(answer.access_token, answer.refresh_token as string);
  return answer;
}

async function refresh(tenant: Tenant, client: ClientRecord, form: URLSearchParams): Promise<TokenAnswer> {
  const token = form.get("refresh_token") ?? "";
  const tokens = tenant.store.state.tokens;
  const stored = Object.prototype.hasOwnProperty.call(tokens, token) ? tokens[token] : undefined;
  if (
    !stored ||
    stored.kind !== "oauth-refresh" ||
    stored.expires_at <= tenant.now() ||
    stored.client_id !== client.client_id
  ) {
    throw oauthError(400, "invalid_grant", "Invalid refresh token.");
  }
  return issueUserTokens(tenant, client, stored.user_id, stored.scope ?? "", token);
}

/**
 * Client credentials, for service accounts only (../shared/alation-api.md section 3). An OAuth application (a
 * user-facing client such as Claude's) is refused even with its right secret: `unauthorized_client` is the emulator's
 * choice (RFC 6749 5.2); Alation may as well not know its id here (`invalid_client`). Errors carry Alation's `code`.
 */
async function serviceToken(ctx: RequestContext): Promise<void> {
  try {
    const form = await tokenForm(ctx);
    const grantType = form.get("grant_type");
    if (grantType !== "client_credentials") throw unsupportedGrant(grantType);
    const { clientId, secret, basic } = clientCredentialsOf(ctx, form);
    const account = authenticateServiceAccount(ctx.tenant, clientId, secret);
    if (!account) {
      const application = findClient(ctx.tenant, clientId);
      if (application && secret !== null && sameSecret(application.client_secret, secret)) {
        const why = "This client is an OAuth application, not a service account: it may not use client credentials.";
        throw oauthError(400, "unauthorized_client", why);
      }
      throw invalidClient(basic);
    }
    sendJson(ctx.res, 200, await issueServiceToken(ctx.tenant, account), NO_STORE);
  } catch (err) {
    if (!(err instanceof HttpError) || typeof err.body !== "object") throw err;
    throw new HttpError(err.status, { ...err.body, code: String(err.status) }, err.headers);
  }
}

/** A missing grant type is as unsupported as a wrong one (../shared/alation-api.md section 3). */
function unsupportedGrant(grantType: string | null): HttpError {
  const description = grantType === null ? "Missing grant_type parameter." : `Unsupported grant type: ${grantType}`;
  return oauthError(400, "unsupported_grant_type", description);
}

/** RFC 7662. The caller authenticates as a client (Basic or body) or with the admin TOKEN header. */
async function introspect(ctx: RequestContext): Promise<void> {
  const form = await tokenForm(ctx);
  const adminHeader = ctx.req.headers.token;
  const { clientId, secret } = clientCredentialsOf(ctx, form);
  const asAdmin = typeof adminHeader === "string" && ctx.tenant.isAdminToken(adminHeader);
  if (!asAdmin && !authenticateServiceAccount(ctx.tenant, clientId, secret)) authenticateClient(ctx, form);
  const token = form.get("token") ?? "";
  const grant = (await resolveJwt(ctx.tenant, token)) ?? resolveStoredToken(ctx.tenant, token, "oauth-access");
  if (grant) {
    sendJson(ctx.res, 200, {
      active: true,
      client_id: grant.clientId,
      sub: String(grant.user.id),
      username: grant.user.username,
      scope: grant.scope,
      token_type: "Bearer",
      exp: Math.floor(grant.expiresAt / 1000),
    });
    return;
  }
  const stored = ctx.tenant.store.state.tokens[token];
  const activeRefresh =
    Object.prototype.hasOwnProperty.call(ctx.tenant.store.state.tokens, token) &&
    stored.kind === "oauth-refresh" &&
    stored.expires_at > ctx.tenant.now();
  sendJson(
    ctx.res,
    200,
    activeRefresh
      ? {
          active: true,
          client_id: stored.client_id,
          sub: String(stored.user_id),
          token_type: "refresh_token",
          exp: Math.floor(stored.expires_at / 1000),
        }
      : { active: false },
  );
}

/** A client's credentials as a request gives them. */
interface GivenCredentials {
  clientId: string | null;
  secret: string | null;
  /** Given by HTTP Basic. */
  basic: boolean;
}

/** The client's credentials, by HTTP Basic (RFC 6749 2.3.1, form-encoded parts) or body parameters. */
function clientCredentialsOf(ctx: RequestContext, form: URLSearchParams): GivenCredentials {
  const basic = basicCredentials(ctx.req);
  return basic
    ? { clientId: formDecode(basic.username), secret: formDecode(basic.password), basic: true }
    : { clientId: form.get("client_id"), secret: form.get("client_secret"), basic: false };
}

/** Authenticates an OAuth application (public clients need no secret). */
function authenticateClient(ctx: RequestContext, form: URLSearchParams): ClientRecord {
  const { clientId, secret, basic } = clientCredentialsOf(ctx, form);
  const client = findClient(ctx.tenant, clientId);
  const secretOk =
    client?.client_type === "public" ||
    (secret !== null && client !== undefined && sameSecret(client.client_secret, secret));
  if (!client || !client.is_active || !secretOk) throw invalidClient(basic);
  return client;
}

function invalidClient(basic: boolean): HttpError {
  const challenge: Record<string, string> = basic ? { "WWW-Authenticate": 'Basic realm="oauth"' } : {};
  return oauthError(401, "invalid_client", "Client authentication failed.", challenge);
}

async function tokenForm(ctx: RequestContext): Promise<URLSearchParams> {
  const body = await ctx.body();
  if (mediaType(ctx.req) !== "application/x-www-form-urlencoded") {
    throw oauthError(400, "invalid_request", "The body must be application/x-www-form-urlencoded.");
  }
  return parseFormBody(ctx.req, body);
}

function formDecode(text: string): string {
  try {
    return decodeURIComponent(text.replace(/\+/g, " "));
  } catch {
    return text;
  }
}
