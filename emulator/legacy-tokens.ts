// The legacy token endpoints: createRefreshToken (username + password) and createAPIAccessToken (refresh token);
// the API access token is then sent as header TOKEN. Failures answer {"status": "failed", ...}.
import { HttpError, mediaType, parseFormBody, parseJsonBody, sendJson } from "./http";
import type { RequestContext, Route } from "./router";
import { randomToken } from "./tenant";
import { pruneExpired } from "./tokens";

const DAY_MS = 24 * 60 * 60 * 1000;
const REFRESH_TOKEN_LIFETIME_MS = 60 * DAY_MS;
const API_ACCESS_TOKEN_LIFETIME_MS = DAY_MS;

export function legacyTokenRoutes(): Route[] {
  return [
    { methods: ["POST"], pattern: "/integration/v1/createRefreshToken/", handle: createRefreshToken },
    { methods: ["POST"], pattern: "/integration/v1/createAPIAccessToken/", handle: createApiAccessToken },
  ];
}

async function createRefreshToken(ctx: RequestContext): Promise<void> {
  const body = await fields(ctx);
  const { username, password, name } = body;
  if (!username || !password || !name) throw failed(400, "username, password and name are required.");
  const user = ctx.tenant.login(username, password);
  if (!user) throw failed(401, "Invalid username or password.");
  const now = ctx.tenant.now();
  const token = randomToken(48);
  const record = { user_id: user.id, name, created_at: now, expires_at: now + REFRESH_TOKEN_LIFETIME_MS };
  await ctx.tenant.store.update((draft) => {
    pruneExpired(draft, now);
    draft.legacyRefreshTokens[token] = record;
  });
  sendJson(ctx.res, 201, {
    refresh_token: token,
    user_id: user.id,
    name,
    created_at: new Date(now).toISOString(),
    token_expires_at: new Date(record.expires_at).toISOString(),
    token_status: "ACTIVE",
    last_used_at: null,
  });
}

async function createApiAccessToken(ctx: RequestContext): Promise<void> {
  const body = await fields(ctx);
  const refreshToken = body.refresh_token;
  const userId = Number(body.user_id);
  if (!refreshToken || !Number.isInteger(userId)) throw failed(400, "refresh_token and user_id are required.");
  const now = ctx.tenant.now();
  const state = ctx.tenant.store.state;
  const stored = Object.prototype.hasOwnProperty.call(state.legacyRefreshTokens, refreshToken)
    ? state.legacyRefreshTokens[refreshToken]
    : undefined;
  if (!stored || stored.user_id !== userId || stored.expires_at <= now)
    throw failed(401, "Refresh token is invalid or has expired.");
  const token = randomToken(48);
  const expiresAt = now + API_ACCESS_TOKEN_LIFETIME_MS;
  await ctx.tenant.store.update((draft) => {
    pruneExpired(draft, now);
    draft.tokens[token] = { kind: "legacy-access", user_id: userId, expires_at: expiresAt };
  });
  sendJson(ctx.res, 201, {
    api_access_token: token,
    user_id: userId,
    created_at: new Date(now).toISOString(),
    token_expires_at: new Date(expiresAt).toISOString(),
    token_status: "ACTIVE",
  });
}

/** The body as string fields: JSON or form-encoded, as DRF parses both. */
async function fields(ctx: RequestContext): Promise<Record<string, string>> {
  const raw = await ctx.body();
  if (mediaType(ctx.req) === "application/x-www-form-urlencoded")
    return Object.fromEntries(parseFormBody(ctx.req, raw));
  const body = parseJsonBody(ctx.req, raw);
  if (typeof body !== "object" || body === null || Array.isArray(body)) throw failed(400, "Expected a JSON object.");
  const out: Record<string, string> = {};
  for (const [key, value] of Object.entries(body))
    if (typeof value === "string" || typeof value === "number") out[key] = String(value);
  return out;
}

function failed(status: number, message: string): HttpError {
  return new HttpError(status, { status: "failed", message });
}
