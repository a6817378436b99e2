// What the login's code brings, as Claude uses it: the code exchange with client_secret_post, the JWT and the
// tenant's keys, the token's lifetime, MCP initialize and tools/list, and one refresh.
import { exchangeAuthorization, refreshAuthorization } from "@modelcontextprotocol/sdk/client/auth.js";
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport, StreamableHTTPError } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { createLocalJWKSet, decodeJwt, decodeProtectedHeader, jwtVerify, type JSONWebKeySet } from "jose";
import { APPLICATION_DEFAULTS } from "../schema/oauth-application";
import { clientFinding, describeAnswer, errorSubject, FINDINGS, type Finding } from "./diagnosis";
import { isObject, readJson } from "./http";
import { clientAuthentication, oauthAnswerOf, resourceOf, serverOf } from "./steps-client";
import { notRequested } from "./steps-login";
import { fail, pass, warn, type StepDefinition, type VerifyContext } from "./step";

const CLIENT_INFO = { name: "alation-connector-verify", version: "1" };

/** Lifetimes that differ by less than this from the expected one count as equal (clocks, rounding). */
const LIFETIME_TOLERANCE_S = 60;

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

export const tokenExchangeStep: StepDefinition = {
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
};

export const accessTokenJwtStep: StepDefinition = {
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
};

export const accessTokenSignatureStep: StepDefinition = {
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
};

export const accessTokenLifetimeStep: StepDefinition = {
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
};

export const mcpInitializeStep: StepDefinition = {
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
};

export const mcpToolsListStep: StepDefinition = {
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
};

export const refreshTokenStep: StepDefinition = {
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
};
