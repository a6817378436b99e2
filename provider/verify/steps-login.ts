// The second half of Claude's path, with a user (`--login`): the user logs in through a browser and the code
// comes back to the verifier's loopback listener (RFC 8252 section 7.3), or, on the emulator only, the user logs
// in without a browser. What the code brings is steps-tokens.ts.
import { DEFAULT_CALLBACK_PORT, loopbackRedirectUri } from "../domain/claude-connector";
import { openBrowser } from "./browser";
import { describeAnswer, FINDINGS, missingLoopbackRedirectUri, type Finding } from "./diagnosis";
import { isObject, isRedirect, redirectTarget, withoutQuery } from "./http";
import { listenForCallback } from "./loopback";
import { claudeAuthorizeRequest, failedAuthorize, probeAuthorize, randomToken } from "./steps-client";
import { fail, pass, warn, type LoginPlan, type StepDefinition, type StepOutcome, type VerifyContext } from "./step";
import { DEFAULT_LOGIN_TIMEOUT_MS } from "./types";

/** The steps of a login, and of what its code brings, are skipped unless a login was asked for. */
export function notRequested(ctx: VerifyContext): string | undefined {
  return ctx.login ? undefined : "not requested (pass --login)";
}

/** The client's callback to log in with: the first one the authorize endpoint accepted. */
function acceptedRedirectUri(ctx: VerifyContext): string | undefined {
  return ctx.callbacks.find((uri) => ctx.authorizeAnswers.get(uri)?.verdict === "accepted");
}

/** The finding of a loopback listener that could not start. */
function listenFinding(error: unknown, port: number): Finding {
  const code = isObject(error) && typeof error.code === "string" ? error.code : String(error);
  const another =
    "pass --callback-port with another port and register its redirect URI " +
    "(AlationClaudeConnector's verifierLogin: {callbackPort})";
  if (code === "EADDRINUSE") {
    return {
      cause: `port ${port} of 127.0.0.1 is in use, so the login cannot come back to ${loopbackRedirectUri(port)}`,
      fix: `stop what listens there, or ${another}`,
    };
  }
  return { cause: `cannot listen on 127.0.0.1:${port} (${code})`, fix: another };
}

/**
 * Reads the authorize endpoint's redirect to a callback: the code, or why there is none. The state is checked
 * first: a redirect that does not carry the request's state is refused, as Claude refuses it.
 */
function readCallback(target: URL, redirectUri: string, state: string): { code: string } | Finding {
  const seeAnswer = "see the tenant's answer; the user may lack access to the application";
  // Compared without the query: a private-use scheme (cursor://) has no origin to compare.
  const sentTo = withoutQuery(target.href);
  if (sentTo !== redirectUri) {
    return {
      cause: `the authorize endpoint sent the user to ${sentTo}, not to ${redirectUri}`,
      fix: seeAnswer,
    };
  }
  if (target.searchParams.get("state") !== state) {
    return {
      cause: `the redirect to ${redirectUri} does not carry the request's state; Claude rejects such a redirect`,
      fix: "the tenant must return `state` unchanged",
    };
  }
  const error = target.searchParams.get("error");
  if (error) {
    const description = target.searchParams.get("error_description");
    return {
      cause: `the authorize endpoint answered ${error}${description ? `: ${description}` : ""}`,
      fix: seeAnswer,
    };
  }
  const code = target.searchParams.get("code");
  return code
    ? { code }
    : { cause: `the redirect to ${redirectUri} carries neither a code nor an error`, fix: seeAnswer };
}

/** A login's result: the code and the redirect URI it came to, or the step's outcome when there is none. */
type LoginResult = { code: string; codeVerifier: string; redirectUri: string; detail: string } | StepOutcome;

/** The user logs in through a browser, which comes back to the loopback listener. */
async function browserLogin(
  ctx: VerifyContext,
  options: Extract<LoginPlan, { kind: "browser" }>["options"],
): Promise<LoginResult> {
  const listener = ctx.callback;
  if (!listener) return { status: "skip", detail: "needs redirect-uri-loopback" };
  const state = randomToken();
  const { authorizationUrl, codeVerifier } = await claudeAuthorizeRequest(ctx, listener.redirectUri, state);
  ctx.redactor.add(codeVerifier);
  options.onUrl?.(authorizationUrl.href);
  const opened = await (options.open ?? ((url: string) => openBrowser(url, options.env)))(authorizationUrl.href);
  const timeoutMs = options.timeoutMs ?? DEFAULT_LOGIN_TIMEOUT_MS;
  const callback = await listener.next(timeoutMs);
  if (!callback) {
    return fail({
      cause:
        `no login came back to ${listener.redirectUri} within ${timeoutMs} ms` +
        (opened ? "" : "; no browser could be started"),
      fix:
        "log in with the browser that opened, or open the printed URL in a browser of this machine (or of one whose " +
        "127.0.0.1 reaches it, e.g. through `ssh -L`); set $BROWSER to choose the browser, " +
        "--login-timeout-ms for more time",
    });
  }
  ctx.redactor.add(callback.searchParams.get("code") ?? undefined);
  const answer = readCallback(callback, listener.redirectUri, state);
  if (!("code" in answer)) return fail(answer);
  return {
    ...answer,
    codeVerifier,
    redirectUri: listener.redirectUri,
    detail: `logged in through the browser; code returned to ${listener.redirectUri}`,
  };
}

