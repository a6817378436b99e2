// The HTTP server of one emulated tenant: dispatch, request counts, fault injection, and the guards that keep a
// bad request from crashing it (errors become answers; slow clients time out).
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { clientRoutes } from "./clients-api";
import type { Fault } from "./faults";
import { HttpError, sendJson, sendText } from "./http";
import { legacyTokenRoutes } from "./legacy-tokens";
import { mcpRoutes } from "./mcp";
import { metadataRoutes } from "./metadata";
import { oauthRoutes } from "./oauth";
import { openApiRoutes } from "./openapi";
import { Router, requestContext } from "./router";
import { shellEndpointRoutes } from "./shell-endpoints";
import { StoreWriteError } from "./store";
import type { Tenant } from "./tenant";
import { testHookRoutes } from "./test-hooks";

const HOOK_PREFIX = "/__emulator/";
const DEFAULT_REQUEST_TIMEOUT_MS = 30000;

/** Starts serving `tenant`; resolves with the server once it listens (tenant.baseUrl is then set). */
export async function serveTenant(tenant: Tenant, port: number, host: string): Promise<http.Server> {
  const router = new Router([
    ...clientRoutes(tenant.options),
    ...legacyTokenRoutes(),
    ...oauthRoutes(),
    ...metadataRoutes(),
    ...openApiRoutes(tenant.options),
    ...mcpRoutes(tenant.options),
  ]);
  const hooks = new Router([...testHookRoutes(), ...shellEndpointRoutes()]);
  const requestTimeout = tenant.options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  const server = http.createServer({
    requestTimeout,
    headersTimeout: requestTimeout,
    // How often Node checks the two timeouts above; small so that a short test timeout is honoured.
    connectionsCheckingInterval: Math.min(1000, requestTimeout),
  });
  server.keepAliveTimeout = 5000;
  server.on("connection", () => tenant.counts.connections++);
  server.on("clientError", (err: NodeJS.ErrnoException, socket) => {
    const status =
      err.code === "ERR_HTTP_REQUEST_TIMEOUT"
        ? "408 Request Timeout"
        : err.code === "HPE_HEADER_OVERFLOW"
          ? "431 Request Header Fields Too Large"
          : "400 Bad Request";
    if (socket.writable) socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
    else socket.destroy();
  });
  server.on("request", (req, res) => {
    dispatch(tenant, router, hooks, req, res).catch((err) => {
      tenant.log(`internal error: ${(err as Error).message}`);
      if (!res.headersSent) sendJson(res, 500, { detail: "Internal server error." });
      else res.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    // The message says it in one line; the code stays for callers that react to it (the quick start's EADDRINUSE).
    const refuse = (err: NodeJS.ErrnoException) =>
      reject(Object.assign(new Error(listenProblem(port, host, err)), { code: err.code }));
    server.once("error", refuse);
    server.listen(port, host, () => {
      server.off("error", refuse);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const hostInUrl = address.family === "IPv6" ? `[${address.address}]` : address.address;
  tenant.baseUrl = `http://${hostInUrl}:${address.port}`;
  return server;
}

const ANY_PORT = "(0 picks a free one)";

/** Why the server cannot listen on `host`:`port`, with the fix, in one line. */
function listenProblem(port: number, host: string, err: NodeJS.ErrnoException): string {
  const reason = err.code ?? err.message;
  switch (err.code) {
    case "EADDRINUSE":
      return (
        `port ${port} on ${host} is already in use (${reason}): stop what listens there, or choose another port ` +
        ANY_PORT
      );
    case "EACCES":
      return `port ${port} on ${host} may not be used by this user (${reason}): choose a port above 1023 ${ANY_PORT}`;
    case "ENOTFOUND":
    case "EAI_AGAIN":
    case "EADDRNOTAVAIL":
      return (
        `host ${host} is not an address of this machine (${reason}): ` +
        "use 127.0.0.1 (the default) or one of its addresses"
      );
    default:
      return `cannot listen on ${host} port ${port} (${err.message}): check the host and port`;
  }
}

async function dispatch(
  tenant: Tenant,
  router: Router,
  hooks: Router,
  req: http.IncomingMessage,
  res: http.ServerResponse,
): Promise<void> {
  const started = Date.now();
  const method = req.method ?? "GET";
  const url = new URL(req.url ?? "/", "http://emulator.invalid");
  const path = url.pathname;
  const isHook = path.startsWith(HOOK_PREFIX);
  res.on("finish", () => tenant.log(`${method} ${path} ${res.statusCode} ${Date.now() - started}ms`));

  const match = (isHook ? hooks : router).match(method, path);
  if (!isHook) {
    const routeName =
      match.kind === "found"
        ? `${method} ${match.route.pattern}`
        : match.kind === "method-not-allowed"
          ? `${method} ${match.pattern}`
          : `${method} ${path}`;
    tenant.counts.total++;
    tenant.counts.byRoute[routeName] = (tenant.counts.byRoute[routeName] ?? 0) + 1;
    const fault = tenant.faults.pick(`${method} ${path}`);
    if (fault && (await applyFault(tenant, fault, req, res))) return;
  }

  try {
    if (match.kind === "not-found") throw new HttpError(404, { detail: "Not found." });
    if (match.kind === "method-not-allowed") {
      throw new HttpError(
        405,
        { detail: `Method "${method}" not allowed.` },
        { Allow: [...new Set(match.allowed)].join(", ") },
      );
    }
    answerInTime(tenant, req, res, `${method} ${path}`);
    await match.route.handle(requestContext(req, res, tenant, url, match.params));
  } catch (err) {
    if (res.headersSent || res.destroyed) {
      if (!res.writableEnded) res.destroy(); // an answer cut short cannot be mended
      return;
    }
    if (err instanceof HttpError) {
      sendJson(res, err.status, err.body, err.headers);
      return;
    }
    if (err instanceof StoreWriteError) {
      tenant.log(`${method} ${path}: ${err.message}`);
      sendJson(res, 503, { detail: `The emulator could not save this request: ${err.message}.` });
      return;
    }
    // (req.destroyed is true as soon as a body was read in full: only the socket tells that the client left.)
    if (req.socket.destroyed) return; // the client went away mid-body: nobody to answer
    throw err;
  }
}

/**
 * Answers 503 if the handler has not answered within the request time limit, counted from when the request has
 * fully arrived (until then Node's own requestTimeout applies, with its 408). A late handler's answer is dropped.
 */
function answerInTime(tenant: Tenant, req: http.IncomingMessage, res: http.ServerResponse, route: string): void {
  const limitMs = tenant.options.requestTimeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  const arm = () => {
    if (res.writableEnded || res.destroyed) return;
    const timer = setTimeout(() => {
      if (res.headersSent || res.destroyed) return;
      tenant.log(`${route}: no answer within ${limitMs} ms`);
      const detail = `The emulator did not finish this request within ${limitMs} ms; it may or may not be applied.`;
      sendJson(res, 503, { detail });
    }, limitMs).unref();
    res.once("close", () => clearTimeout(timer));
  };
  if (req.complete) arm();
  else req.once("end", arm);
}

/** Applies a fault; true when the request is finished (answered or dropped). */
async function applyFault(
  tenant: Tenant,
  fault: Fault,
  req: http.IncomingMessage,
  res: http.ServerResponse,
): Promise<boolean> {
  tenant.log(`fault ${fault.kind} on ${req.method} ${req.url?.split("?")[0]}`);
  switch (fault.kind) {
    case "latency":
      await new Promise((resolve) => setTimeout(resolve, fault.latencyMs));
      return false;
    case "drop":
      req.socket.destroy();
      return true;
    case "drop-after-write":
      loseAnswer(res);
      return false;
    case "429":
      req.resume();
      sendJson(
        res,
        429,
        { detail: `Request was throttled. Expected available in ${fault.retryAfterSeconds} seconds.` },
        { "Retry-After": String(fault.retryAfterSeconds) },
      );
      return true;
    default: {
      // 500 from Django, 502/503 from the load balancer in front: HTML bodies, as real ones are.
      req.resume();
      const status = Number(fault.kind);
      const title =
        status === 500
          ? "Server Error (500)"
          : status === 502
            ? "502 Bad Gateway"
            : "503 Service Temporarily Unavailable";
      sendText(
        res,
        status,
        `<html><head><title>${title}</title></head><body><h1>${title}</h1></body></html>\n`,
        "text/html; charset=utf-8",
      );
      return true;
    }
  }
}

/** The request is served (its writes applied), then the connection is cut instead of answering. */
function loseAnswer(res: http.ServerResponse): void {
  const cut = (): http.ServerResponse => {
    res.socket?.destroy();
    return res;
  };
  res.writeHead = cut as unknown as typeof res.writeHead;
  res.write = (() => true) as unknown as typeof res.write;
  res.end = cut as unknown as typeof res.end;
}
