// The tenant's OpenAPI document of its OAuth 2 APIs at `/openapi/oauth2/` (tenants from 2025.3.3,
// ../shared/alation-api.md section 2): the one source that says which generation of the client admin API a tenant
// serves. Its real shape is not public; this one is a plausible OpenAPI 3 document (the client admin paths under the
// tag "OAuth Client Administration", as agent-studio-docs name it, with the fields in the generation's names). Served
// without a credential: an assumption (Django's schema views are public unless configured otherwise).
import { apiName, CLIENTS_PREFIX, notRoutedPaths, servedGenerations } from "./api-generations";
import { DOCUMENTED_FIELD_NAMES, FIELD_SPECS, type FieldSpec } from "./client-rules";
import { sendJson } from "./http";
import type { Route } from "./router";
import type { ApiGeneration, EmulatorOptions } from "./types";

export const OPENAPI_PATH = "/openapi/oauth2/";
const TAG = "OAuth Client Administration";

type Options = Pick<EmulatorOptions, "apiGeneration" | "openApi" | "documentedOnly">;

/** The document's route, or Django's 404 page where the tenant serves none. */
export function openApiRoutes(options: Options): Route[] {
  if (options.openApi === false) return notRoutedPaths(OPENAPI_PATH, [""]);
  const document = openApiDocument(options);
  return [{ methods: ["GET"], pattern: OPENAPI_PATH, handle: async (ctx) => sendJson(ctx.res, 200, document) }];
}

/** The document of a tenant with these options. */
export function openApiDocument(options: Options): Record<string, unknown> {
  const generations = servedGenerations(options.apiGeneration);
  const paths: Record<string, unknown> = {
    "/oauth/v1/token/": { post: { tags: ["OAuth 2"], summary: "Token endpoint", responses: { 200: ok() } } },
  };
  const schemas: Record<string, unknown> = {};
  for (const generation of generations) {
    const schema = `OAuthClient${generation.toUpperCase()}`;
    schemas[schema] = { type: "object", properties: properties(generation), required: ["name", "client_type"] };
    Object.assign(paths, clientPaths(generation, schema, rotates(generation, options)));
  }
  return {
    openapi: "3.0.3",
    info: { title: "Alation OAuth 2", version: "1.0.0" },
    paths,
    components: { schemas },
  };
}

/** Whether a generation's tenant rotates secrets: A always (documented); B unless only documented routes are served. */
export function rotates(generation: ApiGeneration, options: Pick<EmulatorOptions, "documentedOnly">): boolean {
  return generation === "a" || !options.documentedOnly;
}

function clientPaths(generation: ApiGeneration, schema: string, rotation: boolean): Record<string, unknown> {
  const prefix = CLIENTS_PREFIX[generation];
  const body = { content: { "application/json": { schema: { $ref: `#/components/schemas/${schema}` } } } };
  const operation = (summary: string, extra: Record<string, unknown> = {}) => ({
    tags: [TAG],
    summary,
    ...extra,
    responses: { 200: ok() },
  });
  const clientId = [{ name: "client_id", in: "path", required: true, schema: { type: "string" } }];
  const paths: Record<string, unknown> = {
    [prefix]: { get: operation("List clients"), post: operation("Create a client", { requestBody: body }) },
    [`${prefix}{client_id}/`]: {
      parameters: clientId,
      get: operation("Read a client"),
      patch: operation("Update a client", { requestBody: body }),
      delete: operation("Delete a client"),
    },
  };
  if (rotation) paths[`${prefix}{client_id}/rotate-secret/`] = { parameters: clientId, post: operation("Rotate") };
  return paths;
}

function properties(generation: ApiGeneration): Record<string, unknown> {
  const byKind: Record<FieldSpec["kind"], Record<string, unknown>> = {
    string: { type: "string" },
    "client-type": { type: "string", enum: ["confidential", "public"] },
    "uri-list": { type: "array", items: { type: "string", format: "uri" } },
    integer: { type: "integer" },
    boolean: { type: "boolean" },
  };
  return Object.fromEntries(
    DOCUMENTED_FIELD_NAMES.map((name) => {
      const { kind, min, max } = FIELD_SPECS[name];
      return [apiName(generation, name), { ...byKind[kind], minimum: min, maximum: max }];
    }),
  );
}

function ok(): Record<string, unknown> {
  return { description: "OK" };
}