/**
 * The emulator's user logs in without a browser (HTTP Basic on the authorize request); the code goes to one of the
 * client's callbacks, where the redirect is read rather than followed.
 */
async function credentialsLogin(
  ctx: VerifyContext,
  credentials: Extract<LoginPlan, { kind: "credentials" }>["credentials"],
): Promise<LoginResult> {
  const redirectUri = acceptedRedirectUri(ctx);
  if (!redirectUri) return { status: "skip", detail: `no callback of ${ctx.client.title} is accepted` };
  const state = randomToken();
  const { authorizationUrl, codeVerifier } = await claudeAuthorizeRequest(ctx, redirectUri, state);
  const basic = Buffer.from(`${credentials.username}:${credentials.password}`).toString("base64");
  ctx.redactor.add(codeVerifier, basic);
  const response = await ctx.http.probe(authorizationUrl, { headers: { authorization: `Basic ${basic}` } });
  await response.body?.cancel();
  if (!isRedirect(response.status)) {
    return fail({
      cause:
        `the authorize endpoint answered HTTP ${response.status} to HTTP Basic credentials ` +
        "instead of a redirect with a code",
      fix:
        "check the emulator user's name and password; " +
        "a real tenant logs users in through a browser only (the CLI's --login)",
    });
  }
  const target = new URL(response.headers.get("location") ?? "", authorizationUrl);
  ctx.redactor.add(target.searchParams.get("code") ?? undefined);
  const answer = readCallback(target, redirectUri, state);
  if (!("code" in answer)) return fail(answer, `redirect to ${redirectTarget(response, authorizationUrl)}`);
  return {
    ...answer,
    codeVerifier,
    redirectUri,
    detail: `${credentials.username} logged in without a browser; code returned to ${redirectUri}`,
  };
}

export const redirectUriLoopbackStep: StepDefinition = {
  id: "redirect-uri-loopback",
  title: "authorize accepts the verifier's loopback redirect URI",
  needs: ["client-id-accepted"],
  skipReason: (ctx) =>
    notRequested(ctx) ??
    (ctx.login?.kind === "browser" ? undefined : "the browserless emulator login uses one of the client's callbacks"),
  async run(ctx) {
    const options = (ctx.login as Extract<LoginPlan, { kind: "browser" }>).options;
    const port = options.callbackPort ?? DEFAULT_CALLBACK_PORT;
    // Listening first: with port 0 the redirect URI is known only once the port is.
    let listener;
    try {
      listener = await listenForCallback(port);
    } catch (error) {
      return fail(listenFinding(error, port));
    }
    ctx.cleanups.push(() => listener.close());
    const answer = await probeAuthorize(ctx, listener.redirectUri);
    if (answer.verdict === "accepted") {
      ctx.callback = listener;
      return pass(`${listener.redirectUri}: ${answer.detail}`);
    }
    if (answer.subject === "redirect")
      return fail(missingLoopbackRedirectUri(listener.redirectUri), describeAnswer(answer.answer));
    return failedAuthorize(answer.answer, listener.redirectUri);
  },
};

export const loginStep: StepDefinition = {
  id: "login",
  title: "user logs in and the authorize endpoint returns a code",
  needs: ["client-secret-post"],
  async run(ctx) {
    // Without --login this is where the report says, as a warning, what was not checked.
    if (!ctx.login) return warn(FINDINGS.loginNotChecked, "not requested");
    const result =
      ctx.login.kind === "browser"
        ? await browserLogin(ctx, ctx.login.options)
        : await credentialsLogin(ctx, ctx.login.credentials);
    if ("status" in result) return result;
    ctx.authorization = { code: result.code, codeVerifier: result.codeVerifier, redirectUri: result.redirectUri };
    return pass(result.detail);
  },
};
