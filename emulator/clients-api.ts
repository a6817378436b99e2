// The OAuth client admin REST API in the generation(s) the tenant serves (api-generations.ts): create, PATCH, DELETE,
// rotate-secret, and the undocumented GET of one client and of the list, under each generation's prefix and names.
import { STATUS_CODES } from "node:http";
import { requireServerAdmin } from "./admin-auth";
import { CLIENTS_PREFIX, notRoutedPaths, servedGenerations, withApiNames } from "./api-generations";
import {
  DOCUMENTED_FIELD_NAMES,
  readClientFields,
  withCreateDefaults,
  withCrossFieldErrors,
  type FieldErrors,
} from "./client-rules";
import { HttpError, parseJsonBody, sendEmpty, sendJson } from "./http";
import type { RequestContext, Route } from "./router";
import type { ClientRecord, TenantState } from "./store";
import { rotates } from "./openapi";
import { randomToken } from "./tenant";
import type { ApiGeneration, EmulatorOptions } from "./types";

const DEFAULT_PAGE_SIZE = 100;
const ITEM = "{client_id}/";
const ROTATE = "{client_id}/rotate-secret/";

/**
 * A client as the API shows it: everything but the secret (and the internal primary key); a strict tenant shows only
 * the documented fields.
 */
export function clientView(client: ClientRecord, strict = false): Partial<ClientRecord> {
  const { id: _id, client_secret: _secret, ...view } = client;
  if (!strict) return view;
  const shown = (name: string): boolean => name === "client_id" || (DOCUMENTED_FIELD_NAMES as string[]).includes(name);
  return Object.fromEntries(Object.entries(view).filter(([name]) => shown(name)));
}

/** A client as this generation of the tenant's API shows it. */
function viewFor(ctx: RequestContext, client: ClientRecord, generation: ApiGeneration): Record<string, unknown> {
  return withApiNames(generation, clientView(client, ctx.tenant.options.strictFields));
}

type Options = Pick<EmulatorOptions, "documentedOnly" | "apiGeneration">;

/**
 * The routes of the admin API, for a tenant with these options: each served generation's, and Django's 404 page for
 * the other's paths.
 */
export function clientRoutes(options: Options): Route[] {
  const served = servedGenerations(options.apiGeneration);
  return (["a", "b"] as const).flatMap((generation) =>
    served.includes(generation)
      ? generationRoutes(generation, options)
      : notRoutedPaths(CLIENTS_PREFIX[generation], ["", ITEM, ROTATE]),
  );
}

function generationRoutes(generation: ApiGeneration, options: Options): Route[] {
  const prefix = CLIENTS_PREFIX[generation];
  const list = options.documentedOnly ? undocumented : listClients;
  const read = options.documentedOnly ? undocumented : readClient;
  const routes: Route[] = [
    {
      methods: ["POST", "GET"],
      pattern: prefix,
      handle: (ctx) => (ctx.method === "POST" ? createClient(ctx, generation) : list(ctx, generation)),
    },
    {
      methods: ["GET", "PATCH", "DELETE"],
      pattern: prefix + ITEM,
      handle: (ctx) =>
        ctx.method === "GET"
          ? read(ctx, generation)
          : ctx.method === "PATCH"
            ? updateClient(ctx, generation)
            : deleteClient(ctx),
    },
  ];
  if (rotates(generation, options)) {
    routes.push({ methods: ["POST"], pattern: prefix + ROTATE, handle: (ctx) => rotateSecret(ctx, generation) });
  }
  const shaped = routes.map((route) => ({ ...route, handle: inAlationShape(route.handle) }));
  return rotates(generation, options) ? shaped : [...shaped, ...notRoutedPaths(prefix, [ROTATE])];
}

/**
 * Errors of the admin API in Alation's own shape, `{"code", "title", "detail", "errors"}` (Allie-SDK's `_log_error`,
 * ../shared/alation-api.md section 2): `code` is the status and three digits (Alation's API error codes, e.g.
 * 400000 BAD_REQUEST), `errors` DRF's field errors of a refused body (the nesting of `errors` varies by endpoint
 * in Alation; this one is an assumption).
 */
function inAlationShape(handle: Route["handle"]): Route["handle"] {
  return async (ctx) => {
    try {
      await handle(ctx);
    } catch (err) {
      if (!(err instanceof HttpError) || typeof err.body !== "object" || err.body === null) throw err;
      const body = err.body as Record<string, unknown>;
      const onlyDetail = typeof body.detail === "string" && Object.keys(body).length === 1;
      const shaped = {
        code: `${err.status}000`,
        title: STATUS_CODES[err.status] ?? "Error",
        detail: onlyDetail ? body.detail : "Invalid request",
        ...(onlyDetail ? {} : { errors: body }),
      };
      throw new HttpError(err.status, shaped, err.headers);
    }
  };
}

