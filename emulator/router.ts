// Routes: a path pattern with {params}, the methods it answers, and the handler. Django-style trailing slashes:
// a route accepts its path with or without the final slash unless it says otherwise.
import type { IncomingMessage, ServerResponse } from "node:http";
import { readBody } from "./http";
import type { Tenant } from "./tenant";

/** What a handler gets for one request. */
export interface RequestContext {
  req: IncomingMessage;
  res: ServerResponse;
  tenant: Tenant;
  method: string;
  path: string;
  query: URLSearchParams;
  /** The {params} of the route pattern, URL-decoded. */
  params: Record<string, string>;
  /** The request body (read once, at most 1 MiB, else 413). */
  body(): Promise<Buffer>;
}

export interface Route {
  methods: string[];
  /** e.g. "/integration/core/v1/oauth/clients/{client_id}/"; also names the route in request counts. */
  pattern: string;
  /** The trailing slash must be exactly as in `pattern` (default: optional). */
  exactSlash?: boolean;
  handle(ctx: RequestContext): Promise<void>;
}

interface CompiledRoute extends Route {
  regex: RegExp;
  paramNames: string[];
}

/** What the router found for a path. */
export type RouteMatch =
  | { kind: "found"; route: Route; params: Record<string, string> }
  | { kind: "method-not-allowed"; pattern: string; allowed: string[] }
  | { kind: "not-found" };

export class Router {
  private readonly routes: CompiledRoute[];

  constructor(routes: Route[]) {
    this.routes = routes.map((route) => compile(route));
  }

  match(method: string, path: string): RouteMatch {
    const allowed: string[] = [];
    let pattern = "";
    for (const route of this.routes) {
      const m = route.regex.exec(path);
      if (!m) continue;
      if (route.methods.includes(method)) {
        const params: Record<string, string> = {};
        route.paramNames.forEach((name, i) => (params[name] = safeDecode(m[i + 1])));
        return { kind: "found", route, params };
      }
      allowed.push(...route.methods);
      pattern = route.pattern;
    }
    return allowed.length > 0 ? { kind: "method-not-allowed", pattern, allowed } : { kind: "not-found" };
  }
}

function compile(route: Route): CompiledRoute {
  const paramNames: string[] = [];
  let source = route.pattern.replace(/[.*+?^$()|[\]\\]/g, "\\$&").replace(/\{(\w+)\}/g, (_m, name: string) => {
    paramNames.push(name);
    return "([^/]+)";
  });
  if (!route.exactSlash && source.endsWith("/") && source.length > 1) source = `${source.slice(0, -1)}/?`;
  return { ...route, regex: new RegExp(`^${source}$`), paramNames };
}

function safeDecode(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** Builds the context of one request. */
export function requestContext(
  req: IncomingMessage,
  res: ServerResponse,
  tenant: Tenant,
  url: URL,
  params: Record<string, string>,
): RequestContext {
  let body: Promise<Buffer> | undefined;
  return {
    req,
    res,
    tenant,
    method: req.method ?? "GET",
    path: url.pathname,
    query: url.searchParams,
    params,
    body: () => (body = body ?? readBody(req)),
  };
}
