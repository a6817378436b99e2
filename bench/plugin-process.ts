// The provider plugin pulumi-resource-alation as the engine starts it (its launcher, from the installed package), with
// a gRPC client: for the cold start beside the dynamic provider's (spawn to the first Check answered).
import { spawn } from "node:child_process";
import * as fs from "node:fs";
import * as path from "node:path";
import { pulumiModules } from "../provider/plugin/server";
import { cleanEnvironment } from "../tests/support/provider-server";
import { round } from "./stats";

/** One cold start of the plugin. */
export interface PluginSample {
  spawnToListeningMs: number;
  spawnToFirstCheckMs: number;
  peakMemoryMiB: number;
}

/** Spawns the plugin in `project`, configures it, asks one Check of an OAuthApplication, stops it. */
export async function pluginColdStart(project: string, inputs: Record<string, unknown>): Promise<PluginSample> {
  const launcher = path.join(project, "node_modules", "pulumi-alation", "plugin", "pulumi-resource-alation");
  const spawnedAt = performance.now();
  const child = spawn(launcher, [], { cwd: project, env: cleanEnvironment({}), stdio: ["ignore", "pipe", "pipe"] });
  try {
    const port = await new Promise<string>((resolve, reject) => {
      let out = "";
      let err = "";
      child.stdout.on("data", (chunk: Buffer) => {
        out += chunk.toString();
        if (out.includes("\n")) resolve(out.trim().split("\n")[0]);
      });
      child.stderr.on("data", (chunk: Buffer) => (err += chunk.toString()));
      child.on("exit", (code) => reject(new Error(`the plugin exited ${code}: ${err}`)));
    });
    const spawnToListeningMs = performance.now() - spawnedAt;
    const { grpc, provider: pb, struct } = pulumiModules();
    const services: typeof import("@pulumi/pulumi/proto/provider_grpc_pb") = require(
      require.resolve("@pulumi/pulumi/proto/provider_grpc_pb", { paths: [project] }),
    );
    const client = new services.ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
    const unary = <T>(method: string, request: unknown) =>
      new Promise<T>((resolve, reject) =>
        (client as unknown as Record<string, (r: unknown, cb: (e: Error | null, v: T) => void) => void>)[method](
          request,
          (error, value) => (error ? reject(error) : resolve(value)),
        ),
      );
    await unary("configure", new pb.ConfigureRequest().setAcceptsecrets(true));
    const urn = "urn:pulumi:bench::bench::alation:index:OAuthApplication::cold-start";
    const checked = await unary<InstanceType<typeof pb.CheckResponse>>(
      "check",
      new pb.CheckRequest()
        .setUrn(urn)
        .setOlds(struct.Struct.fromJavaScript({}))
        .setNews(struct.Struct.fromJavaScript(inputs as never)),
    );
    const spawnToFirstCheckMs = performance.now() - spawnedAt;
    if (checked.getFailuresList().length > 0) throw new Error("the plugin's check failed");
    client.close();
    return {
      spawnToListeningMs: round(spawnToListeningMs),
      spawnToFirstCheckMs,
      peakMemoryMiB: peakMemoryMiB(child.pid),
    };
  } finally {
    child.kill("SIGTERM");
  }
}

function peakMemoryMiB(pid: number | undefined): number {
  const status = fs.readFileSync(`/proc/${pid}/status`, "utf8");
  const kib = Number(/^VmHWM:\s+(\d+) kB/m.exec(status)?.[1] ?? 0);
  return round(kib / 1024);
}
