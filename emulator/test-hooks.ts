// The test hooks under /__emulator/ (header TOKEN: <adminToken>): the tenant's state, fault injection, the request
// counter, the clock, and service accounts as Alation's /admin/auth/ page makes them. Never faulted, never counted.
import { allConfValues } from "./conf";
import { FaultPlan, parseFaultOptions } from "./faults";
import { HttpError, parseJsonBody, sendJson } from "./http";
import type { RequestContext, Route } from "./router";
import { createServiceAccount } from "./service-accounts";

export function testHookRoutes(): Route[] {
  return [
    { methods: ["GET"], pattern: "/__emulator/state", handle: testHook(showState) },
    { methods: ["GET", "PUT"], pattern: "/__emulator/faults", handle: testHook(faults) },
    { methods: ["GET", "DELETE"], pattern: "/__emulator/requests", handle: testHook(requests) },
    { methods: ["GET", "PUT"], pattern: "/__emulator/clock", handle: testHook(clock) },
    { methods: ["POST"], pattern: "/__emulator/service-accounts", handle: testHook(createServiceAccount) },
  ];
}

function testHook(handle: Route["handle"]): Route["handle"] {
  return async (ctx) => {
    const header = ctx.req.headers.token;
    const token = Array.isArray(header) ? header[0] : header;
    if (!token) throw new HttpError(401, { detail: "Authentication credentials were not provided." });
    if (!ctx.tenant.isAdminToken(token)) throw new HttpError(403, { detail: "Invalid token." });
    await handle(ctx);
  };
}

async function showState(ctx: RequestContext): Promise<void> {
  const state = ctx.tenant.store.state;
  const clients = Object.values(state.clients)
    .sort((a, b) => a.id - b.id)
    .map(({ id: _id, ...client }) => client);
  const serviceAccounts = Object.values(state.serviceAccounts).map(({ user_id: _user, ...account }) => account);
  sendJson(ctx.res, 200, { clients, serviceAccounts, conf: allConfValues(state.conf) });
}

async function faults(ctx: RequestContext): Promise<void> {
  if (ctx.method === "PUT") {
    try {
      ctx.tenant.faults = new FaultPlan(parseFaultOptions(parseJsonBody(ctx.req, await ctx.body())));
    } catch (err) {
      if (err instanceof HttpError) throw err;
      throw new HttpError(400, { detail: (err as Error).message });
    }
  }
  sendJson(ctx.res, 200, ctx.tenant.faults.options);
}

async function requests(ctx: RequestContext): Promise<void> {
  if (ctx.method === "DELETE") ctx.tenant.counts = { total: 0, byRoute: {}, connections: 0 };
  sendJson(ctx.res, 200, ctx.tenant.counts);
}

async function clock(ctx: RequestContext): Promise<void> {
  if (ctx.method === "PUT") {
    const body = parseJsonBody(ctx.req, await ctx.body()) as { offsetSeconds?: unknown };
    if (typeof body?.offsetSeconds !== "number" || !Number.isFinite(body.offsetSeconds)) {
      throw new HttpError(400, { offsetSeconds: ["A valid number is required."] });
    }
    ctx.tenant.clockOffsetMs = body.offsetSeconds * 1000;
  }
  sendJson(ctx.res, 200, {
    offsetSeconds: ctx.tenant.clockOffsetMs / 1000,
    now: new Date(ctx.tenant.now()).toISOString(),
  });
}
