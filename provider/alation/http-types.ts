// The shapes of HTTP to one tenant: where calls go, one call, its answer. Types only, shared by http.ts (which
// sends) and network-failures.ts (which reads what an attempt without an answer says), so imports point one way.
import type { RetryPolicy } from "./settings";

/** Where calls go and how long they may take. */
export interface HttpTarget {
  /** `https://host[:port]`. */
  origin: string;
  /** Extra PEM certificate(s) to trust. */
  caCertificate?: string;
  /** Time limit of one attempt (connect, send, answer headers and body). */
  timeoutMs: number;
  /** How hard to retry. */
  retry: RetryPolicy;
}

/**
 * When a failed attempt may be repeated.
 * - `idempotent`: repeating has the same effect as doing it once (GET, PATCH, DELETE, rotate, token requests):
 *   retried on connection errors, timeouts, 429 (not the licence quota), 500, 502, 503 and 504. A 500 is Django's
 *   answer to any unhandled error, often a passing database or upstream hiccup: one such answer must not fail a
 *   rollout when repeating the call is harmless.
 * - `unsent-only`: repeating could do it twice (POST create): retried only when Alation surely did not act on it:
 *   the connection was never made, or a 429 (a throttled request is refused before it is processed).
 */
export type RetryMode = "idempotent" | "unsent-only";

/** One call. */
export interface HttpCall {
  method: "GET" | "POST" | "PATCH" | "DELETE";
  /** Path from the origin, starting with `/`. */
  path: string;
  query?: Record<string, string | number>;
  headers?: Record<string, string>;
  /** A JSON body. */
  json?: unknown;
  /** A form-encoded body. */
  form?: Record<string, string>;
  retry: RetryMode;
  /** The secrets this call carries or may receive, redacted from any error. */
  secrets: ReadonlyArray<string>;
}

/** An answer, whatever its status. */
export interface HttpAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  /** The parsed JSON body; undefined when the body is empty or not JSON. */
  json: unknown;
  /** The body as text (at most http.ts's MAX_BODY_BYTES). */
  text: string;
}
