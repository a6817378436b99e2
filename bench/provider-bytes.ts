// The size of `__provider`, the serialized provider Pulumi stores with every dynamic resource, and its share of the
// resource's state (its outputs as the provider server returns them to the engine, `__provider` included).
import type { SerializedResource } from "../tests/support/serialized-provider";
import type { Props } from "./resources";
import { round } from "./stats";

/** One resource's `__provider` against its state. */
export interface ProviderBytes {
  /** UTF-8 bytes of the `__provider` string. */
  providerBytes: number;
  /** UTF-8 bytes of the state's JSON (secrets in plain text here; the engine stores them encrypted, a bit longer). */
  stateBytes: number;
  /** providerBytes / stateBytes. */
  share: number;
}

/** `__provider`'s size against the state `state` of the resource `serialized`. */
export function providerBytesOf(serialized: SerializedResource, state: Props): ProviderBytes {
  if (state.__provider !== serialized.provider) throw new Error("the state does not hold the resource's __provider");
  const providerBytes = Buffer.byteLength(serialized.provider, "utf8");
  const stateBytes = Buffer.byteLength(JSON.stringify(state), "utf8");
  return { providerBytes, stateBytes, share: round(providerBytes / stateBytes, 3) };
}
