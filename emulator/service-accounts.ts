// Service accounts (../shared/alation-api.md section 3): their own kind of client, made by an admin at `/admin/auth/`
// in Alation (a page, not an API), each acting as a system user of a chosen role, with a token duration of
// 300..259200 s. They, and only they, get tokens by client credentials at `/oauth/v2/token/`. The emulator makes
// them through the test hook `POST /__emulator/service-accounts`, which stands for that page.
import { HttpError, parseJsonBody, sendJson } from "./http";
import type { RequestContext } from "./router";
import type { ServiceAccountRecord } from "./store";
import { randomToken, sameSecret, type Tenant } from "./tenant";

/**
 * The roles a system user may have: Alation's user roles. Their spelling is an assumption (no source names them for
 * service accounts); only SERVER_ADMIN may call the OAuth client admin API.
 */
export const SERVICE_ACCOUNT_ROLES = [
  "SERVER_ADMIN",
  "CATALOG_ADMIN",
  "SOURCE_ADMIN",
  "STEWARD",
  "COMPOSER",
  "EXPLORER",
  "VIEWER",
];
const TOKEN_DURATION = { min: 300, max: 259200 };

/** `POST /__emulator/service-accounts` `{name, role, token_duration}`: 201 with its client id and secret. */
export async function createServiceAccount(ctx: RequestContext): Promise<void> {
  const body = parseJsonBody(ctx.req, await ctx.body()) as Record<string, unknown> | null;
  const fields = typeof body === "object" && body !== null && !Array.isArray(body) ? body : {};
  const errors: Record<string, string[]> = {};
  const { name, role, token_duration: duration } = fields;
  if (typeof name !== "string" || name.trim() === "") errors.name = ["This field is required."];
  if (typeof role !== "string" || !SERVICE_ACCOUNT_ROLES.includes(role)) {
    errors.role = [`Expected one of ${SERVICE_ACCOUNT_ROLES.join(", ")}.`];
  }
  const { min, max } = TOKEN_DURATION;
  if (typeof duration !== "number" || !Number.isInteger(duration) || duration < min || duration > max) {
    errors.token_duration = [`A whole number of seconds from ${min} to ${max} is required.`];
  }
  if (Object.keys(errors).length > 0) throw new HttpError(400, errors);
  const account = await ctx.tenant.store.update((draft) => {
    if (Object.values(draft.serviceAccounts).some((sa) => sa.name === name)) {
      throw new HttpError(400, { name: ["service account with this name already exists."] });
    }
    const record: ServiceAccountRecord = {
      client_id: randomToken(),
      client_secret: randomToken(),
      name: name as string,
      role: role as string,
      token_duration: duration as number,
      user_id: draft.nextSystemUserId++,
    };
    draft.serviceAccounts[record.client_id] = record;
    return record;
  });
  sendJson(ctx.res, 201, account);
}

/** The service account with these credentials, if they are right. */
export function authenticateServiceAccount(
  tenant: Tenant,
  clientId: string | null,
  secret: string | null,
): ServiceAccountRecord | undefined {
  const accounts = tenant.store.state.serviceAccounts;
  const known = clientId !== null && Object.prototype.hasOwnProperty.call(accounts, clientId);
  const account = known ? accounts[clientId as string] : undefined;
  return account && secret !== null && sameSecret(account.client_secret, secret) ? account : undefined;
}
