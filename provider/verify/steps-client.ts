// The client's registration as its MCP client meets it, still without a user: does the authorize endpoint accept
// the client id with each of the client's callbacks (Claude's, unless told otherwise), and does the token endpoint
// accept its secret?
import { randomBytes } from "node:crypto";
import {
  exchangeAuthorization,
  startAuthorization,
  type AddClientAuthentication,
} from "@modelcontextprotocol/sdk/client/auth.js";
import { OAuthError } from "@modelcontextprotocol/sdk/server/auth/errors.js";
import {
  classifyAuthorizeAnswer,
  CLAUDE_REPORTS,
  clientFinding,
  describeAnswer,
  errorSubject,
  missingRedirectUri,
  type AuthorizeAnswer,
  type OAuthErrorAnswer,
} from "./diagnosis";
import { fail, pass, warn, type StepDefinition, type StepOutcome, type VerifyContext } from "./step";
import { CLAUDE_REDIRECT_URIS } from "../domain/claude-connector";
import type { ResolvedClient } from "../domain/mcp-client-spec";
import { CLIENT_REDIRECT_STEP_ID, type StepId } from "./types";

/** The metadata and server that the discovery steps established (a step that needs them runs only when they did). */
export function serverOf(ctx: VerifyContext) {
  if (!ctx.asMetadata || !ctx.authorizationServer) throw new Error("the authorization server was not discovered");
  return { metadata: ctx.asMetadata, server: ctx.authorizationServer };
}

/** The RFC 8707 resource indicator Claude sends: the protected resource metadata's `resource`. */
export function resourceOf(ctx: VerifyContext): string | undefined {
  const resource = ctx.resourceMetadata?.resource;
  return typeof resource === "string" ? resource : undefined;
}

/** The scope Claude asks for: the 401's, else the protected resource's scopes_supported. */
function scopeOf(ctx: VerifyContext): string | undefined {
  const supported = ctx.resourceMetadata?.scopes_supported;
  const fromMetadata =
    Array.isArray(supported) && supported.every((s) => typeof s === "string") ? supported.join(" ") : undefined;
  return ctx.challengeScope ?? (fromMetadata || undefined);
}

/** The authorize URL Claude would open for this client and callback, with its PKCE verifier. */
export async function claudeAuthorizeRequest(ctx: VerifyContext, redirectUri: string, state: string) {
  const { metadata, server } = serverOf(ctx);
  return startAuthorization(server, {
    metadata,
    clientInformation: { client_id: ctx.input.clientId },
    redirectUrl: redirectUri,
    scope: scopeOf(ctx),
    state,
    resource: resourceOf(ctx),
  });
}

/** How the authorize endpoint answers Claude's request for this callback, made without a user. */
export async function probeAuthorize(ctx: VerifyContext, redirectUri: string): Promise<AuthorizeAnswer> {
  const { authorizationUrl } = await claudeAuthorizeRequest(ctx, redirectUri, randomToken());
  const response = await ctx.http.probe(authorizationUrl, { headers: { accept: "text/html,application/json" } });
  return classifyAuthorizeAnswer(response, authorizationUrl, redirectUri);
}

/** The two ways RFC 6749 (section 2.3.1) lets a client send its secret to the token endpoint. */
export type SecretMethod = "client_secret_post" | "client_secret_basic";

/**
 * Sends the client's credentials one way, whatever the metadata advertises (the SDK would pick Basic when it is
 * listed). Claude always uses client_secret_post (CLAUDE_REPORTS.clientSecretPost), so every real exchange does.
 */
export function clientAuthentication(ctx: VerifyContext, method: SecretMethod): AddClientAuthentication {
  const { clientId, clientSecret } = ctx.input;
  return (headers, params) => {
    if (method === "client_secret_post") {
      params.set("client_id", clientId);
      params.set("client_secret", clientSecret);
      return;
    }
    const basic = Buffer.from(`${encodeURIComponent(clientId)}:${encodeURIComponent(clientSecret)}`).toString("base64");
    headers.set("authorization", `Basic ${basic}`);
  };
}

