// Runs commands in the tenant's pod through the Kubernetes API's exec endpoint (@kubernetes/client-node, loaded
// only here). argv goes to the container as is (no shell). The client asks for the v5 channel protocol, the one
// that can say "stdin is complete" without closing the connection; the Django shell needs that to run its script.
import { PassThrough, Writable } from "node:stream";
import type { KubeConfig, V1Pod, V1Status } from "@kubernetes/client-node";
import { requireOptionalPeer } from "../peers/optional";
import { ShellError, commandName, configError, redact } from "./errors";
import {
  containerOf,
  findPod,
  kindOfRefusal,
  loadKubeConfig,
  unsent,
  type KubernetesClient,
  type KubernetesOptions,
} from "./kubernetes-pod";
import {
  CommandResult,
  OutputCollector,
  RunOptions,
  Transport,
  commandTimedOut,
  settleOnce,
  withTimeout,
} from "./transport";

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
      const container = containerOf(pod, options.container);
      return execInPod(k8s, config, { transport: target, pod, container }, argv, {
        ...runOptions,
        timeoutMs: remaining,
      });
    },
  };
  return transport;
}

/** Where a command runs: the pod and its container. */
interface ExecTarget {
  transport: { target: string };
  pod: V1Pod;
  container: string;
}

/**
 * Runs argv in the pod's container. The exit status arrives last; the output streams are ended by the client just
 * before it. The input is written only once the protocol is known to be v5 (an older one would close the
 * connection at the end of input).
 */
function execInPod(
  k8s: KubernetesClient,
  config: KubeConfig,
  { transport, pod, container }: ExecTarget,
  argv: readonly string[],
  options: RunOptions,
): Promise<CommandResult> {
  const output = execOutput();
  const stdin = options.stdin === undefined ? null : new PassThrough();
  let socket: { close(): void } | undefined;
  return settleOnce(transport, argv, options.timeoutMs, {
    start(settle) {
      let status: V1Status | undefined;
      const done = () => {
        if (status === undefined || !output.finished()) return;
        const ended = endOf(status, output, transport, argv);
        if (ended instanceof ShellError) settle.fail(ended);
        else settle.done(ended);
      };
      output.onFinish(done);
      const onStatus = (received: V1Status) => {
        status = received;
        done();
      };
      new k8s.Exec(config)
        .exec(
          pod.metadata?.namespace ?? "",
          pod.metadata?.name ?? "",
          container,
          [...argv],
          output.stdout,
          output.stderr,
          stdin,
          false,
          onStatus,
        )
        .then((ws) => {
          socket = ws;
          ws.on("close", () => {
            if (status === undefined) settle.fail(closedEarly(transport, argv));
          });
          if (stdin && ws.protocol !== V5_PROTOCOL) settle.fail(noV5(transport));
          else stdin?.end(options.stdin);
        })
        .catch((error: unknown) => settle.fail(execConnectError(transport, error)));
    },
    cleanup: () => socket?.close(),
  });
}

/** A command's output streams, collected; `finished` once the client has ended both. */
function execOutput() {
  const stdout = new OutputCollector();
  const stderr = new OutputCollector();
  const sinks = { stdout: collectingWritable(stdout), stderr: collectingWritable(stderr) };
  return {
    ...sinks,
    text: () => ({ stdout: stdout.text(), stderr: stderr.text() }),
    finished: () => sinks.stdout.writableFinished && sinks.stderr.writableFinished,
    onFinish(listener: () => void) {
      sinks.stdout.on("finish", listener);
      sinks.stderr.on("finish", listener);
    },
  };
}

/** The result an exec status reports, or the error of a status without an exit code (the command could not run). */
function endOf(
  status: V1Status,
  output: ReturnType<typeof execOutput>,
  transport: { target: string },
  argv: readonly string[],
): CommandResult | ShellError {
  const exitCode = exitCodeOf(status);
  if (exitCode !== undefined) return { exitCode, ...output.text() };
  return new ShellError(
    "command",
    `${commandName(argv)} could not run on ${transport.target}: ` +
      `${redact(status.message ?? status.reason ?? "unknown failure")}`,
    { call: commandName(argv) },
  );
}

function closedEarly(transport: { target: string }, argv: readonly string[]): ShellError {
  return new ShellError(
    "connection",
    `the exec connection to ${transport.target} closed before the command reported its exit status`,
    { call: commandName(argv) },
  );
}

function noV5(transport: { target: string }): ShellError {
  return new ShellError(
    "config",
    `the Kubernetes API server of ${transport.target} does not speak ${V5_PROTOCOL} (Kubernetes 1.30 ` +
      `or later), which is needed to send a command's input`,
  );
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
    return unsent(kindOfRefusal(code), `the Kubernetes API refused to exec into ${transport.target} (HTTP ${code})`);
  }
  const code =
    (error as { code?: string; error?: { code?: string } })?.code ??
    (error as { error?: { code?: string } })?.error?.code;
  return unsent("connection", `could not open an exec connection to ${transport.target}: ${code ?? "network error"}`);
}
