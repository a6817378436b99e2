// Small HTTP helpers shared by the emulator's routes: answers, bodies with a size cap, content types, Basic auth.
import type { IncomingMessage, ServerResponse } from "node:http";

/** An answer a handler gives up with; the dispatcher sends it. */
export class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly body: unknown,
    readonly headers: Record<string, string> = {},
  ) {
    super(`HTTP ${status}`);
  }
}

/** The largest request body the tenant reads; larger ones get 413. */
export const MAX_BODY_BYTES = 1024 * 1024;
/** Past this, a too-large body is not even drained: the connection is cut. */
const MAX_DRAIN_BYTES = 16 * MAX_BODY_BYTES;

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  const text = JSON.stringify(body);
  res.writeHead(status, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(text), ...headers });
  res.end(text);
}

export function sendText(
  res: ServerResponse,
  status: number,
  text: string,
  contentType = "text/plain; charset=utf-8",
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { "Content-Type": contentType, "Content-Length": Buffer.byteLength(text), ...headers });
  res.end(text);
}

export function sendEmpty(res: ServerResponse, status: number, headers: Record<string, string> = {}): void {
  res.writeHead(status, headers);
  res.end();
}

/**
 * Reads the whole body, at most MAX_BODY_BYTES. A larger body is drained (so the client can read the 413) up to a
 * bound, past which the connection is cut.
 */
export function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let tooLarge = false;
    req.on("data", (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_DRAIN_BYTES) {
        req.socket.destroy();
        return;
      }
      if (size > MAX_BODY_BYTES) tooLarge = true;
      if (!tooLarge) chunks.push(chunk);
    });
    req.on("end", () => {
      if (tooLarge) {
        reject(
          new HttpError(
            413,
            { detail: `Request body too large (limit ${MAX_BODY_BYTES} bytes).` },
            { Connection: "close" },
          ),
        );
      } else {
        resolve(Buffer.concat(chunks));
      }
    });
    req.on("error", reject);
    req.on("close", () => reject(new Error("the client closed the connection before the body ended")));
  });
}

/** The media type of a request, lower case, without parameters ("" when absent). */
export function mediaType(req: IncomingMessage): string {
  return (req.headers["content-type"] ?? "").split(";")[0].trim().toLowerCase();
}

/** A JSON body as Django REST framework's JSON parser reads it: an empty body is {}, other media types are 415. */
export function parseJsonBody(req: IncomingMessage, body: Buffer): unknown {
  if (body.length === 0) return {};
  const type = mediaType(req);
  if (type !== "application/json" && !type.endsWith("+json")) {
    throw new HttpError(415, { detail: `Unsupported media type "${type || "none"}" in request.` });
  }
  try {
    // Strict, as DRF decodes: bytes that are not UTF-8 are refused, not turned into U+FFFD and stored.
    return JSON.parse(STRICT_UTF8.decode(body));
  } catch (err) {
    const reason = err instanceof TypeError ? "the body is not valid UTF-8" : (err as Error).message;
    throw new HttpError(400, { detail: `JSON parse error - ${reason}` });
  }
}

const STRICT_UTF8 = new TextDecoder("utf-8", { fatal: true });

/** A form-encoded body (an empty or differently typed body gives no parameters). */
export function parseFormBody(req: IncomingMessage, body: Buffer): URLSearchParams {
  if (mediaType(req) !== "application/x-www-form-urlencoded") return new URLSearchParams();
  return new URLSearchParams(body.toString("utf8"));
}

/** HTTP Basic credentials, if the request carries them (undefined when absent or malformed). */
export function basicCredentials(req: IncomingMessage): { username: string; password: string } | undefined {
  const header = req.headers.authorization ?? "";
  const match = /^Basic\s+(\S+)\s*$/i.exec(header);
  if (!match) return undefined;
  const decoded = Buffer.from(match[1], "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon < 0) return undefined;
  return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

/** The bearer token of a request, if any. */
export function bearerToken(req: IncomingMessage): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? "");
  return match ? match[1] : undefined;
}

/** Escapes text for HTML pages. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** Whether a request comes from this machine. */
export function fromLoopback(req: IncomingMessage): boolean {
  const address = req.socket.remoteAddress ?? "";
  return address === "127.0.0.1" || address === "::1" || address === "::ffff:127.0.0.1";
}