/** How the token endpoint met the real credentials with a made-up code. */
type SecretProbe =
  | { verdict: "accepted" }
  | { verdict: "code-accepted" }
  | { verdict: "refused"; answer: OAuthErrorAnswer }
  | { verdict: "inconclusive"; answer: OAuthErrorAnswer };

/**
 * A made-up code with the real credentials: a server authenticates the client before it looks at the code, so
 * invalid_grant means "right secret, wrong code" and invalid_client means "wrong secret" (or a refused method).
 */
async function probeSecret(ctx: VerifyContext, method: SecretMethod): Promise<SecretProbe> {
  const { metadata, server } = serverOf(ctx);
  try {
    await exchangeAuthorization(server, {
      metadata,
      clientInformation: { client_id: ctx.input.clientId, client_secret: ctx.input.clientSecret },
      authorizationCode: randomToken(),
      codeVerifier: randomToken() + randomToken(),
      redirectUri: ctx.callbacks[0],
      resource: resourceOf(ctx),
      addClientAuthentication: clientAuthentication(ctx, method),
      fetchFn: ctx.http.strict,
    });
  } catch (error) {
    const answer = oauthAnswerOf(error);
    if (!answer) throw error;
    if (answer.error === "invalid_grant") return { verdict: "accepted" };
    return errorSubject(answer) === "client" ? { verdict: "refused", answer } : { verdict: "inconclusive", answer };
  }
  return { verdict: "code-accepted" };
}

/** A fresh random value (state, made-up code). */
export function randomToken(): string {
  return randomBytes(24).toString("base64url");
}

/** What an OAuth error thrown by the SDK said. */
export function oauthAnswerOf(error: unknown): OAuthErrorAnswer | undefined {
  if (!(error instanceof OAuthError)) return undefined;
  // The SDK turns a non-OAuth error body into server_error "HTTP 401: ..."; a bare 401 refuses the client.
  if (error.errorCode === "server_error" && /^HTTP 401\b/.test(error.message))
    return { error: "invalid_client", description: error.message };
  return { error: error.errorCode, description: error.message };
}

/**
 * The step of some of the client's callbacks (one of Claude's, or all of another client's): passes when the
 * authorize endpoint accepted each.
 */
function redirectUriStep(
  id: StepId,
  clients: StepDefinition["clients"],
  redirectUrisOf: (client: ResolvedClient) => readonly string[],
): StepDefinition {
  return {
    id,
    clients,
    title: (client) => `authorize accepts ${redirectUrisOf(client).join(", ")}`,
    needs: ["client-id-accepted"],
    run(ctx) {
      const answers = redirectUrisOf(ctx.client).map((uri) => {
        const answer = ctx.authorizeAnswers.get(uri);
        if (!answer) throw new Error("the authorize endpoint was not asked");
        return { uri, answer };
      });
      const refused = answers.flatMap(({ uri, answer }) => (answer.verdict === "refused" ? [{ uri, answer }] : []));
      if (refused.length === 0)
        return pass(answers.map(({ answer }) => (answer as { detail: string }).detail).join("; "));
      const other = refused.find(({ answer }) => answer.subject !== "redirect");
      if (other) return failedAuthorize(other.answer.answer, other.uri);
      const uris = refused.map(({ uri }) => uri);
      return fail(missingRedirectUri(uris, ctx.client), describeAnswer(refused[0].answer.answer));
    },
  };
}

// Claude's two callbacks, each its own step (their ids are a contract); another client's, all in one.
export const redirectUriClaudeAiStep = redirectUriStep("redirect-uri-claude-ai", "claude", () => [
  CLAUDE_REDIRECT_URIS[0],
]);
export const redirectUriClaudeComStep = redirectUriStep("redirect-uri-claude-com", "claude", () => [
  CLAUDE_REDIRECT_URIS[1],
]);
export const redirectUriClientStep = redirectUriStep(CLIENT_REDIRECT_STEP_ID, "other clients", (client) =>
  client.callbacks(),
);

export function failedAuthorize(answer: OAuthErrorAnswer, redirectUri: string): StepOutcome {
  if (errorSubject(answer) === "client") return fail(clientFinding(answer, false), describeAnswer(answer));
  return fail(
    {
      cause: `the authorize endpoint refused the client's request with ${redirectUri}`,
      fix: "see the tenant's answer; the client sends this request (as Claude does)",
    },
    describeAnswer(answer),
  );
}

