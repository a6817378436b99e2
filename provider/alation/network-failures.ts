// What a call that got no answer says: its kind (network or timeout), whether the request may have reached the
// tenant, whether another attempt can help, and the fix of a TLS failure. Reads undici's and Node's error codes.
import { connect as tlsConnect } from "node:tls";
import { whereToSet } from "../domain/connection-keys";
import { allowsPlainHttp } from "../domain/urls";
import { redactText } from "../domain/redact";
import { AlationError, type AlationErrorKind } from "./errors";
import type { HttpCall, HttpTarget } from "./http-types";

// Errors raised before a request could reach the server: safe to repeat for any call.
const UNSENT_CODES = new Set(["ECONNREFUSED", "UND_ERR_CONNECT_TIMEOUT", "EAI_AGAIN", "EHOSTUNREACH", "ENETUNREACH"]);
// Errors that repeating cannot fix, raised before anything is sent: a name that does not resolve, TLS trust
// problems, a request undici refuses to send (a header value with a line break, say).
const PERMANENT_CODES =
  /^(ENOTFOUND|CERT_|ERR_TLS_|ERR_SSL_|UNABLE_TO_|DEPTH_ZERO_|SELF_SIGNED_|UND_ERR_INVALID_ARG|ERR_INVALID_)/;
// The tenant's certificate chains to no CA we trust: a self-signed certificate, or one of a private CA.
const UNTRUSTED_CERTIFICATE_CODES = new Set([
  "DEPTH_ZERO_SELF_SIGNED_CERT",
  "SELF_SIGNED_CERT_IN_CHAIN",
  "UNABLE_TO_VERIFY_LEAF_SIGNATURE",
  "UNABLE_TO_GET_ISSUER_CERT",
  "UNABLE_TO_GET_ISSUER_CERT_LOCALLY",
  "CERT_UNTRUSTED",
]);
// An https client that got a plain HTTP answer instead of a TLS handshake.
const PLAIN_HTTP_ANSWER_CODES = new Set([
  "ERR_SSL_WRONG_VERSION_NUMBER",
  "ERR_SSL_PACKET_LENGTH_TOO_LONG",
  "ERR_SSL_HTTP_REQUEST",
]);
const TIMEOUT_CODES = new Set(["UND_ERR_HEADERS_TIMEOUT", "UND_ERR_BODY_TIMEOUT", "UND_ERR_CONNECT_TIMEOUT"]);

/** The AlationError for an attempt that got no answer, and whether another attempt could help. */
export function networkFailure(
  target: HttpTarget,
  call: HttpCall,
  error: unknown,
): { error: AlationError; retryable: boolean } {
  const code = errorCode(error);
  const name = error instanceof Error ? error.name : "";
  const timedOut = name === "TimeoutError" || name === "AbortError" || TIMEOUT_CODES.has(code);
  const unsent = UNSENT_CODES.has(code) || PERMANENT_CODES.test(code);
  const kind: AlationErrorKind = timedOut ? "timeout" : "network";
  const reason = timedOut
    ? `no answer within ${target.timeoutMs / 1000} s`
    : `${error instanceof Error ? readableReason(error.message) : String(error)}${code ? ` (${code})` : ""}`;
  return {
    error: new AlationError({
      kind,
      call: `${call.method} ${call.path}`,
      origin: target.origin,
      alationMessage: redactText(reason, call.secrets),
      outcomeUnknown: !unsent,
      hint: fixOf(target, code),
    }),
    retryable: !PERMANENT_CODES.test(code),
  };
}

/** OpenSSL's "80BC...:error:0A00010B:SSL routines:ssl3_get_record:wrong version number:FILE:LINE:" as its reason. */
function readableReason(message: string): string {
  return /SSL routines:[^:]*:([^:]+)/.exec(message)?.[1] ?? message.split("\n")[0].trim();
}

/** What to do about a failure to connect (`code`), if it is one with a known fix. */
function fixOf(target: HttpTarget, code: string): string | undefined {
  const url = new URL(target.origin);
  // A tenant that is down, or a wrong port: a loopback emulator not started, a port copied wrong.
  if (code === "ECONNREFUSED") {
    const port = url.port || (url.protocol === "https:" ? "443" : "80");
    return (
      `nothing accepts connections at ${url.hostname}:${port}: is the tenant up? Check the host and port of baseUrl ` +
      `(${whereToSet("baseUrl")})`
    );
  }
  if (code === "ENOTFOUND") return `the host ${url.hostname} is not known: check baseUrl (${whereToSet("baseUrl")})`;
  if (UNTRUSTED_CERTIFICATE_CODES.has(code)) {
    return target.caCertificate
      ? "the tenant's certificate is signed neither by the given caCertificate nor by a public CA: " +
          "give its CA's certificate"
      : "the tenant's certificate is not trusted (self-signed, or of a private CA): " +
          `give its CA's certificate (PEM) as ${whereToSet("caCertificate")}`;
  }
  if (PLAIN_HTTP_ANSWER_CODES.has(code)) {
    return (
      `${target.origin} answers plain HTTP, not TLS: check the port in baseUrl` +
      (allowsPlainHttp(url.hostname) ? ", or use http:// (allowed for a loopback host)" : "")
    );
  }
  return undefined;
}

/**
 * An http:// call whose connection was closed without a byte of answer may have met a TLS server (which cannot
 * read plain HTTP, so nothing was done): that is asked once, by a TLS handshake, after the last attempt. Then the
 * failure is that, with its fix, and not an answer that may have been lost.
 */
export async function plainHttpToTlsServer(
  target: HttpTarget,
  call: HttpCall,
  error: unknown,
): Promise<AlationError | undefined> {
  const url = new URL(target.origin);
  const code = errorCode(error);
  const bytesRead = (error as { socket?: { bytesRead?: number } }).socket?.bytesRead;
  const closedUnanswered = code === "ECONNRESET" || (code === "UND_ERR_SOCKET" && bytesRead === 0);
  if (url.protocol !== "http:" || !closedUnanswered) return undefined;
  if (!(await speaksTls(url.hostname, Number(url.port || 80)))) return undefined;
  return new AlationError({
    kind: "network",
    call: `${call.method} ${call.path}`,
    origin: target.origin,
    alationMessage: "the connection was closed without an answer: the server speaks TLS (https), not plain HTTP",
    outcomeUnknown: false,
    hint: `use https://${url.host} as baseUrl`,
  });
}

/** Whether a TLS handshake with host:port succeeds (trust aside) within a few seconds. */
function speaksTls(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = tlsConnect({ host: host.replace(/^\[|\]$/g, ""), port, rejectUnauthorized: false, timeout: 3000 });
    const done = (result: boolean) => {
      socket.destroy();
      resolve(result);
    };
    socket.once("secureConnect", () => done(true));
    socket.once("error", () => done(false));
    socket.once("timeout", () => done(false));
  });
}

function errorCode(error: unknown): string {
  for (let current = error, depth = 0; current && depth < 4; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === "string") return code;
    current = (current as { cause?: unknown }).cause;
  }
  return "";
}
