// Pulumi's wire form of a secret, {"4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270", value}, as
// Pulumi's mocks see registered inputs, and the plain values the engine hands a provider that does not accept
// secrets (as Pulumi's dynamic-provider server does not).
const SPECIAL_SIG = "4dabf18193072939515e22adb298388d";
const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";

/** Whether `value` is a secret in Pulumi's wire form. */
export function isSecretValue(value: unknown): value is { value: unknown } {
  return value !== null && typeof value === "object" && (value as Record<string, unknown>)[SPECIAL_SIG] === SECRET_SIG;
}

/** `value` with every secret, at any depth, replaced by its plain value. */
export function unwrapSecrets(value: unknown): unknown {
  if (isSecretValue(value)) return unwrapSecrets(value.value);
  if (Array.isArray(value)) return value.map(unwrapSecrets);
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, unwrapSecrets(item)]));
  }
  return value;
}
