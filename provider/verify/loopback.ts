// The verifier's loopback redirect endpoint (RFC 8252 section 7.3): a listener on 127.0.0.1 only (section 8.3),
// started for one login, that takes the first request to /callback, answers the browser, and closes.
import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { loopbackRedirectUri } from "../domain/claude-connector";

/** A listener waiting for the browser to come back from the authorize endpoint. */
export interface CallbackListener {
  /** `http://127.0.0.1:PORT/callback`, the redirect URI to send. */
  readonly redirectUri: string;
  /** The URL of the first callback (query included), or undefined when none came within `timeoutMs`. */
  next(timeoutMs: number): Promise<URL | undefined>;
  /** Stops listening (idempotent). */
  close(): Promise<void>;
}

const PAGE = `<!doctype html><meta charset="utf-8"><title>alation-connector verify</title>
<h1>Login answer received</h1><p>alation-connector verify has the answer of the login. You can close this tab and
return to the terminal.</p>
`;

/** Listens on 127.0.0.1:`port` (0: any free port). Rejects with the listen error (EADDRINUSE, EACCES). */
export async function listenForCallback(port: number): Promise<CallbackListener> {
  let deliver: ((url: URL) => void) | undefined;
  let received: URL | undefined;
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    if (req.method !== "GET" || url.pathname !== "/callback" || received) {
      res.writeHead(404, { "content-type": "text/plain; charset=utf-8", connection: "close" }).end("Not found\n");
      return;
    }
    // One answer is taken; the listener closes once the browser has its page.
    received = new URL(`${loopbackRedirectUri(boundPort())}${url.search}`);
    res.writeHead(200, {
      "content-type": "text/html; charset=utf-8",
      "cache-control": "no-store",
      connection: "close",
    });
    res.end(PAGE, () => void close());
    deliver?.(received);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen({ port, host: "127.0.0.1", exclusive: true }, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const boundPort = () => (server.address() as AddressInfo).port;
  const redirectUri = loopbackRedirectUri(boundPort());
  let closed: Promise<void> | undefined;
  const close = (): Promise<void> =>
    (closed ??= new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    }));
  return {
    redirectUri,
    close,
    next(timeoutMs) {
      if (received) return Promise.resolve(received);
      return new Promise((resolve) => {
        const timer = setTimeout(() => resolve(undefined), timeoutMs);
        deliver = (url) => {
          clearTimeout(timer);
          resolve(url);
        };
      });
    },
  };
}
