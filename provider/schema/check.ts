// Pulumi's `check` over a zod object schema: every failure at once, each with its property path, defaults applied,
// and unknown values (preview) passed through untouched: only what is known is validated.
import type { z } from "zod";
import { rememberChecked, takeChecked } from "./checked-inputs";
import { containsUnknown, isUnknown } from "./unknown";

/** One failure, as Pulumi's CheckFailure. */
export interface CheckFailure {
  /** The property path, e.g. `redirectUris[1]` or `connection.baseUrl`. */
  property: string;
  /** Why the value is refused. */
  reason: string;
}

/** The result of a check: the inputs to use (defaults applied) and the failures. */
export interface CheckResult<T = Record<string, unknown>> {
  inputs: T;
  failures: CheckFailure[];
}

/**
 * Validates `raw` against `schema` (an object schema whose fields are `shape`).
 * - A failure is dropped when the value at its path, or at any parent of it, is unknown, or when the value it is
 *   about still holds an unknown somewhere (a rule across fields cannot be judged on unknown fields).
 * - Inputs: the parsed value when everything is valid and known; otherwise each top-level field parsed alone
 *   where it can be (so its defaults apply), else the raw value, and each missing field's default.
 */
export function checkWithSchema(
  schema: z.ZodType,
  shape: Record<string, z.ZodType>,
  raw: Record<string, unknown>,
): CheckResult {
  const result = schema.safeParse(raw);
  if (result.success) {
    // Valid and fully known: create or update gets these same inputs next, and need not parse them again.
    if (!containsUnknown(raw)) rememberChecked(schema, result.data);
    return { inputs: result.data as Record<string, unknown>, failures: [] };
  }
  const failures = result.error.issues
    .filter((issue) => !touchesUnknown(raw, issue.path))
    .map((issue) => ({ property: propertyPath(issue.path), reason: issue.message }));
  const inputs: Record<string, unknown> = { ...raw };
  for (const [key, fieldSchema] of Object.entries(shape)) {
    if (isUnknown(raw[key])) continue;
    const field = fieldSchema.safeParse(raw[key]);
    if (field.success && !containsUnknown(raw[key])) {
      if (field.data !== undefined) inputs[key] = field.data;
    }
  }
  return { inputs, failures: dedupe(failures) };
}

/** `redirectUris[1]`, `connection.baseUrl`, or `(inputs)` for the object itself. */
export function propertyPath(path: ReadonlyArray<PropertyKey>): string {
  let text = "";
  for (const part of path) {
    if (typeof part === "number") text += `[${part}]`;
    else text += text ? `.${String(part)}` : String(part);
  }
  return text;
}

function touchesUnknown(raw: unknown, path: ReadonlyArray<PropertyKey>): boolean {
  let current: unknown = raw;
  for (const part of path) {
    if (isUnknown(current)) return true;
    if (current === null || typeof current !== "object") return false;
    current = (current as Record<PropertyKey, unknown>)[part];
  }
  return containsUnknown(current);
}

function dedupe(failures: CheckFailure[]): CheckFailure[] {
  const seen = new Set<string>();
  return failures.filter((failure) => {
    const key = `${failure.property}\n${failure.reason}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * The valid, fully known inputs (defaults applied), or an Error listing every failure. For create/update/read,
 * where nothing may be unknown any more. Inputs equal to what this process's check returned as valid and known are
 * that value, not parsed again (checked-inputs.ts).
 */
export function parseOrThrow<T>(schema: z.ZodType<T>, raw: unknown, what: string): T {
  const checked = takeChecked(schema, raw);
  if (checked !== undefined) return checked as T;
  const result = schema.safeParse(raw);
  if (result.success) return result.data;
  const reasons = result.error.issues.map((issue) => `${propertyPath(issue.path) || "(inputs)"}: ${issue.message}`);
  throw new Error(`${what}: ${[...new Set(reasons)].join("; ")}`);
}
