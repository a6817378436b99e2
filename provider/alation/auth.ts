// The three ways to authenticate admin calls, and the per-process cache of the tokens they fetch.
// - apiAccessToken: sent as header `TOKEN` as is.
// - refreshToken + userId: exchanged at `createAPIAccessToken` for an API access token, sent as `TOKEN`.
// - clientCredentials (a service account's): exchanged at `/oauth/v2/token/` for a JWT, sent as `Authorization:
//   Bearer` (Alation's SDKs send it as header `Token` too; the bearer header is the OAuth standard). Alation
//   invalidates a service account's previous token when it issues a new one, so every resource of the process
//   shares one token (one fetch in flight at a time) and fetches a new one only after a 401 with the current one.
import { createHash } from "node:crypto";
import { whereToSet } from "../domain/connection-keys";
import { AlationError } from "./errors";
import {
  answerError,
  apiAccessTokenAnswerSchema,
  oauthTokenAnswerSchema,
  shapeError,
  type CallContext,
} from "./answers";
import { send, type HttpAnswer, type HttpCall, type HttpTarget } from "./http";
import type { Credentials } from "./settings";

/** Supplies the authentication headers of admin calls. */
export interface Authenticator {
  /** Headers for the next call. */
  headers(): Promise<Record<string, string>>;
  /**
   * After a 401 answered to `used` headers: obtains a fresh credential if this mode can. True when the call is worth
   * one more try (a new token is there), false when the credential cannot change (a static token).
   */
  renew(used: Record<string, string>): Promise<boolean>;
  /** The secrets this authenticator holds or fetched, for redaction. */
  secrets(): string[];
  /** What to tell the user when the tenant refuses this caller (401 or 403) on an admin call. */
  readonly refusedHint?: string;
}

// What a refused API access token needs, and where it goes.
const API_ACCESS_TOKEN_REFUSED =
  "the API access token was refused: it must be a current API access token of a Server Admin, given as " +
  whereToSet("apiAccessToken");
// An API access token made from a refresh token acts as the refresh token's user.
const REFRESH_TOKEN_USER_REFUSED =
  "the API access token made from the refresh token was refused: the refresh token's user must be a Server Admin";
// Only a service account whose system user is a Server Admin may call the admin API (../shared/alation-api.md
// section 3); a non-admin one gets 403.
const SERVICE_ACCOUNT_REFUSED =
  "the service account's system user must have the Server Admin role (a service account of another role gets 403)";
// Client credentials are a service account's; an OAuth application such as Claude's cannot use them.
const SERVICE_ACCOUNT_TOKEN_REFUSED =
  "the service account's client credentials were refused (client credentials work only for a service account, made " +
  "in Alation at /admin/auth/, not for an OAuth application such as Claude's)";

interface FetchedToken {
  value: string;
  /** Epoch ms after which the token is not used any more (a minute before it expires), if known. */
  usableUntil?: number;
}

// Tokens fetched in this process, by origin, mode and a hash of the credential (never the credential itself).
const tokenCache = new Map<string, Promise<FetchedToken>>();

/** Forgets every fetched token (tests). */
export function clearTokenCache(): void {
  tokenCache.clear();
}

