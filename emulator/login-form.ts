// The tenant's HTML login, posted as Alation's own form posts it (../shared/alation-api.md section 3, from
// alation-plugins `auth.py`): `email` and `password`, with Django's CSRF token `csrfmiddlewaretoken`, which must
// match the `csrftoken` cookie set with the form, and `next`. A right login sets the `sessionid` cookie and goes
// back to `next`. The browserless ways in (HTTP Basic, login_hint + emulator_password) are in authorize.ts, for tests.
import { escapeHtml, parseFormBody, sendText } from "./http";
import type { RequestContext, Route } from "./router";
import { randomToken, sameSecret, type TenantUser } from "./tenant";

const SESSION_COOKIE = "sessionid";
const CSRF_COOKIE = "csrftoken";
/** What Django answers a POST without the right CSRF token. */
const CSRF_FAILURE = "CSRF verification failed. Request aborted.";

export function loginFormRoutes(): Route[] {
  return [
    {
      methods: ["GET", "POST"],
      pattern: "/login/",
      handle: async (ctx) =>
        ctx.method === "GET" ? showLoginForm(ctx, 200, nextPath(ctx.query.get("next")), "") : login(ctx),
    },
  ];
}

/** The user of the request's login session, if any. */
export function sessionUser(ctx: RequestContext): TenantUser | undefined {
  const userId = ctx.tenant.sessions.get(cookie(ctx.req.headers.cookie, SESSION_COOKIE) ?? "");
  return userId !== undefined ? ctx.tenant.userById(userId) : undefined;
}

/** Sends the login form, which posts back to /login/ and then goes to `next` (a local path). */
export function showLoginForm(
  ctx: RequestContext,
  status: number,
  next: string,
  message: string,
  headers: Record<string, string> = {},
): void {
  // Like Django, the CSRF cookie is kept once set; a new one only when the browser has none.
  const given = cookie(ctx.req.headers.cookie, CSRF_COOKIE);
  const token = given && /^[A-Za-z0-9_-]{32,128}$/.test(given) ? given : randomToken();
  const html = `<!doctype html><title>Log in to Alation</title>
<h1>Log in to Alation (emulator)</h1>${message ? `<p class="error">${escapeHtml(message)}</p>` : ""}
<form method="post" action="/login/">
<input type="hidden" name="csrfmiddlewaretoken" value="${escapeHtml(token)}">
<input type="hidden" name="next" value="${escapeHtml(next)}">
<label>Email <input name="email" type="email" autocomplete="username"></label>
<label>Password <input name="password" type="password" autocomplete="current-password"></label>
<button type="submit">Log in</button>
</form>
`;
  sendText(ctx.res, status, html, "text/html; charset=utf-8", {
    ...headers,
    "Set-Cookie": `${CSRF_COOKIE}=${token}; Path=/; SameSite=Lax`,
  });
}

async function login(ctx: RequestContext): Promise<void> {
  const form = parseFormBody(ctx.req, await ctx.body());
  const csrfCookie = cookie(ctx.req.headers.cookie, CSRF_COOKIE);
  const csrfField = form.get("csrfmiddlewaretoken");
  if (!csrfCookie || !csrfField || !sameSecret(csrfCookie, csrfField)) {
    return sendText(
      ctx.res,
      403,
      `<!doctype html><title>403 Forbidden</title><h1>Forbidden (403)</h1><p>${CSRF_FAILURE}</p>\n`,
      "text/html; charset=utf-8",
    );
  }
  const next = nextPath(form.get("next"));
  const user = ctx.tenant.login(form.get("email") ?? "", form.get("password") ?? "");
  if (!user) return showLoginForm(ctx, 200, next, "Please enter a correct email and password.");
  const session = randomToken();
  ctx.tenant.sessions.set(session, user.id);
  ctx.res.writeHead(302, {
    Location: next,
    "Set-Cookie": `${SESSION_COOKIE}=${session}; Path=/; HttpOnly; SameSite=Lax`,
    "Content-Length": 0,
  });
  ctx.res.end();
}

function cookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? "").split(";")) {
    const [key, ...rest] = part.trim().split("=");
    if (key === name) return rest.join("=");
  }
  return undefined;
}

/** Only local paths are followed after a login (no open redirect). */
function nextPath(next: string | null): string {
  return next && next.startsWith("/") && !next.startsWith("//") ? next : "/";
}
