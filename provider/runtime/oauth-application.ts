// OAuthApplication's lifecycle, run inside Pulumi's dynamic-provider process, over an ApplicationStore (the REST
// client or the shell path). check and diff are offline; the others reach the tenant.
import type { ConnectionSettings } from "../alation/settings";
import {
  APPLICATION_FIELDS,
  isStoreError,
  storeFailureOf,
  type ApplicationFields,
  type ApplicationLookup,
  type ApplicationRecord,
  type ApplicationStore,
} from "../domain/application-store";
import { checkWithSchema, parseOrThrow, type CheckResult } from "../schema/check";
import { baseUrlProblem } from "../schema/connection";
import {
  APPLICATION_DEFAULTS,
  oauthApplicationSchema,
  oauthApplicationShape,
  type OAuthApplicationInputs,
} from "../schema/oauth-application";
import { isUnknown } from "../schema/unknown";
import type { ShellSettings } from "../schema/shell";
import { describeTarget, storeOf, targetOf, type ApplicationTarget } from "./application-target";
import { applicationHeldByAnother, claimApplication } from "./claims";
import { withRecordedConnection } from "./connection";
import { stackConfig } from "./stack-config";

type Props = Record<string, unknown>;

/** What state holds for an OAuthApplication (its outputs). */
export interface OAuthApplicationOutputs extends ApplicationFields {
  clientId: string;
  clientSecret: string;
  /** Fields this path could not enforce (the tenant did not confirm them). */
  notEnforced: Array<keyof ApplicationFields>;
  secretVersion?: string;
  adoptClientId?: string;
  /** The resolved connection (a secret output), so that read and delete work without the program's config. */
  connection?: ConnectionSettings;
  /** The shell settings (a secret output), when the shell path manages the application. */
  shell?: ShellSettings;
}

/**
 * An error after the application exists in the tenant: the dynamic-provider server records the resource as created
 * with these properties (and the error), so nothing is orphaned and the next `up` updates it.
 */
export class ResourceInitError extends Error {
  constructor(
    message: string,
    readonly id: string,
    readonly properties: Props,
    readonly reasons: string[] = [message],
  ) {
    super(message);
    this.name = "ResourceInitError";
  }
}

async function check(_olds: Props, news: Props): Promise<CheckResult> {
  return checkWithSchema(oauthApplicationSchema, oauthApplicationShape, news);
}

async function diff(
  _id: string,
  olds: Props,
  news: Props,
): Promise<{ changes: boolean; replaces: string[]; deleteBeforeReplace: boolean }> {
  // A resource the program still declares holds this application.
  claimApplication(olds.clientId, olds.clientSecret);
  const changed: string[] = APPLICATION_FIELDS.filter(
    (field) => !sameField(field, olds[field] ?? defaultOf(field), news[field]),
  );
  if (olds.secretVersion !== news.secretVersion) changed.push("secretVersion");
  const replaces: string[] = [];
  if (olds.adoptClientId !== news.adoptClientId) replaces.push("adoptClientId");
  const oldPath = olds.shell !== undefined ? "shell" : "connection";
  const newPath =
    news.shell !== undefined && !isUnknown(news.shell) ? "shell" : isUnknown(news.shell) ? "unknown" : "connection";
  if (oldPath !== newPath) replaces.push(newPath === "shell" ? "shell" : "connection");
  else if (
    oldPath === "connection" &&
    tenantChanged(olds.connection as ConnectionSettings | undefined, news.connection as Props | undefined)
  ) {
    replaces.push("connection");
  }
  // Names are unique in a tenant: the new application can only be created once the old one is gone.
  const sameName = isUnknown(news.name) || news.name === olds.name;
  return {
    changes: changed.length > 0 || replaces.length > 0,
    replaces,
    deleteBeforeReplace: replaces.length > 0 && sameName,
  };
}

