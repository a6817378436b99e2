// verifyConnector: walks the path Claude (or the connector's MCP client) walks for one connector and reports one line
// per step.
import { clientProblems, describeProblem, resolveClient, type ResolvedClient } from "../domain/mcp-client-spec";
import { createVerifierHttp, withoutQuery } from "./http";
import { ConnectorInputError } from "./input";
import { SecretRedactor } from "./redact";
import { runSteps, type LoginPlan, type VerifyContext } from "./step";
import { stepsFor } from "./steps";
import type { ConnectorInput, VerifyOptions, VerifyReport } from "./types";

/** The default bound of each HTTP call and MCP request. */
export const DEFAULT_TIMEOUT_MS = 10_000;

/**
 * Verifies one connector the way its client (Claude unless `input.client` says) uses it. Never throws for a finding:
 * every problem is a failed step of the report, whose texts hold no secret or token. A `client` that is not one
 * throws a ConnectorInputError naming the field.
 */
export async function verifyConnector(input: ConnectorInput, options: VerifyOptions = {}): Promise<VerifyReport> {
  const client = clientOf(input);
  const redactor = new SecretRedactor();
  const login = loginPlanOf(options);
  redactor.add(input.clientSecret, login?.kind === "credentials" ? login.credentials.password : undefined);
  const ctx: VerifyContext = {
    input,
    client,
    // The client's own callbacks: the tenant's /oauth/callback that the connector guide adds for Claude is not one.
    callbacks: client.callbacks(),
    emulator: options.emulator ?? false,
    login,
    http: createVerifierHttp(options.timeoutMs ?? DEFAULT_TIMEOUT_MS, options.fetch),
    redactor,
    authorizeAnswers: new Map(),
    cleanups: [],
  };
  const steps = await runSteps(stepsFor(client.key), ctx);
  return {
    name: input.name ?? input.connectorName,
    connectorName: input.connectorName,
    // Without userinfo or query: a URL pasted with credentials in it must not print them.
    mcpUrl: redactor.redact(withoutQuery(input.remoteMcpServerUrl)),
    clientId: input.clientId,
    client: client.key,
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

/** The connector's client, read: Claude's unless the input names another. */
function clientOf(input: ConnectorInput): ResolvedClient {
  const problems = clientProblems(input.client ?? "claude");
  if (problems.length === 0) return resolveClient(input.client ?? "claude");
  const where = input.name ? `connector ${input.name}` : "the connector";
  const reasons = problems.map((problem) => describeProblem("client", problem)).join("; ");
  throw new ConnectorInputError(`${where}: ${reasons}`);
}

function loginPlanOf(options: VerifyOptions): LoginPlan | undefined {
  if (!options.login) return undefined;
  if (options.login === true) return { kind: "browser", options: options.browser ?? {} };
  return { kind: "credentials", credentials: options.login };
}
