// A tiny HTTP server on 127.0.0.1 whose answers a test scripts request by request: a status with JSON or text,
// a dropped connection, or no answer at all. Records every request and counts TCP connections. By default it answers
// the provider's tenant probe as an Alation tenant of generation A would (the scripts script A's paths), apart from
// the script and its records. One started during a test is closed when the test ends (test-scope.ts).
import * as http from "node:http";
import type { AddressInfo, Socket } from "node:net";
import type { ApiGenerationMode } from "../../emulator";
import { alationDiscoveryAnswer } from "./alation-answers";
import { stopWhenTestEnds } from "./test-scope";

/** A request as the server received it. */
export interface RecordedRequest {
  method: string;
  path: string;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** What to do with one request. */
export type ScriptedAnswer =
  | { status: number; json?: unknown; text?: string; headers?: Record<string, string> }
  /** Close the connection without answering (after reading the request). */
  | "drop"
  /** Never answer (the client's timeout must end it). */
  | "hang";

export type Script = (request: RecordedRequest, index: number) => ScriptedAnswer | Promise<ScriptedAnswer>;

/** A running scripted server. */
export interface ScriptedServer {
  /** `http://127.0.0.1:PORT`. */
  url: string;
  /** Every request so far that the script answered. */
  requests: RecordedRequest[];
  /** The requests answered as a tenant's discovery (the provider's probe), not by the script. */
  discovery: RecordedRequest[];
  /** TCP connections accepted so far. */
  connections(): number;
  /** Replaces the script. */
  setScript(script: Script): void;
  close(): Promise<void>;
}

/** How a scripted server shows itself to a request without a credential. */
export interface ScriptedOptions {
  /**
   * `a`, `b`, `both` (default `a`): as an Alation tenant whose OpenAPI document names that generation, answered apart
   * from the script; `none`: every request goes to the script (a server that is not known to be Alation).
   */
  tenant?: ApiGenerationMode | "none";
}

/** Starts a scripted server. */
export async function startScriptedServer(script: Script, options: ScriptedOptions = {}): Promise<ScriptedServer> {
  const tenant = options.tenant ?? "a";
  const requests: RecordedRequest[] = [];
  const discovery: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  let connections = 0;
  let current = script;
  const respond = async (req: http.IncomingMessage, res: http.ServerResponse): Promise<void> => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const request: RecordedRequest = {
      method: req.method ?? "",
      path: req.url ?? "",
      headers: req.headers,
      body: Buffer.concat(chunks).toString("utf8"),
    };
    const shown = tenant === "none" ? undefined : alationDiscoveryAnswer(request.method, request.path, tenant);
    if (shown) {
      discovery.push(request);
      res.writeHead(200, { "content-type": "application/json" });
      res.end(JSON.stringify(shown));
      return;
    }
    requests.push(request);
    const answer = await current(request, requests.length - 1);
    if (answer === "hang") return;
    if (answer === "drop") {
      req.socket.destroy();
      return;
    }
    const body = answer.json !== undefined ? JSON.stringify(answer.json) : (answer.text ?? "");
    const type = answer.json !== undefined ? "application/json" : "text/html";
    res.writeHead(answer.status, { "content-type": type, ...answer.headers });
    res.end(body);
  };
  // A script that throws leaves its request unanswered: the socket is closed, as a crashed server's would be.
  const server = http.createServer((req, res) => void respond(req, res).catch(() => res.destroy()));
  server.on("connection", (socket: Socket) => {
    connections++;
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  const close = () =>
    new Promise<void>((resolve) => {
      for (const socket of sockets) socket.destroy();
      server.close(() => resolve());
    });
  stopWhenTestEnds({ stop: close });
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    discovery,
    connections: () => connections,
    setScript: (next) => (current = next),
    close,
  };
}

/** An answer with a JSON body. */
export function json(status: number, body: unknown, headers: Record<string, string> = {}): ScriptedAnswer {
  return { status, json: body, headers };
}
