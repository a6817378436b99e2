// What a step is, what it shares with the later steps, and how the steps run in order.
import type { Client } from "@modelcontextprotocol/sdk/client/index.js";
import type { AuthorizationServerMetadata, OAuthTokens } from "@modelcontextprotocol/sdk/shared/auth.js";
import { errorFinding, type AuthorizeAnswer, type Finding } from "./diagnosis";
import type { VerifierHttp } from "./http";
import type { CallbackListener } from "./loopback";
import type { SecretRedactor } from "./redact";
import type { ResolvedClient } from "../domain/mcp-client-spec";
import type { BrowserLoginOptions, ConnectorInput, LoginCredentials, StepId, StepResult, StepStatus } from "./types";

/** How the user logs in: through a browser back to the verifier's loopback listener, or the emulator's HTTP Basic. */
export type LoginPlan =
  { kind: "browser"; options: BrowserLoginOptions } | { kind: "credentials"; credentials: LoginCredentials };

/** What one connector's steps learn and pass on. Secrets live here, never in results. */
export interface VerifyContext {
  /** The connector under test. */
  readonly input: ConnectorInput;
  /** The client it is for, and so the callbacks that are checked (its own: for Claude, Claude's two). */
  readonly client: ResolvedClient;
  readonly callbacks: readonly string[];
  /** Loopback http and ports are tolerated (with a warning). */
  readonly emulator: boolean;
  /** How the user logs in; undefined when no login was asked for. */
  readonly login?: LoginPlan;
  /** Bounded fetches that never follow a redirect. */
  readonly http: VerifierHttp;
  /** Every secret learned so far; every printed text goes through it. */
  readonly redactor: SecretRedactor;
  /** The MCP URL the network steps use: the given one, with a trailing slash added if it lacked one. */
  mcpUrl?: URL;
  /** The answer to the unauthenticated MCP request (`redirect`: where a 3xx pointed, without its query). */
  challenge?: { status: number; wwwAuthenticate: string | null; redirect?: string };
  /** The answer to the same request at the URL Claude calls (without its trailing slash), when not a redirect. */
  claudeCallAnswer?: { status: number; wwwAuthenticate: string | null };
  /** The protected resource metadata URL named by the 401. */
  resourceMetadataUrl?: URL;
  /** The `scope` of the 401's challenge, which Claude requests. */
  challengeScope?: string;
  /** The protected resource metadata, as served (not yet validated beyond being an object). */
  resourceMetadata?: Record<string, unknown>;
  /** The first of `authorization_servers`. */
  authorizationServer?: string;
  /** The authorization server's RFC 8414 metadata. */
  asMetadata?: AuthorizationServerMetadata;
  /** How the authorize endpoint answered, per callback of the client, without a user. */
  authorizeAnswers: Map<string, AuthorizeAnswer>;
  /** Which ways of sending the client secret the token endpoint accepted (set by the client-secret step). */
  secretAccepted?: { post: boolean; basic: boolean };
  /** The loopback listener of a browser login, started once its redirect URI is known to be accepted. */
  callback?: CallbackListener;
  /** The code that the login obtained, with what the exchange needs. */
  authorization?: { code: string; codeVerifier: string; redirectUri: string };
  /** Tokens of the code exchange. */
  tokens?: OAuthTokens;
  /** The MCP client connected with the access token. */
  mcpClient?: Client;
  /** Run after the last step, whatever happened (closing the MCP session). */
  cleanups: Array<() => Promise<void>>;
}

/** A step's verdict before redaction. */
export interface StepOutcome {
  status: StepStatus;
  detail?: string;
  cause?: string;
  fix?: string;
}

/** One check of the checklist. */
export interface StepDefinition {
  /** Its name. */
  id: StepId;
  /** Whose connectors it checks: every client's unless it says Claude's only, or other clients' only. */
  clients?: "claude" | "other clients";
  /** What it checks (for some steps, in the words of the client's callbacks). */
  title: string | ((client: ResolvedClient) => string);
  /** Steps that must have passed (or warned) first; otherwise this one is skipped. */
  needs?: StepId[];
  /** A reason to skip it, checked before `needs` (e.g. login not requested). */
  skipReason?(ctx: VerifyContext, results: ReadonlyMap<StepId, StepResult>): string | undefined;
  /** The check itself. A thrown error is a failure whose cause describes it. */
  run(ctx: VerifyContext, results: ReadonlyMap<StepId, StepResult>): Promise<StepOutcome> | StepOutcome;
}

/** A passed step. */
export function pass(detail: string): StepOutcome {
  return { status: "pass", detail };
}

/** A failed step with its cause and fix. */
export function fail(finding: Finding, detail?: string): StepOutcome {
  return { status: "fail", detail, ...finding };
}

/** A step that is fine for Claude but deserves attention. */
export function warn(finding: Finding, detail?: string): StepOutcome {
  return { status: "warn", detail, ...finding };
}

/** Runs the steps in order, skipping those whose prerequisites did not pass; redacts every text. */
export async function runSteps(steps: readonly StepDefinition[], ctx: VerifyContext): Promise<StepResult[]> {
  const results = new Map<StepId, StepResult>();
  try {
    for (const step of steps) {
      const title = typeof step.title === "string" ? step.title : step.title(ctx.client);
      const outcome = await runOne(step, title, ctx, results);
      const result: StepResult = { id: step.id, title, status: outcome.status };
      for (const key of ["detail", "cause", "fix"] as const) {
        const text = outcome[key];
        if (text !== undefined) result[key] = ctx.redactor.redact(text);
      }
      results.set(step.id, result);
    }
  } finally {
    for (const cleanup of ctx.cleanups) await cleanup().catch(() => undefined);
  }
  return [...results.values()];
}

async function runOne(
  step: StepDefinition,
  title: string,
  ctx: VerifyContext,
  results: ReadonlyMap<StepId, StepResult>,
): Promise<StepOutcome> {
  const reason = step.skipReason?.(ctx, results);
  if (reason) return { status: "skip", detail: reason };
  const unmet = (step.needs ?? []).filter((id) => {
    const status = results.get(id)?.status;
    return status !== "pass" && status !== "warn";
  });
  if (unmet.length > 0) return { status: "skip", detail: `needs ${unmet.join(", ")}` };
  try {
    return await step.run(ctx, results);
  } catch (error) {
    return fail(errorFinding(error, title, ctx.http.timeoutMs));
  }
}
