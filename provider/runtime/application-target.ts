// Which way an OAuthApplication reaches its tenant: the REST admin API (`connection`, or none given: stack config
// and environment) or the tenant's shell (`shell`), and the ApplicationStore for it.
import type { ConnectionSettings } from "../alation/settings";
import type { ApplicationStore } from "../domain/application-store";
import { baseUrlProblem, type ConnectionInputs } from "../schema/connection";
import type { ShellSettings } from "../schema/shell";
import { isUnknown } from "../schema/unknown";
import { fallbackValue, resolveConnection, withRecordedConnection } from "./connection";

/** A resolved way to the tenant. */
export type ApplicationTarget =
  { connection: ConnectionSettings; shell?: undefined } | { shell: ShellSettings; connection?: undefined };

/** The target named by validated inputs: `shell` when given, else the connection resolved at call time. */
export function targetOf(inputs: { connection?: ConnectionInputs; shell?: ShellSettings }): ApplicationTarget {
  return inputs.shell !== undefined ? { shell: inputs.shell } : { connection: resolveConnection(inputs.connection) };
}

/**
 * The ApplicationStore of a target. Each path is loaded only when an operation reaches the tenant: preview (check
 * and diff) never does, so it loads neither undici nor the shell transports (SSH, Kubernetes).
 */
export function storeOf(target: ApplicationTarget): ApplicationStore {
  if (target.shell !== undefined) {
    const shell: typeof import("../shell") = require("../shell");
    return shell.createShellApplicationStore(target.shell);
  }
  const rest: typeof import("../alation/client") = require("../alation/client");
  return new rest.AlationClient(target.connection);
}

/** The tenant's address of a target, for messages; the shell path names none. */
export function describeTarget(target: ApplicationTarget): string {
  return target.connection ? target.connection.baseUrl : "the tenant's shell";
}

/** Runs an operation on the store that state records (REST: with the rotated-credential fallback). */
export async function withStateTarget<T>(
  state: { connection?: ConnectionSettings; shell?: ShellSettings },
  operation: (store: ApplicationStore) => Promise<T>,
): Promise<{ result: T; target: ApplicationTarget }> {
  if (state.shell !== undefined) {
    const target: ApplicationTarget = { shell: state.shell };
    return { result: await operation(storeOf(target)), target };
  }
  const { result, connection } = await withRecordedConnection(state.connection, (settings) =>
    operation(storeOf({ connection: settings })),
  );
  return { result, target: { connection } };
}

/** Whether `newConnection` (with config and environment as fallback) names another tenant than the recorded one. */
export function tenantChanged(
  recorded: ConnectionSettings | undefined,
  newConnection: Record<string, unknown> | undefined,
): boolean {
  if (isUnknown(newConnection) || isUnknown(newConnection?.baseUrl)) return true;
  const next = (newConnection?.baseUrl as string | undefined) ?? fallbackValue("baseUrl");
  if (!recorded?.baseUrl || !next || baseUrlProblem(next)) return false;
  return new URL(recorded.baseUrl).origin !== new URL(next).origin;
}