async function createClient(ctx: RequestContext, generation: ApiGeneration): Promise<void> {
  await requireServerAdmin(ctx);
  const { values, errors } = await readBody(ctx, generation, true);
  const created = await ctx.tenant.store.update((draft) => {
    const fields = withCreateDefaults(values);
    throwIfErrors(withCrossFieldErrors(errors, fields, Object.values(draft.clients), generation));
    const client: ClientRecord = {
      id: draft.nextClientPk++,
      client_id: randomToken(),
      client_secret: randomToken(),
      ...fields,
    };
    draft.clients[client.client_id] = client;
    return client;
  });
  sendJson(ctx.res, 201, { ...viewFor(ctx, created, generation), client_secret: created.client_secret });
}

/** A create or update body's fields, read as `generation` names them. */
async function readBody(ctx: RequestContext, generation: ApiGeneration, create: boolean) {
  const body = objectBody(parseJsonBody(ctx.req, await ctx.body()));
  const { strictFields: strict, webRedirectUrisOnly } = ctx.tenant.options;
  return readClientFields(body, { api: true, create, strict, webRedirectUrisOnly, generation });
}

async function updateClient(ctx: RequestContext, generation: ApiGeneration): Promise<void> {
  await requireServerAdmin(ctx);
  const clientId = ctx.params.client_id;
  existingClient(ctx.tenant.store.state, clientId);
  const { values, errors } = await readBody(ctx, generation, false);
  const updated = await ctx.tenant.store.update((draft) => {
    const current = existingClient(draft, clientId);
    const merged: ClientRecord = { ...current, ...values };
    const others = Object.values(draft.clients).filter((c) => c.client_id !== clientId);
    throwIfErrors(
      withCrossFieldErrors(
        errors,
        { ...values, client_type: merged.client_type, pkce_required: merged.pkce_required },
        others,
        generation,
      ),
    );
    draft.clients[clientId] = merged;
    return merged;
  });
  sendJson(ctx.res, 200, viewFor(ctx, updated, generation));
}

async function deleteClient(ctx: RequestContext): Promise<void> {
  await requireServerAdmin(ctx);
  const clientId = ctx.params.client_id;
  await ctx.tenant.store.update((draft) => {
    existingClient(draft, clientId);
    removeClient(draft, clientId);
  });
  sendEmpty(ctx.res, 204);
}

async function rotateSecret(ctx: RequestContext, generation: ApiGeneration): Promise<void> {
  await requireServerAdmin(ctx);
  const clientId = ctx.params.client_id;
  const rotated = await ctx.tenant.store.update((draft) => {
    const client = existingClient(draft, clientId);
    client.client_secret = randomToken();
    return client;
  });
  sendJson(ctx.res, 200, { ...viewFor(ctx, rotated, generation), client_secret: rotated.client_secret });
}

async function readClient(ctx: RequestContext, generation: ApiGeneration): Promise<void> {
  await requireServerAdmin(ctx);
  sendJson(ctx.res, 200, viewFor(ctx, existingClient(ctx.tenant.store.state, ctx.params.client_id), generation));
}

/** The list, paginated with limit/skip; X-Next-Page names the next page when there is one. */
async function listClients(ctx: RequestContext, generation: ApiGeneration): Promise<void> {
  await requireServerAdmin(ctx);
  const limit = pageNumber(ctx.query.get("limit"), DEFAULT_PAGE_SIZE, 1);
  const skip = pageNumber(ctx.query.get("skip"), 0, 0);
  const all = Object.values(ctx.tenant.store.state.clients).sort((a, b) => a.id - b.id);
  const headers: Record<string, string> = {};
  const next = `${CLIENTS_PREFIX[generation]}?limit=${limit}&skip=${skip + limit}`;
  if (skip + limit < all.length) headers["X-Next-Page"] = next;
  sendJson(
    ctx.res,
    200,
    all.slice(skip, skip + limit).map((client) => viewFor(ctx, client, generation)),
    headers,
  );
}

async function undocumented(ctx: RequestContext): Promise<void> {
  await requireServerAdmin(ctx);
  throw new HttpError(405, { detail: `Method "${ctx.method}" not allowed.` });
}

/** Deletes a client and every token issued to it. */
export function removeClient(draft: TenantState, clientId: string): void {
  delete draft.clients[clientId];
  for (const [token, stored] of Object.entries(draft.tokens))
    if (stored.client_id === clientId) delete draft.tokens[token];
}

function existingClient(state: TenantState, clientId: string): ClientRecord {
  const client = Object.prototype.hasOwnProperty.call(state.clients, clientId) ? state.clients[clientId] : undefined;
  if (!client) throw new HttpError(404, { detail: "Not found." });
  return client;
}

function objectBody(body: unknown): Record<string, unknown> {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    const got = Array.isArray(body)
      ? "list"
      : body === null
        ? "NoneType"
        : typeof body === "string"
          ? "str"
          : typeof body;
    throw new HttpError(400, { non_field_errors: [`Invalid data. Expected a dictionary, but got ${got}.`] });
  }
  return body as Record<string, unknown>;
}

function throwIfErrors(errors: FieldErrors): void {
  if (Object.keys(errors).length > 0) throw new HttpError(400, errors);
}

function pageNumber(text: string | null, fallback: number, min: number): number {
  const n = text === null ? fallback : Number(text);
  if (!Number.isInteger(n) || n < min) throw new HttpError(400, { detail: `Invalid page parameter: ${text}` });
  return n;
}
