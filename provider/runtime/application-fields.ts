// How an application's fields compare: what a diff or an update changes, what a found application has otherwise than
// asked, and what the tenant did not confirm.
import { APPLICATION_FIELDS, type ApplicationFields, type ApplicationRecord } from "../domain/application-store";
import { APPLICATION_DEFAULTS } from "../schema/oauth-application";
import type { Props } from "./runtime-provider";

/** Whether two values of a field are the same to Alation. */
function sameField(field: keyof ApplicationFields, a: unknown, b: unknown): boolean {
  if (field === "redirectUris" && Array.isArray(a) && Array.isArray(b)) {
    // Order carries no meaning for Alation; a tenant may report them sorted.
    return JSON.stringify([...a].sort()) === JSON.stringify([...b].sort());
  }
  return a === b;
}

/** The fields a diff reports changed: a field older state lacks counts as its default. */
export function changedFields(olds: Props, news: Props): Array<keyof ApplicationFields> {
  const defaults = APPLICATION_DEFAULTS as Record<string, unknown>;
  return APPLICATION_FIELDS.filter((field) => !sameField(field, olds[field] ?? defaults[field], news[field]));
}

/** The fields an update sends: those whose value differs from state (or that state lacks). */
export function changesOf(olds: Props, fields: ApplicationFields): Partial<ApplicationFields> {
  const changed = differingSettings(olds as ApplicationRecord, fields, APPLICATION_FIELDS);
  return Object.fromEntries(changed.map((field) => [field, fields[field]])) as Partial<ApplicationFields>;
}

/** The enforced fields whose value in `found` is not `fields`' (a field the tenant does not report differs). */
export function differingSettings(
  found: ApplicationRecord,
  fields: ApplicationFields,
  enforced: ReadonlyArray<keyof ApplicationFields>,
): Array<keyof ApplicationFields> {
  return enforced.filter((field) => found[field] === undefined || !sameField(field, found[field], fields[field]));
}

/**
 * Fields the tenant did not confirm: a field the answer echoes is enforced when it holds the requested value (and
 * not when it holds another); a field it does not echo counts as enforced only if the store always sets it.
 */
export function notEnforcedOf(
  enforced: ReadonlyArray<keyof ApplicationFields>,
  requested: Partial<ApplicationFields>,
  answer: ApplicationRecord | undefined,
): Array<keyof ApplicationFields> {
  return APPLICATION_FIELDS.filter((field) => {
    if (!(field in requested)) return false;
    const echoed = answer?.[field];
    if (echoed !== undefined) return !sameField(field, echoed, requested[field]);
    return !enforced.includes(field);
  });
}
