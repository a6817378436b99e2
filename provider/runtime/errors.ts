// The errors the runtime raises itself, and how it quotes the ones it meets.
import { privateUseRefusalHint } from "../domain/mcp-client-spec";

/**
 * An error after the object exists in the tenant: the dynamic-provider server records the resource as created with
 * these properties (and the error), so nothing is orphaned and the next `up` updates it.
 */
export class ResourceInitError extends Error {
  constructor(
    message: string,
    readonly id: string,
    readonly properties: Record<string, unknown>,
    readonly reasons: string[] = [message],
  ) {
    super(message);
    this.name = "ResourceInitError";
  }
}

/** An error's message (its own words: every store error carries its context and is redacted at the source). */
export function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * A tenant's refusal of redirect URIs with a private-use scheme (`cursor://`), with what it means and what to do
 * appended (privateUseRefusalHint): whether Alation accepts them is not documented. Any other error as it is.
 */
export function explainRefusal(error: unknown, redirectUris: readonly string[]): unknown {
  const hint = privateUseRefusalHint(error, redirectUris);
  if (hint && error instanceof Error) error.message = `${error.message}; ${hint}`;
  return error;
}
