// Answers of Alation's admin API in each error shape seen in its SDKs (../shared/alation-api.md section 2), for
// scripted tenants: Alation's own {"code", "title", "detail", "errors"}, DRF's, {"error", "message"}, and a 409; and
// what a tenant shows without a credential (its OpenAPI document), so that the provider's probe finds Alation there.
import { openApiDocument, type ApiGenerationMode } from "../../emulator";
import { OPENAPI_PATH } from "../../provider/alation";

/**
 * What an Alation tenant serving `generation` answers to a request without a credential that the provider's probe
 * makes (its OpenAPI document, as the emulator serves it); undefined for any other request.
 */
export function alationDiscoveryAnswer(
  method: string,
  path: string,
  generation: ApiGenerationMode,
): Record<string, unknown> | undefined {
  const bare = path.split("?")[0];
  const isDocument = bare === OPENAPI_PATH || bare === OPENAPI_PATH.slice(0, -1);
  return method === "GET" && isDocument ? openApiDocument({ apiGeneration: generation }) : undefined;
}

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
