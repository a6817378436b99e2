// The second half of Claude's path, with a user (`--login`): authorization code + PKCE, the code exchange
// with the client secret, the JWT and the tenant's keys, MCP initialize and tools/list, one refresh.
import { exchangeAuthorization, refreshAuthorization } from "@modelcontextprotocol/sdk/client/auth.js";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport, StreamableHTTPError } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { createLocalJWKSet, decodeJwt, decodeProtectedHeader, jwtVerify, type JSONWebKeySet } from "jose";
import { clientFinding, describeAnswer, errorSubject, FINDINGS, type Finding } from "./diagnosis";
import { isObject, isRedirect, readJson, redirectTarget } from "./http";
import { claudeAuthorizeRequest, oauthAnswerOf, randomToken, resourceOf, serverOf } from "./steps-client";
import { fail, pass, warn, type StepDefinition, type VerifyContext } from "./step";
import { CLAUDE_REDIRECT_URIS, type StepId, type StepResult } from "./types";

const CLIENT_INFO = { name: "alation-connector-verify", version: "1" };

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
    fix: grant === "refresh token" ? "check the application's refresh_token_expiry (the guide: 15552000 s)" : "see the tenant's answer",
  };
}

export const loginSteps: StepDefinition[] = [
  {
    id: "login",
    title: "user logs in and the authorize endpoint returns a code",
    needs: ["client-secret"],
    skipReason: (ctx, results) => notRequested(ctx) ?? (acceptedRedirectUri(results) ? undefined : "no Claude redirect URI is accepted"),
    async run(ctx, results) {
      const login = ctx.login as NonNullable<VerifyContext["login"]>;
      const redirectUri = acceptedRedirectUri(results) as string;
      const state = randomToken();
      const { authorizationUrl, codeVerifier } = await claudeAuthorizeRequest(ctx, redirectUri, state);
      const basic = Buffer.from(`${login.username}:${login.password}`).toString("base64");
      ctx.redactor.add(codeVerifier, basic);
      const response = await ctx.http.probe(authorizationUrl, { headers: { authorization: `Basic ${basic}` } });
      await response.body?.cancel();
      const browserOnly: Finding = {
        cause: `the authorize endpoint answered HTTP ${response.status} to HTTP Basic credentials instead of a redirect with a code`,
        fix: "check --login-username/--login-password; a real tenant logs users in through a browser only: finish the check by connecting from Claude",
      };
      if (!isRedirect(response.status)) return fail(browserOnly);
      const target = new URL(response.headers.get("location") ?? "", authorizationUrl);
      const code = target.searchParams.get("code");
      ctx.redactor.add(code ?? undefined);
      if (`${target.origin}${target.pathname}` !== redirectUri || !code) {
        const error = target.searchParams.get("error");
        return fail(error ? { cause: `the authorize endpoint answered ${error}: ${target.searchParams.get("error_description") ?? ""}`, fix: browserOnly.fix } : browserOnly, `redirect to ${redirectTarget(response, authorizationUrl)}`);
      }
      if (target.searchParams.get("state") !== state) {
        return fail({ cause: "the redirect to Claude's callback does not carry the request's state; Claude rejects it", fix: "the tenant must return `state` unchanged" });
      }
      ctx.authorization = { code, codeVerifier, redirectUri };
      return pass(`${login.username} logged in; code returned to ${redirectUri}`);
    },
  },
  {
    id: "token-exchange",
    title: "code is exchanged with the client secret",
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
          fetchFn: ctx.http.strict,
        });
      } catch (error) {
        const finding = tokenRefusal(error, "authorization code");
        if (finding) return fail(finding);
        throw error;
      }
      ctx.redactor.add(ctx.tokens.access_token, ctx.tokens.refresh_token, ctx.tokens.id_token);
      const { token_type, expires_in, refresh_token } = ctx.tokens;
      return pass(`${token_type} token, expires in ${expires_in ?? "?"} s, ${refresh_token ? "with" : "without"} a refresh token`);
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
        const expiresIn = claims.exp !== undefined ? `, expires in ${claims.exp - Math.floor(Date.now() / 1000)} s` : "";
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
        return fail({ cause: `the tenant's JWKS ${jwksUrl.href} answers HTTP ${response.status} without a key set`, fix: "the tenant must serve its signing keys at /.well-known/jwks.json/" });
      }
      try {
        const { protectedHeader } = await jwtVerify(accessTokenOf(ctx), createLocalJWKSet(jwks as unknown as JSONWebKeySet));
        return pass(`verified by ${jwksUrl.pathname} (alg ${protectedHeader.alg})`);
      } catch (error) {
        const code = isObject(error) && typeof error.code === "string" ? error.code : String(error);
        return fail({
          cause: `the keys at ${jwksUrl.href} do not verify the access token (${code})`,
          fix: "the token must be signed by this tenant: check that the MCP URL and the OAuth application belong to the same tenant",
        });
      }
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
      return pass(`server ${server?.name ?? "?"} ${server?.version ?? ""}, protocol ${transport.protocolVersion ?? "?"}`.replace(/\s+,/, ","));
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
        return warn({ cause: "the MCP server lists no tools for this user", fix: "check the user's permissions and the tenant's AI features" }, "0 tools");
      }
      return pass(`${names.length} tools: ${names.join(", ")}`);
    },
  },
  {
    id: "refresh-token",
    title: "refresh token is accepted once",
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
