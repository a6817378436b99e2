// Redaction of secrets in anything that may end up in an error message or a log line.
// Two layers: the exact secrets a call knows it sent or received (tokens, client secrets), and patterns for
// secret-looking values an Alation answer may echo (JWTs, `"client_secret": "..."`, `token=...`).

/** What stands in a text where a secret was. */
export const REDACTED = "[redacted]";

/** A JSON Web Token: three base64url parts, the first one a JSON header (`{"` is `eyJ`). */
export const JWT_PATTERN = /eyJ[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*/g;
// `secret: x`, `"api_access_token": "x"`, `password=x`, ... as text. The name must END with the word, so that
// `access_token_expiry: must be at most 259200` stays readable.
const SECRET_ASSIGNMENT = /\b([A-Za-z_-]*(?:secret|token|password|authorization))\b(["']?\s*[:=]\s*["']?)[^\s"',}]+/gi;
const BEARER = /\bBearer\s+[^\s"',}]+/gi;
// Keys of JSON objects whose values are secrets (again: the name ends with the word).
const SECRET_KEY = /(secret|token|password|authorization|credentials?)$/i;

/** `text` with every known secret and every secret-looking value replaced by a marker. */
export function redactText(text: string, knownSecrets: ReadonlyArray<string | undefined> = []): string {
  let result = text;
  for (const secret of knownSecrets) {
    // Very short values would redact ordinary words; no real token or secret is that short.
    if (secret && secret.length >= 6) result = result.split(secret).join(REDACTED);
  }
  return result
    .replace(JWT_PATTERN, REDACTED)
    .replace(BEARER, `Bearer ${REDACTED}`)
    .replace(SECRET_ASSIGNMENT, (_all, key: string, sep: string) => `${key}${sep}${REDACTED}`);
}

/** A deep copy of a JSON value whose secret-named keys are redacted and whose strings go through `redactText`. */
export function redactJson(value: unknown, knownSecrets: ReadonlyArray<string | undefined> = []): unknown {
  if (typeof value === "string") return redactText(value, knownSecrets);
  if (Array.isArray(value)) return value.map((item) => redactJson(item, knownSecrets));
  if (value !== null && typeof value === "object") {
    const copy: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      copy[key] = SECRET_KEY.test(key) ? REDACTED : redactJson(item, knownSecrets);
    }
    return copy;
  }
  return value;
}
