// The loopback-only endpoints under /__emulator/shell/ behind the stand-in shell commands: alation_conf's
// configuration values, and alation_django_shell's Application model (emulator/python/). Never faulted, never counted.
import { removeClient } from "./clients-api";
import { MODEL_DEFAULTS, readClientFields, type ClientFields, type FieldErrors } from "./client-rules";
import { allConfValues, isKnownConfKey, normaliseConfValue } from "./conf";
import { HttpError, fromLoopback, parseJsonBody, sendEmpty, sendJson } from "./http";
import type { RequestContext, Route } from "./router";
import type { ClientRecord, TenantState } from "./store";
import { randomToken } from "./tenant";

const SHELL = "/__emulator/shell";

export function shellEndpointRoutes(): Route[] {
  return [
    { methods: ["GET", "PUT"], pattern: `${SHELL}/conf/{key}`, handle: shellEndpoint(conf) },
    { methods: ["GET", "POST"], pattern: `${SHELL}/applications`, handle: shellEndpoint(applications) },
    { methods: ["PUT", "DELETE"], pattern: `${SHELL}/applications/{id}`, handle: shellEndpoint(application) },
  ];
}

function shellEndpoint(handle: Route["handle"]): Route["handle"] {
  return async (ctx) => {
    if (!fromLoopback(ctx.req)) throw new HttpError(403, { detail: "The shell endpoints answer only on loopback." });
    await handle(ctx);
  };
}

async function conf(ctx: RequestContext): Promise<void> {
  const key = ctx.params.key;
  if (!isKnownConfKey(key))
    throw new HttpError(404, { error: "KeyError", message: `Unknown configuration key: ${key}` });
  if (ctx.method === "PUT") {
    const body = parseJsonBody(ctx.req, await ctx.body()) as { value?: unknown };
    const result = normaliseConfValue(key, String(body?.value ?? ""));
    if ("error" in result) throw new HttpError(400, { error: "ValueError", message: result.error });
    await ctx.tenant.store.update((draft) => (draft.conf[key] = result.value));
  }
  sendJson(ctx.res, 200, { key, value: allConfValues(ctx.tenant.store.state.conf)[key] });
}

async function applications(ctx: RequestContext): Promise<void> {
  if (ctx.method === "GET") {
    sendJson(
      ctx.res,
      200,
      Object.values(ctx.tenant.store.state.clients).sort((a, b) => a.id - b.id),
    );
    return;
  }
  const record = await saveApplication(ctx, undefined);
  sendJson(ctx.res, 201, record);
}

async function application(ctx: RequestContext): Promise<void> {
  const pk = Number(ctx.params.id);
  if (!Number.isInteger(pk) || pk < 1)
    throw new HttpError(404, { error: "DoesNotExist", message: "Application matching query does not exist." });
  if (ctx.method === "PUT") {
    sendJson(ctx.res, 200, await saveApplication(ctx, pk));
    return;
  }
  await ctx.tenant.store.update((draft) => {
    const existing = Object.values(draft.clients).find((c) => c.id === pk);
    if (!existing)
      throw new HttpError(404, { error: "DoesNotExist", message: "Application matching query does not exist." });
    removeClient(draft, existing.client_id);
  });
  sendEmpty(ctx.res, 204);
}

/**
 * Inserts (pk undefined) or saves (upsert by pk, as Django's save() does) an application from the shell. Like a
 * Django model save it runs no validators: only types and the database's unique constraints are enforced.
 */
async function saveApplication(ctx: RequestContext, pk: number | undefined): Promise<ClientRecord> {
  const body = parseJsonBody(ctx.req, await ctx.body()) as Record<string, unknown>;
  if (typeof body !== "object" || body === null || Array.isArray(body))
    throw new HttpError(400, { error: "TypeError", message: "expected an object" });
  const { values, errors } = readClientFields(body, { api: false, create: pk === undefined });
  for (const key of ["client_id", "client_secret"]) {
    if (key in body && (typeof body[key] !== "string" || body[key] === "")) errors[key] = ["Not a valid string."];
  }
  throwValidation(errors);
  return ctx.tenant.store.update((draft) => {
    const existing = pk === undefined ? undefined : Object.values(draft.clients).find((c) => c.id === pk);
    const record: ClientRecord = {
      ...(existing ?? { ...MODEL_DEFAULTS, client_id: randomToken(), client_secret: randomToken() }),
      ...(values as Partial<ClientFields>),
      id: pk ?? draft.nextClientPk,
      ...(typeof body.client_id === "string" ? { client_id: body.client_id } : {}),
      ...(typeof body.client_secret === "string" ? { client_secret: body.client_secret } : {}),
    };
    checkUnique(draft, record);
    if (existing) delete draft.clients[existing.client_id];
    draft.nextClientPk = Math.max(draft.nextClientPk, record.id + 1);
    draft.clients[record.client_id] = record;
    return record;
  });
}

function checkUnique(draft: TenantState, record: ClientRecord): void {
  for (const other of Object.values(draft.clients)) {
    if (other.id === record.id) continue;
    for (const field of ["name", "client_id"] as const) {
      if (other[field] === record[field]) {
        throw new HttpError(409, {
          error: "IntegrityError",
          message: `duplicate key value violates unique constraint "api_authentication_application_${field}_key"`,
        });
      }
    }
  }
}

function throwValidation(errors: FieldErrors): void {
  if (Object.keys(errors).length > 0) {
    throw new HttpError(400, { error: "ValidationError", message: JSON.stringify(errors), fields: errors });
  }
}
