// What state holds for an OAuthApplication, made from its inputs, the way it reaches the tenant and what the tenant
// confirmed; and the inputs a refresh records.
import type { ConnectionSettings } from "../alation/settings";
import { APPLICATION_FIELDS, type ApplicationFields } from "../domain/application-store";
import type { OAuthApplicationInputs } from "../schema/oauth-application";
import type { ShellSettings } from "../schema/shell";
import type { ApplicationTarget } from "./application-target";
import { connectionToRecord } from "./connection";

import type { Props } from "./runtime-provider";

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
