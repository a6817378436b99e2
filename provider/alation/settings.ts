// How to reach one tenant: its address, one way to authenticate, TLS trust and time limits. Plain data.
import { tenantUrlProblem } from "../domain/urls";

/** A service account's OAuth client, exchanged for a bearer JWT at `/oauth/v2/token/`. */
export interface ClientCredentials {
  /** The service account's client id. */
  clientId: string;
  /** The service account's client secret. */
  clientSecret: string;
}

/** A resolved connection: where the tenant is and how to authenticate (exactly one of the three ways). */
export interface ConnectionSettings {
  /** The tenant, `https://TENANT` (http only for loopback hosts). A path or trailing slash is ignored. */
  baseUrl: string;
  /** A legacy API access token, sent as header `TOKEN`. */
  apiAccessToken?: string;
  /** A legacy refresh token, exchanged with `userId` for an API access token. */
  refreshToken?: string;
  /** The Alation user id the refresh token belongs to. */
  userId?: number | string;
  /** A service account's client credentials. */
  clientCredentials?: ClientCredentials;
  /** PEM certificate(s) to trust for the tenant's TLS, in addition to Node's default CAs. */
  caCertificate?: string;
  /** Time limit of one HTTP attempt, in seconds. */
  timeoutSeconds?: number;
}

/** The way a connection authenticates, with its material. */
export type Credentials =
  | { mode: "apiAccessToken"; apiAccessToken: string }
  | { mode: "refreshToken"; refreshToken: string; userId: number | string }
  | { mode: "clientCredentials"; clientId: string; clientSecret: string };

/** How hard to retry idempotent calls. */
export interface RetryPolicy {
  /** Attempts in all, the first one included. */
  attempts: number;
  /** First backoff ceiling; doubled at each retry, with full jitter. */
  baseDelayMs: number;
  /** Ceiling of one backoff. */
  maxDelayMs: number;
  /** A `Retry-After` longer than this is not waited for: the call fails at once as throttled. */
  maxRetryAfterMs: number;
}

export const DEFAULT_TIMEOUT_SECONDS = 30;
export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  attempts: 4,
  baseDelayMs: 300,
  maxDelayMs: 5000,
  maxRetryAfterMs: 30000,
};

/** The one way `settings` authenticates. Throws (without any value in the message) when there is none or several. */
export function credentialsOf(settings: ConnectionSettings): Credentials {
  const found: Credentials[] = [];
  if (settings.apiAccessToken) found.push({ mode: "apiAccessToken", apiAccessToken: settings.apiAccessToken });
  if (settings.refreshToken || settings.userId !== undefined) {
    if (!settings.refreshToken || settings.userId === undefined || settings.userId === "") {
      throw new Error("Alation connection: refreshToken and userId go together; one of them is missing");
    }
    found.push({ mode: "refreshToken", refreshToken: settings.refreshToken, userId: settings.userId });
  }
  if (settings.clientCredentials) {
    const { clientId, clientSecret } = settings.clientCredentials;
    if (!clientId || !clientSecret) {
      throw new Error("Alation connection: clientCredentials needs both clientId and clientSecret");
    }
    found.push({ mode: "clientCredentials", clientId, clientSecret });
  }
  if (found.length !== 1) {
    throw new Error(
      found.length === 0
        ? "Alation connection: no credential; give apiAccessToken, refreshToken + userId, or clientCredentials"
        : `Alation connection: give exactly one way to authenticate, not ${found.map((c) => c.mode).join(" and ")}`,
    );
  }
  return found[0];
}

/** The origin (`https://host:port`) of a base URL (a path is ignored); throws the tenant URL rule's message. */
export function originOf(baseUrl: string): string {
  const problem = tenantUrlProblem(baseUrl, "baseUrl", { pathAllowed: true });
  if (problem) throw new Error(`Alation connection: ${problem}`);
  return new URL(baseUrl).origin;
}
