// What Claude's connector wizard (late 2026) does that a standard MCP client does not: it calls the MCP URL without
// its trailing slash, its step 1 detects whether the server needs a sign-in, and its step 2 offers the ways of
// registering a client that the tenant advertises. Facts and sources: ../domain/claude-wizard.ts. Where Claude's
// behaviour is documented or reported, a step cites it; where it is unknown, the step warns rather than fails.
import {
  ALATION_CHOICES,
  AUTHENTICATION_CHOICES,
  CLAUDE_WIZARD_SOURCES as SOURCES,
  OAUTH_CLIENT_CHOICES,
} from "../domain/claude-wizard";
import { isRedirect, redirectTarget, withoutQuery } from "./http";
import { INITIALIZE_REQUEST, mcpUrlOf } from "./steps-discovery";
import { fail, pass, warn, type StepDefinition, type VerifyContext } from "./step";

/** The MCP URL as Claude calls it: without its trailing slash (SOURCES.strippedSlash). */
export function asClaudeCalls(mcpUrl: URL): URL {
  const url = new URL(mcpUrl.href);
  url.pathname = url.pathname.replace(/\/+$/, "") || "/";
  return url;
}

/** What step 1 of the wizard sees: the answer to the URL Claude calls, or, where that redirects, to the given one. */
function probedAnswer(ctx: VerifyContext) {
  const answer = ctx.claudeCallAnswer ?? ctx.challenge;
  if (!answer) throw new Error("no answer was recorded");
  return answer;
}

export const mcpUrlWithoutSlashStep: StepDefinition = {
  id: "mcp-url-without-slash",
  clients: "claude",
  title: "MCP URL answers without its trailing slash, as Claude calls it",
  needs: ["mcp-reachable"],
  async run(ctx) {
    const given = mcpUrlOf(ctx);
    const called = asClaudeCalls(given);
    if (called.href === given.href) return pass(`${given.pathname}: no trailing slash to strip`);
    const response = await ctx.http.probe(called, {
      method: "POST",
      headers: { "content-type": "application/json", accept: "application/json, text/event-stream" },
      body: INITIALIZE_REQUEST,
    });
    await response.body?.cancel();
    const expected = ctx.challenge?.status;
    const at = withoutQuery(called.href);
    const ask =
      `the fix is on the tenant's side (Claude strips the slash whatever URL is typed in): ask Alation to answer ` +
      `${called.pathname} as it answers ${given.pathname}, without a redirect`;
    const claudeCalls = `Claude strips the trailing slash and calls ${at} (${SOURCES.strippedSlash})`;
    if (isRedirect(response.status)) {
      const target = redirectTarget(response, called);
      return fail(
        {
          cause:
            `HTTP ${response.status} redirect from ${at} to ${target}: ${claudeCalls} and does not follow the ` +
            `redirect (${SOURCES.noRedirectOnPost}), so adding the connector fails ("Couldn't reach ...")`,
          fix: ask,
        },
        `HTTP ${response.status} to ${target}`,
      );
    }
    if (response.status !== expected) {
      return fail({
        cause: `HTTP ${response.status} from ${at}, where ${given.pathname} answers HTTP ${expected}: ${claudeCalls}`,
        fix: ask,
      });
    }
    ctx.claudeCallAnswer = { status: response.status, wwwAuthenticate: response.headers.get("www-authenticate") };
    return pass(`HTTP ${response.status} from ${at}, as from ${given.pathname}`);
  },
};

export const wizardAuthenticationStep: StepDefinition = {
  id: "wizard-authentication",
  clients: "claude",
  title: "what step 1 of Claude's wizard detects",
  needs: ["mcp-no-redirect"],
  run(ctx) {
    const { status, wwwAuthenticate } = probedAnswer(ctx);
    const choose = `in step 2 choose Authentication "${ALATION_CHOICES.authentication}"`;
    if (status === 401 && /^\s*bearer\b/i.test(wwwAuthenticate ?? "")) {
      return pass(`sign-in needed (HTTP 401 with a Bearer challenge); ${choose}`);
    }
    if (status >= 200 && status < 300) {
      return fail({
        cause:
          `initialize is answered without a token (HTTP ${status}), so step 1 detects Authentication ` +
          `"${AUTHENTICATION_CHOICES.none}" (${SOURCES.wizard}); with it Claude never signs the user in to Alation, ` +
          "and the connector fails",
        fix: `${choose} (an authentication that signs in), not the detected "${AUTHENTICATION_CHOICES.none}"`,
      });
    }
    return warn(
      {
        cause:
          `unknown what step 1 detects for HTTP ${status}${wwwAuthenticate ? "" : " without a challenge"}: the ` +
          "sources describe a 401 challenge and an answer without credentials only",
        fix: `see mcp-401-challenge; ${choose}`,
      },
      `HTTP ${status}`,
    );
  },
};

export const wizardOAuthClientStep: StepDefinition = {
  id: "wizard-oauth-client",
  clients: "claude",
  title: "which OAuth client to choose in step 2 of Claude's wizard",
  // Asked once the server offers what any sign-in needs, as the client id's own step is.
  needs: ["authorization-code-grant", "pkce-s256"],
  run(ctx) {
    const metadata = ctx.asMetadata;
    const none = metadata?.token_endpoint_auth_methods_supported?.includes("none") ?? false;
    const cimd = metadata?.client_id_metadata_document_supported === true && none;
    const dcr = typeof metadata?.registration_endpoint === "string";
    const own = `choose "${OAUTH_CLIENT_CHOICES.own}" and give this application's client id and secret`;
    if (!cimd && !dcr) {
      const cimdWithoutNone = metadata?.client_id_metadata_document_supported === true ? " (CIMD without none)" : "";
      return pass(`neither CIMD${cimdWithoutNone} nor DCR advertised: ${own} (${SOURCES.registration})`);
    }
    const offered = [
      cimd ? `"${OAUTH_CLIENT_CHOICES.cimd}" (client_id_metadata_document_supported, none among the auth methods)` : "",
      dcr ? `"${OAUTH_CLIENT_CHOICES.dcr}" (registration_endpoint)` : "",
    ].filter(Boolean);
    return warn(
      {
        cause:
          `the tenant advertises ${offered.join(" and ")}: Claude can register itself, ${cimd ? "CIMD" : "DCR"} ` +
          `first (${SOURCES.registration}), so this application is optional for Claude`,
        fix: `to use this application (its secret, its token lifetimes), ${own}`,
      },
      offered.join(", "),
    );
  },
};
