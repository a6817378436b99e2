// verifyConnector: walks the path Claude walks for one connector and reports one line per step.
import { createVerifierHttp, withoutQuery } from "./http";
import { SecretRedactor } from "./redact";
import { runSteps, type LoginPlan, type StepDefinition, type VerifyContext } from "./step";
import { clientSteps } from "./steps-client";
import { discoverySteps } from "./steps-discovery";
import { loginSteps } from "./steps-login";
import { metadataSteps } from "./steps-metadata";
import { tokenSteps } from "./steps-tokens";
import type { ConnectorInput, VerifyOptions, VerifyReport } from "./types";

/** Every step, in the order of STEP_IDS. */
export const ALL_STEPS: readonly StepDefinition[] = [
  ...discoverySteps,
  ...metadataSteps,
  ...clientSteps,
  ...loginSteps,
  ...tokenSteps,
];

/** The default bound of each HTTP call and MCP request. */
export const DEFAULT_TIMEOUT_MS = 10_000;

/**
 * Verifies one connector the way Claude uses it. Never throws for a finding: every problem is a failed
 * step of the report, whose texts hold no secret or token.
 */
export async function verifyConnector(input: ConnectorInput, options: VerifyOptions = {}): Promise<VerifyReport> {
  const redactor = new SecretRedactor();
  const login = loginPlanOf(options);
  redactor.add(input.clientSecret, login?.kind === "credentials" ? login.credentials.password : undefined);
  const ctx: VerifyContext = {
    input,
    emulator: options.emulator ?? false,
    login,
    http: createVerifierHttp(options.timeoutMs ?? DEFAULT_TIMEOUT_MS, options.fetch),
    redactor,
    authorizeAnswers: new Map(),
    cleanups: [],
  };
  const steps = await runSteps(ALL_STEPS, ctx);
  return {
    name: input.name ?? input.connectorName,
    // Without userinfo or query: a URL pasted with credentials in it must not print them.
    mcpUrl: redactor.redact(withoutQuery(input.remoteMcpServerUrl)),
    clientId: input.clientId,
    ok: steps.every((step) => step.status !== "fail"),
    steps,
  };
}

/** Verifies several connectors, one after the other (they may share a tenant and its rate limits). */
export async function verifyConnectors(
  inputs: readonly ConnectorInput[],
  options: VerifyOptions = {},
): Promise<VerifyReport[]> {
  const reports: VerifyReport[] = [];
  for (const input of inputs) reports.push(await verifyConnector(input, options));
  return reports;
}

function loginPlanOf(options: VerifyOptions): LoginPlan | undefined {
  if (!options.login) return undefined;
  if (options.login === true) return { kind: "browser", options: options.browser ?? {} };
  return { kind: "credentials", credentials: options.login };
}
