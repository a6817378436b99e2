// The OAuth client admin REST API: /integration/core/v1/oauth/clients/ (create, PATCH, DELETE, rotate-secret,
// and the undocumented GET of one client and of the list).
import { requireServerAdmin } from "./admin-auth";
import { readClientFields, withCreateDefaults, withCrossFieldErrors, type FieldErrors } from "./client-rules";
import { HttpError, parseJsonBody, sendEmpty, sendJson } from "./http";
import type { RequestContext, Route } from "./router";
import type { ClientRecord, TenantState } from "./store";
import { randomToken } from "./tenant";

const CLIENTS = "/integration/core/v1/oauth/clients/";
const DEFAULT_PAGE_SIZE = 100;

/** A client as the API shows it: everything but the secret (and the internal primary key). */
export function clientView(client: ClientRecord): Omit<ClientRecord, "id" | "client_secret"> {
  return {
    client_id: client.client_id,
    name: client.name,
    client_type: client.client_type,
    redirect_uris: client.redirect_uris,
    access_token_expiry: client.access_token_expiry,
    refresh_token_expiry: client.refresh_token_expiry,
    pkce_required: client.pkce_required,
    jwt_required: client.jwt_required,
    is_active: client.is_active,
    internal_application: client.internal_application,
  };
}

export function clientRoutes(documentedOnly: boolean): Route[] {
  const list: Route["handle"] = documentedOnly ? undocumented : listClients;
  const read: Route["handle"] = documentedOnly ? undocumented : readClient;
  return [
    { methods: ["POST", "GET"], pattern: CLIENTS, handle: (ctx) => (ctx.method === "POST" ? createClient(ctx) : list(ctx)) },
    {
      methods: ["GET", "PATCH", "DELETE"],
      pattern: `${CLIENTS}{client_id}/`,
      handle: (ctx) => (ctx.method === "GET" ? read(ctx) : ctx.method === "PATCH" ? updateClient(ctx) : deleteClient(ctx)),
    },
    { methods: ["POST"], pattern: `${CLIENTS}{client_id}/rotate-secret/`, handle: rotateSecret },
  ];
}

async function createClient(ctx: RequestContext): Promise<void> {
  await requireServerAdmin(ctx);
  const body = objectBody(parseJsonBody(ctx.req, await ctx.body()));
  const { values, errors } = readClientFields(body, { api: true, create: true });
  const created = await ctx.tenant.store.update((draft) => {
    const fields = withCreateDefaults(values);
    throwIfErrors(withCrossFieldErrors(errors, fields, Object.values(draft.clients)));
    const client: ClientRecord = { id: draft.nextClientPk++, client_id: randomToken(), client_secret: randomToken(), ...fields };
    draft.clients[client.client_id] = client;
    return client;
  });
  sendJson(ctx.res, 201, { ...clientView(created), client_secret: created.client_secret });
}

async function updateClient(ctx: RequestContext): Promise<void> {
  await requireServerAdmin(ctx);
  const clientId = ctx.params.client_id;
  existingClient(ctx.tenant.store.state, clientId);
  const body = objectBody(parseJsonBody(ctx.req, await ctx.body()));
  const { values, errors } = readClientFields(body, { api: true, create: false });
  const updated = await ctx.tenant.store.update((draft) => {
    const current = existingClient(draft, clientId);
    const merged: ClientRecord = { ...current, ...values };
    const others = Object.values(draft.clients).filter((c) => c.client_id !== clientId);
    throwIfErrors(withCrossFieldErrors(errors, { ...values, client_type: merged.client_type, pkce_required: merged.pkce_required }, others));
    draft.clients[clientId] = merged;
    return merged;
  });
  sendJson(ctx.res, 200, clientView(updated));
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

async function rotateSecret(ctx: RequestContext): Promise<void> {
  await requireServerAdmin(ctx);
  const clientId = ctx.params.client_id;
  const rotated = await ctx.tenant.store.update((draft) => {
    const client = existingClient(draft, clientId);
    client.client_secret = randomToken();
    return client;
  });
  sendJson(ctx.res, 200, { ...clientView(rotated), client_secret: rotated.client_secret });
}

async function readClient(ctx: RequestContext): Promise<void> {
  await requireServerAdmin(ctx);
  sendJson(ctx.res, 200, clientView(existingClient(ctx.tenant.store.state, ctx.params.client_id)));
}

/** The list, paginated with limit/skip; X-Next-Page names the next page when there is one. */
async function listClients(ctx: RequestContext): Promise<void> {
  await requireServerAdmin(ctx);
  const limit = pageNumber(ctx.query.get("limit"), DEFAULT_PAGE_SIZE, 1);
  const skip = pageNumber(ctx.query.get("skip"), 0, 0);
  const all = Object.values(ctx.tenant.store.state.clients).sort((a, b) => a.id - b.id);
  const headers: Record<string, string> = {};
  if (skip + limit < all.length) headers["X-Next-Page"] = `${CLIENTS}?limit=${limit}&skip=${skip + limit}`;
  sendJson(ctx.res, 200, all.slice(skip, skip + limit).map(clientView), headers);
}

async function undocumented(ctx: RequestContext): Promise<void> {
  await requireServerAdmin(ctx);
  throw new HttpError(405, { detail: `Method "${ctx.method}" not allowed.` });
}

/** Deletes a client and every token issued to it. */
export function removeClient(draft: TenantState, clientId: string): void {
  delete draft.clients[clientId];
  delete draft.serviceTokenIds[clientId];
  for (const [token, stored] of Object.entries(draft.tokens)) if (stored.client_id === clientId) delete draft.tokens[token];
}

function existingClient(state: TenantState, clientId: string): ClientRecord {
  const client = Object.prototype.hasOwnProperty.call(state.clients, clientId) ? state.clients[clientId] : undefined;
  if (!client) throw new HttpError(404, { detail: "Not found." });
  return client;
}

function objectBody(body: unknown): Record<string, unknown> {
  if (typeof body !== "object" || body === null || Array.isArray(body)) {
    const got = Array.isArray(body) ? "list" : body === null ? "NoneType" : typeof body === "string" ? "str" : typeof body;
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
