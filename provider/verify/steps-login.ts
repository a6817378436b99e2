// The second half of Claude's path, with a user (`--login`): the user logs in through a browser and the code
// comes back to the verifier's loopback listener (RFC 8252 section 7.3), or, on the emulator only, the user logs
// in without a browser; then, as Claude does, the code exchange with client_secret_post, the JWT and the tenant's
// keys, the token's lifetime, MCP initialize and tools/list, and one refresh.
import { exchangeAuthorization, refreshAuthorization } from "@modelcontextprotocol/sdk/client/auth.js";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport, StreamableHTTPError } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { createLocalJWKSet, decodeJwt, decodeProtectedHeader, jwtVerify, type JSONWebKeySet } from "jose";
import { CLAUDE_REDIRECT_URIS, DEFAULT_CALLBACK_PORT, loopbackRedirectUri } from "../domain/claude-connector";
import { APPLICATION_DEFAULTS } from "../schema/oauth-application";
import { openBrowser } from "./browser";
import {
  clientFinding,
  describeAnswer,
  errorSubject,
  FINDINGS,
  missingLoopbackRedirectUri,
  type Finding,
} from "./diagnosis";
import { isObject, isRedirect, readJson, redirectTarget } from "./http";
import { listenForCallback } from "./loopback";
import {
  claudeAuthorizeRequest,
  clientAuthentication,
  failedAuthorize,
  oauthAnswerOf,
  probeAuthorize,
  randomToken,
  resourceOf,
  serverOf,
} from "./steps-client";
import { fail, pass, warn, type LoginPlan, type StepDefinition, type StepOutcome, type VerifyContext } from "./step";
import { DEFAULT_LOGIN_TIMEOUT_MS, type StepId, type StepResult } from "./types";

const CLIENT_INFO = { name: "alation-connector-verify", version: "1" };

/** Lifetimes that differ by less than this from the expected one count as equal (clocks, rounding). */
const LIFETIME_TOLERANCE_S = 60;

/** Every step of this file is skipped unless a login was asked for. */
function notRequested(ctx: VerifyContext): string | undefined {
  return ctx.login ? undefined : "not requested (pass --login)";
}

/** The Claude callback to log in with: the first one the authorize endpoint accepted. */
function acceptedRedirectUri(results: ReadonlyMap<StepId, StepResult>): string | undefined {
  const steps: StepId[] = ["redirect-uri-claude-ai", "redirect-uri-claude-com"];
  const index = steps.findIndex((id) => results.get(id)?.status === "pass");
  return index < 0 ? undefined : CLAUDE_REDIRECT_URIS[index];
}

function accessTokenOf(ctx: VerifyContext): string {
  if (!ctx.tokens) throw new Error("no tokens were obtained");
  return ctx.tokens.access_token;
}

