// How an OAuthApplication comes to exist: created, converging when a create's answer was lost, or adopted (an
// existing application taken over); and the error of an application that exists but could not be made whole.
// Messages name the application and the client id, never a secret.
import {
  isStoreError,
  storeFailureOf,
  type ApplicationFields,
  type ApplicationLookup,
  type ApplicationRecord,
  type ApplicationStore,
} from "../domain/application-store";
import { ADMIN_UI_APPLICATIONS } from "../domain/application-fields";
import { isOwnName } from "../domain/application-names";
import type { OAuthApplicationInputs } from "../schema/oauth-application";
import { describeTarget, outputsOf, type ApplicationTarget } from "./application-state";
import { listedAsFree } from "./free-names";

/**
 * An error after the object exists in the tenant: the dynamic-provider server records the resource as created with
 * these properties (and the error), so nothing is orphaned and the next `up` updates it.
 */
export class ResourceInitError extends Error {
  constructor(
    message: string,
    readonly id: string,
    readonly properties: Record<string, unknown>,
    readonly reasons: string[] = [message],
  ) {
    super(message);
    this.name = "ResourceInitError";
  }
}

/** An error's message (its own words: every store error carries its context and is redacted at the source). */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Attempts at creating, in all, while each failed one is known (by looking its name up) to have left nothing. */
const CREATE_ATTEMPTS = 3;

/** A created or adopted application, with the secret that this run issued. */
export interface Obtained {
  application: ApplicationRecord;
  clientSecret: string;
}

/**
 * Creates the application, never taking over one this resource cannot show it made. The name is looked up first (a
 * tenant may let two applications share a name, ../shared/alation-api.md section 2, and would then take a second
 * one; a default name that this process's listing of the tenant shows free needs no lookup, free-names.ts), then the
 * create is sent; a create refused because the name is taken, or whose answer was lost (dropped connection, timeout,
 * 5xx), is followed by another lookup. An application found under the name is this resource's only on evidence:
 * - the name is the resource's own default name (application-names.ts): what a run killed between the tenant's
 *   create and the engine's record leaves; or
 * - the name was free just before this run's create, whose answer was lost: the create made it.
 * Such an application is taken over (its secret rotated: its first one was never seen), with a warning line. Any
 * other is left alone: the error names the `adoptClientId` step and its client id. A create whose answer was lost
 * and whose name is still free is tried again (CREATE_ATTEMPTS in all).
 */
export async function createRecovering(
  store: ApplicationStore,
  fields: ApplicationFields,
  target: ApplicationTarget,
  inputs: OAuthApplicationInputs,
): Promise<Obtained> {
  const ownName = isOwnName({ name: fields.name, autoName: inputs.autoName });
  // A failure here fails the create as it would have (a tenant down, a URL that is not Alation): nothing was sent.
  const before: ApplicationLookup =
    ownName && target.connection && (await listedAsFree(target.connection.baseUrl, store, fields.name))
      ? { status: "gone" }
      : await store.findByName(fields.name);
  if (before.status === "found") {
    if (ownName) return takeOver(store, before.application.clientId, fields, target, inputs);
    throw notThisResourcesError(fields, target, before.application.clientId, "exists");
  }
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
    if (lookup.status === "found") {
      const madeByThisCreate = !nameTaken && before.status === "gone";
      if (ownName || madeByThisCreate) return takeOver(store, lookup.application.clientId, fields, target, inputs);
      throw notThisResourcesError(fields, target, lookup.application.clientId, nameTaken ? "exists" : "appeared");
    }
    throw unresolvedCreateError(fields, target, { failure, nameTaken, lookup });
  }
}

/** Takes over an application found under this resource's own name, or made by this run's create: with a warning. */
function takeOver(...args: Parameters<typeof adopt>): Promise<Obtained> {
  const [, clientId, fields, target] = args;
  console.warn(
    `alation:OAuthApplication "${fields.name}": found its own application at ${describeTarget(target)} ` +
      `(client id ${clientId}), made by an earlier create whose answer never reached Pulumi (a dropped connection ` +
      "or an interrupted run). This resource now manages it; its secret was rotated.",
  );
  return adopt(...args);
}

