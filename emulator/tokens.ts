// Access tokens: issuing them (OAuth v1 user tokens, v2 service-account JWTs) and finding out whom a presented
// token stands for.
import { HttpError } from "./http";
import { looksLikeJwt } from "./signing";
import type { ClientRecord, ServiceAccountRecord, TenantState } from "./store";
import { randomToken, systemUserOf, type Tenant, type TenantUser } from "./tenant";

/** Whom a valid token stands for. */
export interface TokenGrant {
  user: TenantUser;
  kind: "legacy" | "service-jwt" | "user-jwt" | "user-opaque";
  /** The OAuth application or service account the token was issued to (none for legacy tokens). */
  clientId?: string;
  scope: string;
  /** Epoch ms. */
  expiresAt: number;
}

/** An RFC 6749 error answer. */
export function oauthError(
  status: number,
  error: string,
  description: string,
  headers: Record<string, string> = {},
): HttpError {
  return new HttpError(status, { error, error_description: description }, { "Cache-Control": "no-store", ...headers });
}

/** The answer of a token endpoint. */
export interface TokenAnswer {
  access_token: string;
  token_type: "Bearer";
  expires_in: number;
  refresh_token?: string;
  scope?: string;
}

/**
 * Issues the user tokens of the v1 stack: a JWT access token when the tenant issues them (`Tenant.issuesUserJwts`:
 * the flag `alation.feature_flags.enable_jwt_in_v1_oauth_stack` is True, or the tenant does not need it), an opaque
 * one otherwise, and an opaque refresh token. `consumeRefreshToken` is spent in the same transaction (refresh token
 * rotation): if it is already gone, nothing is issued and the answer is invalid_grant.
 */
export async function issueUserTokens(
  tenant: Tenant,
  client: ClientRecord,
  userId: number,
  scope: string,
  consumeRefreshToken?: string,
): Promise<TokenAnswer> {
  const now = tenant.now();
  const jwtMode = tenant.issuesUserJwts();
  const accessExpiresAt = now + client.access_token_expiry * 1000;
  const accessToken = jwtMode
    ? await signAccessJwt(tenant, {
        stack: "v1",
        clientId: client.client_id,
        userId,
        scope,
        now,
        expiresAt: accessExpiresAt,
        audience: tenant.mcpUrl,
      })
    : randomToken();
  const refreshToken = randomToken();
  await tenant.store.update((draft) => {
    if (consumeRefreshToken !== undefined) {
      if (draft.tokens[consumeRefreshToken]?.kind !== "oauth-refresh")
        throw oauthError(400, "invalid_grant", "Invalid refresh token.");
      delete draft.tokens[consumeRefreshToken];
    }
    pruneExpired(draft, now);
    const base = { user_id: userId, client_id: client.client_id, scope };
    if (!jwtMode) draft.tokens[accessToken] = { kind: "oauth-access", ...base, expires_at: accessExpiresAt };
    draft.tokens[refreshToken] = {
      kind: "oauth-refresh",
      ...base,
      expires_at: now + client.refresh_token_expiry * 1000,
    };
  });
  return {
    access_token: accessToken,
    token_type: "Bearer",
    expires_in: client.access_token_expiry,
    refresh_token: refreshToken,
    scope,
  };
}

/**
 * Issues a client-credentials JWT (the v2 stack) to a service account: it stands for the account's system user (whose
 * role decides what it may call) and lasts the account's token duration. Only the newest token of an account is
 * valid: a new one invalidates the previous one (../shared/alation-api.md section 3).
 */
export async function issueServiceToken(tenant: Tenant, account: ServiceAccountRecord): Promise<TokenAnswer> {
  const now = tenant.now();
  const jti = randomToken(16);
  const accessToken = await signAccessJwt(tenant, {
    stack: "v2",
    clientId: account.client_id,
    userId: account.user_id,
    scope: "",
    now,
    expiresAt: now + account.token_duration * 1000,
    audience: tenant.baseUrl,
    jti,
  });
  await tenant.store.update((draft) => {
    pruneExpired(draft, now);
    draft.serviceTokenIds[account.client_id] = jti;
  });
  return { access_token: accessToken, token_type: "Bearer", expires_in: account.token_duration };
}

/** What an access JWT says. */
interface AccessClaims {
  stack: "v1" | "v2";
  clientId: string;
  userId: number;
  scope: string;
  now: number;
  expiresAt: number;
  audience: string;
  jti?: string;
}

async function signAccessJwt(tenant: Tenant, t: AccessClaims): Promise<string> {
  const user = tenant.userById(t.userId);
  return tenant.signingKey.sign({
    iss: tenant.baseUrl,
    sub: String(t.userId),
    aud: t.audience,
    client_id: t.clientId,
    username: user?.username,
    scope: t.scope,
    oauth_stack: t.stack,
    jti: t.jti ?? randomToken(16),
    iat: Math.floor(t.now / 1000),
    exp: Math.floor(t.expiresAt / 1000),
  });
}

/**
 * Whom a JWT access token of this tenant stands for, if it is still valid: a user token of an active OAuth
 * application, or the newest token of a service account.
 */
export async function resolveJwt(tenant: Tenant, token: string): Promise<TokenGrant | undefined> {
  if (!looksLikeJwt(token)) return undefined;
  const claims = await tenant.signingKey.verify(token, tenant.baseUrl, tenant.now());
  if (!claims || typeof claims.client_id !== "string" || typeof claims.exp !== "number") return undefined;
  const state = tenant.store.state;
  const clientId = claims.client_id;
  const grant = { clientId, scope: String(claims.scope ?? ""), expiresAt: claims.exp * 1000 };
  if (claims.oauth_stack === "v2") {
    const account = own(state.serviceAccounts, clientId);
    if (!account || state.serviceTokenIds[clientId] !== claims.jti) return undefined;
    return { ...grant, user: systemUserOf(account), kind: "service-jwt" };
  }
  const client = own(state.clients, clientId);
  const user = tenant.userById(Number(claims.sub));
  if (!client?.is_active || !user) return undefined;
  return { ...grant, user, kind: "user-jwt" };
}

function own<T>(record: Record<string, T>, key: string): T | undefined {
  return Object.prototype.hasOwnProperty.call(record, key) ? record[key] : undefined;
}

/** Whom an opaque token kept by the tenant stands for (legacy API tokens, v1 opaque access tokens). */
export function resolveStoredToken(
  tenant: Tenant,
  token: string,
  kind: "legacy-access" | "oauth-access",
): TokenGrant | undefined {
  const state = tenant.store.state;
  const stored = Object.prototype.hasOwnProperty.call(state.tokens, token) ? state.tokens[token] : undefined;
  if (!stored || stored.kind !== kind || stored.expires_at <= tenant.now()) return undefined;
  const user = tenant.userById(stored.user_id);
  const client = stored.client_id !== undefined ? state.clients[stored.client_id] : undefined;
  if (!user || (kind === "oauth-access" && !client?.is_active)) return undefined;
  const grantKind = kind === "legacy-access" ? "legacy" : "user-opaque";
  return { user, kind: grantKind, clientId: stored.client_id, scope: stored.scope ?? "", expiresAt: stored.expires_at };
}

/** Drops expired tokens so the state does not grow without bound. */
export function pruneExpired(draft: TenantState, now: number): void {
  for (const [token, stored] of Object.entries(draft.tokens)) if (stored.expires_at <= now) delete draft.tokens[token];
  for (const [token, stored] of Object.entries(draft.legacyRefreshTokens))
    if (stored.expires_at <= now) delete draft.legacyRefreshTokens[token];
}
