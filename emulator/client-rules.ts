// The tenant's own rules for OAuth client fields, with Django REST framework's messages. Deliberately separate
// from the provider's schemas: the emulator stands for Alation, so a wrong rule on either side shows in tests.
import { apiName } from "./api-generations";
import type { ClientRecord } from "./store";
import type { ApiGeneration } from "./types";

/** The fields a caller may set on a client. */
export type ClientFields = Omit<ClientRecord, "id" | "client_id" | "client_secret">;
export type FieldErrors = Record<string, string[]>;

type FieldKind = "string" | "client-type" | "uri-list" | "integer" | "boolean";
export interface FieldSpec {
  kind: FieldKind;
  min?: number;
  max?: number;
  /**
   * Named by Alation's API docs (../shared/alation-api.md section 2). `jwt_required`, `is_active` and
   * `internal_application` appear only in the Django-shell guide: a strict tenant (`strictFields`) refuses them.
   */
  documented: boolean;
}

export const FIELD_SPECS: Readonly<Record<keyof ClientFields, FieldSpec>> = {
  name: { kind: "string", max: 255, documented: true },
  client_type: { kind: "client-type", documented: true },
  redirect_uris: { kind: "uri-list", documented: true },
  access_token_expiry: { kind: "integer", min: 3600, max: 259200, documented: true },
  refresh_token_expiry: { kind: "integer", min: 259200, max: 15552000, documented: true },
  pkce_required: { kind: "boolean", documented: true },
  jwt_required: { kind: "boolean", documented: false },
  is_active: { kind: "boolean", documented: false },
  internal_application: { kind: "boolean", documented: false },
};

export const CLIENT_FIELD_NAMES = Object.keys(FIELD_SPECS) as Array<keyof ClientFields>;
/** The fields a strict tenant knows. */
export const DOCUMENTED_FIELD_NAMES = CLIENT_FIELD_NAMES.filter((name) => FIELD_SPECS[name].documented);
// A client may be created without redirect URIs and get them later (section 2: the Copilot Studio steps).
const REQUIRED_ON_CREATE: Array<keyof ClientFields> = [
  "name",
  "client_type",
  "access_token_expiry",
  "refresh_token_expiry",
];
const CREATE_DEFAULTS = {
  redirect_uris: [],
  pkce_required: false,
  jwt_required: false,
  is_active: true,
  internal_application: false,
};
/** What a Django model create leaves in fields it was not given (the shell path). */
export const MODEL_DEFAULTS: ClientFields = {
  name: "",
  client_type: "confidential",
  access_token_expiry: 86400,
  refresh_token_expiry: 15552000,
  ...CREATE_DEFAULTS,
};

const LOOPBACK_HOSTS = new Set(["localhost", "127.0.0.1", "[::1]"]);
const FORBIDDEN_SCHEMES = new Set(["javascript", "data", "file", "vbscript"]);
const TRUE_VALUES = new Set([true, "true", "True", "TRUE", 1, "1"]);
const FALSE_VALUES = new Set([false, "false", "False", "FALSE", 0, "0"]);

/**
 * Reads the given fields of a request body, named as `generation` names them (default A's, the model's): the values
 * come back under the model's names, the errors under the body's. `api` applies every rule of the admin API; without
 * it (the shell path, where Django saves a model without running validators) only the types are checked.
 * Unknown fields (the other generation's names among them) are ignored, as DRF does; with `strict`, every field but
 * the documented ones is refused by name.
 */
export function readClientFields(
  body: Record<string, unknown>,
  mode: { api: boolean; create: boolean; strict?: boolean; webRedirectUrisOnly?: boolean; generation?: ApiGeneration },
): { values: Partial<ClientFields>; errors: FieldErrors } {
  const values: Record<string, unknown> = {};
  const errors: FieldErrors = {};
  const named = (name: string) => apiName(mode.generation ?? "a", name);
  const known = mode.strict ? DOCUMENTED_FIELD_NAMES : CLIENT_FIELD_NAMES;
  if (mode.strict) {
    const knownNames = known.map(named);
    for (const name of Object.keys(body)) if (!knownNames.includes(name)) errors[name] = ["Unknown field."];
  }
  for (const name of known) {
    if (!(named(name) in body)) {
      if (mode.api && mode.create && REQUIRED_ON_CREATE.includes(name)) {
        errors[named(name)] = ["This field is required."];
      }
      continue;
    }
    const result = readField(FIELD_SPECS[name], body[named(name)], mode);
    if ("errors" in result) errors[named(name)] = result.errors;
    else values[name] = result.value;
  }
  return { values: values as Partial<ClientFields>, errors };
}

