// Which way an OAuthApplication reaches its tenant: the REST admin API (`connection`, or none given: stack config
// and environment) or the tenant's shell (`shell`), and the ApplicationStore for it.
import { AlationClient } from "../alation/client";
import type { ConnectionSettings } from "../alation/settings";
import type { ApplicationStore } from "../alation/types";
import type { ConnectionInputs } from "../schema/connection";
import type { ShellSettings } from "../schema/shell";
import { resolveConnection } from "./connection";

/** A resolved way to the tenant. */
export type ApplicationTarget = { connection: ConnectionSettings; shell?: undefined } | { shell: ShellSettings; connection?: undefined };

/** The target named by validated inputs: `shell` when given, else the connection resolved at call time. */
export function targetOf(inputs: { connection?: ConnectionInputs; shell?: ShellSettings }): ApplicationTarget {
  return inputs.shell !== undefined ? { shell: inputs.shell } : { connection: resolveConnection(inputs.connection) };
}

/** The ApplicationStore of a target. The shell path is loaded only when used (it brings SSH and Kubernetes). */
export function storeOf(target: ApplicationTarget): ApplicationStore {
  if (target.shell !== undefined) {
    const shell: typeof import("../shell") = require("../shell");
    return shell.createShellApplicationStore(target.shell);
  }
  return new AlationClient(target.connection);
}

/** The tenant's address of a target, for messages; the shell path names none. */
export function describeTarget(target: ApplicationTarget): string {
  return target.connection ? target.connection.baseUrl : "the tenant's shell";
}
