// The gate after a tenant's `up`: `alation-connector verify` (as a library) on the stack's outputs, with the tenant's
// verify options. A browser login listens on a fixed loopback port, which the application lists as its redirect URI:
// two logins on one port cannot run at once, so logins are queued per port (tenants with ports of their own log in
// side by side).
import { DEFAULT_CALLBACK_PORT } from "../domain/claude-connector";
import { connectorsFromStackOutputs, verifyConnector, type VerifyOptions, type VerifyReport } from "../verify";
import type { FleetTenant, TenantVerify } from "./fleet-file";

/** What a verification found, as the fleet reports it (the verifier's texts are redacted already). */
export interface VerifySummary {
  ok: boolean;
  passed: number;
  warnings: number;
  skipped: number;
  /** The failed steps: their id, cause and fix. */
  failed: Array<{ id: string; cause?: string; fix?: string }>;
}

/** The verifier's loopback port of a tenant's login: its connector's `verifierLogin` port. */
function callbackPortOf(tenant: FleetTenant): number {
  const login = tenant.connector.verifierLogin;
  return typeof login === "object" ? login.callbackPort : DEFAULT_CALLBACK_PORT;
}

const loginQueues = new Map<number, Promise<unknown>>();

/** Runs `task` once the logins queued on `port` before it have ended. */
function queuedOn<T>(port: number, task: () => Promise<T>): Promise<T> {
  const previous = loginQueues.get(port) ?? Promise.resolve();
  const run = previous.then(task, task);
  loginQueues.set(
    port,
    run.catch(() => undefined),
  );
  return run;
}

/** How the gate tells the user where to log in, and the environment `$BROWSER` is read from. */
export interface GateIo {
  env: NodeJS.ProcessEnv;
  /** A line of progress (the authorize URL of a login holds no secret: client id, state, PKCE challenge). */
  progress(line: string): void;
}

/** Verifies every connector of `tenant` (one per MCP client) from its stack's outputs (plain values), in turn. */
export async function verifyTenant(
  tenant: FleetTenant,
  verify: TenantVerify,
  outputs: Record<string, unknown>,
  io: GateIo,
): Promise<VerifySummary> {
  const callbackPort = callbackPortOf(tenant);
  const options: VerifyOptions = {
    emulator: verify.emulator,
    timeoutMs: verify.timeoutMs,
    login: verify.login,
    browser: {
      callbackPort,
      timeoutMs: verify.loginTimeoutMs,
      env: io.env,
      onUrl: (url) =>
        io.progress(`${tenant.name}: log in with the browser that opens; if none does, open this URL: ${url}`),
    },
  };
  const reports: VerifyReport[] = [];
  // Claude's connector (the top-level fields) is named as the tenant; another client's by its path (mcpClients.vscode).
  for (const input of connectorsFromStackOutputs(outputs)) {
    const name = input.name?.startsWith("mcpClients.") ? `${tenant.name} ${input.name}` : tenant.name;
    const run = () => verifyConnector({ ...input, name }, options);
    reports.push(await (verify.login ? queuedOn(callbackPort, run) : run()));
  }
  return summaryOf(reports);
}

function summaryOf(reports: readonly VerifyReport[]): VerifySummary {
  const steps = reports.flatMap((report) => report.steps);
  const count = (status: string) => steps.filter((step) => step.status === status).length;
  return {
    ok: reports.every((report) => report.ok),
    passed: count("pass"),
    warnings: count("warn"),
    skipped: count("skip"),
    failed: steps
      .filter((step) => step.status === "fail")
      .map((step) => ({ id: step.id, cause: step.cause, fix: step.fix })),
  };
}

/** `access-token-jwt: <cause> (fix: <fix>)` of the first failed step. */
export function verifyCause(summary: VerifySummary): string {
  const [first] = summary.failed;
  if (!first) return "verify failed";
  return `${first.id}: ${first.cause ?? "failed"}${first.fix ? ` (fix: ${first.fix})` : ""}`;
}
