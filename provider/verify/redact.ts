// Keeps secrets and tokens out of every line the verifier prints. Every value the verifier learns that
// must not be shown (client secret, password, codes, tokens) is registered here the moment it is known,
// and every report text goes through `redact` before it leaves the step.

import { JWT_PATTERN, REDACTED } from "../domain/redact";

/** Query parameters that carry credentials in OAuth URLs. */
const SECRET_PARAMS =
  /([?&#](?:code|access_token|refresh_token|id_token|client_secret|code_verifier|password)=)[^&#\s"']*/gi;

/** The set of values never to print. */
export class SecretRedactor {
  private readonly secrets = new Set<string>();

  /** Registers values never to print (empty and very short values are ignored: they would blank out text). */
  add(...values: Array<string | undefined>): void {
    for (const value of values) {
      if (value && value.length >= 4) this.secrets.add(value);
    }
  }

  /** The text with every registered secret, every JWT and every credential query parameter replaced. */
  redact(text: string): string {
    let result = text;
    // Longest first, so a secret that contains another is replaced whole.
    for (const secret of [...this.secrets].sort((a, b) => b.length - a.length)) {
      result = result.split(secret).join(REDACTED);
      // Also as it appears URL-encoded (e.g. echoed in a form body or a query).
      const encoded = encodeURIComponent(secret);
      if (encoded !== secret) result = result.split(encoded).join(REDACTED);
    }
    return result.replace(JWT_PATTERN, REDACTED).replace(SECRET_PARAMS, `$1${REDACTED}`);
  }
}
