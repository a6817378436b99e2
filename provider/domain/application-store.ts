// The application store contract: what one tenant's OAuth applications are, what a store does with them, and how it
// fails. Implemented by the two ways of reaching a tenant, the REST admin API (provider/alation) and the Django shell
// (provider/shell); the runtime uses only this. Plain TypeScript: no Pulumi, no HTTP.
import {
  APPLICATION_FIELD_KEYS,
  MODEL_FIELD_NAMES,
  REST_FIELD_NAMES,
  type ApiGeneration,
  type ApplicationFieldKey,
} from "./application-fields";

export type { ApiGeneration } from "./application-fields";

/** The fields of one OAuth client application, as Alation's model has them (camelCase of its field names). */
export interface ApplicationFields extends Record<ApplicationFieldKey, unknown> {
  name: string;
  clientType: "confidential" | "public";
  redirectUris: string[];
  accessTokenExpiry: number;
  refreshTokenExpiry: number;
  pkceRequired: boolean;
  jwtRequired: boolean;
  isActive: boolean;
  internalApplication: boolean;
}

/** Alation's own (snake_case) name of each field: its model's, and generation A's REST body field (the field table). */
export const ALATION_FIELD_NAMES: Readonly<Record<keyof ApplicationFields, string>> = MODEL_FIELD_NAMES;

/** Every application field, in the order Alation's model lists them. */
export const APPLICATION_FIELDS: ReadonlyArray<keyof ApplicationFields> = APPLICATION_FIELD_KEYS;

/**
 * The given fields under Alation's own names, as a body or a model takes them; undefined ones are left out. With a
 * generation, under that generation's REST names (`*_lifetime`, `pkce_enabled` for B); without, the model's.
 */
export function toAlationFields(
  fields: Partial<ApplicationFields>,
  leaveOut: ReadonlyArray<keyof ApplicationFields> = [],
  generation?: ApiGeneration,
): Record<string, unknown> {
  const names = generation ? REST_FIELD_NAMES[generation] : ALATION_FIELD_NAMES;
  const named: Record<string, unknown> = {};
  for (const field of APPLICATION_FIELDS) {
    if (fields[field] !== undefined && !leaveOut.includes(field)) named[names[field]] = fields[field];
  }
  return named;
}

/** An application as the tenant reports it. A field the tenant did not report is undefined. */
export type ApplicationRecord = { clientId: string } & Partial<ApplicationFields>;

/** What a read found. `unsupported`: this tenant or path cannot read (e.g. GET answers 404/405 on a real tenant). */
export type ApplicationLookup =
  { status: "found"; application: ApplicationRecord } | { status: "gone" } | { status: "unsupported"; reason: string };

/**
 * What a delete did. `kept`: the application was left in place because the secret the caller expected no longer
 * authenticates it, so someone else holds it now (an adoption rotates the secret); `reason` says what was found.
 */
export type DeleteOutcome = { status: "deleted" } | { status: "gone" } | { status: "kept"; reason: string };

/** What a secret check found: `unproven` when the tenant's answer tells neither way. */
export type SecretCheck =
  { status: "works" } | { status: "refused"; reason: string } | { status: "unproven"; reason: string };

/** One tenant's OAuth applications, reached one way or another. Every failure is a StoreError (below). */
export interface ApplicationStore {
  /** Fields this path really sets on create and update; the others are reported as not enforced. */
  readonly enforcedFields: ReadonlyArray<keyof ApplicationFields>;
  /** Create an application; the secret is returned this once. */
  create(fields: ApplicationFields): Promise<{ application: ApplicationRecord; clientSecret: string }>;
  get(clientId: string): Promise<ApplicationLookup>;
  /** Find an application by its (unique) name, e.g. to recover a create whose answer was lost. */
  findByName(name: string): Promise<ApplicationLookup>;
  /**
   * The name of every application the tenant lists, or undefined where the list cannot tell (not served, an item
   * without a name, more pages than are read). Optional: a store without it answers findByName alone.
   */
  listNames?(): Promise<ReadonlySet<string> | undefined>;
  /** Change only the given fields. */
  update(clientId: string, changes: Partial<ApplicationFields>): Promise<ApplicationRecord>;
  /** Issue a new secret; the old one stops working at once. */
  rotateSecret(clientId: string): Promise<string>;
  /**
   * Whether `clientSecret` still authenticates application `clientId` (it fails once rotated, in Alation or by
   * whoever took the application over). Changes nothing in the tenant.
   */
  checkSecret(clientId: string, clientSecret: string): Promise<SecretCheck>;
  /**
   * Delete; an application that is already gone is success. With `expectedSecret`, only while that secret still
   * authenticates the application: the caller proves it still owns what it deletes.
   */
  delete(clientId: string, options?: { expectedSecret?: string }): Promise<DeleteOutcome>;
}

/** What went wrong in a store's call, in the terms both stores share. */
export type StoreFailure =
  /** The tenant (or the shell's host, cluster or pod) refused the caller's credential or identity. */
  | "auth"
  /** The values or settings were refused, or an answer did not have the expected shape. */
  | "validation"
  /** No such object, or the tenant does not serve this route. */
  | "not-found"
  /** The application's name is taken. */
  | "conflict"
  /** Throttled, or a licence quota. */
  | "throttled"
  /** The tenant, a gateway in front of it, or the command that reaches it failed. */
  | "unavailable"
  /** No connection, or the connection was lost. */
  | "network"
  /** No answer in time. */
  | "timeout";

/**
 * The one error contract of the application stores: the REST client's AlationError and the shell's ShellError both
 * implement it, so that callers decide (recover, retry, report) without knowing which store failed. Its texts hold
 * no token, secret, kubeconfig or key: they are redacted where the error is made.
 */
export interface StoreError extends Error {
  /** What went wrong. */
  readonly failure: StoreFailure;
  /**
   * Whether the call may have taken effect although it failed (a dropped connection or a timeout after sending, a
   * gateway's 502/504): a create that failed so must not be repeated blindly; look the application up first.
   */
  readonly outcomeUnknown: boolean;
  /** What the tenant said, when it said something. */
  readonly tenantMessage?: string;
  /** The tenant's field errors (`{"field": ["message"]}`), when it named fields. */
  readonly fieldErrors?: Record<string, string[]>;
  /** The call: `METHOD /path`, or the command (its program name, never its data). */
  readonly call?: string;
}

/** Whether `error` implements StoreError (also across copies of the modules loaded twice). */
export function isStoreError(error: unknown): error is StoreError {
  if (!(error instanceof Error)) return false;
  const facts = error as Partial<Record<keyof StoreError, unknown>>;
  return typeof facts.failure === "string" && typeof facts.outcomeUnknown === "boolean";
}

/** The failure of a store's error; undefined for any other error. */
export function storeFailureOf(error: unknown): StoreFailure | undefined {
  return isStoreError(error) ? error.failure : undefined;
}
