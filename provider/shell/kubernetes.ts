// Runs commands in the tenant's pod through the Kubernetes API's exec endpoint (@kubernetes/client-node, loaded
// only here). argv goes to the container as is (no shell). The client asks for the v5 channel protocol, the one
// that can say "stdin is complete" without closing the connection; the Django shell needs that to run its script.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { PassThrough, Writable } from "node:stream";
import type { CoreV1Api, KubeConfig, V1Pod, V1Status } from "@kubernetes/client-node";
import { requireOptionalPeer } from "../peers/optional";
import { ShellError, commandName, configError, redact } from "./errors";
import { CommandResult, OutputCollector, RunOptions, Transport, commandTimedOut, withTimeout } from "./transport";

type KubernetesClient = typeof import("@kubernetes/client-node");

/** Which pod, and how to reach the API server. */
export interface KubernetesOptions {
  /** A kubeconfig (YAML). Without it: KUBECONFIG, ~/.kube/config, or the in-cluster service account. */
  kubeconfig?: string;
  /** The kubeconfig context to use; default its current context. */
  context?: string;
  namespace: string;
  /** The pod's name; or `labelSelector`. */
  pod?: string;
  /** Selects the pod: the first Running one, by name. */
  labelSelector?: string;
  /** Default: the pod's `kubectl.kubernetes.io/default-container`, else its first container. */
  container?: string;
}

const V5_PROTOCOL = "v5.channel.k8s.io";

/** The Kubernetes transport. The kubeconfig is read when the first command runs. */
export function createKubernetesTransport(options: KubernetesOptions): Transport {
  const where = options.pod
    ? `pod ${options.namespace}/${options.pod}`
    : `a pod of ${options.namespace} matching "${options.labelSelector}"`;
  const transport: Transport = {
    target: where,
    runCommand: async (argv, runOptions) => {
      const k8s = requireOptionalPeer<KubernetesClient>("@kubernetes/client-node", "shell.kubernetes", configError);
      const config = loadKubeConfig(k8s, options);
      const deadline = Date.now() + runOptions.timeoutMs;
      const pod = await withTimeout(findPod(k8s, config, options), runOptions.timeoutMs, () =>
        commandTimedOut(transport, argv, runOptions.timeoutMs),
      );
      const remaining = Math.max(deadline - Date.now(), 1000);
      const target = { target: `pod ${options.namespace}/${pod.metadata?.name}` };
      return execInPod(k8s, config, target, pod, containerOf(pod, options.container), argv, {
        ...runOptions,
        timeoutMs: remaining,
      });
    },
  };
  return transport;
}

function loadKubeConfig(k8s: KubernetesClient, options: KubernetesOptions): KubeConfig {
  const config = new k8s.KubeConfig();
  if (options.kubeconfig !== undefined) {
    try {
      config.loadFromString(options.kubeconfig);
    } catch (error) {
      // The parser's message may quote the kubeconfig: only its line number is kept.
      const line = (error as { mark?: { line?: number } }).mark?.line;
      throw new ShellError(
        "config",
        `shell.kubernetes.kubeconfig is not a valid ` +
          `kubeconfig${line === undefined ? "" : ` (YAML error on line ${line + 1})`}`,
      );
    }
  } else if (process.env.KUBECONFIG || fs.existsSync(path.join(os.homedir(), ".kube", "config"))) {
    config.loadFromDefault();
  } else if (process.env.KUBERNETES_SERVICE_HOST) {
    config.loadFromCluster();
  } else {
    throw new ShellError(
      "config",
      "no kubeconfig: give shell.kubernetes.kubeconfig, set KUBECONFIG, create ~/.kube/config, or run in a cluster",
    );
  }
  if (options.context !== undefined) {
    if (!config.getContextObject(options.context)) {
      throw new ShellError("config", `the kubeconfig has no context "${options.context}"`);
    }
    config.setCurrentContext(options.context);
  }
  if (!config.getCurrentCluster()) {
    throw new ShellError("config", "the kubeconfig's current context names no cluster");
  }
  return config;
}

async function findPod(k8s: KubernetesClient, config: KubeConfig, options: KubernetesOptions): Promise<V1Pod> {
  const api: CoreV1Api = config.makeApiClient(k8s.CoreV1Api);
  const namespace = options.namespace;
  try {
    if (options.pod !== undefined) {
      const pod = await api.readNamespacedPod({ name: options.pod, namespace });
      const phase = pod.status?.phase ?? "Unknown";
      if (phase !== "Running") {
        throw new ShellError("not-found", `pod ${namespace}/${options.pod} is not running (phase ${phase})`, {
          commandSent: false,
        });
      }
      return pod;
    }
    const list = await api.listNamespacedPod({ namespace, labelSelector: options.labelSelector });
    const pods = [...list.items].sort((a, b) => (a.metadata?.name ?? "").localeCompare(b.metadata?.name ?? ""));
    const running = pods.find((pod) => pod.status?.phase === "Running" && !pod.metadata?.deletionTimestamp);
    if (!running) {
      const seen = pods.map((pod) => `${pod.metadata?.name} (${pod.status?.phase ?? "Unknown"})`).join(", ");
      throw new ShellError(
        "not-found",
        `no Running pod in namespace ${namespace} matches labelSelector "${options.labelSelector}"` +
          (seen ? `; found ${seen}` : "; found none"),
        { commandSent: false },
      );
    }
    return running;
  } catch (error) {
    throw apiError(k8s, error, options);
  }
}

