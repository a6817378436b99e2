// One text per value, whatever the order of its object keys: to compare values that crossed the engine (which keeps
// no key order), to key claims by them, and to fingerprint a fleet tenant's inputs.

/**
 * JSON with object keys sorted and undefined fields left out (they do not cross the engine), in which every value
 * that JSON would write alike (NaN and null, say) is written apart.
 */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (value !== null && typeof value === "object") {
    const record = value as Record<string, unknown>;
    const fields = Object.keys(record)
      .filter((key) => record[key] !== undefined)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonicalJson(record[key])}`);
    return `{${fields.join(",")}}`;
  }
  if (typeof value === "string" || typeof value === "boolean" || value === null) return JSON.stringify(value);
  if (typeof value === "number" && Number.isFinite(value)) return JSON.stringify(value);
  return `<${typeof value}:${String(value)}>`;
}
