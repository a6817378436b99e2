// The three ways to authenticate against an emulated tenant, obtained the way a user would: the admin token as an
// API access token, a legacy refresh token from the test user's password, the client credentials of a service
// account whose system user is a Server Admin.
import type { ConnectionSettings } from "../../provider/alation/settings";
import { ADMIN_TOKEN, TEST_USER, type TestTenant } from "./test-tenant";

export type AuthMode = "apiAccessToken" | "refreshToken" | "clientCredentials";
export const AUTH_MODES: AuthMode[] = ["apiAccessToken", "refreshToken", "clientCredentials"];

/** Credential fields of a connection for `mode` (creates a refresh token or a service account as needed). */
export async function credentialsFor(tenant: TestTenant, mode: AuthMode): Promise<Partial<ConnectionSettings>> {
  if (mode === "apiAccessToken") return { apiAccessToken: ADMIN_TOKEN };
  if (mode === "refreshToken") {
    const answer = await tenant.call("POST", "/integration/v1/createRefreshToken/", {
      token: null,
      json: { ...TEST_USER, name: `test-${Date.now()}` },
    });
    if (answer.status !== 201) throw new Error(`createRefreshToken failed: ${answer.status} ${answer.text}`);
    return { refreshToken: answer.json.refresh_token, userId: answer.json.user_id };
  }
  const service = await tenant.createServiceAccount();
  return { clientCredentials: { clientId: service.client_id, clientSecret: service.client_secret } };
}

/** The secret strings of credential fields (to assert they never leak). */
export function secretValues(credentials: Partial<ConnectionSettings>): string[] {
  return [credentials.apiAccessToken, credentials.refreshToken, credentials.clientCredentials?.clientSecret].filter(
    (value): value is string => typeof value === "string",
  );
}
