// OAuthApplication's dynamic provider: one OAuth client application of a tenant, over an ApplicationStore (the REST
// client or the shell path). Runs in Pulumi's provider process; `check` and `diff` never reach the tenant. How an
// application comes to exist is create-recovery.ts; what state holds, application-state.ts.
import type { ConnectionSettings } from "../alation/settings";
import { APPLICATION_FIELDS, type ApplicationFields } from "../domain/application-store";
import { privateUseRefusalHint } from "../domain/mcp-clients";
import { checkWithSchema, parseOrThrow } from "../schema/check";
import {
  oauthApplicationSchema,
  oauthApplicationShape,
  type OAuthApplicationInputs,
} from "../schema/oauth-application";
import { isUnknown } from "../schema/unknown";
import {
  applicationFieldsOf,
  changedFields,
  changesOf,
  describeTarget,
  inputsOf,
  notEnforcedOf,
  outputsOf,
  storeOf,
  targetFields,
  targetOf,
  tenantChanged,
  withStateTarget,
  type OAuthApplicationOutputs,
} from "./application-state";
import { applicationHeldByAnother, claimApplication } from "./claims";
import { adopt, createRecovering, messageOf, ResourceInitError } from "./create-recovery";
import type { Props, RuntimeProvider } from "./runtime-provider";

function parseInputs(raw: Props): OAuthApplicationInputs {
  return parseOrThrow(oauthApplicationSchema, raw, "alation:OAuthApplication inputs");
}

async function check(olds: Props, news: Props) {
  return checkWithSchema(oauthApplicationSchema, oauthApplicationShape, withName(olds, news));
}

/**
 * The name of a resource given none: the name it recorded, else its default name. Kept once recorded, so that a
 * stack made before default names carried a suffix keeps its application's name (an upgrade changes nothing), and
 * a stack renamed in Pulumi does not rename its applications.
 */
function withName(olds: Props, news: Props): Props {
  if (news.name !== undefined && news.name !== null) return news;
  const recorded = typeof olds.name === "string" && !isUnknown(olds.name) ? olds.name : undefined;
  const name = recorded ?? news.autoName;
  // (A key holding undefined cannot cross Pulumi's gRPC: leave it out, and check names the missing name.)
  return name === undefined ? news : { ...news, name };
}

async function diff(_id: string, olds: Props, news: Props) {
  // A resource the program still declares holds this application.
  claimApplication(olds.clientId, olds.clientSecret);
  const changed: string[] = changedFields(olds, news);
  if (olds.secretVersion !== news.secretVersion) changed.push("secretVersion");
  // A refresh that found the recorded secret refused records none: the next update issues a new one.
  if (olds.clientSecret === "") changed.push("clientSecret");
  const replaces: string[] = [];
  if (olds.adoptClientId !== news.adoptClientId) replaces.push("adoptClientId");
  const oldPath = olds.shell !== undefined ? "shell" : "connection";
  const newPath =
    news.shell !== undefined && !isUnknown(news.shell) ? "shell" : isUnknown(news.shell) ? "unknown" : "connection";
  const tenantMoved =
    oldPath === "connection" &&
    newPath === "connection" &&
    tenantChanged(olds.connection as ConnectionSettings | undefined, news.connection as Props | undefined);
  if (oldPath !== newPath) replaces.push(newPath === "shell" ? "shell" : "connection");
  else if (tenantMoved) replaces.push("connection");
  // Create before delete wherever the old and the new application can both exist: on another tenant, or under
  // another name. Where a tenant keeps names unique, the same name on the same tenant must be freed first.
  const sameName = isUnknown(news.name) || news.name === olds.name;
  return {
    changes: changed.length > 0 || replaces.length > 0,
    replaces,
    deleteBeforeReplace: replaces.length > 0 && sameName && !tenantMoved,
    // The changed keys, for the provider plugin (the dynamic-provider server ignores them): replaceOnChanges.
    diffs: [...new Set([...changed, ...replaces])],
  };
}

async function create(raw: Props) {
  const inputs = parseInputs(raw);
  const target = targetOf(inputs);
  const store = storeOf(target);
  const fields = applicationFieldsOf(inputs);
  const { application, clientSecret } = await (
    inputs.adoptClientId
      ? adopt(store, inputs.adoptClientId, fields, target, inputs)
      : createRecovering(store, fields, target, inputs)
  ).catch((error: unknown) => Promise.reject(explainRefusal(error, fields.redirectUris)));
  claimApplication(application.clientId, clientSecret);
  const notEnforced = notEnforcedOf(store.enforcedFields, fields, application);
  warnNotEnforced(fields.name, notEnforced);
  const outs = outputsOf(inputs, target, fields, { clientId: application.clientId, clientSecret, notEnforced });
  return { id: application.clientId, outs };
}

