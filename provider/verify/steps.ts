// The table of steps: every step of a verification, in the order they run, the one place that order is written.
// A step that checks one kind of client's connectors says so (`clients`: Claude's two callbacks and Claude's wizard,
// or another client's callbacks); the rest run for every connector. A step may need only steps above it.
import type { StepDefinition } from "./step";
import { mcpUrlWithoutSlashStep, wizardAuthenticationStep, wizardOAuthClientStep } from "./steps-claude";
import {
  clientIdAcceptedStep,
  clientSecretPostStep,
  clientSecretStep,
  redirectUriClaudeAiStep,
  redirectUriClaudeComStep,
  redirectUriClientStep,
} from "./steps-client";
import {
  mcp401ChallengeStep,
  mcpNoRedirectStep,
  mcpReachableStep,
  mcpUrlStep,
  mcpUrlTrailingSlashStep,
  resourceMetadataUrlStep,
} from "./steps-discovery";
import { loginStep, redirectUriLoopbackStep } from "./steps-login";
import {
  authorizationCodeGrantStep,
  authorizationServerMetadataStep,
  authorizationServersStep,
  pathSpecificResourceMetadataStep,
  pkceS256Step,
  protectedResourceMetadataStep,
  tokenEndpointTenantStep,
} from "./steps-metadata";
import {
  accessTokenJwtStep,
  accessTokenLifetimeStep,
  accessTokenSignatureStep,
  mcpInitializeStep,
  mcpToolsListStep,
  refreshTokenStep,
  tokenExchangeStep,
} from "./steps-tokens";
import type { StepId } from "./types";

/** Every step, in the order they run. */
export const VERIFY_STEPS: readonly StepDefinition[] = [
  // The MCP URL and its answer without a token (steps-discovery.ts, steps-claude.ts).
  mcpUrlStep,
  mcpUrlTrailingSlashStep,
  mcpReachableStep,
  mcpNoRedirectStep,
  mcpUrlWithoutSlashStep,
  mcp401ChallengeStep,
  wizardAuthenticationStep,
  resourceMetadataUrlStep,
  // The metadata the 401 leads to (steps-metadata.ts).
  protectedResourceMetadataStep,
  pathSpecificResourceMetadataStep,
  authorizationServersStep,
  authorizationServerMetadataStep,
  tokenEndpointTenantStep,
  authorizationCodeGrantStep,
  pkceS256Step,
  wizardOAuthClientStep,
  // The client's registration, still without a user (steps-client.ts).
  clientIdAcceptedStep,
  redirectUriClaudeAiStep,
  redirectUriClaudeComStep,
  redirectUriClientStep,
  clientSecretStep,
  clientSecretPostStep,
  // With a user (`--login`): the login, and what its code brings (steps-login.ts, steps-tokens.ts).
  redirectUriLoopbackStep,
  loginStep,
  tokenExchangeStep,
  accessTokenJwtStep,
  accessTokenSignatureStep,
  accessTokenLifetimeStep,
  mcpInitializeStep,
  mcpToolsListStep,
  refreshTokenStep,
];

/** The steps of a verification for a client (`claude` unless told), in order. */
export function stepsFor(clientKey: string = "claude"): StepDefinition[] {
  const claude = clientKey === "claude";
  return VERIFY_STEPS.filter((step) => step.clients === undefined || (step.clients === "claude") === claude);
}

/** The names of a client's steps, in order. */
export function stepIdsFor(clientKey: string = "claude"): StepId[] {
  return stepsFor(clientKey).map((step) => step.id);
}

/** Every step of a Claude connector, in order. */
export const ALL_STEPS: readonly StepDefinition[] = stepsFor("claude");

/** The names of a Claude connector's steps, in order. */
export const STEP_IDS: readonly StepId[] = stepIdsFor("claude");

/** The steps of what Claude's connector wizard does (steps-claude.ts): Claude's only. */
export const CLAUDE_WIZARD_STEP_IDS: readonly StepId[] = [
  mcpUrlWithoutSlashStep,
  wizardAuthenticationStep,
  wizardOAuthClientStep,
].map((step) => step.id);
