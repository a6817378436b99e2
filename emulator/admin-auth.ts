// Authentication of admin API calls: header `TOKEN` (the admin token given at start, a legacy API access token,
// or a JWT: Alation's SDKs send JWTs there too, ../shared/alation-api.md section 2) or `Authorization: Bearer
// <JWT>`; only Server Admins pass (a service account's system user, by its role).
import { HttpError, bearerToken } from "./http";
import type { RequestContext } from "./router";
import type { TenantUser } from "./tenant";
import { resolveJwt, resolveStoredToken } from "./tokens";

/** The Server Admin making the call; throws 401 without credentials, 403 with wrong ones or a non-admin user. */
export async function requireServerAdmin(ctx: RequestContext): Promise<TenantUser> {
  const user = await callingUser(ctx);
  if (!user.isServerAdmin) throw new HttpError(403, { detail: "You do not have permission to perform this action." });
  return user;
}

/** The user behind the credentials of a request (any role). */
export async function callingUser(ctx: RequestContext): Promise<TenantUser> {
  const { tenant, req } = ctx;
  const header = req.headers.token;
  const token = Array.isArray(header) ? header[0] : header;
  const bearer = bearerToken(req);
  if (!token && !bearer) throw new HttpError(401, { detail: "Authentication credentials were not provided." });
  let user: TenantUser | undefined;
  if (token && tenant.isAdminToken(token)) {
    user = tenant.users.find((u) => u.isServerAdmin);
  } else if (token) {
    user = resolveStoredToken(tenant, token, "legacy-access")?.user ?? (await resolveJwt(tenant, token))?.user;
  } else if (bearer) {
    user = (await resolveJwt(tenant, bearer))?.user;
  }
  if (!user) throw new HttpError(403, { detail: "Invalid token." });
  return user;
}
