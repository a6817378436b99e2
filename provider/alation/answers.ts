// What Alation answers, validated with zod, and the AlationError for an answer that is a failure.
// Tolerant by design: a client is read in either generation's field names (`*_expiry`, `pkce_required` or
// `*_lifetime`, `pkce_enabled`, ../shared/alation-api.md section 2: a tenant may answer in either, whatever its paths),
// missing fields, redirect URIs as a list or as Django OAuth Toolkit's whitespace-separated string, numbers and
// booleans as strings.
import { z } from "zod";
import {
  API_GENERATIONS,
  APPLICATION_FIELD_KEYS,
  APPLICATION_FIELD_TABLE,
  REST_FIELD_NAMES,
  type FieldKind,
} from "../domain/application-fields";
import type { ApplicationRecord } from "../domain/application-store";
import { AlationError, type AlationErrorKind } from "./errors";
import type { HttpAnswer } from "./http";
import { isLicenceQuota } from "./http";
import { redactJson, redactText } from "../domain/redact";

const looseNumber = z.union([z.number(), z.string().regex(/^\d+$/).transform(Number)]);
const looseBoolean = z.union([
  z.boolean(),
  z.enum(["true", "True", "false", "False"]).transform((value) => value.toLowerCase() === "true"),
]);
const redirectUris = z.union([
  z.array(z.string()),
  z.string().transform((value) => value.split(/\s+/).filter((uri) => uri.length > 0)),
]);

/** How a value of each kind is read from an answer; a value that does not read is taken as not reported. */
const LOOSE_VALUES: Record<FieldKind, z.ZodType> = {
  text: z.string(),
  "client-type": z.enum(["confidential", "public"]),
  "uri-list": redirectUris,
  seconds: looseNumber,
  flag: looseBoolean,
};

/** One OAuth client as the admin API reports it: every field under each generation's name. */
export const clientAnswerSchema = z.looseObject({
  client_id: z.union([z.string(), z.number().transform(String)]),
  client_secret: z.string().optional(),
  ...Object.fromEntries(
    APPLICATION_FIELD_KEYS.flatMap((key) =>
      API_GENERATIONS.map((generation) => [
        REST_FIELD_NAMES[generation][key],
        LOOSE_VALUES[APPLICATION_FIELD_TABLE[key].kind].optional().catch(undefined),
      ]),
    ),
  ),
});
export type ClientAnswer = { client_id: string; client_secret?: string } & Record<string, unknown>;

/**
 * The client id of a listed client, without parsing the rest: undefined exactly where clientAnswerSchema refuses the
 * item (not an object, no client id that is a string or a number, a client secret that is not a string; every other
 * field reads as not reported when it does not read).
 */
export function listedClientId(item: unknown): string | undefined {
  if (item === null || typeof item !== "object" || Array.isArray(item)) return undefined;
  const { client_id: id, client_secret: secret } = item as { client_id?: unknown; client_secret?: unknown };
  if (secret !== undefined && typeof secret !== "string") return undefined;
  if (typeof id === "string") return id;
  return typeof id === "number" && Number.isFinite(id) ? String(id) : undefined;
}

/** A list of clients: a bare array, or a paginated object with `results` (DRF) or `clients`. */
export const clientListSchema = z.union([
  z.array(z.unknown()),
  z.looseObject({ results: z.array(z.unknown()) }).transform((page) => page.results),
  z.looseObject({ clients: z.array(z.unknown()) }).transform((page) => page.clients),
]);

/** `createAPIAccessToken`'s answer. */
export const apiAccessTokenAnswerSchema = z.looseObject({ api_access_token: z.string().min(1) });

/** `/oauth/v2/token/`'s answer. */
export const oauthTokenAnswerSchema = z.looseObject({
  access_token: z.string().min(1),
  expires_in: looseNumber.optional().catch(undefined),
});

/** `rotate-secret`'s answer. */
export const rotatedSecretAnswerSchema = z.looseObject({ client_secret: z.string().min(1) });

/** An ApplicationRecord from a client answer: each field under generation A's name, else under B's. */
export function applicationFromAnswer(answer: ClientAnswer): ApplicationRecord {
  const record: Record<string, unknown> = { clientId: answer.client_id };
  for (const key of APPLICATION_FIELD_KEYS) {
    const value = API_GENERATIONS.map((generation) => answer[REST_FIELD_NAMES[generation][key]]).find(
      (candidate) => candidate !== undefined,
    );
    if (value !== undefined) record[key] = value;
  }
  return record as ApplicationRecord;
}

/** Where an answer came from, for error messages. */
export interface CallContext {
  origin: string;
  call: string;
  secrets: ReadonlyArray<string>;
  /** Said when the tenant refuses the caller (401 or 403): what credential is needed, and where it goes. */
  refusedHint?: string;
}

/** A failed answer's own words: its messages and its field errors. */
export interface FailureText {
  messages: string[];
  fieldErrors: Record<string, string[]>;
}

// Keys whose values are messages, in every shape below; `title` only when nothing else says more.
const MESSAGE_KEYS = new Set(["detail", "error", "message", "error_description", "non_field_errors", "msg"]);
// Keys that describe the error but name no field.
const NON_FIELD_KEYS = new Set(["code", "title", "status", "status_code", "type", "errors"]);

