// An OAuthApplication's state, as its provider methods and its create share it: which way it reaches its tenant (the
// REST admin API, `connection` or none given: stack config and environment; or the tenant's shell, `shell`) and the
// ApplicationStore for it; what state holds, made from its inputs, that way and what the tenant confirmed, and the
// inputs a refresh records; and how an application's fields compare (what a diff or an update changes, what the
// tenant did not confirm).
import type { ConnectionSettings } from "../alation/settings";
import {
  APPLICATION_FIELDS,
  type ApplicationFields,
  type ApplicationRecord,
  type ApplicationStore,
} from "../domain/application-store";
import { baseUrlProblem, type ConnectionInputs } from "../schema/connection";
import { APPLICATION_DEFAULTS, type OAuthApplicationInputs } from "../schema/oauth-application";
import type { ShellSettings } from "../schema/shell";
import { isUnknown } from "../schema/unknown";
import { connectionToRecord, fallbackValue, resolveConnection, withRecordedConnection } from "./connection";
import type { Props } from "./runtime-provider";

// Which way to the tenant.

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

// What state holds.

/** What state holds for an OAuthApplication (its outputs). */
export interface OAuthApplicationOutputs extends ApplicationFields {
  clientId: string;
  clientSecret: string;
  /** Fields this path could not enforce (the tenant did not confirm them). */
  notEnforced: Array<keyof ApplicationFields>;
  secretVersion?: string;
  adoptClientId?: string;
  /**
   * The resolved connection (a secret output), so that read and delete work without the program's config; without
   * a credential from the environment, which each command gives afresh (runtime/connection.ts).
   */
  connection?: ConnectionSettings;
  /** The shell settings (a secret output), when the shell path manages the application. */
  shell?: ShellSettings;
}

/** What an operation learnt of the application: its id, its secret, the fields the tenant did not confirm. */
export interface ApplicationResult {
  clientId: string;
  clientSecret: string;
  notEnforced: Array<keyof ApplicationFields>;
}

/** The application fields of validated inputs. */
export function applicationFieldsOf(inputs: OAuthApplicationInputs): ApplicationFields {
  const fields = {} as Record<string, unknown>;
  for (const field of APPLICATION_FIELDS) fields[field] = inputs[field];
  return fields as unknown as ApplicationFields;
}

/** The outputs of an operation; without `fields`, the application's fields are left out (the next update sets them). */
export function outputsOf(
  inputs: OAuthApplicationInputs,
  target: ApplicationTarget,
  fields: ApplicationFields | undefined,
  result: ApplicationResult,
): Props {
  const outputs: Partial<OAuthApplicationOutputs> = { ...fields, ...result, ...targetFields(target) };
  if (inputs.secretVersion !== undefined) outputs.secretVersion = inputs.secretVersion;
  if (inputs.adoptClientId !== undefined) outputs.adoptClientId = inputs.adoptClientId;
  return outputs as Props;
}

/** The target as state records it: the shell settings or the resolved connection (see connectionToRecord). */
export function targetFields(target: ApplicationTarget): Props {
  return target.shell !== undefined ? { shell: target.shell } : { connection: connectionToRecord(target.connection) };
}

/**
 * Inputs matching refreshed state, for later diffs. The connection and shell settings are left out: they hold
 * credentials, which must not land in state as plain inputs; the next `up` records the program's own again.
 */
export function inputsOf(props: Props): Props {
  const inputs: Props = {};
  for (const key of [...APPLICATION_FIELDS, "secretVersion", "adoptClientId"]) {
    if (props[key] !== undefined) inputs[key] = props[key];
  }
  return inputs;
}

// How fields compare.

/** Whether two values of a field are the same to Alation. */
function sameField(field: keyof ApplicationFields, a: unknown, b: unknown): boolean {
  if (field === "redirectUris" && Array.isArray(a) && Array.isArray(b)) {
    // Order carries no meaning for Alation; a tenant may report them sorted.
    return JSON.stringify([...a].sort()) === JSON.stringify([...b].sort());
  }
  return a === b;
}

/** The fields a diff reports changed: a field older state lacks counts as its default. */
export function changedFields(olds: Props, news: Props): Array<keyof ApplicationFields> {
  const defaults = APPLICATION_DEFAULTS as Record<string, unknown>;
  return APPLICATION_FIELDS.filter((field) => !sameField(field, olds[field] ?? defaults[field], news[field]));
}

/** The fields an update sends: those whose value differs from state (or that state lacks). */
export function changesOf(olds: Props, fields: ApplicationFields): Partial<ApplicationFields> {
  const changed = differingSettings(olds as ApplicationRecord, fields, APPLICATION_FIELDS);
  return Object.fromEntries(changed.map((field) => [field, fields[field]])) as Partial<ApplicationFields>;
}

/** The enforced fields whose value in `found` is not `fields`' (a field the tenant does not report differs). */
function differingSettings(
  found: ApplicationRecord,
  fields: ApplicationFields,
  enforced: ReadonlyArray<keyof ApplicationFields>,
): Array<keyof ApplicationFields> {
  return enforced.filter((field) => found[field] === undefined || !sameField(field, found[field], fields[field]));
}

/**
 * Fields the tenant did not confirm: a field the answer echoes is enforced when it holds the requested value (and
 * not when it holds another); a field it does not echo counts as enforced only if the store always sets it.
 */
export function notEnforcedOf(
  enforced: ReadonlyArray<keyof ApplicationFields>,
  requested: Partial<ApplicationFields>,
  answer: ApplicationRecord | undefined,
): Array<keyof ApplicationFields> {
  return APPLICATION_FIELDS.filter((field) => {
    if (!(field in requested)) return false;
    const echoed = answer?.[field];
    if (echoed !== undefined) return !sameField(field, echoed, requested[field]);
    return !enforced.includes(field);
  });
}