function apiError(k8s: KubernetesClient, error: unknown, options: KubernetesOptions): unknown {
  if (error instanceof ShellError) return error;
  const what = options.pod ? `pod ${options.namespace}/${options.pod}` : `pods of namespace ${options.namespace}`;
  if (error instanceof k8s.ApiException) {
    // ApiException's own message carries the response headers and body: only the status and the API's reason are kept.
    const code = error.code;
    const reason = redact(String((error.body as { message?: unknown } | undefined)?.message ?? ""));
    const kind =
      code === 404 ? "not-found" : code === 401 || code === 403 ? "auth" : code >= 500 ? "connection" : "config";
    const message = code === 404 ? `${what} not found` : `the Kubernetes API refused to read ${what} (HTTP ${code})`;
    return new ShellError(kind, message + (reason ? `: ${reason}` : ""), { commandSent: false });
  }
  const code = (error as NodeJS.ErrnoException).code;
  return new ShellError(
    "connection",
    `the Kubernetes API could not be reached to read ${what}: ${code ?? "network error"}`,
    {
      commandSent: false,
    },
  );
}

function containerOf(pod: V1Pod, requested: string | undefined): string {
  if (requested !== undefined) return requested;
  const annotated = pod.metadata?.annotations?.["kubectl.kubernetes.io/default-container"];
  return annotated ?? pod.spec?.containers?.[0]?.name ?? "";
}

function execInPod(
  k8s: KubernetesClient,
  config: KubeConfig,
  transport: { target: string },
  pod: V1Pod,
  container: string,
  argv: readonly string[],
  options: RunOptions,
): Promise<CommandResult> {
  const stdout = new OutputCollector();
  const stderr = new OutputCollector();
  const stdoutSink = collectingWritable(stdout);
  const stderrSink = collectingWritable(stderr);
  // Written only once the protocol is known to be v5 (an older one would close the connection at end of input).
  const stdin = options.stdin === undefined ? null : new PassThrough();

  return new Promise<CommandResult>((resolve, reject) => {
    let status: V1Status | undefined;
    let socket: { close(): void } | undefined;
    let settled = false;
    const finish = (outcome: () => void) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket?.close();
      outcome();
    };
    const timer = setTimeout(
      () => finish(() => reject(commandTimedOut(transport, argv, options.timeoutMs))),
      options.timeoutMs,
    );
    // The status arrives last; the output streams are ended by the client just before it.
    const done = () => {
      if (status === undefined || !stdoutSink.writableFinished || !stderrSink.writableFinished) return;
      const exitCode = exitCodeOf(status);
      if (exitCode === undefined) {
        finish(() =>
          reject(
            new ShellError(
              "command",
              `${commandName(argv)} could not run on ${transport.target}: ` +
                `${redact(status?.message ?? status?.reason ?? "unknown failure")}`,
            ),
          ),
        );
      } else {
        finish(() => resolve({ exitCode, stdout: stdout.text(), stderr: stderr.text() }));
      }
    };
    stdoutSink.on("finish", done);
    stderrSink.on("finish", done);

    new k8s.Exec(config)
      .exec(
        pod.metadata?.namespace ?? "",
        pod.metadata?.name ?? "",
        container,
        [...argv],
        stdoutSink,
        stderrSink,
        stdin,
        false,
        (s) => {
          status = s;
          done();
        },
      )
      .then((ws) => {
        socket = ws;
        ws.on("close", () => {
          if (status === undefined) {
            finish(() =>
              reject(
                new ShellError(
                  "connection",
                  `the exec connection to ${transport.target} closed before the command reported its exit status`,
                ),
              ),
            );
          }
        });
        if (stdin) {
          if (ws.protocol !== V5_PROTOCOL) {
            finish(() =>
              reject(
                new ShellError(
                  "config",
                  `the Kubernetes API server of ${transport.target} does not speak ${V5_PROTOCOL} (Kubernetes 1.30 ` +
                    `or later), which is needed to send a command's input`,
                ),
              ),
            );
            return;
          }
          stdin.end(options.stdin);
        }
      })
      .catch((error: unknown) => finish(() => reject(execConnectError(transport, error))));
  });
}

function collectingWritable(output: OutputCollector): Writable {
  return new Writable({
    write(chunk: Buffer, _encoding, callback) {
      output.push(chunk);
      callback();
    },
  });
}

/** The exit code in an exec status: Success is 0; a NonZeroExitCode failure carries it in an ExitCode cause. */
function exitCodeOf(status: V1Status): number | undefined {
  if (status.status === "Success") return 0;
  const cause = status.details?.causes?.find((c) => c.reason === "ExitCode");
  const code = cause?.message === undefined ? NaN : Number(cause.message);
  return Number.isInteger(code) ? code : undefined;
}

function execConnectError(transport: { target: string }, error: unknown): ShellError {
  // The WebSocket handshake failed: an HTTP status means the API server answered (and refused); otherwise the
  // network failed and nothing was run.
  const text = String((error as { message?: unknown })?.message ?? error);
  const httpStatus = /Unexpected server response: (\d+)/.exec(text)?.[1];
  if (httpStatus) {
    const code = Number(httpStatus);
    const kind =
      code === 401 || code === 403 ? "auth" : code === 404 ? "not-found" : code >= 500 ? "connection" : "config";
    return new ShellError(kind, `the Kubernetes API refused to exec into ${transport.target} (HTTP ${code})`, {
      commandSent: false,
    });
  }
  const code =
    (error as { code?: string; error?: { code?: string } })?.code ??
    (error as { error?: { code?: string } })?.error?.code;
  return new ShellError(
    "connection",
    `could not open an exec connection to ${transport.target}: ${code ?? "network error"}`,
    {
      commandSent: false,
    },
  );
}
