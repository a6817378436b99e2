// What Alation answers, validated with zod, and the AlationError for an answer that is a failure.
// Tolerant by design: field names of older docs (`*_lifetime`, `pkce_enabled`), missing fields, redirect URIs
// as a list or as Django OAuth Toolkit's whitespace-separated string, numbers and booleans as strings.
import { z } from "zod";
import type { ApplicationRecord } from "./types";
import { AlationError, type AlationErrorKind } from "./errors";
import type { HttpAnswer } from "./http";
import { isLicenceQuota } from "./http";
import { redactJson, redactText } from "./redact";

const looseNumber = z.union([z.number(), z.string().regex(/^\d+$/).transform(Number)]);
const looseBoolean = z.union([
  z.boolean(),
  z.enum(["true", "True", "false", "False"]).transform((value) => value.toLowerCase() === "true"),
]);
const redirectUris = z.union([
  z.array(z.string()),
  z.string().transform((value) => value.split(/\s+/).filter((uri) => uri.length > 0)),
]);

/** One OAuth client as the admin API reports it. */
export const clientAnswerSchema = z.looseObject({
  client_id: z.union([z.string(), z.number().transform(String)]),
  client_secret: z.string().optional(),
  name: z.string().optional(),
  client_type: z.enum(["confidential", "public"]).optional().catch(undefined),
  redirect_uris: redirectUris.optional().catch(undefined),
  access_token_expiry: looseNumber.optional().catch(undefined),
  access_token_lifetime: looseNumber.optional().catch(undefined),
  refresh_token_expiry: looseNumber.optional().catch(undefined),
  refresh_token_lifetime: looseNumber.optional().catch(undefined),
  pkce_required: looseBoolean.optional().catch(undefined),
  pkce_enabled: looseBoolean.optional().catch(undefined),
  jwt_required: looseBoolean.optional().catch(undefined),
  is_active: looseBoolean.optional().catch(undefined),
  internal_application: looseBoolean.optional().catch(undefined),
});
export type ClientAnswer = z.infer<typeof clientAnswerSchema>;

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

/** An ApplicationRecord from a client answer (current field names first, older ones as fallback). */
export function applicationFromAnswer(answer: ClientAnswer): ApplicationRecord {
  const record: ApplicationRecord = { clientId: answer.client_id };
  const fields: Omit<ApplicationRecord, "clientId"> = {
    name: answer.name,
    clientType: answer.client_type,
    redirectUris: answer.redirect_uris,
    accessTokenExpiry: answer.access_token_expiry ?? answer.access_token_lifetime,
    refreshTokenExpiry: answer.refresh_token_expiry ?? answer.refresh_token_lifetime,
    pkceRequired: answer.pkce_required ?? answer.pkce_enabled,
    jwtRequired: answer.jwt_required,
    isActive: answer.is_active,
    internalApplication: answer.internal_application,
  };
  for (const [key, value] of Object.entries(fields)) {
    if (value !== undefined) (record as Record<string, unknown>)[key] = value;
  }
  return record;
}

/** Where an answer came from, for error messages. */
export interface CallContext {
  origin: string;
  call: string;
  secrets: ReadonlyArray<string>;
}

const MESSAGE_KEYS = ["detail", "error", "message", "error_description"];
const NON_FIELD_KEYS = new Set([...MESSAGE_KEYS, "status", "code", "status_code"]);

/** The AlationError for a failed answer: its kind, Alation's message and field errors, all redacted. */
export function answerError(
  context: CallContext,
  answer: HttpAnswer,
  options: { hint?: string; kind?: AlationErrorKind; outcomeUnknown?: boolean } = {},
): AlationError {
  const body = redactJson(answer.json, context.secrets);
  const messages: string[] = [];
  const fieldErrors: Record<string, string[]> = {};
  if (body !== null && typeof body === "object" && !Array.isArray(body)) {
    for (const [key, value] of Object.entries(body)) {
      const texts = (Array.isArray(value) ? value : [value]).filter((item): item is string => typeof item === "string");
      if (texts.length === 0) continue;
      if (MESSAGE_KEYS.includes(key)) messages.push(...texts);
      else if (!NON_FIELD_KEYS.has(key)) fieldErrors[key] = texts;
    }
  } else if (answer.text.trim() && answer.json === undefined) {
    // Not JSON (an HTML error page of a gateway, say): a short, tag-free excerpt.
    messages.push(redactText(answer.text.replace(/<[^>]*>/g, " ").replace(/\s+/g, " ").trim().slice(0, 160), context.secrets));
  }
  const kind = options.kind ?? kindOf(answer, fieldErrors);
  return new AlationError({
    kind,
    call: context.call,
    origin: context.origin,
    status: answer.status,
    alationMessage: messages.length ? messages.join(" ") : undefined,
    fieldErrors: Object.keys(fieldErrors).length ? fieldErrors : undefined,
    outcomeUnknown: options.outcomeUnknown ?? false,
    hint: options.hint ?? (isLicenceQuota(answer) ? "a licence quota (entitlement), not throttling: not retried" : undefined),
  });
}

function kindOf(answer: HttpAnswer, fieldErrors: Record<string, string[]>): AlationErrorKind {
  const status = answer.status;
  if (status === 401 || status === 403) return "auth";
  if (status === 404 || status === 405 || status === 501) return "not-found";
  if (status === 409) return "conflict";
  if (status === 429) return "throttled";
  if (status >= 500) return "unavailable";
  if (fieldErrors.name?.some((message) => /exist|unique|taken|already/i.test(message))) return "conflict";
  return "validation";
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
