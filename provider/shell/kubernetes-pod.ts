// The Kubernetes side of the exec transport: the kubeconfig, the pod the options name, and the container to run in.
// Everything that fails here fails before a command is sent.
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import type { CoreV1Api, KubeConfig, V1Pod } from "@kubernetes/client-node";
import { ShellError, redact, type ShellErrorKind } from "./errors";

/** @kubernetes/client-node, loaded by the transport. */
export type KubernetesClient = typeof import("@kubernetes/client-node");

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

/** The kubeconfig the options give, or the default one, set to the options' context. */
export function loadKubeConfig(k8s: KubernetesClient, options: KubernetesOptions): KubeConfig {
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

/** The pod to run in: the one named, or the first Running one the label selector matches. */
export async function findPod(k8s: KubernetesClient, config: KubeConfig, options: KubernetesOptions): Promise<V1Pod> {
  const api: CoreV1Api = config.makeApiClient(k8s.CoreV1Api);
  const namespace = options.namespace;
  try {
    if (options.pod !== undefined) {
      const pod = await api.readNamespacedPod({ name: options.pod, namespace });
      const phase = pod.status?.phase ?? "Unknown";
      if (phase !== "Running")
        throw unsent("not-found", `pod ${namespace}/${options.pod} is not running (phase ${phase})`);
      return pod;
    }
    const list = await api.listNamespacedPod({ namespace, labelSelector: options.labelSelector });
    const pods = [...list.items].sort((a, b) => (a.metadata?.name ?? "").localeCompare(b.metadata?.name ?? ""));
    const running = pods.find((pod) => pod.status?.phase === "Running" && !pod.metadata?.deletionTimestamp);
    if (!running) {
      const seen = pods.map((pod) => `${pod.metadata?.name} (${pod.status?.phase ?? "Unknown"})`).join(", ");
      throw unsent(
        "not-found",
        `no Running pod in namespace ${namespace} matches labelSelector "${options.labelSelector}"` +
          (seen ? `; found ${seen}` : "; found none"),
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
    const message = code === 404 ? `${what} not found` : `the Kubernetes API refused to read ${what} (HTTP ${code})`;
    return unsent(kindOfRefusal(code), message + (reason ? `: ${reason}` : ""));
  }
  const code = (error as NodeJS.ErrnoException).code;
  return unsent("connection", `the Kubernetes API could not be reached to read ${what}: ${code ?? "network error"}`);
}

/** The container to run in: the requested one, else the pod's default. */
export function containerOf(pod: V1Pod, requested: string | undefined): string {
  if (requested !== undefined) return requested;
  const annotated = pod.metadata?.annotations?.["kubectl.kubernetes.io/default-container"];
  return annotated ?? pod.spec?.containers?.[0]?.name ?? "";
}

/** What the Kubernetes API's refusal (an HTTP status) is. */
export function kindOfRefusal(status: number): ShellErrorKind {
  if (status === 401 || status === 403) return "auth";
  if (status === 404) return "not-found";
  return status >= 500 ? "connection" : "config";
}

/** An error met before the exec stream opened: no command was sent. */
export function unsent(kind: ShellErrorKind, message: string): ShellError {
  return new ShellError(kind, message, { commandSent: false });
}