/**
 * Reads a failed answer in each shape Alation is known to use (../shared/alation-api.md section 2):
 * - Alation's own `{"code", "title", "detail", "errors"}` (Allie-SDK `_log_error`): `detail` is the message, `errors`
 *   holds the field errors (an object of field -> messages, or a list of such objects, of `{field, message}` or of
 *   strings: its nesting varies by endpoint); `code` and `title` are never field errors;
 * - the token endpoint's `{"error", "error_description", "code"}` (section 3);
 * - DRF's `{"detail"}`, `{"field": ["message"]}` (nested for list items) and `{"non_field_errors": [...]}`;
 * - `{"error", "message"}`, and the legacy token endpoints' `{"status": "failed", "message"}`.
 */
export function failureText(body: unknown): FailureText {
  const text: FailureText = { messages: [], fieldErrors: {} };
  if (!isRecord(body)) return text;
  for (const [key, value] of Object.entries(body)) {
    if (MESSAGE_KEYS.has(key)) text.messages.push(...textsOf(value));
    else if (key === "errors") readErrors(value, text);
    else if (!NON_FIELD_KEYS.has(key)) addFieldErrors(text, key, textsOf(value));
  }
  if (isSilent(text)) text.messages.push(...textsOf(body.title));
  return text;
}

function isSilent(text: FailureText): boolean {
  return text.messages.length === 0 && Object.keys(text.fieldErrors).length === 0;
}

function readErrors(value: unknown, text: FailureText): void {
  for (const item of Array.isArray(value) ? value : [value]) {
    if (!isRecord(item)) {
      text.messages.push(...textsOf(item));
    } else if (typeof item.field === "string") {
      addFieldErrors(text, item.field, textsOf(item.message ?? item.detail ?? item.messages));
    } else {
      for (const [key, messages] of Object.entries(item)) {
        if (MESSAGE_KEYS.has(key)) text.messages.push(...textsOf(messages));
        else addFieldErrors(text, key, textsOf(messages));
      }
    }
  }
}

function addFieldErrors(text: FailureText, field: string, messages: string[]): void {
  if (messages.length > 0) text.fieldErrors[field] = [...(text.fieldErrors[field] ?? []), ...messages];
}

/** Every string in a value, however nested (DRF nests the errors of list items under their index). */
function textsOf(value: unknown): string[] {
  if (typeof value === "string") return value.trim() ? [value] : [];
  if (Array.isArray(value)) return value.flatMap(textsOf);
  if (isRecord(value)) return Object.values(value).flatMap(textsOf);
  return [];
}

function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** The AlationError for a failed answer: its kind, Alation's message and field errors, all redacted. */
export function answerError(
  context: CallContext,
  answer: HttpAnswer,
  options: { hint?: string; kind?: AlationErrorKind; outcomeUnknown?: boolean } = {},
): AlationError {
  const text = failureText(redactJson(answer.json, context.secrets));
  const { messages, fieldErrors } = text;
  if (isSilent(text) && answer.text.trim() && answer.json === undefined) {
    messages.push(redactText(pageExcerpt(answer.text), context.secrets));
  }
  const kind = options.kind ?? kindOf(answer.status, text);
  const quota = isLicenceQuota(answer) ? "a licence quota (entitlement), not throttling: not retried" : undefined;
  const refused = answer.status === 401 || answer.status === 403 ? context.refusedHint : undefined;
  return new AlationError({
    kind,
    call: context.call,
    origin: context.origin,
    status: answer.status,
    alationMessage: messages.length ? messages.join(" ") : undefined,
    fieldErrors: Object.keys(fieldErrors).length ? fieldErrors : undefined,
    outcomeUnknown: options.outcomeUnknown ?? false,
    hint: options.hint ?? quota ?? refused,
  });
}

/**
 * A short, tag-free excerpt of an answer that is not JSON (an HTML error page of Django or a gateway), each text once:
 * such pages repeat their title as their heading (`<title>Server Error (500)</title>...<h1>Server Error (500)</h1>`).
 */
function pageExcerpt(page: string): string {
  const texts = page
    .replace(/<(script|style)\b[\s\S]*?<\/\1>/gi, " ")
    .split(/<[^>]*>/)
    .map((text) => text.replace(/\s+/g, " ").trim())
    .filter((text) => text.length > 0);
  return [...new Set(texts)].join(" ").slice(0, 160);
}

// What a tenant says when a name is taken: DRF's unique validator ("... with this name already exists."), a
// database's unique constraint ("duplicate key value violates unique constraint ..._name_key"), and the like.
const NAME_TAKEN = /already exists|already (taken|in use)|must be unique|\bunique\b|duplicate/i;

/** Whether a refusal says the name is taken, in any of the shapes `failureText` reads (or as a 409). */
function isNameConflictAnswer(status: number, text: FailureText): boolean {
  if (status === 409) return true;
  if (status < 400 || status >= 500 || status === 401 || status === 403 || status === 429) return false;
  if (text.fieldErrors.name?.some((message) => NAME_TAKEN.test(message))) return true;
  return text.messages.some((message) => /name/i.test(message) && NAME_TAKEN.test(message));
}

function kindOf(status: number, text: FailureText): AlationErrorKind {
  if (status === 401 || status === 403) return "auth";
  if (status === 404 || status === 405 || status === 501) return "not-found";
  if (status === 429) return "throttled";
  if (status >= 500) return "unavailable";
  return isNameConflictAnswer(status, text) ? "conflict" : "validation";
}

/** The validation error for a 2xx answer that does not have the expected shape. */
export function shapeError(
  context: CallContext,
  answer: HttpAnswer,
  expected: string,
  options: { hint?: string; outcomeUnknown?: boolean } = {},
): AlationError {
  return new AlationError({
    kind: "validation",
    call: context.call,
    origin: context.origin,
    status: answer.status,
    alationMessage: `the answer is not ${expected}`,
    ...options,
  });
}