async function create(inputs: Props): Promise<{ id: string; outs: Props }> {
  const parsed = parseInputs(inputs);
  const target = targetOf(parsed);
  const store = storeOf(target);
  const fields = applicationFieldsOf(parsed);
  const { application, clientSecret } = parsed.adoptClientId
    ? await adopt(store, parsed.adoptClientId, fields, target, parsed)
    : await createRecovering(store, fields, target, parsed);
  claimApplication(application.clientId, clientSecret);
  const notEnforced = notEnforcedOf(store, fields, application);
  warnNotEnforced(fields.name, notEnforced);
  const outs = outputsOf(parsed, target, fields, { clientId: application.clientId, clientSecret, notEnforced });
  return { id: application.clientId, outs: outs as unknown as Props };
}

async function read(id: string, props: Props): Promise<{ id: string; props: Props; inputs?: Props }> {
  const state = props as unknown as OAuthApplicationOutputs;
  const { result: lookup, target } = await withStateTarget(state, (store) => store.get(id));
  const recorded = { ...props, ...targetFields(target) };
  if (lookup.status === "gone") return { id: "", props: {} };
  if (lookup.status === "unsupported") {
    warnOnce(
      `read:${describeTarget(target)}`,
      `alation:OAuthApplication: reading applications is not served by this tenant (${describeTarget(target)}: ` +
        `${lookup.reason}); refresh keeps the recorded state and cannot detect drift`,
    );
    return { id, props: recorded };
  }
  const reported: Props = {};
  for (const field of APPLICATION_FIELDS) {
    const value = lookup.application[field];
    if (value !== undefined) reported[field] = value;
  }
  const refreshed = { ...recorded, ...reported };
  return { id, props: refreshed, inputs: inputsOf(refreshed) };
}

async function update(id: string, olds: Props, news: Props): Promise<{ outs: Props }> {
  const parsed = parseInputs(news);
  const target = targetOf(parsed);
  const store = storeOf(target);
  const fields = applicationFieldsOf(parsed);
  const changes: Partial<ApplicationFields> = {};
  for (const field of APPLICATION_FIELDS) {
    if (olds[field] === undefined || !sameField(field, olds[field], fields[field])) {
      (changes as Record<string, unknown>)[field] = fields[field];
    }
  }
  const previous = olds as unknown as Partial<OAuthApplicationOutputs>;
  const answer = Object.keys(changes).length > 0 ? await store.update(id, changes) : undefined;
  const keptNotEnforced = (previous.notEnforced ?? []).filter((field) => !(field in changes));
  const notEnforced = [...keptNotEnforced, ...notEnforcedOf(store, changes, answer)];
  let clientSecret = String(previous.clientSecret ?? "");
  if (parsed.secretVersion !== previous.secretVersion || !clientSecret) {
    try {
      clientSecret = await store.rotateSecret(id);
    } catch (error) {
      if (!answer) throw error;
      // Recorded with the previous secretVersion, so that the next update rotates again.
      const applied = outputsOf({ ...parsed, secretVersion: previous.secretVersion }, target, fields, {
        clientId: id,
        clientSecret,
        notEnforced,
      });
      throw new ResourceInitError(
        `${messageOf(error)} (the other changes were applied; the secret was not rotated)`,
        id,
        applied as unknown as Props,
      );
    }
  }
  claimApplication(id, clientSecret, previous.clientSecret);
  if (answer) warnNotEnforced(fields.name, notEnforced);
  return { outs: outputsOf(parsed, target, fields, { clientId: id, clientSecret, notEnforced }) as unknown as Props };
}

/**
 * Deletes the application, unless it is no longer this resource's: the engine creates a renamed or replaced
 * resource before it deletes the old one, and the new one adopts the application of the same name (rotating its
 * secret). So a delete first asks whether a resource of this run holds the application (claims.ts: no request),
 * then proves that the recorded secret still authenticates it (the REST path asks the token endpoint; the Django
 * shell compares the secret in the same command). An application that fails either test is left in place, with a
 * warning naming it: it belongs to another resource or stack now.
 */
const RENAMED = "a rename or a replacement";

