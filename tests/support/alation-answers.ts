// Answers of Alation's admin API in each error shape seen in its SDKs (../shared/alation-api.md section 2), for
// scripted tenants: Alation's own {"code", "title", "detail", "errors"}, DRF's, {"error", "message"}, and a 409.

const KEY = '"api_authentication_application_name_key"';

/** Alation's own shape of a refused body, around `errors`. */
export function alationShaped(errors?: unknown, detail = "Invalid request"): Record<string, unknown> {
  return { code: "400000", title: "Bad Request", detail, ...(errors === undefined ? {} : { errors }) };
}

/** A refused create because the name is taken, in every shape: [status, body]. */
export const NAME_CONFLICT_ANSWERS: Record<string, [number, unknown]> = {
  "DRF's": [400, { name: ["application with this name already exists."] }],
  "Alation's, in errors": [400, alationShaped({ name: ["application with this name already exists."] })],
  "Alation's, in detail": [400, alationShaped(undefined, "An application with this name already exists.")],
  "{error, message}": [400, { error: "IntegrityError", message: `duplicate key violates unique constraint ${KEY}` }],
  "a 409": [409, { detail: "Conflict." }],
};