/** The finding of a token endpoint that refused a grant. */
function tokenRefusal(error: unknown, grant: string): Finding | undefined {
  const answer = oauthAnswerOf(error);
  if (!answer) return undefined;
  if (errorSubject(answer) === "client") return clientFinding(answer, true);
  return {
    cause: `the token endpoint refused the ${grant}: ${describeAnswer(answer)}`,
    fix:
      grant === "refresh token"
        ? "check the application's refresh_token_expiry (the guide: 15552000 s)"
        : "see the tenant's answer",
  };
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
  if (`${target.origin}${target.pathname}` !== redirectUri) {
    return {
      cause: `the authorize endpoint sent the user to ${target.origin}${target.pathname}, not to ${redirectUri}`,
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
 * The emulator's user logs in without a browser (HTTP Basic on the authorize request); the code goes to one of
 * Claude's callbacks, where the redirect is read rather than followed.
 */
async function credentialsLogin(
  ctx: VerifyContext,
  credentials: Extract<LoginPlan, { kind: "credentials" }>["credentials"],
  results: ReadonlyMap<StepId, StepResult>,
): Promise<LoginResult> {
  const redirectUri = acceptedRedirectUri(results);
  if (!redirectUri) return { status: "skip", detail: "no Claude redirect URI is accepted" };
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

/** The access token's lifetimes as the token endpoint states them: `expires_in`, and a JWT's `exp - iat`. */
function statedLifetimes(ctx: VerifyContext): Array<{ what: string; seconds: number }> {
  const lifetimes: Array<{ what: string; seconds: number }> = [];
  if (typeof ctx.tokens?.expires_in === "number")
    lifetimes.push({ what: "expires_in", seconds: ctx.tokens.expires_in });
  try {
    const { exp, iat } = decodeJwt(accessTokenOf(ctx));
    if (typeof exp === "number" && typeof iat === "number")
      lifetimes.push({ what: "the JWT's exp - iat", seconds: exp - iat });
  } catch {
    // An opaque token: expires_in is all there is (access-token-jwt reports the rest).
  }
  return lifetimes;
}

export const loginSteps: StepDefinition[] = [
  {
    id: "redirect-uri-loopback",
    title: "authorize accepts the verifier's loopback redirect URI",
    needs: ["client-id-accepted"],
    skipReason: (ctx) =>
      notRequested(ctx) ??
      (ctx.login?.kind === "browser" ? undefined : "the browserless emulator login uses one of Claude's callbacks"),
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
  },
  {
    id: "login",
    title: "user logs in and the authorize endpoint returns a code",
    needs: ["client-secret-post"],
    async run(ctx, results) {
      // Without --login this is where the report says, as a warning, what was not checked.
      if (!ctx.login) return warn(FINDINGS.loginNotChecked, "not requested");
      const result =
        ctx.login.kind === "browser"
          ? await browserLogin(ctx, ctx.login.options)
          : await credentialsLogin(ctx, ctx.login.credentials, results);
      if ("status" in result) return result;
      ctx.authorization = { code: result.code, codeVerifier: result.codeVerifier, redirectUri: result.redirectUri };
      return pass(result.detail);
    },
  },
  {
    id: "token-exchange",
    title: "code is exchanged with the client secret (client_secret_post)",
    needs: ["login"],
    skipReason: notRequested,
    async run(ctx) {
      const { metadata, server } = serverOf(ctx);
      const authorization = ctx.authorization as NonNullable<VerifyContext["authorization"]>;
      try {
        ctx.tokens = await exchangeAuthorization(server, {
          metadata,
          clientInformation: { client_id: ctx.input.clientId, client_secret: ctx.input.clientSecret },
          authorizationCode: authorization.code,
          codeVerifier: authorization.codeVerifier,
          redirectUri: authorization.redirectUri,
          resource: resourceOf(ctx),
          addClientAuthentication: clientAuthentication(ctx, "client_secret_post"),
          fetchFn: ctx.http.strict,
        });
      } catch (error) {
        const finding = tokenRefusal(error, "authorization code");
        if (finding) return fail(finding);
        throw error;
      }
      ctx.redactor.add(ctx.tokens.access_token, ctx.tokens.refresh_token, ctx.tokens.id_token);
      const { token_type, expires_in, refresh_token } = ctx.tokens;
      return pass(
        `${token_type} token, expires in ${expires_in ?? "?"} s, ${refresh_token ? "with" : "without"} a refresh token`,
      );
    },
  },
  {
    id: "access-token-jwt",
    title: "access token is a JWT",
    needs: ["token-exchange"],
    skipReason: notRequested,
    run(ctx) {
      const token = accessTokenOf(ctx);
      try {
        const header = decodeProtectedHeader(token);
        const claims = decodeJwt(token);
        const expiresIn =
          claims.exp !== undefined ? `, expires in ${claims.exp - Math.floor(Date.now() / 1000)} s` : "";
        return pass(`JWT, alg ${header.alg}${header.kid ? `, kid ${header.kid}` : ""}${expiresIn}`);
      } catch {
        return fail(FINDINGS.opaqueTokens, `opaque token of ${token.length} characters`);
      }
    },
  },
  {
    id: "access-token-signature",
    title: "the tenant's JWKS verifies the access token",
    needs: ["access-token-jwt"],
    skipReason: notRequested,
    async run(ctx) {
      const { metadata, server } = serverOf(ctx);
      const advertised = metadata.jwks_uri ?? ctx.resourceMetadata?.jwks_uri;
      const jwksUrl = new URL(typeof advertised === "string" ? advertised : "/.well-known/jwks.json/", server);
      const response = await ctx.http.strict(jwksUrl, { headers: { accept: "application/json" } });
      const jwks = await readJson(response);
      if (!response.ok || !isObject(jwks) || !Array.isArray(jwks.keys)) {
        return fail({
          cause: `the tenant's JWKS ${jwksUrl.href} answers HTTP ${response.status} without a key set`,
          fix: "the tenant must serve its signing keys at /.well-known/jwks.json/",
        });
      }
      try {
        const { protectedHeader } = await jwtVerify(
          accessTokenOf(ctx),
          createLocalJWKSet(jwks as unknown as JSONWebKeySet),
        );
        return pass(`verified by ${jwksUrl.pathname} (alg ${protectedHeader.alg})`);
      } catch (error) {
        const code = isObject(error) && typeof error.code === "string" ? error.code : String(error);
        return fail({
          cause: `the keys at ${jwksUrl.href} do not verify the access token (${code})`,
          fix:
            "the token must be signed by this tenant: check that the MCP URL and the OAuth application belong " +
            "to the same tenant",
        });
      }
    },
  },
  {
    id: "access-token-lifetime",
    title: "access token lives as long as the application's accessTokenExpiry",
    needs: ["token-exchange"],
    skipReason: notRequested,
    run(ctx) {
      const given = ctx.input.accessTokenExpiry;
      const expected = given ?? APPLICATION_DEFAULTS.accessTokenExpiry;
      const source = given !== undefined ? "accessTokenExpiry" : "the default accessTokenExpiry";
      const lifetimes = statedLifetimes(ctx);
      const fix =
        "if the application sets another lifetime, give it " +
        "(--access-token-expiry, or accessTokenExpiry in the input); " +
        "otherwise the tenant does not apply the application's access_token_expiry: check the application in Alation";
      if (lifetimes.length === 0)
        return warn({ cause: "the token endpoint states no lifetime (no expires_in, and no JWT exp and iat)", fix });
      const off = lifetimes.find((lifetime) => Math.abs(lifetime.seconds - expected) > LIFETIME_TOLERANCE_S);
      const stated = lifetimes.map((lifetime) => `${lifetime.what} ${lifetime.seconds} s`).join(", ");
      if (off)
        return warn(
          { cause: `the access token lives ${off.seconds} s (${off.what}), not the ${expected} s of ${source}`, fix },
          stated,
        );
      return pass(`${stated}; ${source} is ${expected} s`);
    },
  },
  {
    id: "mcp-initialize",
    title: "MCP initialize succeeds with the access token",
    needs: ["access-token-jwt"],
    skipReason: notRequested,
    async run(ctx) {
      const client = new Client(CLIENT_INFO);
      const transport = new StreamableHTTPClientTransport(ctx.mcpUrl as URL, {
        fetch: ctx.http.strict,
        requestInit: { headers: { authorization: `Bearer ${accessTokenOf(ctx)}` } },
      });
      ctx.cleanups.push(() => client.close());
      try {
        await client.connect(transport, { timeout: ctx.http.timeoutMs });
      } catch (error) {
        if (error instanceof StreamableHTTPError && (error.code === 401 || error.code === 403)) {
          return fail({
            cause: `the MCP server refused the access token (HTTP ${error.code})`,
            fix: `${FINDINGS.opaqueTokens.fix}; and check that the MCP URL's tenant issued the token`,
          });
        }
        throw error;
      }
      ctx.mcpClient = client;
      const server = client.getServerVersion();
      return pass(
        `server ${server?.name ?? "?"} ${server?.version ?? ""}, protocol ${transport.protocolVersion ?? "?"}`.replace(
          /\s+,/,
          ",",
        ),
      );
    },
  },
  {
    id: "mcp-tools-list",
    title: "MCP tools/list returns the user's tools",
    needs: ["mcp-initialize"],
    skipReason: notRequested,
    async run(ctx) {
      const client = ctx.mcpClient as Client;
      const { tools } = await client.listTools(undefined, { timeout: ctx.http.timeoutMs });
      const names = tools.map((tool) => tool.name);
      if (names.length === 0) {
        return warn(
          {
            cause: "the MCP server lists no tools for this user",
            fix: "check the user's permissions and the tenant's AI features",
          },
          "0 tools",
        );
      }
      return pass(`${names.length} tools: ${names.join(", ")}`);
    },
  },
  {
    id: "refresh-token",
    title: "a refresh token is issued and works once",
    needs: ["token-exchange"],
    skipReason: notRequested,
    async run(ctx) {
      const { metadata, server } = serverOf(ctx);
      const refreshToken = ctx.tokens?.refresh_token;
      if (!refreshToken) {
        return fail({
          cause: "the code exchange issued no refresh token: users must reconnect whenever the access token expires",
          fix: "check the application's refresh_token_expiry (the guide: 15552000 s) and the refresh_token grant",
        });
      }
      try {
        const tokens = await refreshAuthorization(server, {
          metadata,
          clientInformation: { client_id: ctx.input.clientId, client_secret: ctx.input.clientSecret },
          refreshToken,
          resource: resourceOf(ctx),
          addClientAuthentication: clientAuthentication(ctx, "client_secret_post"),
          fetchFn: ctx.http.strict,
        });
        ctx.redactor.add(tokens.access_token, tokens.refresh_token, tokens.id_token);
        const rotated = tokens.refresh_token !== refreshToken ? "; the refresh token was rotated" : "";
        return pass(`new access token issued${rotated}`);
      } catch (error) {
        const finding = tokenRefusal(error, "refresh token");
        if (finding) return fail(finding);
        throw error;
      }
    },
  },
];
