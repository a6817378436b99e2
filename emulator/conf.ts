// The tenant settings that `alation_conf` knows, with their defaults and value rules.

/** The flag that makes the v1 OAuth stack issue JWT access tokens (what the hosted MCP server needs). */
export const JWT_IN_V1_FLAG = "alation.feature_flags.enable_jwt_in_v1_oauth_stack";

interface ConfKey {
  type: "bool";
  default: string;
}

const KNOWN_KEYS: Record<string, ConfKey> = {
  [JWT_IN_V1_FLAG]: { type: "bool", default: "False" },
};

export function isKnownConfKey(key: string): boolean {
  return Object.prototype.hasOwnProperty.call(KNOWN_KEYS, key);
}

/** Every known key with its current value. */
export function allConfValues(set: Record<string, string>): Record<string, string> {
  const values: Record<string, string> = {};
  for (const [key, spec] of Object.entries(KNOWN_KEYS)) values[key] = set[key] ?? spec.default;
  return values;
}

/** The canonical form of a value for a known key (booleans are written True/False), or an error message. */
export function normaliseConfValue(key: string, value: string): { value: string } | { error: string } {
  const spec = KNOWN_KEYS[key];
  if (!spec) return { error: `Unknown configuration key: ${key}` };
  const lowered = value.trim().toLowerCase();
  if (lowered === "true") return { value: "True" };
  if (lowered === "false") return { value: "False" };
  return { error: `Invalid value for ${key}: expected True or False` };
}

/** Whether a boolean setting is on. */
export function confFlag(set: Record<string, string>, key: string): boolean {
  return allConfValues(set)[key] === "True";
}
