// A stand-in for the parts of a Kubernetes API server that the shell transport uses, on plain http and
// 127.0.0.1: GET a pod, list pods by label selector, and the exec endpoint over WebSocket with the real channel
// protocol (v5.channel.k8s.io: stdin 0, stdout 1, stderr 2, status 3, close 255). Exec runs the requested argv
// on this machine, in the environment given to the server.
import { spawn } from "node:child_process";
import * as http from "node:http";
import { AddressInfo } from "node:net";
import { WebSocket, WebSocketServer } from "ws";

/** A pod the stand-in knows. */
export interface FakePod {
  name: string;
  namespace: string;
  labels?: Record<string, string>;
  /** Default "Running". */
  phase?: string;
  /** Default ["alation"]. */
  containers?: string[];
}

/** One exec the stand-in ran. */
export interface ExecRecord {
  namespace: string;
  pod: string;
  container: string;
  command: string[];
  protocol: string;
}

export interface KubeApiServer {
  url: string;
  /** A kubeconfig for this server (plain http, insecure-skip-tls-verify, a bearer token). */
  kubeconfig: string;
  /** The token the kubeconfig carries; requests without it get 401. */
  token: string;
  /** The execs run so far. */
  execs: ExecRecord[];
  stop(): Promise<void>;
}

const STDIN = 0;
const STDOUT = 1;
const STDERR = 2;
const STATUS = 3;
const CLOSE = 255;