/** Does the authorize endpoint know the client? Asked with each of the client's callbacks, whose steps then tell. */
export const clientIdAcceptedStep: StepDefinition = {
  id: "client-id-accepted",
  title: "authorize endpoint accepts the client id",
  needs: ["authorization-code-grant", "pkce-s256"],
  async run(ctx) {
    for (const redirectUri of ctx.callbacks) {
      ctx.authorizeAnswers.set(redirectUri, await probeAuthorize(ctx, redirectUri));
    }
    const answers = [...ctx.authorizeAnswers.values()];
    const accepted = answers.find(
      (a): a is Extract<AuthorizeAnswer, { verdict: "accepted" }> => a.verdict === "accepted",
    );
    if (accepted) return pass(`client ${ctx.input.clientId}: ${accepted.detail}`);
    const refusals = answers.flatMap((a) => (a.verdict === "refused" ? [a] : []));
    // Refusals that blame only the redirect URIs prove that the client itself is known: the redirect steps say more.
    if (refusals.every((r) => r.subject === "redirect"))
      return pass(`client ${ctx.input.clientId} is known; its redirect URIs are refused`);
    const notRedirect = refusals.find((r) => r.subject !== "redirect")?.answer as OAuthErrorAnswer;
    return failedAuthorize(notRedirect, ctx.callbacks[0]);
  },
};

/** Does the token endpoint take the client's secret, and the way Claude (and the SDK's clients) send it? */
export const clientSecretStep: StepDefinition = {
  id: "client-secret",
  title: "token endpoint accepts the client secret",
  needs: ["client-id-accepted", "token-endpoint-tenant"],
  async run(ctx) {
    const post = await probeSecret(ctx, "client_secret_post");
    if (post.verdict === "code-accepted") {
      return warn({
        cause: "the token endpoint accepted a made-up authorization code",
        fix: "report this to the tenant's administrators",
      });
    }
    if (post.verdict === "inconclusive") {
      return warn(
        {
          cause: `inconclusive: a made-up code got ${describeAnswer(post.answer)}`,
          fix: "run with --login to check the secret with a real code",
        },
        describeAnswer(post.answer),
      );
    }
    if (post.verdict === "accepted") {
      ctx.secretAccepted = { post: true, basic: false };
      return pass("the secret authenticates the client (a made-up code got invalid_grant)");
    }
    // Refused in the form body: is it the secret, or only the way it was sent?
    const basic = await probeSecret(ctx, "client_secret_basic");
    if (basic.verdict !== "accepted") return fail(clientFinding(post.answer, true), describeAnswer(post.answer));
    ctx.secretAccepted = { post: false, basic: true };
    return pass("the secret authenticates the client, but only sent as HTTP Basic");
  },
};

export const clientSecretPostStep: StepDefinition = {
  id: "client-secret-post",
  title: "token endpoint accepts client_secret_post, as Claude sends it",
  needs: ["client-secret"],
  run(ctx) {
    if (!ctx.secretAccepted) return { status: "skip", detail: "the client-secret step was inconclusive" };
    if (!ctx.secretAccepted.post) {
      return fail({
        cause:
          "the token endpoint accepts the secret as HTTP Basic (client_secret_basic) only; Claude's connector " +
          `sends client_secret_post and never falls back to Basic (${CLAUDE_REPORTS.clientSecretPost})`,
        fix:
          "the tenant's token endpoint must accept client_id and client_secret in the form body " +
          "(client_secret_post)",
      });
    }
    const advertised = ctx.asMetadata?.token_endpoint_auth_methods_supported;
    if (advertised && !advertised.includes("client_secret_post")) {
      return warn(
        {
          cause: `the metadata advertises ${advertised.join(", ")} only, yet client_secret_post is accepted`,
          fix: 'the metadata should list "client_secret_post" in token_endpoint_auth_methods_supported',
        },
        "client_secret_post accepted",
      );
    }
    return pass("client_id and client_secret in the form body are accepted");
  },
};
