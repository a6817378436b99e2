// OAuth applications managed through `alation_django_shell` and python/oauth_application.py: the path that sets
// every field of Alation's model (the REST API cannot set jwt_required, is_active, internal_application).
import {
  ALATION_FIELD_NAMES,
  APPLICATION_FIELDS,
  toAlationFields,
  type ApplicationLookup,
  type ApplicationRecord,
  type ApplicationStore,
} from "../domain/application-store";
import { MODEL_FIELD_KINDS } from "../domain/application-fields";
import { runDjangoScript, ScriptResult } from "./django-shell";
import { ShellError } from "./errors";
import { Transport } from "./transport";

const SCRIPT = "oauth_application.py";

type Operation = "create" | "get" | "find_by_name" | "update" | "rotate" | "delete" | "check_secret";

/** An ApplicationStore over a transport. Commands are abandoned after `timeoutMs`. */
export function createDjangoApplicationStore(transport: Transport, timeoutMs: number): ApplicationStore {
  const run = async (op: Operation, request: Record<string, unknown>, idempotent: boolean) => {
    const result = await runDjangoScript(transport, {
      script: SCRIPT,
      // The fields and their kinds come from the one table of fields: the script knows only how to report a kind.
      request: { op, model_fields: MODEL_FIELD_KINDS, ...request },
      idempotent,
      timeoutMs,
    });
    if (!result.ok) throw scriptError(op, result, transport);
    return result;
  };
  const lookup = async (op: "get" | "find_by_name", request: Record<string, unknown>): Promise<ApplicationLookup> => {
    const result = await run(op, request, true);
    const application = toRecord(result.application);
    return application ? { status: "found", application } : { status: "gone" };
  };

  return {
    enforcedFields: APPLICATION_FIELDS,

    // Not retried: a create whose answer was lost is recovered by the runtime (looked up by name, secret rotated).
    async create(fields) {
      const result = await run("create", { fields: toAlationFields(fields) }, false);
      return {
        application: requireRecord(result.application, "create", transport),
        clientSecret: requireSecret(result, "create", transport),
      };
    },

    get: (clientId) => lookup("get", { client_id: clientId }),

    findByName: (name) => lookup("find_by_name", { name }),

    async update(clientId, changes) {
      // Setting fields to given values twice is the same as once: safe to retry.
      const result = await run("update", { client_id: clientId, fields: toAlationFields(changes) }, true);
      return requireRecord(result.application, "update", transport);
    },

    async rotateSecret(clientId) {
      const result = await run("rotate", { client_id: clientId }, false);
      return requireSecret(result, "rotate", transport);
    },

    // The script compares the secret with the stored one (plain, as the guide stores it, or hashed).
    async checkSecret(clientId, clientSecret) {
      const result = (await run("check_secret", { client_id: clientId, client_secret: clientSecret }, true)) as {
        application?: unknown;
        secret_matches?: unknown;
      };
      if (result.secret_matches === true) return { status: "works" };
      const reason = result.application ? "its client secret is no longer the one recorded" : "the application is gone";
      return { status: "refused", reason };
    },

    // With an expected secret, the script deletes only while the application still has it (the same command).
    async delete(clientId, options = {}) {
      const expected = options.expectedSecret;
      const request = { client_id: clientId, ...(expected === undefined ? {} : { client_secret: expected }) };
      const result = (await run("delete", request, true)) as { deleted?: unknown; kept?: unknown };
      if (result.deleted === true) return { status: "deleted" };
      return typeof result.kept === "string" ? { status: "kept", reason: result.kept } : { status: "gone" };
    },
  };
}

/** An application as the script describes it; fields of unexpected types are left out (reported as unknown). */
function toRecord(described: unknown): ApplicationRecord | undefined {
  if (typeof described !== "object" || described === null) return undefined;
  const model = described as Record<string, unknown>;
  if (typeof model.client_id !== "string") return undefined;
  const record: Record<string, unknown> = { clientId: model.client_id };
  for (const field of APPLICATION_FIELDS) {
    const value = model[ALATION_FIELD_NAMES[field]];
    if (value !== undefined && value !== null) record[field] = value;
  }
  return record as ApplicationRecord;
}

function requireRecord(described: unknown, op: Operation, transport: Transport): ApplicationRecord {
  const record = toRecord(described);
  if (!record) {
    throw new ShellError("command", `the ${op} operation on ${transport.target} returned no application`, {
      call: callOf(op),
    });
  }
  return record;
}

function requireSecret(result: ScriptResult, op: Operation, transport: Transport): string {
  const secret = (result as { client_secret?: unknown }).client_secret;
  if (typeof secret !== "string" || secret === "") {
    throw new ShellError("command", `the ${op} operation on ${transport.target} returned no client secret`, {
      call: callOf(op),
    });
  }
  return secret;
}

function scriptError(op: Operation, result: Extract<ScriptResult, { ok: false }>, transport: Transport): ShellError {
  const kind = result.error === "not_found" ? "not-found" : result.error === "conflict" ? "conflict" : "command";
  const hint =
    op === "create" && kind === "conflict"
      ? ". To manage the existing application, set adoptClientId to its client id"
      : "";
  return new ShellError(
    kind,
    `the ${op} operation of ${SCRIPT} on ${transport.target} failed (${result.error}): ${result.message}${hint}`,
    { call: callOf(op), tenantMessage: result.message },
  );
}

/** The call of a StoreError: the script and its operation. */
function callOf(op: Operation): string {
  return `${SCRIPT} ${op}`;
}