/** The error for an application found under the name that this resource cannot show it made. */
function notThisResourcesError(
  fields: ApplicationFields,
  target: ApplicationTarget,
  clientId: string,
  how: "exists" | "appeared",
): Error {
  const [name, where] = [`"${fields.name}"`, describeTarget(target)];
  const found =
    how === "exists"
      ? `An OAuth application named ${name} already exists at ${where} (client id ${clientId})`
      : `The answer to create the OAuth application ${name} at ${where} was lost, and an application of this name ` +
        `now exists (client id ${clientId}), which may be another's`;
  return new Error(
    `${found}. Nothing shows that this stack made it (names are not reserved: people make applications by hand ` +
      "with the connector guide's name), so it was left alone. To manage it with this resource, set adoptClientId: " +
      `"${clientId}" and run pulumi up again (its secret is rotated: whatever uses it must be given the new one); ` +
      `client ids are listed in Alation under ${ADMIN_UI_APPLICATIONS}. To make an application of this stack's own, ` +
      "leave the name out (the default name is unique to the stack and resource) or choose another.",
  );
}

/** Takes over an existing application: a new secret first (we never learn the old one), then the inputs' fields. */
export async function adopt(
  store: ApplicationStore,
  clientId: string,
  fields: ApplicationFields,
  target: ApplicationTarget,
  inputs: OAuthApplicationInputs,
): Promise<Obtained> {
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
      partial,
    );
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

/** The error of a create that could not be brought to a known end, with the step that resolves it. */
function unresolvedCreateError(
  fields: ApplicationFields,
  target: ApplicationTarget,
  outcome: { failure: unknown; nameTaken: boolean; lookup: Exclude<NameLookup, { status: "found" }> },
): Error {
  const { failure, nameTaken, lookup } = outcome;
  const name = `"${fields.name}"`;
  const where = describeTarget(target);
  const what = nameTaken
    ? `An OAuth application named ${name} already exists at ${where} (${messageOf(failure)})`
    : `The answer to create the OAuth application ${name} at ${where} was lost (${messageOf(failure)})`;
  // A 500 is an answer: "without an answer" only for a lost connection or a timeout.
  const unanswered = answered(failure) ? "" : " without an answer";
  const adoptStep = (clientId: string) =>
    `set adoptClientId: "${clientId}" on this resource and run pulumi up again (its secret will be rotated and its ` +
    "settings set to this resource's)";
  switch (lookup.status) {
    case "gone":
      return new Error(
        nameTaken
          ? `${what}, but no application of this name exists now: run pulumi up again.`
          : `Creating the OAuth application ${name} at ${where} failed ${CREATE_ATTEMPTS} times${unanswered} ` +
              `(last: ${messageOf(failure)}). No application of this name exists, so nothing was created: run pulumi ` +
              "up again.",
      );
    case "failed":
      return new Error(
        `${what}. Looking the name up failed too (${lookup.reason}). Run pulumi up again: an application made under ` +
          `this resource's default name is found and taken over. Or, if one named ${name} exists in Alation ` +
          `(${ADMIN_UI_APPLICATIONS}) and is this resource's, ${adoptStep("<its client id>")}.`,
      );
    case "unsupported":
      return new Error(
        `${what}: ${nameTaken ? "it" : "it may have been created, and it"} cannot be looked up by name here ` +
          `(${lookup.reason}). In Alation (${ADMIN_UI_APPLICATIONS}), look for an OAuth client named ${name}: if it ` +
          "exists and is this resource's, " +
          `${adoptStep("<its client id>")}; if it does not, just run pulumi up again.`,
      );
  }
}

/** Whether a failed call got an answer (a 500, say), as opposed to none (a lost connection, a timeout). */
function answered(failure: unknown): boolean {
  const kind = storeFailureOf(failure);
  return kind !== "network" && kind !== "timeout";
}