/** The admin API's defaults for fields a create did not give. */
export function withCreateDefaults(values: Partial<ClientFields>): ClientFields {
  return { ...CREATE_DEFAULTS, ...values } as ClientFields;
}

/**
 * Rules across fields and records, checked on the merged result of a create or update (fields that failed their
 * own checks are absent). Merged with the field errors, so one answer names every bad field, as DRF does.
 */
export function withCrossFieldErrors(
  fieldErrors: FieldErrors,
  merged: Partial<ClientFields>,
  others: ClientRecord[],
  generation: ApiGeneration = "a",
): FieldErrors {
  const errors: FieldErrors = { ...fieldErrors };
  const pkce = apiName(generation, "pkce_required");
  if (merged.name !== undefined && others.some((c) => c.name === merged.name))
    errors.name = ["application with this name already exists."];
  if (merged.client_type === "public" && merged.pkce_required === false && !errors[pkce]) {
    errors[pkce] = ["PKCE is required for public clients."];
  }
  return errors;
}

function readField(
  spec: FieldSpec,
  value: unknown,
  mode: { api: boolean; webRedirectUrisOnly?: boolean },
): { value: unknown } | { errors: string[] } {
  const { api } = mode;
  if (value === null) return { errors: ["This field may not be null."] };
  switch (spec.kind) {
    case "string":
    case "client-type": {
      if (typeof value !== "string") return { errors: ["Not a valid string."] };
      if (!api) return { value };
      if (spec.kind === "client-type" && value !== "confidential" && value !== "public") {
        return { errors: [`"${value}" is not a valid choice.`] };
      }
      if (value.trim() === "") return { errors: ["This field may not be blank."] };
      if (spec.max !== undefined && value.length > spec.max)
        return { errors: [`Ensure this field has no more than ${spec.max} characters.`] };
      return { value };
    }
    case "uri-list": {
      if (!Array.isArray(value)) return { errors: [`Expected a list of items but got type "${pythonType(value)}".`] };
      if (value.some((item) => typeof item !== "string")) return { errors: ["Not a valid string."] };
      if (!api) return { value };
      const problems = (value as string[])
        .map((uri) => redirectUriProblem(uri, mode.webRedirectUrisOnly))
        .filter((p): p is string => p !== undefined);
      return problems.length > 0 ? { errors: problems } : { value };
    }
    case "integer": {
      const n =
        typeof value === "number"
          ? value
          : typeof value === "string" && /^\s*-?\d+\s*$/.test(value)
            ? Number(value)
            : NaN;
      if (!Number.isInteger(n)) return { errors: ["A valid integer is required."] };
      if (api && spec.min !== undefined && n < spec.min)
        return { errors: [`Ensure this value is greater than or equal to ${spec.min}.`] };
      if (api && spec.max !== undefined && n > spec.max)
        return { errors: [`Ensure this value is less than or equal to ${spec.max}.`] };
      return { value: n };
    }
    case "boolean": {
      if (TRUE_VALUES.has(value as never)) return { value: true };
      if (FALSE_VALUES.has(value as never)) return { value: false };
      return { errors: ["Must be a valid boolean."] };
    }
  }
}

/** Why a redirect URI is refused, or undefined when it is fine; `webOnly`: http and https only. */
export function redirectUriProblem(uri: string, webOnly = false): string | undefined {
  let url: URL;
  try {
    url = new URL(uri);
  } catch {
    return `Enter a valid URI: "${uri}".`;
  }
  const scheme = url.protocol.slice(0, -1);
  if (url.hash) return `Redirect URIs must not contain fragments: "${uri}".`;
  if (FORBIDDEN_SCHEMES.has(scheme) || (webOnly && scheme !== "http" && scheme !== "https"))
    return `Redirect URI scheme is not allowed: "${uri}".`;
  if ((scheme === "http" || scheme === "https") && !url.hostname) return `Enter a valid URI: "${uri}".`;
  if (scheme === "http" && !LOOPBACK_HOSTS.has(url.hostname)) {
    return `http redirect URIs are allowed only for localhost and 127.0.0.1: "${uri}".`;
  }
  return undefined;
}

function pythonType(value: unknown): string {
  if (typeof value === "string") return "str";
  if (typeof value === "number") return Number.isInteger(value) ? "int" : "float";
  if (typeof value === "boolean") return "bool";
  return "dict";
}
