// The one table of an OAuth application's fields: for each, its name in Alation's model (what the shell sets) and in
// each generation of the REST admin API, and which paths can set it (../shared/alation-api.md sections 2 and 5).
// Names, bodies, answer parsing and the list of undocumented fields derive from it. Plain TypeScript: no Pulumi, no
// HTTP.

/**
 * A generation of Alation's OAuth client admin API (alation-api.md section 2). Both are documented and no source says
 * that one replaced the other: a tenant serves one, or both; its `/openapi/oauth2/` document says which.
 * - `a`: `/integration/core/v1/oauth/clients/`, `*_expiry`, `pkce_required` (alation-ai-agent-sdk's guide);
 * - `b`: `/integration/core/v1/clients/`, `*_lifetime`, `pkce_enabled` (agent-studio-docs).
 */
export type ApiGeneration = "a" | "b";
export const API_GENERATIONS: ReadonlyArray<ApiGeneration> = ["a", "b"];

/** Where each generation serves its OAuth clients (alation-api.md section 2). */
export const CLIENTS_PATHS: Readonly<Record<ApiGeneration, string>> = {
  a: "/integration/core/v1/oauth/clients/",
  b: "/integration/core/v1/clients/",
};

/**
 * Which paths set a field.
 * - `rest`: named by both generations' API docs: the REST path sets it (and the shell);
 * - `rest-undocumented`: only the Django-shell guide names it: REST bodies carry it, but a tenant may ignore or
 *   refuse it (undocumented-fields.ts); only the shell sets it for sure.
 */
export type FieldReach = "rest" | "rest-undocumented";

/** Where a Server Admin manages applications in Alation's admin UI, since 2026-02 (alation-api.md section 1). */
export const ADMIN_UI_APPLICATIONS = "Admin Settings > User Management > OAuth Client Applications";

/** What kind of value a field holds (answers are parsed by it, tolerantly). */
export type FieldKind = "text" | "client-type" | "uri-list" | "seconds" | "flag";

/** What is known of one field. */
export interface FieldFacts {
  /** Its name in Alation's model `api_authentication.models.Application`: the shell's, and the user's in camelCase. */
  model: string;
  kind: FieldKind;
  /** Its name in each generation's REST bodies and answers. */
  rest: Readonly<Record<ApiGeneration, string>>;
  reach: FieldReach;
  /** What it is, for docs and messages. */
  doc: string;
  /** The connector guide's value where the user gives none (alation-api.md section 1); none: the user must give it. */
  default?: string | number | boolean;
  /** Alation's limits of a number, inclusive (section 2). */
  range?: { min: number; max: number };
}

/** Every field, in the order Alation's model lists them. */
export const APPLICATION_FIELD_TABLE = {
  name: {
    model: "name",
    kind: "text",
    rest: { a: "name", b: "name" },
    reach: "rest",
    doc: "The application's name, as Alation lists it.",
  },
  clientType: {
    model: "client_type",
    kind: "client-type",
    rest: { a: "client_type", b: "client_type" },
    reach: "rest",
    doc: '"confidential" (has a secret) or "public" (PKCE only).',
    default: "confidential",
  },
  redirectUris: {
    model: "redirect_uris",
    kind: "uri-list",
    rest: { a: "redirect_uris", b: "redirect_uris" },
    reach: "rest",
    doc: "Where Alation may send users back with an authorization code.",
  },
  accessTokenExpiry: {
    model: "access_token_expiry",
    kind: "seconds",
    rest: { a: "access_token_expiry", b: "access_token_lifetime" },
    reach: "rest",
    doc: "Lifetime of an access token, in seconds.",
    default: 86400,
    range: { min: 3600, max: 259200 },
  },
  refreshTokenExpiry: {
    model: "refresh_token_expiry",
    kind: "seconds",
    rest: { a: "refresh_token_expiry", b: "refresh_token_lifetime" },
    reach: "rest",
    doc: "Lifetime of a refresh token, in seconds: users reconnect when it ends.",
    default: 15552000,
    range: { min: 259200, max: 15552000 },
  },
  pkceRequired: {
    model: "pkce_required",
    kind: "flag",
    rest: { a: "pkce_required", b: "pkce_enabled" },
    reach: "rest",
    doc: "Whether the authorization code flow must use PKCE.",
    default: true,
  },
  jwtRequired: {
    model: "jwt_required",
    kind: "flag",
    rest: { a: "jwt_required", b: "jwt_required" },
    reach: "rest-undocumented",
    doc: "Whether access tokens are JWTs (the hosted MCP server needs them).",
    default: true,
  },
  isActive: {
    model: "is_active",
    kind: "flag",
    rest: { a: "is_active", b: "is_active" },
    reach: "rest-undocumented",
    doc: "Whether the application may get tokens.",
    default: true,
  },
  internalApplication: {
    model: "internal_application",
    kind: "flag",
    rest: { a: "internal_application", b: "internal_application" },
    reach: "rest-undocumented",
    doc: "Whether the application is one of Alation's own.",
    default: false,
  },
} as const satisfies Record<string, FieldFacts>;

/** The longest name Alation stores for an application, in UTF-16 code units (as JavaScript counts them). */
export const APPLICATION_NAME_MAX_LENGTH = 255;

/** An application field's key (camelCase). */
export type ApplicationFieldKey = keyof typeof APPLICATION_FIELD_TABLE;

/** Every field key, in the table's order. */
export const APPLICATION_FIELD_KEYS = Object.keys(APPLICATION_FIELD_TABLE) as ReadonlyArray<ApplicationFieldKey>;

/** The fields whose reach is `reach`. */
export function fieldsReaching(reach: FieldReach): ReadonlyArray<ApplicationFieldKey> {
  return APPLICATION_FIELD_KEYS.filter((key) => APPLICATION_FIELD_TABLE[key].reach === reach);
}

/** Each field's name in Alation's model. */
export const MODEL_FIELD_NAMES = namesBy((facts) => facts.model);

/** Each field's model name with its kind: what the shell's script reads and reports (its request carries them). */
export const MODEL_FIELD_KINDS: Readonly<Record<string, FieldKind>> = Object.fromEntries(
  APPLICATION_FIELD_KEYS.map((key) => [APPLICATION_FIELD_TABLE[key].model, APPLICATION_FIELD_TABLE[key].kind]),
);

/** Each field's name in one generation's REST bodies. */
export const REST_FIELD_NAMES: Readonly<Record<ApiGeneration, Readonly<Record<ApplicationFieldKey, string>>>> = {
  a: namesBy((facts) => facts.rest.a),
  b: namesBy((facts) => facts.rest.b),
};

function namesBy(nameOf: (facts: FieldFacts) => string): Readonly<Record<ApplicationFieldKey, string>> {
  return Object.fromEntries(APPLICATION_FIELD_KEYS.map((key) => [key, nameOf(APPLICATION_FIELD_TABLE[key])])) as Record<
    ApplicationFieldKey,
    string
  >;
}