/** The Authenticator for `credentials` against `target`. */
export function authenticatorFor(target: HttpTarget, credentials: Credentials): Authenticator {
  if (credentials.mode === "apiAccessToken") {
    const headers = { TOKEN: credentials.apiAccessToken };
    return {
      headers: async () => headers,
      renew: async () => false,
      secrets: () => [credentials.apiAccessToken],
      refusedHint: API_ACCESS_TOKEN_REFUSED,
    };
  }
  const material =
    credentials.mode === "refreshToken"
      ? `${credentials.userId}\n${credentials.refreshToken}`
      : `${credentials.clientId}\n${credentials.clientSecret}`;
  const key = `${target.origin}\n${credentials.mode}\n${createHash("sha256").update(material).digest("hex")}`;
  const staticSecrets = credentials.mode === "refreshToken" ? [credentials.refreshToken] : [credentials.clientSecret];
  const fetchToken = () =>
    credentials.mode === "refreshToken"
      ? fetchApiAccessToken(target, credentials.refreshToken, credentials.userId)
      : fetchServiceAccountToken(target, credentials.clientId, credentials.clientSecret);
  const headerFor = (token: string): Record<string, string> =>
    credentials.mode === "refreshToken" ? { TOKEN: token } : { authorization: `Bearer ${token}` };
  let known: string | undefined;

  const current = async (): Promise<string> => {
    const cached = tokenCache.get(key);
    if (cached) {
      const token = await cached.catch(() => undefined);
      const usable = token && (token.usableUntil === undefined || token.usableUntil > Date.now());
      if (usable) return (known = token.value);
      if (tokenCache.get(key) === cached) tokenCache.delete(key);
    }
    let pending = tokenCache.get(key);
    if (!pending) {
      pending = fetchToken();
      tokenCache.set(key, pending);
    }
    return (known = (await pending).value);
  };

  return {
    headers: async () => headerFor(await current()),
    renew: async (used) => {
      const cached = tokenCache.get(key);
      const cachedValue = cached ? (await cached.catch(() => undefined))?.value : undefined;
      // Only the first caller to see the current token fail fetches a new one; the others use that one.
      if (cached && cachedValue !== undefined && JSON.stringify(headerFor(cachedValue)) === JSON.stringify(used)) {
        if (tokenCache.get(key) === cached) tokenCache.delete(key);
      }
      await current();
      return true;
    },
    secrets: () => (known ? [...staticSecrets, known] : staticSecrets),
    refusedHint: credentials.mode === "clientCredentials" ? SERVICE_ACCOUNT_REFUSED : REFRESH_TOKEN_USER_REFUSED,
  };
}

async function fetchApiAccessToken(
  target: HttpTarget,
  refreshToken: string,
  userId: number | string,
): Promise<FetchedToken> {
  const call: HttpCall = {
    method: "POST",
    path: "/integration/v1/createAPIAccessToken/",
    json: { refresh_token: refreshToken, user_id: /^\d+$/.test(String(userId)) ? Number(userId) : userId },
    retry: "idempotent",
    secrets: [refreshToken],
  };
  const answer = await send(target, call);
  const context = contextOf(target, call);
  const parsed = apiAccessTokenAnswerSchema.safeParse(answer.json);
  if (answer.status >= 200 && answer.status < 300 && parsed.success) return { value: parsed.data.api_access_token };
  throw tokenError(context, answer, "the refresh token or user id was refused; create a new refresh token in Alation");
}

async function fetchServiceAccountToken(
  target: HttpTarget,
  clientId: string,
  clientSecret: string,
): Promise<FetchedToken> {
  const call: HttpCall = {
    method: "POST",
    path: "/oauth/v2/token/",
    form: { grant_type: "client_credentials", client_id: clientId, client_secret: clientSecret },
    retry: "idempotent",
    secrets: [clientSecret],
  };
  const answer = await send(target, call);
  const context = contextOf(target, call);
  const parsed = oauthTokenAnswerSchema.safeParse(answer.json);
  if (answer.status >= 200 && answer.status < 300 && parsed.success) {
    const lifetime = parsed.data.expires_in;
    return {
      value: parsed.data.access_token,
      usableUntil: lifetime === undefined ? undefined : Date.now() + Math.max(0, lifetime - 60) * 1000,
    };
  }
  throw tokenError(context, answer, SERVICE_ACCOUNT_TOKEN_REFUSED);
}

function contextOf(target: HttpTarget, call: HttpCall): CallContext {
  return { origin: target.origin, call: `${call.method} ${call.path}`, secrets: call.secrets };
}

// A token endpoint's refusal is an authentication problem whatever its status (Alation's legacy endpoints may
// even answer 200 with `{"status": "failed"}`); throttling and outages keep their own kind.
function tokenError(context: CallContext, answer: HttpAnswer, hint: string): AlationError {
  if (answer.status >= 200 && answer.status < 300) {
    const failed = (answer.json as { status?: unknown } | undefined)?.status === "failed";
    if (!failed) return shapeError(context, answer, "a token");
  }
  const refused = answer.status < 429 || (answer.status >= 200 && answer.status < 300);
  return answerError(context, answer, refused ? { kind: "auth", hint } : {});
}
