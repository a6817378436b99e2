// Inputs that this process's check found valid and fully known, so that create and update, which the engine calls
// with exactly the inputs check returned, do not validate them a second time (zod's parse was a share of the
// provider's CPU per resource). Matched by value, not by object: the inputs cross the engine between the two calls.
// In memory only, a bounded number, each used once; a miss (another process, changed inputs) is parsed as before.
import type { z } from "zod";
import { canonicalJson } from "../domain/canonical-json";

/**
 * The engine creates (or updates) each resource right after its check, so few wait at once; checks that lead to no
 * change leave theirs behind, and the oldest go first.
 */
const MAX_REMEMBERED = 1000;

const remembered = new WeakMap<z.ZodType, Map<string, unknown>>();

/** Remembers `inputs`, the value `schema` parsed from inputs with nothing unknown (check's answer). */
export function rememberChecked(schema: z.ZodType, inputs: unknown): void {
  let bySchema = remembered.get(schema);
  if (!bySchema) remembered.set(schema, (bySchema = new Map()));
  bySchema.set(canonicalJson(inputs), inputs);
  if (bySchema.size > MAX_REMEMBERED) bySchema.delete(bySchema.keys().next().value!);
}

/** The remembered value equal to `raw` (and forgets it), or undefined. */
export function takeChecked(schema: z.ZodType, raw: unknown): unknown {
  const bySchema = remembered.get(schema);
  if (!bySchema || bySchema.size === 0) return undefined;
  const key = canonicalJson(raw);
  const inputs = bySchema.get(key);
  bySchema.delete(key);
  return inputs;
}
