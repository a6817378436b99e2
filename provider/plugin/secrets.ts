// Pulumi's secret values on the provider protocol. The plugin tells the engine it accepts secrets (Configure), so
// secret inputs arrive wrapped in a signature object; the runtime works on plain values, and the plugin wraps again
// what must stay secret in state: the secret fields of the schema, and every input that arrived secret.
// The key and value that mark an object as a secret: the SDK's own, the wire format's one definition in Node.js.
import { specialSecretSig as SECRET_SIGNATURE, specialSigKey as SIGNATURE_KEY } from "@pulumi/pulumi/runtime/rpc";

type Props = Record<string, unknown>;

/** Whether `value` is a wrapped secret. */
export function isSecretValue(value: unknown): value is { value: unknown } {
  return value !== null && typeof value === "object" && (value as Props)[SIGNATURE_KEY] === SECRET_SIGNATURE;
}

/** `value` wrapped as a secret (once). */
export function secretValue(value: unknown): unknown {
  if (value === undefined || isSecretValue(value)) return value;
  return { [SIGNATURE_KEY]: SECRET_SIGNATURE, value };
}

/** `value` with every secret unwrapped, at any depth. */
export function revealed(value: unknown): unknown {
  if (isSecretValue(value)) return revealed(value.value);
  if (Array.isArray(value)) return value.map(revealed);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value as Props).map(([key, inner]) => [key, revealed(inner)]));
  }
  return value;
}

/** Whether a secret is anywhere in `value`. */
export function holdsSecret(value: unknown): boolean {
  if (isSecretValue(value)) return true;
  if (Array.isArray(value)) return value.some(holdsSecret);
  if (value !== null && typeof value === "object") return Object.values(value as Props).some(holdsSecret);
  return false;
}

/** The top-level keys of `props` that hold a secret somewhere. */
export function secretKeysOf(props: Props): string[] {
  return Object.keys(props).filter((key) => holdsSecret(props[key]));
}

/** `props` with `keys` wrapped as secrets (a whole top-level value each: its parts are not told apart in state). */
export function withSecrets(props: Props, keys: Iterable<string>): Props {
  const result = { ...props };
  for (const key of keys) if (result[key] !== undefined) result[key] = secretValue(revealed(result[key]));
  return result;
}
