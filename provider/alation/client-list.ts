// A tenant's list of OAuth clients, page after page. Its paging is undocumented (../shared/alation-api.md section 2):
// an `X-Next-Page` header where given, else `limit` and `skip` while full pages bring new clients.
import type { ApplicationRecord } from "../domain/application-store";
import type { AdminCalls } from "./admin-calls";
import { answerError, applicationFromAnswer, clientAnswerSchema, clientListSchema, listedClientId } from "./answers";
import type { HttpAnswer } from "./http";
import type { ClientApi } from "./tenant-api";

const PAGE_SIZE = 100;
const MAX_PAGES = 50;
/** Statuses by which a tenant says it does not serve a route at all (GET is not documented for these routes). */
export const ROUTE_NOT_SERVED = new Set([404, 405, 501]);

export type Unsupported = { status: "unsupported"; reason: string };

/** The clients a listing picked, and whether it read the last page; or the list is not served. */
export type ClientList = { status: "listed"; applications: ApplicationRecord[]; complete: boolean } | Unsupported;

export function unsupported(reason: string): Unsupported {
  return { status: "unsupported", reason };
}

export function isSuccess(answer: HttpAnswer): boolean {
  return answer.status >= 200 && answer.status < 300;
}

/**
 * The tenant's clients that `wanted` picks, following pages; `unsupported` where the tenant does not serve the list.
 * `wanted` sees each listed client as the tenant wrote it, so that only those it picks are parsed: a lookup costs
 * one parse, not one per client of the tenant. A client listed twice (pages that moved) counts as its last listing.
 * `complete`: the last page was read (not cut at MAX_PAGES).
 */
export async function listClients(
  calls: AdminCalls,
  origin: string,
  api: ClientApi,
  wanted: (item: Record<string, unknown>) => boolean,
): Promise<ClientList> {
  // Every client listed, in the order first listed (as the lookups have always found them), the picked parsed.
  const byId = new Map<string, ApplicationRecord | undefined>();
  let path = api.path;
  let query: Record<string, string | number> | undefined = { limit: PAGE_SIZE, skip: 0 };
  let complete = false;
  for (let page = 0; page < MAX_PAGES && !complete; page++) {
    const { answer, context } = await calls.call("GET", path, { query, retry: "idempotent" });
    if (ROUTE_NOT_SERVED.has(answer.status)) return unsupported(`GET ${api.path} answers ${answer.status}`);
    if (!isSuccess(answer)) throw answerError(context, answer);
    const list = clientListSchema.safeParse(answer.json);
    if (!list.success) return unsupported(`GET ${api.path} answers ${answer.status} without a list`);
    const before = byId.size;
    for (const item of list.data) {
      const clientId = listedClientId(item);
      if (clientId === undefined) continue;
      const parsed = wanted(item as Record<string, unknown>) ? clientAnswerSchema.safeParse(item) : undefined;
      byId.set(clientId, parsed?.success ? applicationFromAnswer(parsed.data) : undefined);
    }
    // Next page: the `X-Next-Page` header where given; else `skip` while full pages bring new clients (a
    // tenant that ignores limit/skip repeats the same page, which brings nothing new and ends the loop).
    const next = nextPage(answer, origin);
    if (next) {
      [path, query] = [next.path, next.query];
    } else if (list.data.length >= PAGE_SIZE && byId.size > before && query) {
      query = { ...query, skip: Number(query.skip ?? 0) + list.data.length };
    } else {
      complete = true;
    }
  }
  const applications = [...byId.values()].filter((application) => application !== undefined);
  return { status: "listed", applications, complete };
}

function nextPage(answer: HttpAnswer, origin: string): { path: string; query: Record<string, string> } | undefined {
  const header = answer.headers["x-next-page"];
  const value = Array.isArray(header) ? header[0] : header;
  if (!value) return undefined;
  const url = new URL(value, origin);
  if (url.origin !== origin) return undefined;
  return { path: url.pathname, query: Object.fromEntries(url.searchParams) };
}
