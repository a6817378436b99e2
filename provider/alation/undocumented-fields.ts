// The application fields no REST document of Alation's names (`jwt_required`, `is_active`, `internal_application`:
// only the Django-shell guide does). They are sent in bodies, as a tenant may accept them; a tenant may also refuse
// them as unknown fields (a 400 naming them, ../shared/alation-api.md section 2): the create or update is then sent
// once more without them (a 400 is an answer: nothing was applied), and they are left out of that tenant's bodies
// for the rest of the process.
import { fieldsReaching, REST_FIELD_NAMES, type ApiGeneration } from "../domain/application-fields";
import { APPLICATION_FIELDS, toAlationFields, type ApplicationFields } from "../domain/application-store";
import type { AdminCalls, Called } from "./admin-calls";
import { failureText } from "./answers";
import type { HttpAnswer, RetryMode } from "./http";

/** The fields only the Django-shell guide names. */
const UNDOCUMENTED_FIELDS = fieldsReaching("rest-undocumented");

/** The fields Alation's API docs name (../shared/alation-api.md section 2): the ones the REST path enforces. */
export const DOCUMENTED_FIELDS = APPLICATION_FIELDS.filter((field) => !UNDOCUMENTED_FIELDS.includes(field));

// Tenants (by origin) that refused the undocumented fields in this process: they are no longer sent there.
const refusingUndocumented = new Set<string>();

/** Forgets what tenants refused (tests). */
export function forgetRefusedFields(): void {
  refusingUndocumented.clear();
}

/**
 * Sends a create or update body to `origin`: without the undocumented fields on a tenant known to refuse them, else
 * with them, and once more without them when the tenant's 400 names exactly those (and no other field).
 */
export async function sendFields(
  calls: AdminCalls,
  origin: string,
  request: { method: "POST" | "PATCH"; path: string; retry: RetryMode; fieldNaming: ApiGeneration },
  fields: Partial<ApplicationFields>,
): Promise<Called> {
  const { method, path, retry, fieldNaming } = request;
  const bodyOf = (omitUndocumented: boolean) =>
    toAlationFields(fields, omitUndocumented ? UNDOCUMENTED_FIELDS : [], fieldNaming);
  const omit = refusingUndocumented.has(origin);
  const sent = await calls.call(method, path, { json: bodyOf(omit), retry });
  if (omit || !refusesOnlyUndocumented(sent.answer, fields, fieldNaming)) return sent;
  refusingUndocumented.add(origin);
  return calls.call(method, path, { json: bodyOf(true), retry });
}

/**
 * Whether a 400 refuses the undocumented fields that were sent, and nothing else: it names at least one of them (as
 * a field error, or in its message: "Unknown field: jwt_required") and no other field.
 */
function refusesOnlyUndocumented(
  answer: HttpAnswer,
  fields: Partial<ApplicationFields>,
  fieldNaming: ApiGeneration,
): boolean {
  if (answer.status !== 400) return false;
  const names = REST_FIELD_NAMES[fieldNaming];
  const sent = UNDOCUMENTED_FIELDS.filter((field) => fields[field] !== undefined).map((field) => names[field]);
  const { messages, fieldErrors } = failureText(answer.json);
  const named = Object.keys(fieldErrors);
  if (named.some((name) => !sent.includes(name))) return false;
  return sent.some((name) => named.includes(name) || messages.some((message) => message.includes(name)));
}
