// How an OAuthApplication comes to exist: created, converging when a create's answer was lost, or adopted (an
// existing application taken over). Messages name the application and the client id, never a secret.
import {
  isStoreError,
  storeFailureOf,
  type ApplicationFields,
  type ApplicationLookup,
  type ApplicationRecord,
  type ApplicationStore,
} from "../domain/application-store";
import type { OAuthApplicationInputs } from "../schema/oauth-application";
import { differingSettings } from "./application-fields";
import { outputsOf } from "./application-outputs";
import { describeTarget, type ApplicationTarget } from "./application-target";
import { messageOf, ResourceInitError } from "./errors";

/** Attempts at creating, in all, while each failed one is known (by looking its name up) to have left nothing. */
const CREATE_ATTEMPTS = 3;

/** A created or adopted application, with the secret that this run issued. */
export interface Obtained {
  application: ApplicationRecord;
  clientSecret: string;
}

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
 * check in Alation and adopt by hand.
 */
export async function createRecovering(
  store: ApplicationStore,
  fields: ApplicationFields,
  target: ApplicationTarget,
  inputs: OAuthApplicationInputs,
): Promise<Obtained> {
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