async function remove(id: string, props: Props): Promise<void> {
  const state = props as unknown as OAuthApplicationOutputs;
  const notDeleted = `alation:OAuthApplication "${state.name ?? id}": not deleted: application ${id}`;
  if (applicationHeldByAnother(id, state.clientSecret)) {
    console.warn(`${notDeleted} is now managed by another resource of this stack, which adopted it (${RENAMED})`);
    return;
  }
  const { result, target } = await withStateTarget(state, (store) => store.delete(id, ownershipProof(state)));
  if (result.status === "kept") {
    console.warn(
      `${notDeleted} at ${describeTarget(target)} no longer answers to the secret this resource recorded ` +
        `(${result.reason}): another resource or stack has taken it over (adopting rotates the secret), or its ` +
        "secret was rotated in Alation. It was left in place; delete it in Alation if nothing uses it.",
    );
  }
}

/**
 * The secret a delete proves ownership with. Over REST the token endpoint checks it, which it cannot for a public
 * client (it needs no secret) or an inactive one (it accepts none): those are deleted on the run's claims alone.
 */
function ownershipProof(state: Partial<OAuthApplicationOutputs>): { expectedSecret?: string } {
  if (!state.clientSecret) return {};
  if (state.shell === undefined && (state.clientType === "public" || state.isActive === false)) return {};
  return { expectedSecret: state.clientSecret };
}

/** OAuthApplication's dynamic-provider methods. */
export const oauthApplication = { check, diff, create, read, update, delete: remove };

function parseInputs(inputs: Props): OAuthApplicationInputs {
  return parseOrThrow(oauthApplicationSchema, inputs, "alation:OAuthApplication inputs");
}

function applicationFieldsOf(inputs: OAuthApplicationInputs): ApplicationFields {
  const fields = {} as Record<string, unknown>;
  for (const field of APPLICATION_FIELDS) fields[field] = inputs[field];
  return fields as unknown as ApplicationFields;
}

/** Attempts at creating, in all, while each failed one is known (by looking its name up) to have left nothing. */
const CREATE_ATTEMPTS = 3;

/**
 * Creates the application, converging when an attempt's outcome is unknown. Names are unique in a tenant, so the
 * name tells what happened:
 * - a create whose answer was lost (dropped connection, timeout, 5xx) is followed by a lookup of its name: free, the
 *   create is tried again (CREATE_ATTEMPTS in all); taken, see below;
 * - a create refused because the name is taken is looked up too: that is what a rerun meets when an earlier run
 *   created the application but was killed (or lost the answer) before the engine recorded it.
 * An application found by name whose settings equal this resource's (every field this path enforces) is what such a
 * lost create leaves: it is adopted, its secret rotated (its first secret was never seen), and a warning line says
 * so. One whose settings differ was made by someone else and is left alone: the error names the `adoptClientId` step
 * and its client id. Where names cannot be looked up (a tenant without GET on OAuth clients), the error says how to
 * check in Alation and adopt by hand. Messages name the application and the client id, never a secret.
 */
async function createRecovering(
  store: ApplicationStore,
  fields: ApplicationFields,
  target: ApplicationTarget,
  inputs: OAuthApplicationInputs,
): Promise<{ application: ApplicationRecord; clientSecret: string }> {
  for (let attempt = 1; ; attempt++) {
    let failure: unknown;
    try {
      return await store.create(fields);
    } catch (error) {
      failure = error;
    }
    // Refused because the name is taken (REST: 409 or a 400 on `name`; the shell: the script's conflict), or failed
    // so that it may have happened (a lost answer).
    const nameTaken = storeFailureOf(failure) === "conflict";
    if (!nameTaken && !(isStoreError(failure) && failure.outcomeUnknown)) throw failure;
    const lookup = await lookUpName(store, fields.name);
    if (lookup.status === "gone" && !nameTaken && attempt < CREATE_ATTEMPTS) continue;
    const differing =
      lookup.status === "found" ? differingSettings(lookup.application, fields, store.enforcedFields) : [];
    if (lookup.status === "found" && differing.length === 0) {
      const clientId = lookup.application.clientId;
      console.warn(
        `alation:OAuthApplication "${fields.name}": an application of this name already exists at ` +
          `${describeTarget(target)} ` +
          `(client id ${clientId}) with exactly this resource's settings: what a create leaves whose answer was lost ` +
          "(a dropped connection or an interrupted run). This resource now manages it; its secret was rotated, so a " +
          "secret issued to it before no longer works.",
      );
      return adopt(store, clientId, fields, target, inputs);
    }
    throw unresolvedCreateError(fields, target, { failure, nameTaken, lookup, differing });
  }
}