export async function startKubeApiServer(options: {
  pods: FakePod[];
  env?: NodeJS.ProcessEnv;
  token?: string;
}): Promise<KubeApiServer> {
  const token = options.token ?? "kube-test-token";
  const execs: ExecRecord[] = [];
  const authorized = (request: http.IncomingMessage) => request.headers.authorization === `Bearer ${token}`;

  const server = http.createServer((request, response) => {
    if (!authorized(request)) return sendStatus(response, 401, "Unauthorized", "Unauthorized");
    const url = new URL(request.url ?? "/", "http://localhost");
    const one = /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)$/.exec(url.pathname);
    const list = /^\/api\/v1\/namespaces\/([^/]+)\/pods$/.exec(url.pathname);
    if (request.method === "GET" && one) {
      const pod = options.pods.find((p) => p.namespace === one[1] && p.name === one[2]);
      if (!pod) return sendStatus(response, 404, "NotFound", `pods "${one[2]}" not found`);
      return sendJson(response, 200, podObject(pod));
    }
    if (request.method === "GET" && list) {
      const selector = parseSelector(url.searchParams.get("labelSelector") ?? "");
      const items = options.pods
        .filter((p) => p.namespace === list[1] && selector.every(([k, v]) => p.labels?.[k] === v))
        .map(podObject);
      return sendJson(response, 200, { kind: "PodList", apiVersion: "v1", metadata: {}, items });
    }
    sendStatus(response, 404, "NotFound", "the server could not find the requested resource");
  });

  const sockets = new WebSocketServer({
    noServer: true,
    handleProtocols: (protocols) => (protocols.has("v5.channel.k8s.io") ? "v5.channel.k8s.io" : false),
  });
  server.on("upgrade", (request, socket, head) => {
    const url = new URL(request.url ?? "/", "http://localhost");
    const exec = /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)\/exec$/.exec(url.pathname);
    const pod = exec && options.pods.find((p) => p.namespace === exec[1] && p.name === exec[2]);
    const refuse = (status: string) => socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\n\r\n`);
    if (!authorized(request)) return refuse("401 Unauthorized");
    if (!exec || !pod) return refuse("404 Not Found");
    sockets.handleUpgrade(request, socket, head, (ws) => {
      const record: ExecRecord = {
        namespace: pod.namespace,
        pod: pod.name,
        container: url.searchParams.get("container") ?? "",
        command: url.searchParams.getAll("command"),
        protocol: ws.protocol,
      };
      execs.push(record);
      runExec(ws, record.command, url.searchParams.get("stdin") === "true", options.env ?? process.env);
    });
  });

  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    token,
    execs,
    kubeconfig: kubeconfigFor(url, token),
    stop: async () => {
      for (const client of sockets.clients) client.terminate();
      sockets.close();
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    },
  };
}

/** Runs argv here and speaks the channel protocol on the socket, as the kubelet does through the API server. */
function runExec(ws: WebSocket, command: string[], withStdin: boolean, env: NodeJS.ProcessEnv): void {
  const send = (channel: number, data: Buffer | string) => {
    if (ws.readyState === WebSocket.OPEN) ws.send(Buffer.concat([Buffer.from([channel]), Buffer.from(data)]));
  };
  const child = spawn(command[0] ?? "", command.slice(1), {
    env,
    stdio: [withStdin ? "pipe" : "ignore", "pipe", "pipe"],
  });
  child.stdout?.on("data", (chunk: Buffer) => send(STDOUT, chunk));
  child.stderr?.on("data", (chunk: Buffer) => send(STDERR, chunk));
  child.stdin?.on("error", () => undefined);
  ws.on("message", (data: Buffer) => {
    if (data[0] === STDIN) child.stdin?.write(data.subarray(1));
    else if (data[0] === CLOSE && data[1] === STDIN) child.stdin?.end();
  });
  ws.on("close", () => child.exitCode === null && child.kill("SIGKILL"));
  let started = true;
  child.on("error", () => {
    started = false;
    // What the kubelet reports for a program that is not in the container.
    send(
      STATUS,
      JSON.stringify({
        metadata: {},
        status: "Failure",
        message:
          `OCI runtime exec failed: exec failed: unable to start container process: exec: "${command[0]}": ` +
          `executable file not found in $PATH: unknown`,
        reason: "InternalError",
      }),
    );
    ws.close();
  });
  child.on("close", (code) => {
    if (!started) return;
    const status =
      code === 0
        ? { metadata: {}, status: "Success" }
        : {
            metadata: {},
            status: "Failure",
            message: `command terminated with non-zero exit code: exit status ${code}`,
            reason: "NonZeroExitCode",
            details: { causes: [{ reason: "ExitCode", message: String(code ?? 1) }] },
          };
    send(STATUS, JSON.stringify(status));
    ws.close();
  });
}

function podObject(pod: FakePod) {
  return {
    kind: "Pod",
    apiVersion: "v1",
    metadata: { name: pod.name, namespace: pod.namespace, labels: pod.labels ?? {} },
    spec: { containers: (pod.containers ?? ["alation"]).map((name) => ({ name, image: "alation" })) },
    status: { phase: pod.phase ?? "Running" },
  };
}

function parseSelector(selector: string): Array<[string, string]> {
  return selector
    .split(",")
    .filter((term) => term !== "")
    .map((term) => {
      const [key, value] = term.split("=");
      return [key.trim(), (value ?? "").trim()];
    });
}

function sendJson(response: http.ServerResponse, status: number, body: unknown): void {
  response.writeHead(status, { "content-type": "application/json" });
  response.end(JSON.stringify(body));
}

function sendStatus(response: http.ServerResponse, code: number, reason: string, message: string): void {
  sendJson(response, code, {
    kind: "Status",
    apiVersion: "v1",
    metadata: {},
    status: "Failure",
    message,
    reason,
    code,
  });
}

function kubeconfigFor(url: string, token: string): string {
  return [
    "apiVersion: v1",
    "kind: Config",
    "clusters:",
    "- name: stand-in",
    "  cluster:",
    `    server: ${url}`,
    "    insecure-skip-tls-verify: true",
    "users:",
    "- name: tester",
    "  user:",
    `    token: ${token}`,
    "contexts:",
    "- name: stand-in",
    "  context:",
    "    cluster: stand-in",
    "    user: tester",
    "current-context: stand-in",
    "",
  ].join("\n");
}
