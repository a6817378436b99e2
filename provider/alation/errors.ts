// The one error type of calls to Alation, the REST side of the store error contract (StoreError). Its message says
// which call failed, how, and what Alation said; it never holds a token or secret: callers pass redacted text, and
// the constructor redacts once more.
import type { StoreError, StoreFailure } from "../domain/application-store";
import { redactText } from "../domain/redact";

/**
 * What went wrong, so callers can decide what to do (retry, recover, report): the contract's failures, as HTTP
 * shows them.
 * - `auth`: 401/403: the credential is missing, wrong, expired, or lacks the Server Admin role.
 * - `validation`: 400: Alation refused the values (see `fieldErrors`), or an answer did not have the expected shape.
 * - `not-found`: 404/405/501: no such object, or the tenant does not serve this route.
 * - `conflict`: 409, or a 400 saying the name is already taken (in any shape `failureText` reads).
 * - `throttled`: 429: throttled (retried), or a licence quota ("entitlement", not retried).
 * - `unavailable`: 5xx: the tenant or a gateway in front of it failed.
 * - `network`: no connection, or the connection was lost.
 * - `timeout`: no answer in time.
 */
export type AlationErrorKind = StoreFailure;

/** The facts an AlationError carries. Strings must already be redacted. */
export interface AlationErrorDetails {
  /** What went wrong. */
  kind: AlationErrorKind;
  /** The call, as `METHOD /path` (never a query string or body). */
  call: string;
  /** The tenant's origin, named in the message. */
  origin?: string;
  /** The HTTP status, when there was an answer. */
  status?: number;
  /** Alation's own message (`detail`, `error`, `message`, `error_description`; `title` if nothing else), redacted. */
  alationMessage?: string;
  /** Alation's field errors (`{"field": ["message"]}`), redacted. */
  fieldErrors?: Record<string, string[]>;
  /** Whether the call may have taken effect although it failed (e.g. the connection dropped after the request). */
  outcomeUnknown?: boolean;
  /** A short hint of our own, appended to the message. */
  hint?: string;
}

/** A failed call to an Alation tenant. */
export class AlationError extends Error implements StoreError {
  override readonly name = "AlationError";
  /** What went wrong. */
  readonly kind: AlationErrorKind;
  /** The same, under the contract's name. */
  readonly failure: StoreFailure;
  /** The call, as `METHOD /path`. */
  readonly call: string;
  /** The HTTP status, when there was an answer. */
  readonly status?: number;
  /** Alation's own message, redacted. */
  readonly alationMessage?: string;
  /** The same, under the contract's name. */
  readonly tenantMessage?: string;
  /** Alation's field errors, redacted. */
  readonly fieldErrors?: Record<string, string[]>;
  /**
   * True when the request may have reached Alation and taken effect although no answer came back (a dropped
   * connection or a timeout after sending, a 502/504 from a gateway). A create that fails so must not be
   * repeated blindly: look the application up first.
   */
  readonly outcomeUnknown: boolean;

  constructor(details: AlationErrorDetails) {
    super(redactText(formatMessage(details)));
    this.kind = this.failure = details.kind;
    this.call = details.call;
    this.status = details.status;
    this.alationMessage = details.alationMessage === undefined ? undefined : redactText(details.alationMessage);
    this.tenantMessage = this.alationMessage;
    this.fieldErrors = details.fieldErrors;
    this.outcomeUnknown = details.outcomeUnknown ?? false;
  }
}

/**
 * `error` with the step it failed in said first, `<step> timed out: <message>`, for a call that the user would not
 * connect with the operation at hand. Other errors as they are.
 */
export function failedIn(error: unknown, step: string): unknown {
  if (error instanceof AlationError) {
    error.message = `${step} ${error.kind === "timeout" ? "timed out" : "failed"}: ${error.message}`;
  }
  return error;
}

function formatMessage(details: AlationErrorDetails): string {
  const status = details.status === undefined ? details.kind : `${details.status} ${details.kind}`;
  const where = details.origin ? ` at ${details.origin}` : "";
  const parts = [`Alation ${details.call}${where} failed (${status})`];
  if (details.alationMessage) parts.push(details.alationMessage);
  for (const [field, messages] of Object.entries(details.fieldErrors ?? {})) {
    parts.push(`${field}: ${messages.join(" ")}`);
  }
  if (details.hint) parts.push(details.hint);
  return parts.join("; ");
}