type NameLookup = ApplicationLookup | { status: "failed"; reason: string };

async function lookUpName(store: ApplicationStore, name: string): Promise<NameLookup> {
  try {
    return await store.findByName(name);
  } catch (error) {
    return { status: "failed", reason: messageOf(error) };
  }
}

/** The enforced fields whose value in `found` is not `fields`' (a field the tenant does not report differs). */
function differingSettings(
  found: ApplicationRecord,
  fields: ApplicationFields,
  enforced: ReadonlyArray<keyof ApplicationFields>,
): Array<keyof ApplicationFields> {
  return enforced.filter((field) => found[field] === undefined || !sameField(field, found[field], fields[field]));
}

/** The error of a create that could not be brought to a known end, with the step that resolves it. */
function unresolvedCreateError(
  fields: ApplicationFields,
  target: ApplicationTarget,
  outcome: { failure: unknown; nameTaken: boolean; lookup: NameLookup; differing: Array<keyof ApplicationFields> },
): Error {
  const { failure, nameTaken, lookup } = outcome;
  const name = `"${fields.name}"`;
  const where = describeTarget(target);
  const what = nameTaken
    ? `An OAuth application named ${name} already exists at ${where} (${messageOf(failure)})`
    : `The answer to create the OAuth application ${name} at ${where} was lost (${messageOf(failure)})`;
  const adoptStep = (clientId: string) =>
    `set adoptClientId: "${clientId}" on this resource and run pulumi up again (its secret will be rotated and its ` +
    "settings set to this resource's)";
  switch (lookup.status) {
    case "found":
      return new Error(
        `${what}. The application of this name (client id ${lookup.application.clientId}) has other settings than ` +
          `this resource (${outcome.differing.join(", ")}), so it was not made by it and was left alone. To manage ` +
          `it with this resource, ${adoptStep(lookup.application.clientId)}; or choose another name.`,
      );
    case "gone":
      return new Error(
        nameTaken
          ? `${what}, but no application of this name exists now: run pulumi up again.`
          : `Creating the OAuth application ${name} at ${where} failed ${CREATE_ATTEMPTS} times without an answer ` +
              `(last: ${messageOf(failure)}). No application of this name exists, so nothing was created: run pulumi ` +
              "up again.",
      );
    case "failed":
      return new Error(
        `${what}. Looking the name up failed too (${lookup.reason}). Run pulumi up again: it finds an application ` +
          `this resource created by its name and settings. Or, if one named ${name} exists in Alation, ` +
          `${adoptStep("<its client id>")}.`,
      );
    case "unsupported":
      return new Error(
        `${what}: ${nameTaken ? "it" : "it may have been created, and it"} cannot be looked up by name here ` +
          `(${lookup.reason}). In Alation, look for an OAuth client named ${name}: if it exists, ` +
          `${adoptStep("<its client id>")}; if it does not, just run pulumi up again.`,
      );
  }
}

/** Takes over an existing application: a new secret first (we never learn the old one), then the inputs' fields. */
async function adopt(
  store: ApplicationStore,
  clientId: string,
  fields: ApplicationFields,
  target: ApplicationTarget,
  inputs: OAuthApplicationInputs,
): Promise<{ application: ApplicationRecord; clientSecret: string }> {
  const clientSecret = await store.rotateSecret(clientId);
  try {
    return { application: await store.update(clientId, fields), clientSecret };
  } catch (error) {
    // The application's fields are left out so that the next update sets them all.
    const partial = outputsOf(inputs, target, undefined, { clientId, clientSecret, notEnforced: [] });
    throw new ResourceInitError(
      `OAuth application ${clientId} was taken over (its secret rotated) but setting its fields failed: ` +
        `${messageOf(error)}`,
      clientId,
      partial as unknown as Props,
    );
  }
}

