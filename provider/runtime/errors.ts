// The errors the runtime raises itself, and how it quotes the ones it meets.

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