/**
 * Reads the application as the tenant has it, and finds out whether the recorded secret still works (the same one
 * token-endpoint request that delete proves ownership with): a secret rotated in Alation, or by whoever took the
 * application over, is recorded as none, with a warning, so that refresh shows the drift and the next update issues
 * a new secret. A connector that cannot work is never reported unchanged.
 */
async function read(id: string, props: Props): Promise<{ id: string; props: Props; inputs?: Props }> {
  const state = props as unknown as OAuthApplicationOutputs;
  const { result, target } = await withStateTarget(state, async (store) => {
    const lookup = await store.get(id);
    const { expectedSecret } = ownershipProof(state);
    const secret =
      lookup.status !== "gone" && expectedSecret !== undefined
        ? await store.checkSecret(id, expectedSecret)
        : undefined;
    return { lookup, secret };
  });
  const { lookup, secret } = result;
  if (lookup.status === "gone") return { id: "", props: {} };
  const recorded = { ...props, ...targetFields(target) };
  if (secret?.status === "refused") {
    console.warn(
      `alation:OAuthApplication "${state.name ?? id}": the client secret recorded for application ${id} at ` +
        `${describeTarget(target)} no longer works (${secret.reason}): it was rotated in Alation, or by another ` +
        "stack. The next pulumi up issues a new one; then give it to the MCP client (in Claude, remove the connector " +
        "and add it again).",
    );
    recorded.clientSecret = "";
  }
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

async function update(id: string, olds: Props, news: Props) {
  const inputs = parseInputs(news);
  const target = targetOf(inputs);
  const store = storeOf(target);
  const fields = applicationFieldsOf(inputs);
  const changes = changesOf(olds, fields);
  const previous = olds as unknown as Partial<OAuthApplicationOutputs>;
  const answer =
    Object.keys(changes).length > 0
      ? await store
          .update(id, changes)
          .catch((error: unknown) => Promise.reject(explainRefusal(error, fields.redirectUris)))
      : undefined;
  const keptNotEnforced = (previous.notEnforced ?? []).filter((field) => !(field in changes));
  const notEnforced = [...keptNotEnforced, ...notEnforcedOf(store.enforcedFields, changes, answer)];
  let clientSecret = String(previous.clientSecret ?? "");
  if (inputs.secretVersion !== previous.secretVersion || !clientSecret) {
    try {
      clientSecret = await store.rotateSecret(id);
    } catch (error) {
      if (!answer) throw error;
      // Recorded with the previous secretVersion, so that the next update rotates again.
      const applied = outputsOf({ ...inputs, secretVersion: previous.secretVersion }, target, fields, {
        clientId: id,
        clientSecret,
        notEnforced,
      });
      throw new ResourceInitError(
        `${messageOf(error)} (the other changes were applied; the secret was not rotated)`,
        id,
        applied,
      );
    }
  }
  claimApplication(id, clientSecret, previous.clientSecret);
  if (answer) warnNotEnforced(fields.name, notEnforced);
  return { outs: outputsOf(inputs, target, fields, { clientId: id, clientSecret, notEnforced }) };
}

/**
 * Deletes the application, unless it is no longer this resource's: the engine creates a renamed or replaced
 * resource before it deletes the old one, and the new one adopts the application of the same name (rotating its
 * secret). So a delete first asks whether a resource of this run holds the application (claims.ts: no request),
 * then proves that the recorded secret still authenticates it (the REST path asks the token endpoint; the Django
 * shell compares the secret in the same command). An application that fails either test is left in place, with a
 * warning naming it: it belongs to another resource or stack now.
 */
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

const RENAMED = "a rename or a replacement";

/**
 * The secret a delete proves ownership with. Over REST the token endpoint checks it, which it cannot for a public
 * client (it needs no secret) or an inactive one (it accepts none): those are deleted on the run's claims alone.
 */
function ownershipProof(state: Partial<OAuthApplicationOutputs>): { expectedSecret?: string } {
  if (!state.clientSecret) return {};
  if (state.shell === undefined && (state.clientType === "public" || state.isActive === false)) return {};
  return { expectedSecret: state.clientSecret };
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

/** OAuthApplication's provider methods, as Pulumi's dynamic-provider server calls them. */
export const oauthApplication = { check, diff, create, read, update, delete: remove } satisfies RuntimeProvider;

/**
 * A tenant's refusal of redirect URIs with a private-use scheme (`cursor://`), with what it means and what to do
 * appended (privateUseRefusalHint): whether Alation accepts them is not documented. Any other error as it is.
 */
function explainRefusal(error: unknown, redirectUris: readonly string[]): unknown {
  const hint = privateUseRefusalHint(error, redirectUris);
  if (hint && error instanceof Error) error.message = `${error.message}; ${hint}`;
  return error;
}