function outputsOf(
  inputs: OAuthApplicationInputs,
  target: ApplicationTarget,
  fields: ApplicationFields | undefined,
  result: { clientId: string; clientSecret: string; notEnforced: Array<keyof ApplicationFields> },
): Partial<OAuthApplicationOutputs> {
  const outputs: Partial<OAuthApplicationOutputs> = { ...fields, ...result, ...targetFields(target) };
  if (inputs.secretVersion !== undefined) outputs.secretVersion = inputs.secretVersion;
  if (inputs.adoptClientId !== undefined) outputs.adoptClientId = inputs.adoptClientId;
  return outputs;
}

function targetFields(target: ApplicationTarget): Props {
  return target.shell !== undefined ? { shell: target.shell } : { connection: target.connection };
}

/**
 * Inputs matching refreshed state, for later diffs. The connection and shell settings are left out: they hold
 * credentials, which must not land in state as plain inputs; the next `up` records the program's own again.
 */
function inputsOf(props: Props): Props {
  const inputs: Props = {};
  for (const key of [...APPLICATION_FIELDS, "secretVersion", "adoptClientId"]) {
    if (props[key] !== undefined) inputs[key] = props[key];
  }
  return inputs;
}

/** Runs an operation on the store recorded in state (REST: with the rotated-credential fallback). */
async function withStateTarget<T>(
  state: Partial<OAuthApplicationOutputs>,
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

/**
 * Fields the tenant did not confirm: a field the answer echoes is enforced when it holds the requested value (and
 * not when it holds another); a field it does not echo counts as enforced only if the store always sets it.
 */
function notEnforcedOf(
  store: ApplicationStore,
  requested: Partial<ApplicationFields>,
  answer: ApplicationRecord | undefined,
): Array<keyof ApplicationFields> {
  return APPLICATION_FIELDS.filter((field) => {
    if (!(field in requested)) return false;
    const echoed = answer?.[field];
    if (echoed !== undefined) return !sameField(field, echoed, requested[field]);
    return !store.enforcedFields.includes(field);
  });
}

function warnNotEnforced(name: string, fields: ReadonlyArray<keyof ApplicationFields>): void {
  if (fields.length === 0) return;
  console.warn(
    `alation:OAuthApplication "${name}": could not confirm ${fields.join(", ")} (not settable over this path as far ` +
      "as Alation documents; set them through AlationShell, or check them in Alation). Listed in output notEnforced.",
  );
}

const warned = new Set<string>();

function warnOnce(key: string, message: string): void {
  if (warned.has(key)) return;
  warned.add(key);
  console.warn(message);
}

/** Whether `newConnection` (with config and environment as fallback) names another tenant than the recorded one. */
function tenantChanged(recorded: ConnectionSettings | undefined, newConnection: Props | undefined): boolean {
  if (isUnknown(newConnection) || isUnknown(newConnection?.baseUrl)) return true;
  const next = (newConnection?.baseUrl as string | undefined) ?? stackConfig().baseUrl ?? process.env.ALATION_BASE_URL;
  if (!recorded?.baseUrl || !next || baseUrlProblem(next)) return false;
  return new URL(recorded.baseUrl).origin !== new URL(next).origin;
}

function sameField(field: keyof ApplicationFields, a: unknown, b: unknown): boolean {
  if (field === "redirectUris" && Array.isArray(a) && Array.isArray(b)) {
    // Order carries no meaning for Alation; a tenant may report them sorted.
    return JSON.stringify([...a].sort()) === JSON.stringify([...b].sort());
  }
  return a === b;
}

function defaultOf(field: keyof ApplicationFields): unknown {
  return (APPLICATION_DEFAULTS as Record<string, unknown>)[field];
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
